// The schema as the statements build it, in order: databases with their regions and survival
// goal, tables with columns, keys, indexes and locality. In the editor it spans the workspace's
// .sql files (in file-name order); in the CLI, the files given.
import type * as ast from '../../../sql/src/ast';
import { resolveName } from '../../../sql/src/names';

export interface Location {
  uri: string;
  start: number;
  end: number;
}

export interface DatabaseInfo {
  name: string;
  primaryRegion?: string;
  secondaryRegion?: string;
  /** Every region of the database, the primary one included. */
  regions: Set<string>;
  survival: 'zone' | 'region';
}

export interface ColumnInfo {
  name: string;
  type?: string;
  definition: ast.Column;
}

export interface IndexInfo {
  name?: string;
  kind: 'index' | 'unique' | 'primary';
  columns: string[];
  hashSharded: boolean;
}

/**
 * A table. Built lazily from its CREATE TABLE: replaying a workspace of 1,000 tables on every
 * keystroke must not allocate their columns and indexes until something asks.
 */
export class TableInfo {
  private columnMap: Map<string, ColumnInfo> | undefined;
  private indexList: IndexInfo[] | undefined;
  private key: string[] | undefined;
  locality?: ast.Locality['kind'];
  localityRegion?: string;

  constructor(
    readonly database: string,
    public name: string,
    private readonly definition: ast.CreateTable,
    private readonly uri: string,
    private readonly offset: number,
  ) {
    if (definition.locality) {
      this.locality = definition.locality.kind;
      if (definition.locality.kind === 'regional-by-table' && definition.locality.region)
        this.localityRegion = definition.locality.region.value;
    }
  }

  /** Where the table is named in its CREATE TABLE (go to definition). */
  get location(): Location {
    const name = this.definition.name.name;
    return { uri: this.uri, start: this.offset + name.start, end: this.offset + name.end };
  }

  get columns(): Map<string, ColumnInfo> {
    if (!this.columnMap) {
      this.columnMap = new Map();
      for (const column of this.definition.columns) {
        const info: ColumnInfo = { name: column.name.value, definition: column };
        if (column.type) info.type = column.type.name;
        this.columnMap.set(info.name, info);
      }
    }
    return this.columnMap;
  }

  private readonly added: ast.IndexDef[] = [];

  /** A CREATE INDEX on this table, kept as is until someone asks for the indexes. */
  addIndex(index: ast.IndexDef): void {
    if (this.indexList) this.indexList.push(indexInfo(index));
    else this.added.push(index);
  }

  /** Undoes the last addIndex (undo runs in exact reverse order, so it is the last entry). */
  removeLastIndex(): void {
    if (this.indexList) this.indexList.pop();
    else this.added.pop();
  }

  /** A copy to change, so that the original can be put back (ALTER TABLE, undone). */
  clone(): TableInfo {
    const copy = new TableInfo(this.database, this.name, this.definition, this.uri, this.offset);
    if (this.columnMap) copy.columnMap = new Map(this.columnMap);
    if (this.indexList) copy.indexList = [...this.indexList];
    copy.added.push(...this.added);
    if (this.key) copy.key = this.key;
    if (this.locality === undefined) delete copy.locality;
    else copy.locality = this.locality;
    if (this.localityRegion === undefined) delete copy.localityRegion;
    else copy.localityRegion = this.localityRegion;
    return copy;
  }

  get indexes(): IndexInfo[] {
    if (!this.indexList) {
      this.indexList = this.definition.indexes.map((index) => indexInfo(index));
      for (const index of this.added) this.indexList.push(indexInfo(index));
      this.added.length = 0;
    }
    return this.indexList;
  }

  /** Primary key column names; empty when the table has the hidden rowid key. */
  get primaryKey(): string[] {
    this.key ??= this.definition.primaryKey ? keyColumns(this.definition.primaryKey) : [];
    return this.key;
  }

  set primaryKey(columns: string[]) {
    this.key = columns;
  }
}

export const DEFAULT_DATABASE = 'defaultdb';

