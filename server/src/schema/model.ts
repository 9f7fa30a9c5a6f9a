// The schema as the statements build it, in order: databases with their regions and survival
// goal, tables with columns, keys, indexes, foreign keys and locality. In the editor it spans the
// workspace's .sql files (in file-name order); in the CLI, the files given.
//
// It follows every DDL statement a migration uses (CREATE / DROP / RENAME of tables, columns,
// indexes and constraints, ALTER COLUMN, SET LOCALITY, primary key changes, regions), and
// remembers which statement shaped what (an Origin), so that findings about the schema's shape
// can be put on the statement of a file that last shaped the object. Of the rows it knows only
// whether any were written to a table since its CREATE TABLE (rules excuse a table still empty).
import type * as ast from '../../../sql/src/ast';
import { resolveName } from '../../../sql/src/names';
import { RankedMap, type Rank } from './rankedMap';

export interface Location {
  uri: string;
  start: number;
  end: number;
}

/** A statement that shaped part of the schema: spans in its tree are relative to `offset`. */
export interface Origin {
  readonly parsed: ast.ParsedStatement;
  readonly uri: string;
  readonly offset: number;
}

/**
 * An Origin whose offset is read from the statement as the document has it now: an edit above
 * moves the statement, and the model need not be built again for that.
 */
class LiveOrigin implements Origin {
  constructor(
    readonly parsed: ast.ParsedStatement,
    readonly uri: string,
    private readonly at: { readonly offset: number },
  ) {}

  get offset(): number {
    return this.at.offset;
  }
}

/**
 * What one statement's application depended on: the keys it read or changed, each with its
 * stamp before the statement, and whether it looked at every table (then nothing says it would do
 * the same again).
 */
export interface AppliedAccess {
  keys: KeyState[];
  stamps: number[];
  /** The keys it changed (touched), a subset of `keys`: what later statements that use them depend on. */
  writes?: KeyState[];
  volatile?: boolean;
}

/**
 * A key's version and stamp (see SchemaModel.version and SchemaModel.stamps). One object per key
 * for the model's life, changed in place: undoing and redoing a statement sets two fields, and a
 * statement's access holds the objects, so checking it looks nothing up.
 */
export interface KeyState {
  readonly key: string;
  version: number;
  stamp: number;
}

export interface DatabaseInfo {
  name: string;
  primaryRegion?: string;
  secondaryRegion?: string;
  /** Every region of the database, the primary one included. */
  regions: Set<string>;
  survival: 'zone' | 'region';
  /**
   * Set when the schema says what the database is (CREATE DATABASE, ALTER DATABASE … REGION,
   * `databases` in .crdb-studio.json). Unset for databases only named (USE, defaultdb): rules
   * that need its regions must not guess about those.
   */
  declared?: true;
  /** An undeclared database that a LOCALITY or a region column showed to be multi-region. */
  assumedMultiRegion?: true;
}

export interface ColumnInfo {
  name: string;
  type?: string;
  /** The column as written; its spans are relative to `origin`. */
  definition: ast.Column;
  /** The statement that defined it (CREATE TABLE, ADD COLUMN). */
  origin?: Origin;
  notNull?: boolean;
  /** The default as it stands (ALTER COLUMN SET / DROP DEFAULT change it). */
  default?: ast.Expr;
  /** The last statement that changed the column after its definition (ALTER COLUMN, RENAME COLUMN). */
  alteredBy?: Origin;
}

export interface IndexInfo {
  name?: string;
  kind: 'index' | 'unique' | 'primary';
  columns: string[];
  hashSharded: boolean;
  /** Per key column: written DESC. */
  descending?: boolean[];
  storing?: string[];
  /** WHERE (partial), INVERTED, VECTOR, an explicit PARTITION BY: not an ordinary B-tree over all rows. */
  special?: boolean;
  /** The index as written; its spans are relative to `origin`. */
  definition?: ast.IndexDef;
  origin?: Origin;
  /** The statement that last renamed it, if any. */
  renamedBy?: Origin;
}

export interface ForeignKeyInfo {
  foreignKey: ast.ForeignKey;
  /** Referencing columns, as they are named now. */
  columns: string[];
  origin: Origin;
  name?: string;
}

/** A column that references another table's column through a foreign key. */
export interface ColumnReference {
  /** The referencing table, and its column. */
  table: TableInfo;
  column: string;
  /** The referencing column's definition and the statement that holds it (to edit its type). */
  definition?: ast.Column;
  definedAt?: Origin;
  /** The foreign key, and the statement that declares it (CREATE TABLE or ALTER TABLE … ADD CONSTRAINT). */
  foreignKey: ast.ForeignKey;
  declaredAt: Origin;
}

/**
 * A table. Built lazily from its CREATE TABLE: replaying a workspace of 1,000 tables on every
 * keystroke must not allocate their columns and indexes until something asks.
 */
