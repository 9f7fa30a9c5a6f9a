// What an edit costs the lint, counted rather than timed: after an edit, only the edited
// statement and the statements that read what it changed are checked by the rules and applied
// to the schema model again; every other statement keeps its model changes and findings without
// being visited. The counts are the same in a file of 20 tables as of 1,000.
import * as assert from 'node:assert/strict';
import { documentStatements, StatementCache } from '../../server/src/analysis/statements';
import { defaultConfig } from '../../server/src/lint/config';
import { LintCache, lintFile, type LintFinding, type SourceFile } from '../../server/src/lint/engine';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticsEncoder } from '../../server/src/features/diagnostics';
import { KeyIndex } from '../../server/src/analysis/dependencies';

/** A table, its three indexes, and (after the first) a foreign key to the first table. */
function table(t: number): string {
  const reference = t === 0 ? '' : ', owner UUID REFERENCES t_0 (id)';
  return (
    `CREATE TABLE t_${t} (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), amount DECIMAL, memo STRING, note STRING, at TIMESTAMPTZ DEFAULT now()${reference});\n` +
    `CREATE INDEX t_${t}_by_note ON t_${t} (note);\n` +
    `CREATE INDEX t_${t}_by_amount ON t_${t} (amount);\n` +
    // A finding on every table (a sequential index): the diagnostics to keep, not encode again.
    `CREATE INDEX t_${t}_by_at ON t_${t} (at);\n`
  );
}

function schema(tables: number): string {
  let text = '';
  for (let t = 0; t < tables; t++) text += table(t);
  return text;
}

const summary = (findings: LintFinding[]): string[] => findings.map((f) => `${f.start}-${f.end} ${f.rule} ${f.message}`);

/** Lints `text`, then each edit of it in turn; the counts of the last lint, and its findings against a fresh lint's. */
function costOf(
  text: string,
  edits: ((text: string) => string)[],
): { checked: number; applied: number; replayed: number; encoded: number; changedStatements: number } {
  const statements = new StatementCache();
  const cache = new LintCache();
  const encoder = new DiagnosticsEncoder();
  let version = 0;
  let changedStatements = 0;
  const lint = (source: string): string[] => {
    // As the workspace gives it: with how the statements changed, when the cache knows.
    const file: SourceFile = { uri: 'file:///s.sql', text: source, statements: documentStatements(source, statements) };
    file.generation = statements.generation;
    if (statements.change?.to === statements.generation) file.change = statements.change;
    changedStatements = file.change ? file.change.newEnd - file.change.first : file.statements.length;
    const findings = lintFile(file, [], defaultConfig(), undefined, cache);
    encoder.encode(TextDocument.create('file:///s.sql', 'sql', ++version, source), findings);
    return summary(findings);
  };
  lint(text);
  for (const edit of edits) {
    text = edit(text);
    const incremental = lint(text);
    assert.deepEqual(incremental, summary(lintFile({ uri: 'file:///s.sql', text, statements: documentStatements(text) })));
  }
  return { ...cache.stats, encoded: encoder.lastBuilt, changedStatements };
}

/** Types a character into the memo column of a table, which no index names (`which`: which table). */
const typeInto =
  (which: (text: string) => number) =>
  (text: string): string => {
    const at = which(text);
    return `${text.slice(0, at)}x${text.slice(at)}`;
  };
/** Lints one open file as the language server does after each change: its statement cache and lint cache kept. */
function editorLint(): (source: string) => void {
  const statements = new StatementCache();
  const cache = new LintCache();
  return (source) => {
    const file: SourceFile = { uri: 'file:///s.sql', text: source, statements: documentStatements(source, statements) };
    file.generation = statements.generation;
    if (statements.change?.to === statements.generation) file.change = statements.change;
    lintFile(file, [], defaultConfig(), undefined, cache);
  };
}

const top = (text: string): number => text.indexOf('memo STRING');
const middle = (text: string): number => text.indexOf('memo STRING', text.length >> 1);
const end = (text: string): number => text.lastIndexOf('memo STRING');

