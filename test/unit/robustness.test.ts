// Property tests: whatever the input — random bytes, soups of SQL tokens, real statements cut
// at random points — lexing, splitting, parsing and linting never throw and stay fast (each
// run is bounded; time is asserted in bench/, not here).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { documentStatements } from '../../server/src/analysis/statements';
import { lintFile } from '../../server/src/lint/engine';
import { lex } from '../../sql/src/lexer';
import { parseDocument } from '../../sql/src/parser';
import { splitStatements } from '../../sql/src/splitter';
import { statementRanges } from '../../sql/src/statementRanges';
import { corpusStatements } from '../support/corpus';

const SOUP = [
  'CREATE',
  'TABLE',
  'INDEX',
  'ALTER',
  'DATABASE',
  'LOCALITY',
  'REGIONAL',
  'BY',
  'ROW',
  'TABLE',
  'GLOBAL',
  'IN',
  'PRIMARY',
  'REGION',
  'REGIONS',
  'SURVIVE',
  'FAILURE',
  'ZONE',
  'CONFIGURE',
  'USING',
  'HASH',
  'STORING',
  'FAMILY',
  'PARTITION',
  'LIST',
  'RANGE',
  'VALUES',
  'KEY',
  'DEFAULT',
  'NOT',
  'NULL',
  'UNIQUE',
  'BEGIN',
  'SET',
  'TRANSACTION',
  'ISOLATION',
  'LEVEL',
  'READ',
  'COMMITTED',
  'AS',
  'OF',
  'SYSTEM',
  'TIME',
  'WITH',
  'PASSWORD',
  'USER',
  'SEQUENCE',
  'INTERLEAVE',
  'PARENT',
  'num_replicas',
  '=',
  '(',
  ')',
  ',',
  ';',
  '.',
  '[',
  ']',
  '::',
  '"r"',
  "'s'",
  '$$x$$',
  '$1',
  '1',
  '-- c\n',
  '/* c */',
  "e'\\''",
  '\\demo ls\n',
  't',
  'id',
  'SERIAL',
  'UUID',
  'gen_random_uuid()',
  'now()',
  '@',
  '*',
  '\n',
  // The forms of migrations: foreign keys, renames, column changes, function bodies, hints.
  'ATOMIC',
  'END',
  'CASE',
  'FUNCTION',
  'REFERENCES',
  'FOREIGN',
  'CONSTRAINT',
  'RENAME',
  'COLUMN',
  'TO',
  'TYPE',
  'DROP',
  'ADD',
  'IF',
  'EXISTS',
  '{',
  '}',
  'NO_FULL_SCAN',
];

function exercise(text: string): void {
  const { tokens } = lex(text);
  // Tokens cover the text in order without overlap.
  for (let i = 1; i < tokens.length; i++) assert.ok((tokens[i - 1]?.end ?? 0) <= (tokens[i]?.start ?? 0));
  splitStatements(tokens);
  parseDocument(text);
  const statements = documentStatements(text);
  lintFile({ uri: 'file:///p.sql', text, statements });
}

/** The text-level splitter draws the same boundaries as lexer + splitter. */
function sameBoundaries(text: string): void {
  const { tokens } = lex(text);
  const fromTokens = splitStatements(tokens).length;
  const fromText = statementRanges(text).filter((range) => lex(text.slice(range.start, range.end)).tokens.length > 0).length;
  assert.equal(fromText, fromTokens, JSON.stringify(text));
}

describe('robustness (fast-check)', () => {
  it('random strings never throw', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300, unit: 'binary' }), exercise), { numRuns: 400 });
  });

  it('token soup never throws, and both splitters agree', () => {
    const soup = fc.array(fc.constantFrom(...SOUP), { maxLength: 60 }).map((parts) => parts.join(' '));
    fc.assert(
      fc.property(soup, (text) => {
        exercise(text);
        sameBoundaries(text);
      }),
      { numRuns: 500 },
    );
  });

  it('every corpus statement cut at random points never throws', () => {
    const statements = corpusStatements();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: statements.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), (index, fraction) => {
        const statement = statements[index] ?? '';
        const cut = statement.slice(0, Math.floor(statement.length * fraction));
        exercise(cut);
        sameBoundaries(cut);
      }),
      { numRuns: 1500 },
    );
  });

  it('every corpus statement, whole and cut at its middle, with both splitters agreeing', () => {
    for (const statement of corpusStatements()) {
      exercise(statement);
      const half = statement.slice(0, statement.length >> 1);
      exercise(half);
      sameBoundaries(`${statement};\n${half}`);
    }
  });

  it('reports a half-typed statement where it stops, and leaves the others alone', () => {
    const text = 'CREATE TABLE a (id UUID PRIMARY KEY);\nCREATE TABLE b (id UUID, name\nCREATE TABLE c (id UUID PRIMARY KEY);';
    const document = parseDocument(text);
    const withErrors = document.statements.filter((s) => s.errors.length > 0);
    assert.equal(withErrors.length, 1);
    assert.equal(document.statements[0]?.errors.length, 0);
  });
});
