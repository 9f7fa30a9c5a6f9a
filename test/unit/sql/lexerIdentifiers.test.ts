// Identifiers as the lexer reads them: letters, digits, '_' and '$' after the first character,
// and every code from 128 up (a surrogate pair included); the value is lower-cased, and a common
// keyword is given as the very string the parser compares with.
import * as assert from 'node:assert/strict';
import { lex } from '../../../sql/src/lexer';

function identifiers(text: string): [string, number, number][] {
  return lex(text)
    .tokens.filter((token) => token.kind === 'ident')
    .map((token) => [token.value, token.start, token.end]);
}

describe('lexer: identifiers', () => {
  it('reads words to their last identifier character, lower-cased', () => {
    assert.deepEqual(identifiers('SELECT Straße, a$b$1,x9_Y FROM "Q" WHERE ÉTÉ=1'), [
      ['select', 0, 6],
      ['straße', 7, 13],
      ['a$b$1', 15, 20],
      ['x9_y', 21, 25],
      ['from', 26, 30],
      ['where', 35, 40],
      ['été', 41, 44],
    ]);
  });

  it('keeps a surrogate pair and any non-ASCII character inside the word', () => {
    assert.deepEqual(identifiers('x😀y z\u00a0w'), [
      ['x😀y', 0, 4],
      ['z\u00a0w', 5, 8],
    ]);
  });

  it('gives a keyword, in any case, as the same string each time', () => {
    const [a, b] = lex('PRIMARY primary').tokens.map((token) => token.value);
    assert.equal(a, 'primary');
    assert.ok(Object.is(a, b));
    // The Kelvin sign lower-cases to an ASCII k: the value is the word it spells.
    assert.equal(lex('\u212Aey').tokens[0]?.value, 'key');
  });

  it('ends a word at an operator, quote or punctuation, which start tokens of their own', () => {
    assert.deepEqual(
      lex("a+b c'x' d(e) f.g h::i").tokens.map((token) => token.value),
      ['a', '+', 'b', 'c', 'x', 'd', '(', 'e', ')', 'f', '.', 'g', 'h', '::', 'i'],
    );
  });
});
