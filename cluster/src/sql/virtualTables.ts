// CockroachDB's virtual catalog tables the engine has no copy of, built from the simulator's
// catalog when a query reads them: crdb_internal.databases / tables / jobs / node_sessions /
// cluster_sessions / node_queries / cluster_queries, and system.namespace. (crdb_internal.gossip_nodes, ranges, kv_node_status
// are engine tables filled before a query reads them: see crdbInternal.ts.)
import { OID } from '../wire/messages';
import type { SqlSession } from './context';
import { JOB_COLUMNS, clusterJobs, jobRow } from './jobs';
import { rowsResult, type QueryResult } from './result';
import { showQueries, showSessions, visibleJobs } from './showActivity';
import { createDatabaseStatement } from './showCatalog';
import { allDatabases, survivalText, textArray, type Row } from './showHelpers';
import { tableLocalityText } from '../../../sql/src/locality';

/** The system database's tables users look up, with their fixed descriptor IDs. */
const SYSTEM_TABLES: [string, number][] = [
  ['descriptor', 3],
  ['users', 4],
  ['zones', 5],
  ['settings', 6],
  ['lease', 11],
  ['eventlog', 12],
  ['rangelog', 13],
  ['ui', 14],
  ['jobs', 15],
  ['web_sessions', 19],
  ['table_statistics', 20],
  ['locations', 21],
  ['role_members', 23],
  ['comments', 24],
  ['namespace', 30],
  ['role_options', 33],
  ['scheduled_jobs', 37],
];
const SYSTEM_DATABASE_ID = 1;
const SYSTEM_PUBLIC_SCHEMA_ID = 29;

type Builder = (session: SqlSession, sql: string) => QueryResult | Promise<QueryResult>;

const VIRTUAL_TABLES = new Map<string, Builder>([
  ['crdb_internal.databases', databases],
  ['crdb_internal.tables', tables],
  [
    'crdb_internal.jobs',
    async (session, sql) => rowsResult(sql, JOB_COLUMNS, (await visibleJobs(session, clusterJobs(session.cluster))).map(jobRow)),
  ],
  ['crdb_internal.node_sessions', (session, sql) => showSessions(session, sql, false)],
  ['crdb_internal.cluster_sessions', (session, sql) => showSessions(session, sql, true)],
  ['crdb_internal.node_queries', (session, sql) => showQueries(session, sql)],
  ['crdb_internal.cluster_queries', (session, sql) => showQueries(session, sql)],
  ['crdb_internal.table_row_statistics', tableRowStatistics],
  ['system.namespace', namespace],
]);

/** The rows of virtual table `schema.name` (crdb_internal.x or system.x), or undefined if it is not one. */
export async function virtualTable(session: SqlSession, sql: string, schema: string, name: string): Promise<QueryResult | undefined> {
  return VIRTUAL_TABLES.get(`${schema}.${name}`)?.(session, sql);
}

export function isVirtualTable(schema: string, name: string): boolean {
  return VIRTUAL_TABLES.has(`${schema}.${name}`);
}

/** The crdb_internal tables a query can read (built here, or filled in the engine: crdbInternal.ts), as CockroachDB names them. */
export const CRDB_INTERNAL_TABLE_NAMES: readonly string[] = [
  ...[...VIRTUAL_TABLES.keys()].filter((key) => key.startsWith('crdb_internal.')).map((key) => key.slice('crdb_internal.'.length)),
  'gossip_liveness',
  'gossip_nodes',
  'kv_node_status',
  'ranges',
].sort();

/**
 * crdb_internal.table_row_statistics: each table of the current database with the row count its
 * latest statistics estimate (the engine's, as SHOW TABLES' estimated_row_count reads them; 0
 * before any are collected, as CockroachDB reports a table without statistics).
 */
