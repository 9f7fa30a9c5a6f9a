// REGIONAL BY ROW's region column, checked as CockroachDB checks it: on CREATE TABLE from the
// written column definitions, on ALTER TABLE … SET LOCALITY from the engine's table (computed
// columns included). The column must have the database's region type (the crdb_internal_region
// enum, a domain of the database's schema in the engine); ALTER also wants it NOT NULL.
import type * as ast from '../../../sql/src/ast';
import { lex } from '../../../sql/src/lexer';
import type { TableLocalitySpec } from '../../../sql/src/locality';
import { quoteIdent, quoteLiteral } from '../../../sql/src/names';
import type { DatabaseMeta, TableMeta } from './catalog';
import type { ClusterContext, SqlSession } from './context';
import { SqlError, SQLSTATE } from './errors';
import { isPunct, skipGroup } from './rewrite';

export const REGION_TYPE = 'crdb_internal_region';
export const DEFAULT_REGION_COLUMN = 'crdb_region';
const UNDEFINED_COLUMN = '42703';

/** The engine's name for `database`'s region type. */
export function regionTypeIn(database: string): string {
  return `${quoteIdent(database)}.${REGION_TYPE}`;
}

/** The default CockroachDB gives the implicit crdb_region column (cast to the region type, as it shows it). */
export function gatewayRegionDefault(database: string): string {
  return `default_to_database_primary_region(gateway_region())::${regionTypeIn(database)}`;
}

/**
 * Whether a written type names `database`'s region type: `crdb_internal_region`, or qualified
 * with `public` or `<database>.public` (CockroachDB keeps the enum in the public schema).
 */
export function namesRegionType(type: ast.TypeRef | undefined, database: string): boolean {
  if (!type || type.array) return false;
  const parts = type.name.split('.').map((p) => p.trim().replace(/^"|"$/g, ''));
  if (parts[parts.length - 1] !== REGION_TYPE) return false;
  if (parts.length === 1) return true;
  if (parts.length === 2) return parts[0] === 'public' || parts[0] === database;
  return parts.length === 3 && parts[0] === database && parts[1] === 'public';
}

/** CockroachDB's SQL spelling of a written type (what its errors print). */
export function crdbTypeName(type: ast.TypeRef | undefined): string {
  if (!type) return 'unknown';
  const base = type.name.toLowerCase();
  const names: Record<string, string> = {
    int: 'INT8',
    integer: 'INT8',
    int8: 'INT8',
    int64: 'INT8',
    bigint: 'INT8',
    int4: 'INT4',
    int2: 'INT2',
    smallint: 'INT2',
    string: 'STRING',
    text: 'STRING',
    varchar: 'VARCHAR',
    'character varying': 'VARCHAR',
    bool: 'BOOL',
    boolean: 'BOOL',
    float: 'FLOAT8',
    float8: 'FLOAT8',
    'double precision': 'FLOAT8',
    real: 'FLOAT4',
    float4: 'FLOAT4',
    decimal: 'DECIMAL',
    numeric: 'DECIMAL',
    uuid: 'UUID',
    bytes: 'BYTES',
    bytea: 'BYTES',
    json: 'JSONB',
    jsonb: 'JSONB',
    date: 'DATE',
    timestamp: 'TIMESTAMP',
    timestamptz: 'TIMESTAMPTZ',
    interval: 'INTERVAL',
  };
  return `${names[base] ?? base.toUpperCase()}${type.array ? '[]' : ''}`;
}

/**
 * CREATE TABLE … LOCALITY REGIONAL BY ROW [AS col]: the region column, if written, must have the
 * region type; AS must name a written column. (A nullable one is made NOT NULL: it leads the
 * primary key.)
 */
export function checkCreateRegionColumn(
  db: DatabaseMeta,
  columns: readonly ast.Column[],
  as: string | undefined,
): TableLocalitySpec & { kind: 'regional-by-row' } {
  const name = as ?? DEFAULT_REGION_COLUMN;
  const column = columns.find((c) => c.name.value === name);
  if (!column) {
    if (as !== undefined) throw new SqlError(UNDEFINED_COLUMN, `column ${quoteIdent(as)} in REGIONAL BY ROW AS does not exist`);
    return { kind: 'regional-by-row' };
  }
  if (!namesRegionType(column.type, db.name)) {
    throw new SqlError(
      SQLSTATE.invalidTableDefinition,
      `cannot use column ${quoteIdent(name)} which has type ${crdbTypeName(column.type)} in REGIONAL BY ROW`,
      undefined,
      as !== undefined
        ? `REGIONAL BY ROW AS must reference a column of type ${REGION_TYPE}`
        : // CockroachDB names the region type where it means the column (its detail says so).
          `Column ${REGION_TYPE} must be of type ${REGION_TYPE}`,
    );
  }
  return as === undefined ? { kind: 'regional-by-row' } : { kind: 'regional-by-row', as };
}

interface EngineColumn {
  regionType: boolean;
  notNull: boolean;
}

async function engineColumn(cluster: ClusterContext, table: TableMeta, name: string): Promise<EngineColumn | undefined> {
  const result = await cluster.engine.query<{ typname: string; typschema: string; notnull: boolean }>(
    `SELECT t.typname, tn.nspname AS typschema, a.attnotnull AS notnull
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = t.typnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND a.attname = $3 AND a.attnum > 0 AND NOT a.attisdropped`,
    [table.database, table.name, name],
  );
  const row = result.rows[0];
  if (!row) return undefined;
  return { regionType: row.typname === REGION_TYPE && row.typschema === table.database, notNull: row.notnull };
}

