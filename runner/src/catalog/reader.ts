// Reads a target's catalog, one level at a time, with CockroachDB's own statements (SHOW
// DATABASES, SHOW REGIONS FROM DATABASE, SHOW TABLES, SHOW COLUMNS, SHOW INDEXES, SHOW PARTITIONS,
// SHOW ZONE CONFIGURATION, SHOW CREATE), the same on the simulated cluster and a real one. On plain
// PostgreSQL, which has none of them, it reads information_schema instead, so tables and columns
// are still listed, and says that the cluster-only parts are not there.
//
// Every method throws the server's error (with its SQLSTATE in `code`) for its caller to show where
// the read was asked for: a refused statement costs one node of the explorer, never the whole tree.
import type { CatalogColumn, CatalogDatabase, CatalogSnapshot, CatalogTable } from '../../../protocol/src/catalog';
import { parseDocument } from '../../../sql/src/parser';
import { quoteIdent, quoteLiteral } from '../../../sql/src/names';
import { parseBool, parseInteger, parseTextArray, records, type QueryResult } from '../topology/parse';
import { readIndexes, type CatalogIndex } from './indexes';

export type { CatalogIndex } from './indexes';

/** Runs one statement; a refused statement rejects with an error carrying its SQLSTATE as `code`. */
export type CatalogQuery = (sql: string) => Promise<QueryResult>;

export type Dialect = 'cockroach' | 'postgres';

export interface TableRef {
  database: string;
  schema: string;
  name: string;
}

export interface CatalogRegion {
  name: string;
  primary: boolean;
  secondary: boolean;
  zones: string[];
}

export interface CatalogPartition {
  name: string;
  /** `users@users_pkey`. */
  index: string;
  parent?: string;
  columns: string;
  values: string;
  /** The zone configuration set on the partition itself (multi-region: derived from its region). */
  zoneConfig?: string;
}

/** Why a part of the tree is empty on PostgreSQL. */
export const POSTGRES_ONLY_NOTE = 'not available on PostgreSQL: regions, localities, partitions and zone configurations are CockroachDB’s';

/** `"db"."schema"."table"`, each part quoted only where CockroachDB would quote it. */
export function qualifiedName(ref: TableRef): string {
  return [ref.database, ref.schema, ref.name].map(quoteIdent).join('.');
}

export class CatalogReader {
  private dialectRead: Promise<Dialect> | undefined;

  /** `dialect`: when the caller knows it already (a node below the target), no version() is asked. */
  constructor(
    private readonly query: CatalogQuery,
    dialect?: Dialect,
  ) {
    if (dialect !== undefined) this.dialectRead = Promise.resolve(dialect);
  }

  private async rows(sql: string): Promise<Record<string, string | null>[]> {
    return records(await this.query(sql));
  }

  /** CockroachDB (the simulated cluster says so too) or PostgreSQL, from version(). */
  dialect(): Promise<Dialect> {
    this.dialectRead ??= this.rows('SELECT version()').then(
      (rows) => ((Object.values(rows[0] ?? {})[0] ?? '').includes('CockroachDB') ? 'cockroach' : 'postgres'),
      (error: unknown) => {
        this.dialectRead = undefined;
        throw error;
      },
    );
    return this.dialectRead;
  }

  /** Every database but `system`, with its regions and survival goal (PostgreSQL: the connected one). */
  async databases(): Promise<CatalogDatabase[]> {
    if ((await this.dialect()) === 'postgres') {
      const rows = await this.rows('SELECT current_database() AS database_name');
      return rows.map((r) => ({ name: r.database_name ?? '', regions: [], tables: [] }));
    }
    const rows = await this.rows('SHOW DATABASES');
    return rows
      .filter((r) => r.database_name !== 'system' && r.database_name)
      .map((r) => {
        const database: CatalogDatabase = { name: r.database_name ?? '', regions: parseTextArray(r.regions), tables: [] };
        if (r.primary_region) database.primaryRegion = r.primary_region;
        if (r.secondary_region) database.secondaryRegion = r.secondary_region;
        if (r.survival_goal === 'zone' || r.survival_goal === 'region') database.survivalGoal = r.survival_goal;
        return database;
      });
  }

  async regions(database: string): Promise<CatalogRegion[]> {
    const rows = await this.rows(`SHOW REGIONS FROM DATABASE ${quoteIdent(database)}`);
    return rows.map((r) => ({
      name: r.region ?? '',
      primary: parseBool(r.primary) === true,
      secondary: parseBool(r.secondary) === true,
      zones: parseTextArray(r.zones),
    }));
  }

  /** Tables, views and sequences, with locality and row estimate where the server gives them. */
  async tables(database: string): Promise<CatalogTable[]> {
    if ((await this.dialect()) === 'postgres') {
      const rows = await this.rows(
        `SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE table_catalog = ${quoteLiteral(database)} AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY table_schema, table_name`,
      );
      return rows.map((r) => ({
        schema: r.table_schema ?? 'public',
        name: r.table_name ?? '',
        type: r.table_type === 'VIEW' ? 'view' : 'table',
      }));
    }
    const rows = await this.rows(`SHOW TABLES FROM ${quoteIdent(database)}`);
    return rows.map((r) => {
      const table: CatalogTable = { schema: r.schema_name ?? 'public', name: r.table_name ?? '', type: r.type ?? 'table' };
      if (r.locality) table.locality = r.locality;
      const estimate = parseInteger(r.estimated_row_count);
      if (estimate !== undefined) table.estimatedRows = estimate;
      return table;
    });
  }

