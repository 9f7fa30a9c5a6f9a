// Classes of the ASCII characters, one table load instead of a chain of comparisons or a call per
// character: the lexer and the statement scanner read every character of a file, and in a short
// lint they run in V8's interpreter, where each comparison and each call is paid for in full.
// Every code from 128 up may be part of an identifier (as the lexer has always read them).

/** Space, tab, line feed, carriage return, form feed, vertical tab. */
export const SPACE = 1;
/** A letter or '_'. */
export const IDENT_START = 2;
/** A letter, digit, '_' or '$'. */
export const IDENT_PART = 4;
export const DIGIT = 8;

/** The classes of codes 0–127, or-ed together. */
export const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  const digit = c >= 48 && c <= 57;
  ASCII_CLASS[c] =
    (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 ? SPACE : 0) |
    (letter ? IDENT_START | IDENT_PART : 0) |
    (digit ? DIGIT | IDENT_PART : 0) |
    (c === 36 ? IDENT_PART : 0);
}
