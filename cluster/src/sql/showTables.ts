// SHOW TABLES / INDEXES / COLUMNS / CREATE TABLE: the engine's catalog read back in CockroachDB's
// words (its type names, hidden columns, hash-sharded indexes, localities).
import type * as ast from '../../../sql/src/ast';
import { tableLocalityText } from '../../../sql/src/locality';
import { lex } from '../../../sql/src/lexer';
import { quoteIdent } from '../../../sql/src/names';
import { OID } from '../wire/messages';
import type { DatabaseMeta, TableMeta } from './catalog';
import type { ClusterContext, SqlSession } from './context';
import { rowsResult, type QueryResult } from './result';
import { bool, requireDatabase, textArray, type Row } from './showHelpers';
import { isPunct, Rewriter } from './rewrite';
import { DEFAULT_REGION_COLUMN, regionDefaultForDisplay, REGION_TYPE, rehomesRows } from './regionalByRow';
import { requireTable } from './tables';
import { partitioningClause } from './partitioning';
import { createStatementSuffix } from './showPartitions';
import { indexShardColumn, shardColumns, withShardColumns } from './shardColumns';
import { checkExpressionText, defaultExpressionText } from './checkDisplay';
import { crdbType } from './crdbTypeNames';
import { displayedStorageParams, EXPIRATION_COLUMN, expirationColumnLine, storageParamsClause } from './storageParams';
import { checkExpression, engineConstraints, referencesInPublic, type IndexInfo } from './showConstraints';
import { displayIndexNameSql } from './engineIndexNames';

// ---- tables, indexes, columns, CREATE ---------------------------------------------------------

export async function showTables(session: SqlSession, sql: string, databaseName: string | undefined): Promise<QueryResult> {
  const db = requireDatabase(session, databaseName);
  const cluster = session.cluster;
  // The owner is the role that created the relation; the engine's superuser is CockroachDB's root.
  const result = await cluster.engine.query<{ relname: string; kind: string; rows: number; owner: string | null }>(
    `SELECT c.relname, c.relkind AS kind, greatest(c.reltuples, 0)::float8 AS rows, r.rolname AS owner
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_roles r ON r.oid = c.relowner
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'v', 'm', 'S') ORDER BY c.relname`,
    [db.name],
  );
  const kinds: Record<string, string> = { r: 'table', v: 'view', m: 'materialized view', S: 'sequence' };
  return rowsResult(
    sql,
    ['schema_name', 'table_name', 'type', 'owner', ['estimated_row_count', OID.int8], 'locality'],
    result.rows.map((r) => {
      const table = cluster.catalog.table(db.name, r.relname);
      return [
        'public',
        r.relname,
        kinds[r.kind] ?? 'table',
        r.owner === null || r.owner === 'postgres' ? 'root' : r.owner,
        String(Math.round(r.rows)),
        table ? localityClause(table, db) : null,
      ];
    }),
  );
}

/** A table's locality as CockroachDB prints it (SHOW TABLES, SHOW CREATE). */
function localityClause(table: TableMeta, db: DatabaseMeta): string | null {
  if (db.primaryRegion === undefined) return null;
  return tableLocalityText(table.locality ?? { kind: 'regional-by-table' });
}

interface ColumnInfo {
  name: string;
  type: string;
  notNull: boolean;
  defaultExpr: string | null;
  generated: string | null;
  /** A hash-sharded index's shard column: hidden, virtual, not in the engine. */
  shard?: boolean;
}

/** A default or generated expression as PostgreSQL prints it, in CockroachDB's type names. */
function crdbDefault(expr: string | null, database: string): string | null {
  if (expr === null) return null;
  const tokens = lex(expr).tokens;
  const rewriter = new Rewriter(expr);
  tokens.forEach((token, i) => {
    const next = tokens[i + 1];
    if (token.kind === 'op' && token.value === '::' && next?.kind === 'ident') {
      const crdb = CAST_TYPES.get(next.value);
      if (crdb) rewriter.replace(next.start, next.end, crdb);
    }
    // The region enum lives in the database's schema in the engine, in public on CockroachDB.
    const type = tokens[i + 2];
    if (
      (token.kind === 'ident' || token.kind === 'qident') &&
      token.value === database &&
      isPunct(next, '.') &&
      type?.value === 'crdb_internal_region'
    )
      rewriter.replace(token.start, token.end, 'public');
  });
  return rewriter.apply();
}

