// Tolerant parser for the CockroachDB statements the linter reasons about. It never throws:
// each statement gets a tree (partial when the text is half-typed) plus syntax errors placed
// where something was expected. Statements outside its scope are classified with their span.
import type * as ast from './ast';
import { lex, type LexResult, type Token } from './lexer';
import { splitStatements } from './splitter';

export interface ParsedDocument {
  text: string;
  tokens: Token[];
  comments: Token[];
  statements: ast.ParsedStatement[];
}

export function parseDocument(text: string): ParsedDocument {
  return parseLexed(text, lex(text));
}

/** parseDocument of text already lexed (lexStatement: one statement's text and tokens). */
export function parseLexed(text: string, { tokens, comments }: LexResult): ParsedDocument {
  const statements = splitStatements(tokens).map((range) => parseStatementTokens(tokens, range.from, range.to, text));
  return { text, tokens, comments, statements };
}

/** Parses tokens[from, to) as one statement. */
let nextStatementId = 1;

function parseStatementTokens(tokens: readonly Token[], from: number, to: number, source: string): ast.ParsedStatement {
  const parser = new StatementParser(tokens, from, to, source);
  let statement: ast.Statement;
  try {
    statement = parser.parseStatement();
  } catch (error) {
    // A parser bug must never take the server down: report it and fall back to a classification.
    parser.errorAt(parser.span(), `internal parser error: ${error instanceof Error ? error.message : String(error)}`);
    statement = parser.other('other');
  }
  const errors = parser.errors;
  // One pass over the statement's tokens for its function calls and its malformed tokens.
  const calls: (ast.Span & { name: string })[] = [];
  // Braces are CockroachDB syntax only around index hints, t@{FORCE_INDEX=i,NO_FULL_SCAN}: the
  // lexer leaves them invalid, and they are accepted here right after an '@'.
  let openHint: Token | undefined;
  for (let i = from; i < to; i++) {
    const token = tokens[i];
    if (token?.kind === 'ident') {
      // A word never has an error: only whether it is called.
      const next = i + 1 < to ? tokens[i + 1] : undefined;
      if (next?.kind === 'punct' && next.value === '(' && !NOT_FUNCTIONS.has(token.value))
        calls.push({ start: token.start, end: token.end, name: token.value });
      continue;
    }
    if (token?.kind === 'invalid') {
      const previous = tokens[i - 1];
      if (token.value === '{' && !openHint && i > from && previous?.kind === 'op' && previous.value === '@') {
        openHint = token;
        continue;
      }
      if (token.value === '}' && openHint) {
        openHint = undefined;
        continue;
      }
    }
    if (token?.error) errors.push({ start: token.start, end: token.end, message: token.error });
  }
  if (openHint) errors.push({ start: openHint.start, end: openHint.end, message: "expected '}' to close the index hints" });
  const first = tokens[from];
  const last = tokens[to - 1];
  return {
    id: nextStatementId++,
    start: first?.start ?? 0,
    end: last?.end ?? 0,
    statement,
    errors: dedupe(errors),
    calls: compact(calls),
  };
}

/**
 * `list` in an array of its own length. An array grown by push has room for about 16 more
 * elements (V8 grows it by half plus 16): in the short lists of a tree that lives as long as the
 * lint, ~130 bytes kept for nothing each, and copied by every garbage collection that moves it.
 */
function compact<T>(list: T[]): T[] {
  return list.length === 0 ? list : list.slice();
}

