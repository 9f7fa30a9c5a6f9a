// The schema explorer's wiring: the tree view `crdbStudio.explorer` in the crdb-studio
// activity-bar container, its actions on a table (Select Top 100 Rows, Show CREATE, EXPLAIN, Open
// in Topology View, Copy Qualified Name), the refresh after DDL the editor ran, and the catalog
// summary for the language server.
import * as vscode from 'vscode';
import { qualifiedName } from '../../../runner/src/catalog/reader';
import type { RunController } from '../run/runController';
import type { Targets } from '../run/targets';
import { CatalogSync, type CatalogSink } from './catalogSync';
import { ExplorerProvider, type ExplorerNode } from './explorerProvider';
import { changesCatalog, explainSelect, selectTop, showCreate } from './statements';

export const EXPLORER_VIEW_ID = 'crdbStudio.explorer';

export interface Explorer {
  readonly provider: ExplorerProvider;
  readonly view: vscode.TreeView<ExplorerNode>;
  readonly catalog: CatalogSync;
  dispose(): void;
}

type TableNode = Extract<ExplorerNode, { kind: 'table' }>;

function isTableNode(value: unknown): value is TableNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'table';
}

export function createExplorer(
  runs: RunController,
  targets: Targets,
  sink: CatalogSink,
  output: vscode.LogOutputChannel,
): { explorer: Explorer; commands: Record<string, (...args: unknown[]) => unknown> } {
  const provider = new ExplorerProvider(runs, targets);
  const view = vscode.window.createTreeView(EXPLORER_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const catalog = new CatalogSync(provider, runs, targets, sink, output);
  const subscriptions: { dispose(): unknown }[] = [
    view,
    provider,
    catalog,
    view.onDidCollapseElement((event) => {
      provider.collapsed(event.element);
    }),
    // The tree lists every target, so choosing another one changes nothing in it; DDL does.
    runs.onDidFinishRun((run) => {
      if (changesCatalog(run.statements)) provider.refresh();
    }),
  ];

  /** Runs SQL about a table through the normal run path (results view), on the table's target. */
  const runOn = async (node: TableNode, sql: string, source: string): Promise<unknown> => {
    if (targets.current().id !== node.target.id) await targets.setCurrent(node.target.id);
    const document = await vscode.workspace.openTextDocument({ language: 'sql', content: `${sql};\n` });
    await vscode.window.showTextDocument(document, { preview: true, preserveFocus: true });
    return runs.run({ source, document, statements: [{ text: sql, start: 0 }], kind: 'sql' });
  };
  const label = (node: TableNode): string => `${node.ref.database}.${node.ref.name}`;

  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'crdbStudio.explorer.refresh': () => {
      provider.refresh();
    },
    'crdbStudio.explorer.selectTop': (node: unknown) =>
      isTableNode(node) ? runOn(node, selectTop(node.ref), `Top 100 of ${label(node)}`) : undefined,
    'crdbStudio.explorer.showCreate': (node: unknown) =>
      isTableNode(node) ? runOn(node, showCreate(node.ref), `SHOW CREATE ${label(node)}`) : undefined,
    'crdbStudio.explorer.explain': (node: unknown) =>
      isTableNode(node) ? runOn(node, explainSelect(node.ref), `EXPLAIN ${label(node)}`) : undefined,
    'crdbStudio.explorer.copyName': async (node: unknown) => {
      if (!isTableNode(node)) return undefined;
      const name = qualifiedName(node.ref);
      await vscode.env.clipboard.writeText(name);
      return name;
    },
    // The topology view reads the current target; its own table picker chooses what to detail.
    'crdbStudio.explorer.openTopology': async (node: unknown) => {
      if (isTableNode(node) && targets.current().id !== node.target.id) await targets.setCurrent(node.target.id);
      return vscode.commands.executeCommand('crdbStudio.showTopology');
    },
  };

  const explorer: Explorer = {
    provider,
    view,
    catalog,
    dispose: () => {
      for (const s of subscriptions) s.dispose();
    },
  };
  return { explorer, commands };
}
