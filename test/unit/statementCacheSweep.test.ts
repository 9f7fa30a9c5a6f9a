// Typing in one statement of a document leaves a parse of each text it had in the statement
// cache; the cache keeps a fixed number of those stale parses beyond the ones the document uses,
// not as many again as the document has statements (in a large file, tens of thousands of trees).
import * as assert from 'node:assert/strict';
import { ChunkedDocument } from '../../server/src/analysis/chunkedDocument';
import { EditRegion } from '../../server/src/analysis/editRegion';
import { documentStatements, StatementCache } from '../../server/src/analysis/statements';

describe('StatementCache sweep', () => {
  it('keeps at most 256 stale parses while one statement is typed in', () => {
    const statements: string[] = [];
    for (let t = 0; t < 600; t++) statements.push(`CREATE TABLE t${t} (id INT PRIMARY KEY, amount DECIMAL(12, 2) DEFAULT 0);`);
    const text = statements.join('\n') + '\n';
    const document = new ChunkedDocument('file:///a.sql', 'sql', 1, text);
    const cache = new StatementCache();
    documentStatements(document, cache);
    // Typing digits after the DEFAULT 0 of the middle statement: every version is a new text.
    const at = document.positionAt(text.indexOf('DEFAULT 0', text.length >> 1) + 'DEFAULT 0'.length);
    let most = 0;
    for (let i = 0; i < 1200; i++) {
      const region = new EditRegion();
      const position = { line: at.line, character: at.character + i };
      document.update([{ range: { start: position, end: position }, text: String(i % 10) }], i + 2, (start, end, inserted) => {
        region.replace(start, end, inserted);
      });
      assert.equal(documentStatements(document, cache, { changed: region.changed }).length, 600);
      most = Math.max(most, cache.size);
    }
    assert.ok(most <= 600 + 256 + 1, `the cache held ${most} parses for 600 statements`);
  });
});
