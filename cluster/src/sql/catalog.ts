// What CockroachDB knows about databases and tables that PostgreSQL has no place for: regions,
// survival goals, localities, zone configurations, hidden columns, hash-sharded indexes, and
// descriptor IDs. Table structure itself (columns, indexes, data) lives in the engine.
import type { TableLocalitySpec } from '../../../sql/src/locality';
import type { PartitioningMeta } from './partitioning';

export type Survival = 'zone' | 'region';

export interface DatabaseMeta {
  name: string;
  id: number;
  primaryRegion?: string;
  /** All regions of the database, the primary included, in the order they were added. */
  regions: string[];
  secondaryRegion?: string;
  survival: Survival;
  placement: 'default' | 'restricted';
}

export interface IndexMeta {
  /** The index's CockroachDB name (also its name in the engine). */
  name: string;
  id: number;
  hashBuckets?: number;
  /** A hash-sharded index's key columns (its shard column is computed from them: shardColumns.ts). */
  hashColumns?: string[];
  /** The column its shard column follows: the last column written in CREATE TABLE, the last one at CREATE INDEX. */
  shardAfter?: string;
  /** PARTITION BY LIST / RANGE written for the index (see partitioning.ts). */
  partitioning?: PartitioningMeta;
  /** NOT VISIBLE: kept up to date (and a UNIQUE one still enforced), but left aside by the optimizer. */
  notVisible?: boolean;
}

/** A table storage parameter as written: its name, its value's text, the kind of token it was. */
export interface StorageParam {
  name: string;
  value: string;
  kind: 'string' | 'number' | 'word';
}

/** A CHECK constraint as its statement wrote it: what CockroachDB shows (the engine keeps no BETWEEN). */
export interface CheckSource {
  name: string;
  source: string;
  /** The engine's definition when it was written: a later change to it (a renamed column) voids the source. */
  engine?: string;
  /** The expression as the violation error shows it, for when the engine cannot be asked (an aborted transaction). */
  display?: string;
}

export interface TableMeta {
  database: string;
  name: string;
  id: number;
  /** Undefined in a database that is not multi-region. */
  locality?: TableLocalitySpec;
  /** Columns CockroachDB hides from `SELECT *` (rowid, crdb_region, NOT VISIBLE ones). */
  hidden: Set<string>;
  indexes: Map<string, IndexMeta>;
  nextIndexId: number;
  /** PARTITION BY LIST partitions written by the user: name → region-like value list. */
  partitions: { column: string; names: string[] } | undefined;
  /** Storage parameters (WITH (…), ALTER TABLE … SET (…)) as written (storageParams.ts). */
  storageParams?: StorageParam[];
  /** CHECK constraints as written (checkDisplay.ts prints them when they still stand as written). */
  checkSources?: CheckSource[];
}

/** A CockroachDB user: a role in the engine (see users.ts). */
export interface UserMeta {
  name: string;
  canLogin: boolean;
  /** The engine's verifier of the password (SCRAM-SHA-256 or md5); undefined: no password set. */
  verifier: string | undefined;
  /** A member of admin, directly or through another role: every privilege, as root has. */
  admin: boolean;
}

/** Zone configuration settings written with CONFIGURE ZONE, per target key. */
export type ZoneOverrides = Map<string, Map<string, string>>;

export class Catalog {
  readonly databases = new Map<string, DatabaseMeta>();
  readonly tables = new Map<string, TableMeta>();
  readonly zones: ZoneOverrides = new Map();
  readonly clusterSettings = new Map<string, string>();
  /** The users, as the engine's roles say (see users.ts); read on first use. */
  readonly users = new Map<string, UserMeta>();
  usersRead = false;
  // CockroachDB's first user descriptor IDs: defaultdb 100, its public schema 101, postgres 102…
  private nextId = 104;
  /** Keys of the tables added since startAdditions(): what undoAdditions() takes away. */
  private additions: string[] | undefined;

  constructor() {
    this.databases.set('defaultdb', { name: 'defaultdb', id: 100, regions: [], survival: 'zone', placement: 'default' });
    this.databases.set('postgres', { name: 'postgres', id: 102, regions: [], survival: 'zone', placement: 'default' });
  }

  /** The ID the next descriptor will get. */
  peekId(): number {
    return this.nextId;
  }

