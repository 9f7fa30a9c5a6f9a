// What a statement says about the rows it reaches, read from its tokens: the top-level WHERE
// clause's `col = constant` and `col IN (constants)` conjuncts, the columns an UPDATE sets, and
// the column list and VALUES rows of an INSERT / UPSERT. The access-path planner (accessPaths.ts)
// decides from these which partitions and keys a statement touches. Anything it cannot read as a
// constant stays unknown; an OR at the top level makes the WHERE clause say nothing.
import type { Token } from '../../../sql/src/lexer';
import { isPunct, isWord, skipGroup } from './rewrite';

/** A constant as written: a string's content, a number's digits, TRUE/FALSE/NULL lower-cased. */
export type Constant = { kind: 'value'; text: string } | { kind: 'null' } | { kind: 'call'; name: string } | { kind: 'unknown' };

export interface ColumnFilter {
  /** The table name or alias written before the column, if any. */
  qualifier: string | undefined;
  column: string;
  /** The values the column must equal (one for `=`, the list for IN). */
  values: Constant[];
}

/** Words that end a WHERE clause at the statement's own level. */
const WHERE_END = new Set([
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
  'returning',
  'on',
  'fetch',
]);
const SET_OPERATORS = new Set(['union', 'intersect', 'except']);

function isName(t: Token | undefined): t is Token {
  return t?.kind === 'ident' || t?.kind === 'qident';
}

/** Whether the statement combines queries with UNION / INTERSECT / EXCEPT at its own level. */
function hasSetOperation(tokens: readonly Token[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) {
      i = skipGroup(tokens, i) - 1;
      continue;
    }
    const t = tokens[i];
    if (t?.kind === 'ident' && SET_OPERATORS.has(t.value)) return true;
  }
  return false;
}

/** The token range of the statement's own WHERE clause (not a subquery's). */
function whereClause(tokens: readonly Token[]): { from: number; to: number } | undefined {
  for (let i = 0; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) {
      i = skipGroup(tokens, i) - 1;
      continue;
    }
    if (!isWord(tokens[i], 'where')) continue;
    let j = i + 1;
    while (j < tokens.length) {
      const t = tokens[j];
      if (isPunct(t, ';') || isPunct(t, ')')) break;
      if (t?.kind === 'ident' && WHERE_END.has(t.value)) break;
      j = isPunct(t, '(') ? skipGroup(tokens, j) : j + 1;
    }
    return { from: i + 1, to: j };
  }
  return undefined;
}

/** Splits tokens[from, to) at top-level AND (a BETWEEN's own AND excepted); undefined when an OR joins them. */
function conjuncts(tokens: readonly Token[], from: number, to: number): { from: number; to: number }[] | undefined {
  const parts: { from: number; to: number }[] = [];
  let start = from;
  let betweenOpen = false;
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (isPunct(t, '(') || isPunct(t, '[')) {
      i = skipGroup(tokens, i) - 1;
      continue;
    }
    if (isWord(t, 'or')) return undefined;
    if (isWord(t, 'between')) betweenOpen = true;
    else if (isWord(t, 'and')) {
      if (betweenOpen) {
        betweenOpen = false;
        continue;
      }
      parts.push({ from: start, to: i });
      start = i + 1;
    }
  }
  if (start < to) parts.push({ from: start, to });
  return parts;
}

/** A column reference at tokens[at]: `col` or `qualifier.col`; the index just past it. */
function columnAt(tokens: readonly Token[], at: number): { qualifier: string | undefined; column: string; next: number } | undefined {
  const first = tokens[at];
  if (!isName(first)) return undefined;
  if (isPunct(tokens[at + 1], '.') && isName(tokens[at + 2]))
    return { qualifier: first.value, column: tokens[at + 2]?.value ?? '', next: at + 3 };
  if (isPunct(tokens[at + 1], '(')) return undefined;
  return { qualifier: undefined, column: first.value, next: at + 1 };
}