  async columns(ref: TableRef): Promise<CatalogColumn[]> {
    if ((await this.dialect()) === 'postgres') {
      const rows = await this.rows(
        `SELECT column_name, data_type, is_nullable, column_default, generation_expression FROM information_schema.columns WHERE table_catalog = ${quoteLiteral(ref.database)} AND table_schema = ${quoteLiteral(ref.schema)} AND table_name = ${quoteLiteral(ref.name)} ORDER BY ordinal_position`,
      );
      return rows.map((r) =>
        columnOf(r.column_name, r.data_type, r.is_nullable === 'YES', r.column_default, r.generation_expression, undefined),
      );
    }
    const rows = await this.rows(`SHOW COLUMNS FROM ${qualifiedName(ref)}`);
    return rows.map((r) =>
      columnOf(r.column_name, r.data_type, parseBool(r.is_nullable) !== false, r.column_default, r.generation_expression, r.is_hidden),
    );
  }

  async indexes(ref: TableRef): Promise<CatalogIndex[]> {
    if ((await this.dialect()) === 'postgres') {
      const rows = await this.rows(
        `SELECT indexname, indexdef FROM pg_catalog.pg_indexes WHERE schemaname = ${quoteLiteral(ref.schema)} AND tablename = ${quoteLiteral(ref.name)} ORDER BY indexname`,
      );
      return rows.map((r) => postgresIndex(r.indexname ?? '', r.indexdef ?? ''));
    }
    const shown = await this.rows(`SHOW INDEXES FROM ${qualifiedName(ref)}`);
    // SHOW INDEXES has no column for a partial index's predicate: SHOW CREATE has it. Without it
    // (no privilege to read the definition), the indexes are listed all the same.
    let created: string | undefined;
    try {
      created = await this.createStatement(ref);
    } catch {
      created = undefined;
    }
    return readIndexes(shown, created);
  }

  async partitions(ref: TableRef): Promise<CatalogPartition[]> {
    const rows = await this.rows(`SHOW PARTITIONS FROM TABLE ${qualifiedName(ref)}`);
    return rows.map((r) => {
      const partition: CatalogPartition = {
        name: r.partition_name ?? '',
        index: r.index_name ?? '',
        columns: r.column_names ?? '',
        values: r.partition_value ?? '',
      };
      if (r.parent_partition) partition.parent = r.parent_partition;
      if (r.zone_config) partition.zoneConfig = r.zone_config;
      return partition;
    });
  }

  /** The zone configuration that applies (`ALTER … CONFIGURE ZONE USING …`), of a database or a table. */
  async zoneConfiguration(of: { database: string } | TableRef): Promise<string> {
    const target = 'name' in of ? `TABLE ${qualifiedName(of)}` : `DATABASE ${quoteIdent(of.database)}`;
    const rows = await this.rows(`SHOW ZONE CONFIGURATION FROM ${target}`);
    return rows[0]?.raw_config_sql ?? '';
  }

  /** SHOW CREATE TABLE's statement (PostgreSQL has no such statement: the columns, written out). */
  async createStatement(ref: TableRef): Promise<string> {
    const rows = await this.rows(`SHOW CREATE TABLE ${qualifiedName(ref)}`);
    return rows[0]?.create_statement ?? '';
  }

  /**
   * A summary for completion and hover: every database's tables, and the columns of the first
   * `maxColumnTables` tables (one SHOW COLUMNS each). A database whose tables cannot be read is
   * listed without them.
   */
  async snapshot(target: string, options: { maxColumnTables: number }): Promise<CatalogSnapshot> {
    const dialect = await this.dialect();
    const current = await this.rows('SELECT current_database() AS db');
    const databases = await this.databases();
    let budget = options.maxColumnTables;
    let truncated = false;
    for (const database of databases) {
      try {
        database.tables = await this.tables(database.name);
      } catch {
        continue;
      }
      for (const table of database.tables) {
        if (table.type === 'sequence') continue;
        if (budget <= 0) {
          truncated = true;
          continue;
        }
        budget--;
        try {
          table.columns = (await this.columns({ database: database.name, schema: table.schema, name: table.name })).map((c) => {
            const column: CatalogColumn = { name: c.name, type: c.type, nullable: c.nullable };
            if (c.hidden) column.hidden = true;
            return column;
          });
        } catch {
          // A table the user may not read: listed, without columns.
        }
      }
    }
    const snapshot: CatalogSnapshot = { target, dialect, databases };
    const db = current[0]?.db;
    if (db) snapshot.currentDatabase = db;
    if (truncated) snapshot.truncated = true;
    return snapshot;
  }
}

function columnOf(
  name: string | null | undefined,
  type: string | null | undefined,
  nullable: boolean,
  defaultExpr: string | null | undefined,
  computed: string | null | undefined,
  hidden: string | null | undefined,
): CatalogColumn {
  const column: CatalogColumn = { name: name ?? '', type: type ?? '', nullable };
  if (parseBool(hidden) === true) column.hidden = true;
  if (defaultExpr) column.default = defaultExpr;
  if (computed) column.computed = computed;
  return column;
}

/** An index from pg_indexes' definition, read with the project's parser. */
function postgresIndex(name: string, definition: string): CatalogIndex {
  const statement = parseDocument(definition).statements[0]?.statement;
  const index: CatalogIndex = { name, unique: false, primary: name.endsWith('_pkey'), columns: [], storing: [], hashSharded: false };
  if (statement?.type === 'create-index') {
    const def = statement.index;
    index.unique = def.kind === 'unique' || index.primary;
    index.columns = def.columns.map((c) => `${c.name?.value ?? c.expr?.text ?? ''}${c.descending ? ' DESC' : ''}`);
    index.storing = def.storing.map((s) => s.value);
    if (def.where) index.predicate = def.where.text;
  }
  return index;
}