async function tableRowStatistics(session: SqlSession, sql: string): Promise<QueryResult> {
  const catalog = session.cluster.catalog;
  const estimates = await session.cluster.engine.query<{ relname: string; rows: number }>(
    `SELECT c.relname, greatest(c.reltuples, 0)::float8 AS rows FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')`,
    [session.database],
  );
  const rows: Row[] = [];
  for (const r of estimates.rows) {
    const table = catalog.table(session.database, r.relname);
    if (table) rows.push([String(table.id), table.name, String(Math.round(r.rows))]);
  }
  rows.sort((a, b) => Number(a[0]) - Number(b[0]));
  return rowsResult(sql, [['table_id', OID.int8], 'table_name', ['estimated_row_count', OID.int8]], rows);
}

function databases(session: SqlSession, sql: string): QueryResult {
  const rows: Row[] = allDatabases(session.cluster).map((db) => [
    String(db.id),
    db.name,
    'root',
    db.primaryRegion ?? null,
    db.secondaryRegion ?? null,
    textArray([...db.regions].sort()),
    survivalText(db),
    db.placement === 'restricted' ? 'restricted' : null,
    createDatabaseStatement(db),
  ]);
  rows.push([String(SYSTEM_DATABASE_ID), 'system', 'node', null, null, '{}', null, null, 'CREATE DATABASE system']);
  rows.sort((a, b) => Number(a[0]) - Number(b[0]));
  return rowsResult(
    sql,
    [
      ['id', OID.int8],
      'name',
      'owner',
      'primary_region',
      'secondary_region',
      ['regions', OID.textArray],
      'survival_goal',
      'placement_policy',
      'create_statement',
    ],
    rows,
  );
}

function tables(session: SqlSession, sql: string): QueryResult {
  const catalog = session.cluster.catalog;
  const rows: Row[] = SYSTEM_TABLES.map(([name, id]) => [
    String(id),
    String(SYSTEM_DATABASE_ID),
    name,
    'system',
    '1',
    'PUBLIC',
    null,
    'public',
    String(SYSTEM_PUBLIC_SCHEMA_ID),
    null,
  ]);
  for (const table of catalog.tables.values()) {
    const db = catalog.databases.get(table.database);
    if (!db) continue;
    rows.push([
      String(table.id),
      String(db.id),
      table.name,
      db.name,
      '1',
      'PUBLIC',
      null,
      'public',
      String(db.id + 1),
      db.primaryRegion === undefined ? null : tableLocalityText(table.locality ?? { kind: 'regional-by-table' }),
    ]);
  }
  rows.sort((a, b) => Number(a[0]) - Number(b[0]));
  return rowsResult(
    sql,
    [
      ['table_id', OID.int8],
      ['parent_id', OID.int8],
      'name',
      'database_name',
      ['version', OID.int8],
      'state',
      ['drop_time', OID.timestamp],
      'schema_name',
      ['parent_schema_id', OID.int8],
      'locality',
    ],
    rows,
  );
}

/** system.namespace: (parentID, parentSchemaID, name) → id for databases, schemas and tables. */
function namespace(session: SqlSession, sql: string): QueryResult {
  const catalog = session.cluster.catalog;
  const rows: Row[] = [
    ['0', '0', 'system', String(SYSTEM_DATABASE_ID)],
    [String(SYSTEM_DATABASE_ID), '0', 'public', String(SYSTEM_PUBLIC_SCHEMA_ID)],
    ...SYSTEM_TABLES.map(([name, id]): Row => [String(SYSTEM_DATABASE_ID), String(SYSTEM_PUBLIC_SCHEMA_ID), name, String(id)]),
  ];
  for (const db of allDatabases(session.cluster)) {
    rows.push(['0', '0', db.name, String(db.id)], [String(db.id), '0', 'public', String(db.id + 1)]);
  }
  for (const table of catalog.tables.values()) {
    const db = catalog.databases.get(table.database);
    if (db) rows.push([String(db.id), String(db.id + 1), table.name, String(table.id)]);
  }
  return rowsResult(sql, [['parentID', OID.int8], ['parentSchemaID', OID.int8], 'name', ['id', OID.int8]], rows);
}