export class TableInfo {
  private columnMap: Map<string, ColumnInfo> | undefined;
  private indexList: IndexInfo[] | undefined;
  private primary: IndexInfo | null | undefined;
  private foreignKeyList: ForeignKeyInfo[] | undefined;
  locality?: ast.Locality['kind'];
  localityRegion?: string;
  /** The statement that last set the locality (the CREATE TABLE while none changed it). */
  localityOrigin: Origin;
  /** The statement that last set the primary key. */
  keyOrigin: Origin;
  /** The statement that last renamed the table, if any. */
  renamedBy?: Origin;
  /** The last COPY or IMPORT before the CREATE TABLE (see SchemaModel.rowsWritten). */
  bulkWriteBefore?: Origin;
  /**
   * A statement that may have changed the columns otherwise than the model knows: an ALTER TABLE
   * the parser could not read whole, or a CREATE TABLE IF NOT EXISTS that found the table already
   * defined (a schema dump read before the migrations that built it: they assume other columns).
   */
  uncertainBy?: Origin;

  constructor(
    readonly database: string,
    public name: string,
    readonly definition: ast.CreateTable,
    readonly origin: Origin,
  ) {
    this.localityOrigin = origin;
    this.keyOrigin = origin;
    if (definition.locality) {
      this.locality = definition.locality.kind;
      if (definition.locality.kind === 'regional-by-table' && definition.locality.region)
        this.localityRegion = definition.locality.region.value;
    }
  }

  get uri(): string {
    return this.origin.uri;
  }

  /** Whether the model knows every column the table has: none came from a query, a LIKE, or a statement it could not read. */
  get columnsKnown(): boolean {
    const definition = this.definition;
    return !definition.asSelect && !definition.like && this.origin.parsed.errors.length === 0 && !this.uncertainBy;
  }

  /** Where the table is named in its CREATE TABLE (go to definition). */
  get location(): Location {
    const name = this.definition.name.name;
    return { uri: this.origin.uri, start: this.origin.offset + name.start, end: this.origin.offset + name.end };
  }

  get columns(): Map<string, ColumnInfo> {
    if (!this.columnMap) {
      this.columnMap = new Map();
      for (const column of this.definition.columns) {
        const info = columnInfo(column, this.origin);
        this.columnMap.set(info.name, info);
      }
    }
    return this.columnMap;
  }

  private readonly added: IndexInfo[] = [];

  /** A CREATE INDEX on this table, kept as is until someone asks for the indexes. */
  addIndex(index: IndexInfo): void {
    if (this.indexList) this.indexList.push(index);
    else this.added.push(index);
  }

  /** Undoes the last addIndex (undo runs in exact reverse order, so it is the last entry). */
  removeLastIndex(): void {
    if (this.indexList) this.indexList.pop();
    else this.added.pop();
  }

  /** Whether a secondary index of this name exists, without building the index list. */
  hasIndex(name: string): boolean {
    if (this.indexList) return this.indexList.some((index) => index.name === name);
    return (
      this.added.some((index) => index.name === name) ||
      this.definition.indexes.some((index) => this.defaultName(index, this.definition.name.name.value) === name)
    );
  }

  /** A copy to change, so that the original can be put back (ALTER TABLE, undone); in another database after a rename. */
  clone(database = this.database): TableInfo {
    const copy = new TableInfo(database, this.name, this.definition, this.origin);
    if (this.columnMap) copy.columnMap = new Map(this.columnMap);
    if (this.indexList) copy.indexList = [...this.indexList];
    if (this.primary !== undefined) copy.primary = this.primary;
    if (this.foreignKeyList) copy.foreignKeyList = [...this.foreignKeyList];
    copy.added.push(...this.added);
    if (this.locality === undefined) delete copy.locality;
    else copy.locality = this.locality;
    if (this.localityRegion === undefined) delete copy.localityRegion;
    else copy.localityRegion = this.localityRegion;
    copy.localityOrigin = this.localityOrigin;
    copy.keyOrigin = this.keyOrigin;
    if (this.renamedBy) copy.renamedBy = this.renamedBy;
    if (this.bulkWriteBefore) copy.bulkWriteBefore = this.bulkWriteBefore;
    if (this.uncertainBy) copy.uncertainBy = this.uncertainBy;
    return copy;
  }

  /** The secondary indexes and UNIQUE constraints (not the primary key). */
  get indexes(): IndexInfo[] {
    if (!this.indexList) {
      const created = this.definition.name.name.value;
      const defined = this.definition.indexes.map((index) => indexInfo(index, this.origin, this.defaultName(index, created)));
      // Joined, not pushed onto: an array grown by push keeps room for ~16 more (see parser's compact).
      this.indexList = this.added.length === 0 ? defined : [...defined, ...this.added];
      this.added.length = 0;
    }
    return this.indexList;
  }

  set indexes(list: IndexInfo[]) {
    this.indexList = list;
    this.added.length = 0;
  }

  /** The primary index; undefined when the table has the hidden rowid key. */
  get primaryIndex(): IndexInfo | undefined {
    if (this.primary === undefined) {
      const key = this.definition.primaryKey;
      this.primary = key ? indexInfo(key, this.origin, key.name?.value ?? `${this.definition.name.name.value}_pkey`) : null;
    }
    return this.primary ?? undefined;
  }

  set primaryIndex(index: IndexInfo | undefined) {
    this.primary = index ?? null;
  }

  /** Primary key column names; empty when the table has the hidden rowid key. */
  get primaryKey(): string[] {
    return this.primaryIndex?.columns ?? [];
  }

  set primaryKey(columns: string[]) {
    this.primaryIndex = { kind: 'primary', name: `${this.name}_pkey`, columns, hashSharded: false };
  }

