// The statements that partition a table's indexes: CREATE TABLE … PARTITION BY (the table's and its
// indexes'), CREATE INDEX … PARTITION BY, ALTER TABLE … PARTITION BY and ALTER INDEX … PARTITION BY.
// Each partitioning is built and validated completely (partitioning.ts) before the engine or the
// catalog changes; the engine stores no partitions, the catalog's indexes keep them.
import type * as ast from '../../../sql/src/ast';
import type { Token } from '../../../sql/src/lexer';
import { quoteIdent } from '../../../sql/src/names';
import type { TableMeta } from './catalog';
import type { ClusterContext, SqlSession } from './context';
import { notSimulated, SqlError, SQLSTATE } from './errors';
import { createPartitioning, flattenPartitions, keyColumn, type Evaluator, type KeyColumn, type PartitioningMeta } from './partitioning';
import { emptyResult, notice, type QueryResult } from './result';
import type { ErrorFields } from '../wire/messages';
import { databaseOf, partsOf, resolveParts, resolveTable } from './tables';
import { displayIndexNameSql } from './engineIndexNames';

const NON_PARTITIONED_INDEX_NOTICE = 'creating non-partitioned index on partitioned table may not be performant';

/** A PARTITION BY the parser could not read whole: CockroachDB's syntax error. */
function checkSyntax(parsed: ast.ParsedStatement | undefined, partitionBy: ast.PartitionBy): void {
  const error = parsed?.errors.find((e) => e.start >= partitionBy.start && e.start <= partitionBy.end);
  if (error) throw new SqlError(SQLSTATE.syntax, `at or near "${error.message}": syntax error`);
}

/** Enum labels by type name (the region enum, user enums), in their order. */
async function enumLabels(cluster: ClusterContext, schema: string, typeName: string): Promise<string[] | undefined> {
  const result = await cluster.engine.query<{ label: string }>(
    `SELECT e.enumlabel AS label FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typname = $1 AND n.nspname IN ($2, 'public') ORDER BY e.enumsortorder`,
    [typeName.replace(/^.*\./, ''), schema],
  );
  return result.rows.length > 0 ? result.rows.map((r) => r.label) : undefined;
}

/** Key columns of an index written in CREATE TABLE, typed from the statement's columns. */
async function keyColumnsFromStatement(
  cluster: ClusterContext,
  database: string,
  statement: ast.CreateTable,
  index: ast.IndexDef | undefined,
): Promise<KeyColumn[]> {
  if (!index) return [keyColumn('rowid', 'int8', false, false)];
  const columns: KeyColumn[] = [];
  for (const element of index.columns) {
    if (!element.name) throw notSimulated('partitioning an index on an expression');
    const name = element.name.value;
    const column = statement.columns.find((c) => c.name.value === name);
    const type = column?.type;
    const labels = type && !type.array ? await enumLabels(cluster, database, type.name) : undefined;
    const typeName = type?.name ?? 'unknown';
    columns.push(
      keyColumn(
        name,
        typeName,
        element.descending,
        type?.array ?? false,
        labels,
        ENGINE_TYPES[typeName] ?? (labels ? `${quoteIdent(database)}.${quoteIdent(typeName)}` : typeName),
      ),
    );
  }
  return columns;
}

