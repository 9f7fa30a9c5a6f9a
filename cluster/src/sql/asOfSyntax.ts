// Where a statement writes AS OF SYSTEM TIME, and which tables it reads: read from its tokens.
import type { Token } from '../../../sql/src/lexer';
import { isPunct, isWord, skipGroup } from './rewrite';

// ---- where AS OF SYSTEM TIME is written -------------------------------------------------------

const CLAUSE_END = new Set([
  'where',
  'group',
  'order',
  'limit',
  'offset',
  'having',
  'window',
  'union',
  'intersect',
  'except',
  'for',
  'join',
  'on',
]);

/** Whether tokens[i] starts `AS OF SYSTEM TIME`. */
export function startsAsOf(tokens: readonly Token[], i: number): boolean {
  return isWord(tokens[i], 'as') && isWord(tokens[i + 1], 'of') && isWord(tokens[i + 2], 'system') && isWord(tokens[i + 3], 'time');
}

/** The index just past the AS OF SYSTEM TIME clause that starts at tokens[i]. */
export function asOfClauseEnd(tokens: readonly Token[], i: number): number {
  let j = i + 4;
  while (j < tokens.length) {
    const u = tokens[j];
    if (!u || (u.kind === 'punct' && (u.value === ';' || u.value === ')' || u.value === ','))) break;
    if (u.kind === 'ident' && CLAUSE_END.has(u.value)) break;
    j = isPunct(u, '(') ? skipGroup(tokens, j) : j + 1;
  }
  return j;
}

export interface AsOfClause {
  start: number;
  end: number;
  expression: string;
  /** Parenthesis depth: 0 for the statement's own. */
  depth: number;
}

/** Every AS OF SYSTEM TIME clause of a statement. */
export function asOfClauses(source: string, tokens: readonly Token[]): AsOfClause[] {
  const clauses: AsOfClause[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    if (!startsAsOf(tokens, i)) continue;
    const j = asOfClauseEnd(tokens, i);
    const first = tokens[i + 4];
    const last = tokens[j - 1];
    clauses.push({
      start: t?.start ?? 0,
      end: last?.end ?? 0,
      expression: first && last ? source.slice(first.start, last.end) : '',
      depth,
    });
    i = j - 1;
  }
  return clauses;
}

// ---- table references ------------------------------------------------------------------------

export interface TableReference {
  parts: string[];
  /** As written, for error messages. */
  written: string;
  /** Token index of its first part. */
  at: number;
  /** Token index just past its name. */
  after: number;
  /** Index into the statement's FROM scopes (see boundedStaleness). */
  fromAt: number;
}

/** Words that end a table reference: what follows a table name when it has no alias. */
const ALIAS_STOP = new Set([
  'where',
  'join',
  'on',
  'using',
  'inner',
  'left',
  'right',
  'full',
  'cross',
  'natural',
  'group',
  'order',
  'limit',
  'offset',
  'having',
  'window',
  'union',
  'intersect',
  'except',
  'for',
  'hash',
  'merge',
  'lookup',
  'inverted',
  'straight',
  'returning',
  'fetch',
  'lateral',
  'with',
]);

/** Whether an alias follows a table name at tokens[at] (`AS OF SYSTEM TIME` is not one). */
export function aliasFollows(tokens: readonly Token[], at: number): boolean {
  const t = tokens[at];
  if (isWord(t, 'as')) return !isWord(tokens[at + 1], 'of');
  return (t?.kind === 'ident' && !ALIAS_STOP.has(t.value)) || t?.kind === 'qident';
}

function nameAt(tokens: readonly Token[], at: number): string[] | undefined {
  const value = (t: Token | undefined): string | undefined => (t?.kind === 'ident' || t?.kind === 'qident' ? t.value : undefined);
  const first = value(tokens[at]);
  if (first === undefined) return undefined;
  const parts = [first];
  let i = at + 1;
  while (parts.length < 3 && isPunct(tokens[i], '.') && value(tokens[i + 1]) !== undefined) {
    parts.push(value(tokens[i + 1]) ?? '');
    i += 2;
  }
  return parts;
}

/** Tables a query reads: names after FROM / JOIN (and in FROM lists) in query contexts; CTE names left out. */
export function tableReferences(source: string, tokens: readonly Token[]): TableReference[] {
  const ctes = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!(t?.kind === 'ident' || t?.kind === 'qident')) continue;
    let j = i + 1;
    if (isPunct(tokens[j], '(') && !isWord(tokens[i - 1], 'from', 'join')) j = skipGroup(tokens, j);
    if (isWord(tokens[j], 'as') && (isPunct(tokens[j + 1], '(') || isWord(tokens[j + 1], 'materialized', 'not'))) ctes.add(t.value);
  }
  const refs: TableReference[] = [];
  const queryContext: boolean[] = [true];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (isPunct(t, '(')) {
      const next = tokens[i + 1];
      queryContext.push(
        isWord(next, 'select', 'with', 'values', 'table') || (isPunct(next, '(') && queryContext[queryContext.length - 1] === true),
      );
      continue;
    }
    if (isPunct(t, ')')) {
      if (queryContext.length > 1) queryContext.pop();
      continue;
    }
    if (!isWord(t, 'from', 'join') || queryContext[queryContext.length - 1] !== true) continue;
    const fromAt = i;
    let j = i + 1;
    for (;;) {
      while (isWord(tokens[j], 'lateral', 'only')) j++;
      if (isPunct(tokens[j], '(')) j = skipGroup(tokens, j);
      else {
        const parts = nameAt(tokens, j);
        if (!parts) break;
        const after = j + parts.length * 2 - 1;
        if (isPunct(tokens[after], '(')) j = skipGroup(tokens, after);
        else {
          if (!(parts.length === 1 && ctes.has(parts[0] ?? '')))
            refs.push({ parts, written: source.slice(tokens[j]?.start ?? 0, tokens[after - 1]?.end ?? 0), at: j, after, fromAt });
          j = after;
        }
      }
      // An alias, with its column names.
      if (aliasFollows(tokens, j)) {
        j += isWord(tokens[j], 'as') ? 2 : 1;
        if (isPunct(tokens[j], '(')) j = skipGroup(tokens, j);
      }
      if (!isPunct(tokens[j], ',') || !isWord(t, 'from')) break;
      j++;
    }
  }
  return refs;
}
