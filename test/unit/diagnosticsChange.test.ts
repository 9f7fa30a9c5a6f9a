// The diagnostics of an open document after an edit, as the server makes them: the lint patches
// its findings list at the statements it visited (FindingList) and the encoder compares only the
// findings the lint changed and those on the lines the text changed on. Whatever the edits, the
// diagnostics must equal a fresh lint's, freshly encoded; and an edit at the top of a long file
// must list and compare as few findings as in a short one (counted, not timed).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ChunkedDocument } from '../../server/src/analysis/chunkedDocument';
import { DiagnosticsEncoder, toDiagnostic } from '../../server/src/features/diagnostics';
import { Workspace } from '../../server/src/workspace';

const uri = 'file:///schema.sql';

/** Tables with findings on several statements: sequential indexes, a redundant index (a shape finding), a syntax error. */
function schema(tables: number, eol = '\n'): string {
  const lines: string[] = [];
  for (let t = 0; t < tables; t++) {
    lines.push(
      `CREATE TABLE t_${t} (`,
      '  id UUID NOT NULL DEFAULT gen_random_uuid(),',
      '  amount DECIMAL(12, 2) NOT NULL DEFAULT 0, note STRING,',
      '  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),',
      '  PRIMARY KEY (id)',
      `); CREATE INDEX t_${t}_by_time ON t_${t} (created_at);`,
    );
    if (t % 3 === 1)
      lines.push(`CREATE INDEX t_${t}_by_note ON t_${t} (note); CREATE INDEX t_${t}_by_note_at ON t_${t} (note, created_at);`);
    if (t % 4 === 2) lines.push(`-- crdb-studio-ignore sequential-index: reason`, `CREATE INDEX t_${t}_by_at ON t_${t} (created_at, id);`);
  }
  return lines.join(eol) + eol;
}

/** The diagnostics a fresh workspace gives the text: what the incremental ones must equal. */
function fresh(text: string): unknown[] {
  const workspace = new Workspace();
  const document = TextDocument.create(uri, 'sql', 1, text);
  workspace.open(document);
  return (workspace.lint(uri)?.findings ?? []).map((finding, index) => toDiagnostic(document, finding, index));
}

/** An open document, its workspace and encoder, as the server keeps them. */
function opened(text: string): {
  document: ChunkedDocument;
  workspace: Workspace;
  encoder: DiagnosticsEncoder;
  edit: (start: number, end: number, inserted: string, version: number) => void;
  encode: () => unknown[];
} {
  const workspace = new Workspace();
  const document = new ChunkedDocument(uri, 'sql', 1, text);
  workspace.open(document);
  const encoder = new DiagnosticsEncoder();
  const encode = (): unknown[] => {
    const result = workspace.lint(uri);
    assert.ok(result);
    return encoder.encode(document, result.findings, result.change);
  };
  const edit = (start: number, end: number, inserted: string, version: number): void => {
    const range = { start: document.positionAt(start), end: document.positionAt(end) };
    document.update([{ range, text: inserted }], version, (from, to, length) => {
      workspace.edit(uri, from, to, length);
    });
    workspace.change(document);
  };
  return { document, workspace, encoder, edit, encode };
}

const PIECES = [
  'x',
  ' ',
  ';',
  '(',
  ')',
  "'",
  '\n',
  '\r\n',
  '\r',
  '',
  '-- crdb-studio-ignore sequential-index\n',
  'CREATE INDEX i ON t_1 (created_at);',
];

const SWAPS: [string, string][] = [
  ['TIMESTAMPTZ', 'TIMESTAMP'],
  ['TIMESTAMP ', 'TIMESTAMPTZ '],
  ['now()', 'current_timestamp()'],
  ['current_timestamp()', 'now()'],
  ['(created_at)', '(note)'],
];

/** Where the nth occurrence of `word` is (or the last, or -1). */
function nth(text: string, word: string, n: number): number {
  let at = text.indexOf(word);
  for (let i = 0; i < n && at !== -1; i++) {
    const next = text.indexOf(word, at + 1);
    if (next === -1) break;
    at = next;
  }
  return at;
}