/** Key columns of an index the engine has, typed from the engine's catalog. */
async function keyColumnsFromEngine(cluster: ClusterContext, table: TableMeta, indexName: string): Promise<KeyColumn[]> {
  const result = await cluster.engine.query<{
    name: string;
    type: string;
    sqlType: string;
    descending: boolean;
    array: boolean;
    enum: boolean;
    labels: string[];
  }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.atttypid::regtype::text AS "sqlType", (i.indoption[k.n - 1] & 1) = 1 AS descending,
            t.typcategory = 'A' AS array, t.typtype = 'e' AS enum,
            array(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = a.atttypid ORDER BY e.enumsortorder) AS labels
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace ns ON ns.oid = c.relnamespace
       CROSS JOIN LATERAL generate_series(1, i.indnkeyatts) AS k(n)
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[k.n - 1]
       JOIN pg_type t ON t.oid = a.atttypid
      WHERE ns.nspname = $1 AND c.relname = $2 AND ${displayIndexNameSql('ic.relname')} = $3 ORDER BY k.n`,
    [table.database, table.name, indexName],
  );
  return result.rows.map((r) => keyColumn(r.name, r.type, r.descending, r.array, r.enum ? r.labels : undefined, r.sqlType));
}

/** CockroachDB type names the engine spells differently. */
const ENGINE_TYPES: Record<string, string> = {
  string: 'text',
  bytes: 'bytea',
  int: 'int8',
  int64: 'int8',
  float: 'float8',
  timestamptz: 'timestamptz',
  crdb_internal_region: 'text',
};

/** Evaluates a partition value's constant expression on the engine, as the column's type. */
function engineEvaluator(cluster: ClusterContext): Evaluator {
  return async (expression, column) => {
    try {
      const result = await cluster.engine.query<{ v: string | null }>(`SELECT ((${expression})::${column.sqlType})::text AS v`);
      return result.rows[0]?.v ?? null;
    } catch {
      throw new SqlError(SQLSTATE.invalidTextRepresentation, `could not evaluate ${expression} as type ${column.typeName}`);
    }
  };
}

/** The name the engine gives an index written without one inside CREATE TABLE. */
function unnamedIndexName(table: string, index: ast.IndexDef): string {
  const columns = index.columns.map((c) => c.name?.value ?? 'expr').join('_');
  return `${table}_${columns}_${index.kind === 'unique' ? 'key' : 'idx'}`;
}

export interface TablePartitionings {
  /** Index name → its partitioning. */
  byIndex: Map<string, PartitioningMeta>;
  notices: string[];
}

/**
 * CREATE TABLE's partitionings, checked before the table is created: the table's PARTITION BY
 * partitions its primary index, an index's its own.
 */
export async function partitioningsOnCreate(
  session: SqlSession,
  statement: ast.CreateTable,
  parsed: ast.ParsedStatement | undefined,
): Promise<TablePartitionings> {
  const cluster = session.cluster;
  const database = databaseOf(session, statement.name);
  const table = statement.name.name.value;
  const byIndex = new Map<string, PartitioningMeta>();
  const notices: string[] = [];
  if (statement.partitionBy) {
    checkSyntax(parsed, statement.partitionBy);
    const keys = await keyColumnsFromStatement(cluster, database, statement, statement.primaryKey);
    if (statement.primaryKey?.usingHash && statement.partitionBy.method !== 'nothing')
      throw new SqlError(SQLSTATE.featureNotSupported, 'cannot set explicit partitioning with PARTITION BY on hash sharded primary key');
    const partitioning = await createPartitioning(statement.partitionBy, keys, `${table}_pkey`, engineEvaluator(cluster));
    if (partitioning) byIndex.set(`${table}_pkey`, partitioning);
  }
  for (const index of statement.indexes) {
    if (index.kind === 'primary') continue;
    const name = index.name?.value ?? unnamedIndexName(table, index);
    if (index.partitionBy) {
      checkSyntax(parsed, index.partitionBy);
      const keys = await keyColumnsFromStatement(cluster, database, statement, index);
      const partitioning = await createPartitioning(index.partitionBy, keys, name, engineEvaluator(cluster));
      if (partitioning) byIndex.set(name, partitioning);
    } else if (byIndex.has(`${table}_pkey`)) notices.push(NON_PARTITIONED_INDEX_NOTICE);
  }
  return { byIndex, notices };
}

/** Records CREATE TABLE's partitionings on the table's indexes once it exists. */
export function applyPartitionings(table: TableMeta, partitionings: TablePartitionings): void {
  for (const [name, partitioning] of partitionings.byIndex) {
    const index = table.indexes.get(name);
    if (index) index.partitioning = partitioning;
  }
  syncPartitionSummary(table);
}

/** CREATE INDEX … PARTITION BY: the index's partitioning, checked before the index is built. */
export async function partitioningOnCreateIndex(
  session: SqlSession,
  statement: ast.CreateIndex,
  parsed: ast.ParsedStatement | undefined,
): Promise<{ partitioning: PartitioningMeta | undefined; notices: string[] }> {
  const table = resolveTable(session, statement.table);
  if (!table) return { partitioning: undefined, notices: [] };
  const partitionBy = statement.index.partitionBy;
  if (!partitionBy)
    return { partitioning: undefined, notices: partitioned(table, `${table.name}_pkey`) ? [NON_PARTITIONED_INDEX_NOTICE] : [] };
  checkSyntax(parsed, partitionBy);
  if (session.cluster.catalog.isMultiRegion(table.database))
    throw new SqlError(SQLSTATE.featureNotSupported, 'cannot define PARTITION BY on a new INDEX in a multi-region database');
  const keys: KeyColumn[] = [];
  const types = await keyColumnsOfTable(session.cluster, table);
  for (const element of statement.index.columns) {
    if (!element.name) throw notSimulated('partitioning an index on an expression');
    const name = element.name.value;
    const known = types.get(name);
    if (!known) throw new SqlError('42703', `column "${name}" does not exist`);
    keys.push({ ...known, descending: element.descending });
  }
  const name =
    statement.index.name?.value ??
    `${table.name}_${keys.map((k) => k.name).join('_')}_${statement.index.kind === 'unique' ? 'key' : 'idx'}`;
  return { partitioning: await createPartitioning(partitionBy, keys, name, engineEvaluator(session.cluster)), notices: [] };
}

/** Every column of a table, typed as a key column would be (ascending). */
async function keyColumnsOfTable(cluster: ClusterContext, table: TableMeta): Promise<Map<string, KeyColumn>> {
  const result = await cluster.engine.query<{
    name: string;
    type: string;
    sqlType: string;
    array: boolean;
    enum: boolean;
    labels: string[];
  }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.atttypid::regtype::text AS "sqlType", t.typcategory = 'A' AS array, t.typtype = 'e' AS enum,
            array(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = a.atttypid ORDER BY e.enumsortorder) AS labels
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
      WHERE ns.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped`,
    [table.database, table.name],
  );
  return new Map(result.rows.map((r) => [r.name, keyColumn(r.name, r.type, false, r.array, r.enum ? r.labels : undefined, r.sqlType)]));
}

