// The name CockroachDB gives an index written without one: `<table>_<key columns>_key` for a
// UNIQUE index, `<table>_<key columns>_idx` otherwise. PostgreSQL, which names the engine's
// indexes, writes `_idx` for both and counts STORING (INCLUDE) columns in the name: unnamed indexes
// are named here before the engine sees them. A taken name gets the first free number appended,
// as both do.
import type * as ast from '../../../sql/src/ast';
import type { ClusterContext } from './context';
import { relationNamesFrom } from './engineIndexNames';

/** CockroachDB's name for an unnamed secondary index on plain columns; undefined otherwise (the engine's name stands). */
export function indexBaseName(table: string, index: ast.IndexDef): string | undefined {
  if (index.kind === 'primary' || index.name !== undefined || index.vector) return undefined;
  const columns = index.columns.map((c) => c.name?.value);
  if (columns.length === 0 || columns.some((c) => c === undefined)) return undefined;
  return `${table}_${columns.join('_')}_${index.kind === 'unique' ? 'key' : 'idx'}`;
}

/**
 * `base`, or `base1`, `base2`… : the first that no relation of the database's schema (the engine
 * names indexes per schema) and no name in `alsoTaken` holds. One lookup of the names with that prefix.
 */
export async function freeIndexName(
  cluster: ClusterContext,
  database: string,
  base: string,
  alsoTaken: ReadonlySet<string>,
): Promise<string> {
  const taken = new Set([...alsoTaken, ...(await relationNamesFrom(cluster, database, base))]);
  if (!taken.has(base)) return base;
  for (let n = 1; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}

/**
 * Names for the unnamed indexes written inside a CREATE TABLE, by index definition (an unnamed
 * UNIQUE constraint is named so by the engine too; its name is counted as taken all the same).
 */
export async function indexNames(
  cluster: ClusterContext,
  database: string,
  statement: ast.CreateTable,
): Promise<Map<ast.IndexDef, string>> {
  const names = new Map<ast.IndexDef, string>();
  const written = new Set(statement.indexes.map((i) => i.name?.value).filter((n): n is string => n !== undefined));
  for (const index of statement.indexes) {
    const base = indexBaseName(statement.name.name.value, index);
    if (base === undefined) continue;
    const name = await freeIndexName(cluster, database, base, new Set([...written, ...names.values()]));
    names.set(index, name);
  }
  return names;
}