/** Casts PostgreSQL prints in defaults, in CockroachDB's type names. */
const CAST_TYPES = new Map([
  ['text', 'STRING'],
  ['bigint', 'INT8'],
]);

async function columnsOf(cluster: ClusterContext, table: TableMeta): Promise<ColumnInfo[]> {
  const result = await cluster.engine.query<{
    name: string;
    type: string;
    not_null: boolean;
    default_expr: string | null;
    generated: string;
  }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
            pg_get_expr(d.adbin, d.adrelid) AS default_expr, a.attgenerated AS generated
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [table.database, table.name],
  );
  const columns = result.rows.map((r) => ({
    name: r.name,
    type: crdbType(r.type),
    notNull: r.not_null,
    defaultExpr:
      r.generated !== ''
        ? null
        : r.default_expr === null
          ? null
          : (defaultExpressionText(r.default_expr, crdbType(r.type)) ?? crdbDefault(r.default_expr, table.database)),
    generated: r.generated === '' ? null : crdbDefault(r.default_expr, table.database),
  }));
  return withShardColumns<ColumnInfo>(
    columns,
    (c) => c.name,
    shardColumns(table),
    (shard) => ({ name: shard.name, type: 'INT8', notNull: true, defaultExpr: null, generated: shard.expression, shard: true }),
  );
}

export async function indexesOf(cluster: ClusterContext, table: TableMeta): Promise<IndexInfo[]> {
  const result = await cluster.engine.query<{
    name: string;
    unique: boolean;
    primary: boolean;
    keys: number;
    columns: string[];
    options: number[];
    predicate: string | null;
  }>(
    `SELECT ${displayIndexNameSql('ic.relname')} AS name, i.indisunique AS unique, i.indisprimary AS primary, i.indnkeyatts AS keys,
            array(SELECT coalesce(a.attname, pg_get_indexdef(i.indexrelid, k.n::int + 1, true)) FROM generate_subscripts(i.indkey, 1) AS k(n)
                  LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.n] ORDER BY k.n) AS columns,
            i.indoption::int2[] AS options, pg_get_expr(i.indpred, i.indrelid) AS predicate
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 ORDER BY i.indisprimary DESC, ic.oid`,
    [table.database, table.name],
  );
  return result.rows.map((r) => ({
    name: r.name,
    unique: r.unique,
    primary: r.primary,
    columns: shardLed(
      table,
      r.name,
      r.columns.slice(0, r.keys).map((name, i) => ({ name, descending: ((r.options[i] ?? 0) & 1) === 1 })),
    ),
    storing: r.columns.slice(r.keys),
    where: r.predicate,
  }));
}

function shardLed(table: TableMeta, index: string, keys: IndexInfo['columns']): IndexInfo['columns'] {
  const shard = indexShardColumn(table, index);
  return shard === undefined ? keys : [{ name: shard, descending: false, implicit: true }, ...keys];
}

/** SHOW INDEXES's columns; SHOW INDEXES FROM DATABASE adds index_schema after index_name. */
const INDEX_COLUMNS: (string | [string, number])[] = [
  'table_name',
  'index_name',
  ['non_unique', OID.bool],
  ['seq_in_index', OID.int8],
  'column_name',
  'definition',
  'direction',
  ['storing', OID.bool],
  ['implicit', OID.bool],
  ['visible', OID.bool],
  ['visibility', OID.float8],
];

export async function showIndexes(session: SqlSession, sql: string, name: ast.QualifiedName | undefined): Promise<QueryResult> {
  return rowsResult(sql, INDEX_COLUMNS, await indexRows(session, requireTable(session, name)));
}

/**
 * SHOW INDEXES FROM DATABASE d (or the current database): every table's rows as SHOW INDEXES
 * gives them, with the index's schema, by table, index and column (CockroachDB's delegate reads
 * information_schema.statistics).
 */
