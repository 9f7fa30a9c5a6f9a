// A lesson opened as a notebook and saved again: the file comes back byte for byte, and an edit to
// one cell re-writes that cell's region only.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { lessonCells, lessonText, lineEndOf, type LessonCell } from '../../client/src/notebook/lessonCells';
import { repoRoot } from '../support/tools';

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(full);
    return entry.name.endsWith('.md') ? [full] : [];
  });
}

function roundTrip(text: string): string {
  return lessonText(lessonCells(text), lineEndOf(text));
}

/** Markdown built from the pieces lessons are made of, in any order, with either line end. */
const lessonPiece = fc.oneof(
  fc.constantFrom(
    '# Lesson',
    'Some prose with `code` and **bold**.',
    '',
    '   ',
    '- a list item',
    '  indented continuation',
    '1. step one',
    '```sql',
    '```',
    '~~~ sql',
    '~~~',
    '````',
    '```sh',
    '```shell',
    '```console',
    '```bash {title="x"}',
    '```json',
    '   ```sql',
    '    ```sql',
    'SELECT 1;',
    '> SELECT 2;',
    '$ cockroach node status --insecure',
    'cockroach sql --insecure -e "SHOW DATABASES"',
    '\t tab',
    '\ufeff# BOM',
  ),
  fc.string({ maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, ' ')),
);
const markdown = fc
  .tuple(fc.array(lessonPiece, { maxLength: 30 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([lines, eol, finalEnd]) => lines.join(eol) + (finalEnd && lines.length > 0 ? eol : ''));

describe('lesson notebook cells', () => {
  it('reads prose as markdown cells and sql and shell blocks as code cells', () => {
    const text = [
      '# Lesson',
      '',
      'Intro.',
      '',
      '```sql',
      'SELECT 1;',
      '```',
      '',
      '```json',
      '{}',
      '```',
      '',
      '```sh',
      'cockroach node status --insecure',
      '```',
      '',
    ].join('\n');
    const cells = lessonCells(text);
    assert.deepEqual(
      cells.map((c) => [c.kind, c.value]),
      [
        ['markdown', '# Lesson\n\nIntro.'],
        ['sql', 'SELECT 1;'],
        // A block no runner runs stays part of the prose.
        ['markdown', '```json\n{}\n```'],
        ['shell', 'cockroach node status --insecure'],
      ],
    );
    assert.equal(roundTrip(text), text);
  });

  it('gives back every Markdown file of examples/ byte for byte', () => {
    const files = markdownFiles(path.join(repoRoot, 'examples'));
    assert.ok(files.length >= 10, 'the examples have lessons');
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      assert.equal(roundTrip(text), text, path.relative(repoRoot, file));
      const crlf = text.replace(/\n/g, '\r\n');
      assert.equal(roundTrip(crlf), crlf, `${path.relative(repoRoot, file)} with CRLF`);
    }
  });

  it('gives back generated Markdown byte for byte', () => {
    fc.assert(
      fc.property(markdown, (text) => {
        assert.equal(roundTrip(text), text);
      }),
      { numRuns: 2000 },
    );
  });

  it('re-writes only the region of the cell that was edited', () => {
    fc.assert(
      fc.property(markdown, fc.nat(), fc.string({ maxLength: 20 }), (text, pick, typed) => {
        const cells = lessonCells(text);
        const at = pick % cells.length;
        const cell = cells[at] as LessonCell;
        const value = `${typed.replace(/[`~\r]/g, '')}edited`;
        const edited = cells.map((c, i) => (i === at ? { ...c, value } : c));
        const saved = lessonText(edited, lineEndOf(text));
        const before = cells
          .slice(0, at)
          .map((c) => c.region?.raw ?? '')
          .join('');
        const after = cells
          .slice(at + 1)
          .map((c) => c.region?.raw ?? '')
          .join('');
        assert.ok(saved.startsWith(before), 'the regions before the edited cell are unchanged');
        assert.ok(saved.endsWith(after), 'the regions after the edited cell are unchanged');
        const middle = saved.slice(before.length, saved.length - after.length);
        assert.ok(middle.includes(value.split('\n')[0] ?? ''), 'the edit is written');
        // Read back, the edited cell has the new value and the others theirs.
        const again = lessonCells(saved);
        if (cell.kind !== 'markdown') {
          assert.deepEqual(
            again.map((c) => c.kind),
            cells.map((c) => c.kind),
          );
          assert.equal(again[at]?.value, value);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps CRLF, the fence, its info string and the indentation of an edited code cell', () => {
    const text = '1. Run:\r\n\r\n   ~~~~ SQL title="q"\r\n   SELECT 1;\r\n   ~~~~\r\n\r\nDone.'; // no final line end
    const cells = lessonCells(text);
    assert.deepEqual(
      cells.map((c) => c.kind),
      ['markdown', 'sql', 'markdown'],
    );
    const edited = cells.map((c) => (c.kind === 'sql' ? { ...c, value: 'SELECT 1;\nSELECT 2;' } : c));
    assert.equal(
      lessonText(edited, '\r\n'),
      '1. Run:\r\n\r\n   ~~~~ SQL title="q"\r\n   SELECT 1;\r\n   SELECT 2;\r\n   ~~~~\r\n\r\nDone.',
    );
  });

  it('writes a cell the user added as its own block, apart from its neighbours', () => {
    const text = '# T\n\n```sql\nSELECT 1;\n```\n';
    const cells: LessonCell[] = [
      ...lessonCells(text),
      { kind: 'shell', value: 'cockroach node status --insecure' },
      { kind: 'markdown', value: 'The end.' },
    ];
    const saved = lessonText(cells);
    assert.equal(saved, '# T\n\n```sql\nSELECT 1;\n```\n\n```sh\ncockroach node status --insecure\n```\n\nThe end.\n');
    assert.deepEqual(
      lessonCells(saved).map((c) => [c.kind, c.value]),
      [
        ['markdown', '# T'],
        ['sql', 'SELECT 1;'],
        ['shell', 'cockroach node status --insecure'],
        ['markdown', 'The end.'],
      ],
    );
  });

  it('lengthens the fence of an edited block whose content holds a fence', () => {
    const cells = lessonCells('```sql\nSELECT 1;\n```\n');
    const saved = lessonText(cells.map((c) => ({ ...c, value: "SELECT '\n```\n';" })));
    assert.equal(saved, "````sql\nSELECT '\n```\n';\n````\n");
    assert.equal(lessonCells(saved)[0]?.value, "SELECT '\n```\n';");
  });

  it('reads an empty file and a file of blank lines as one empty prose cell, and writes them back', () => {
    for (const text of ['', '\n', '\r\n\r\n', '   ']) {
      const cells = lessonCells(text);
      assert.equal(cells.length, 1);
      assert.equal(cells[0]?.value, '');
      assert.equal(roundTrip(text), text);
    }
  });
});