describe('lint: the cost of an edit', () => {
  for (const [where, at] of [
    ['the top', top],
    ['the middle', middle],
    ['the end', end],
  ] as const) {
    it(`checks and applies the same few statements for an edit at ${where}, whatever the length of the file`, () => {
      const small = costOf(schema(20), [typeInto(at)]);
      const large = costOf(schema(1_000), [typeInto(at)]);
      // The edited CREATE TABLE, and its three CREATE INDEXes (they read the table).
      assert.deepEqual([small.applied, large.applied], [4, 4]);
      assert.ok(small.checked <= 4 && large.checked === small.checked, `checked ${small.checked} / ${large.checked}`);
      // Nothing else is replayed or even visited: the statements after them use none of what changed.
      assert.deepEqual([small.replayed, large.replayed], [0, 0]);
      // One statement re-split and re-parsed; no diagnostic encoded anew (none moved or changed).
      assert.deepEqual([small.changedStatements, large.changedStatements], [1, 1]);
      assert.deepEqual([small.encoded, large.encoded], [0, 0]);
    });
  }

  it('indexes only the statements it makes again on the first edit after opening, whatever the length of the file', () => {
    // The key index (what an edit reaches through) is made by the full pass, not by the first keystroke.
    const addsOnFirstEdit = (tables: number): number => {
      const add = Object.getOwnPropertyDescriptor(KeyIndex.prototype, 'add')?.value as (this: KeyIndex<never>, user: never) => void;
      let adds = 0;
      const lint = editorLint();
      const text = schema(tables);
      lint(text);
      KeyIndex.prototype.add = function (this: KeyIndex<never>, user: never): void {
        adds++;
        add.call(this, user);
      };
      try {
        lint(typeInto(top)(text));
      } finally {
        KeyIndex.prototype.add = add;
      }
      return adds;
    };
    const small = addsOnFirstEdit(20);
    assert.ok(small <= 4, `statements indexed: ${small}`);
    assert.equal(addsOnFirstEdit(1_000), small);
  });

  it('moves no list in proportion to the file for an edit at the top (the key index files the statements made again in place)', () => {
    // Elements a splice shifted (one that removes as many as it inserts shifts none), during the lint of the edit.
    const shiftedOnEdit = (tables: number): number => {
      const splice = Object.getOwnPropertyDescriptor(Array.prototype, 'splice')?.value as (...args: unknown[]) => unknown[];
      let shifted = 0;
      const lint = editorLint();
      let text = schema(tables);
      lint(text);
      text = typeInto(top)(text);
      Object.defineProperty(Array.prototype, 'splice', {
        configurable: true,
        writable: true,
        value: function (this: unknown[], ...args: unknown[]): unknown[] {
          const start = Math.min(Math.max(Number(args[0] ?? 0), 0), this.length);
          const removed = Math.min(args.length > 1 ? Number(args[1]) : this.length - start, this.length - start);
          const inserted = Math.max(args.length - 2, 0);
          if (removed !== inserted) shifted += this.length - start - removed;
          return splice.apply(this, args);
        },
      });
      try {
        lint(text);
      } finally {
        Object.defineProperty(Array.prototype, 'splice', { configurable: true, writable: true, value: splice });
      }
      return shifted;
    };
    const small = shiftedOnEdit(20);
    const large = shiftedOnEdit(1_000);
    assert.ok(large <= small, `elements shifted: ${small} in 20 tables, ${large} in 1,000`);
  });

  it('checks again what reads the edited table: the indexes on it and the tables whose foreign keys reference it', () => {
    const text = schema(50);
    // A column of t_0 renamed: its indexes are applied again, and the foreign keys to it are checked again.
    const cost = costOf(text, [(source) => source.replace('id UUID PRIMARY KEY', 'key UUID PRIMARY KEY')]);
    assert.equal(cost.applied, 4);
    assert.ok(cost.checked >= 4, `checked ${cost.checked}`);
  });

  it('gives a fresh lint’s findings while typing and deleting at the top, and after the first table is renamed and back', () => {
    const text = schema(30);
    const edits = [
      typeInto(top),
      (source: string) => source.replace('xmemo', 'memo'),
      (source: string) => source.replace('CREATE TABLE t_0 ', 'CREATE TABLE t_0_renamed '),
      (source: string) => source.replace('CREATE TABLE t_0_renamed ', 'CREATE TABLE t_0 '),
      (source: string) => `USE other;\n${source}`,
      (source: string) => source.replace('USE other;\n', ''),
    ];
    costOf(text, edits);
  });
});
