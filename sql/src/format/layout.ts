// Lays out one statement from its tokens: one clause per line for queries and DML, one column
// definition per line in CREATE TABLE, subqueries indented by depth. Only the whitespace between
// tokens and the case of keywords change; every token's text (strings, quoted identifiers,
// dollar-quoted bodies, comments) is copied from the source as it is.
import type { Token } from '../lexer';
import { CLAUSE_WORDS, NAME_INTRODUCERS, PHRASES, RESERVED, TYPE_NAMES } from './keywords';

export type KeywordCase = 'upper' | 'lower' | 'preserve';

export interface FormatOptions {
  keywordCase: KeywordCase;
  /** One level of indentation, e.g. two spaces. */
  indent: string;
}

export const DEFAULT_FORMAT_OPTIONS: FormatOptions = { keywordCase: 'upper', indent: '  ' };

/** A paren level (or the statement itself) and how its contents are laid out. */
interface Context {
  /** `list`: one element per line (CREATE TABLE); `query`: one clause per line; `inline`: as it flows. */
  kind: 'list' | 'query' | 'inline' | 'top';
  /** Indentation depth of the lines inside it. */
  inner: number;
  /** One clause per line applies inside (a query or DML statement, or a subquery). */
  query: boolean;
  /** Nothing has been written inside it yet. */
  empty: boolean;
  /** The word that opened it (`cast` for CAST(…)), or the statement's first word for the top. */
  opener: string | undefined;
  /** Tokens written since the last element start (list contexts). */
  elementTokens: number;
  /** Whether the current list element began with a name (a column definition). */
  elementIsColumn: boolean;
}

/** Binary operators always written with a space on each side. */
const SPACED_OPERATORS = new Set(['=', '<>', '!=', '<=', '>=', '<', '>', '||']);
const QUERY_STARTS = new Set(['select', 'insert', 'upsert', 'update', 'delete', 'with', 'values']);
/** Statements whose body may turn into a query: CREATE … AS SELECT, EXPLAIN SELECT, PREPARE … AS SELECT. */
const QUERY_HOSTS = new Set(['create', 'explain', 'prepare']);
const JOIN_WORDS = new Set([
  'left',
  'right',
  'full',
  'inner',
  'cross',
  'natural',
  'outer',
  'hash',
  'merge',
  'lookup',
  'inverted',
  'straight',
]);
const CLAUSE_STARTS = new Set([
  'from',
  'where',
  'having',
  'limit',
  'offset',
  'returning',
  'window',
  'values',
  'union',
  'intersect',
  'except',
]);
/** Words that start a table element other than a column definition. */
const TABLE_ELEMENT_WORDS = new Set([
  'constraint',
  'primary',
  'unique',
  'index',
  'family',
  'check',
  'foreign',
  'inverted',
  'vector',
  'like',
  'exclude',
]);

function isPunct(token: Token | undefined, value: string): boolean {
  return token?.kind === 'punct' && token.value === value;
}

function isWord(token: Token | undefined, value?: string): boolean {
  return token?.kind === 'ident' && (value === undefined || token.value === value);
}

/** The phrases by their first word. */
const PHRASES_BY_FIRST = new Map<string, (readonly string[])[]>();
for (const phrase of PHRASES) {
  const first = phrase[0] ?? '';
  PHRASES_BY_FIRST.set(first, [...(PHRASES_BY_FIRST.get(first) ?? []), phrase]);
}

/** For each token, whether it is part of a known keyword phrase. */
function phraseMembers(tokens: readonly Token[], from: number, to: number): Uint8Array {
  const inPhrase = new Uint8Array(to - from);
  for (let i = from; i < to; i++) {
    const token = tokens[i];
    if (token?.kind !== 'ident') continue;
    for (const phrase of PHRASES_BY_FIRST.get(token.value) ?? []) {
      if (i + phrase.length > to) continue;
      let k = 1;
      while (k < phrase.length && isWord(tokens[i + k], phrase[k])) k++;
      if (k === phrase.length) for (let m = 0; m < k; m++) inPhrase[i - from + m] = 1;
    }
  }
  return inPhrase;
}

