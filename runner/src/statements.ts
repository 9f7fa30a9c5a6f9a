// Statements as the runner sees them: where each one is in the editor's text, which one the
// cursor is in, whether it returns rows, and whether running it can destroy data. Everything
// reads tokens from the project's lexer, so a keyword inside a string or comment never counts.
import { lex, type Token } from '../../sql/src/lexer';
import { parseDocument } from '../../sql/src/parser';
import { scanStatementRanges } from '../../sql/src/statementRanges';

export interface SourceStatement {
  text: string;
  /** Offsets in the whole text: `start` at the first token, `end` just past the last (or the `;`). */
  start: number;
  end: number;
}

/** The statements in `text` (or in its [from, to) part), without comment-only pieces. */
export function statementsIn(text: string, from = 0, to = text.length): SourceStatement[] {
  const lower = Math.max(0, Math.min(from, text.length));
  const upper = Math.max(lower, Math.min(to, text.length));
  const part = text.slice(lower, upper);
  const statements: SourceStatement[] = [];
  for (const range of scanStatementRanges(part, 0).ranges) {
    const tokens = lex(part.slice(range.start, range.end)).tokens;
    const firstToken = tokens[0];
    const lastToken = tokens[tokens.length - 1];
    if (!firstToken || !lastToken) continue;
    const start = lower + range.start + firstToken.start;
    const end = lower + range.start + lastToken.end;
    statements.push({ text: text.slice(start, end), start, end });
  }
  return statements;
}

/**
 * The statement at `offset`: the one containing it, else one ending earlier on the same line
 * (the cursor just after `;`), else one starting later on the same line.
 */
export function statementAt(text: string, offset: number): SourceStatement | undefined {
  const statements = statementsIn(text);
  const containing = statements.find((s) => s.start <= offset && offset <= s.end);
  if (containing) return containing;
  const sameLine = (a: number, b: number): boolean => !text.slice(Math.min(a, b), Math.max(a, b)).includes('\n');
  const before = statements.filter((s) => s.end < offset).pop();
  if (before && sameLine(before.end, offset)) return before;
  const after = statements.find((s) => s.start > offset);
  if (after && sameLine(offset, after.start)) return after;
  return undefined;
}

const ROW_STATEMENTS = new Set(['select', 'with', 'show', 'values', 'table', 'explain', 'fetch']);

/** Whether the statement answers with rows, so it is worth streaming through a cursor. */
export function producesRows(statement: string): boolean {
  const tokens = lex(statement).tokens;
  const first = tokens[0];
  if (!first || first.kind !== 'ident') return false;
  if (ROW_STATEMENTS.has(first.value)) return true;
  return atTopLevel(tokens).some((t) => t.kind === 'ident' && t.value === 'returning');
}

const DROP_REASONS: Readonly<Record<string, string>> = {
  table: 'DROP TABLE removes the table and its data',
  database: 'DROP DATABASE removes the database and every table in it',
  schema: 'DROP SCHEMA removes the schema (with CASCADE, everything in it)',
  index: 'DROP INDEX removes the index',
  view: 'DROP VIEW removes the view',
  sequence: 'DROP SEQUENCE removes the sequence and its current value',
  type: 'DROP TYPE removes the type',
  role: 'DROP ROLE removes the role and its privileges',
  user: 'DROP USER removes the user and its privileges',
  function: 'DROP FUNCTION removes the function',
  procedure: 'DROP PROCEDURE removes the procedure',
  trigger: 'DROP TRIGGER removes the trigger',
  owned: 'DROP OWNED removes every object the role owns',
};

const ALTER_DROP_REASONS: Readonly<Record<string, string>> = {
  column: 'removes the column and its data',
  constraint: 'removes the constraint',
  index: 'removes the index',
  region: 'removes the region from the database',
  super: 'removes the super region',
  partition: 'removes the partition',
  secondary: 'removes the secondary region',
};

/** What ALTER … DROP may be followed by that loses nothing (a default, NOT NULL, …). */
const HARMLESS_ALTER_DROPS = new Set(['not', 'default', 'stored', 'identity', 'expression', 'visible', 'on']);

/** Verbs that write when they open a parenthesised query: a data-modifying CTE or subquery. */
const NESTED_WRITES = new Set(['delete', 'update', 'with']);

/**
 * Why running the statement can destroy data or schema, or undefined when it cannot. EXPLAIN
 * ANALYZE runs what it explains and a data-modifying WITH runs its DELETE or UPDATE, so both are
 * judged by what they contain; plain EXPLAIN only plans and never destroys anything.
 */
export function destructiveReason(statement: string): string | undefined {
  const tokens = lex(statement).tokens.filter((t) => t.kind !== 'command');
  if (tokens[0]?.kind === 'ident' && tokens[0].value === 'explain') return explainReason(statement, tokens);
  return topLevelReason(tokens) ?? nestedReason(statement, tokens);
}

