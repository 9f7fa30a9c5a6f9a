// ALTER INDEX [IF EXISTS] t@i … (or i alone): the index written as the engine names it
// (dropIndex.ts), not as `t` (the engine would take ALTER INDEX t RENAME TO … for the table's
// own rename). RENAME TO j refuses a name the table's other indexes hold, as CockroachDB does,
// gives the engine a name of its own where another relation holds j (engineIndexNames.ts), and
// moves the index's record in the catalog to its new name.
import type { Token } from '../../../sql/src/lexer';
import { quoteIdent } from '../../../sql/src/names';
import type { TableMeta } from './catalog';
import type { SqlSession } from './context';
import { engineIndexName, engineIndexRelation } from './engineIndexNames';
import { visibilityAt } from './indexVisibility';
import { SqlError, SQLSTATE } from './errors';
import { isPunct, isWord } from './rewrite';
import { engineNameOnTable, indexNamedAlone, resolveParts, resolveTable } from './tables';

export interface AlteredIndex {
  /** The statement for the engine; undefined under IF EXISTS when there is no such index (nothing to run). */
  sql: string | undefined;
  /** After it ran: the catalog's record of a renamed index follows it. */
  renamed?: { table: TableMeta; from: string; to: string };
  /** [NOT] VISIBLE: the engine runs nothing; indexVisibility.ts makes the change. */
  visibility?: { table: TableMeta; index: { name: string; engineName: string }; visible: boolean };
}

const isName = (t: Token | undefined): t is Token => t?.kind === 'ident' || t?.kind === 'qident';

/**
 * The engine's statement for `ALTER INDEX [IF EXISTS] t@i …` or `ALTER INDEX i …`, or undefined
 * when the statement is not an ALTER INDEX the engine runs.
 */
export async function translateAlterIndex(session: SqlSession, text: string, tokens: readonly Token[]): Promise<AlteredIndex | undefined> {
  if (!isWord(tokens[0], 'alter') || !isWord(tokens[1], 'index')) return undefined;
  let at = 2;
  const ifExists = isWord(tokens[at], 'if') && isWord(tokens[at + 1], 'exists');
  if (ifExists) at += 2;
  // The table's name (1 to 3 parts), then `@` and the index.
  const parts: Token[] = [];
  while (isName(tokens[at])) {
    parts.push(tokens[at] as Token);
    if (!isPunct(tokens[at + 1], '.')) break;
    at += 2;
  }
  const sign = tokens[at + 1];
  const tableIndex = sign?.kind === 'op' && sign.value === '@';
  const index = tableIndex ? tokens[at + 2] : parts[parts.length - 1];
  const first = parts[0];
  if (!first || !isName(index)) return undefined;
  const found = tableIndex ? await onItsTable(session, parts, index.value) : await alone(session, parts);
  if (found === 'no table') {
    if (ifExists) return { sql: undefined };
    throw new SqlError(SQLSTATE.undefinedTable, `relation "${parts.map((p) => p.value).join('.')}" does not exist`);
  }
  if (found?.engineName === undefined) {
    if (ifExists) return { sql: undefined };
    throw new SqlError(SQLSTATE.undefinedObject, `index "${index.value}" does not exist`);
  }
  const { table, engineName } = found;
  const visible = visibilityAt(
    tokens,
    tokens.findIndex((t) => t.start >= index.end),
  );
  if (visible !== undefined) return { sql: undefined, visibility: { table, index: { name: index.value, engineName }, visible } };
  const target = engineIndexRelation(table.database, engineName);
  const head = `${text.slice(0, first.start)}${target}`;
  const renameAt = tokens.findIndex((t, k) => t.start >= index.end && isWord(t, 'rename') && isWord(tokens[k + 1], 'to'));
  const to = renameAt === -1 ? undefined : tokens[renameAt + 2];
  if (!isName(to)) return { sql: `${head}${text.slice(index.end)}` };
  if (to.value === '') throw new SqlError(SQLSTATE.invalidName, 'empty index name');
  if (to.value === index.value) return { sql: `${head}${text.slice(index.end)}` };
  if ((await engineNameOnTable(session.cluster, table, to.value)) !== undefined)
    throw new SqlError(SQLSTATE.duplicateRelation, `index name "${to.value}" already exists`);
  const newEngineName = await engineIndexName(session.cluster, table.database, to.value);
  return {
    sql: `${head}${text.slice(index.end, to.start)}${quoteIdent(newEngineName)}${text.slice(to.end)}`,
    renamed: { table, from: index.value, to: to.value },
  };
}

/** A table's index written `t@i`: the table (`no table` when there is none), and the index's engine name if it has one. */
async function onItsTable(
  session: SqlSession,
  parts: readonly Token[],
  index: string,
): Promise<{ table: TableMeta; engineName: string | undefined } | 'no table'> {
  const name = parts.map((p) => ({ start: p.start, end: p.end, value: p.value, quoted: p.kind === 'qident' }));
  const last = name[name.length - 1];
  const table = last && resolveTable(session, { start: last.start, end: last.end, parts: name, name: last });
  if (!table) return 'no table';
  return { table, engineName: await engineNameOnTable(session.cluster, table, index) };
}

/** An index written alone (`i`, `db.i`): the one table of the database that has it, and its engine name. */
async function alone(session: SqlSession, parts: readonly Token[]): Promise<{ table: TableMeta; engineName: string } | undefined> {
  const { database, name } = resolveParts(
    session,
    parts.map((p) => p.value),
  );
  const found = await indexNamedAlone(session.cluster, database, name);
  const table = found && session.cluster.catalog.table(database, found.table);
  return found && table ? { table, engineName: found.index } : undefined;
}

/** Moves the catalog's record of a renamed index (and its zone configurations) to its new name. */
export function renameIndexInCatalog(session: SqlSession, { table, from, to }: NonNullable<AlteredIndex['renamed']>): void {
  const index = table.indexes.get(from);
  if (index) {
    table.indexes.delete(from);
    table.indexes.set(to, { ...index, name: to });
  }
  const zones = session.cluster.catalog.zones;
  const prefix = `${table.database}.${table.name}@`;
  for (const [key, value] of [...zones]) {
    const kind = key.slice(0, key.indexOf(':') + 1);
    const rest = key.slice(kind.length);
    if (!rest.startsWith(`${prefix}${from}`)) continue;
    const tail = rest.slice(prefix.length + from.length);
    if (tail !== '' && !tail.startsWith('#')) continue;
    zones.delete(key);
    zones.set(`${kind}${prefix}${to}${tail}`, value);
  }
}