export async function showDatabaseIndexes(session: SqlSession, sql: string, database: string | undefined): Promise<QueryResult> {
  const { name } = requireDatabase(session, database);
  const rows: Row[] = [];
  for (const table of session.cluster.catalog.tablesOf(name))
    for (const row of await indexRows(session, table)) rows.push([...row.slice(0, 2), 'public', ...row.slice(2)]);
  const key = (row: Row, i: number): string => row[i] ?? '';
  rows.sort((a, b) => compareText(key(a, 0), key(b, 0)) || compareText(key(a, 1), key(b, 1)) || Number(key(a, 4)) - Number(key(b, 4)));
  const columns = [...INDEX_COLUMNS.slice(0, 2), 'index_schema', ...INDEX_COLUMNS.slice(2)];
  return rowsResult(sql, columns, rows);
}

/** A byte-wise comparison of two names, as CockroachDB orders strings. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The table's rows of SHOW INDEXES: each index's key columns, stored columns, then the primary key's columns it carries implicitly. */
async function indexRows(session: SqlSession, table: TableMeta): Promise<Row[]> {
  const indexes = await indexesOf(session.cluster, table);
  const columns = await columnsOf(session.cluster, table);
  const rows: Row[] = [];
  for (const index of indexes) {
    let seq = 1;
    // visible, visibility: a NOT VISIBLE index is 0 (the primary key is always visible).
    const visibility = !index.primary && table.indexes.get(index.name)?.notVisible ? ['f', '0'] : ['t', '1'];
    for (const column of index.columns) {
      rows.push([
        table.name,
        index.name,
        bool(!index.unique),
        String(seq++),
        column.name,
        column.name,
        column.descending ? 'DESC' : 'ASC',
        'f',
        bool(column.implicit === true),
        ...visibility,
      ]);
    }
    const keyNames = new Set(index.columns.map((c) => c.name));
    const stored = index.primary ? columns.filter((c) => !keyNames.has(c.name) && c.generated === null).map((c) => c.name) : index.storing;
    for (const name of stored)
      rows.push([table.name, index.name, bool(!index.unique), String(seq++), name, name, 'N/A', 't', 'f', ...visibility]);
    if (!index.primary) {
      const pk = indexes.find((i) => i.primary);
      for (const column of pk?.columns ?? []) {
        if (keyNames.has(column.name) || index.storing.includes(column.name)) continue;
        rows.push([
          table.name,
          index.name,
          bool(!index.unique),
          String(seq++),
          column.name,
          column.name,
          column.descending ? 'DESC' : 'ASC',
          'f',
          't',
          ...visibility,
        ]);
      }
    }
  }
  return rows;
}

export async function showColumns(session: SqlSession, sql: string, name: ast.QualifiedName | undefined): Promise<QueryResult> {
  const table = requireTable(session, name);
  const columns = await columnsOf(session.cluster, table);
  const indexes = await indexesOf(session.cluster, table);
  return rowsResult(
    sql,
    [
      'column_name',
      'data_type',
      ['is_nullable', OID.bool],
      'column_default',
      'generation_expression',
      ['indices', OID.textArray],
      ['is_hidden', OID.bool],
    ],
    columns.map((c) => [
      c.name,
      c.type,
      bool(!c.notNull),
      c.defaultExpr,
      c.generated ?? '',
      textArray(
        indexes
          .filter((i) => i.columns.some((k) => k.name === c.name) || i.storing.includes(c.name) || (i.primary && c.shard !== true))
          .map((i) => i.name),
      ),
      bool(table.hidden.has(c.name) || c.shard === true),
    ]),
  );
}