export interface StatementSpan {
  tokens: readonly Token[];
  /** Index of the first token. */
  from: number;
  /** Index after the last token (the `;` excluded). */
  to: number;
  semicolon: Token | undefined;
  /** Comments inside the statement's span, in order. */
  comments: readonly Token[];
}

/** The statement written out again; the source `text` supplies each token's characters. */
export function layoutStatement(text: string, span: StatementSpan, options: FormatOptions): string {
  const { tokens, from, to } = span;
  const inPhrase = phraseMembers(tokens, from, to);
  const first = tokens[from];
  const firstWord = first?.kind === 'ident' ? first.value : undefined;
  const top: Context = {
    kind: 'top',
    inner: 0,
    query: firstWord !== undefined && QUERY_STARTS.has(firstWord),
    empty: true,
    opener: firstWord,
    elementTokens: 0,
    elementIsColumn: false,
  };
  const stack: Context[] = [top];
  let tableListOpened = false;
  let sawTable = false;

  const out: string[] = [];
  let previousEnd = first?.start ?? 0;
  let previous: Token | undefined;
  let previousSignificant: Token | undefined;
  let hintBraces = false;

  const newline = (depth: number): string => `\n${options.indent.repeat(depth)}`;
  const gapHasSpace = (start: number): boolean => start > previousEnd;
  const gapHasNewline = (start: number): boolean => text.slice(previousEnd, start).includes('\n');

  // The items in source order: the statement's tokens, its comments, then its `;`.
  let c = 0;
  const comments = span.comments;
  const emit = (item: Token, separator: string, body: string): void => {
    out.push(separator, body);
    previousEnd = item.end;
    previous = item;
  };

  const writeComment = (comment: Token): void => {
    const context = stack[stack.length - 1] ?? top;
    let separator: string;
    if (previous === undefined) separator = '';
    else if (isLineComment(text, previous) || gapHasNewline(comment.start)) separator = newline(context.inner);
    else separator = gapHasSpace(comment.start) ? ' ' : '';
    emit(comment, separator, text.slice(comment.start, comment.end));
  };

  for (let i = from; i < to; i++) {
    const token = tokens[i];
    if (!token) continue;
    while (c < comments.length && (comments[c]?.start ?? Infinity) < token.start) writeComment(comments[c++] as Token);
    const context = stack[stack.length - 1] ?? top;

    // Queries inside other statements: CREATE TABLE … AS SELECT, EXPLAIN SELECT.
    let switchedToQuery = false;
    if (
      context === top &&
      !top.query &&
      token.kind === 'ident' &&
      QUERY_STARTS.has(token.value) &&
      firstWord !== undefined &&
      QUERY_HOSTS.has(firstWord) &&
      i > from &&
      (firstWord === 'explain' || isWord(tokens[i - 1], 'as'))
    ) {
      top.query = true;
      switchedToQuery = true;
    }

    let separator: string;
    const closesBlock = isPunct(token, ')') && context.kind !== 'top' && context.kind !== 'inline';
    if (previous === undefined) separator = '';
    else if (closesBlock) separator = newline(context.inner - 1);
    else if (context.kind !== 'inline' && context.kind !== 'top' && context.empty) separator = newline(context.inner);
    else if (context.kind === 'list' && isPunct(previousSignificant, ',')) separator = newline(context.inner);
    else if (context.query && !context.empty && !switchedToQuery && startsClause(tokens, i, from, context))
      separator = newline(context.inner);
    // After a line comment the clause goes on, one level in (an inline paren is in already).
    else if (isLineComment(text, previous)) separator = newline(context.kind === 'inline' ? context.inner : context.inner + 1);
    else if (opensTableList(tokens, i, from, firstWord, sawTable && !top.query, tableListOpened, stack.length)) separator = ' ';
    else separator = inlineSpace(previousSignificant, previous, token, gapHasSpace(token.start), hintBraces);

    if (closesBlock || isPunct(token, ')')) {
      if (stack.length > 1) stack.pop();
    }
    const body =
      token.kind === 'ident'
        ? recase(text, tokens, i, from, to, inPhrase, context, options.keywordCase)
        : text.slice(token.start, token.end);
    emit(token, separator, body);
    context.empty = false;
    if (context.kind === 'list') {
      if (isPunct(token, ',')) {
        context.elementTokens = 0;
      } else {
        if (context.elementTokens === 0)
          context.elementIsColumn = token.kind === 'qident' || (token.kind === 'ident' && !TABLE_ELEMENT_WORDS.has(token.value));
        context.elementTokens++;
      }
    }
    if (token.kind === 'invalid' && token.value === '{') hintBraces = true;
    if (token.kind === 'invalid' && token.value === '}') hintBraces = false;
    if (isWord(token, 'table') && stack.length === 1) sawTable = true;

    if (isPunct(token, '(')) {
      const next = tokens[i + 1];
      const opensQuery =
        i + 1 < to && next?.kind === 'ident' && (next.value === 'select' || next.value === 'with' || next.value === 'values');
      const opensList = !opensQuery && opensTableList(tokens, i, from, firstWord, sawTable && !top.query, tableListOpened, stack.length);
      if (opensList) tableListOpened = true;
      const opener = tokens[i - 1]?.kind === 'ident' ? tokens[i - 1]?.value : undefined;
      stack.push({
        kind: opensList ? 'list' : opensQuery ? 'query' : 'inline',
        inner: context.inner + 1,
        query: opensQuery,
        empty: true,
        opener,
        elementTokens: 0,
        elementIsColumn: false,
      });
    }
    previousSignificant = token;
  }
  const end = span.semicolon?.start ?? Infinity;
  while (c < comments.length && (comments[c]?.start ?? Infinity) < end) writeComment(comments[c++] as Token);
  if (span.semicolon) {
    const separator = previous !== undefined && isLineComment(text, previous) ? newline(0) : '';
    emit(span.semicolon, separator, ';');
  }
  return out.join('');
}

