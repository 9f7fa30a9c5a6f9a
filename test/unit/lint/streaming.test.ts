// The CLI reads each file as a stream of statements (StreamingLintSequence), checking each one
// as soon as it is parsed instead of parsing the whole file first. Its findings must be those of
// the whole-file path (LintSequence over documentStatementsOnce), finding for finding, on the
// real migrations, the rule fixtures, and on transactions whose BEGIN looks ahead to its COMMIT.
import * as assert from 'node:assert/strict';
import { documentStatementsOnce } from '../../../server/src/analysis/statements';
import { defaultConfig, type LintConfig } from '../../../server/src/lint/config';
import { LintSequence, type LintFinding } from '../../../server/src/lint/engine';
import { StreamingLintSequence } from '../../../server/src/lint/stream';
import { realSequences, ruleFixtureFiles } from '../../support/lintFixtures';

/** Both paths over the same files in order, one model each: the findings of every file, per path. */
function bothPaths(files: { uri: string; text: string }[], config: LintConfig): { whole: LintFinding[][]; streamed: LintFinding[][] } {
  const whole = new LintSequence(config);
  const streaming = new StreamingLintSequence(config);
  return {
    whole: files.map(({ uri, text }) => whole.lint({ uri, text, statements: documentStatementsOnce(text) })),
    streamed: files.map(({ uri, text }) => streaming.lint(uri, text)),
  };
}

function count(findings: LintFinding[][]): number {
  return findings.reduce((sum, list) => sum + list.length, 0);
}

describe('streaming lint (the CLI path)', () => {
  it('finds what the whole-file path finds on every real project, file for file', () => {
    let files = 0;
    let findings = 0;
    for (const { project, config, files: texts } of realSequences()) {
      const { whole, streamed } = bothPaths(texts, config);
      assert.deepEqual(streamed, whole, `${project}: ${texts.map((t) => t.uri).join(', ')}`);
      files += texts.length;
      findings += count(whole);
    }
    // The comparison covered real material: every project's files, and findings to compare.
    assert.ok(files >= 100, `${files} files compared`);
    assert.ok(findings >= 100, `${findings} findings compared`);
  });

  it('keeps its findings as stored values (a one-shot lint has no statements to follow)', () => {
    const text =
      'CREATE TABLE t (id SERIAL PRIMARY KEY, v INT8);\nCREATE INDEX ON t (id);\nCREATE TABLE u (x INT8) INTERLEAVE IN PARENT t (x);\n';
    const findings = new StreamingLintSequence(defaultConfig()).lint('a.sql', text);
    assert.ok(findings.length >= 3, JSON.stringify(findings));
    for (const finding of findings)
      for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(finding)))
        assert.ok('value' in descriptor, `${finding.rule}: ${key} is a getter`);
  });

  it('finds what the whole-file path finds on every rule fixture', () => {
    const fixtures = ruleFixtureFiles();
    const { whole, streamed } = bothPaths(fixtures, defaultConfig());
    assert.deepEqual(streamed, whole);
    assert.ok(count(whole) >= fixtures.length, `${count(whole)} findings on ${fixtures.length} fixtures`);
  });

  it('checks a BEGIN with the statements up to its COMMIT, and an unfinished one with the rest of the file', () => {
    const text = [
      'CREATE TABLE t (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), v INT8);',
      'BEGIN;',
      'SELECT v FROM t;',
      'COMMIT;',
      'BEGIN;',
      'ALTER TABLE t ADD COLUMN w INT8;',
      'INSERT INTO t (v) VALUES (1);',
      'COMMIT;',
      // More than one batch of statements between a BEGIN and its COMMIT.
      'BEGIN;',
      ...Array.from({ length: 80 }, (_, i) => `SELECT v FROM t WHERE v = ${i};`),
      'COMMIT;',
      'BEGIN;',
      'SELECT v FROM t;',
      ...Array.from(
        { length: 40 },
        (_, i) => `CREATE TABLE u${i} (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), at TIMESTAMPTZ DEFAULT now());`,
      ),
      'BEGIN;',
      'SELECT 1;',
    ].join('\n');
    const { whole, streamed } = bothPaths([{ uri: 'transactions.sql', text }], defaultConfig());
    assert.deepEqual(streamed, whole);
    const rules = new Set(whole[0]?.map((finding) => finding.rule));
    // Both look-ahead rules fired: the comparison covers what depends on statements after the BEGIN.
    assert.ok(rules.has('read-only-transaction'), [...rules].join(', '));
    assert.ok(rules.has('schema-change-in-transaction'), [...rules].join(', '));
  });
});
