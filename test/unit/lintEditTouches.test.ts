// What an edit at the top of a long file touches among the findings of the statements after it,
// counted: a one-character insert moves every later offset, yet no finding object is written to
// (each reads its offsets from its statement, which the statement list moved) and none is made
// again but those of the edited statement. Counted by wrapping every finding's offsets in
// accessors that count the writes, then checked against a fresh lint.
import * as assert from 'node:assert/strict';
import { documentStatements, StatementCache } from '../../server/src/analysis/statements';
import { defaultConfig } from '../../server/src/lint/config';
import { LintCache, lintFile, type LintFinding, type SourceFile } from '../../server/src/lint/engine';

/** A table with a sequential index (one finding per table) and another index. */
function schema(tables: number): string {
  let text = '';
  for (let t = 0; t < tables; t++)
    text +=
      `CREATE TABLE t_${t} (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), amount DECIMAL, at TIMESTAMPTZ DEFAULT now());\n` +
      `CREATE INDEX t_${t}_by_amount ON t_${t} (amount);\n` +
      `CREATE INDEX t_${t}_by_at ON t_${t} (at);\n`;
  return text;
}

const OFFSETS = ['start', 'end', 'offset', 'statementStart'] as const;

/** Makes every write to a finding's offsets count, keeping what reading them answers. */
function countWrites(findings: readonly LintFinding[]): { writes: number } {
  const counter = { writes: 0 };
  for (const finding of findings)
    for (const key of OFFSETS) {
      // The property as it was, kept aside: a getter there is read with the finding as `this`.
      const own = Object.getOwnPropertyDescriptor(finding, key);
      const original: Record<string, unknown> = {};
      if (own) Object.defineProperty(original, key, own);
      const computed = own?.set === undefined && own !== undefined && !('value' in own);
      let stored = finding[key];
      Object.defineProperty(finding, key, {
        enumerable: true,
        configurable: true,
        get: computed ? () => Reflect.get(original, key, finding) as number : () => stored,
        set: (value: number) => {
          counter.writes++;
          stored = value;
        },
      });
    }
  return counter;
}

const summary = (findings: readonly LintFinding[]): string[] =>
  findings.map((f) => `${f.start}-${f.end} ${f.offset} ${f.statementStart} ${f.rule}`);

describe('lint: what an edit at the top of a long file touches', () => {
  it('writes to no finding after the edit and makes again only the edited statement’s', () => {
    const statements = new StatementCache();
    const cache = new LintCache();
    const lint = (text: string): LintFinding[] => {
      const file: SourceFile = { uri: 'file:///s.sql', text, statements: documentStatements(text, statements) };
      file.generation = statements.generation;
      if (statements.change?.to === statements.generation) file.change = statements.change;
      return lintFile(file, [], defaultConfig(), undefined, cache);
    };
    let text = schema(2_000);
    const before = lint(text);
    assert.ok(before.length >= 2_000, `a finding per table (${before.length})`);
    const counter = countWrites(before);
    const at = text.indexOf('amount DECIMAL');
    text = `${text.slice(0, at)}x${text.slice(at)}`;
    const after = lint(text);

    const kept = new Set(before);
    const made = after.filter((finding) => !kept.has(finding)).length;
    assert.equal(counter.writes, 0, 'writes to the offsets of findings after the edit');
    assert.ok(made <= 2, `findings made again: ${made} (the edited statement has at most 2)`);
    assert.deepEqual(summary(after), summary(lintFile({ uri: 'file:///s.sql', text, statements: documentStatements(text) })));
  });
});
