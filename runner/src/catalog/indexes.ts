// A table's indexes from SHOW INDEXES (one row per column of each index: key columns, STORING
// columns, and the implicit ones CockroachDB adds — the primary key's columns at the end of a
// secondary index, the shard column of a hash-sharded index, the region column of a REGIONAL BY
// ROW table), completed from SHOW CREATE TABLE where SHOW INDEXES is silent: a partial index's
// predicate and a hash-sharded index's bucket count.
import type * as ast from '../../../sql/src/ast';
import { parseDocument } from '../../../sql/src/parser';

export interface CatalogIndex {
  name: string;
  unique: boolean;
  primary: boolean;
  /** Key columns as written, `ts DESC` for a descending one; implicit columns left out. */
  columns: string[];
  storing: string[];
  hashSharded: boolean;
  bucketCount?: number;
  /** The WHERE of a partial index. */
  predicate?: string;
  /** NOT VISIBLE to the optimizer. */
  notVisible?: boolean;
}

/** The hidden column a hash-sharded index is led by: `crdb_internal_<columns>_shard_<buckets>`. */
function isShardColumn(name: string): boolean {
  return name.startsWith('crdb_internal_') && name.includes('_shard_');
}

export function readIndexes(rows: readonly Record<string, string | null>[], createStatement: string | undefined): CatalogIndex[] {
  const byName = new Map<string, CatalogIndex>();
  for (const r of rows) {
    const name = r.index_name ?? '';
    let index = byName.get(name);
    if (!index) {
      index = {
        name,
        unique: r.non_unique === 'f' || r.non_unique === 'false',
        primary: false,
        columns: [],
        storing: [],
        hashSharded: false,
      };
      if (r.visible === 'f' || r.visible === 'false') index.notVisible = true;
      byName.set(name, index);
    }
    const column = r.column_name ?? '';
    const implicit = r.implicit === 't' || r.implicit === 'true';
    const storing = r.storing === 't' || r.storing === 'true';
    if (storing) {
      // A primary index "stores" every other column: that is not what STORING means to a reader.
      index.storing.push(column);
    } else if (implicit) {
      if (isShardColumn(column)) index.hashSharded = true;
    } else {
      index.columns.push(r.direction === 'DESC' ? `${column} DESC` : column);
    }
  }
  const defined = createStatement === undefined ? new Map<string, ast.IndexDef>() : definitions(createStatement);
  for (const index of byName.values()) {
    const def = defined.get(index.name);
    if (def?.kind === 'primary') index.primary = true;
    if (def?.usingHash) index.hashSharded = true;
    if (def?.bucketCount !== undefined) index.bucketCount = def.bucketCount;
    if (def?.where) index.predicate = def.where.text;
    if (index.primary || (def === undefined && index.name.endsWith('_pkey'))) {
      index.primary = true;
      index.storing = [];
    }
  }
  return [...byName.values()];
}

/** The indexes SHOW CREATE TABLE writes, by name. */
function definitions(createStatement: string): Map<string, ast.IndexDef> {
  const out = new Map<string, ast.IndexDef>();
  const statement = parseDocument(createStatement).statements[0]?.statement;
  if (statement?.type !== 'create-table') return out;
  const all = statement.primaryKey ? [statement.primaryKey, ...statement.indexes] : statement.indexes;
  for (const index of all) {
    const name = index.name?.value;
    if (name !== undefined) out.set(name, index);
  }
  return out;
}
