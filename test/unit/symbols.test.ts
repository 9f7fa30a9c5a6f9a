// The outline: a .sql file lists its tables (with columns and indexes), databases, indexes and
// sequences; a Markdown lesson lists nothing from here, as its outline is its headings, which the
// editor's Markdown support gives (a second group of tables beside them would be a flat list cut
// off from the sections that create them).
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { documentStatementsOnce } from '../../server/src/analysis/statements';
import { documentSymbols } from '../../server/src/features/symbols';
import { sqlOfMarkdown } from '../../server/src/markdown';

const SQL = 'CREATE DATABASE shop;\nCREATE TABLE orders (id UUID PRIMARY KEY, total DECIMAL, INDEX (total));\nCREATE SEQUENCE seq;';

describe('document symbols (outline)', () => {
  it('lists the tables, databases and sequences of a .sql file', () => {
    const document = TextDocument.create('file:///schema.sql', 'sql', 1, SQL);
    const symbols = documentSymbols(document, documentStatementsOnce(SQL));
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['shop', 'orders', 'seq'],
    );
    assert.deepEqual(
      symbols[1]?.children?.map((c) => c.name),
      ['id', 'total', '(total)'],
    );
  });

  it('lists nothing for a Markdown lesson, whatever its SQL blocks create (its headings are the outline)', () => {
    const lesson = `# Orders\n\nCreate the table:\n\n\`\`\`sql\n${SQL}\n\`\`\`\n\n## Next\n`;
    const statements = documentStatementsOnce(sqlOfMarkdown(lesson).text);
    assert.ok(
      statements.some((s) => s.parsed.statement.type === 'create-table'),
      'the lesson’s SQL is read',
    );
    for (const [uri, language] of [
      ['file:///lesson.md', 'markdown'],
      ['file:///lesson.markdown', 'plaintext'],
      ['untitled:Untitled-1', 'markdown'],
    ] as const)
      assert.deepEqual(documentSymbols(TextDocument.create(uri, language, 1, lesson), statements), [], uri);
  });
});
