// CockroachDB SQL lexer. Total: any input yields tokens covering it, never an exception;
// malformed pieces (unterminated strings, comments, quoted identifiers, stray bytes) become
// tokens flagged with an error for the parser to report.
import { ASCII_CLASS, IDENT_START, IDENTIFIER_REST, SPACE } from './charClass';

export type TokenKind =
  | 'ident' // bare identifier or keyword; `value` is lower-cased
  | 'qident' // "quoted identifier"; `value` is unescaped, case kept
  | 'string' // '…', e'…', b'…', x'…', $$…$$; `value` is the content
  | 'number'
  | 'placeholder' // $1
  | 'op' // operators, including multi-character ones
  | 'punct' // ( ) [ ] , ; .
  | 'command' // a \command line of the cockroach sql shell, up to the end of the line
  | 'comment'
  | 'invalid';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  value: string;
  /** Set when the token is malformed, saying what is wrong (always present: one object shape). */
  error: string | undefined;
}

const OPERATORS = [
  '!~*',
  '->>',
  '#>>',
  '<<=',
  '>>=',
  '::',
  '<=',
  '>=',
  '<>',
  '!=',
  '||',
  '->',
  '#>',
  '@>',
  '<@',
  '?|',
  '?&',
  '&&',
  '~*',
  '!~',
  '<<',
  '>>',
  '//',
  ':=',
  '=>',
  '#-',
];

/**
 * First characters of the multi-character operators, each with its operators in OPERATORS'
 * order (longest first), so that an operator character tries only its own few.
 */
const OPERATORS_BY_FIRST: (readonly string[] | undefined)[] = [];
for (const op of OPERATORS) {
  const first = op.charCodeAt(0);
  OPERATORS_BY_FIRST[first] = [...(OPERATORS_BY_FIRST[first] ?? []), op];
}

function multiCharacterOperator(text: string, at: number, code: number): string | undefined {
  const candidates = code < 128 ? OPERATORS_BY_FIRST[code] : undefined;
  if (!candidates) return undefined;
  for (const op of candidates) if (text.startsWith(op, at)) return op;
  return undefined;
}

/**
 * Words SQL statements are mostly made of (keywords, common type and function names), in lower
 * case. An identifier spelling one of them, in any case, gets this very string as its value, so
 * the parser's comparisons with the same literals are pointer comparisons; any other identifier
 * keeps its own lower-cased slice. The value is the same either way. Each word is also found by
 * its upper-case spelling, the way SQL keywords are mostly written: such a word is looked up as
 * sliced, without a lower-cased copy made first.
 */
const COMMON_WORDS = new Map<string, string>();
// Filled by a loop, with no pair arrays between: this runs at every start of the CLI, in V8's interpreter.
for (const word of (
  'abort action add admin all alter always analyse analyze and any array as asc at atomic availability begin between bigint ' +
  'bigserial bit bool boolean btree bucket_count by bytea bytes cascade case cast char character characteristics check cluster ' +
  'collate column columns comment commit committed concurrently configuration configurations configure constraint copy ' +
  'covering create cross crdb_internal_region crdb_region cspann current current_date current_timestamp current_user data ' +
  'database databases date day decimal default default_transaction_isolation defaultdb deferrable deferred delete desc ' +
  'discard distinct do double drop else end enum except exists experimental_relocate explain extension false family ' +
  'filter first float float4 float8 for foreign from full function gen_random_uuid generated gin gist global goal grant ' +
  'grants group hash having high id identity if immediate in include index indexes inet initially inner insert int int2 ' +
  'int4 int8 integer interleave intersect interval into inverted invisible is isolation join json jsonb key keys kind ' +
  'language last lateral left level like limit list local locality low match materialized method name no normal not ' +
  'nothing now null nulls numeric of offset on only option or order other outer over owner parent partial partition ' +
  'password placement precision preserve primary priority privileges procedure public queries query range read real ' +
  'references region regional regions release relocate rename repeatable replace restrict restricted returning returns ' +
  'revoke right role rollback row rows savepoint scatter schedule schema secondary select sequence serial serial2 serial4 ' +
  'serial8 serializable session sessions set setting settings show simple smallint smallserial snapshot some split start ' +
  'statistics status stored storing string survival survive system table tables temp temporary text then time timestamp ' +
  'timestamptz timetz to transaction transaction_isolation trigger true truncate type uncommitted union unique unlogged ' +
  'unsplit update upsert use user using uuid valid value values varbit varchar varying vector view virtual visibility ' +
  'visible when where with within without work write zone'
).split(' ')) {
  COMMON_WORDS.set(word, word);
  COMMON_WORDS.set(word.toUpperCase(), word);
}

function isIdentStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code >= 128;
}

function isIdentPart(code: number): boolean {
  return isIdentStart(code) || (code >= 48 && code <= 57) || code === 36;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export interface LexResult {
  /** Significant tokens (no comments). */
  tokens: Token[];
  comments: Token[];
}

export function lex(text: string): LexResult {
  const { tokens, comments } = lexFrom(text, 0, false);
  return { tokens, comments };
}

/** One statement's tokens: `start` and `end` its place in the text, every offset relative to `start`. */
export interface LexedStatement extends LexResult {
  /** Where the statement's text starts: just past the previous statement (space and comments before it are its own). */
  start: number;
  /** Just past its `;`, at the end of its \command line, or at the end of the text. */
  end: number;
}

/**
 * Lexes the statement that starts at `from` (a statement boundary), up to where it ends: the
 * boundaries scanStatementRanges draws, found by the lexer as it goes, so that a file is read
 * statement by statement in one pass (the CLI). Token offsets are relative to the statement's
 * start; the statement is read in its context (a backslash is a shell command only at the start
 * of a line of the text). Undefined when only space and comments are left.
 */
export function lexStatement(text: string, from: number): LexedStatement | undefined {
  const lexed = lexFrom(text, from, true);
  return lexed.tokens.length === 0 ? undefined : lexed;
}

/** Whether only space (no newline) lies between the last newline (or the start) and `at`. */
function onlySpaceBefore(text: string, at: number): boolean {
  let j = at - 1;
  for (; j >= 0; j--) {
    const code = text.charCodeAt(j);
    if (code === 10 || code >= 128 || ((ASCII_CLASS[code] as number) & SPACE) === 0) break;
  }
  return j < 0 || text.charCodeAt(j) === 10;
}

/**
 * The lexer: the whole text from `from` on, or (oneStatement) one statement as scanStatementRanges
 * and the token splitter draw them — a `;` outside a BEGIN ATOMIC … END body ends it, a \command
 * line is one of its own, and a `;` with nothing before it is none. Offsets are relative to where
 * the text read starts (written so, not shifted afterwards: a loop over the tokens cost a short
 * lint ~1 ms in Node 20's interpreter).
 */
function lexFrom(text: string, from: number, oneStatement: boolean): LexedStatement {
  const tokens: Token[] = [];
  const comments: Token[] = [];
  const length = text.length;
  let i = from;
  let lineStart = onlySpaceBefore(text, from); // only whitespace since the last newline
  // oneStatement: where the statement starts (its tokens' offsets are relative to it), and how
  // many BEGIN ATOMIC bodies are open (see splitter.ts).
  let base = from;
  let bodies = 0;

  while (i < length) {
    const code = text.charCodeAt(i);
    // The character's class from a table (codes from 128 up start identifiers).
    const charClass = code < 128 ? (ASCII_CLASS[code] as number) : IDENT_START;
    if ((charClass & SPACE) !== 0) {
      if (code === 10) lineStart = true;
      i++;
      continue;
    }
    const start = i;
    const wasLineStart = lineStart;
    lineStart = false;

    // Comments
    if (code === 45 && text.charCodeAt(i + 1) === 45) {
      let end = text.indexOf('\n', i);
      if (end === -1) end = length;
      comments.push({ kind: 'comment', start: start - base, end: end - base, value: text.slice(start + 2, end), error: undefined });
      i = end;
      continue;
    }
    if (code === 47 && text.charCodeAt(i + 1) === 42) {
      let depth = 1;
      i += 2;
      while (i < length && depth > 0) {
        if (text.charCodeAt(i) === 47 && text.charCodeAt(i + 1) === 42) {
          depth++;
          i += 2;
        } else if (text.charCodeAt(i) === 42 && text.charCodeAt(i + 1) === 47) {
          depth--;
          i += 2;
        } else i++;
      }
      const token: Token = {
        kind: 'comment',
        start: start - base,
        end: i - base,
        value: text.slice(start + 2, depth > 0 ? i : i - 2),
        error: undefined,
      };
      if (depth > 0) token.error = 'unterminated comment: expected */';
      comments.push(token);
      continue;
    }

    // Shell commands such as \demo shutdown 3, only at the start of a line.
    if (code === 92 && wasLineStart) {
      // A command ends the statement before it, else it is the statement, up to its line's end.
      if (oneStatement && tokens.length > 0) return { tokens, comments, start: base, end: i };
      let end = text.indexOf('\n', i);
      if (end === -1) end = length;
      let trimmed = end;
      while (trimmed > start) {
        const c = text.charCodeAt(trimmed - 1);
        if (c >= 128 || ((ASCII_CLASS[c] as number) & SPACE) === 0) break;
        trimmed--;
      }
      tokens.push({ kind: 'command', start: start - base, end: trimmed - base, value: text.slice(start, trimmed), error: undefined });
      i = end;
      if (oneStatement) return { tokens, comments, start: base, end };
      continue;
    }

    // Prefixed strings: e'…' (escapes), b'…' (bytes, escapes), x'…' (hex), B'…' bit strings.
    if ((code === 101 || code === 69 || code === 98 || code === 66 || code === 120 || code === 88) && text.charCodeAt(i + 1) === 39) {
      const escapes = code === 101 || code === 69 || code === 98;
      i = readQuoted(text, i + 1, 39, escapes, tokens, start, base);
      continue;
    }

    if ((charClass & IDENT_START) !== 0) {
      IDENTIFIER_REST.lastIndex = i + 1;
      IDENTIFIER_REST.test(text);
      i = IDENTIFIER_REST.lastIndex;
      const word = text.slice(start, i);
      let value = COMMON_WORDS.get(word);
      if (value === undefined) {
        const lower = word.toLowerCase();
        value = COMMON_WORDS.get(lower) ?? lower;
      }
      if (oneStatement) {
        const previous = tokens[tokens.length - 1];
        if (value === 'atomic' && previous?.kind === 'ident' && previous.value === 'begin') bodies++;
        else if (value === 'end' && bodies > 0) bodies--;
      }
      tokens.push({ kind: 'ident', start: start - base, end: i - base, value, error: undefined });
      continue;
    }

    if (code === 39) {
      i = readQuoted(text, i, 39, false, tokens, start, base);
      continue;
    }

    if (code === 34) {
      // "quoted identifier" with "" for a quote inside.
      let j = i + 1;
      for (;;) {
        j = text.indexOf('"', j);
        if (j === -1 || text.charCodeAt(j + 1) !== 34) break;
        j += 2;
      }
      const closed = j !== -1;
      const end = closed ? j + 1 : length;
      const value = text.slice(i + 1, closed ? j : length).replace(/""/g, '"');
      const token: Token = { kind: 'qident', start: start - base, end: end - base, value, error: undefined };
      if (!closed) token.error = 'unterminated quoted identifier: expected "';
      else if (value.length === 0) token.error = 'zero-length delimited identifier';
      tokens.push(token);
      i = end;
      continue;
    }

    if (code === 36) {
      // $1 placeholder, or $tag$ … $tag$ dollar quote.
      if (isDigit(text.charCodeAt(i + 1))) {
        i++;
        while (i < length && isDigit(text.charCodeAt(i))) i++;
        tokens.push({ kind: 'placeholder', start: start - base, end: i - base, value: text.slice(start, i), error: undefined });
        continue;
      }
      let j = i + 1;
      while (j < length && isIdentPart(text.charCodeAt(j)) && text.charCodeAt(j) !== 36) j++;
      if (text.charCodeAt(j) === 36) {
        const tag = text.slice(i, j + 1);
        const close = text.indexOf(tag, j + 1);
        const end = close === -1 ? length : close + tag.length;
        const token: Token = {
          kind: 'string',
          start: start - base,
          end: end - base,
          value: text.slice(j + 1, close === -1 ? length : close),
          error: undefined,
        };
        if (close === -1) token.error = `unterminated dollar-quoted string: expected ${tag}`;
        tokens.push(token);
        i = end;
        continue;
      }
    }

    if (isDigit(code) || (code === 46 && isDigit(text.charCodeAt(i + 1)))) {
      if (code === 48 && (text.charCodeAt(i + 1) | 32) === 120) {
        i += 2;
        while (i < length && /[0-9a-fA-F]/.test(text[i] ?? '')) i++;
      } else {
        while (i < length && isDigit(text.charCodeAt(i))) i++;
        if (text.charCodeAt(i) === 46 && text.charCodeAt(i + 1) !== 46) {
          i++;
          while (i < length && isDigit(text.charCodeAt(i))) i++;
        }
        if ((text.charCodeAt(i) | 32) === 101) {
          const sign = text.charCodeAt(i + 1);
          const digitAt = sign === 43 || sign === 45 ? i + 2 : i + 1;
          if (isDigit(text.charCodeAt(digitAt))) {
            i = digitAt;
            while (i < length && isDigit(text.charCodeAt(i))) i++;
          }
        }
      }
      tokens.push({ kind: 'number', start: start - base, end: i - base, value: text.slice(start, i), error: undefined });
      continue;
    }

    const ch = text[i] ?? '';
    if (code === 40 || code === 41 || code === 44 || code === 59 || code === 46 || code === 91 || code === 93) {
      // ( ) , ; . [ ]
      if (code === 59 && oneStatement && bodies === 0) {
        if (tokens.length > 0) {
          tokens.push({ kind: 'punct', start: start - base, end: i + 1 - base, value: ch, error: undefined });
          return { tokens, comments, start: base, end: i + 1 };
        }
        // A `;` alone is no statement: the next starts after it (the comments before it with it).
        comments.length = 0;
        base = i + 1;
        i++;
        continue;
      }
      tokens.push({ kind: 'punct', start: start - base, end: i + 1 - base, value: ch, error: undefined });
      i++;
      continue;
    }
    const multi = multiCharacterOperator(text, i, code);
    if (multi) {
      tokens.push({ kind: 'op', start: start - base, end: i + multi.length - base, value: multi, error: undefined });
      i += multi.length;
      continue;
    }
    if ('+-*/%^<>=~!@#&|?:'.includes(ch)) {
      tokens.push({ kind: 'op', start: start - base, end: i + 1 - base, value: ch, error: undefined });
      i++;
      continue;
    }
    // Anything else (a lone $, a stray control or symbol character): one invalid character.
    const width = code >= 0xd800 && code <= 0xdbff ? 2 : 1;
    tokens.push({
      kind: 'invalid',
      start: start - base,
      end: i + width - base,
      value: text.slice(i, i + width),
      error: `unexpected character ${JSON.stringify(text.slice(i, i + width))}`,
    });
    i += width;
  }
  return { tokens, comments, start: base, end: length };
}

function readQuoted(text: string, quoteAt: number, quote: number, escapes: boolean, tokens: Token[], start: number, base: number): number {
  const length = text.length;
  let i = quoteAt + 1;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (escapes && c === 92) {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (text.charCodeAt(i + 1) === quote) {
        i += 2;
        continue;
      }
      tokens.push({
        kind: 'string',
        start: start - base,
        end: i + 1 - base,
        value: text.slice(quoteAt + 1, i).replace(/''/g, "'"),
        error: undefined,
      });
      return i + 1;
    }
    i++;
  }
  tokens.push({
    kind: 'string',
    start: start - base,
    end: length - base,
    value: text.slice(quoteAt + 1).replace(/''/g, "'"),
    error: "unterminated string: expected '",
  });
  return length;
}