function explainReason(statement: string, tokens: readonly Token[]): string | undefined {
  const parsed = parseDocument(statement).statements[0]?.statement;
  if (parsed?.type !== 'other' || parsed.explainAnalyze !== true) return undefined;
  // EXPLAIN ANALYZE [VERBOSE] stmt, EXPLAIN ANALYZE (DEBUG) stmt, EXPLAIN (ANALYZE, …) stmt.
  let i = 1;
  for (const word of ['analyze', 'analyse', 'verbose']) {
    const token = tokens[i];
    if (token?.kind === 'ident' && token.value === word) i++;
  }
  if (tokens[i]?.kind === 'punct' && tokens[i]?.value === '(') i = closingIndex(tokens, i) + 1;
  const explained = tokens[i];
  if (!explained) return undefined;
  const reason = destructiveReason(statement.slice(explained.start));
  return reason === undefined ? undefined : `EXPLAIN ANALYZE runs the statement: ${reason}`;
}

/** A DELETE or UPDATE inside parentheses (`WITH x AS (DELETE …)`, `FROM [UPDATE … RETURNING …]`) runs too. */
function nestedReason(statement: string, tokens: readonly Token[]): string | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i];
    const first = tokens[i + 1];
    if (open?.kind !== 'punct' || (open.value !== '(' && open.value !== '[')) continue;
    if (first?.kind !== 'ident' || !NESTED_WRITES.has(first.value)) continue;
    const close = tokens[closingIndex(tokens, i)];
    const reason = destructiveReason(statement.slice(first.start, close === undefined ? statement.length : close.start));
    if (reason !== undefined) return reason;
  }
  return undefined;
}

/** The index of the bracket closing the one at `open` (past the end when it is never closed). */
function closingIndex(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.kind !== 'punct') continue;
    if (token.value === '(' || token.value === '[') depth++;
    else if ((token.value === ')' || token.value === ']') && --depth === 0) return i;
  }
  return tokens.length;
}

function topLevelReason(tokens: readonly Token[]): string | undefined {
  const top = atTopLevel(tokens);
  const first = top[0];
  if (!first || first.kind !== 'ident') return undefined;
  switch (first.value) {
    case 'drop':
      return dropReason(top.slice(1));
    case 'truncate':
      return 'TRUNCATE deletes every row of the table';
    case 'alter':
      return alterDropReason(top);
    case 'with':
      return mainVerbReason(top);
    case 'delete':
    case 'update':
      return withoutWhereReason(top, 0);
    default:
      return undefined;
  }
}

function dropReason(rest: Token[]): string | undefined {
  const kind = words(rest, 2);
  if (kind[0] === 'materialized' && kind[1] === 'view') return 'DROP MATERIALIZED VIEW removes the view and its data';
  const reason = kind[0] === undefined ? undefined : DROP_REASONS[kind[0]];
  if (reason !== undefined) return reason;
  return kind[0] === undefined ? undefined : `DROP ${kind[0].toUpperCase()} removes it`;
}

function alterDropReason(top: Token[]): string | undefined {
  const object = top[1]?.kind === 'ident' ? top[1].value.toUpperCase() : 'TABLE';
  for (let i = 2; i < top.length; i++) {
    const token = top[i];
    if (token?.kind !== 'ident' || token.value !== 'drop') continue;
    const next = top[i + 1];
    const word = next?.kind === 'ident' ? next.value : undefined;
    if (word !== undefined && HARMLESS_ALTER_DROPS.has(word)) continue;
    const known = word === undefined ? undefined : ALTER_DROP_REASONS[word];
    if (known !== undefined) return `ALTER ${object} … DROP ${word === 'super' ? 'SUPER REGION' : (word ?? '').toUpperCase()} ${known}`;
    // `ALTER TABLE t DROP c` and `DROP IF EXISTS c`: COLUMN is optional.
    if (object === 'TABLE') return `ALTER TABLE … DROP COLUMN ${ALTER_DROP_REASONS.column ?? ''}`;
    return `ALTER ${object} … DROP removes part of it`;
  }
  return undefined;
}

/** `WITH … DELETE/UPDATE`: the verb after the CTEs decides. */
function mainVerbReason(top: Token[]): string | undefined {
  const verb = top.findIndex((t, i) => i > 0 && t.kind === 'ident' && ['delete', 'update', 'insert', 'select', 'upsert'].includes(t.value));
  const token = top[verb];
  if (!token || (token.value !== 'delete' && token.value !== 'update')) return undefined;
  return withoutWhereReason(top, verb);
}

function withoutWhereReason(top: Token[], verbAt: number): string | undefined {
  const verb = top[verbAt]?.value;
  const hasWhere = top.slice(verbAt + 1).some((t) => t.kind === 'ident' && t.value === 'where');
  if (hasWhere) return undefined;
  return verb === 'delete' ? 'DELETE without WHERE deletes every row of the table' : 'UPDATE without WHERE changes every row of the table';
}

/** Tokens outside parentheses: a WHERE in a subquery does not limit the outer statement. */
function atTopLevel(tokens: readonly Token[]): Token[] {
  const top: Token[] = [];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'punct' && (token.value === '(' || token.value === '[')) depth++;
    else if (token.kind === 'punct' && (token.value === ')' || token.value === ']')) depth = Math.max(0, depth - 1);
    else if (depth === 0) top.push(token);
  }
  return top;
}

/** The first `count` words, undefined where a non-word comes first. */
function words(tokens: readonly Token[], count: number): (string | undefined)[] {
  const out: string[] = [];
  for (const token of tokens) {
    if (token.kind !== 'ident') break;
    out.push(token.value);
    if (out.length === count) break;
  }
  return Array.from({ length: count }, (_, i) => out[i]);
}
