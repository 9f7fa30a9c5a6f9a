// information_schema as CockroachDB shows it, over the engine's own. The engine keeps each
// database as a schema of its own, beside the simulator's internal schemas (crdb_studio_history,
// the crdb_internal tables it fills, pg_toast): read as they are, information_schema would list
// every database's tables under their database's name and the simulator's own tables with them.
// CockroachDB's information_schema belongs to the current database: its catalog is that
// database, its user tables are in `public`, and the virtual schemas (crdb_internal,
// information_schema, pg_catalog, pg_extension) are listed as SYSTEM VIEWs. Each view below is
// SQL over the engine's catalog, so it costs what the engine's does whatever the number of tables.
import { quoteLiteral } from '../../../sql/src/names';
import type { SqlSession } from './context';
import { CRDB_INTERNAL_TABLE_NAMES } from './virtualTables';

/** The virtual schemas every CockroachDB database has (information_schema.schemata). */
const VIRTUAL_SCHEMAS = ['crdb_internal', 'information_schema', 'pg_catalog', 'pg_extension'];

type ViewBuilder = (session: SqlSession) => string;

const VIEWS = new Map<string, ViewBuilder>([
  ['information_schema.schemata', schemata],
  ['information_schema.tables', tables],
  ['information_schema.columns', columns],
  ['pg_catalog.pg_namespace', pgNamespace],
]);

export function isCatalogView(schema: string, name: string): boolean {
  return VIEWS.has(`${schema}.${name}`);
}

/** The query that stands for `schema.name` in the session's current database, if it is one. */
export function catalogViewSql(session: SqlSession, schema: string, name: string): string | undefined {
  return VIEWS.get(`${schema}.${name}`)?.(session);
}

function schemata(session: SqlSession): string {
  const db = quoteLiteral(session.database);
  const rows = [...VIRTUAL_SCHEMAS.map((s) => [s, 'NO']), ['public', 'YES']].map(
    ([schema, user]) => `(${db}::text, ${quoteLiteral(schema ?? '')}::text, NULL::text, NULL::text, ${quoteLiteral(user ?? '')}::text)`,
  );
  return `SELECT * FROM (VALUES ${rows.join(', ')}) AS schemata(catalog_name, schema_name, default_character_set_name, sql_path, crdb_is_user_defined)`;
}

function tables(session: SqlSession): string {
  const db = quoteLiteral(session.database);
  const crdbInternal = CRDB_INTERNAL_TABLE_NAMES.map((name) => `(${quoteLiteral(name)})`).join(', ');
  return `SELECT ${db}::text AS table_catalog, 'public'::text AS table_schema, c.relname::text AS table_name,
       CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'BASE TABLE' END::text AS table_type,
       CASE WHEN c.relkind IN ('r', 'p') THEN 'YES' ELSE 'NO' END::text AS is_insertable_into, 1::int8 AS version
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = ${db} AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
UNION ALL
SELECT ${db}::text, t.table_schema::text, t.table_name::text, 'SYSTEM VIEW'::text, 'NO'::text, 1::int8
  FROM information_schema.tables t WHERE t.table_schema IN ('pg_catalog', 'information_schema')
UNION ALL
SELECT ${db}::text, 'crdb_internal'::text, v.name::text, 'SYSTEM VIEW'::text, 'NO'::text, 1::int8 FROM (VALUES ${crdbInternal}) AS v(name)`;
}

function columns(session: SqlSession): string {
  const db = quoteLiteral(session.database);
  // NOT VISIBLE columns (rowid, crdb_region, the user's): CockroachDB's is_hidden.
  const hidden = session.cluster.catalog
    .tablesOf(session.database)
    .flatMap((table) => [...table.hidden].map((column) => `(${quoteLiteral(table.name)}, ${quoteLiteral(column)})`));
  const isHidden =
    hidden.length === 0
      ? `'NO'::text`
      : `CASE WHEN c.table_schema = ${db} AND (c.table_name::text, c.column_name::text) IN (VALUES ${hidden.join(', ')}) THEN 'YES' ELSE 'NO' END::text`;
  return `SELECT ${db}::text AS table_catalog,
       CASE WHEN c.table_schema = ${db} THEN 'public' ELSE c.table_schema END::text AS table_schema,
       c.table_name::text AS table_name, c.column_name::text AS column_name, NULL::text AS column_comment,
       c.ordinal_position::int8 AS ordinal_position, c.column_default::text AS column_default, c.is_nullable::text AS is_nullable,
       c.data_type::text AS data_type, c.character_maximum_length::int8 AS character_maximum_length,
       c.character_octet_length::int8 AS character_octet_length, c.numeric_precision::int8 AS numeric_precision,
       c.numeric_precision_radix::int8 AS numeric_precision_radix, c.numeric_scale::int8 AS numeric_scale,
       c.datetime_precision::int8 AS datetime_precision, c.udt_catalog::text AS udt_catalog, c.udt_schema::text AS udt_schema,
       c.udt_name::text AS udt_name, c.is_identity::text AS is_identity, c.is_generated::text AS is_generated,
       c.generation_expression::text AS generation_expression, c.is_updatable::text AS is_updatable, ${isHidden} AS is_hidden
  FROM information_schema.columns c
 WHERE c.table_schema IN (${db}, 'pg_catalog', 'information_schema')`;
}

/**
 * pg_catalog.pg_namespace: the current database's schema is `public` (its oid is the one the
 * engine's pg_class rows point at, so joins still work), the other databases and the simulator's
 * own schemas are not there, and pg_extension is (with an oid of its own, no relation in it).
 */
function pgNamespace(session: SqlSession): string {
  const db = quoteLiteral(session.database);
  return `SELECT n.oid, CASE WHEN n.nspname = ${db} THEN 'public'::name ELSE n.nspname END AS nspname, n.nspowner, n.nspacl
  FROM pg_catalog.pg_namespace n WHERE n.nspname IN (${db}, 'pg_catalog', 'information_schema', 'crdb_internal')
UNION ALL
SELECT 4294967295::oid, 'pg_extension'::name, (SELECT nspowner FROM pg_catalog.pg_namespace WHERE nspname = 'pg_catalog'), NULL::aclitem[]`;
}
