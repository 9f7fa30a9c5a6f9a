// DROP INDEX t@i: CockroachDB names an index by its table; the engine names it in its schema
// (each database is one), so `t@i` is written `"db".i` for it.
import type * as ast from '../../../sql/src/ast';
import { quoteIdent } from '../../../sql/src/names';
import type { SqlSession } from './context';
import { SqlError, SQLSTATE } from './errors';
import { partsOf, resolveTable } from './tables';

/** The statement with each `t@i` written for the engine, or undefined when it names no index that way. */
export function translateDropIndex(session: SqlSession, text: string, drop: ast.Drop): string | undefined {
  const named = drop.names.filter((n) => n.index !== undefined);
  if (named.length === 0) return undefined;
  let out = '';
  let at = 0;
  for (const { name, index } of [...named].sort((a, b) => a.start - b.start)) {
    if (!index) continue;
    const table = resolveTable(session, name);
    if (!table && !drop.ifExists) throw new SqlError(SQLSTATE.undefinedTable, `relation "${partsOf(name).join('.')}" does not exist`);
    out += `${text.slice(at, name.start)}${quoteIdent(table?.database ?? session.database)}.${quoteIdent(index.value)}`;
    at = index.end;
  }
  return out + text.slice(at);
}