export class SchemaModel {
  readonly databases = new Map<string, DatabaseInfo>();
  readonly tables = new Map<string, TableInfo>();
  /** Zone configuration settings per target (`database:d`, `table:d.t`, `index:…`), as written. */
  readonly zones = new Map<string, ReadonlyMap<string, string>>();
  currentDatabase = DEFAULT_DATABASE;
  /**
   * While set, the keys (`db:<name>`, `t:<db>.<table>`, `current`) that lookups read: what a
   * rule's findings depend on, so unchanged statements can reuse their findings.
   */
  reads: string[] | undefined;

  private read(key: string): void {
    const reads = this.reads;
    if (reads && !reads.includes(key)) reads.push(key);
  }
  /**
   * Per key, a fingerprint of the statements that shaped it, in order: a 32-bit hash of their
   * ids plus 2^32 times their count (exact in a double, and cheap on every keystroke).
   */
  private readonly versions = new Map<string, number>();

  /** While set, every change pushes the function that reverts it (see undoTo). */
  undoLog: (() => void)[] | undefined;

  /** Reverts changes back to the given length of the undo log, newest first. */
  undoTo(mark: number): void {
    const log = this.undoLog;
    if (!log) return;
    while (log.length > mark) log.pop()?.();
  }

  /** Sets (or, for undefined, deletes) a map entry, logging how to put the old one back. */
  private setEntry<V>(map: Map<string, V>, key: string, value: V | undefined): void {
    if (this.undoLog) {
      const had = map.has(key);
      const previous = map.get(key);
      // A deleted entry goes back where it was, not last: the order shows (completion lists, a
      // rule's message, findTable across databases). Deletions are rare (renames, DISCARD).
      const position = had && value === undefined ? [...map.keys()].indexOf(key) : -1;
      this.undoLog.push(() => {
        if (position !== -1) {
          const entries = [...map];
          entries.splice(position, 0, [key, previous as V]);
          map.clear();
          for (const [k, v] of entries) map.set(k, v);
        } else if (had) map.set(key, previous as V);
        else map.delete(key);
      });
    }
    if (value === undefined) map.delete(key);
    else map.set(key, value);
  }

  private setDatabase(name: string, database: DatabaseInfo | undefined): void {
    this.setEntry(this.databases, name, database);
  }

  private setTable(key: string, table: TableInfo | undefined): void {
    this.setEntry(this.tables, key, table);
  }

  /** Changes whenever a statement that shapes `key` changes, appears or goes away. */
  version(key: string): number {
    return this.versions.get(key) ?? 0;
  }

  private touch(key: string, statement: ast.ParsedStatement): void {
    const previous = this.versions.get(key) ?? 0;
    const count = Math.floor(previous / 2 ** 32) + 1;
    const hash = Math.imul((previous >>> 0) ^ statement.id, 0x9e3779b1) >>> 0;
    this.setEntry(this.versions, key, count * 2 ** 32 + hash);
  }

  constructor() {
    this.databases.set(DEFAULT_DATABASE, { name: DEFAULT_DATABASE, regions: new Set(), survival: 'zone' });
  }

  database(name?: string): DatabaseInfo | undefined {
    if (name === undefined) this.read('current');
    const key = name ?? this.currentDatabase;
    this.read(`db:${key}`);
    return this.databases.get(key);
  }

  /** The database a (possibly qualified) object name lives in. */
  databaseOf(name: ast.QualifiedName): string {
    if (name.parts.length < 3) this.read('current');
    const isDatabase = (database: string): boolean => {
      this.read(`db:${database}`);
      return this.databases.has(database);
    };
    return resolveName(
      name.parts.map((p) => p.value),
      this.currentDatabase,
      isDatabase,
    ).database;
  }

  private tableKey(database: string, table: string): string {
    return `${database}.${table}`;
  }

  /** The database a (possibly qualified) object name lives in, if the model knows it. */
  databaseFor(name: ast.QualifiedName): DatabaseInfo | undefined {
    return this.database(this.databaseOf(name));
  }

