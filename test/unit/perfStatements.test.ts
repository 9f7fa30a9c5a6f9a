// What an edit costs the statement split, counted rather than timed: the statements after the
// edit keep their objects (moved by the edit's length, not copied), so an edit makes as many new
// statements in a file of 2,000 as in a file of 20.
import * as assert from 'node:assert/strict';
import { documentStatements, documentStatementsOnce, StatementCache, type DocumentStatement } from '../../server/src/analysis/statements';

const TABLE = (t: number): string => `CREATE TABLE t_${t} (id UUID PRIMARY KEY, note STRING);\nCREATE INDEX ON t_${t} (note);\n`;

/** The statements an edit near the top of a file of `tables` tables made anew, and the result. */
function afterEdit(tables: number): { made: number; statements: DocumentStatement[]; text: string } {
  let text = '';
  for (let t = 0; t < tables; t++) text += TABLE(t);
  const cache = new StatementCache();
  const before = new Set(documentStatements(text, cache));
  const at = text.indexOf('note STRING');
  text = `${text.slice(0, at)}x${text.slice(at)}`;
  const statements = documentStatements(text, cache);
  return { made: statements.filter((s) => !before.has(s)).length, statements, text };
}

const placed = (statements: DocumentStatement[]): [number, string, string][] =>
  statements.map((s) => [s.offset + s.parsed.start, s.text.slice(s.parsed.start, s.parsed.end), s.parsed.statement.type]);

describe('statement split: the cost of an edit', () => {
  it('makes one statement anew for an edit near the top, whatever the length of the file', () => {
    const small = afterEdit(10);
    const large = afterEdit(1_000);
    assert.deepEqual([small.made, large.made], [1, 1]);
  });

  it('moves the statements after the edit to where a fresh split puts them', () => {
    const { statements, text } = afterEdit(300);
    assert.deepEqual(placed(statements), placed(documentStatementsOnce(text)));
    // And again, the other way: the character deleted.
    const cache = new StatementCache();
    documentStatements(text, cache);
    const at = text.indexOf('xnote');
    const back = `${text.slice(0, at)}${text.slice(at + 1)}`;
    assert.deepEqual(placed(documentStatements(back, cache)), placed(documentStatementsOnce(back)));
  });
});