/** Records CREATE INDEX's partitioning once the engine built the index. */
export function applyIndexPartitioning(table: TableMeta, indexName: string, partitioning: PartitioningMeta | undefined): void {
  const index = table.indexes.get(indexName);
  if (!index) return;
  if (partitioning) index.partitioning = partitioning;
  else delete index.partitioning;
  syncPartitionSummary(table);
}

function partitioned(table: TableMeta, indexName: string): boolean {
  return table.indexes.get(indexName)?.partitioning !== undefined;
}

function refuseMultiRegion(session: SqlSession, table: TableMeta, what: 'table' | 'index'): void {
  if (!session.cluster.catalog.isMultiRegion(table.database)) return;
  if (what === 'table')
    throw new SqlError(SQLSTATE.featureNotSupported, 'cannot set PARTITION BY on a table in a multi-region enabled database');
  throw new SqlError(
    SQLSTATE.featureNotSupported,
    'cannot change the partitioning of an index if the table is part of a multi-region database',
  );
}

/** ALTER TABLE t PARTITION BY …: repartitions the primary index. */
export async function alterTablePartitionBy(
  session: SqlSession,
  text: string,
  statement: ast.AlterTable,
  partitionBy: ast.PartitionBy,
  parsed: ast.ParsedStatement | undefined,
): Promise<QueryResult> {
  if (statement.commands.length > 1) throw notSimulated('ALTER TABLE … PARTITION BY with other commands in the same statement');
  checkSyntax(parsed, partitionBy);
  const table = resolveTable(session, statement.name);
  if (!table) {
    if (statement.ifExists) return emptyResult(text, 'ALTER TABLE');
    throw new SqlError(SQLSTATE.undefinedTable, `relation "${partsOf(statement.name).join('.')}" does not exist`);
  }
  refuseMultiRegion(session, table, 'table');
  const primary = `${table.name}_pkey`;
  if (table.indexes.get(primary)?.hashBuckets !== undefined && partitionBy.method !== 'nothing')
    throw new SqlError(SQLSTATE.featureNotSupported, 'cannot set explicit partitioning with PARTITION BY on hash sharded primary key');
  const keys = await keyColumnsFromEngine(session.cluster, table, primary);
  const partitioning = await createPartitioning(partitionBy, keys, primary, engineEvaluator(session.cluster));
  repartition(session, table, primary, partitioning);
  return emptyResult(text, 'ALTER TABLE');
}

/** ALTER INDEX t@i PARTITION BY … (or an index named alone, found among the database's tables). */
export async function alterIndexPartitionBy(
  session: SqlSession,
  text: string,
  target: ast.ZoneTarget,
  partitionBy: ast.PartitionBy,
  parsed: ast.ParsedStatement | undefined,
): Promise<QueryResult> {
  checkSyntax(parsed, partitionBy);
  const { table, index } = resolveIndex(session, target);
  refuseMultiRegion(session, table, 'index');
  const keys = await keyColumnsFromEngine(session.cluster, table, index);
  const partitioning = await createPartitioning(partitionBy, keys, index, engineEvaluator(session.cluster));
  repartition(session, table, index, partitioning);
  return emptyResult(text, 'ALTER INDEX');
}

/** `t@i`, or `i` alone: the table and index, or CockroachDB's error. */
export function resolveIndex(session: SqlSession, target: ast.ZoneTarget): { table: TableMeta; index: string } {
  const parts = target.name ? partsOf(target.name) : [];
  if (target.index) {
    const table = resolveTable(session, target.name ?? { start: 0, end: 0, parts: [], name: target.index });
    if (!table) throw new SqlError(SQLSTATE.undefinedTable, `relation "${parts.join('.')}" does not exist`);
    const index = target.index.value;
    if (!table.indexes.has(index)) throw new SqlError(SQLSTATE.undefinedObject, `index "${index}" does not exist`);
    return { table, index };
  }
  const resolved = resolveParts(session, parts);
  const found = session.cluster.catalog.tablesOf(resolved.database).filter((t) => t.indexes.has(resolved.name));
  const table = found[0];
  if (!table) throw new SqlError(SQLSTATE.undefinedObject, `index "${resolved.name}" does not exist`);
  if (found.length > 1)
    throw new SqlError(
      SQLSTATE.ambiguousParameter,
      `index name "${resolved.name}" is ambiguous (found in ${found.map((t) => `${t.database}.public.${t.name}`).join(' and ')})`,
    );
  return { table, index: resolved.name };
}