  get foreignKeys(): ForeignKeyInfo[] {
    this.foreignKeyList ??= this.definition.foreignKeys.map((foreignKey) => foreignKeyInfo(foreignKey, this.origin));
    return this.foreignKeyList;
  }

  set foreignKeys(list: ForeignKeyInfo[]) {
    this.foreignKeyList = list;
  }

  /** The name CockroachDB gives an index written without one (from the table's name when it was created). */
  defaultName(index: ast.IndexDef, table = this.name): string {
    return index.name?.value ?? defaultIndexName(table, index);
  }
}

/** `<table>_<columns>_idx`, `…_key` for UNIQUE, `<table>_pkey`: the names CockroachDB generates. */
export function defaultIndexName(table: string, index: ast.IndexDef): string {
  if (index.kind === 'primary') return `${table}_pkey`;
  const parts = index.columns.map((column) => column.name?.value ?? 'expr');
  return `${[table, ...parts].join('_')}_${index.kind === 'unique' ? 'key' : 'idx'}`;
}

function columnInfo(column: ast.Column, origin: Origin): ColumnInfo {
  // Every property the info can get is in the literal (unset ones undefined): one added later
  // would go to a separately allocated property array, ~40 bytes more for each column kept.
  return {
    name: column.name.value,
    definition: column,
    origin,
    notNull: column.notNull || column.primaryKey !== undefined,
    type: column.type?.name,
    default: column.default,
    alteredBy: undefined,
  };
}

function foreignKeyInfo(foreignKey: ast.ForeignKey, origin: Origin): ForeignKeyInfo {
  const info: ForeignKeyInfo = { foreignKey, columns: foreignKey.columns.map((c) => c.value), origin };
  if (foreignKey.name) info.name = foreignKey.name.value;
  return info;
}

export const DEFAULT_DATABASE = 'defaultdb';

/** A database as `.crdb-studio.json` declares it (its DDL lives elsewhere). */
export interface DeclaredDatabase {
  regions?: readonly string[];
  primaryRegion?: string;
  secondaryRegion?: string;
  survivalGoal?: 'zone' | 'region';
}

export class SchemaModel {
  readonly databases = new RankedMap<string, DatabaseInfo>();
  readonly tables = new RankedMap<string, TableInfo>();
  /** Zone configuration settings per target (`database:d`, `table:d.t`, `index:…`), as written. */
  readonly zones = new RankedMap<string, ReadonlyMap<string, string>>();
  currentDatabase = DEFAULT_DATABASE;
  /**
   * While set, the keys (`db:<name>`, `t:<db>.<table>`, `current`) that lookups read: what a
   * rule's findings depend on, so unchanged statements can reuse their findings.
   */
  reads: string[] | undefined;
  /**
   * While set, every table key (`t:<db>.<table>`) a statement shapes is pushed here (and popped
   * on undo): the tables a file created or changed, whose shape is judged at the file's end.
   */
  touchLog: string[] | undefined;
  /**
   * Per table, by its CREATE TABLE (the Origin, which clones and renames keep and which is new
   * each time a statement is applied), the first statement since then that wrote rows to it: an
   * INSERT, UPSERT, UPDATE or DELETE naming it. Versioned as `rows:<db>.<table>`, touched by
   * the CREATE TABLE, the first write and renames only: editing a later write re-checks nothing.
   */
  private readonly firstWrites = new RankedMap<Origin, Origin>();
  /** The last COPY or IMPORT (versioned as `rows:*`): their target is not read, so they count for every table. */
  private lastBulkWrite: Origin | undefined;

  private read(key: string): void {
    const reads = this.reads;
    if (reads && !reads.includes(key)) reads.push(key);
    const access = this.access;
    if (access) {
      const state = this.state(key);
      if (!access.keys.includes(state)) {
        access.keys.push(state);
        access.stamps.push(state.stamp);
      }
    }
  }

  /** The key's state, made (with no version and no stamp) the first time it is asked for. */
  private state(key: string): KeyState {
    let state = this.keyStates.get(key);
    if (!state) {
      state = { key, version: 0, stamp: 0 };
      this.keyStates.set(key, state);
    }
    return state;
  }

  /** The key's state (see KeyState): what the lint session indexes statements by. */
  stateOf(key: string): KeyState {
    return this.state(key);
  }

  /** While set (by a lint session applying a statement of its file), where the keys it inserts go (RankedMap). */
  rank: Rank | undefined;

  /**
   * While set, the keys a statement's application reads or changes, each with its stamp before
   * the statement: the statement would change the model the same way again while every one of
   * them still has that stamp (see AppliedAccess).
   */
  access: AppliedAccess | undefined;
  /**
   * Per key: its version, a fingerprint of the statements that shaped it, in order (a 32-bit hash
   * of their ids plus 2^32 times their count: exact in a double, and cheap on every keystroke);
   * and its stamp, which application of a statement last changed it (a number never used
   * before, so unlike the version it changes when the same statement is applied again: it may
   * then build new objects, which later statements' logged changes must not be replayed over).
   * 0 is none. A key's state stays once made, so undoing and redoing does not rebuild the map.
   */
  private readonly keyStates = new Map<string, KeyState>();
  private static nextStamp = 1;

