// The server's open documents keep their text in chunks (server/src/analysis/chunkedDocument.ts)
// so that a keystroke does not copy the whole text. On random edits over LF, CRLF and CR text,
// small and large, the chunked document answers as vscode-languageserver-textdocument's does
// (text, positions, offsets, lines); the statement split read from it in pieces gives what a
// fresh split of the plain text gives; and an edit followed by the lint and the diagnostics never
// joins the whole text.
import * as assert from 'node:assert/strict';
import { TextDocument, type Position, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { ChunkedDocument } from '../../server/src/analysis/chunkedDocument';
import { EditRegion } from '../../server/src/analysis/editRegion';
import { documentStatements, StatementCache, type DocumentStatement } from '../../server/src/analysis/statements';
import { DiagnosticsEncoder } from '../../server/src/features/diagnostics';
import { Workspace } from '../../server/src/workspace';
import { seededRandom as random } from '../support/random';

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
  '\r\r\n\n',
  'é€',
];

function randomText(next: () => number, pieces: number): string {
  let text = '';
  for (let i = 0; i < pieces; i++) text += PIECES[Math.floor(next() * PIECES.length)] ?? '';
  return text;
}

function randomChange(text: string, reference: TextDocument, next: () => number): TextDocumentContentChangeEvent {
  if (next() < 0.01) return { text: randomText(next, Math.floor(next() * 3000)) };
  const a = Math.floor(next() * (text.length + 1));
  // Mostly short deletions; now and then a long one, across many chunks.
  const span = next() < 0.05 ? Math.floor(next() * 40_000) : Math.floor(next() * 8);
  const b = Math.min(text.length, a + (next() < 0.5 ? 0 : span));
  const inserted =
    next() < 0.05 ? randomText(next, Math.floor(next() * 2000)) : next() < 0.6 ? randomText(next, 1 + Math.floor(next() * 2)) : '';
  const [start, end] = next() < 0.1 ? [b, a] : [a, b]; // ranges may come with their ends swapped
  // A position past its line's end is allowed too (it is clamped).
  const startPosition = reference.positionAt(start);
  const endPosition: Position = next() < 0.05 ? { line: reference.positionAt(end).line, character: 100_000 } : reference.positionAt(end);
  return { range: { start: startPosition, end: endPosition }, text: inserted };
}

const placed = (statements: DocumentStatement[]): [number, string, string][] =>
  statements.map((s) => [s.offset + s.parsed.start, s.text.slice(s.parsed.start, s.parsed.end), s.parsed.statement.type]);

function sameAnswers(chunked: ChunkedDocument, reference: TextDocument, next: () => number): void {
  const text = reference.getText();
  assert.equal(chunked.length, text.length);
  assert.equal(chunked.lineCount, reference.lineCount);
  for (let k = 0; k < 30; k++) {
    const offset = Math.floor(next() * (text.length + 3)) - 1;
    assert.deepEqual(chunked.positionAt(offset), reference.positionAt(offset), `positionAt(${offset})`);
    const line = Math.floor(next() * (reference.lineCount + 2)) - 1;
    const position = { line, character: Math.floor(next() * 12) };
    assert.equal(chunked.offsetAt(position), reference.offsetAt(position), `offsetAt(${JSON.stringify(position)})`);
    assert.deepEqual(chunked.getLineRange(line), reference.getLineRange(line), `getLineRange(${line})`);
    assert.equal(chunked.getEOLCharacters(line), reference.getEOLCharacters(line), `getEOLCharacters(${line})`);
    const other = reference.positionAt(Math.floor(next() * (text.length + 1)));
    const range = { start: position, end: other };
    assert.equal(chunked.getText(range), reference.getText(range));
  }
}