  /** Continues from a saved catalog's next ID. */
  resetId(next: number): void {
    this.nextId = next;
  }

  newId(): number {
    // Each database also takes an ID for its public schema.
    return this.nextId++;
  }

  addDatabase(name: string): DatabaseMeta {
    const database: DatabaseMeta = { name, id: this.newId(), regions: [], survival: 'zone', placement: 'default' };
    this.newId();
    this.databases.set(name, database);
    return database;
  }

  table(database: string, name: string): TableMeta | undefined {
    return this.tables.get(tableKey(database, name));
  }

  addTable(database: string, name: string): TableMeta {
    const table: TableMeta = {
      database,
      name,
      id: this.newId(),
      hidden: new Set(),
      indexes: new Map(),
      nextIndexId: 2,
      partitions: undefined,
    };
    this.tables.set(tableKey(database, name), table);
    this.additions?.push(tableKey(database, name));
    return table;
  }

  /**
   * Starts recording the tables added from now on. A statement that only adds tables (CREATE
   * TABLE) is undone by taking them away again, instead of copying the whole catalog beforehand:
   * with thousands of tables, that copy was most of CREATE TABLE's cost, and grew with each one.
   */
  startAdditions(): void {
    this.additions = [];
  }

  /** Takes away the tables added since startAdditions(), and stops recording. */
  undoAdditions(): void {
    for (const key of this.additions ?? []) this.tables.delete(key);
    this.additions = undefined;
  }

  stopAdditions(): void {
    this.additions = undefined;
  }

  dropTable(database: string, name: string): void {
    this.tables.delete(tableKey(database, name));
    // Its own configuration and its partitions', indexes' and subzones' (`missing:` marks a discarded one).
    const own = `${database}.${name}`;
    const prefixes = [`table:${own}#`, `index:${own}@`, `partition:${own}@`, `missing:partition:${own}@`];
    for (const key of [...this.zones.keys()])
      if ([`table:${own}`, `missing:table:${own}`].includes(key) || prefixes.some((p) => key.startsWith(p))) this.zones.delete(key);
  }

  tablesOf(database: string): TableMeta[] {
    return [...this.tables.values()].filter((table) => table.database === database);
  }

  isMultiRegion(database: string): boolean {
    return this.databases.get(database)?.primaryRegion !== undefined;
  }
}

/** A table as it is written to the store: its sets and maps as arrays. */
export interface SavedTable extends Omit<TableMeta, 'hidden' | 'indexes'> {
  hidden: string[];
  indexes: IndexMeta[];
}

/** The catalog as it is written to the store (see engine/metadata.ts), and read back on restart. */
export interface SavedCatalog {
  nextId: number;
  databases: DatabaseMeta[];
  tables: SavedTable[];
  zones: [string, [string, string][]][];
  clusterSettings: [string, string][];
}

export function saveCatalog(catalog: Catalog): SavedCatalog {
  return {
    nextId: catalog.peekId(),
    databases: [...catalog.databases.values()],
    tables: [...catalog.tables.values()].map((table) => ({ ...table, hidden: [...table.hidden], indexes: [...table.indexes.values()] })),
    zones: [...catalog.zones].map(([key, settings]) => [key, [...settings]]),
    clusterSettings: [...catalog.clusterSettings],
  };
}

/** Replaces everything `catalog` holds with what was saved. */
export function restoreCatalog(catalog: Catalog, saved: SavedCatalog): void {
  catalog.databases.clear();
  for (const database of saved.databases) catalog.databases.set(database.name, database);
  catalog.tables.clear();
  for (const table of saved.tables)
    catalog.tables.set(tableKey(table.database, table.name), {
      ...table,
      partitions: table.partitions ?? undefined,
      hidden: new Set(table.hidden),
      indexes: new Map(table.indexes.map((index) => [index.name, index])),
    });
  catalog.zones.clear();
  for (const [key, settings] of saved.zones) catalog.zones.set(key, new Map(settings));
  catalog.clusterSettings.clear();
  for (const [name, value] of saved.clusterSettings) catalog.clusterSettings.set(name, value);
  catalog.resetId(saved.nextId);
}

export function tableKey(database: string, table: string): string {
  return `${database}.${table}`;
}