/**
 * ALTER TABLE … SET LOCALITY REGIONAL BY ROW [AS col]: checks the column and returns the engine
 * statements that make the table so ('unchanged' when it already is, as CockroachDB then does
 * nothing). Without AS, a missing crdb_region column is added: existing rows are homed in the
 * primary region, new ones in the gateway's.
 */
export async function alterToRegionalByRow(
  session: SqlSession,
  table: TableMeta,
  db: DatabaseMeta,
  as: string | undefined,
): Promise<{ sql: string[]; hidden: string | undefined } | 'unchanged'> {
  const current = table.locality;
  if (current?.kind === 'regional-by-row' && current.as === as) return 'unchanged';
  const name = as ?? DEFAULT_REGION_COLUMN;
  const column = await engineColumn(session.cluster, table, name);
  if (!column) {
    if (as !== undefined) throw new SqlError(UNDEFINED_COLUMN, `column "${as}" does not exist`);
    const target = `${quoteIdent(table.database)}.${quoteIdent(table.name)}`;
    return {
      sql: [
        `ALTER TABLE ${target} ADD COLUMN ${DEFAULT_REGION_COLUMN} ${regionTypeIn(db.name)} NOT NULL DEFAULT ${quoteLiteral(db.primaryRegion ?? '')}`,
        `ALTER TABLE ${target} ALTER COLUMN ${DEFAULT_REGION_COLUMN} SET DEFAULT ${gatewayRegionDefault(db.name)}`,
        ...(autoRehoming(session) ? [rehomeTriggerSql(table.database, table.name)] : []),
      ],
      hidden: DEFAULT_REGION_COLUMN,
    };
  }
  if (!column.regionType) {
    throw new SqlError(
      SQLSTATE.invalidTableDefinition,
      `cannot use column ${quoteIdent(name)} for REGIONAL BY ROW table as it does not have the ${REGION_TYPE} type`,
    );
  }
  if (!column.notNull) {
    throw new SqlError(
      SQLSTATE.invalidTableDefinition,
      `cannot use column ${quoteIdent(name)} for REGIONAL BY ROW table as it may contain NULL values`,
      `Add the NOT NULL constraint first using ALTER TABLE ${quoteIdent(table.name)} ALTER COLUMN ${quoteIdent(name)} SET NOT NULL.`,
    );
  }
  return { sql: [], hidden: undefined };
}

/**
 * Auto-rehoming (ON UPDATE rehome_row()) for a new implicit crdb_region column: the session's
 * experimental_enable_auto_rehoming, which defaults to the cluster setting.
 */
export function autoRehoming(session: SqlSession): boolean {
  const value = session.vars.get('experimental_enable_auto_rehoming') ?? session.cluster.catalog.clusterSettings.get(AUTO_REHOMING_SETTING);
  return value !== undefined && ['true', 'on', 'yes', '1'].includes(value.toLowerCase());
}

export const AUTO_REHOMING_SETTING = 'sql.defaults.experimental_auto_rehoming.enabled';
const REHOME_TRIGGER = 'crdb_region_rehome';

/** The engine's ON UPDATE rehome_row() for a table's implicit crdb_region column (a trigger: PostgreSQL has no ON UPDATE). */
export function rehomeTriggerSql(database: string, table: string): string {
  return `CREATE TRIGGER ${REHOME_TRIGGER} BEFORE UPDATE ON ${quoteIdent(database)}.${quoteIdent(table)} FOR EACH ROW EXECUTE FUNCTION crdb_internal.rehome_row_trigger()`;
}

/** Whether `table`'s crdb_region column is rehomed on UPDATE. */
export async function rehomesRows(cluster: ClusterContext, table: TableMeta): Promise<boolean> {
  const result = await cluster.engine.query(
    `SELECT 1 FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND g.tgname = $3`,
    [table.database, table.name, REHOME_TRIGGER],
  );
  return result.rows.length > 0;
}

/**
 * A region column's default as CockroachDB shows it: the engine prints
 * `(f(x))::crdb_internal_region` or `'r'::crdb_internal_region`; CockroachDB
 * `f(x)::public.crdb_internal_region` and `'r':::public.crdb_internal_region`.
 */
export function regionDefaultForDisplay(expr: string): string {
  const tokens = lex(expr).tokens;
  const last = tokens[tokens.length - 1];
  if (last?.value !== REGION_TYPE) return expr;
  let cast = tokens.length - 2;
  if (isPunct(tokens[cast], '.')) cast -= 2;
  const castToken = tokens[cast];
  if (castToken?.kind !== 'op' || castToken.value !== '::') return expr;
  const typed = `public.${REGION_TYPE}`;
  const first = tokens[0];
  if (cast === 1 && first?.kind === 'string') return `${expr.slice(0, castToken.start)}:::${typed}`;
  if (isPunct(first, '(') && skipGroup(tokens, 0) === cast) return `${expr.slice(1, tokens[cast - 1]?.start ?? 1)}::${typed}`;
  return `${expr.slice(0, castToken.start)}::${typed}`;
}

/**
 * ALTER TABLE … DROP COLUMN of the column a REGIONAL BY ROW table keeps its rows' regions in:
 * refused as CockroachDB refuses it (the table would lose where its rows live).
 */
export function refuseDroppingRegionColumn(table: TableMeta | undefined, statement: ast.AlterTable): void {
  if (table?.locality?.kind !== 'regional-by-row') return;
  const regionColumn = table.locality.as ?? DEFAULT_REGION_COLUMN;
  for (const command of statement.commands) {
    if (command.kind !== 'drop-column' || command.column.value !== regionColumn) continue;
    throw new SqlError(
      '42P10',
      `cannot drop column ${regionColumn} as it is used to store the region in a REGIONAL BY ROW table`,
      'You must change the table locality before dropping this table or alter the table to use a different column to use for the region.',
    );
  }
}