/** The `(` of CREATE TABLE's column definitions: the first at the top level after TABLE name. */
function opensTableList(
  tokens: readonly Token[],
  i: number,
  from: number,
  firstWord: string | undefined,
  sawTable: boolean,
  alreadyOpened: boolean,
  depth: number,
): boolean {
  if (!isPunct(tokens[i], '(') || depth !== 1 || firstWord !== 'create' || !sawTable || alreadyOpened || i === from) return false;
  const next = tokens[i + 1];
  if (next?.kind === 'ident' && (next.value === 'select' || next.value === 'with' || next.value === 'values')) return false;
  return !isWord(tokens[i - 1], 'as');
}

function isLineComment(text: string, token: Token): boolean {
  return token.kind === 'comment' && text.charCodeAt(token.start) === 45;
}

/** Whether the token begins a clause of a query (FROM, WHERE, a JOIN, ORDER BY…). */
function startsClause(tokens: readonly Token[], i: number, from: number, context: Context): boolean {
  const token = tokens[i];
  if (token?.kind !== 'ident') return false;
  const word = token.value;
  const before = i > from ? tokens[i - 1] : undefined;
  const prior = before?.kind === 'ident' ? before.value : undefined;
  const next = tokens[i + 1];
  if (isPunct(next, '(') && !CLAUSE_STARTS.has(word)) return false; // left(…), a function
  if (isPunct(before, '.') || isPunct(next, '.')) return false;
  switch (word) {
    case 'from':
      return prior !== 'delete' && prior !== 'distinct';
    case 'select':
      return true;
    case 'values':
      return prior !== 'default';
    case 'where':
    case 'having':
    case 'limit':
    case 'offset':
    case 'returning':
    case 'window':
    case 'union':
    case 'intersect':
    case 'except':
      return true;
    case 'group':
    case 'order':
      return isWord(next, 'by');
    case 'join':
      return prior === undefined || !JOIN_WORDS.has(prior);
    case 'inner':
    case 'cross':
    case 'natural':
      return prior === undefined || !JOIN_WORDS.has(prior);
    case 'left':
    case 'right':
    case 'full':
      return next?.kind === 'ident' && JOIN_WORDS.has(next.value) && next.value !== 'left' && next.value !== 'right'
        ? true
        : isWord(next, 'join');
    case 'set':
      return context.opener === 'update' || prior === 'update';
    case 'on':
      return isWord(next, 'conflict');
    default:
      return false;
  }
}