describe('ChunkedDocument', () => {
  for (const [name, pieces, edits] of [
    ['a small text', 20, 400],
    ['a text of many chunks', 8000, 300],
  ] as const) {
    it(`answers as TextDocument through random edits of ${name}`, () => {
      for (let seed = 1; seed <= 4; seed++) {
        const next = random(seed * 7919 + pieces);
        const initial = randomText(next, pieces);
        const chunked = new ChunkedDocument('file:///a.sql', 'sql', 1, initial);
        let reference = TextDocument.create('file:///a.sql', 'sql', 1, initial);
        for (let i = 0; i < edits; i++) {
          const change = randomChange(reference.getText(), reference, next);
          const told: [number, number, number][] = [];
          chunked.update([change], i + 2, (start, end, inserted) => told.push([start, end, inserted]));
          const before = reference.getText();
          reference = TextDocument.update(reference, [change], i + 2);
          assert.equal(chunked.version, reference.version);
          // The edit told is the one made: the text before it, with [start, end) replaced, is the text after.
          const [[start, end, inserted]] = told as [[number, number, number]];
          const after = reference.getText();
          assert.equal(before.slice(0, start) + after.slice(start, start + inserted) + before.slice(end), after);
          if (i % 10 === 0 || after.length < 2000) sameAnswers(chunked, reference, next);
          if (i % 25 === 0) assert.equal(chunked.getText(), after, `seed ${seed}, edit ${i}`);
        }
        assert.equal(chunked.getText(), reference.getText());
      }
    });
  }

  it('is split into statements, in pieces, as a fresh split of its text', () => {
    for (let seed = 1; seed <= 3; seed++) {
      const next = random(seed);
      const document = new ChunkedDocument('file:///a.sql', 'sql', 1, randomText(next, 3000));
      const cache = new StatementCache();
      let region = new EditRegion();
      documentStatements(document, cache);
      for (let i = 0; i < 200; i++) {
        const change = randomChange(document.getText(), TextDocument.create('file:///a.sql', 'sql', 1, document.getText()), next);
        document.update([change], i + 2, (start, end, inserted) => {
          region.replace(start, end, inserted);
        });
        // Splits now and then, several edits apart, as the server does after a pause in typing.
        if (next() < 0.3) {
          const statements = documentStatements(document, cache, { changed: region.changed });
          region = new EditRegion();
          assert.deepEqual(placed(statements), placed(documentStatements(document.getText())), `seed ${seed}, edit ${i}`);
        }
      }
    }
  });

  it('is not read whole by an edit, its lint and its diagnostics', () => {
    // As bench/schema.mjs: each table's index on a timestamp is a finding (sequential-index).
    const lines: string[] = [];
    for (let t = 0; t < 300; t++)
      lines.push(
        `CREATE TABLE t${t} (\n  id UUID NOT NULL DEFAULT gen_random_uuid(),\n  amount DECIMAL(12, 2),\n  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),\n  PRIMARY KEY (id)\n);`,
        `CREATE INDEX t${t}_by_time ON t${t} (created_at);`,
      );
    const text = lines.join('\n') + '\n';
    const uri = 'file:///bench/schema.sql';
    const workspace = new Workspace();
    const document = new ChunkedDocument(uri, 'sql', 1, text);
    workspace.open(document);
    const encoder = new DiagnosticsEncoder();
    assert.equal(encoder.encode(document, workspace.lint(uri)?.findings ?? []).length, 300);
    const at = document.positionAt(text.indexOf('amount', text.length >> 1));
    const joins = document.joins;
    for (let i = 0; i < 40; i++) {
      const range = i % 2 === 0 ? { start: at, end: at } : { start: at, end: { line: at.line, character: at.character + 1 } };
      document.update([{ range, text: i % 2 === 0 ? 'x' : '' }], i + 2, (start, end, inserted) => {
        workspace.edit(uri, start, end, inserted);
      });
      workspace.change(document);
      const result = workspace.lint(uri);
      assert.ok(result);
      encoder.encode(document, result.findings);
    }
    assert.ok(encoder.lastBuilt < 300, 'the diagnostics were compared with the last ones, not all built anew');
    assert.equal(document.joins, joins, 'the whole text was joined from its chunks during the edits');
    // The lint's findings are those of a fresh lint of the same text.
    const fresh = new Workspace();
    fresh.open(TextDocument.create(uri, 'sql', 1, document.getText()));
    const strip = (findings: { rule: string; start: number; end: number; message: string }[]): string[] =>
      findings.map((f) => `${f.rule}@${f.start}-${f.end}: ${f.message}`);
    assert.deepEqual(strip(workspace.lint(uri)?.findings ?? []), strip(fresh.lint(uri)?.findings ?? []));
  });
});
