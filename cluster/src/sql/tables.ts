// Tables by name: what a written name resolves to (sql/'s resolver, over the catalog), and the
// catalog's record of tables kept in step with the engine as statements create, rename and
// drop them.
import type * as ast from '../../../sql/src/ast';
import { quoteIdent, resolveName, type ResolvedName } from '../../../sql/src/names';
import type { TableLocalitySpec } from '../../../sql/src/locality';
import { tableKey, type Catalog, type IndexMeta, type TableMeta } from './catalog';
import type { ClusterContext, SqlSession } from './context';
import { displayIndexName, displayIndexNameSql } from './engineIndexNames';
import { SqlError, SQLSTATE } from './errors';
import type { HashShardedIndex, TableTranslation } from './translate';

/** What `parts` names from `session`: a database, schema and object. */
export function resolveParts(session: SqlSession, parts: readonly string[]): ResolvedName {
  const databases = session.cluster.catalog.databases;
  return resolveName(parts, session.database, (name) => databases.has(name));
}

/** The database a (possibly qualified) name lives in. */
export function databaseOf(session: SqlSession, name: ast.QualifiedName): string {
  return resolveParts(session, partsOf(name)).database;
}

export function partsOf(name: ast.QualifiedName): string[] {
  return name.parts.map((p) => p.value);
}

/** The catalog table `parts` names, if there is one (tables live in public schemas only). */
export function lookupTable(session: SqlSession, parts: readonly string[]): TableMeta | undefined {
  const resolved = resolveParts(session, parts);
  if (resolved.schema !== 'public') return undefined;
  return session.cluster.catalog.table(resolved.database, resolved.name);
}

export function resolveTable(session: SqlSession, name: ast.QualifiedName): TableMeta | undefined {
  return lookupTable(session, partsOf(name));
}

/** The table `name` names, or CockroachDB's error for a relation that does not exist. */
export function requireTable(session: SqlSession, name: ast.QualifiedName | undefined): TableMeta {
  const table = name && resolveTable(session, name);
  if (!table) throw new SqlError(SQLSTATE.undefinedTable, `relation "${name ? partsOf(name).join('.') : ''}" does not exist`);
  return table;
}

/** A table's columns and primary key, in the engine's column order (generated columns left out). */
export async function tableColumns(cluster: ClusterContext, table: TableMeta): Promise<{ primaryKey: string[]; columns: string[] }> {
  const result = await cluster.engine.query<{ attname: string; pk: boolean }>(
    `SELECT a.attname, coalesce(a.attnum = ANY (i.indkey), false) AS pk
       FROM pg_attribute a
       LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
      WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      ORDER BY a.attnum`,
    [engineRelation(table)],
  );
  return { primaryKey: result.rows.filter((r) => r.pk).map((r) => r.attname), columns: result.rows.map((r) => r.attname) };
}

/**
 * The table's name for the engine, for to_regclass: its oid is then looked up once, and the
 * catalog rows read by oid (by index), rather than joined by name over every relation of the
 * engine (a cost that grew with the number of tables).
 */
export function engineRelation(table: TableMeta): string {
  return `${quoteIdent(table.database)}.${quoteIdent(table.name)}`;
}

/** The name of the index the engine created last on `table` (an unnamed CREATE INDEX's). */
export async function newestIndexName(cluster: ClusterContext, table: TableMeta): Promise<string | undefined> {
  const result = await cluster.engine.query<{ relname: string }>(
    `SELECT ic.relname FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 ORDER BY ic.oid DESC LIMIT 1`,
    [table.database, table.name],
  );
  const name = result.rows[0]?.relname;
  return name === undefined ? undefined : displayIndexName(name);
}

/**
 * A CREATE INDEX … USING HASH's sharding: its bucket count and key columns; its shard column
 * goes after the table's last column, as CockroachDB appends a column it adds.
 */
export async function shardingOfNewIndex(
  cluster: ClusterContext,
  table: TableMeta,
  statement: ast.CreateIndex,
  buckets: number | undefined,
): Promise<Pick<IndexMeta, 'hashBuckets' | 'hashColumns' | 'shardAfter'>> {
  if (buckets === undefined) return {};
  const columns = statement.index.columns.map((c) => c.name?.value ?? c.expr?.text ?? '');
  const last = (await tableColumns(cluster, table)).columns.at(-1);
  return { hashBuckets: buckets, hashColumns: columns, ...(last !== undefined ? { shardAfter: last } : {}) };
}

