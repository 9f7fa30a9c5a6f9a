// The engine's plan prints expressions as PostgreSQL deparses them: `((t.name)::text = 'x'::text)`.
// CockroachDB's EXPLAIN prints the same expression as `name = 'x'`. This module reads the
// engine's expressions with the project's lexer and rewrites them in CockroachDB's spelling, and
// reads the comparisons of an index condition, from which CockroachDB's spans are built.
import type { Token } from '../../../sql/src/lexer';
import { isPunct, isWord, Rewriter, tokensOf } from './rewrite';

/** PostgreSQL type names written in more than one word, after `::`. */
const MULTI_WORD_TYPES: readonly (readonly string[])[] = [
  ['character', 'varying'],
  ['double', 'precision'],
  ['bit', 'varying'],
  ['timestamp', 'with', 'time', 'zone'],
  ['timestamp', 'without', 'time', 'zone'],
  ['time', 'with', 'time', 'zone'],
  ['time', 'without', 'time', 'zone'],
];

const NUMERIC_TYPES = ['smallint', 'integer', 'bigint', 'int2', 'int4', 'int8', 'numeric', 'real', 'double', 'float4', 'float8'];

/** Operators PostgreSQL prints differently from CockroachDB. */
const OPERATOR_NAMES = new Map([
  ['~~', 'LIKE'],
  ['!~~', 'NOT LIKE'],
  ['~~*', 'ILIKE'],
  ['!~~*', 'NOT ILIKE'],
  ['<>', '!='],
]);

/** An engine expression in CockroachDB's spelling, column names unqualified. */
export function crdbExpression(engineExpression: string): string {
  return tidy(stripQualifiers(subqueryResults(stripCasts(engineExpression))));
}

/** `(InitPlan 1).col1`, the engine's name for a subquery's result → CockroachDB's `@S1`. */
function subqueryResults(expression: string): string {
  const tokens = tokensOf(expression);
  const rewriter = new Rewriter(expression);
  for (let i = 0; i + 5 < tokens.length; i++) {
    const [open, word, number, close, dot, column] = tokens.slice(i, i + 6);
    if (isPunct(open, '(') && isWord(word, 'initplan') && number?.kind === 'number' && isPunct(close, ')') && isPunct(dot, '.') && column) {
      rewriter.replace(open?.start ?? 0, column.end, `@S${number.value}`);
      i += 5;
    }
  }
  return rewriter.apply();
}

/** The expression without the engine's casts (`'x'::text` → `'x'`), qualifiers kept. */
export function stripCasts(expression: string): string {
  const tokens = tokensOf(expression);
  const rewriter = new Rewriter(expression);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t?.kind !== 'op' || t.value !== '::') continue;
    const end = typeEnd(tokens, i + 1);
    rewriter.remove(t.start, tokens[end - 1]?.end ?? t.end);
    // `'2'::bigint` is the number 2, as CockroachDB prints it.
    const operand = tokens[i - 1];
    if (operand?.kind === 'string' && isWord(tokens[i + 1], ...NUMERIC_TYPES) && isNumeric(operand.value))
      rewriter.replace(operand.start, operand.end, operand.value);
    i = end - 1;
  }
  return rewriter.apply();
}

/** Index just past the type name starting at tokens[at] (schema-qualified, multi-word, with (n) and []). */
function typeEnd(tokens: readonly Token[], at: number): number {
  let i = at;
  const words = MULTI_WORD_TYPES.find((type) => type.every((word, k) => isWord(tokens[at + k], word)));
  if (words) i += words.length;
  else {
    i++;
    while (isPunct(tokens[i], '.') && (tokens[i + 1]?.kind === 'ident' || tokens[i + 1]?.kind === 'qident')) i += 2;
  }
  if (isPunct(tokens[i], '(')) {
    while (i < tokens.length && !isPunct(tokens[i], ')')) i++;
    i++;
  }
  while (isPunct(tokens[i], '[') && isPunct(tokens[i + 1], ']')) i += 2;
  return i;
}

/** `t.k` → `k`. */
function stripQualifiers(expression: string): string {
  const tokens = tokensOf(expression);
  const rewriter = new Rewriter(expression);
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [name, dot, column] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (!name || !dot || !column) continue;
    if ((name.kind === 'ident' || name.kind === 'qident') && isPunct(dot, '.') && (column.kind === 'ident' || column.kind === 'qident')) {
      if (i > 0 && isPunct(tokens[i - 1], '.')) continue;
      rewriter.remove(name.start, dot.end);
      i += 2;
    }
  }
  return rewriter.apply();
}

