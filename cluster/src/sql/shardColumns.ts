// The hidden column CockroachDB adds for each hash-sharded index: `crdb_internal_<columns>_shard_<n>`,
// a NOT VISIBLE virtual INT8 computed from the index's key columns. The engine has no such column
// (PostgreSQL plans for itself); it is derived from the catalog's hash-sharded indexes and shown
// where CockroachDB shows it: SHOW CREATE TABLE, SHOW COLUMNS (hidden), SHOW INDEXES (the first,
// implicit, key column of the sharded index).
import type { TableMeta } from './catalog';

export interface ShardColumn {
  name: string;
  /** CockroachDB's computed expression, as SHOW CREATE and SHOW COLUMNS print it. */
  expression: string;
  /** The column it follows in the table's column order (undefined: at the end). */
  after: string | undefined;
}

/**
 * CockroachDB sorts the key columns' names (tabledesc.GetShardColumnName), so indexes on the same
 * columns with the same bucket count share one shard column, whatever their column order.
 */
export function shardColumnName(keyColumns: readonly string[], buckets: number): string {
  return ['crdb_internal', ...[...keyColumns].sort(), `shard_${buckets}`].join('_');
}

/** The computed expression (schemaexpr.MakeHashShardComputeExpr), over the sorted key columns. */
export function shardExpression(keyColumns: readonly string[], buckets: number): string {
  return `mod(fnv32(md5(crdb_internal.datums_to_bytes(${[...keyColumns].sort().join(', ')}))), ${buckets}:::INT8)`;
}

/** The table's shard columns, one per distinct column set and bucket count, in index creation order. */
export function shardColumns(table: TableMeta): ShardColumn[] {
  const out = new Map<string, ShardColumn>();
  const indexes = [...table.indexes.values()].sort((a, b) => a.id - b.id);
  for (const index of indexes) {
    if (index.hashBuckets === undefined || index.hashColumns === undefined) continue;
    const name = shardColumnName(index.hashColumns, index.hashBuckets);
    if (!out.has(name)) out.set(name, { name, expression: shardExpression(index.hashColumns, index.hashBuckets), after: index.shardAfter });
  }
  return [...out.values()];
}

/** The shard column leading a hash-sharded index's key, if the index is one. */
export function indexShardColumn(table: TableMeta, indexName: string): string | undefined {
  const index = table.indexes.get(indexName);
  if (index?.hashBuckets === undefined || index.hashColumns === undefined) return undefined;
  return shardColumnName(index.hashColumns, index.hashBuckets);
}

/** `columns` with the shard columns placed where CockroachDB lists them: each after the column it follows. */
export function withShardColumns<T>(
  columns: readonly T[],
  nameOf: (column: T) => string,
  shards: readonly ShardColumn[],
  make: (shard: ShardColumn) => T,
): T[] {
  if (shards.length === 0) return [...columns];
  const names = new Set(columns.map(nameOf));
  const out: T[] = [];
  for (const column of columns) {
    out.push(column);
    for (const shard of shards) if (shard.after === nameOf(column)) out.push(make(shard));
  }
  for (const shard of shards) if (shard.after === undefined || !names.has(shard.after)) out.push(make(shard));
  return out;
}
