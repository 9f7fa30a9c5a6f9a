// The schema explorer in crdb-studio's activity-bar container: targets (the simulated cluster
// and each connection profile) → databases → tables → columns, indexes, partitions and zone
// configuration, read with CockroachDB's own SHOW statements as each node is expanded. A read
// that fails becomes one error node where it was asked for (a user without admin still sees
// what they may read); collapsing a node or refreshing the tree cancels its read.
import * as vscode from 'vscode';
import type { CatalogDatabase, CatalogTable } from '../../../protocol/src/catalog';
import { CatalogReader, POSTGRES_ONLY_NOTE, type Dialect, type TableRef } from '../../../runner/src/catalog/reader';
import type { RunController } from '../run/runController';
import { describe, type Target, type Targets } from '../run/targets';
import { ExplorerConnection, ReadCancelled } from './connection';
import {
  describeColumn,
  describeDatabase,
  describeIndex,
  describePartition,
  describeRegion,
  describeTable,
  errorText,
  zoneLines,
  type Described,
} from './labels';

type Folder = 'columns' | 'indexes' | 'partitions' | 'zone' | 'regions' | 'database-zone';

export type ExplorerNode =
  | { kind: 'target'; id: string; target: Target }
  | { kind: 'database'; id: string; target: Target; dialect: Dialect; database: CatalogDatabase }
  | { kind: 'table'; id: string; target: Target; dialect: Dialect; ref: TableRef; table: CatalogTable }
  | { kind: 'folder'; id: string; target: Target; dialect: Dialect; folder: Folder; database: string; ref?: TableRef }
  | { kind: 'leaf'; id: string; described: Described; icon: string }
  | { kind: 'message'; id: string; text: string; error: boolean };

const FOLDER_LABELS: Record<Folder, string> = {
  columns: 'Columns',
  indexes: 'Indexes',
  partitions: 'Partitions',
  zone: 'Zone configuration',
  regions: 'Regions',
  'database-zone': 'Zone configuration',
};

const FOLDER_ICONS: Record<Folder, string> = {
  columns: 'symbol-field',
  indexes: 'list-tree',
  partitions: 'split-horizontal',
  zone: 'settings-gear',
  regions: 'globe',
  'database-zone': 'settings-gear',
};