  /** While set, every change pushes the function that reverts it (see undoTo). */
  undoLog: (() => void)[] | undefined;
  /**
   * While set (with undoLog), every change also pushes the function that makes it again, at the
   * same place: a statement whose inputs are unchanged is replayed from these, not applied anew.
   */
  redoLog: (() => void)[] | undefined;

  /** Logs a change: how to revert it, and how to make it again. */
  private log(undo: () => void, redo: () => void): void {
    this.undoLog?.push(undo);
    this.redoLog?.push(redo);
  }

  /** Reverts changes back to the given length of the undo log, newest first. */
  undoTo(mark: number): void {
    const log = this.undoLog;
    if (!log) return;
    while (log.length > mark) log.pop()?.();
  }

  /** Sets (or, for undefined, deletes) a map entry, logging how to put the old one back. */
  private setEntry<K, V>(map: RankedMap<K, V>, key: K, value: V | undefined): void {
    const rank = this.rank;
    if (this.undoLog) {
      // A deleted entry goes back to its place, not last: the order shows (completion lists, a
      // rule's message, findTable across databases). RankedMap keeps the places.
      const previous = map.get(key);
      const order = map.orderOf(key);
      this.log(
        () => {
          map.restore(key, previous, order);
        },
        () => {
          map.put(key, value, rank);
        },
      );
    }
    map.put(key, value, rank);
  }

  private setDatabase(name: string, database: DatabaseInfo | undefined): void {
    this.read(`db:${name}`);
    this.setEntry(this.databases, name, database);
  }

  private setTable(key: string, table: TableInfo | undefined): void {
    this.read(`t:${key}`);
    this.setEntry(this.tables, key, table);
  }

  /** Whether every key a statement's application read or changed still has the stamp it had then. */
  unchangedSince(access: AppliedAccess): boolean {
    const { keys, stamps } = access;
    for (let i = 0; i < keys.length; i++) if (keys[i]?.stamp !== stamps[i]) return false;
    return true;
  }

  /** Changes whenever a statement that shapes `key` changes, appears or goes away. */
  version(key: string): number {
    return this.keyStates.get(key)?.version ?? 0;
  }

  /**
   * Marks `key` as shaped by `statement`. `from` is the key the object had before (a rename): its
   * version carries over, so that what depends on the new name changes with the statements that
   * built the object under its old one.
   */
  private touch(key: string, statement: ast.ParsedStatement, from?: string): void {
    this.read(key);
    if (from !== undefined) this.read(from);
    const state = this.state(key);
    const base = state.version;
    const inherited = from === undefined ? 0 : this.version(from);
    const count = Math.floor(base / 2 ** 32) + 1;
    const mixed = (base >>> 0) ^ statement.id ^ Math.imul((inherited >>> 0) ^ Math.floor(inherited / 2 ** 32), 0x85ebca6b);
    const hash = Math.imul(mixed, 0x9e3779b1) >>> 0;
    // Only tables are judged for their shape: only their keys are logged.
    const touched = key.startsWith('t:') ? this.touchLog : undefined;
    touched?.push(key);
    this.access?.writes?.push(state);
    const version = count * 2 ** 32 + hash;
    if (this.undoLog) {
      const previousStamp = state.stamp;
      const stamp = SchemaModel.nextStamp++;
      state.stamp = stamp;
      this.log(
        () => {
          state.version = base;
          state.stamp = previousStamp;
          touched?.pop();
        },
        () => {
          state.version = version;
          state.stamp = stamp;
          touched?.push(key);
        },
      );
    }
    state.version = version;
  }

  constructor() {
    this.databases.set(DEFAULT_DATABASE, { name: DEFAULT_DATABASE, regions: new Set(), survival: 'zone' });
  }

  /** Declares databases whose DDL is not among the files (.crdb-studio.json), before any statement. */
  declareDatabases(declared: Readonly<Record<string, DeclaredDatabase>>): void {
    for (const [name, declaration] of Object.entries(declared)) {
      const regions = new Set(declaration.regions ?? []);
      if (declaration.primaryRegion) regions.add(declaration.primaryRegion);
      const database: DatabaseInfo = { name, regions, survival: declaration.survivalGoal ?? 'zone', declared: true };
      if (declaration.primaryRegion) database.primaryRegion = declaration.primaryRegion;
      if (declaration.secondaryRegion) database.secondaryRegion = declaration.secondaryRegion;
      this.setDatabase(name, database);
    }
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
    // A bare name, as most are, is in the current database (as resolveName says), without the copy of its parts.
    if (name.parts.length === 1) return this.currentDatabase;
    return this.resolveDatabase(
      name.parts.map((p) => p.value),
      this.currentDatabase,
    );
  }