/** The space between two tokens on one line. */
function inlineSpace(
  previousToken: Token | undefined,
  previousItem: Token | undefined,
  token: Token,
  hadSpace: boolean,
  inHintBraces: boolean,
): string {
  const keep = hadSpace ? ' ' : '';
  if (previousItem?.kind === 'comment' || !previousToken) return keep;
  if (inHintBraces || token.kind === 'invalid' || previousToken.kind === 'invalid') return keep;
  const p = previousToken.kind === 'punct' || previousToken.kind === 'op' ? previousToken.value : undefined;
  const t = token.kind === 'punct' || token.kind === 'op' ? token.value : undefined;
  if (t === ',' || t === ';' || t === ')' || t === ']') return '';
  if (p === '(' || p === '[') return '';
  if (p === '.' || t === '.' || p === '::' || t === '::') return '';
  if (t === '(' || t === '[') {
    if (p === undefined || p === ')' || p === ']') return keep;
    return ' ';
  }
  if ((t !== undefined && token.kind === 'op') || (p !== undefined && previousToken.kind === 'op')) {
    if ((t !== undefined && SPACED_OPERATORS.has(t)) || (p !== undefined && SPACED_OPERATORS.has(p))) return ' ';
    return keep;
  }
  return ' ';
}

/** The word written in the keyword case when it is a keyword here, else as the source has it. */
function recase(
  text: string,
  tokens: readonly Token[],
  i: number,
  from: number,
  to: number,
  inPhrase: Uint8Array,
  context: Context,
  keywordCase: KeywordCase,
): string {
  const token = tokens[i] as Token;
  const source = text.slice(token.start, token.end);
  if (keywordCase === 'preserve' || !isKeyword(tokens, i, from, to, inPhrase, context)) return source;
  return keywordCase === 'upper' ? source.toUpperCase() : source.toLowerCase();
}

function isKeyword(tokens: readonly Token[], i: number, from: number, to: number, inPhrase: Uint8Array, context: Context): boolean {
  const token = tokens[i] as Token;
  const word = token.value;
  const before = i > from ? tokens[i - 1] : undefined;
  const next = i + 1 < to ? tokens[i + 1] : undefined;
  // Part of a qualified name (db.table, t.col, crdb_internal.ranges), or an index after t@.
  if (isPunct(before, '.') || isPunct(next, '.')) return false;
  if (before?.kind === 'op' && before.value === '@') return false;
  if (inPhrase[i - from]) return true;
  if (next?.kind === 'op' && next.value === '::') return RESERVED.has(word); // a value being cast
  if (TYPE_NAMES.has(word) && inTypePosition(tokens, i, from, context)) return true;
  if (RESERVED.has(word)) return true;
  // A function call: now(), left(s, 2), gen_random_uuid().
  if (isPunct(next, '(') && next !== undefined && next.start === token.end) return word === 'values' || word === 'exists';
  if (context.kind === 'list' && context.elementTokens === 0) return false; // a column's name
  if (before?.kind === 'ident' && NAME_INTRODUCERS.has(before.value)) return false;
  return CLAUSE_WORDS.has(word);
}

/** Where a type name is expected: after `::`, after a column's name, in CAST(… AS type), after TYPE or RETURNS. */
function inTypePosition(tokens: readonly Token[], i: number, from: number, context: Context): boolean {
  const before = i > from ? tokens[i - 1] : undefined;
  if (before?.kind === 'op' && before.value === '::') return true;
  if (context.kind === 'list' && context.elementIsColumn && context.elementTokens === 1) return true;
  if (isWord(before, 'type') || isWord(before, 'returns')) return true;
  if (isWord(before, 'as') && context.opener === 'cast') return true;
  // ADD COLUMN name type, ALTER COLUMN name TYPE type is handled above.
  return i - 2 >= from && isWord(tokens[i - 2], 'column') && (before?.kind === 'ident' || before?.kind === 'qident');
}