/** Index just past casts (`::type`, `:::type`, a type's modifiers, `[]`) starting at `at`, not beyond `to`. */
function skipCast(tokens: readonly Token[], at: number, to: number): number {
  let i = at;
  while (i < to && tokens[i]?.kind === 'op' && tokens[i]?.value === '::') {
    i++;
    if (tokens[i]?.kind === 'op' && tokens[i]?.value === ':') i++;
    while (i < to && isName(tokens[i])) {
      i++;
      if (i < to && isPunct(tokens[i], '(')) i = skipGroup(tokens, i);
    }
    if (i + 1 < to && isPunct(tokens[i], '[') && isPunct(tokens[i + 1], ']')) i += 2;
  }
  return i;
}

/**
 * A constant expression at tokens[at]: a literal (with an optional sign and cast), a placeholder
 * (resolved from `parameters`), or a function call with no arguments read as its name. Returns
 * the index just past it.
 */
function constantAt(
  tokens: readonly Token[],
  at: number,
  to: number,
  parameters: readonly (string | null)[] | undefined,
): { value: Constant; next: number } | undefined {
  let i = at;
  let sign = '';
  if (tokens[i]?.kind === 'op' && (tokens[i]?.value === '-' || tokens[i]?.value === '+')) {
    sign = tokens[i]?.value === '-' ? '-' : '';
    i++;
  }
  const t = tokens[i];
  if (t === undefined) return undefined;
  let value: Constant | undefined;
  if (t.kind === 'string' && sign === '') value = { kind: 'value', text: t.value };
  else if (t.kind === 'number') value = { kind: 'value', text: `${sign}${t.value}` };
  else if (t.kind === 'placeholder' && sign === '') {
    const n = Number(t.value.slice(1));
    const bound = parameters?.[n - 1];
    value = bound === undefined ? { kind: 'unknown' } : bound === null ? { kind: 'null' } : { kind: 'value', text: bound };
  } else if (isWord(t, 'true', 'false') && sign === '') value = { kind: 'value', text: t.value };
  else if (isWord(t, 'null') && sign === '') value = { kind: 'null' };
  else if (t.kind === 'ident' && isPunct(tokens[i + 1], '(') && sign === '') {
    const close = skipGroup(tokens, i + 1);
    value = close === i + 3 ? { kind: 'call', name: t.value } : { kind: 'unknown' };
    return { value, next: skipCast(tokens, close, to) };
  }
  if (value === undefined) return undefined;
  return { value, next: skipCast(tokens, i + 1, to) };
}

/** `(c1, c2, …)` at tokens[open]: its top-level pieces. */
function groupItems(tokens: readonly Token[], open: number): { from: number; to: number }[] {
  const close = skipGroup(tokens, open) - 1;
  const items: { from: number; to: number }[] = [];
  let start = open + 1;
  for (let i = open + 1; i < close; i++) {
    if (isPunct(tokens[i], '(') || isPunct(tokens[i], '[')) {
      i = skipGroup(tokens, i) - 1;
      continue;
    }
    if (isPunct(tokens[i], ',')) {
      items.push({ from: start, to: i });
      start = i + 1;
    }
  }
  if (start < close) items.push({ from: start, to: close });
  return items;
}

/** A constant filling exactly tokens[from, to). */
function wholeConstant(tokens: readonly Token[], from: number, to: number, parameters: readonly (string | null)[] | undefined): Constant {
  const c = constantAt(tokens, from, to, parameters);
  return c !== undefined && c.next === to ? c.value : { kind: 'unknown' };
}

function filterOf(
  tokens: readonly Token[],
  from: number,
  to: number,
  parameters: readonly (string | null)[] | undefined,
): ColumnFilter | undefined {
  // Parentheses around the whole conjunct: look inside.
  if (isPunct(tokens[from], '(') && skipGroup(tokens, from) === to) {
    const inner = conjuncts(tokens, from + 1, to - 1);
    return inner?.length === 1 && inner[0] ? filterOf(tokens, inner[0].from, inner[0].to, parameters) : undefined;
  }
  const column = columnAt(tokens, from);
  if (column) {
    const op = tokens[column.next];
    if (op?.kind === 'op' && op.value === '=') {
      const value = wholeConstant(tokens, column.next + 1, to, parameters);
      return value.kind === 'unknown' && columnAt(tokens, column.next + 1) !== undefined
        ? undefined // a join condition, col = col
        : { qualifier: column.qualifier, column: column.column, values: [value] };
    }
    if (isWord(op, 'in') && isPunct(tokens[column.next + 1], '(') && skipGroup(tokens, column.next + 1) === to) {
      const items = groupItems(tokens, column.next + 1);
      if (isWord(tokens[column.next + 2], 'select', 'with', 'values', 'table')) return undefined;
      return {
        qualifier: column.qualifier,
        column: column.column,
        values: items.map((it) => wholeConstant(tokens, it.from, it.to, parameters)),
      };
    }
    return undefined;
  }
  // constant = col
  const constant = constantAt(tokens, from, to, parameters);
  if (constant === undefined) return undefined;
  const op = tokens[constant.next];
  if (!(op?.kind === 'op' && op.value === '=')) return undefined;
  const right = columnAt(tokens, constant.next + 1);
  if (right === undefined || right.next !== to) return undefined;
  return { qualifier: right.qualifier, column: right.column, values: [constant.value] };
}

