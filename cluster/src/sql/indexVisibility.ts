// NOT VISIBLE indexes (CREATE INDEX … NOT VISIBLE, ALTER INDEX … [NOT] VISIBLE | INVISIBLE):
// CockroachDB keeps them up to date and still enforces a UNIQUE one, but its optimizer leaves
// them aside unless a hint names them. The engine's own notion is the same: an index marked
// not valid (pg_index.indisvalid) is maintained by every write, enforces its uniqueness, and is
// never planned. The catalog records the visibility for SHOW INDEXES and SHOW CREATE.
import type { Token } from '../../../sql/src/lexer';
import type { TableMeta } from './catalog';
import type { ClusterContext } from './context';
import { engineIndexRelation } from './engineIndexNames';
import { notSimulated, SqlError, SQLSTATE } from './errors';
import { isWord } from './rewrite';

/** The engine plans with the index (`engineName`, of `table`) again, or no longer. */
export async function setEngineVisibility(cluster: ClusterContext, table: TableMeta, engineName: string, visible: boolean): Promise<void> {
  await cluster.engine.query(`UPDATE pg_catalog.pg_index SET indisvalid = $2 WHERE indexrelid = to_regclass($1)`, [
    engineIndexRelation(table.database, engineName),
    visible,
  ]);
}

/** Makes the index NOT VISIBLE or visible again, in the engine and in the catalog; CockroachDB refuses to hide a primary key. */
export async function changeVisibility(
  cluster: ClusterContext,
  table: TableMeta,
  index: { name: string; engineName: string },
  visible: boolean,
): Promise<void> {
  const relation = engineIndexRelation(table.database, index.engineName);
  const primary = await cluster.engine.query<{ primary: boolean }>(
    `SELECT indisprimary AS primary FROM pg_catalog.pg_index WHERE indexrelid = to_regclass($1)`,
    [relation],
  );
  if (!visible && primary.rows[0]?.primary) throw new SqlError(SQLSTATE.featureNotSupported, 'primary index cannot be invisible');
  await setEngineVisibility(cluster, table, index.engineName, visible);
  const meta = table.indexes.get(index.name);
  if (meta && visible) delete meta.notVisible;
  else if (meta) meta.notVisible = true;
}

/**
 * The visibility an ALTER INDEX asks for from `at` on (NOT VISIBLE, INVISIBLE, VISIBLE), or
 * undefined when it asks for something else. VISIBILITY between 0 and 1 (a partially visible
 * index, which the optimizer uses for a share of queries) is not simulated.
 */
export function visibilityAt(tokens: readonly Token[], at: number): boolean | undefined {
  if (isWord(tokens[at], 'not') && isWord(tokens[at + 1], 'visible')) return false;
  if (isWord(tokens[at], 'invisible')) return false;
  if (isWord(tokens[at], 'visible')) return true;
  const written = tokens[at + 1];
  if (isWord(tokens[at], 'visibility') && written?.kind === 'number') {
    const value = Number(written.value);
    if (value === 1) return true;
    if (value === 0) return false;
    throw notSimulated('VISIBILITY between 0 and 1 (a partially visible index)');
  }
  return undefined;
}
