// SHOW RANGE FROM TABLE t | INDEX t@i FOR ROW (v1, v2, …): the range holding the index key those
// values make, as CockroachDB shows it (keys after the index prefix; NULL where the range begins
// before the index or ends after it).
import type * as ast from '../../../sql/src/ast';
import { lex, type Token } from '../../../sql/src/lexer';
import { OID } from '../wire/messages';
import type { SqlSession } from './context';
import { SqlError, SQLSTATE } from './errors';
import { rowsResult, type QueryResult } from './result';
import { isPunct, isWord, skipGroup } from './rewrite';
import { textArray } from './showHelpers';
import { compareKeys, nodeLocality } from './showRanges';
import { requireTable } from './tables';

/** The expressions of `FOR ROW ( … )` as written, or undefined when the statement is not that form. */
export function rowExpressions(sql: string, show: ast.Show): string[] | undefined {
  if (!show.trailing) return undefined;
  const offset = show.trailing.start - show.start;
  const text = sql.slice(offset, show.trailing.end - show.start);
  const tokens = lex(text).tokens.filter((t) => !isPunct(t, ';'));
  if (!isWord(tokens[0], 'for') || !isWord(tokens[1], 'row') || !isPunct(tokens[2], '(')) return undefined;
  const close = skipGroup(tokens, 2);
  if (close !== tokens.length) return undefined;
  const expressions: string[] = [];
  const push = (from: number, to: number): void => {
    const first = tokens[from];
    const last = tokens[to - 1];
    if (first && last && to > from) expressions.push(text.slice(first.start, last.end));
  };
  let from = 3;
  let depth = 0;
  // tokens[close - 1] is the closing parenthesis.
  for (let i = 3; i < close - 1; i++) {
    const t: Token | undefined = tokens[i];
    if (isPunct(t, '(') || isPunct(t, '[')) depth++;
    else if (isPunct(t, ')') || isPunct(t, ']')) depth--;
    else if (depth === 0 && isPunct(t, ',')) {
      push(from, i);
      from = i + 1;
    }
  }
  push(from, close - 1);
  return expressions;
}

/** A key value as the simulator's range keys print it: numbers bare, everything else quoted. */
function keyValue(value: string | null): string {
  if (value === null) return 'NULL';
  return /^-?\d+(\.\d+)?$/.test(value) ? value : JSON.stringify(value);
}

export async function showRangeForRow(
  session: SqlSession,
  sql: string,
  show: ast.Show,
  expressions: readonly string[],
): Promise<QueryResult> {
  const target = show.target;
  const table = requireTable(session, target?.name);
  const indexName = target?.index?.value ?? `${table.name}_pkey`;
  const indexId = indexName === `${table.name}_pkey` ? 1 : table.indexes.get(indexName)?.id;
  if (indexId === undefined) throw new SqlError(SQLSTATE.undefinedObject, `index "${indexName}" does not exist`);
  if (expressions.length === 0) throw new SqlError(SQLSTATE.syntax, 'at or near ")": syntax error');
  const evaluated = await session.runEngine(sql, `SELECT ${expressions.map((e) => `(${e})::text`).join(', ')}`, []);
  if (evaluated.error) throw new SqlError(evaluated.error.code, evaluated.error.message, evaluated.error.hint, evaluated.error.detail);
  const values = evaluated.rows[0] ?? [];
  const cluster = session.cluster;
  await cluster.refreshSpans();
  const regions = cluster.catalog.databases.get(table.database)?.regions ?? [];
  const indexStart = `/Table/${table.id}/${indexId}`;
  const indexEnd = `/Table/${table.id}/${indexId + 1}`;
  const key = `${indexStart}/${values.map(keyValue).join('/')}`;
  const range = cluster.model.ranges().find((r) => compareKeys(r.startKey, key, regions) <= 0 && compareKeys(key, r.endKey, regions) < 0);
  const columns: (string | [string, number])[] = [
    'start_key',
    'end_key',
    ['range_id', OID.int8],
    ['lease_holder', OID.int8],
    'lease_holder_locality',
    ['replicas', OID.int8Array],
    ['replica_localities', OID.textArray],
    ['voting_replicas', OID.int8Array],
    ['non_voting_replicas', OID.int8Array],
  ];
  if (!range) return rowsResult(sql, columns, []);
  const relative = (k: string): string => k.slice(indexStart.length) || '/';
  const replicas = [...range.replicas].sort((a, b) => a.nodeId - b.nodeId);
  return rowsResult(sql, columns, [
    [
      compareKeys(range.startKey, indexStart, regions) < 0 ? null : relative(range.startKey),
      compareKeys(range.endKey, indexEnd, regions) >= 0 ? null : relative(range.endKey),
      String(range.rangeId),
      range.leaseholder === undefined ? null : String(range.leaseholder),
      nodeLocality(cluster, range.leaseholder),
      textArray(replicas.map((r) => r.nodeId)),
      textArray(replicas.map((r) => nodeLocality(cluster, r.nodeId) ?? '')),
      textArray(replicas.filter((r) => r.type === 'voter').map((r) => r.nodeId)),
      textArray(replicas.filter((r) => r.type === 'non-voter').map((r) => r.nodeId)),
    ],
  ]);
}
