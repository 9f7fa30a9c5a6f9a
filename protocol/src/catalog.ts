// The live catalog of the current target, as the extension reads it (schema explorer) and sends a
// summary of it to the language server, so completion and hover know the tables a connected
// cluster has beside the ones the workspace's files define. Written once, for the catalog reader,
// the explorer and the server.

/** One column as SHOW COLUMNS (or information_schema.columns on PostgreSQL) describes it. */
export interface CatalogColumn {
  name: string;
  /** The type as the server prints it: `STRING`, `INT8`, `public.crdb_internal_region`. */
  type: string;
  nullable: boolean;
  /** NOT VISIBLE: `SELECT *` leaves it out (crdb_region, rowid, shard columns). */
  hidden?: boolean;
  default?: string;
  /** The expression of a computed (generated) column. */
  computed?: string;
}

/** One table (or view, or sequence) of a database. */
export interface CatalogTable {
  schema: string;
  name: string;
  /** `table`, `view`, `materialized view`, `sequence`. */
  type: string;
  /** SHOW TABLES' locality column: `REGIONAL BY ROW`, `GLOBAL`, `REGIONAL BY TABLE IN "us-west1"`. */
  locality?: string;
  /** SHOW TABLES' estimated_row_count (from table statistics and recent writes). */
  estimatedRows?: number;
  /** Left out of a summary past its column budget. */
  columns?: CatalogColumn[];
}

export interface CatalogDatabase {
  name: string;
  regions: string[];
  primaryRegion?: string;
  secondaryRegion?: string;
  survivalGoal?: 'zone' | 'region';
  tables: CatalogTable[];
}

/** What the language server is told about the current target's catalog. */
export interface CatalogSnapshot {
  /** The target's name, e.g. `Simulated cluster` or a profile's name. */
  target: string;
  /** `cockroach` (SHOW statements answered) or `postgres` (information_schema only). */
  dialect: 'cockroach' | 'postgres';
  /** The session's database, where unqualified names resolve. */
  currentDatabase?: string;
  databases: CatalogDatabase[];
  /** Set when the summary left tables or columns out, to stay small. */
  truncated?: boolean;
}

/** client → server notification, params CatalogSnapshot or null (no catalog: target unreachable). */
export const catalogChangedMethod = 'crdbStudio/catalogChanged';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isTable(value: unknown): boolean {
  if (!isRecord(value) || typeof value.name !== 'string' || typeof value.schema !== 'string') return false;
  const columns = value.columns;
  return columns === undefined || (Array.isArray(columns) && columns.every((c) => isRecord(c) && typeof c.name === 'string'));
}

function isDatabase(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.name === 'string' &&
    Array.isArray(value.regions) &&
    Array.isArray(value.tables) &&
    value.tables.every(isTable)
  );
}

/** A snapshot from the wire, checked enough that the server never trips on a malformed one. */
export function isCatalogSnapshot(value: unknown): value is CatalogSnapshot {
  return (
    isRecord(value) &&
    typeof value.target === 'string' &&
    (value.dialect === 'cockroach' || value.dialect === 'postgres') &&
    Array.isArray(value.databases) &&
    value.databases.every(isDatabase)
  );
}