function dedupe(errors: ast.SyntaxError[]): ast.SyntaxError[] {
  if (errors.length < 2) return errors;
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.start}:${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const COLUMN_CONSTRAINT_WORDS = new Set([
  'not',
  'null',
  'primary',
  'unique',
  'default',
  'references',
  'check',
  'as',
  'generated',
  'constraint',
  'family',
  'create',
  'on',
  'collate',
  'visible',
  'invisible',
]);

/** How statements without a tree of their own are classified, by their first word. */
const CLASSIFIED = new Map<string, ast.StatementKind>([
  ['select', 'select'],
  ['with', 'select'],
  ['table', 'select'],
  ['values', 'select'],
  ['insert', 'insert'],
  ['upsert', 'upsert'],
  ['update', 'update'],
  ['delete', 'delete'],
  ['commit', 'commit'],
  ['end', 'commit'],
  ['rollback', 'rollback'],
  ['abort', 'rollback'],
  ['savepoint', 'savepoint'],
  ['release', 'savepoint'],
  ['show', 'show'],
  ['explain', 'explain'],
  ['drop', 'drop'],
  ['grant', 'grant'],
  ['revoke', 'grant'],
]);

/**
 * The words a statement can start with: CockroachDB's (its grammar's statement rules) and
 * PostgreSQL's, whose statements CockroachDB lacks fail with their own message ("unimplemented",
 * or the postgres-only rule's), not as a typo. The statements parsed above are not repeated.
 */
const STATEMENT_STARTS = new Set(
  (
    'abort analyse analyze backup call cancel check checkpoint close cluster comment commit copy deallocate declare discard ' +
    'do end execute experimental export fetch import inspect listen load lock merge move notify pause prepare reassign refresh reindex ' +
    'release reset restore resume rollback savepoint scrub security select table truncate unlisten upsert vacuum values with'
  ).split(' '),
);

/**
 * The words DROP can be followed by: the objects of CockroachDB's grammar and PostgreSQL's (those
 * CockroachDB lacks fail as "unimplemented", not as a typo). Anything else, DROP CONSTRAINT or
 * DROP COLUMN written without ALTER TABLE, is a syntax error on CockroachDB.
 */
const DROP_OBJECTS = new Set(
  (
    'access aggregate cast collation conversion database domain event extension external foreign function group index language ' +
    'materialized operator owned policy procedure publication role routine rule schedule schedules schema sequence server ' +
    'statistics subscription table tablespace tenant text transform trigger type user view virtual'
  ).split(' '),
);

/** SHOW subjects of more than one word, and other spellings of one. */
const SHOW_PHRASES: [string[], string][] = [
  [['zone', 'configurations'], 'zone configurations'],
  [['zone', 'configuration'], 'zone configuration'],
  [['survival', 'goal'], 'survival goal'],
  [['cluster', 'settings'], 'cluster settings'],
  [['cluster', 'setting'], 'cluster setting'],
  [['cluster', 'queries'], 'cluster queries'],
  [['cluster', 'sessions'], 'cluster sessions'],
  [['transaction', 'isolation', 'level'], 'transaction isolation level'],
  [['transaction', 'status'], 'transaction status'],
  [['transaction', 'priority'], 'transaction priority'],
  [['last', 'query', 'statistics'], 'last query statistics'],
  [['indexes'], 'indexes'],
  [['index'], 'indexes'],
  [['keys'], 'indexes'],
];

/** What SHOW CREATE may name before the object (SHOW CREATE t means a table). */
const SHOW_CREATE_KINDS = new Set(['table', 'view', 'sequence', 'database', 'function', 'procedure', 'type', 'schedule', 'trigger']);

const ORDER_WORDS = new Set(['asc', 'desc', 'nulls']);

/** Where a list element ends: a ',' or ')' (one function, not a closure made at every call). */
function atCommaOrClose(t: Token): boolean {
  return t.kind === 'punct' && (t.value === ',' || t.value === ')');
}

/** Where a column constraint ends: a ',' or ')', or the word that starts the next constraint. */
function atColumnConstraintEnd(t: Token): boolean {
  return (t.kind === 'punct' && (t.value === ',' || t.value === ')')) || (t.kind === 'ident' && COLUMN_CONSTRAINT_WORDS.has(t.value));
}

/** Types that make a column an identity (a sequence behind it). */
const SERIAL_TYPES = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

/**
 * The words a table element other than a plain column starts with: an element starting with any
 * other word is a column, parsed without trying each of the others (every column of every table).
 */
const TABLE_ELEMENT_WORDS = new Set([
  'constraint',
  'primary',
  'unique',
  'inverted',
  'vector',
  'index',
  'family',
  'foreign',
  'check',
  'like',
]);

function indexElementStop(t: Token): boolean {
  return (t.kind === 'punct' && (t.value === ',' || t.value === ')')) || (t.kind === 'ident' && ORDER_WORDS.has(t.value));
}

/** Words after which `word (` is syntax, not a function call. */
const NOT_FUNCTIONS = new Set([
  'in',
  'values',
  'exists',
  'key',
  'index',
  'storing',
  'covering',
  'include',
  'check',
  'unique',
  'table',
  'into',
  'references',
  'as',
  'and',
  'or',
  'not',
  'on',
  'using',
  'with',
  'by',
  'over',
  'filter',
  'family',
  'from',
  'to',
  'partition',
  'list',
  'range',
  'all',
  'any',
  'some',
  'array',
  'where',
  'select',
  'columns',
  'is',
  'when',
  'then',
  'else',
  'returning',
  'set',
  'row',
  'lateral',
  'join',
  'union',
  'intersect',
  'except',
  'within',
  'group',
]);

class StatementParser {
  private i: number;
  readonly errors: ast.SyntaxError[] = [];

  constructor(
    private readonly tokens: readonly Token[],
    private readonly from: number,
    private readonly to: number,
    private readonly source: string,
  ) {
    this.i = from;
  }

  // ---- token helpers -------------------------------------------------------------------

  peek(k = 0): Token | undefined {
    const j = this.i + k;
    return j < this.to ? this.tokens[j] : undefined;
  }

  private next(): Token | undefined {
    const token = this.peek();
    if (token) this.i++;
    return token;
  }

  atEnd(): boolean {
    return this.i >= this.to;
  }

  isWord(word: string, k = 0): boolean {
    const token = this.peek(k);
    return token?.kind === 'ident' && token.value === word;
  }

  // The word helpers below take their words as separate parameters, not as a rest array: they
  // run several times for every token, and a rest parameter allocates an array on every call
  // until the function is optimised (a small file is linted before it ever is).

  isWords(a: string, b?: string, c?: string): boolean {
    return this.wordsFollow(a, b, c, undefined, undefined) > 0;
  }

  /** Whether `words` follow from the current token (a loop: this runs for every token). */
  private wordsAt(words: readonly string[]): boolean {
    if (this.i + words.length > this.to) return false;
    for (let k = 0; k < words.length; k++) {
      const token = this.tokens[this.i + k];
      if (token?.kind !== 'ident' || token.value !== words[k]) return false;
    }
    return true;
  }

  /** Whether the token `k` ahead (inside the statement) is the word. */
  private wordAhead(k: number, word: string): boolean {
    if (this.i + k >= this.to) return false;
    const token = this.tokens[this.i + k];
    return token !== undefined && token.kind === 'ident' && token.value === word;
  }

  /** How many words follow from the current token, all of a…e given (0 when one does not). */
  private wordsFollow(a: string, b: string | undefined, c: string | undefined, d: string | undefined, e: string | undefined): number {
    if (!this.wordAhead(0, a)) return 0;
    if (b === undefined) return 1;
    if (!this.wordAhead(1, b)) return 0;
    if (c === undefined) return 2;
    if (!this.wordAhead(2, c)) return 0;
    if (d === undefined) return 3;
    if (!this.wordAhead(3, d)) return 0;
    if (e === undefined) return 4;
    return this.wordAhead(4, e) ? 5 : 0;
  }

  /** Consumes the words if they all follow; returns their span. */
  acceptWords(a: string, b?: string, c?: string, d?: string, e?: string): ast.Span | undefined {
    const count = this.wordsFollow(a, b, c, d, e);
    if (count === 0) return undefined;
    const start = this.tokens[this.i]?.start ?? 0;
    this.i += count;
    return { start, end: this.tokens[this.i - 1]?.end ?? start };
  }

  /** Consumes the current token when it is one of the words; returns it. */
  private acceptAnyWord(a: string, b: string, c?: string, d?: string, e?: string, f?: string): string | undefined {
    const token = this.peek();
    if (token?.kind !== 'ident') return undefined;
    const value = token.value;
    if (value === a || value === b || value === c || value === d || value === e || value === f) {
      this.i++;
      return value;
    }
    return undefined;
  }

  isPunct(value: string, k = 0): boolean {
    const token = this.peek(k);
    return token?.kind === 'punct' && token.value === value;
  }

  private acceptPunct(value: string): boolean {
    if (!this.isPunct(value)) return false;
    this.i++;
    return true;
  }

  private isOp(value: string): boolean {
    const token = this.peek();
    return token?.kind === 'op' && token.value === value;
  }

  private acceptOp(value: string): boolean {
    if (!this.isOp(value)) return false;
    this.i++;
    return true;
  }

  /**
   * `node` with the span of the whole statement so far set on it. Set, not spread into a new
   * literal: on Node 20 (V8 11) a literal that spreads an object and then adds a property the
   * object lacks gets a map of its own every time, so every later read of its properties is
   * megamorphic and the maps fill the heap (test/unit/sql/parserShapes.test.ts).
   */
  private spanned<T extends ast.Span>(node: T, start?: number): T {
    const span = this.span(start);
    node.start = span.start;
    node.end = span.end;
    return node;
  }

  /** The span of the whole statement so far. */
  span(start = this.tokens[this.from]?.start ?? 0): ast.Span {
    const last = this.tokens[Math.max(this.from, Math.min(this.i, this.to) - 1)];
    return { start, end: Math.max(start, last?.end ?? start) };
  }

  /** Reports the token after `what` unless the statement ends there or `stop` is next. */
  private nothingMoreBefore(stop: (token: Token) => boolean, what: string): void {
    const token = this.peek();
    if (token && !stop(token)) this.errorAt(token, `unexpected ${describe(token)} after ${what}`);
  }

  private lastEnd(): number {
    return this.tokens[this.i - 1]?.end ?? this.tokens[this.from]?.start ?? 0;
  }

  errorAt(span: ast.Span, message: string): void {
    this.errors.push({ start: span.start, end: span.end, message });
  }

  /** "expected X": at the current token, or just after the statement's last token. */
  private expected(what: string): void {
    const token = this.peek();
    if (token) this.errorAt(token, `expected ${what}, found ${describe(token)}`);
    else {
      const end = this.tokens[this.to - 1]?.end ?? 0;
      this.errorAt({ start: end, end }, `expected ${what} at the end of the statement`);
    }
  }

  private expectWord(word: string, what = word.toUpperCase()): boolean {
    if (this.acceptWords(word)) return true;
    this.expected(what);
    return false;
  }

  private expectPunct(value: string, what = `'${value}'`): boolean {
    if (this.acceptPunct(value)) return true;
    this.expected(what);
    return false;
  }

  // ---- names, types, expressions ---------------------------------------------------------

  private parseName(what: string): ast.Name | undefined {
    const token = this.peek();
    if (token?.kind === 'ident') {
      this.i++;
      return { start: token.start, end: token.end, value: token.value, quoted: false };
    }
    if (token?.kind === 'qident') {
      this.i++;
      return { start: token.start, end: token.end, value: token.value, quoted: true };
    }
    // Region names are sometimes written as strings.
    if (token?.kind === 'string' && what.includes('region')) {
      this.i++;
      return { start: token.start, end: token.end, value: token.value, quoted: true };
    }
    this.expected(what);
    return undefined;
  }

  private parseQualifiedName(what: string): ast.QualifiedName | undefined {
    const first = this.parseName(what);
    if (!first) return undefined;
    const parts = [first];
    while (this.isPunct('.') && (this.peek(1)?.kind === 'ident' || this.peek(1)?.kind === 'qident')) {
      this.i++;
      const part = this.parseName(what);
      if (part) parts.push(part);
    }
    const name = parts[parts.length - 1] ?? first;
    return { start: first.start, end: name.end, parts, name };
  }

  /** `(name, name, …)`: a parenthesised name list. */
  private parseNameList(what: string): ast.Name[] {
    const names: ast.Name[] = [];
    if (!this.expectPunct('(', `'(' and a list of ${what}`)) return names;
    if (this.acceptPunct(')')) return names;
    for (;;) {
      const name = this.parseName(what);
      if (name) names.push(name);
      else this.skipUntil(atCommaOrClose);
      if (this.acceptPunct(',')) continue;
      this.expectPunct(')', `',' or ')'`);
      return names;
    }
  }

  /**
   * Skips tokens until `stop` matches a token at parenthesis depth 0 (not consumed) or the
   * statement ends; reports unbalanced parentheses. Returns the skipped span.
   */
  private skipUntil(stop: (token: Token) => boolean): ast.Span {
    const start = this.peek()?.start ?? this.lastEnd();
    let depth = 0;
    // Which brackets are open, innermost in bit 0 (1 for '['): to name the missing closer.
    let kinds = 0;
    while (this.i < this.to) {
      const token = this.tokens[this.i];
      if (!token) break;
      if (depth === 0 && stop(token)) break;
      if (token.kind === 'punct') {
        const value = token.value;
        if (value === '(' || value === '[') {
          depth++;
          kinds = (kinds << 1) | (value === '[' ? 1 : 0);
        } else if (value === ')' || value === ']') {
          if (depth === 0) break;
          depth--;
          kinds >>>= 1;
        }
      }
      this.i++;
    }
    if (depth > 0) this.expected(kinds & 1 ? "']'" : "')'");
    return { start, end: Math.max(start, this.lastEnd()) };
  }

  /** Skips a parenthesised group starting at the current `(`. */
  private skipParens(): ast.Span | undefined {
    const open = this.peek();
    if (!open || !this.isPunct('(')) return undefined;
    this.i++;
    this.skipUntil((t) => t.kind === 'punct' && t.value === ')');
    this.expectPunct(')');
    return { start: open.start, end: this.lastEnd() };
  }

  private parseExpr(stop: (token: Token) => boolean, what = 'an expression'): ast.Expr | undefined {
    const first = this.i;
    const span = this.skipUntil(stop);
    if (this.i === first) {
      this.expected(what);
      return undefined;
    }
    return this.describeExpr(first, this.i, span);
  }

  private describeExpr(from: number, to: number, span: ast.Span): ast.Expr {
    // call and word in the literal, as parseIndexTail's name.
    const expr: ast.Expr = { start: span.start, end: span.end, text: this.sourceOf(from, to), call: undefined, word: undefined };
    const head = this.tokens[from];
    const open = this.tokens[from + 1];
    if (head?.kind === 'ident' && open?.kind === 'punct' && open.value === '(') {
      // A single call when its closing parenthesis ends the expression (casts allowed after).
      let depth = 0;
      let close = -1;
      for (let j = from + 1; j < to; j++) {
        const t = this.tokens[j];
        if (t?.kind === 'punct' && t.value === '(') depth++;
        else if (t?.kind === 'punct' && t.value === ')' && --depth === 0) {
          close = j;
          break;
        }
      }
      const after = this.tokens[close + 1];
      if (close !== -1 && (close === to - 1 || (after?.kind === 'op' && after.value === '::'))) {
        expr.call = head.value;
        const argument = this.tokens[from + 2];
        if (argument?.kind === 'string') expr.firstStringArgument = argument.value;
      }
    } else if (to - from === 1 && head) {
      expr.word = head.value;
      if (head.kind === 'string') expr.string = head.value;
    } else if (head?.kind === 'ident' && this.tokens[from + 1]?.kind === 'op' && this.tokens[from + 1]?.value === '::') {
      expr.word = head.value;
    }
    return expr;
  }

  private sourceOf(from: number, to: number): string {
    const first = this.tokens[from];
    const last = this.tokens[to - 1];
    if (!first || !last) return '';
    // A lone bare identifier reads as its normalised (lower-case) name.
    if (from === to - 1 && first.kind === 'ident') return first.value;
    return this.source.slice(first.start, last.end);
  }

  private parseType(): ast.TypeRef | undefined {
    const start = this.peek();
    if (!start || (start.kind !== 'ident' && start.kind !== 'qident')) {
      this.expected('a column type');
      return undefined;
    }
    let name: string;
    if (this.acceptWords('double', 'precision')) name = 'double precision';
    else if (this.acceptWords('character', 'varying') || this.acceptWords('char', 'varying')) name = 'varchar';
    else if (this.acceptWords('bit', 'varying')) name = 'varbit';
    else {
      const qualified = this.parseQualifiedName('a column type');
      // Most types are one word: its value, without an array and a join.
      name = !qualified
        ? ''
        : qualified.parts.length === 1
          ? (qualified.parts[0]?.value ?? '')
          : qualified.parts.map((p) => p.value).join('.');
    }
    if (this.isPunct('(')) this.skipParens();
    if ((name === 'timestamp' || name === 'time') && (this.isWord('with') || this.isWord('without'))) {
      const withZone = this.isWord('with');
      if (this.acceptWords(withZone ? 'with' : 'without', 'time', 'zone')) name = withZone ? `${name}tz` : name;
    }
    let array = false;
    while (this.isPunct('[') || this.isWord('array')) {
      array = true;
      if (this.acceptWords('array')) continue;
      this.i++;
      if (this.peek()?.kind === 'number') this.i++;
      this.expectPunct(']');
    }
    return { start: start.start, end: this.lastEnd(), name, array };
  }

  // ---- statements -------------------------------------------------------------------------

  parseStatement(): ast.Statement {
    const head = this.peek();
    if (!head) return this.other('other');
    if (head.kind === 'command') {
      this.i = this.to;
      return this.other('command');
    }
    if (head.kind !== 'ident') {
      if (head.kind === 'punct' && head.value === '(') return this.finishOther('select');
      this.errorAt(head, `expected a statement, found ${describe(head)}`);
      this.i = this.to;
      return this.other('other');
    }
    switch (head.value) {
      case 'create':
        return this.parseCreate();
      case 'alter':
        return this.parseAlter();
      case 'begin':
      case 'start':
        return this.parseBegin();
      case 'set':
        return this.parseSet();
      case 'use':
        return this.parseUse();
      case 'show':
        return this.parseShow();
      case 'drop':
        return this.parseDrop();
      case 'insert':
      case 'upsert':
      case 'update':
      case 'delete':
        return this.parseWrite(head.value);
      case 'grant':
      case 'revoke':
        return this.parseGrant(head.value === 'revoke');
      case 'explain':
        return this.parseExplain();
      default:
        // A word no statement starts with (a typo: SELEC, CRATE) fails in CockroachDB's grammar at once.
        if (!STATEMENT_STARTS.has(head.value)) {
          this.errorAt(head, `expected a statement, found ${describe(head)}`);
          this.i = this.to;
          return this.other('other');
        }
        return this.finishOther(CLASSIFIED.get(head.value) ?? 'other');
    }
  }

  /** Classifies the rest of the statement without a tree, checking only its parentheses. */
  private finishOther(kind: ast.StatementKind): ast.OtherStatement {
    const keywords = this.leadingKeywords();
    while (!this.atEnd()) {
      this.skipUntil(() => false);
      if (!this.atEnd()) {
        // A ')' with nothing open.
        const token = this.next();
        if (token) this.errorAt(token, "unexpected ')': no '(' is open here");
      }
    }
    return this.spanned({ start: 0, end: 0, type: 'other', kind, keywords, calls: this.calls() });
  }

  other(kind: ast.StatementKind): ast.OtherStatement {
    return this.spanned({ start: 0, end: 0, type: 'other', kind, keywords: this.leadingKeywords(), calls: [] });
  }

  private leadingKeywords(): string {
    const words: string[] = [];
    for (let j = this.from; j < this.to && words.length < 3; j++) {
      const token = this.tokens[j];
      if (token?.kind !== 'ident') break;
      words.push(token.value);
    }
    return words.join(' ');
  }

  calls(): (ast.Span & { name: string })[] {
    const calls: (ast.Span & { name: string })[] = [];
    for (let j = this.from; j + 1 < this.to; j++) {
      const token = this.tokens[j];
      const next = this.tokens[j + 1];
      if (token?.kind !== 'ident' || next?.kind !== 'punct' || next.value !== '(') continue;
      if (NOT_FUNCTIONS.has(token.value)) continue;
      calls.push({ start: token.start, end: token.end, name: token.value });
    }
    return compact(calls);
  }

  private parseCreate(): ast.Statement {
    const start = this.peek()?.start ?? 0;
    this.i++; // create
    this.acceptWords('or', 'replace');
    const temporary = this.acceptAnyWord('temp', 'temporary', 'unlogged') !== undefined;
    if (this.isWord('table')) return this.parseCreateTable(start, temporary);
    if (this.isWord('unique') || this.isWord('index') || this.isWord('inverted') || this.isWord('vector'))
      return this.parseCreateIndex(start);
    if (this.isWord('database')) return this.parseCreateDatabase(start);
    if (this.isWord('sequence')) return this.parseCreateSequence(start);
    if (this.isWord('user') || this.isWord('role')) return this.parseRole(start, false);
    if (this.isWord('extension')) {
      this.i++;
      this.acceptWords('if', 'not', 'exists');
      const name = this.parseName('an extension name');
      this.finishOther('other');
      return this.spanned({ start: 0, end: 0, type: 'create-extension', name }, start);
    }
    if (this.atEnd()) this.expected('what to create (TABLE, INDEX, DATABASE, …)');
    return this.finishOther('other');
  }

  private parseCreateTable(start: number, temporary: boolean): ast.Statement {
    this.i++; // table
    const ifNotExists = this.acceptWords('if', 'not', 'exists') !== undefined;
    const name = this.parseQualifiedName('a table name');
    const table: ast.CreateTable = {
      start,
      end: start,
      type: 'create-table',
      name: name ?? { start, end: start, parts: [], name: { start, end: start, value: '', quoted: false } },
      ifNotExists,
      columns: [],
      indexes: [],
      families: [],
      foreignKeys: [],
      asSelect: false,
      temporary,
    };
    if (!name) {
      this.finishOther('other');
      return this.spanned(table, start);
    }
    if (this.isPunct('(')) {
      this.parseTableElements(table);
      table.columns = compact(table.columns);
      table.indexes = compact(table.indexes);
    } else if (!this.isWord('as')) this.expected("'(' and the table's columns, or AS and a query");
    this.parseTableClauses(table);
    if (!table.asSelect) {
      for (const column of table.columns) {
        if (!column.type) this.errorAt(column.name, `expected a type for column ${column.name.value}`);
      }
    }
    return this.spanned(table, start);
  }

  private parseTableElements(table: ast.CreateTable): void {
    this.i++; // (
    if (this.acceptPunct(')')) return;
    for (;;) {
      if (this.atEnd()) {
        this.expected('a column definition or a constraint');
        return;
      }
      this.parseTableElement(table);
      if (this.acceptPunct(',')) continue;
      if (this.acceptPunct(')')) return;
      if (this.atEnd()) {
        this.expected("',' or ')'");
        return;
      }
      this.expected("',' or ')'");
      this.skipUntil(atCommaOrClose);
      if (this.acceptPunct(',')) continue;
      this.acceptPunct(')');
      return;
    }
  }

  private parseTableElement(table: ast.CreateTable): void {
    const first = this.peek();
    const start = first?.start ?? this.lastEnd();
    if (first?.kind !== 'ident' || !TABLE_ELEMENT_WORDS.has(first.value)) {
      this.addColumn(table, start);
      return;
    }
    let constraintName: ast.Name | undefined;
    if (this.acceptWords('constraint')) constraintName = this.parseName('a constraint name');

    if (this.isWords('primary', 'key')) {
      this.i += 2;
      const index = this.parseIndexTail(start, 'primary', undefined, false);
      table.primaryKey = index;
      if (index.interleave) table.interleave ??= index.interleave;
      return;
    }
    if (this.isWord('unique') && !this.isPunct('(', 1) && !this.isWord('index', 1) && !this.isWord('without', 1)) {
      // `unique` as a column name: fall through to a column definition.
    } else if (this.isWord('unique')) {
      this.i++;
      const withoutIndex = this.acceptWords('without', 'index') !== undefined;
      this.acceptWords('index');
      const name = this.isPunct('(') ? constraintName : (this.parseOptionalIndexName() ?? constraintName);
      const index = this.parseIndexTail(start, 'unique', name, false);
      if (withoutIndex) return;
      table.indexes.push(index);
      if (index.interleave) table.interleave ??= index.interleave;
      return;
    }
    const inverted = this.isWord('inverted') && this.isWord('index', 1);
    const vector = this.isWord('vector') && this.isWord('index', 1);
    if (inverted || vector) this.i++;
    if (this.isWord('index') && (inverted || vector || this.isPunct('(', 1) || this.isPunct('(', 2) || this.isPunct('(', 3))) {
      this.i++;
      this.acceptWords('if', 'not', 'exists');
      const name = this.parseOptionalIndexName();
      const index = this.parseIndexTail(start, 'index', name, false);
      index.inverted = inverted;
      index.vector = vector;
      table.indexes.push(index);
      if (index.interleave) table.interleave ??= index.interleave;
      return;
    }
    if (this.isWord('family') && (this.isPunct('(', 1) || this.isPunct('(', 2))) {
      this.i++;
      const name = this.isPunct('(') ? undefined : this.parseName('a family name');
      if (name) table.families.push(name);
      this.parseNameList('column names');
      return;
    }
    if (this.isWords('foreign', 'key')) {
      table.foreignKeys.push(this.parseForeignKey(start, constraintName));
      return;
    }
    if (this.isWord('check') && this.isPunct('(', 1)) {
      this.skipUntil(atCommaOrClose);
      return;
    }
    if (this.isWord('like') && !this.isPunct(',', 1)) {
      this.skipUntil(atCommaOrClose);
      table.like = { start, end: this.lastEnd() };
      return;
    }
    if (constraintName) {
      // CONSTRAINT name followed by something we do not model.
      this.skipUntil(atCommaOrClose);
      return;
    }
    this.addColumn(table, start);
  }

  /** A column definition, with the keys and foreign key it declares inline. */
  private addColumn(table: ast.CreateTable, start: number): void {
    const parsed = this.parseColumn(start);
    if (!parsed) return;
    const { column, inlineForeignKey } = parsed;
    table.columns.push(column);
    if (inlineForeignKey) table.foreignKeys.push(inlineForeignKey);
    if (column.primaryKey) {
      table.primaryKey = {
        start: column.primaryKey.start,
        end: column.primaryKey.end,
        kind: 'primary',
        columns: [{ start: column.name.start, end: column.name.end, name: column.name, descending: false }],
        columnsEnd: column.primaryKey.end,
        storing: [],
        inverted: false,
        vector: false,
        notVisible: false,
        ...(column.primaryKeyHash ? { usingHash: column.primaryKeyHash } : {}),
      };
    }
    // A column that is both the key and UNIQUE has one index, the primary one (as CockroachDB builds it).
    if (column.unique && !column.primaryKey) {
      table.indexes.push({
        start: column.start,
        end: column.end,
        kind: 'unique',
        ...(column.uniqueName ? { name: column.uniqueName } : {}),
        columns: [{ start: column.name.start, end: column.name.end, name: column.name, descending: false }],
        columnsEnd: column.end,
        storing: [],
        inverted: false,
        vector: false,
        notVisible: false,
      });
    }
    if (column.family) table.families.push(column.family);
  }

  /** `FOREIGN KEY (columns) REFERENCES table [(columns)] [actions]`, at FOREIGN. */
  private parseForeignKey(start: number, name: ast.Name | undefined): ast.ForeignKey {
    this.i += 2; // foreign key
    const columns = this.parseNameList('referencing columns');
    const empty: ast.QualifiedName = { start, end: start, parts: [], name: { start, end: start, value: '', quoted: false } };
    let table = empty;
    let referencedColumns: ast.Name[] = [];
    if (this.expectWord('references', 'REFERENCES and the referenced table')) {
      table = this.parseQualifiedName('a referenced table') ?? empty;
      if (this.isPunct('(')) referencedColumns = this.parseNameList('referenced columns');
      this.skipReferenceActions();
    }
    this.acceptWords('not', 'valid');
    return { start, end: this.lastEnd(), ...(name ? { name } : {}), columns, table, referencedColumns };
  }

  private parseOptionalIndexName(): ast.Name | undefined {
    if (this.isPunct('(') || this.isWord('on')) return undefined;
    const token = this.peek();
    if (token?.kind === 'ident' || token?.kind === 'qident') return this.parseName('an index name');
    return undefined;
  }

  /**
   * A column definition, and the foreign key its REFERENCES clause declares (kept apart: a copy
   * of the column without it would cost an object per column).
   */
  private parseColumn(
    start: number,
  ): { column: ast.Column & { primaryKeyHash?: ast.Span }; inlineForeignKey: ast.ForeignKey | undefined } | undefined {
    const name = this.parseName('a column name');
    if (!name) {
      this.skipUntil(atCommaOrClose);
      return undefined;
    }
    let inlineForeignKey: ast.ForeignKey | undefined;
    const column: ast.Column & { primaryKeyHash?: ast.Span } = {
      start,
      end: name.end,
      name,
      notNull: false,
      unique: false,
      notVisible: false,
      // Most columns get these: in the literal, they are kept in the object (see parseIndexTail).
      type: undefined,
      default: undefined,
    };
    // `CREATE TABLE t (a, b) AS SELECT …` names columns without types: whether a type was
    // needed is known only at AS, so parseCreateTable reports missing types afterwards.
    const untyped =
      this.atEnd() ||
      this.isPunct(',') ||
      this.isPunct(')') ||
      (this.peek()?.kind === 'ident' && COLUMN_CONSTRAINT_WORDS.has(this.peek()?.value ?? ''));
    if (!untyped) column.type = this.parseType();
    if (column.type && SERIAL_TYPES.has(column.type.name)) column.identity = column.type;

    const stop = atColumnConstraintEnd;
    // CONSTRAINT name: applies to the constraint that follows it.
    let constraintName: ast.Name | undefined;
    let constraintAt = start;
    while (!this.atEnd() && !this.isPunct(',') && !this.isPunct(')')) {
      const token = this.peek();
      const at = token?.start ?? 0;
      // Dispatch on the word: this loop runs for every constraint of every column.
      const word = token?.kind === 'ident' ? token.value : '';
      switch (word) {
        case 'not':
          if (this.acceptWords('not', 'null')) column.notNull = true;
          else if (this.acceptWords('not', 'visible')) column.notVisible = true;
          else this.skipConstraint(stop);
          break;
        case 'null':
          this.i++;
          column.notNull = false;
          column.nullWritten = { start: at, end: this.lastEnd() };
          break;
        case 'primary': {
          if (!this.acceptWords('primary', 'key')) {
            this.skipConstraint(stop);
            break;
          }
          column.primaryKey = { start: at, end: this.lastEnd() };
          column.notNull = true;
          this.acceptAnyWord('asc', 'desc');
          const hash = this.acceptWords('using', 'hash');
          if (hash) {
            column.primaryKeyHash = hash;
            if (this.isWord('with') && this.isPunct('(', 1)) {
              this.i++;
              this.skipParens();
            }
          }
          break;
        }
        case 'unique':
          this.i++;
          // UNIQUE WITHOUT INDEX is a constraint with no index behind it: nothing to model.
          if (this.acceptWords('without', 'index')) break;
          column.unique = true;
          if (constraintName) column.uniqueName = constraintName;
          break;
        case 'default': {
          this.i++;
          const expr = this.parseExpr(this.columnExpressionStop(stop), 'a default value');
          if (expr) column.default = expr;
          break;
        }
        case 'on':
          if (this.acceptWords('on', 'update')) this.parseExpr(this.columnExpressionStop(stop), 'an ON UPDATE value');
          else this.skipConstraint(stop);
          break;
        case 'references': {
          this.i++;
          const target = this.parseQualifiedName('a referenced table');
          let referenced: ast.Name[] = [];
          if (this.isPunct('(')) referenced = this.parseNameList('the referenced column');
          const [referencedColumn] = referenced;
          if (target) {
            column.references = target;
            if (referencedColumn) column.referencedColumn = referencedColumn;
            inlineForeignKey = {
              start: constraintName ? constraintAt : at,
              end: this.lastEnd(),
              ...(constraintName ? { name: constraintName } : {}),
              columns: [name],
              table: target,
              referencedColumns: referenced,
            };
          }
          this.skipReferenceActions();
          if (inlineForeignKey) inlineForeignKey.end = this.lastEnd();
          break;
        }
        case 'check':
          this.i++;
          if (this.isPunct('(')) this.skipParens();
          else this.expected("'(' and a condition");
          break;
        case 'generated':
          this.i++;
          this.acceptAnyWord('always', 'by');
          this.acceptWords('default');
          if (!this.expectWord('as')) break;
          if (this.isWord('identity')) {
            this.i++;
            column.identity = { start: at, end: this.lastEnd() };
            if (this.isPunct('(')) this.skipParens();
          } else this.parseComputed(column);
          break;
        case 'as':
          this.i++;
          this.parseComputed(column);
          break;
        case 'constraint':
          this.i++;
          constraintAt = at;
          constraintName = this.parseName('a constraint name');
          continue;
        case 'create':
        case 'family': {
          if (!(
            this.acceptWords('create', 'family') ||
            this.acceptWords('create', 'if', 'not', 'exists', 'family') ||
            this.acceptWords('family')
          )) {
            this.skipConstraint(stop);
            break;
          }
          const next = this.peek();
          if (next && (next.kind === 'ident' || next.kind === 'qident') && !COLUMN_CONSTRAINT_WORDS.has(next.value)) {
            const family = this.parseName('a family name');
            if (family) column.family = family;
          }
          break;
        }
        case 'collate':
          this.i++;
          this.parseName('a collation');
          break;
        case 'visible':
        case 'invisible':
          this.i++;
          break;
        default:
          this.skipConstraint(stop);
      }
      constraintName = undefined;
    }
    column.end = this.lastEnd();
    return { column, inlineForeignKey };
  }

  /**
   * Where a DEFAULT / ON UPDATE value ends: at the next constraint word, except inside CASE … END
   * (CASE WHEN a IS NULL …) and for a NULL that opens the value (DEFAULT NULL, DEFAULT NULL::STRING).
   */
  private columnExpressionStop(stop: (token: Token) => boolean): (token: Token) => boolean {
    const opening = this.peek();
    let cases = 0;
    return (t) => {
      if (t.kind === 'ident') {
        if (t.value === 'case') cases++;
        else if (t.value === 'end' && cases > 0) {
          cases--;
          return false;
        }
      }
      if (cases > 0 || (t === opening && t.value === 'null')) return false;
      return stop(t);
    };
  }

  /** Something this parser does not model (e.g. a newer constraint): skip one element. */
  private skipConstraint(stop: (token: Token) => boolean): void {
    this.i++;
    this.skipUntil(stop);
  }

  private parseComputed(column: ast.Column): void {
    if (!this.isPunct('(')) {
      this.expected("'(' and the computed expression");
      return;
    }
    const open = this.i;
    const span = this.skipParens() ?? this.span();
    const expr = this.describeExpr(open, this.i, span);
    const stored = this.acceptAnyWord('stored', 'virtual');
    column.computed = { expr, stored: stored !== 'virtual' };
  }

  private skipReferenceActions(): void {
    for (;;) {
      if (this.acceptWords('on', 'delete') || this.acceptWords('on', 'update')) {
        if (!(
          this.acceptWords('set', 'null') ||
          this.acceptWords('set', 'default') ||
          this.acceptWords('no', 'action') ||
          this.acceptAnyWord('cascade', 'restrict')
        )) {
          this.expected('CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION');
          return;
        }
      } else if (this.acceptWords('match')) this.acceptAnyWord('full', 'simple', 'partial');
      else if (this.acceptWords('not', 'deferrable') || this.acceptWords('deferrable') || this.acceptWords('initially'))
        this.acceptAnyWord('deferred', 'immediate');
      else return;
    }
  }

  /** The part of an index after its name: `(cols) [USING HASH] [STORING (…)] [PARTITION BY …] [WHERE …]`. */
  private parseIndexTail(start: number, kind: ast.IndexDef['kind'], name: ast.Name | undefined, standalone: boolean): ast.IndexDef {
    const index: ast.IndexDef = {
      start,
      end: start,
      kind,
      columns: [],
      columnsEnd: start,
      storing: [],
      inverted: false,
      vector: false,
      notVisible: false,
      // In the literal, even when undefined: a property added later goes to a property array of
      // its own (~40 bytes more for each node kept).
      name,
    };
    if (this.acceptWords('using')) {
      const method = this.acceptAnyWord('gin', 'gist', 'btree', 'hash', 'cspann', 'inverted');
      if (method === 'gin' || method === 'gist' || method === 'inverted') index.inverted = true;
      if (method === 'cspann') index.vector = true;
      if (!method) this.parseName('an index method');
    }
    if (!this.isPunct('(')) {
      this.expected("'(' and the index columns");
      index.end = this.lastEnd();
      return index;
    }
    this.i++;
    for (;;) {
      const elementStart = this.peek()?.start ?? this.lastEnd();
      const elementStop = indexElementStop;
      const token = this.peek();
      const next = this.peek(1);
      if (
        token &&
        (token.kind === 'ident' || token.kind === 'qident') &&
        (next?.kind === 'punct' ? next.value !== '(' && next.value !== '.' : true) &&
        !(next?.kind === 'op')
      ) {
        const columnName = this.parseName('a column name');
        // An operator class (gin_trgm_ops) may follow the column.
        const next = this.peek();
        if (next?.kind === 'ident' && !ORDER_WORDS.has(next.value)) this.i++;
        const descending = this.acceptAnyWord('asc', 'desc') === 'desc';
        if (this.acceptWords('nulls')) this.acceptAnyWord('first', 'last');
        if (columnName) index.columns.push({ start: elementStart, end: this.lastEnd(), name: columnName, descending });
      } else if (token && !(token.kind === 'punct' && token.value === ')')) {
        const expr = this.parseExpr(elementStop, 'an index column');
        const descending = this.acceptAnyWord('asc', 'desc') === 'desc';
        if (this.acceptWords('nulls')) this.acceptAnyWord('first', 'last');
        if (expr) index.columns.push({ start: elementStart, end: this.lastEnd(), expr, descending });
      } else {
        this.expected('an index column');
      }
      if (this.acceptPunct(',')) continue;
      if (this.acceptPunct(')')) break;
      this.expected("',' or ')'");
      this.skipUntil((t) => t.kind === 'punct' && t.value === ')');
      this.acceptPunct(')');
      break;
    }
    index.columns = compact(index.columns);
    index.columnsEnd = this.lastEnd();
    // Clauses after the column list, in any order (most indexes have none: leave at once).
    for (;;) {
      if (this.peek()?.kind !== 'ident') break;
      const hash = this.acceptWords('using', 'hash');
      if (hash) {
        index.usingHash = hash;
        continue;
      }
      if (this.isWords('with', 'bucket_count')) {
        this.i += 2;
        this.acceptOp('=');
        const count = this.next();
        if (count?.kind === 'number') index.bucketCount = Number(count.value);
        else this.expected('a bucket count');
        continue;
      }
      if (this.isWord('with') && this.isPunct('(', 1)) {
        this.i++;
        const open = this.i;
        this.skipParens();
        for (let j = open; j < this.i; j++) {
          const t = this.tokens[j];
          if (t?.kind === 'ident' && t.value === 'bucket_count') {
            const value = this.tokens[j + 2];
            if (value?.kind === 'number') index.bucketCount = Number(value.value);
          }
        }
        continue;
      }
      if (this.acceptAnyWord('storing', 'covering', 'include')) {
        index.storing.push(...this.parseNameList('column names'));
        continue;
      }
      if (this.isWord('partition') && (this.isWord('by', 1) || this.isWord('all', 1))) {
        index.partitionBy = this.parsePartitionBy();
        continue;
      }
      if (this.acceptWords('not', 'visible') || this.acceptWords('invisible')) {
        index.notVisible = true;
        continue;
      }
      if (this.acceptWords('visible')) continue;
      if (this.isWords('interleave', 'in', 'parent')) {
        index.interleave = this.parseInterleave();
        continue;
      }
      if (this.acceptWords('visibility')) {
        this.next();
        continue;
      }
      if (standalone && this.acceptWords('where')) {
        const where = this.parseExpr(() => false, 'a condition');
        if (where) index.where = where;
        continue;
      }
      if (this.acceptWords('where')) {
        const where = this.parseExpr(atCommaOrClose, 'a condition');
        if (where) index.where = where;
        continue;
      }
      break;
    }
    index.end = this.lastEnd();
    return index;
  }

  private parsePartitionBy(): ast.PartitionBy {
    const start = this.peek()?.start ?? 0;
    this.i++; // partition
    this.acceptWords('all');
    this.expectWord('by');
    const method = this.acceptAnyWord('list', 'range', 'nothing') as 'list' | 'range' | 'nothing' | undefined;
    const empty = (m: ast.PartitionBy['method']): ast.PartitionBy => ({
      start,
      end: this.lastEnd(),
      method: m,
      columns: [],
      partitions: [],
      definitions: [],
    });
    if (!method) {
      this.expected('LIST, RANGE or NOTHING');
      return empty('nothing');
    }
    if (method === 'nothing') return empty('nothing');
    const columns = this.parseNameList('column names');
    if (columns.length === 0) this.errorAt({ start, end: this.lastEnd() }, 'expected at least one partition column');
    const definitions: ast.PartitionDefinition[] = [];
    if (this.expectPunct('(', "'(' and the partitions")) {
      for (;;) {
        const definition = this.parsePartitionDefinition(method);
        if (definition) definitions.push(definition);
        else this.skipUntil(atCommaOrClose);
        if (this.acceptPunct(',')) continue;
        this.expectPunct(')', "',' or ')'");
        break;
      }
    }
    return { start, end: this.lastEnd(), method, columns, partitions: definitions.map((d) => d.name), definitions };
  }

  /** `PARTITION name VALUES IN (…) | VALUES FROM (…) TO (…)`, then an optional `PARTITION BY`. */
  private parsePartitionDefinition(method: 'list' | 'range'): ast.PartitionDefinition | undefined {
    const start = this.peek()?.start ?? 0;
    if (!this.expectWord('partition')) return undefined;
    const name = this.parseName('a partition name');
    if (!name || !this.expectWord('values')) return undefined;
    const definition: ast.PartitionDefinition = { start, end: start, name };
    if (method === 'list') {
      if (!this.expectWord('in')) return undefined;
      const values = this.parsePartitionValues();
      if (!values) return undefined;
      definition.values = values;
    } else {
      if (!this.expectWord('from')) return undefined;
      const from = this.parsePartitionValues();
      if (!from || !this.expectWord('to')) return undefined;
      const to = this.parsePartitionValues();
      if (!to) return undefined;
      definition.from = from;
      definition.to = to;
    }
    if (this.isWords('partition', 'by')) definition.subpartition = this.parsePartitionBy();
    definition.end = this.lastEnd();
    return definition;
  }

  /** `(v, v, …)`: at least one value, each read by partitionValue. */
  private parsePartitionValues(): ast.PartitionValue[] | undefined {
    if (!this.expectPunct('(', "'(' and the partition values")) return undefined;
    if (this.isPunct(')')) {
      this.expected('a partition value');
      return undefined;
    }
    const values: ast.PartitionValue[] = [];
    for (;;) {
      const first = this.i;
      this.skipUntil(atCommaOrClose);
      if (this.i === first) {
        this.expected('a partition value');
        return undefined;
      }
      values.push(this.partitionValue(first, this.i));
      if (this.acceptPunct(',')) continue;
      if (!this.expectPunct(')', "',' or ')'")) return undefined;
      return values;
    }
  }

  /** The value in tokens [from, to): a tuple when parenthesised with commas, the inner value when only parenthesised. */
  private partitionValue(from: number, to: number): ast.PartitionValue {
    const first = this.tokens[from];
    const last = this.tokens[to - 1];
    const span = { start: first?.start ?? 0, end: last?.end ?? 0 };
    if (first?.kind === 'punct' && first.value === '(' && this.closingParen(from) === to - 1) {
      const parts: [number, number][] = [];
      let depth = 0;
      let partStart = from + 1;
      for (let j = from + 1; j < to - 1; j++) {
        const t = this.tokens[j];
        if (t?.kind !== 'punct') continue;
        if (t.value === '(' || t.value === '[') depth++;
        else if (t.value === ')' || t.value === ']') depth--;
        else if (t.value === ',' && depth === 0) {
          parts.push([partStart, j]);
          partStart = j + 1;
        }
      }
      // A parenthesised subquery stays one expression, parentheses and all.
      const inner = this.tokens[from + 1];
      const subquery = inner?.kind === 'ident' && inner.value === 'select';
      if (parts.length === 0 && partStart < to - 1 && !subquery) {
        const value = this.partitionValue(partStart, to - 1);
        value.start = span.start;
        value.end = span.end;
        return value;
      }
      if (subquery) return { start: span.start, end: span.end, expr: this.describeExpr(from, to, span) };
      if (partStart < to - 1) parts.push([partStart, to - 1]);
      return { start: span.start, end: span.end, tuple: parts.map(([a, b]) => this.partitionValue(a, b)) };
    }
    return { start: span.start, end: span.end, expr: this.describeExpr(from, to, span) };
  }

  /** The index of the ')' that closes the '(' at tokens[open], or -1. */
  private closingParen(open: number): number {
    let depth = 0;
    for (let j = open; j < this.to; j++) {
      const t = this.tokens[j];
      if (t?.kind !== 'punct') continue;
      if (t.value === '(') depth++;
      else if (t.value === ')' && --depth === 0) return j;
    }
    return -1;
  }

  private parseLocality(): ast.Locality | undefined {
    const start = this.peek()?.start ?? 0;
    this.i++; // locality
    if (this.acceptWords('global')) return { start, end: this.lastEnd(), kind: 'global' };
    if (!this.acceptWords('regional')) {
      this.expected('GLOBAL, REGIONAL BY TABLE or REGIONAL BY ROW');
      return undefined;
    }
    if (this.acceptWords('by', 'row')) {
      if (this.acceptWords('as')) {
        const as = this.parseName('a column of type crdb_internal_region');
        return as ? { start, end: this.lastEnd(), kind: 'regional-by-row', as } : { start, end: this.lastEnd(), kind: 'regional-by-row' };
      }
      return { start, end: this.lastEnd(), kind: 'regional-by-row' };
    }
    if (this.isWord('by') && !this.isWord('table', 1)) {
      this.i++;
      this.expected('TABLE or ROW');
      return undefined;
    }
    this.acceptWords('by', 'table');
    if (this.acceptWords('in')) {
      if (this.acceptWords('primary', 'region')) return { start, end: this.lastEnd(), kind: 'regional-by-table', inPrimaryRegion: true };
      const region = this.parseName('a region name');
      return region ? { start, end: this.lastEnd(), kind: 'regional-by-table', region, inPrimaryRegion: false } : undefined;
    }
    return { start, end: this.lastEnd(), kind: 'regional-by-table', inPrimaryRegion: true };
  }

  /** `INTERLEAVE IN PARENT parent (columns) [CASCADE | RESTRICT]` (CockroachDB up to v21.2). */
  private parseInterleave(): ast.Span {
    const start = this.peek()?.start ?? 0;
    this.i += 3; // interleave in parent
    this.parseQualifiedName('a parent table');
    this.parseNameList('interleave prefix columns');
    this.acceptAnyWord('cascade', 'restrict');
    return { start, end: this.lastEnd() };
  }

  private parseTableClauses(table: ast.CreateTable): void {
    while (!this.atEnd()) {
      if (this.isWord('locality')) {
        const locality = this.parseLocality();
        if (locality) table.locality = locality;
      } else if (this.isWord('partition') && (this.isWord('by', 1) || this.isWord('all', 1))) {
        table.partitionBy = this.parsePartitionBy();
      } else if (this.isWords('interleave', 'in', 'parent')) {
        table.interleave = this.parseInterleave();
      } else if (this.isWord('with') && this.isPunct('(', 1)) {
        this.i++;
        this.skipParens();
      } else if (this.acceptWords('as')) {
        table.asSelect = true;
        this.finishOther('select');
      } else if (this.acceptWords('on', 'commit')) {
        this.acceptWords('preserve', 'rows');
        this.acceptWords('delete', 'rows');
        this.acceptWords('drop');
      } else {
        const token = this.next();
        if (token) this.errorAt(token, `unexpected ${describe(token)} after the table definition`);
      }
    }
  }

  private parseCreateIndex(start: number): ast.Statement {
    const unique = this.acceptWords('unique') !== undefined;
    const inverted = this.acceptWords('inverted') !== undefined;
    const vector = this.acceptWords('vector') !== undefined;
    this.expectWord('index', 'INDEX');
    this.acceptWords('concurrently');
    const ifNotExists = this.acceptWords('if', 'not', 'exists') !== undefined;
    const name = this.parseOptionalIndexName();
    let table: ast.QualifiedName | undefined;
    if (this.expectWord('on', 'ON and a table name')) table = this.parseQualifiedName('a table name');
    if (!table) {
      this.finishOther('other');
      return this.spanned(
        {
          start: 0,
          end: 0,
          type: 'create-index',
          table: { start, end: start, parts: [], name: { start, end: start, value: '', quoted: false } },
          ifNotExists,
          index: {
            start,
            end: start,
            kind: unique ? 'unique' : 'index',
            columns: [],
            columnsEnd: start,
            storing: [],
            inverted,
            vector,
            notVisible: false,
          },
        },
        start,
      );
    }
    const index = this.parseIndexTail(start, unique ? 'unique' : 'index', name, true);
    index.inverted ||= inverted;
    index.vector ||= vector;
    while (!this.atEnd()) {
      const token = this.next();
      if (token) this.errorAt(token, `unexpected ${describe(token)} after the index definition`);
    }
    return this.spanned(
      {
        start: 0,
        end: 0,
        type: 'create-index',
        table,
        index,
        ifNotExists,
        ...(index.interleave ? { interleave: index.interleave } : {}),
      },
      start,
    );
  }

  private parseSurvival(): ast.SurvivalGoal | undefined {
    const start = this.peek()?.start ?? 0;
    this.i++; // survive
    this.acceptOp('=');
    this.acceptWords('availability');
    const goal = this.acceptAnyWord('zone', 'region');
    if (!goal) {
      this.expected('ZONE FAILURE or REGION FAILURE');
      return undefined;
    }
    this.expectWord('failure', 'FAILURE');
    return { start, end: this.lastEnd(), goal: goal === 'region' ? 'region' : 'zone' };
  }

  private parseCreateDatabase(start: number): ast.Statement {
    this.i++; // database
    const ifNotExists = this.acceptWords('if', 'not', 'exists') !== undefined;
    const name = this.parseName('a database name');
    const database: ast.CreateDatabase = {
      start,
      end: start,
      type: 'create-database',
      name: name ?? { start, end: start, value: '', quoted: false },
      ifNotExists,
      regions: [],
    };
    this.acceptWords('with');
    while (!this.atEnd()) {
      if (this.acceptWords('primary', 'region')) {
        this.acceptOp('=');
        const region = this.parseName('a region name');
        if (region) database.primaryRegion = region;
      } else if (this.acceptWords('regions')) {
        this.acceptOp('=');
        do {
          const region = this.parseName('a region name');
          if (region) database.regions.push(region);
          else break;
        } while (this.acceptPunct(','));
      } else if (this.isWord('survive')) {
        const survival = this.parseSurvival();
        if (survival) database.survival = survival;
      } else if (this.acceptWords('secondary', 'region')) {
        this.acceptOp('=');
        const region = this.parseName('a region name');
        if (region) database.secondaryRegion = region;
      } else if (this.isWord('placement') && (this.isWord('restricted', 1) || this.isWord('default', 1))) {
        database.placement = this.isWord('restricted', 1) ? 'restricted' : 'default';
        this.i += 2;
      } else {
        // ENCODING, OWNER, CONNECTION LIMIT, TEMPLATE…: one option word and its value.
        this.i++;
        this.acceptOp('=');
      }
    }
    return this.spanned(database, start);
  }

  private parseCreateSequence(start: number): ast.Statement {
    this.i++; // sequence
    this.acceptWords('if', 'not', 'exists');
    const name = this.parseQualifiedName('a sequence name');
    this.finishOther('other');
    return name ? this.spanned({ start: 0, end: 0, type: 'create-sequence', name }, start) : this.other('other');
  }

  private parseRole(start: number, alter: boolean): ast.Statement {
    this.i++; // user | role
    const ifNotExists = this.acceptWords('if', 'not', 'exists');
    this.acceptWords('if', 'exists');
    const name = this.parseRoleName('a user name');
    let password: ast.Span | undefined;
    while (!this.atEnd()) {
      if (this.acceptWords('password')) {
        const value = this.peek();
        if (value?.kind === 'string') password = value;
      } else this.i++;
    }
    if (!name) return this.other('other');
    return this.spanned(
      {
        start: 0,
        end: 0,
        type: 'create-role',
        name,
        ...(password ? { password } : {}),
        ...(ifNotExists ? { ifNotExists } : {}),
        alter,
      },
      start,
    );
  }

  private parseAlter(): ast.Statement {
    const start = this.peek()?.start ?? 0;
    this.i++; // alter
    if (this.acceptWords('table')) return this.parseAlterTable(start);
    if (this.acceptWords('database')) return this.parseAlterDatabase(start);
    if (this.isWord('user') || this.isWord('role')) return this.parseRole(start, true);
    if (this.isWord('index') || this.isWord('partition') || (this.isWord('range') && this.peek(1)?.kind === 'ident')) {
      const targetStart = this.peek()?.start ?? start;
      const kind = this.next()?.value as 'index' | 'partition' | 'range';
      if (kind === 'index') this.acceptWords('if', 'exists');
      const target: ast.ZoneTarget = { start: targetStart, end: targetStart, kind };
      if (kind === 'partition') {
        const partition = this.parseName('a partition name');
        if (this.expectWord('of')) {
          const ofKind = this.acceptAnyWord('table', 'index');
          const name = this.parseQualifiedName('a table or index name');
          const at = this.acceptOp('@');
          const allIndexes = at && this.acceptOp('*');
          const index = at && !allIndexes ? this.parseName('an index name') : undefined;
          if (partition) target.partition = partition;
          if (name) target.name = name;
          if (index) target.index = index;
          if (allIndexes) target.allIndexes = allIndexes;
          if (ofKind === 'index') target.ofIndex = true;
        }
      } else {
        const name = this.parseQualifiedName(kind === 'range' ? 'a range name' : 'an index name');
        const index = this.acceptOp('@') ? this.parseName('an index name') : undefined;
        if (name) {
          target.name = name;
          if (index) target.index = index;
        }
      }
      target.end = this.lastEnd();
      if (this.isWords('configure', 'zone')) {
        const zone = this.parseConfigureZone();
        zone.target = target;
        return this.spanned({ start: 0, end: 0, type: 'configure-zone', zone }, start);
      }
      if (kind === 'index' && this.isWord('partition') && (this.isWord('by', 1) || this.isWord('all', 1))) {
        const partitionBy = this.parsePartitionBy();
        const other = this.finishOther('other');
        other.alterIndexPartitionBy = { target, partitionBy };
        return other;
      }
      if (kind === 'index' && target.name && this.acceptWords('rename', 'to')) {
        const to = this.parseName('a new index name');
        const other = this.finishOther('other');
        if (to) other.alterIndexRename = { target, to };
        return other;
      }
    }
    return this.finishOther('other');
  }

  private parseConfigureZone(): ast.ConfigureZone {
    const start = this.peek()?.start ?? 0;
    this.i += 2; // configure zone
    const zone: ast.ConfigureZone = { start, end: start, settings: [], discard: false };
    if (this.acceptWords('discard')) {
      zone.discard = true;
      zone.end = this.lastEnd();
      return zone;
    }
    if (this.acceptOp('=')) {
      // The pre-v2.1 form: a YAML document as a string.
      this.parseExpr(() => false, 'a zone configuration');
      zone.end = this.lastEnd();
      return zone;
    }
    if (this.isWords('using', 'default') && this.peek(2) === undefined) {
      this.i += 2;
      zone.useDefault = true;
      zone.end = this.lastEnd();
      return zone;
    }
    if (!this.expectWord('using', 'USING or DISCARD')) {
      this.skipUntil(() => false);
      zone.end = this.lastEnd();
      return zone;
    }
    do {
      const nameStart = this.peek();
      if (!nameStart || (nameStart.kind !== 'ident' && nameStart.kind !== 'qident')) {
        this.expected('a zone configuration variable such as num_replicas');
        break;
      }
      let name = nameStart.value;
      this.i++;
      while (this.isPunct('.') && this.peek(1)?.kind === 'ident') {
        name += `.${this.peek(1)?.value ?? ''}`;
        this.i += 2;
      }
      if (this.acceptWords('copy', 'from', 'parent')) continue;
      if (!this.acceptOp('=')) {
        this.expected(`'=' and a value for ${name}`);
        break;
      }
      if (this.acceptWords('copy', 'from', 'parent')) {
        (zone.copyFromParent ??= []).push(name);
        continue;
      }
      const value = this.parseExpr((t) => t.kind === 'punct' && t.value === ',', `a value for ${name}`);
      if (!value) break;
      const setting: ast.ZoneSetting = { start: nameStart.start, end: value.end, name, value };
      if (/^\d+$/.test(value.text)) setting.integer = Number(value.text);
      zone.settings.push(setting);
    } while (this.acceptPunct(','));
    zone.end = this.lastEnd();
    return zone;
  }

  private parseAlterTable(start: number): ast.Statement {
    const ifExists = this.acceptWords('if', 'exists') !== undefined;
    const name = this.parseQualifiedName('a table name');
    if (!name) return this.finishOther('other');
    const alter: ast.AlterTable = { start, end: start, type: 'alter-table', name, ifExists, commands: [] };
    if (this.atEnd()) this.expected('an ALTER TABLE command (ADD, DROP, SET LOCALITY, CONFIGURE ZONE, …)');
    while (!this.atEnd()) {
      const commandStart = this.peek()?.start ?? 0;
      const command = this.parseAlterTableCommand(commandStart);
      alter.commands.push(command);
      if (command.kind === 'configure-zone') break;
      if (this.acceptPunct(',')) continue;
      if (!this.atEnd()) {
        this.expected("',' or the end of the statement");
        this.skipUntil((t) => t.kind === 'punct' && t.value === ',');
        // A ')' or ']' with nothing open stops the skip: step over it so the loop moves on.
        if (!this.acceptPunct(',')) this.next();
      }
    }
    return this.spanned(alter, start);
  }

  private parseAlterTableCommand(start: number): ast.AlterTableCommand {
    const toComma = (t: Token): boolean => t.kind === 'punct' && t.value === ',';
    if (this.acceptWords('add')) {
      if (
        this.isWord('constraint') ||
        this.isWords('primary', 'key') ||
        this.isWord('unique') ||
        this.isWords('foreign', 'key') ||
        this.isWord('check')
      ) {
        let constraintName: ast.Name | undefined;
        let ifNotExists = false;
        if (this.acceptWords('constraint')) {
          ifNotExists = this.acceptWords('if', 'not', 'exists') !== undefined;
          constraintName = this.parseName('a constraint name');
        }
        if (this.acceptWords('primary', 'key')) {
          const index = this.parseIndexTail(start, 'primary', constraintName, false);
          return { start, end: this.lastEnd(), kind: 'add-constraint', index, ifNotExists };
        }
        if (this.acceptWords('unique')) {
          const withoutIndex = this.acceptWords('without', 'index') !== undefined;
          const index = this.parseIndexTail(start, 'unique', constraintName, false);
          this.skipUntil(toComma);
          return withoutIndex
            ? { start, end: this.lastEnd(), kind: 'add-constraint', ifNotExists }
            : { start, end: this.lastEnd(), kind: 'add-constraint', index, ifNotExists };
        }
        if (this.isWords('foreign', 'key')) {
          const foreignKey = this.parseForeignKey(this.peek()?.start ?? start, constraintName);
          if (constraintName) foreignKey.start = start;
          this.skipUntil(toComma);
          return { start, end: this.lastEnd(), kind: 'add-constraint', foreignKey, ifNotExists };
        }
        this.skipUntil(toComma);
        return { start, end: this.lastEnd(), kind: 'add-constraint', ifNotExists };
      }
      if (this.isWord('partition') && this.isWord('by', 1)) {
        // ADD PARTITION is not a thing; fall through to other.
      }
      this.acceptWords('column');
      const ifNotExists = this.acceptWords('if', 'not', 'exists') !== undefined;
      const parsed = this.parseColumn(this.peek()?.start ?? start);
      if (parsed) {
        return { start, end: this.lastEnd(), kind: 'add-column', column: parsed.column, ifNotExists };
      }
      return { start, end: this.lastEnd(), kind: 'other', keyword: 'add' };
    }
    if (this.isWords('alter', 'primary', 'key')) {
      this.i += 3;
      this.expectWord('using', 'USING COLUMNS');
      this.expectWord('columns', 'COLUMNS');
      const index = this.parseIndexTail(start, 'primary', undefined, false);
      return { start, end: this.lastEnd(), kind: 'alter-primary-key', index };
    }
    if (this.acceptWords('drop')) {
      if (this.acceptWords('constraint')) {
        const ifExists = this.acceptWords('if', 'exists') !== undefined;
        const name = this.parseName('a constraint name');
        this.acceptAnyWord('cascade', 'restrict');
        if (name) this.nothingMoreBefore(toComma, "the dropped constraint's name");
        this.skipUntil(toComma);
        if (name) return { start, end: this.lastEnd(), kind: 'drop-constraint', name, ifExists };
      } else {
        this.acceptWords('column');
        const ifExists = this.acceptWords('if', 'exists') !== undefined;
        const column = this.parseName('a column name');
        this.acceptAnyWord('cascade', 'restrict');
        // DROP COLUMN takes a name and CASCADE or RESTRICT, nothing more (not the column's type).
        if (column) this.nothingMoreBefore(toComma, "the dropped column's name");
        this.skipUntil(toComma);
        if (column) return { start, end: this.lastEnd(), kind: 'drop-column', column, ifExists };
      }
      this.skipUntil(toComma);
      return { start, end: this.lastEnd(), kind: 'other', keyword: 'drop' };
    }
    if (this.acceptWords('alter')) return this.parseAlterColumn(start);
    if (this.isWords('set', 'locality')) {
      this.i++;
      const locality = this.parseLocality();
      if (locality) return { start, end: this.lastEnd(), kind: 'set-locality', locality };
      return { start, end: this.lastEnd(), kind: 'other', keyword: 'set' };
    }
    if (this.isWord('partition') && (this.isWord('by', 1) || this.isWord('all', 1))) {
      return { start, end: this.lastEnd(), kind: 'partition-by', partitionBy: this.parsePartitionBy() };
    }
    if (this.isWords('configure', 'zone')) {
      const zone = this.parseConfigureZone();
      return { start, end: this.lastEnd(), kind: 'configure-zone', zone };
    }
    if (this.isWords('rename', 'to')) {
      this.i += 2;
      const to = this.parseQualifiedName('a new table name');
      if (to) return { start, end: this.lastEnd(), kind: 'rename-table', to };
    } else if (this.acceptWords('rename')) {
      // RENAME [COLUMN] a TO b | RENAME CONSTRAINT a TO b
      const constraint = this.acceptWords('constraint') !== undefined;
      if (!constraint) this.acceptWords('column');
      const name = this.parseName(constraint ? 'a constraint name' : 'a column name');
      const to = name && this.expectWord('to') ? this.parseName(constraint ? 'a new constraint name' : 'a new column name') : undefined;
      this.skipUntil(toComma);
      if (name && to)
        return {
          start,
          end: this.lastEnd(),
          kind: constraint ? 'rename-constraint' : 'rename-column',
          ...(constraint ? { name } : { column: name }),
          to,
        } as ast.AlterTableCommand;
      return { start, end: this.lastEnd(), kind: 'other', keyword: 'rename' };
    }
    if (this.isWords('owner', 'to')) {
      this.i += 2;
      const owner = this.parseRoleName();
      if (owner) return { start, end: this.lastEnd(), kind: 'owner', owner };
    }
    const keyword = this.peek()?.value ?? '';
    // Commands that take the rest of the statement (their values may hold commas): SPLIT AT
    // VALUES (1), (2); UNSPLIT; SCATTER; INJECT STATISTICS; RELOCATE.
    const wholeStatement = ['split', 'unsplit', 'scatter', 'inject', 'relocate', 'experimental_relocate'].includes(keyword);
    this.skipUntil(wholeStatement ? () => false : toComma);
    return { start, end: this.lastEnd(), kind: 'other', keyword };
  }

  /** ALTER [COLUMN] c …, after ALTER. */
  private parseAlterColumn(start: number): ast.AlterTableCommand {
    const toComma = (t: Token): boolean => t.kind === 'punct' && t.value === ',';
    this.acceptWords('column');
    const column = this.parseName('a column name');
    if (!column) {
      this.skipUntil(toComma);
      return { start, end: this.lastEnd(), kind: 'other', keyword: 'alter' };
    }
    const done = (
      action: 'set-type' | 'set-not-null' | 'drop-not-null' | 'set-default' | 'drop-default' | 'set-visible' | 'other',
      extra: { type?: ast.TypeRef; default?: ast.Expr; using?: ast.Expr; visible?: boolean } = {},
    ): ast.AlterTableCommand => {
      this.skipUntil(toComma);
      return { start, end: this.lastEnd(), kind: 'alter-column', column, action, ...extra };
    };
    if (this.acceptWords('set', 'data', 'type') || this.acceptWords('type')) {
      const type = this.parseType();
      if (this.acceptWords('collate')) this.parseName('a collation');
      const using = this.acceptWords('using') ? this.parseExpr(toComma, 'an expression') : undefined;
      return done('set-type', { ...(type ? { type } : {}), ...(using ? { using } : {}) });
    }
    if (this.acceptWords('set', 'not', 'null')) return done('set-not-null');
    if (this.acceptWords('drop', 'not', 'null')) return done('drop-not-null');
    if (this.acceptWords('set', 'default')) {
      const value = this.parseExpr(toComma, 'a default value');
      return done('set-default', value ? { default: value } : {});
    }
    if (this.acceptWords('drop', 'default')) return done('drop-default');
    if (this.acceptWords('set', 'visible')) return done('set-visible', { visible: true });
    if (this.acceptWords('set', 'not', 'visible')) return done('set-visible', { visible: false });
    if (this.atEnd() || this.isPunct(',')) this.expected('what to alter (SET DATA TYPE, SET DEFAULT, DROP NOT NULL, …)');
    // DROP STORED, SET / DROP ON UPDATE, identity and sequence options…
    return done('other');
  }

  private parseAlterDatabase(start: number): ast.Statement {
    const name = this.parseName('a database name');
    if (!name) return this.finishOther('other');
    const database: ast.AlterDatabase = { start, end: start, type: 'alter-database', name };
    const at = this.peek()?.start ?? this.lastEnd();
    if (this.acceptWords('primary', 'region') || this.acceptWords('set', 'primary', 'region')) {
      this.acceptOp('=');
      const region = this.parseName('a region name');
      if (region) database.action = { start: at, end: this.lastEnd(), kind: 'primary-region', region };
    } else if (this.acceptWords('add', 'region')) {
      const ifNotExists = this.acceptWords('if', 'not', 'exists') !== undefined;
      const region = this.parseName('a region name');
      if (region) database.action = { start: at, end: this.lastEnd(), kind: 'add-region', region, ifNotExists };
    } else if (this.acceptWords('drop', 'region')) {
      const ifExists = this.acceptWords('if', 'exists') !== undefined;
      const region = this.parseName('a region name');
      if (region) database.action = { start: at, end: this.lastEnd(), kind: 'drop-region', region, ifExists };
    } else if (this.isWord('survive')) {
      const survival = this.parseSurvival();
      if (survival) database.action = { start: at, end: this.lastEnd(), kind: 'survive', survival };
    } else if (this.acceptWords('set', 'secondary', 'region')) {
      this.acceptOp('=');
      const region = this.parseName('a region name');
      database.action = { start: at, end: this.lastEnd(), kind: 'secondary-region', ifExists: false, ...(region ? { region } : {}) };
    } else if (this.acceptWords('drop', 'secondary', 'region')) {
      const ifExists = this.acceptWords('if', 'exists') !== undefined;
      database.action = { start: at, end: this.lastEnd(), kind: 'secondary-region', ifExists };
    } else if (this.isWord('placement') && (this.isWord('restricted', 1) || this.isWord('default', 1))) {
      const policy = this.isWord('restricted', 1) ? 'restricted' : 'default';
      this.i += 2;
      database.action = { start: at, end: this.lastEnd(), kind: 'placement', policy };
    } else if (this.isWords('configure', 'zone')) {
      const zone = this.parseConfigureZone();
      zone.target = { start: name.start, end: name.end, kind: 'database', name: { start: name.start, end: name.end, parts: [name], name } };
      database.action = { start: at, end: this.lastEnd(), kind: 'configure-zone', zone };
    } else if (this.acceptWords('rename', 'to')) {
      const to = this.parseName('a new database name');
      if (to) database.action = { start: at, end: this.lastEnd(), kind: 'rename', to };
    } else if (this.acceptWords('owner', 'to')) {
      const owner = this.parseName('a role name');
      if (owner) database.action = { start: at, end: this.lastEnd(), kind: 'owner', owner };
    } else if (this.atEnd()) {
      this.expected('an ALTER DATABASE action (ADD REGION, PRIMARY REGION, SURVIVE …, CONFIGURE ZONE, …)');
    } else {
      database.action = { start: at, end: at, kind: 'other', keyword: this.peek()?.value ?? '' };
    }
    this.finishOther('other');
    return this.spanned(database, start);
  }

  private parseTransactionModes(modes: ast.TransactionModes): void {
    while (!this.atEnd()) {
      const at = this.peek()?.start ?? 0;
      if (this.acceptWords('isolation', 'level')) {
        let level: ast.IsolationLevel | undefined;
        if (this.acceptWords('serializable')) level = 'serializable';
        else if (this.acceptWords('repeatable', 'read')) level = 'repeatable read';
        else if (this.acceptWords('read', 'committed')) level = 'read committed';
        else if (this.acceptWords('read', 'uncommitted')) level = 'read uncommitted';
        else if (this.acceptWords('snapshot')) level = 'snapshot';
        if (level) modes.isolation = { start: at, end: this.lastEnd(), level };
        else {
          this.expected('SERIALIZABLE, READ COMMITTED, REPEATABLE READ or READ UNCOMMITTED');
          this.i = this.to;
        }
      } else if (this.acceptWords('read', 'only')) modes.readOnly = true;
      else if (this.acceptWords('read', 'write')) modes.readOnly = false;
      else if (this.acceptWords('priority')) {
        const level = this.acceptAnyWord('low', 'normal', 'high');
        if (level) modes.priority = level;
      } else if (this.acceptWords('as', 'of', 'system', 'time')) {
        this.parseExpr((t) => t.kind === 'punct' && t.value === ',', 'a timestamp');
        modes.asOfSystemTime = { start: at, end: this.lastEnd() };
      } else if (this.acceptWords('not', 'deferrable') || this.acceptWords('deferrable') || this.acceptPunct(',')) {
        // no effect on CockroachDB
      } else {
        const token = this.next();
        if (token)
          this.errorAt(
            token,
            `expected a transaction mode (ISOLATION LEVEL, READ ONLY, PRIORITY, AS OF SYSTEM TIME), found ${describe(token)}`,
          );
      }
    }
  }

  private parseBegin(): ast.Statement {
    const start = this.peek()?.start ?? 0;
    if (this.acceptWords('start')) this.expectWord('transaction');
    else {
      this.i++; // begin
      this.acceptAnyWord('transaction', 'work');
    }
    const begin: ast.Begin = { start, end: start, type: 'begin' };
    this.parseTransactionModes(begin);
    return this.spanned(begin, start);
  }

  private parseSet(): ast.Statement {
    const start = this.peek()?.start ?? 0;
    this.i++; // set
    if (this.acceptWords('transaction')) {
      const set: ast.SetTransaction = { start, end: start, type: 'set-transaction', sessionDefault: false };
      this.parseTransactionModes(set);
      return this.spanned(set, start);
    }
    if (this.acceptWords('session', 'characteristics', 'as', 'transaction')) {
      const set: ast.SetTransaction = { start, end: start, type: 'set-transaction', sessionDefault: true };
      this.parseTransactionModes(set);
      return this.spanned(set, start);
    }
    const cluster = this.acceptWords('cluster', 'setting') !== undefined;
    const local = !cluster && this.acceptAnyWord('session', 'local') === 'local';
    const nameToken = this.peek();
    if (!nameToken || (nameToken.kind !== 'ident' && nameToken.kind !== 'qident')) {
      this.expected(cluster ? 'a cluster setting name' : 'a session variable name');
      this.finishOther('other');
      return this.spanned({ start: 0, end: 0, type: 'set', name: '', cluster }, start);
    }
    let name = nameToken.value;
    this.i++;
    while (this.isPunct('.') && this.peek(1)?.kind === 'ident') {
      name += `.${this.peek(1)?.value ?? ''}`;
      this.i += 2;
    }
    // `SET ROLE x`, `SET TIME ZONE 'UTC'`, `SET tracing` need no '=' or TO.
    const assigned = this.acceptOp('=') || this.acceptWords('to') !== undefined;
    if (!assigned && this.atEnd()) return this.spanned({ start: 0, end: 0, type: 'set', name, cluster }, start);
    const value = this.parseExpr(() => false, `a value for ${name}`);
    const set: ast.SetVariable = this.spanned({ start: 0, end: 0, type: 'set', name, cluster }, start);
    if (value) set.value = value;
    if (local) set.local = true;
    if (!cluster && (name === 'default_transaction_isolation' || name === 'transaction_isolation') && value) {
      // `SET default_transaction_isolation = 'read committed'` is an isolation choice too.
      const level = value.text.replace(/^'|'$/g, '').toLowerCase() as ast.IsolationLevel;
      if (['serializable', 'repeatable read', 'read committed', 'read uncommitted', 'snapshot'].includes(level)) {
        return this.spanned(
          {
            start: 0,
            end: 0,
            type: 'set-transaction',
            sessionDefault: name === 'default_transaction_isolation',
            variable: name,
            isolation: { start: value.start, end: value.end, level },
          },
          start,
        );
      }
    }
    if (!cluster && name === 'database' && value) {
      const database = value.text.replace(/^['"]|['"]$/g, '');
      return this.spanned(
        { start: 0, end: 0, type: 'use', database: { start: value.start, end: value.end, value: database, quoted: false } },
        start,
      );
    }
    return set;
  }

  // ---- statements read for their targets (SHOW, DROP, writes, GRANT, EXPLAIN) -----------------
  // These never report syntax errors of their own: CockroachDB has many more forms than the
  // simulator answers, and the linter must not flag them. What is not understood stays unread.

  /** A name, or undefined (no error) when none follows. */
  private readName(): ast.Name | undefined {
    const token = this.peek();
    if (token?.kind !== 'ident' && token?.kind !== 'qident') return undefined;
    this.i++;
    return { start: token.start, end: token.end, value: token.value, quoted: token.kind === 'qident' };
  }

  /** A role name: CockroachDB also accepts one written as a string ('foo'). */
  private readRoleName(): ast.Name | undefined {
    const token = this.peek();
    if (token?.kind === 'string') {
      this.i++;
      return { start: token.start, end: token.end, value: token.value, quoted: true };
    }
    return this.readName();
  }

  private parseRoleName(what = 'a role name'): ast.Name | undefined {
    const name = this.readRoleName();
    if (!name) this.expected(what);
    return name;
  }

  private readQualifiedName(): ast.QualifiedName | undefined {
    const token = this.peek();
    return token?.kind === 'ident' || token?.kind === 'qident' ? this.parseQualifiedName('a name') : undefined;
  }

  /** `name` or `table@index`. */
  private readObject(): { name?: ast.QualifiedName; index?: ast.Name } {
    const name = this.readQualifiedName();
    const index = this.acceptOp('@') ? this.readName() : undefined;
    return { ...(name ? { name } : {}), ...(index ? { index } : {}) };
  }

  private parseShow(): ast.Statement {
    const start = this.peek()?.start ?? 0;
    this.i++; // show
    const show: ast.Show = { start, end: start, subject: '', all: false, options: [] };
    if (this.acceptWords('all')) show.all = true;
    if (this.isWords('public', 'cluster', 'settings')) this.i++;
    const phrase = SHOW_PHRASES.find(([words]) => this.wordsAt(words));
    if (phrase) {
      this.i += phrase[0].length;
      show.subject = phrase[1];
    } else if (this.peek()?.kind === 'ident') {
      let name = this.next()?.value ?? '';
      while (this.isPunct('.') && this.peek(1)?.kind === 'ident') {
        name += `.${this.peek(1)?.value ?? ''}`;
        this.i += 2;
      }
      show.subject = name;
      if (this.atEnd()) show.variable = name;
    }
    if (show.subject === 'cluster setting') {
      const name = this.readName();
      let variable = name?.value ?? '';
      while (name && this.isPunct('.') && (this.peek(1)?.kind === 'ident' || this.peek(1)?.kind === 'qident')) {
        variable += `.${this.peek(1)?.value ?? ''}`;
        this.i += 2;
      }
      if (name) show.variable = variable.toLowerCase();
    } else if (show.subject === 'create' && this.isWord('all') && this.peek(1)?.kind === 'ident') {
      // SHOW CREATE ALL TABLES | TYPES | SCHEMAS | ROUTINES | TRIGGERS: the current database's.
      this.i++;
      show.objectKind = `all ${this.next()?.value ?? ''}`;
    } else if (show.subject === 'create') {
      const kind = this.peek();
      const named = this.peek(1)?.kind === 'ident' || this.peek(1)?.kind === 'qident';
      show.objectKind = kind?.kind === 'ident' && named && SHOW_CREATE_KINDS.has(kind.value) ? (this.next()?.value ?? 'table') : 'table';
      const at = this.peek()?.start ?? this.lastEnd();
      const object = this.readObject();
      if (object.name) show.target = { start: at, end: this.lastEnd(), kind: 'object', ...object };
    }
    if (show.subject === 'grants') {
      if (this.acceptWords('on', 'role')) show.grantsOnRoles = this.readNameList(true);
      const on = show.grantsOnRoles === undefined && this.acceptWords('on') ? this.readPrivilegeTarget() : undefined;
      if (on) show.grantsOn = on;
      if (this.acceptWords('for')) show.grantsFor = this.readNameList(true);
    }
    if (this.isWord('from') || this.isWord('for')) {
      this.i++;
      const target = this.readShowTarget();
      if (target) show.target = target;
    }
    if (this.acceptWords('with')) {
      do {
        const option = this.readName();
        if (!option) break;
        show.options.push(option.value);
      } while (this.acceptPunct(','));
    }
    show.end = this.lastEnd();
    const other = this.finishOther('show');
    if (show.end < other.end) show.trailing = { start: show.end, end: other.end };
    other.show = show;
    return other;
  }

  private readShowTarget(): ast.ShowTarget | undefined {
    const start = this.peek()?.start ?? this.lastEnd();
    const at = (kind: ast.ShowTarget['kind'], object: { name?: ast.QualifiedName; index?: ast.Name } = {}): ast.ShowTarget => ({
      start,
      end: this.lastEnd(),
      kind,
      ...object,
    });
    if (this.acceptWords('all', 'databases')) return at('all-databases');
    if (this.acceptWords('cluster')) return at('cluster');
    if (this.acceptWords('database')) {
      const name = this.readName();
      return at('database', name ? { name: { start: name.start, end: name.end, parts: [name], name } } : {});
    }
    if (this.acceptWords('range')) {
      const name = this.readName();
      return at('range', name ? { name: { start: name.start, end: name.end, parts: [name], name } } : {});
    }
    if (this.acceptWords('partition')) {
      const partition = this.readName();
      if (!partition || !this.acceptWords('of') || !this.acceptAnyWord('table', 'index')) return undefined;
      return { ...at('partition', this.readObject()), partition };
    }
    const kind = this.acceptAnyWord('table', 'index');
    const object = this.readObject();
    if (!kind && !object.name) return undefined;
    return at(kind === 'table' ? 'table' : kind === 'index' ? 'index' : 'object', object);
  }

  private parseDrop(): ast.Statement {
    const start = this.peek()?.start ?? 0;
    this.i++; // drop
    let object = '';
    if (this.acceptWords('materialized', 'view')) object = 'materialized view';
    else if (this.peek()?.kind === 'ident') object = this.next()?.value ?? '';
    if (!DROP_OBJECTS.has(object.split(' ')[0] ?? '')) {
      if (object) this.i--;
      this.expected('what to drop (TABLE, INDEX, VIEW, SEQUENCE, DATABASE, …) after DROP');
      return this.finishOther('drop');
    }
    if (object === 'index') this.acceptWords('concurrently');
    const drop: ast.Drop = { start, end: start, object, ifExists: this.acceptWords('if', 'exists') !== undefined, names: [] };
    do {
      const at = this.peek()?.start ?? this.lastEnd();
      const { name, index } = this.readObject();
      if (!name) break;
      drop.names.push({ start: at, end: this.lastEnd(), name, ...(index ? { index } : {}) });
    } while (this.acceptPunct(','));
    const behavior = this.acceptAnyWord('cascade', 'restrict');
    if (behavior === 'cascade' || behavior === 'restrict') drop.behavior = behavior;
    drop.end = this.lastEnd();
    const other = this.finishOther('drop');
    other.drop = drop;
    return other;
  }

  /** INSERT / UPSERT INTO t, UPDATE t, DELETE FROM t: the table written. */
  private parseWrite(verb: string): ast.Statement {
    const kind = CLASSIFIED.get(verb) ?? 'other';
    this.i++;
    if (verb === 'insert' || verb === 'upsert') this.acceptWords('into');
    else if (verb === 'delete') this.acceptWords('from');
    else this.acceptWords('only');
    const target = this.readQualifiedName();
    const other = this.finishOther(kind);
    if (target) other.target = target;
    return other;
  }

  private parseGrant(revoke: boolean): ast.Statement {
    const start = this.peek()?.start ?? 0;
    this.i++; // grant | revoke
    const option = revoke && (this.acceptWords('grant', 'option', 'for') ?? this.acceptWords('admin', 'option', 'for')) !== undefined;
    const privilegesStart = this.peek()?.start ?? this.lastEnd();
    const names = this.readNameList(true);
    // ALL PRIVILEGES is ALL.
    if (names.length === 1 && names[0]?.value === 'all') this.acceptWords('privileges');
    const privileges = { start: privilegesStart, end: this.lastEnd() };
    const on = this.acceptWords('on') ? this.readPrivilegeTarget() : undefined;
    if (names.length === 0 || !this.acceptWords(revoke ? 'from' : 'to')) return this.finishOther('grant');
    const granteesStart = this.peek()?.start ?? this.lastEnd();
    const grantees = this.readNameList(true);
    const withOption =
      !revoke && (this.acceptWords('with', 'grant', 'option') ?? this.acceptWords('with', 'admin', 'option')) !== undefined;
    const other = this.finishOther('grant');
    const grant: ast.Grant = { start, end: other.end, revoke, names, grantees, option: option || withOption, ...(on ? { on } : {}) };
    other.grant = grant;
    if (on?.kind !== 'database' || on.names.length === 0) return other;
    const databases = on.names.map((n) => n.name);
    const granteesSpan = { start: granteesStart, end: Math.max(granteesStart, other.end) };
    other.grantOnDatabase = { start, end: other.end, revoke, databases, privileges, grantees: granteesSpan };
    return other;
  }

  /** `name, name, …` (none when no name follows). */
  private readNameList(rolesAsStrings = false): ast.Name[] {
    const names: ast.Name[] = [];
    do {
      const name = rolesAsStrings ? this.readRoleName() : this.readName();
      if (!name) break;
      names.push(name);
    } while (this.acceptPunct(','));
    return names;
  }

  /** After ON in GRANT / REVOKE / SHOW GRANTS: DATABASE | SCHEMA | TYPE | ALL TABLES IN SCHEMA | [TABLE] names. */
  private readPrivilegeTarget(): ast.PrivilegeTarget | undefined {
    const start = this.peek()?.start ?? this.lastEnd();
    // ON ROLE / FUNCTION / SEQUENCE …: forms read no further (left unread).
    if (this.isWord('role') || this.isWord('function') || this.isWord('procedure') || this.isWord('sequence')) return undefined;
    let kind: ast.PrivilegeTarget['kind'] = 'table';
    if (this.acceptWords('all', 'tables', 'in', 'schema')) kind = 'all-tables-in-schema';
    else {
      const word = this.acceptAnyWord('database', 'schema', 'type', 'table');
      if (word === 'database' || word === 'schema' || word === 'type') kind = word;
    }
    const names: ast.QualifiedName[] = [];
    do {
      const name = this.readQualifiedName();
      if (!name) break;
      names.push(name);
    } while (this.acceptPunct(','));
    return names.length > 0 ? { start, end: this.lastEnd(), kind, names } : undefined;
  }

  private parseExplain(): ast.Statement {
    this.i++; // explain
    let analyze = this.isWord('analyze') || this.isWord('analyse');
    if (this.isPunct('(')) {
      for (let j = this.i + 1; j < this.to; j++) {
        const token = this.tokens[j];
        if (token?.kind === 'punct' && token.value === ')') break;
        if (token?.kind === 'ident' && (token.value === 'analyze' || token.value === 'analyse')) analyze = true;
      }
    }
    const other = this.finishOther('explain');
    other.explainAnalyze = analyze;
    return other;
  }

  private parseUse(): ast.Statement {
    const start = this.peek()?.start ?? 0;
    this.i++;
    const database = this.parseName('a database name');
    this.finishOther('other');
    return database ? this.spanned({ start: 0, end: 0, type: 'use', database }, start) : this.other('other');
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'ident':
      return `'${token.value}'`;
    case 'qident':
      return `"${token.value}"`;
    case 'string':
      return 'a string';
    case 'number':
      return `number ${token.value}`;
    case 'punct':
    case 'op':
      return `'${token.value}'`;
    default:
      return `'${token.value}'`;
  }
}