export async function showCreateTable(session: SqlSession, sql: string, name: ast.QualifiedName | undefined): Promise<QueryResult> {
  const table = requireTable(session, name);
  const cluster = session.cluster;
  const db = cluster.catalog.databases.get(table.database);
  const columns = await columnsOf(cluster, table);
  const indexes = await indexesOf(cluster, table);
  const lines: string[] = [];
  const rehomes = await rehomesRows(cluster, table);
  // Names are printed as CockroachDB prints them, quoted where they would not read back bare, so
  // that the statement can be run again.
  const columnNames = new Set(columns.map((c) => c.name));
  const storage = await displayedStorageParams(cluster, table.storageParams ?? []);
  for (const c of columns) {
    const expiration = c.name === EXPIRATION_COLUMN ? expirationColumnLine(storage) : undefined;
    if (expiration !== undefined) {
      lines.push(expiration);
      continue;
    }
    // CockroachDB's order (FormatColumnForDisplay): visibility, then nullability, always written.
    let line = `${quoteIdent(c.name)} ${c.type}`;
    if (table.hidden.has(c.name) || c.shard === true) line += ' NOT VISIBLE';
    line += c.notNull ? ' NOT NULL' : ' NULL';
    if (c.defaultExpr !== null) line += ` DEFAULT ${c.type.endsWith(REGION_TYPE) ? regionDefaultForDisplay(c.defaultExpr) : c.defaultExpr}`;
    if (c.name === DEFAULT_REGION_COLUMN && rehomes) line += ` ON UPDATE rehome_row()::public.${REGION_TYPE}`;
    if (c.generated !== null) line += ` AS (${c.generated}) ${c.shard === true ? 'VIRTUAL' : 'STORED'}`;
    lines.push(line);
  }
  const keyList = (index: IndexInfo): string =>
    index.columns
      .filter((k) => k.implicit !== true)
      // A key that is no column is an expression, printed as the engine gives it.
      .map((k) => `${columnNames.has(k.name) ? quoteIdent(k.name) : k.name} ${k.descending ? 'DESC' : 'ASC'}`)
      .join(', ');
  const constraints = await engineConstraints(cluster, table);
  const types = new Map(columns.map((c) => [c.name, c.type]));
  // CockroachDB's order: the primary key, the foreign keys, the indexes, then the CHECK constraints.
  for (const index of indexes) {
    const buckets = table.indexes.get(index.name)?.hashBuckets;
    const hash = buckets === undefined ? '' : ` USING HASH WITH (bucket_count=${buckets})`;
    if (index.primary) {
      lines.push(`CONSTRAINT ${quoteIdent(index.name)} PRIMARY KEY (${keyList(index)})${hash}`);
      for (const fk of constraints)
        if (fk.kind === 'f') lines.push(`CONSTRAINT ${quoteIdent(fk.name)} ${referencesInPublic(fk.definition)}`);
    } else {
      let line = `${index.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(index.name)} (${keyList(index)})${hash}`;
      if (index.storing.length > 0) line += ` STORING (${index.storing.map(quoteIdent).join(', ')})`;
      const partitioning = table.indexes.get(index.name)?.partitioning;
      if (partitioning) line += partitioningClause(partitioning, 1);
      if (index.where) line += ` WHERE ${checkExpressionText(index.where, types, 'display')}`;
      if (table.indexes.get(index.name)?.notVisible) line += ' NOT VISIBLE';
      lines.push(line);
    }
  }
  for (const check of constraints) {
    if (check.kind !== 'c') continue;
    const { text, validated } = checkExpression(table, check, types, 'display');
    lines.push(`CONSTRAINT ${quoteIdent(check.name)} CHECK (${text})${validated ? '' : ' NOT VALID'}`);
  }
  let create = `CREATE TABLE public.${quoteIdent(table.name)} (\n\t${lines.join(',\n\t')}\n)`;
  create += storageParamsClause(storage);
  const locality = db ? localityClause(table, db) : null;
  if (locality) create += ` LOCALITY ${locality}`;
  const partitioning = table.indexes.get(`${table.name}_pkey`)?.partitioning;
  if (partitioning) create += partitioningClause(partitioning, 0);
  create += createStatementSuffix(cluster, table);
  // A qualified name is shown fully qualified, as CockroachDB resolves it.
  const shownName = (name?.parts.length ?? 1) > 1 ? `${table.database}.public.${table.name}` : table.name;
  return rowsResult(sql, ['table_name', 'create_statement'], [[shownName, create]]);
}