/** Records a table the engine just created: its locality, hidden columns, indexes and partitions. */
export async function registerTable(
  cluster: ClusterContext,
  database: string,
  statement: ast.CreateTable,
  locality: TableLocalitySpec | undefined,
  translated: TableTranslation,
): Promise<TableMeta> {
  const table = cluster.catalog.addTable(database, statement.name.name.value);
  if (locality) table.locality = locality;
  for (const column of translated.hidden) table.hidden.add(column);
  table.indexes.set(`${table.name}_pkey`, { name: `${table.name}_pkey`, id: 1 });
  const indexes = await cluster.engine.query<{ relname: string; primary: boolean; columns: string[] }>(
    `SELECT ic.relname, i.indisprimary AS primary,
            ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, false) FROM generate_series(1, i.indnkeyatts) k) AS columns
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
      WHERE i.indrelid = to_regclass($1) ORDER BY ic.oid`,
    [engineRelation(table)],
  );
  const unclaimed = translated.hashSharded.filter((h) => !h.primary);
  // CockroachDB adds a sharded index's shard column after the columns the statement wrote.
  const shardAfter = statement.columns[statement.columns.length - 1]?.name.value;
  const sharding = (buckets: number, columns: string[]): IndexMeta => ({
    name: '',
    id: 0,
    hashBuckets: buckets,
    hashColumns: columns,
    ...(shardAfter !== undefined ? { shardAfter } : {}),
  });
  for (const index of indexes.rows) {
    if (index.primary) continue;
    const name = displayIndexName(index.relname);
    const sharded = claimShardedIndex(unclaimed, name, index.columns);
    table.indexes.set(name, {
      ...(sharded ? sharding(sharded.buckets, index.columns) : {}),
      ...(translated.notVisible.includes(name) ? { notVisible: true } : {}),
      name,
      id: table.nextIndexId++,
    });
  }
  const primarySharding = translated.hashSharded.find((h) => h.primary);
  const primary = table.indexes.get(`${table.name}_pkey`);
  const primaryColumns = indexes.rows.find((i) => i.primary)?.columns ?? [];
  if (primarySharding && primary)
    Object.assign(primary, sharding(primarySharding.buckets, primaryColumns), { name: primary.name, id: primary.id });
  cluster.topologyChanged();
  return table;
}

/**
 * The USING HASH definition an engine index came from: by name, or for an unnamed one by its key
 * columns. Each definition is claimed once, so two unnamed indexes on the same columns stay apart.
 */
function claimShardedIndex(unclaimed: HashShardedIndex[], name: string, columns: readonly string[]): HashShardedIndex | undefined {
  const at = unclaimed.findIndex(
    (h) =>
      h.index === name || (h.index === undefined && h.columns.length === columns.length && h.columns.every((c, i) => c === columns[i])),
  );
  return at === -1 ? undefined : unclaimed.splice(at, 1)[0];
}

export function renameTable(catalog: Catalog, table: TableMeta, to: string): void {
  catalog.tables.delete(tableKey(table.database, table.name));
  table.name = to;
  catalog.tables.set(tableKey(table.database, to), table);
}

/** After DROP TABLE ran on the engine: the catalog forgets the tables too. */
export function forgetDroppedTables(session: SqlSession, drop: ast.Drop): void {
  for (const { name } of drop.names) {
    const table = resolveTable(session, name);
    if (table) session.cluster.catalog.dropTable(table.database, table.name);
  }
}

/**
 * The catalog tables a statement names (its translation's list, which holds a write's targets),
 * or 'all' when a name is not one (a function, a view, a CTE): what such a statement writes is
 * not known.
 */
export function tablesNamed(session: SqlSession, names: readonly (readonly string[])[]): TableMeta[] | 'all' {
  const tables: TableMeta[] = [];
  for (const parts of names) {
    const table = lookupTable(session, parts);
    if (!table) return 'all';
    tables.push(table);
  }
  return tables;
}

/** The schemas every CockroachDB database has whose tables are virtual (no ranges, no rows stored). */
const VIRTUAL_SCHEMAS = new Set(['pg_catalog', 'information_schema', 'crdb_internal', 'pg_extension']);

/** Whether a name as written (1 to 3 parts) is a virtual table: in a virtual schema, or a pg_catalog table named alone. */
export function namesVirtualTable(parts: readonly string[]): boolean {
  if (parts.length === 1) return (parts[0] ?? '').startsWith('pg_');
  return VIRTUAL_SCHEMAS.has(parts[parts.length - 2] ?? '');
}

/** The engine's name of `table`'s index (or index-backed constraint) that CockroachDB calls `name`, if it has one. */
export async function engineNameOnTable(cluster: ClusterContext, table: TableMeta, name: string): Promise<string | undefined> {
  const result = await cluster.engine.query<{ relname: string }>(
    `SELECT ic.relname FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
      WHERE i.indrelid = to_regclass($1) AND ${displayIndexNameSql('ic.relname')} = $2`,
    [engineRelation(table), name],
  );
  return result.rows[0]?.relname;
}

/** The indexes CockroachDB calls `name` in `database`: their tables, and their engine names. */
async function indexesNamed(cluster: ClusterContext, database: string, name: string): Promise<{ table: string; index: string }[]> {
  const result = await cluster.engine.query<{ table: string; index: string }>(
    `SELECT c.relname AS table, ic.relname AS index
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND ${displayIndexNameSql('ic.relname')} = $2 ORDER BY c.relname`,
    [database, name],
  );
  return result.rows;
}

/**
 * The index CockroachDB calls `name` in `database`, written without its table (DROP INDEX i,
 * ALTER INDEX i): its table's name and its engine name; undefined when no table has it. Two
 * tables that have it make the name ambiguous.
 */
export async function indexNamedAlone(
  cluster: ClusterContext,
  database: string,
  name: string,
): Promise<{ table: string; index: string } | undefined> {
  const found = await indexesNamed(cluster, database, name);
  if (found.length > 1)
    throw new SqlError(
      SQLSTATE.ambiguousParameter,
      `index name "${name}" is ambiguous (found in ${found.map((f) => `${database}.public.${f.table}`).join(' and ')})`,
    );
  return found[0];
}
