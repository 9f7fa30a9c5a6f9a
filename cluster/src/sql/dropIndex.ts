// DROP INDEX t@i (or i alone): CockroachDB names an index within its table; the engine names it
// within its schema (each database is one), and by a name of its own where another relation held
// the index's name (engineIndexNames.ts). Each index is written for the engine as `"db".name`.
import type * as ast from '../../../sql/src/ast';
import type { SqlSession } from './context';
import { engineIndexRelation } from './engineIndexNames';
import { SqlError, SQLSTATE } from './errors';
import { engineNameOnTable, indexNamedAlone, partsOf, resolveParts, resolveTable } from './tables';

/** The engine's `"db".name` for one written index, or undefined when it does not exist. */
async function engineIndex(session: SqlSession, written: ast.Drop['names'][number], ifExists: boolean): Promise<string | undefined> {
  if (written.index) {
    const table = resolveTable(session, written.name);
    if (!table && ifExists) return undefined;
    if (!table) throw new SqlError(SQLSTATE.undefinedTable, `relation "${partsOf(written.name).join('.')}" does not exist`);
    const engineName = await engineNameOnTable(session.cluster, table, written.index.value);
    return engineName === undefined ? undefined : engineIndexRelation(table.database, engineName);
  }
  const { database, name } = resolveParts(session, partsOf(written.name));
  const only = await indexNamedAlone(session.cluster, database, name);
  return only === undefined ? undefined : engineIndexRelation(database, only.index);
}

/**
 * The statement with each index written for the engine; under IF EXISTS an index that does not
 * exist is left out (undefined text: none is left, nothing to run).
 */
export async function translateDropIndex(session: SqlSession, text: string, drop: ast.Drop): Promise<{ text: string | undefined }> {
  const first = drop.names[0];
  const last = drop.names[drop.names.length - 1];
  if (!first || !last) return { text };
  const engineNames: string[] = [];
  for (const written of drop.names) {
    const engineName = await engineIndex(session, written, drop.ifExists);
    if (engineName !== undefined) engineNames.push(engineName);
    else if (!drop.ifExists)
      throw new SqlError(SQLSTATE.undefinedObject, `index "${written.index?.value ?? written.name.name.value}" does not exist`);
  }
  if (engineNames.length === 0) return { text: undefined };
  return { text: `${text.slice(0, first.start)}${engineNames.join(', ')}${text.slice(last.end)}` };
}