/**
 * Drops parentheses around a lone operand and around the whole; with `spelling`, also PostgreSQL
 * operator names → CockroachDB's and `= ANY ('{…}')` → `IN (…)`.
 */
function tidy(expression: string, spelling = true): string {
  let text = expression.trim();
  for (;;) {
    const tokens = tokensOf(text);
    const rewriter = new Rewriter(text);
    let changed = false;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (!t) continue;
      const previous = tokens[i - 1];
      const callOrList = previous?.kind === 'ident' || previous?.kind === 'qident' || isPunct(previous, ']');
      // `(x)` or `(t.x)`: parentheses around one operand.
      const qualified = isPunct(tokens[i + 2], '.') && isOperand(tokens[i + 3]) ? 2 : 0;
      const close = tokens[i + 2 + qualified];
      if (isPunct(t, '(') && isPunct(close, ')') && !callOrList && isOperand(tokens[i + 1])) {
        rewriter.remove(t.start, t.end);
        rewriter.remove(close?.start ?? t.end, close?.end ?? t.end);
        changed = true;
        i += 2 + qualified;
        continue;
      }
      const array = spelling ? anyArray(tokens, i) : undefined;
      if (array) {
        const keyword = t.value === '=' ? 'IN' : 'NOT IN';
        rewriter.replace(t.start, array.end, `${keyword} (${array.values.join(', ')})`);
        changed = true;
        i = array.next - 1;
        continue;
      }
      if (spelling && t.kind === 'op') {
        // The lexer may split an operator PostgreSQL prints (`~~`) into adjacent pieces.
        let j = i;
        let value = t.value;
        while (tokens[j + 1]?.kind === 'op' && tokens[j + 1]?.start === tokens[j]?.end) value += tokens[++j]?.value ?? '';
        const name = OPERATOR_NAMES.get(value);
        if (name) {
          rewriter.replace(t.start, tokens[j]?.end ?? t.end, name);
          changed = true;
        }
        i = j;
      }
    }
    let next = rewriter.apply().trim();
    const outer = tokensOf(next);
    if (outer.length > 2 && isPunct(outer[0], '(') && closingOf(outer, 0) === outer.length - 1) {
      next = next.slice(1, -1).trim();
      changed = true;
    }
    if (!changed || next === text) return next;
    text = next;
  }
}

function isOperand(token: Token | undefined): boolean {
  return token?.kind === 'ident' || token?.kind === 'qident' || token?.kind === 'number' || token?.kind === 'string';
}

/** `= ANY ('{1,3}')` or `<> ALL ('{…}')` at tokens[at]: the array's elements as literals. */
function anyArray(tokens: readonly Token[], at: number): { values: string[]; end: number; next: number } | undefined {
  const op = tokens[at];
  const equal = op?.kind === 'op' && op.value === '=' && isWord(tokens[at + 1], 'any');
  const unequal = op?.kind === 'op' && (op.value === '<>' || op.value === '!=') && isWord(tokens[at + 1], 'all');
  if (!equal && !unequal) return undefined;
  const literal = tokens[at + 3];
  if (!isPunct(tokens[at + 2], '(') || literal?.kind !== 'string' || !isPunct(tokens[at + 4], ')')) return undefined;
  return { values: arrayElements(literal.value).map(literalText), end: tokens[at + 4]?.end ?? literal.end, next: at + 5 };
}

/** The elements of a PostgreSQL array literal `{1,"a b",c}`. */
export function arrayElements(literal: string): string[] {
  const trimmed = literal.trim();
  const body = trimmed.startsWith('{') && trimmed.endsWith('}') ? trimmed.slice(1, -1) : trimmed;
  if (body === '') return [];
  const elements: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? '';
    if (ch === '"') quoted = !quoted;
    else if (ch === '\\' && quoted) current += body[++i] ?? '';
    else if (ch === ',' && !quoted) {
      elements.push(current);
      current = '';
    } else current += ch;
  }
  elements.push(current);
  return elements;
}

/** An array element as CockroachDB prints a constant: numbers bare, anything else quoted. */
function literalText(element: string): string {
  return isNumeric(element) ? element : `'${element.replace(/'/g, "''")}'`;
}

