// Which result columns a statement's `*` produced: CockroachDB leaves hidden columns (rowid,
// crdb_region, NOT VISIBLE ones) out of `*` only, so `SELECT crdb_region, * FROM t` shows the
// column once, where it was named.
import { lex, type Token } from '../../../sql/src/lexer';
import { isPunct, isWord } from './rewrite';

/** Words that end a select (or RETURNING) list at its own depth. */
const LIST_END = new Set([
  'from',
  'where',
  'group',
  'having',
  'window',
  'order',
  'limit',
  'offset',
  'fetch',
  'for',
  'union',
  'intersect',
  'except',
  'into',
]);

/**
 * The result positions [start, end) that the one `*` (or `t.*`) of the statement's outermost
 * select or RETURNING list expands to, given how many columns the result has. Undefined when the
 * list cannot be read that way (no list, several stars): the caller then falls back on names.
 * `{ start: 0, end: 0 }` means the list has no star: no column came from one.
 */
export function starRange(statement: string, fieldCount: number): { start: number; end: number } | undefined {
  const tokens = lex(statement).tokens.filter((t) => t.kind !== 'comment');
  const listStart = outermostListStart(tokens);
  if (listStart === undefined) return undefined;
  const items: { from: number; to: number }[] = [];
  let depth = 0;
  let from = listStart;
  let i = listStart;
  for (; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) break;
    if (t.kind === 'punct' && (t.value === '(' || t.value === '[')) depth++;
    else if (t.kind === 'punct' && (t.value === ')' || t.value === ']')) {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && (isPunct(t, ';') || (t.kind === 'ident' && LIST_END.has(t.value)))) break;
    else if (depth === 0 && isPunct(t, ',')) {
      items.push({ from, to: i });
      from = i + 1;
    }
  }
  if (from < i) items.push({ from, to: i });
  const stars = items.map((item, index) => (isStar(tokens, item.from, item.to) ? index : -1)).filter((index) => index >= 0);
  if (stars.length === 0) return fieldCount === items.length ? { start: 0, end: 0 } : undefined;
  const star = stars[0];
  if (stars.length > 1 || star === undefined) return undefined;
  const width = fieldCount - (items.length - 1);
  if (width < 0) return undefined;
  return { start: star, end: star + width };
}

/** Where the outermost SELECT's (or a write's RETURNING) list begins, past DISTINCT [ON (…)] / ALL. */
function outermostListStart(tokens: readonly Token[]): number | undefined {
  let depth = 0;
  let select: number | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t?.kind === 'punct' && (t.value === '(' || t.value === '[')) depth++;
    else if (t?.kind === 'punct' && (t.value === ')' || t.value === ']')) depth--;
    else if (depth === 0 && isWord(t, 'returning')) return i + 1;
    else if (depth === 0 && select === undefined && isWord(t, 'select')) select = i;
  }
  if (select === undefined) return undefined;
  let at = select + 1;
  if (isWord(tokens[at], 'all')) at++;
  else if (isWord(tokens[at], 'distinct')) {
    at++;
    if (isWord(tokens[at], 'on') && isPunct(tokens[at + 1], '(')) {
      let depthOn = 0;
      for (at = at + 1; at < tokens.length; at++) {
        if (isPunct(tokens[at], '(')) depthOn++;
        else if (isPunct(tokens[at], ')') && --depthOn === 0) break;
      }
      at++;
    }
  }
  return at;
}

/** `*` or `name.*` (or `a.b.*`) alone. */
function isStar(tokens: readonly Token[], from: number, to: number): boolean {
  const last = tokens[to - 1];
  if (!last || last.kind !== 'op' || last.value !== '*') return false;
  for (let i = from; i < to - 1; i++) {
    const t = tokens[i];
    const expectName = (i - from) % 2 === 0;
    if (expectName ? t?.kind !== 'ident' && t?.kind !== 'qident' : !isPunct(t, '.')) return false;
  }
  return (to - 1 - from) % 2 === 0;
}