  private resolveDatabase(parts: string[], current: string): string {
    const isDatabase = (database: string): boolean => {
      this.read(`db:${database}`);
      return this.databases.has(database);
    };
    return resolveName(parts, current, isDatabase).database;
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

  /**
   * The columns of other tables (or of the table itself) whose foreign keys reference
   * `database.table(column)`: what must change with the column's type. Reads every table's
   * foreign keys, so it is meant for a code action, not for every keystroke.
   */
  referencesTo(database: string, table: string, column: string): ColumnReference[] {
    const target = this.tables.get(this.tableKey(database, table));
    const references: ColumnReference[] = [];
    for (const referencing of this.tables.values()) {
      for (const info of referencing.foreignKeys) {
        const fk = info.foreignKey;
        if (fk.table.name.value !== table) continue;
        const parts = fk.table.parts.map((p) => p.value);
        if (this.resolveDatabase(parts, referencing.database) !== database) continue;
        // Without referenced columns the foreign key references the primary key, in its order.
        const referenced = fk.referencedColumns.length > 0 ? fk.referencedColumns.map((c) => c.value) : (target?.primaryKey ?? []);
        referenced.forEach((name, i) => {
          const own = info.columns[i];
          if (name !== column || own === undefined) return;
          const columnInfo = referencing.columns.get(own);
          const reference: ColumnReference = { table: referencing, column: own, foreignKey: fk, declaredAt: info.origin };
          if (columnInfo) {
            reference.definition = columnInfo.definition;
            if (columnInfo.origin) reference.definedAt = columnInfo.origin;
          }
          references.push(reference);
        });
      }
    }
    return references;
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

  /**
   * A statement that wrote rows to `table` since the CREATE TABLE that made it, if any: the first
   * INSERT, UPSERT, UPDATE or DELETE naming it, else the last COPY or IMPORT after it. Rules that
   * excuse a table the same file just created (still empty, unknown to running code) ask this
   * instead of looking back through the file, so their cached findings follow the writes.
   */
  rowsWritten(table: TableInfo): Origin | undefined {
    this.read(`rows:${this.tableKey(table.database, table.name)}`);
    const first = this.firstWrites.get(table.origin);
    if (first) return first;
    this.read('rows:*');
    return this.lastBulkWrite !== table.bulkWriteBefore ? this.lastBulkWrite : undefined;
  }

  /** INSERT / UPSERT / UPDATE / DELETE: the table's first write since its CREATE TABLE is kept. */
  private applyWrite(target: ast.QualifiedName, origin: Origin): void {
    const key = this.tableKey(this.databaseOf(target), target.name.value);
    this.read(`t:${key}`);
    const table = this.tables.get(key);
    if (!table) return;
    this.read(`rows:${key}`);
    if (this.firstWrites.has(table.origin)) return;
    this.touch(`rows:${key}`, origin.parsed);
    this.setEntry(this.firstWrites, table.origin, origin);
  }

  /** COPY / IMPORT: rows into a table the parser does not name. */
  private applyBulkWrite(origin: Origin): void {
    this.touch('rows:*', origin.parsed);
    const previous = this.lastBulkWrite;
    this.log(
      () => {
        this.lastBulkWrite = previous;
      },
      () => {
        this.lastBulkWrite = origin;
      },
    );
    this.lastBulkWrite = origin;
  }

  /**
   * Applies one statement. `offset` turns the statement's relative spans into document offsets;
   * given `at` (the document's statement, whose offset follows edits above it), the model's
   * origins read their offset from it.
   */
  apply(parsed: ast.ParsedStatement, uri: string, offset: number, at?: { readonly offset: number }): void {
    const origin: Origin = at ? new LiveOrigin(parsed, uri, at) : { parsed, uri, offset };
    this.rank = at && this.undoLog ? { at, start: parsed.start } : undefined;
    try {
      this.applyStatement(parsed, origin);
    } finally {
      this.rank = undefined;
    }
  }

  private applyStatement(parsed: ast.ParsedStatement, origin: Origin): void {
    const statement = parsed.statement;
    switch (statement.type) {
      case 'create-table':
        this.applyCreateTable(statement, origin);
        return;
      case 'create-index': {
        const key = this.tableKey(this.databaseOf(statement.table), statement.table.name.value);
        this.touch(`t:${key}`, parsed);
        const table = this.tables.get(key);
        if (table) {
          const name = table.defaultName(statement.index);
          if (statement.ifNotExists && table.hasIndex(name)) return;
          const index = indexInfo(statement.index, origin, name);
          table.addIndex(index);
          this.log(
            () => {
              table.removeLastIndex();
            },
            () => {
              table.addIndex(index);
            },
          );
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
          declared: true,
        };
        if (statement.primaryRegion) database.primaryRegion = statement.primaryRegion.value;
        if (statement.secondaryRegion) database.secondaryRegion = statement.secondaryRegion.value;
        if (!(statement.ifNotExists && this.databases.get(database.name)?.declared)) this.setDatabase(database.name, database);
        this.touch(`db:${database.name}`, parsed);
        return;
      }
      case 'alter-database':
        this.applyAlterDatabase(statement, parsed);
        return;
      case 'use':
        this.touch('current', parsed);
        this.touch(`db:${statement.database.value}`, parsed);
        if (this.undoLog) {
          const previous = this.currentDatabase;
          const next = statement.database.value;
          this.log(
            () => {
              this.currentDatabase = previous;
            },
            () => {
              this.currentDatabase = next;
            },
          );
        }
        this.currentDatabase = statement.database.value;
        if (!this.databases.has(this.currentDatabase))
          this.setDatabase(this.currentDatabase, { name: this.currentDatabase, regions: new Set(), survival: 'zone' });
        return;
      case 'alter-table': {
        const key = `t:${this.tableKey(this.databaseOf(statement.name), statement.name.name.value)}`;
        this.touch(key, parsed);
        for (const command of statement.commands) {
          if (command.kind !== 'rename-table') continue;
          const renamed = this.tableKey(this.databaseOf(command.to), command.to.name.value);
          this.touch(`t:${renamed}`, parsed, key);
          this.touch(`rows:${renamed}`, parsed, `rows:${key.slice(2)}`);
        }
        for (const command of statement.commands) {
          if (command.kind === 'configure-zone') this.applyZone(this.tableZoneKey(statement.name), command.zone, parsed);
        }
        this.applyAlterTable(statement, origin);
        return;
      }
      case 'configure-zone': {
        const target = statement.zone.target;
        if (target) {
          const name = target.name?.parts.map((p) => p.value).join('.') ?? '';
          this.applyZone(`${target.kind}:${name}${target.partition ? `#${target.partition.value}` : ''}`, statement.zone, parsed);
        }
        return;
      }
      case 'other':
        if (statement.drop) this.applyDrop(statement.drop, parsed);
        else if (statement.alterIndexRename) this.applyIndexRename(statement.alterIndexRename, origin);
        else if (statement.target) this.applyWrite(statement.target, origin);
        else if (statement.keywords.startsWith('copy') || statement.keywords.startsWith('import')) this.applyBulkWrite(origin);
        return;
      default:
        return;
    }
  }

  private applyAlterDatabase(statement: ast.AlterDatabase, parsed: ast.ParsedStatement): void {
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
      changed.declared = true;
    } else if (action.kind === 'add-region') changed.regions.add(action.region.value);
    else if (action.kind === 'drop-region') {
      changed.regions.delete(action.region.value);
      if (changed.primaryRegion === action.region.value) delete changed.primaryRegion;
    } else if (action.kind === 'survive') changed.survival = action.survival.goal;
    else if (action.kind === 'secondary-region') {
      if (action.region) changed.secondaryRegion = action.region.value;
      else delete changed.secondaryRegion;
    } else if (action.kind === 'rename') {
      // Looks through every table.
      if (this.access) this.access.volatile = true;
      this.setDatabase(database.name, undefined);
      changed.name = action.to.value;
      // Its tables move with it.
      for (const [key, table] of [...this.tables]) {
        if (table.database !== database.name) continue;
        const movedKey = this.tableKey(changed.name, table.name);
        this.touch(`t:${movedKey}`, parsed, `t:${key}`);
        this.touch(`rows:${movedKey}`, parsed, `rows:${key}`);
        this.setTable(key, undefined);
        this.setTable(movedKey, table.clone(changed.name));
      }
    }
    this.setDatabase(changed.name, changed);
  }

  private applyCreateTable(statement: ast.CreateTable, origin: Origin): void {
    if (!statement.name.name.value) return;
    const database = this.databaseOf(statement.name);
    const key = this.tableKey(database, statement.name.name.value);
    this.touch(`t:${key}`, origin.parsed);
    if (statement.ifNotExists) {
      const existing = this.tables.get(key);
      if (existing) {
        if (existing.origin.parsed !== origin.parsed && !existing.uncertainBy) {
          const uncertain = existing.clone();
          uncertain.uncertainBy = origin;
          this.setTable(key, uncertain);
        }
        return;
      }
    }
    const table = new TableInfo(database, statement.name.name.value, statement, origin);
    // No rows yet; a COPY or IMPORT before it does not count (its version goes into the table's).
    this.touch(`rows:${key}`, origin.parsed, 'rows:*');
    if (this.lastBulkWrite) table.bulkWriteBefore = this.lastBulkWrite;
    this.setTable(key, table);
    if (statement.locality || statement.columns.some((c) => isRegionColumnType(c.type?.name)))
      this.assumeMultiRegion(database, origin.parsed);
  }

  /** A LOCALITY or a region column in a database the files never declared: it must be multi-region. */
  private assumeMultiRegion(name: string, parsed: ast.ParsedStatement): void {
    this.read(`db:${name}`);
    const database = this.databases.get(name);
    if (database?.declared || database?.assumedMultiRegion) return;
    this.touch(`db:${name}`, parsed);
    this.setDatabase(name, { ...(database ?? { name, regions: new Set<string>(), survival: 'zone' }), assumedMultiRegion: true });
  }

  /** The table an index name means: `t@i`, or `i` / `s.i` / `d.s.i` searched in the database's tables. */
  private indexTable(name: ast.QualifiedName, index: ast.Name | undefined): { key: string; table: TableInfo; index: string } | undefined {
    if (index) {
      const database = this.databaseOf(name);
      const key = this.tableKey(database, name.name.value);
      this.read(`t:${key}`);
      const table = this.tables.get(key);
      return table ? { key, table, index: index.value } : undefined;
    }
    // Looks through every table of the database.
    if (this.access) this.access.volatile = true;
    const indexName = name.name.value;
    const parts = name.parts.map((p) => p.value);
    const database = parts.length >= 3 ? (parts[parts.length - 3] ?? this.currentDatabase) : this.databaseOf(name);
    for (const [key, table] of this.tables)
      if (table.database === database && table.hasIndex(indexName)) return { key, table, index: indexName };
    return undefined;
  }

  private applyDrop(drop: ast.Drop, parsed: ast.ParsedStatement): void {
    if (drop.object === 'table') {
      for (const { name } of drop.names) {
        const key = this.tableKey(this.databaseOf(name), name.name.value);
        this.touch(`t:${key}`, parsed);
        if (this.tables.has(key)) this.setTable(key, undefined);
      }
    } else if (drop.object === 'index') {
      for (const { name, index } of drop.names) {
        const found = this.indexTable(name, index);
        if (!found) continue;
        this.touch(`t:${found.key}`, parsed);
        const table = found.table.clone();
        table.indexes = table.indexes.filter((i) => i.name !== found.index);
        this.setTable(found.key, table);
      }
    } else if (drop.object === 'database') {
      for (const { name } of drop.names) {
        const database = name.name.value;
        this.touch(`db:${database}`, parsed);
        // Looks through every table.
        if (this.access) this.access.volatile = true;
        for (const [key, table] of [...this.tables]) {
          if (table.database !== database) continue;
          this.touch(`t:${key}`, parsed);
          this.setTable(key, undefined);
        }
        if (database !== DEFAULT_DATABASE) this.setDatabase(database, undefined);
      }
    }
  }

  private applyIndexRename(rename: { target: ast.ZoneTarget; to: ast.Name }, origin: Origin): void {
    const name = rename.target.name;
    if (!name) return;
    const found = this.indexTable(name, rename.target.index);
    if (!found) return;
    this.touch(`t:${found.key}`, origin.parsed);
    const table = found.table.clone();
    table.indexes = table.indexes.map((i) => (i.name === found.index ? { ...i, name: rename.to.value, renamedBy: origin } : i));
    const primary = table.primaryIndex;
    if (primary?.name === found.index) table.primaryIndex = { ...primary, name: rename.to.value };
    this.setTable(found.key, table);
  }

  private applyAlterTable(statement: ast.AlterTable, origin: Origin): void {
    const original = this.table(statement.name);
    if (!original) return;
    // Changed on a copy, so that undo can put the original back.
    const table = original.clone();
    const key = this.tableKey(original.database, original.name);
    this.setTable(key, table);
    if (origin.parsed.errors.length > 0) table.uncertainBy = origin;
    for (const command of statement.commands) {
      switch (command.kind) {
        case 'add-column': {
          if (command.ifNotExists && table.columns.has(command.column.name.value)) break;
          const info = columnInfo(command.column, origin);
          table.columns.set(info.name, info);
          if (command.column.primaryKey) {
            table.primaryKey = [info.name];
            table.keyOrigin = origin;
          }
          if (command.column.unique && !command.column.primaryKey)
            table.indexes = [
              ...table.indexes,
              {
                kind: 'unique',
                name: command.column.uniqueName?.value ?? `${table.name}_${info.name}_key`,
                columns: [info.name],
                hashSharded: false,
                origin,
              },
            ];
          if (isRegionColumnType(command.column.type?.name)) this.assumeMultiRegion(table.database, origin.parsed);
          // ADD COLUMN c T REFERENCES t (c): a foreign key like the inline ones of CREATE TABLE.
          if (command.column.references) {
            const column = command.column;
            const foreignKey: ast.ForeignKey = {
              start: column.start,
              end: column.end,
              columns: [column.name],
              table: command.column.references,
              referencedColumns: column.referencedColumn ? [column.referencedColumn] : [],
            };
            table.foreignKeys = [...table.foreignKeys, foreignKeyInfo(foreignKey, origin)];
          }
          break;
        }
        case 'drop-column': {
          const column = command.column.value;
          table.columns.delete(column);
          // Indexes keyed on the column go with it; others stop storing it.
          table.indexes = table.indexes
            .filter((index) => !index.columns.includes(column))
            .map((index) => (index.storing?.includes(column) ? { ...index, storing: index.storing.filter((c) => c !== column) } : index));
          table.foreignKeys = table.foreignKeys.filter((fk) => !fk.columns.includes(column));
          break;
        }
        case 'rename-column': {
          const from = command.column.value;
          const to = command.to.value;
          const info = table.columns.get(from);
          if (!info) break;
          const columns = new Map<string, ColumnInfo>();
          for (const [name, column] of table.columns) {
            if (name === from) columns.set(to, { ...column, name: to, alteredBy: origin });
            else columns.set(name, column);
          }
          table.columns.clear();
          for (const [name, column] of columns) table.columns.set(name, column);
          const rename = (names: string[]): string[] => names.map((n) => (n === from ? to : n));
          table.indexes = table.indexes.map((index) => ({
            ...index,
            columns: rename(index.columns),
            ...(index.storing ? { storing: rename(index.storing) } : {}),
          }));
          const primary = table.primaryIndex;
          if (primary) table.primaryIndex = { ...primary, columns: rename(primary.columns) };
          table.foreignKeys = table.foreignKeys.map((fk) => ({ ...fk, columns: rename(fk.columns) }));
          break;
        }
        case 'alter-column': {
          const info = table.columns.get(command.column.value);
          if (!info) break;
          const changed: ColumnInfo = { ...info, alteredBy: origin };
          if (command.action === 'set-type' && command.type) changed.type = command.type.name;
          else if (command.action === 'set-not-null') changed.notNull = true;
          else if (command.action === 'drop-not-null') changed.notNull = false;
          else if (command.action === 'set-default' && command.default) changed.default = command.default;
          else if (command.action === 'drop-default') delete changed.default;
          table.columns.set(changed.name, changed);
          break;
        }
        case 'set-locality':
          table.locality = command.locality.kind;
          table.localityOrigin = origin;
          if (command.locality.kind === 'regional-by-table' && command.locality.region)
            table.localityRegion = command.locality.region.value;
          else delete table.localityRegion;
          this.assumeMultiRegion(table.database, origin.parsed);
          break;
        case 'alter-primary-key': {
          const old = table.primaryIndex;
          const next = indexInfo(command.index, origin, command.index.name?.value ?? `${table.name}_pkey`);
          if (old && keepsOldPrimaryKey(old, next, table.indexes))
            table.indexes = [...table.indexes, { ...old, kind: 'unique', name: `${table.name}_${old.columns.join('_')}_key`, origin }];
          table.primaryIndex = next;
          table.keyOrigin = origin;
          break;
        }
        case 'add-constraint':
          // IF NOT EXISTS: nothing happens when the table has a constraint (a key, a unique index, a foreign key) of that name.
          if (command.ifNotExists && hasConstraintNamed(table, command.index?.name?.value ?? command.foreignKey?.name?.value)) break;
          if (command.index?.kind === 'primary') {
            table.primaryIndex = indexInfo(command.index, origin, command.index.name?.value ?? `${table.name}_pkey`);
            table.keyOrigin = origin;
          } else if (command.index) table.indexes = [...table.indexes, indexInfo(command.index, origin, table.defaultName(command.index))];
          if (command.foreignKey) table.foreignKeys = [...table.foreignKeys, foreignKeyInfo(command.foreignKey, origin)];
          break;
        case 'drop-constraint': {
          const name = command.name.value;
          // Before v22.1 CockroachDB named every primary key "primary"; old migrations drop it so.
          if (table.primaryIndex && (table.primaryIndex.name === name || name === 'primary')) {
            table.primaryIndex = undefined;
            table.keyOrigin = origin;
          }
          table.indexes = table.indexes.filter((index) => index.name !== name);
          table.foreignKeys = table.foreignKeys.filter((fk) => fk.name !== name);
          break;
        }
        case 'rename-constraint': {
          const name = command.name.value;
          const to = command.to.value;
          table.indexes = table.indexes.map((index) => (index.name === name ? { ...index, name: to, renamedBy: origin } : index));
          const primary = table.primaryIndex;
          if (primary?.name === name) table.primaryIndex = { ...primary, name: to };
          table.foreignKeys = table.foreignKeys.map((fk) => (fk.name === name ? { ...fk, name: to } : fk));
          break;
        }
        case 'rename-table': {
          this.setTable(this.tableKey(table.database, table.name), undefined);
          table.name = command.to.name.value;
          table.renamedBy = origin;
          this.setTable(this.tableKey(table.database, table.name), table);
          break;
        }
        default:
          break;
      }
    }
  }
}

function isRegionColumnType(type: string | undefined): boolean {
  return type === 'crdb_internal_region' || type?.endsWith('.crdb_internal_region') === true;
}

export function keyColumns(index: ast.IndexDef): string[] {
  return index.columns.map((column) => column.name?.value ?? `(${column.expr?.text ?? ''})`);
}

/** Whether `table` has a constraint named `name`: its primary key, a unique index (an index of any kind: one namespace) or a foreign key. */
function hasConstraintNamed(table: TableInfo, name: string | undefined): boolean {
  if (name === undefined) return false;
  return (
    table.primaryIndex?.name === name ||
    table.indexes.some((index) => index.name === name) ||
    table.foreignKeys.some((fk) => fk.name === name)
  );
}

/** Whether two indexes have the same key columns in the same order, with the same directions. */
function sameKeyColumns(a: IndexInfo, b: IndexInfo): boolean {
  if (a.columns.length !== b.columns.length) return false;
  for (let i = 0; i < a.columns.length; i++)
    if (a.columns[i] !== b.columns[i] || (a.descending?.[i] ?? false) !== (b.descending?.[i] ?? false)) return false;
  return true;
}

/**
 * Whether ALTER PRIMARY KEY keeps the old key `old` as a UNIQUE secondary index when `next`
 * replaces it, as CockroachDB's schema changer decides (shouldCreateUniqueIndexOnOldPrimaryKeyColumns,
 * pkg/sql/schemachanger/scbuild): it does unless the old key was the hidden rowid, the new key has
 * the same columns in the same order and directions (USING HASH aside: a key sharded anew or
 * given other buckets), or a unique secondary index already has exactly the old key's columns
 * and directions. So (id) -> (tenant_id, id) keeps a unique index on id: every id stays unique.
 */
function keepsOldPrimaryKey(old: IndexInfo, next: IndexInfo, indexes: readonly IndexInfo[]): boolean {
  if (old.columns.length === 0 || sameKeyColumns(old, next)) return false;
  return !indexes.some((index) => index.kind === 'unique' && index.hashSharded === old.hashSharded && sameKeyColumns(index, old));
}

function indexInfo(index: ast.IndexDef, origin: Origin, name: string | undefined): IndexInfo {
  // Every property in the literal, as columnInfo's.
  return {
    kind: index.kind,
    columns: keyColumns(index),
    hashSharded: index.usingHash !== undefined,
    descending: index.columns.map((column) => column.descending),
    storing: index.storing.map((column) => column.value),
    definition: index,
    origin,
    special: index.where || index.inverted || index.vector || index.partitionBy ? true : undefined,
    name,
    renamedBy: undefined,
  };
}
