// Classes of the ASCII characters, one table load instead of a chain of comparisons or a call per
// character: the lexer and the statement scanner read every character of a file, and in a short
// lint they run in V8's interpreter, where each comparison and each call is paid for in full.
// Every code from 128 up may be part of an identifier (as the lexer has always read them).

/** Space, tab, line feed, carriage return, form feed, vertical tab. */
export const SPACE = 1;
/** A letter or '_'. */
export const IDENT_START = 2;

/** The classes of codes 0–127, or-ed together. */
export const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  ASCII_CLASS[c] = (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 ? SPACE : 0) | (letter ? IDENT_START : 0);
}

/**
 * The rest of an identifier from lastIndex (sticky): letters, digits, '_', '$' and every code
 * from 128 up. The lexer and the statement scanner find a word's end with it: in a short lint they run
 * in V8's interpreter, where a loop over a word's characters costs about 1 µs a token on Node 20,
 * while the regular expression engine runs compiled code from the start.
 */
export const IDENTIFIER_REST = /[A-Za-z0-9_$\u0080-\uffff]*/y;