function isNumeric(text: string): boolean {
  return text.trim() !== '' && Number.isFinite(Number(text));
}

function closingOf(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    else if (isPunct(tokens[i], ')') && --depth === 0) return i;
  }
  return -1;
}

/** The top-level AND-ed parts of an expression (outer parentheses dropped). */
export function conjuncts(expression: string): string[] {
  const text = tidy(expression, false);
  const tokens = tokensOf(text);
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (const t of tokens) {
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    else if (depth === 0 && isWord(t, 'and')) {
      parts.push(tidy(text.slice(from, t.start), false));
      from = t.end;
    }
  }
  parts.push(tidy(text.slice(from), false));
  return parts.filter((p) => p !== '');
}

/** A column reference in an engine expression: its qualifier (table alias) when written. */
export interface ColumnRef {
  qualifier: string | undefined;
  column: string;
}

/** `column op constant(s)` or `column = other column`, read from one conjunct. */
export interface Comparison {
  column: ColumnRef;
  op: '=' | '<' | '<=' | '>' | '>=';
  /** Constants as CockroachDB prints them (`1`, `'a'`); several for IN. */
  values: string[];
  /** The other side, when it is a column (a join's equality). */
  other: ColumnRef | undefined;
}

const FLIPPED = new Map<string, Comparison['op']>([
  ['=', '='],
  ['<', '>'],
  ['<=', '>='],
  ['>', '<'],
  ['>=', '<='],
]);

/** Reads a conjunct (casts already stripped) as a comparison of a column, or undefined. */
export function readComparison(conjunct: string): Comparison | undefined {
  const tokens = tokensOf(tidy(conjunct, false));
  const left = columnAt(tokens, 0);
  if (left) {
    const op = tokens[left.next];
    if (op?.kind !== 'op') return undefined;
    const array = anyArray(tokens, left.next);
    if (array)
      return array.next === tokens.length && op.value === '='
        ? { column: left.ref, op: '=', values: array.values, other: undefined }
        : undefined;
    const cmp = FLIPPED.has(op.value) ? (op.value as Comparison['op']) : undefined;
    if (!cmp) return undefined;
    const rightColumn = columnAt(tokens, left.next + 1);
    if (rightColumn && rightColumn.next === tokens.length) return { column: left.ref, op: cmp, values: [], other: rightColumn.ref };
    const constant = constantAt(tokens, left.next + 1);
    if (constant && constant.next === tokens.length) return { column: left.ref, op: cmp, values: [constant.text], other: undefined };
    return undefined;
  }
  const constant = constantAt(tokens, 0);
  const op = constant ? tokens[constant.next] : undefined;
  const flipped = op?.kind === 'op' ? FLIPPED.get(op.value) : undefined;
  const right = constant ? columnAt(tokens, constant.next + 1) : undefined;
  if (constant && flipped && right && right.next === tokens.length)
    return { column: right.ref, op: flipped, values: [constant.text], other: undefined };
  return undefined;
}

function columnAt(tokens: readonly Token[], at: number): { ref: ColumnRef; next: number } | undefined {
  const first = tokens[at];
  if (first?.kind !== 'ident' && first?.kind !== 'qident') return undefined;
  if (first.kind === 'ident' && ['true', 'false', 'null', 'any', 'all', 'not'].includes(first.value)) return undefined;
  if (isPunct(tokens[at + 1], '(')) return undefined;
  const second = tokens[at + 2];
  if (isPunct(tokens[at + 1], '.') && (second?.kind === 'ident' || second?.kind === 'qident'))
    return { ref: { qualifier: first.value, column: second.value }, next: at + 3 };
  return { ref: { qualifier: undefined, column: first.value }, next: at + 1 };
}

function constantAt(tokens: readonly Token[], at: number): { text: string; next: number } | undefined {
  const t = tokens[at];
  if (t?.kind === 'number') return { text: t.value, next: at + 1 };
  if (t?.kind === 'op' && t.value === '-' && tokens[at + 1]?.kind === 'number')
    return { text: `-${tokens[at + 1]?.value ?? ''}`, next: at + 2 };
  // The lexer keeps a string's content as written, its doubled quotes included.
  if (t?.kind === 'string') return { text: `'${t.value}'`, next: at + 1 };
  if (isWord(t, 'true', 'false')) return { text: t?.value ?? '', next: at + 1 };
  if (t?.kind === 'placeholder') return { text: t.value, next: at + 1 };
  return undefined;
}