  /** A table by bare name: in the current database first, else in any (for hover, completion, definition). */
  findTable(name: string): TableInfo | undefined {
    return this.tableByName(this.currentDatabase, name) ?? [...this.tables.values()].find((table) => table.name === name);
  }

  table(name: ast.QualifiedName): TableInfo | undefined {
    return this.tableByName(this.databaseOf(name), name.name.value);
  }

  tableByName(database: string, name: string): TableInfo | undefined {
    const key = this.tableKey(database, name);
    this.read(`t:${key}`);
    return this.tables.get(key);
  }

  /** The zone key of a table: `table:<database>.<table>`. */
  tableZoneKey(name: ast.QualifiedName): string {
    return `table:${this.tableKey(this.databaseOf(name), name.name.value)}`;
  }

  /** The settings a CONFIGURE ZONE gave a target, if any. */
  zone(key: string): ReadonlyMap<string, string> | undefined {
    this.read(`z:${key}`);
    return this.zones.get(key);
  }

  private applyZone(key: string, zone: ast.ConfigureZone, parsed: ast.ParsedStatement): void {
    this.touch(`z:${key}`, parsed);
    if (zone.discard) {
      this.setEntry(this.zones, key, undefined);
      return;
    }
    const settings = new Map(this.zones.get(key) ?? []);
    for (const setting of zone.settings) settings.set(setting.name, setting.value.text);
    this.setEntry(this.zones, key, settings);
  }