export class ExplorerProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly connections = new Map<string, ExplorerConnection>();
  /** Reads in flight, by the id of the node whose children they are. */
  private readonly loads = new Map<string, AbortController>();
  /** Fires with a target once the explorer read its databases: the catalog summary may follow. */
  private readonly connectedEmitter = new vscode.EventEmitter<Target>();
  readonly onDidConnect = this.connectedEmitter.event;

  constructor(
    private readonly runs: RunController,
    private readonly targets: Targets,
  ) {}

  /** The explorer's connection to a target (its statements never run in the user's session). */
  connection(target: Target): ExplorerConnection {
    let connection = this.connections.get(target.id);
    if (!connection) {
      connection = new ExplorerConnection(async () => {
        const session = await this.runs.sessionFor(target, 'explorer');
        if (!session) throw new Error(`not connected to ${target.label}`);
        return session;
      });
      this.connections.set(target.id, connection);
    }
    return connection;
  }

  /** Reads everything again; reads in flight are cancelled. */
  refresh(): void {
    for (const load of this.loads.values()) load.abort();
    this.loads.clear();
    this.changed.fire(undefined);
  }

  /** Cancels the reads below a node the user collapsed, so a slow one does not hold the connection. */
  collapsed(node: ExplorerNode): void {
    let aborted = false;
    for (const [id, load] of this.loads) {
      if (id === node.id || id.startsWith(`${node.id}/`)) {
        load.abort();
        this.loads.delete(id);
        aborted = true;
      }
    }
    // Its children were never read: the next expand must read them.
    if (aborted) this.changed.fire(node);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    switch (node.kind) {
      case 'target': {
        const item = new vscode.TreeItem(node.target.label, collapsed);
        item.id = node.id;
        item.description = node.target.simulated ? 'simulated' : describe(node.target.profile);
        item.iconPath = new vscode.ThemeIcon(node.target.simulated ? 'server-environment' : 'server');
        item.contextValue = 'crdbTarget';
        item.tooltip = node.target.simulated ? 'The simulated cluster (started on first use)' : `Connection profile ${node.target.label}`;
        return item;
      }
      case 'database':
        return this.item(node.id, describeDatabase(node.database), 'database', collapsed, 'crdbDatabase');
      case 'table': {
        const item = this.item(node.id, describeTable(node.table), node.table.type === 'view' ? 'eye' : 'table', collapsed, 'crdbTable');
        if (node.table.type === 'sequence') item.collapsibleState = vscode.TreeItemCollapsibleState.None;
        return item;
      }
      case 'folder':
        return this.item(node.id, { label: FOLDER_LABELS[node.folder] }, FOLDER_ICONS[node.folder], collapsed, `crdbFolder`);
      case 'leaf':
        return this.item(node.id, node.described, node.icon, vscode.TreeItemCollapsibleState.None, 'crdbLeaf');
      case 'message': {
        const item = this.item(
          node.id,
          { label: node.text, tooltip: node.text },
          node.error ? 'error' : 'info',
          vscode.TreeItemCollapsibleState.None,
          'crdbMessage',
        );
        if (node.error) item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        return item;
      }
    }
  }

  private item(id: string, described: Described, icon: string, state: vscode.TreeItemCollapsibleState, context: string): vscode.TreeItem {
    const item = new vscode.TreeItem(described.label, state);
    item.id = id;
    if (described.description !== undefined) item.description = described.description;
    if (described.tooltip !== undefined) item.tooltip = described.tooltip;
    item.iconPath = new vscode.ThemeIcon(icon);
    item.contextValue = context;
    return item;
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) return this.targets.list().map((target) => ({ kind: 'target', id: `t:${target.id}`, target }));
    if (node.kind === 'leaf' || node.kind === 'message') return [];
    this.loads.get(node.id)?.abort();
    const load = new AbortController();
    this.loads.set(node.id, load);
    try {
      return await this.read(node, load.signal);
    } catch (error) {
      if (error instanceof ReadCancelled || load.signal.aborted) {
        return [{ kind: 'message', id: `${node.id}/cancelled`, text: 'Read cancelled: expand again to read', error: false }];
      }
      return [{ kind: 'message', id: `${node.id}/error`, text: errorText(error), error: true }];
    } finally {
      if (this.loads.get(node.id) === load) this.loads.delete(node.id);
    }
  }

  private async read(node: Exclude<ExplorerNode, { kind: 'leaf' | 'message' }>, signal: AbortSignal): Promise<ExplorerNode[]> {
    const target = node.target;
    const reader = new CatalogReader(this.connection(target).queryFor(signal), node.kind === 'target' ? undefined : node.dialect);
    switch (node.kind) {
      case 'target': {
        const dialect = await reader.dialect();
        const databases = await reader.databases();
        this.connectedEmitter.fire(target);
        const nodes: ExplorerNode[] = databases.map((database) => ({
          kind: 'database',
          id: `${node.id}/db:${database.name}`,
          target,
          dialect,
          database,
        }));
        if (dialect === 'postgres')
          nodes.push({ kind: 'message', id: `${node.id}/postgres`, text: `PostgreSQL: ${POSTGRES_ONLY_NOTE}`, error: false });
        return nodes;
      }
      case 'database': {
        const database = node.database.name;
        const folders: ExplorerNode[] = [];
        const folder = (kind: Folder): ExplorerNode => ({
          kind: 'folder',
          id: `${node.id}/${kind}`,
          target,
          dialect: node.dialect,
          folder: kind,
          database,
        });
        if (node.database.regions.length > 0) folders.push(folder('regions'));
        if (node.dialect === 'cockroach') folders.push(folder('database-zone'));
        const tables = await reader.tables(database);
        const nodes: ExplorerNode[] = tables.map((table) => ({
          kind: 'table',
          id: `${node.id}/tbl:${table.schema}.${table.name}`,
          target,
          dialect: node.dialect,
          ref: { database, schema: table.schema, name: table.name },
          table,
        }));
        if (nodes.length === 0) nodes.push({ kind: 'message', id: `${node.id}/empty`, text: 'No tables', error: false });
        return [...folders, ...nodes];
      }
      case 'table': {
        const kinds: Folder[] = node.dialect === 'cockroach' ? ['columns', 'indexes', 'partitions', 'zone'] : ['columns', 'indexes'];
        return kinds.map((kind) => ({
          kind: 'folder',
          id: `${node.id}/${kind}`,
          target,
          dialect: node.dialect,
          folder: kind,
          database: node.ref.database,
          ref: node.ref,
        }));
      }
      case 'folder':
        return this.readFolder(node, reader);
    }
  }

  private async readFolder(node: Extract<ExplorerNode, { kind: 'folder' }>, reader: CatalogReader): Promise<ExplorerNode[]> {
    const leaf = (key: string, described: Described, icon: string): ExplorerNode => ({
      kind: 'leaf',
      id: `${node.id}/${key}`,
      described,
      icon,
    });
    const none = (text: string): ExplorerNode[] => [{ kind: 'message', id: `${node.id}/none`, text, error: false }];
    const ref = node.ref;
    switch (node.folder) {
      case 'regions':
        return (await reader.regions(node.database)).map((r) => leaf(r.name, describeRegion(r), r.primary ? 'star-full' : 'location'));
      case 'database-zone':
        return zoneLines(await reader.zoneConfiguration({ database: node.database })).map((line, i) =>
          leaf(String(i), { label: line }, 'symbol-property'),
        );
      case 'columns': {
        if (!ref) return [];
        const columns = await reader.columns(ref);
        return columns.map((c) => leaf(c.name, describeColumn(c), c.hidden ? 'eye-closed' : 'symbol-field'));
      }
      case 'indexes': {
        if (!ref) return [];
        const indexes = await reader.indexes(ref);
        return indexes.length === 0
          ? none('No indexes')
          : indexes.map((i) => leaf(i.name, describeIndex(i), i.primary ? 'key' : 'list-tree'));
      }
      case 'partitions': {
        if (!ref) return [];
        const partitions = await reader.partitions(ref);
        return partitions.length === 0
          ? none('Not partitioned')
          : partitions.map((p) => leaf(`${p.index}:${p.name}`, describePartition(p), 'split-horizontal'));
      }
      case 'zone': {
        if (!ref) return [];
        return zoneLines(await reader.zoneConfiguration(ref)).map((line, i) => leaf(String(i), { label: line }, 'symbol-property'));
      }
    }
  }

  dispose(): void {
    for (const load of this.loads.values()) load.abort();
    this.changed.dispose();
    this.connectedEmitter.dispose();
  }
}
