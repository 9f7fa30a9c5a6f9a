// Finds statement boundaries straight from the text, without building tokens: a `;` outside
// strings, quoted identifiers, comments and dollar quotes ends a statement, and a `\command`
// line of the SQL shell is one of its own — the same boundaries the lexer and splitter draw.
// It is one tight pass over the text, so an edit re-parses only the statements whose text changed.
import { ASCII_CLASS, IDENT_START, IDENTIFIER_REST, SPACE } from './charClass';

export interface TextRange {
  start: number;
  /** Just past the terminating `;` (or the end of a \command line, or of the text). */
  end: number;
}

export function statementRanges(text: string): TextRange[] {
  return scanStatementRanges(text, 0).ranges;
}

/**
 * Scans from `from` (a statement boundary). After each statement, `stop(end)` may end the scan
 * early: the incremental splitter stops where the new boundaries meet the old ones again.
 */
export function scanStatementRanges(
  text: string,
  from: number,
  stop?: (end: number) => boolean,
): { ranges: TextRange[]; stoppedAt?: number } {
  const ranges: TextRange[] = [];
  const length = text.length;
  let start = from;
  let i = from;
  let lineStart = from === 0 || text.charCodeAt(from - 1) === 10;
  let hasContent = false;
  // BEGIN ATOMIC … END bodies open (see splitter.ts): their `;` do not end the statement.
  let bodies = 0;
  // Whether the last word read was BEGIN, with nothing but space and comments since.
  let afterBegin = false;
  while (i < length) {
    const c = text.charCodeAt(i);
    // The character's class from a table (codes from 128 up start identifiers).
    const charClass = c < 128 ? (ASCII_CLASS[c] as number) : IDENT_START;
    if ((charClass & SPACE) !== 0) {
      if (c === 10) lineStart = true;
      i++;
      continue;
    }
    const atLineStart = lineStart;
    lineStart = false;
    if (c === 45 && text.charCodeAt(i + 1) === 45) {
      const newline = text.indexOf('\n', i);
      i = newline === -1 ? length : newline;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      let depth = 1;
      i += 2;
      while (i < length && depth > 0) {
        const d = text.charCodeAt(i);
        if (d === 47 && text.charCodeAt(i + 1) === 42) {
          depth++;
          i += 2;
        } else if (d === 42 && text.charCodeAt(i + 1) === 47) {
          depth--;
          i += 2;
        } else i++;
      }
      continue;
    }
    if (c === 92 && atLineStart) {
      // A shell command: the statement before it ends here, and it is one up to its line end.
      if (hasContent) ranges.push({ start, end: i });
      const newline = text.indexOf('\n', i);
      const end = newline === -1 ? length : newline;
      ranges.push({ start: hasContent ? i : start, end });
      start = end;
      hasContent = false;
      bodies = 0;
      afterBegin = false;
      i = end;
      if (stop?.(start)) return { ranges, stoppedAt: start };
      continue;
    }
    if ((charClass & IDENT_START) !== 0) {
      // A word: only BEGIN, ATOMIC and END matter (their lengths tell most words apart at once).
      IDENTIFIER_REST.lastIndex = i + 1;
      IDENTIFIER_REST.test(text);
      const j = IDENTIFIER_REST.lastIndex;
      const wordLength = j - i;
      if (wordLength === 6 && afterBegin && wordIs(text, i, 'atomic')) bodies++;
      else if (wordLength === 3 && bodies > 0 && wordIs(text, i, 'end')) bodies--;
      afterBegin = wordLength === 5 && wordIs(text, i, 'begin');
      hasContent = true;
      // A quote right after the word (e'…', b'…', x'…') is read below with the word as its prefix.
      i = j;
      continue;
    }
    afterBegin = false;
    if (c === 59) {
      if (bodies > 0) {
        i++;
        continue;
      }
      // An empty statement (a lone ';') is no statement, as for the token splitter.
      const hadContent = hasContent;
      if (hasContent) ranges.push({ start, end: i + 1 });
      start = i + 1;
      hasContent = false;
      i++;
      if (hadContent && stop?.(start)) return { ranges, stoppedAt: start };
      continue;
    }
    hasContent = true;
    if (c === 39) {
      const previous = text.charCodeAt(i - 1) | 32;
      const escapes = i > 0 && (previous === 101 || previous === 98) && !isIdentPart(text.charCodeAt(i - 2));
      i = skipQuoted(text, i, 39, escapes);
      continue;
    }
    if (c === 34) {
      i = skipQuoted(text, i, 34, false);
      continue;
    }
    if (c === 36 && !isDigit(text.charCodeAt(i + 1)) && !isIdentPart(text.charCodeAt(i - 1))) {
      let j = i + 1;
      while (j < length && isIdentPart(text.charCodeAt(j)) && text.charCodeAt(j) !== 36) j++;
      if (text.charCodeAt(j) === 36) {
        const tag = text.slice(i, j + 1);
        const close = text.indexOf(tag, j + 1);
        i = close === -1 ? length : close + tag.length;
        continue;
      }
    }
    i++;
  }
  if (hasContent) ranges.push({ start, end: length });
  return { ranges };
}

function skipQuoted(text: string, at: number, quote: number, escapes: boolean): number {
  let i = at + 1;
  const length = text.length;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (escapes && c === 92) i += 2;
    else if (c === quote) {
      if (text.charCodeAt(i + 1) !== quote) return i + 1;
      i += 2;
    } else i++;
  }
  return length;
}

/** Whether text at `at` spells the lower-case `word`, in any case (the caller checked the length). */
function wordIs(text: string, at: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    if ((text.charCodeAt(at + k) | 32) !== word.charCodeAt(k)) return false;
  }
  return true;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isIdentPart(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code >= 128 || (code >= 48 && code <= 57) || code === 36
  );
}
