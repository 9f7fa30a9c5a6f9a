// The statement split told where the text changed (from the editor's edits, as the server sees
// them) instead of comparing texts: on random edits over LF, CRLF and CR text, one or several
// changes per version and several versions between splits, it gives the statements a fresh
// split gives, and the span it is told about is one outside which the texts are equal.
import * as assert from 'node:assert/strict';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { EditRegion, updateTelling } from '../../server/src/analysis/editRegion';
import { suppressedForFile } from '../../server/src/lint/suppression';
import { Workspace } from '../../server/src/workspace';
import { documentStatements, documentStatementsOnce, StatementCache, type DocumentStatement } from '../../server/src/analysis/statements';
import { seededRandom as random } from '../support/random';

const placed = (statements: DocumentStatement[]): [number, string, string][] =>
  statements.map((s) => [s.offset + s.parsed.start, s.text.slice(s.parsed.start, s.parsed.end), s.parsed.statement.type]);

const PIECES = [
  'CREATE TABLE t (id INT PRIMARY KEY);',
  'SELECT 1;',
  ';',
  '-- note',
  "'a;b'",
  'x',
  ' ',
  '\n',
  '\r\n',
  '\r',
  'INSERT INTO t VALUES (1);',
  '/* c; */',
];

function randomChange(document: TextDocument, next: () => number): TextDocumentContentChangeEvent {
  const text = document.getText();
  if (next() < 0.03) return { text: PIECES.slice(0, 1 + Math.floor(next() * PIECES.length)).join('\n') };
  const a = Math.floor(next() * (text.length + 1));
  const b = Math.min(text.length, a + Math.floor(next() * 12));
  const inserted = next() < 0.4 ? '' : (PIECES[Math.floor(next() * PIECES.length)] ?? '');
  const start = document.positionAt(a);
  const end = document.positionAt(b);
  // Sometimes the range comes with its ends swapped, as LSP allows.
  return { range: next() < 0.1 ? { start: end, end: start } : { start, end }, text: inserted };
}

describe('statement split told the edited span', () => {
  for (const newline of ['\n', '\r\n', '\r']) {
    it(`matches a fresh split on random edits (${JSON.stringify(newline)} lines)`, () => {
      const next = random(newline.length * 7919 + newline.charCodeAt(0));
      const base = PIECES.slice(0, 11).join(newline).repeat(4);
      const document = TextDocument.create('file:///a.sql', 'sql', 0, base);
      const cache = new StatementCache();
      documentStatements(base, cache);
      let region = new EditRegion();
      let splitFrom = base;
      for (let version = 1; version <= 400; version++) {
        const changes = Array.from({ length: 1 + Math.floor(next() * 3) }, () => randomChange(document, next));
        // Each change is made on the text the ones before it left, as the client sends them.
        updateTelling(document, [], version, () => assert.fail('no edit'));
        for (const change of changes)
          updateTelling(document, [change], version, (s, e, n) => {
            region.replace(s, e, n);
          });
        const text = document.getText();
        const changed = region.changed;
        if (changed) {
          assert.equal(text.slice(0, changed.start), splitFrom.slice(0, changed.start));
          assert.equal(text.slice(changed.end), splitFrom.slice(splitFrom.length - (text.length - changed.end)));
        } else assert.equal(text, splitFrom);
        if (next() < 0.5) continue; // several versions between two splits
        const statements = documentStatements(text, cache, { changed });
        assert.deepEqual(placed(statements), placed(documentStatementsOnce(text)), `version ${version}`);
        region = new EditRegion();
        splitFrom = text;
      }
    });
  }
});

describe('workspace told the edits of an open document', () => {
  it('splits it and reads its file-wide suppressions as a fresh read of the text does', () => {
    const next = random(42);
    const workspace = new Workspace();
    const uri = 'file:///w/a.sql';
    const document = TextDocument.create(uri, 'sql', 0, PIECES.slice(0, 11).join('\n').repeat(3));
    workspace.open(document);
    // A file-wide suppression typed in two edits (its mark made only by the second), and
    // sometimes broken again by an edit inside it.
    let pending: { at: number; text: string } | undefined;
    let marks = 0;
    for (let version = 1; version <= 300; version++) {
      const text = document.getText();
      let at = Math.floor(next() * (text.length + 1));
      let b = Math.min(text.length, at + Math.floor(next() * 6));
      let inserted = next() < 0.5 ? (PIECES[Math.floor(next() * PIECES.length)] ?? '') : '';
      const existing = text.indexOf('crdb-studio-ignore-file');
      if (pending) {
        ({ at, text: inserted } = pending);
        b = at;
        pending = undefined;
      } else if (existing !== -1 && next() < 0.3) {
        at = existing + Math.floor(next() * 23);
        b = at + 1;
        inserted = '';
      } else if (next() < 0.2) {
        b = at;
        inserted = '\n-- crdb-studio-ig';
        pending = { at: at + inserted.length, text: 'nore-file no-select-star\n' };
      }
      const range = { start: document.positionAt(at), end: document.positionAt(b) };
      updateTelling(document, [{ range, text: inserted }], version, (s, e, n) => {
        workspace.edit(uri, s, e, n);
      });
      workspace.change(document);
      if (next() < 0.3) continue;
      const file = workspace.file(uri);
      assert.ok(file);
      const now = document.getText();
      assert.deepEqual([...(file.fileSuppressed ?? [])], [...suppressedForFile(now)], `version ${version}`);
      if (suppressedForFile(now).size > 0) marks++;
      assert.deepEqual(placed([...file.statements]), placed(documentStatementsOnce(now)), `version ${version}`);
    }
    assert.ok(marks > 0, 'some versions held a file-wide suppression');
  });
});