/** Replaces an index's partitioning; zone configurations of partitions it no longer has go with them. */
function repartition(session: SqlSession, table: TableMeta, indexName: string, partitioning: PartitioningMeta | undefined): void {
  const cluster = session.cluster;
  const index = table.indexes.get(indexName);
  if (!index) return;
  const kept = new Set(partitioning ? flattenPartitions(partitioning).map((p) => p.partition.name) : []);
  const prefix = `partition:${table.database}.${table.name}@${indexName}#`;
  for (const key of [...cluster.catalog.zones.keys()])
    if (key.startsWith(prefix) && !kept.has(key.slice(prefix.length))) cluster.catalog.zones.delete(key);
  if (partitioning) index.partitioning = partitioning;
  else delete index.partitioning;
  syncPartitionSummary(table);
  cluster.topologyChanged();
  cluster.dataChanged([table]);
}

/**
 * TableMeta.partitions: whether the table is explicitly partitioned, and its partition names
 * (what the locality statements check).
 */
export function syncPartitionSummary(table: TableMeta): void {
  const all = [...table.indexes.values()].filter((i) => i.partitioning);
  const first = all[0]?.partitioning;
  table.partitions = first
    ? {
        column: first.columns[0] ?? '',
        names: all.flatMap((i) => (i.partitioning ? flattenPartitions(i.partitioning).map((p) => p.partition.name) : [])),
      }
    : undefined;
}

/** A NOTICE of the partitioning statements, with CockroachDB's hint. */
export function partitionNotice(message: string): ErrorFields {
  return { ...notice(message), hint: 'Consider modifying the index such that it is also partitioned.' };
}

/** After DROP INDEX ran on the engine: the catalog forgets the indexes, their partitions and their zone configurations. */
export function forgetDroppedIndexes(session: SqlSession, drop: ast.Drop): void {
  const cluster = session.cluster;
  for (const { name, index: written } of drop.names) {
    let found: { table: TableMeta; index: string };
    try {
      found = resolveIndex(session, { start: 0, end: 0, kind: 'index', name, ...(written ? { index: written } : {}) });
    } catch {
      continue;
    }
    const { table, index } = found;
    table.indexes.delete(index);
    for (const key of [...cluster.catalog.zones.keys()])
      if (key === `index:${table.database}.${table.name}@${index}` || key.startsWith(`partition:${table.database}.${table.name}@${index}#`))
        cluster.catalog.zones.delete(key);
    syncPartitionSummary(table);
  }
}

/**
 * After ALTER TABLE … RENAME COLUMN a TO b ran on the engine: partitionings name their columns,
 * so they follow the rename (CockroachDB keeps column IDs and prints the new name).
 */
export function renamePartitionColumns(table: TableMeta, tokens: readonly Token[]): void {
  const word = (i: number): string | undefined => {
    const t = tokens[i];
    return t?.kind === 'ident' || t?.kind === 'qident' ? t.value : undefined;
  };
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]?.kind !== 'ident' || word(i) !== 'rename') continue;
    const at = word(i + 1) === 'column' ? i + 2 : i + 1;
    const from = word(at);
    const to = word(at + 2);
    if (from === undefined || to === undefined || word(at + 1) !== 'to' || tokens[at + 1]?.kind !== 'ident') continue;
    for (const index of table.indexes.values()) if (index.partitioning) renameIn(index.partitioning, from, to);
  }
  syncPartitionSummary(table);
}

function renameIn(partitioning: PartitioningMeta, from: string, to: string): void {
  partitioning.columns = partitioning.columns.map((c) => (c === from ? to : c));
  for (const partition of partitioning.partitions) if (partition.subpartitioning) renameIn(partition.subpartitioning, from, to);
}

/** ALTER TABLE commands the simulator does not carry a partitioned primary key through: refused plainly. */
export function refuseOnPartitionedPrimaryKey(session: SqlSession, statement: ast.AlterTable): void {
  if (!statement.commands.some((c) => c.kind === 'alter-primary-key')) return;
  const table = resolveTable(session, statement.name);
  if (table?.indexes.get(`${table.name}_pkey`)?.partitioning)
    throw notSimulated('ALTER PRIMARY KEY on a table whose primary key is partitioned');
}
