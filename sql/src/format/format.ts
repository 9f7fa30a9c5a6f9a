// The CockroachDB SQL formatter: statement by statement from the project's own token stream, so
// CockroachDB-only syntax (REGIONAL BY ROW, USING HASH, STORING, t@{FORCE_INDEX=…}, AS OF SYSTEM
// TIME, CREATE CHANGEFEED…) formats as well as the rest. A statement the parser reports errors in
// is left as it is, and so is any statement whose formatted text would not lex back to the same
// tokens and comments: formatting never changes what a statement means.
import { lex, type Token } from '../lexer';
import { parseDocument } from '../parser';
import { splitStatements } from '../splitter';
import { DEFAULT_FORMAT_OPTIONS, layoutStatement, type FormatOptions } from './layout';

export { DEFAULT_FORMAT_OPTIONS, type FormatOptions, type KeywordCase } from './layout';

/** A replacement of text[start, end) by newText. */
export interface FormatEdit {
  start: number;
  end: number;
  newText: string;
}

/**
 * The edits that format the statements of `text`; with a range, only the statements that overlap
 * [rangeStart, rangeEnd) (a statement is formatted whole or not at all).
 */
export function formatEdits(text: string, options: Partial<FormatOptions> = {}, range?: { start: number; end: number }): FormatEdit[] {
  const settings: FormatOptions = { ...DEFAULT_FORMAT_OPTIONS, ...options };
  const document = parseDocument(text);
  const { tokens, comments } = document;
  const ranges = splitStatements(tokens);
  const edits: FormatEdit[] = [];
  let c = 0;
  for (const [index, statementRange] of ranges.entries()) {
    const { from, to, semicolon } = statementRange;
    const first = tokens[from];
    const last = tokens[to - 1];
    if (!first || !last) continue;
    const start = first.start;
    const end = semicolon?.end ?? last.end;
    while (c < comments.length && (comments[c]?.start ?? Infinity) < start) c++;
    const inside: Token[] = [];
    for (let k = c; k < comments.length && (comments[k]?.start ?? Infinity) < end; k++) inside.push(comments[k] as Token);
    if (range && (end < range.start || start > range.end || (end === range.start && range.end > range.start))) continue;
    const parsed = document.statements[index];
    if (!parsed || parsed.errors.length > 0 || first.kind === 'command') continue;
    const original = text.slice(start, end);
    const formatted = layoutStatement(text, { tokens, from, to, semicolon, comments: inside }, settings);
    if (formatted === original || !sameMeaning(text, tokens.slice(from, semicolon ? to + 1 : to), inside, formatted)) continue;
    edits.push({ start, end, newText: formatted });
  }
  return edits;
}

/** `text` with its statements formatted. */
export function formatSql(text: string, options: Partial<FormatOptions> = {}): string {
  return applyEdits(text, formatEdits(text, options));
}

export function applyEdits(text: string, edits: readonly FormatEdit[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    parts.push(text.slice(at, edit.start), edit.newText);
    at = edit.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/**
 * What a piece of SQL means to CockroachDB's scanner, as a list: each token's kind and value
 * (identifiers lower-cased, so keyword case does not count) and each comment's text.
 */
export function meaningOf(text: string): string[] {
  const { tokens, comments } = lex(text);
  return [...tokens.map((t) => `${t.kind}\u0000${t.value}`), ...comments.map((t) => `comment\u0000${text.slice(t.start, t.end)}`)];
}

/** Whether `formatted` lexes to the statement's tokens and comments again. */
function sameMeaning(source: string, tokens: readonly Token[], comments: readonly Token[], formatted: string): boolean {
  const after = lex(formatted);
  if (after.tokens.length !== tokens.length || after.comments.length !== comments.length) return false;
  for (let i = 0; i < tokens.length; i++) {
    const a = tokens[i];
    const b = after.tokens[i];
    if (!a || !b || a.kind !== b.kind || a.value !== b.value) return false;
  }
  for (let i = 0; i < comments.length; i++) {
    const a = comments[i];
    const b = after.comments[i];
    if (!a || !b || source.slice(a.start, a.end) !== formatted.slice(b.start, b.end)) return false;
  }
  return true;
}
