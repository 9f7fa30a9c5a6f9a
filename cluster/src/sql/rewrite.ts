// Text edits on one statement, by source span: the translation layer changes only what
// PostgreSQL would not accept and leaves every other character as the user wrote it.
import { lex, type Token } from '../../../sql/src/lexer';

export interface Edit {
  start: number;
  end: number;
  text: string;
}

export class Rewriter {
  private readonly edits: Edit[] = [];

  constructor(readonly source: string) {}

  replace(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text });
  }

  remove(start: number, end: number): void {
    this.replace(start, end, '');
  }

  insert(at: number, text: string): void {
    this.replace(at, at, text);
  }

  /** The source with every edit applied; overlapping edits keep the earliest-starting one. */
  apply(from = 0, to = this.source.length): string {
    const edits = this.edits.filter((e) => e.start >= from && e.end <= to).sort((a, b) => a.start - b.start || a.end - b.end);
    let out = '';
    let at = from;
    for (const edit of edits) {
      if (edit.start < at) continue;
      out += this.source.slice(at, edit.start) + edit.text;
      at = edit.end;
    }
    return out + this.source.slice(at, to);
  }
}

/** Significant tokens of a statement (comments dropped). */
export function tokensOf(sql: string): Token[] {
  return lex(sql).tokens;
}

export function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token?.kind === 'ident' && words.includes(token.value);
}

export function isPunct(token: Token | undefined, value: string): boolean {
  return token?.kind === 'punct' && token.value === value;
}

/** Index just past the parenthesis group that opens at tokens[open]. */
export function skipGroup(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t?.kind !== 'punct') continue;
    if (t.value === '(' || t.value === '[') depth++;
    else if (t.value === ')' || t.value === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return tokens.length;
}

// CockroachDB type names and what they are in PostgreSQL (INT is INT8 with the default
// default_int_size; SERIAL becomes INT8 DEFAULT unique_rowid() under serial_normalization = rowid).
const TYPES = new Map<string, string>([
  ['string', 'text'],
  ['bytes', 'bytea'],
  ['int', 'int8'],
  ['integer', 'int8'],
  ['int64', 'int8'],
  ['int32', 'int4'],
  ['int16', 'int2'],
  ['float', 'float8'],
  ['float64', 'float8'],
  ['float32', 'float4'],
  ['json', 'jsonb'],
  ['serial', 'int8'],
  ['serial2', 'int8'],
  ['serial4', 'int8'],
  ['serial8', 'int8'],
  ['smallserial', 'int8'],
  ['bigserial', 'int8'],
]);

export const SERIAL_TYPES = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);
const UNSUPPORTED_TYPES = new Set(['geography', 'geometry', 'box2d', 'tsquery', 'tsvector', 'pg_lsn', 'refcursor', 'vector']);

/** Maps a type written at tokens[at] (a bare type name); returns the edit, if any. */
export function typeEdit(tokens: readonly Token[], at: number): Edit | undefined | 'unsupported' {
  const head = tokens[at];
  if (head?.kind !== 'ident') return undefined;
  if (UNSUPPORTED_TYPES.has(head.value)) return 'unsupported';
  const mapped = TYPES.get(head.value);
  if (!mapped) return undefined;
  // STRING(n) keeps its length limit as VARCHAR(n).
  if (head.value === 'string' && isPunct(tokens[at + 1], '(')) return { start: head.start, end: head.end, text: 'varchar' };
  return { start: head.start, end: head.end, text: mapped };
}