  /** Applies one statement. `offset` turns the statement's relative spans into document offsets. */
  apply(parsed: ast.ParsedStatement, uri: string, offset: number): void {
    const statement = parsed.statement;
    switch (statement.type) {
      case 'create-table':
        this.applyCreateTable(statement, parsed, uri, offset);
        return;
      case 'create-index': {
        const key = this.tableKey(this.databaseOf(statement.table), statement.table.name.value);
        this.touch(`t:${key}`, parsed);
        const table = this.tables.get(key);
        if (table) {
          table.addIndex(statement.index);
          this.undoLog?.push(() => {
            table.removeLastIndex();
          });
        }
        return;
      }
      case 'create-database': {
        if (!statement.name.value) return;
        const regions = new Set<string>();
        if (statement.primaryRegion) regions.add(statement.primaryRegion.value);
        statement.regions.forEach((r) => regions.add(r.value));
        const database: DatabaseInfo = {
          name: statement.name.value,
          regions,
          survival: statement.survival?.goal ?? 'zone',
        };
        if (statement.primaryRegion) database.primaryRegion = statement.primaryRegion.value;
        if (statement.secondaryRegion) database.secondaryRegion = statement.secondaryRegion.value;
        if (!(statement.ifNotExists && this.databases.has(database.name))) this.setDatabase(database.name, database);
        this.touch(`db:${database.name}`, parsed);
        return;
      }
      case 'alter-database': {
        const database = this.databases.get(statement.name.value);
        const action = statement.action;
        this.touch(`db:${statement.name.value}`, parsed);
        if (action?.kind === 'rename') this.touch(`db:${action.to.value}`, parsed);
        if (action?.kind === 'configure-zone') {
          this.applyZone(`database:${statement.name.value}`, action.zone, parsed);
          return;
        }
        if (!database || !action) return;
        // Changed on a copy, so that undo can put the original back.
        const changed: DatabaseInfo = { ...database, regions: new Set(database.regions) };
        if (action.kind === 'primary-region') {
          changed.primaryRegion = action.region.value;
          changed.regions.add(action.region.value);
        } else if (action.kind === 'add-region') changed.regions.add(action.region.value);
        else if (action.kind === 'drop-region') {
          changed.regions.delete(action.region.value);
          if (changed.primaryRegion === action.region.value) delete changed.primaryRegion;
        } else if (action.kind === 'survive') changed.survival = action.survival.goal;
        else if (action.kind === 'secondary-region') {
          if (action.region) changed.secondaryRegion = action.region.value;
          else delete changed.secondaryRegion;
        } else if (action.kind === 'rename') {
          this.setDatabase(database.name, undefined);
          changed.name = action.to.value;
        }
        this.setDatabase(changed.name, changed);
        return;
      }
      case 'use':
        this.touch('current', parsed);
        this.touch(`db:${statement.database.value}`, parsed);
        if (this.undoLog) {
          const previous = this.currentDatabase;
          this.undoLog.push(() => {
            this.currentDatabase = previous;
          });
        }
        this.currentDatabase = statement.database.value;
        if (!this.databases.has(this.currentDatabase))
          this.setDatabase(this.currentDatabase, { name: this.currentDatabase, regions: new Set(), survival: 'zone' });
        return;
      case 'alter-table':
        this.touch(`t:${this.tableKey(this.databaseOf(statement.name), statement.name.name.value)}`, parsed);
        for (const command of statement.commands) {
          if (command.kind === 'rename-table') this.touch(`t:${this.tableKey(this.databaseOf(command.to), command.to.name.value)}`, parsed);
        }
        for (const command of statement.commands) {
          if (command.kind === 'configure-zone') this.applyZone(this.tableZoneKey(statement.name), command.zone, parsed);
        }
        this.applyAlterTable(statement);
        return;
      case 'configure-zone': {
        const target = statement.zone.target;
        if (target) {
          const name = target.name?.parts.map((p) => p.value).join('.') ?? '';
          this.applyZone(`${target.kind}:${name}${target.partition ? `#${target.partition.value}` : ''}`, statement.zone, parsed);
        }
        return;
      }
      default:
        return;
    }
  }

  private applyCreateTable(statement: ast.CreateTable, parsed: ast.ParsedStatement, uri: string, offset: number): void {
    if (!statement.name.name.value) return;
    const database = this.databaseOf(statement.name);
    const key = this.tableKey(database, statement.name.name.value);
    this.touch(`t:${key}`, parsed);
    if (statement.ifNotExists && this.tables.has(key)) return;
    this.setTable(key, new TableInfo(database, statement.name.name.value, statement, uri, offset));
  }

  private applyAlterTable(statement: ast.AlterTable): void {
    const original = this.table(statement.name);
    if (!original) return;
    // Changed on a copy, so that undo can put the original back.
    const table = original.clone();
    const key = this.tableKey(original.database, original.name);
    this.setTable(key, table);
    for (const command of statement.commands) {
      switch (command.kind) {
        case 'add-column': {
          const info: ColumnInfo = { name: command.column.name.value, definition: command.column };
          if (command.column.type) info.type = command.column.type.name;
          table.columns.set(info.name, info);
          if (command.column.primaryKey) table.primaryKey = [info.name];
          break;
        }
        case 'drop-column':
          table.columns.delete(command.column.value);
          break;
        case 'set-locality':
          table.locality = command.locality.kind;
          if (command.locality.kind === 'regional-by-table' && command.locality.region)
            table.localityRegion = command.locality.region.value;
          else delete table.localityRegion;
          break;
        case 'alter-primary-key':
          table.primaryKey = keyColumns(command.index);
          break;
        case 'add-constraint':
          if (command.index?.kind === 'primary') table.primaryKey = keyColumns(command.index);
          else if (command.index) table.indexes.push(indexInfo(command.index));
          break;
        case 'rename-table': {
          this.setTable(this.tableKey(table.database, table.name), undefined);
          table.name = command.to.name.value;
          this.setTable(this.tableKey(table.database, table.name), table);
          break;
        }
        default:
          break;
      }
    }
  }
}

export function keyColumns(index: ast.IndexDef): string[] {
  return index.columns.map((column) => column.name?.value ?? `(${column.expr?.text ?? ''})`);
}

function indexInfo(index: ast.IndexDef): IndexInfo {
  const info: IndexInfo = {
    kind: index.kind,
    columns: keyColumns(index),
    hashSharded: index.usingHash !== undefined,
  };
  if (index.name) info.name = index.name.value;
  return info;
}