/** The equality and IN filters of the statement's own WHERE clause (empty when there is none, or an OR). */
export function whereFilters(tokens: readonly Token[], parameters?: readonly (string | null)[]): ColumnFilter[] {
  if (hasSetOperation(tokens)) return [];
  const where = whereClause(tokens);
  if (where === undefined) return [];
  const parts = conjuncts(tokens, where.from, where.to);
  if (parts === undefined) return [];
  const filters: ColumnFilter[] = [];
  for (const part of parts) {
    const filter = filterOf(tokens, part.from, part.to, parameters);
    if (filter) filters.push(filter);
  }
  return filters;
}

/** The columns an UPDATE's SET clause assigns (`SET a = …, (b, c) = …`). */
export function updatedColumns(tokens: readonly Token[]): string[] {
  const columns: string[] = [];
  let i = tokens.findIndex((t) => isWord(t, 'set'));
  if (i < 0) return columns;
  i++;
  while (i < tokens.length) {
    if (isPunct(tokens[i], '(')) {
      for (const item of groupItems(tokens, i)) {
        const c = tokens[item.from];
        if (isName(c)) columns.push(c.value);
      }
      i = skipGroup(tokens, i);
    } else if (isName(tokens[i])) {
      columns.push(tokens[i]?.value ?? '');
      i++;
    } else break;
    // Skip `= expression` up to the next top-level comma, or the end of the SET clause.
    while (i < tokens.length && !isPunct(tokens[i], ',')) {
      const t = tokens[i];
      if (isWord(t, 'where', 'from', 'returning', 'order', 'limit') || isPunct(t, ';')) return columns;
      i = isPunct(t, '(') || isPunct(t, '[') ? skipGroup(tokens, i) : i + 1;
    }
    i++;
  }
  return columns;
}

export interface InsertedRows {
  /** The column list as written; undefined when the statement names none (every column, in order). */
  columns: string[] | undefined;
  /** Each VALUES row's constants, by position; undefined when the rows come from a query. */
  rows: Constant[][] | undefined;
}

/** The column list and VALUES rows of `INSERT / UPSERT INTO t [AS a] [(cols)] VALUES (…), …`. */
export function insertedRows(tokens: readonly Token[], parameters?: readonly (string | null)[]): InsertedRows {
  const into = tokens.findIndex((t) => isWord(t, 'into'));
  if (into < 0) return { columns: undefined, rows: undefined };
  let i = into + 2;
  while (isPunct(tokens[i], '.') && isName(tokens[i + 1])) i += 2;
  if (isWord(tokens[i], 'as') && isName(tokens[i + 1])) i += 2;
  let columns: string[] | undefined;
  if (isPunct(tokens[i], '(') && !isWord(tokens[i + 1], 'select', 'with', 'values')) {
    columns = groupItems(tokens, i).map((it) => tokens[it.from]?.value ?? '');
    i = skipGroup(tokens, i);
  }
  if (!isWord(tokens[i], 'values')) return { columns, rows: undefined };
  i++;
  const rows: Constant[][] = [];
  while (isPunct(tokens[i], '(')) {
    rows.push(groupItems(tokens, i).map((it) => wholeConstant(tokens, it.from, it.to, parameters)));
    i = skipGroup(tokens, i);
    if (!isPunct(tokens[i], ',')) break;
    i++;
  }
  return { columns, rows };
}