describe('diagnostics after an edit, from the changed findings and lines only', () => {
  it('equal a fresh lint’s, freshly encoded, through random edits (several per lint, lints without an encode)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 9 }),
        fc.constantFrom('\n', '\r\n'),
        fc.array(
          fc.record({
            at: fc.double({ min: 0, max: 1, noNaN: true }),
            removed: fc.oneof(fc.constant(0), fc.constant(1), fc.nat(40)),
            text: fc.constantFrom(...PIECES),
            // Or a word of a column replaced (the nth): the findings of the indexes on it change, far from the edit.
            swap: fc.option(fc.tuple(fc.integer({ min: 0, max: SWAPS.length - 1 }), fc.nat(4)), { freq: 3 }),
            // What follows the edit: an encode (as a pull), nothing yet (edits pile up), or a lint alone (hover).
            then: fc.constantFrom('encode', 'encode', 'encode', 'none', 'lint'),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (tables, eol, edits) => {
          const { document, workspace, edit, encode } = opened(schema(tables, eol));
          encode();
          let version = 1;
          for (const step of edits) {
            const start = Math.floor(document.length * step.at);
            const [from, to] = step.swap ? (SWAPS[step.swap[0]] ?? ['', '']) : ['', ''];
            const found = step.swap ? nth(document.getText(), from, step.swap[1]) : -1;
            if (found !== -1) edit(found, found + from.length, to, ++version);
            else edit(start, Math.min(document.length, start + step.removed), step.text, ++version);
            if (step.then === 'lint') workspace.lint(uri);
            if (step.then === 'encode') assert.deepEqual(encode(), fresh(document.getText()));
          }
          assert.deepEqual(encode(), fresh(document.getText()));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('equal a fresh lint’s after statements come twice before a statement that has a shape finding', () => {
    // Found by the property above: the shape findings are placed by statement index, which the first new statement moved.
    const { document, edit, encode } = opened(schema(2));
    encode();
    edit(0, 0, 'CREATE INDEX i ON t_1 (created_at);', 2);
    edit(0, 0, 'x', 3);
    assert.deepEqual(encode(), fresh(document.getText()));
    edit(document.length - 1, document.length - 1, 'x', 4);
    assert.deepEqual(encode(), fresh(document.getText()));
  });

  it('lists and compares as few findings for an edit at the top of 2,000 tables as of 20', () => {
    const cost = (tables: number): { listed: number; compared: number; built: number; total: number } => {
      const text = schema(tables);
      const { document, workspace, encoder, edit, encode } = opened(text);
      const total = encode().length;
      // A letter typed into the first table's amount column, then deleted: no line moves.
      const at = text.indexOf('amount DECIMAL');
      edit(at, at, 'x', 2);
      encode();
      edit(at, at + 1, '', 3);
      const diagnostics = encode();
      assert.deepEqual(diagnostics, fresh(document.getText()));
      const listing = (
        workspace as unknown as { entries: Map<string, { lintCache?: { session?: { listing?: { lastListed: number } } } }> }
      ).entries.get(uri)?.lintCache?.session?.listing;
      assert.ok(listing);
      return { listed: listing.lastListed, compared: encoder.lastCompared, built: encoder.lastBuilt, total };
    };
    const small = cost(20);
    const large = cost(2_000);
    assert.ok(large.total > 2_000, `a finding or more per table (${large.total})`);
    // The statements the edit reached (the table and its indexes), and no more in the long file.
    assert.equal(large.listed, small.listed);
    assert.ok(large.listed <= 6, `statements listed again: ${large.listed}`);
    // The findings of those statements and of the edited line, and no more in the long file.
    assert.equal(large.compared, small.compared);
    assert.ok(large.compared <= 6, `findings compared: ${large.compared}`);
    assert.deepEqual([small.built, large.built], [0, 0]);
  });

  for (const [typed, what] of [
    ['@', 'a syntax error'],
    ['(', 'a syntax error and a missing primary key (a shape finding)'],
    [';', 'a statement split in two (every later statement one place on)'],
  ] as const)
    it(`lists and encodes as few findings for ${what} typed at the top of 2,000 tables as of 20 (the list is spliced)`, () => {
      const cost = (tables: number): { listed: number; compared: number; built: number } => {
        const text = schema(tables);
        const { document, workspace, encoder, edit, encode } = opened(text);
        const before = encode().length;
        // A character no column name starts with: syntax errors (and a finding) more, every later finding places on.
        const at = text.indexOf('amount DECIMAL');
        edit(at, at, typed, 2);
        const diagnostics = encode();
        assert.ok(diagnostics.length > before);
        assert.deepEqual(diagnostics, fresh(document.getText()));
        const listing = (
          workspace as unknown as { entries: Map<string, { lintCache?: { session?: { listing?: { lastListed: number } } } }> }
        ).entries.get(uri)?.lintCache?.session?.listing;
        assert.ok(listing);
        return { listed: listing.lastListed, compared: encoder.lastCompared, built: encoder.lastBuilt };
      };
      const small = cost(20);
      const large = cost(2_000);
      assert.deepEqual(large, small);
      assert.ok(large.listed <= 6 && large.compared <= 6, `listed ${large.listed}, compared ${large.compared}`);
      assert.ok(large.built <= 4, `built ${large.built}: the new findings’ diagnostics`);
    });

  it('lints a later file against an earlier open file as edited (whose statement list changes in place)', () => {
    const workspace = new Workspace();
    const first = 'file:///001.sql';
    const second = 'file:///002.sql';
    const earlier = new ChunkedDocument(first, 'sql', 1, 'CREATE TABLE a (id INT PRIMARY KEY, at TIMESTAMPTZ DEFAULT now());\nSELECT 1;\n');
    const later = new ChunkedDocument(second, 'sql', 1, 'CREATE INDEX a_by_at ON a (at);\n');
    workspace.open(earlier);
    workspace.open(later);
    const lintOf = (space: Workspace): string[] => (space.lint(second)?.findings ?? []).map((f) => `${f.rule}@${f.start}: ${f.message}`);
    const freshOf = (): string[] => {
      const fresh = new Workspace();
      fresh.open(TextDocument.create(first, 'sql', 1, earlier.getText()));
      fresh.open(TextDocument.create(second, 'sql', 1, later.getText()));
      return lintOf(fresh);
    };
    assert.deepEqual(lintOf(workspace), freshOf());
    const statements = workspace.file(first)?.statements;
    // The column's type changed in the earlier file: the index in the later one is no longer sequential.
    for (const [version, [from, to]] of [
      [2, ['TIMESTAMPTZ', 'STRING']],
      [3, ['STRING', 'TIMESTAMPTZ']],
    ] as const) {
      const at = earlier.getText().indexOf(from);
      const range = { start: earlier.positionAt(at), end: earlier.positionAt(at + from.length) };
      earlier.update([{ range, text: to }], version, (start, end, length) => {
        workspace.edit(first, start, end, length);
      });
      workspace.change(earlier);
      assert.equal(workspace.file(first)?.statements, statements, 'the same list, changed in place');
      assert.deepEqual(lintOf(workspace), freshOf());
    }
  });

  it('moves the diagnostics after a line break typed at the top by a line (copies, not encodings), comparing as few in 2,000 tables as in 20', () => {
    const cost = (tables: number): { compared: number; built: number; copied: number; total: number } => {
      const text = schema(tables);
      const { document, encoder, edit, encode } = opened(text);
      const total = encode().length;
      edit(text.indexOf('amount'), text.indexOf('amount'), '\n', 2);
      assert.deepEqual(encode(), fresh(document.getText()));
      return { compared: encoder.lastCompared, built: encoder.lastBuilt, copied: encoder.lastCopied, total };
    };
    const small = cost(20);
    const large = cost(2_000);
    assert.equal(large.compared, small.compared);
    assert.ok(large.compared <= 6, `compared ${large.compared}`);
    assert.deepEqual([small.built, large.built], [0, 0]);
    // Every diagnostic after the edit is one line down.
    assert.equal(large.copied, large.total);
  });
});
