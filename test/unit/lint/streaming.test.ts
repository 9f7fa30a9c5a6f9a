// The CLI reads each file as a stream of statements (StreamingLintSequence), checking each one
// as soon as it is parsed instead of parsing the whole file first. Its findings must be those of
// the whole-file path (LintSequence over documentStatementsOnce), finding for finding, on the
// real migrations, the rule fixtures, and on transactions whose BEGIN looks ahead to its COMMIT.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { documentStatementsOnce } from '../../../server/src/analysis/statements';
import { defaultConfig, readConfig, type LintConfig } from '../../../server/src/lint/config';
import { LintSequence, type LintFinding } from '../../../server/src/lint/engine';
import { StreamingLintSequence } from '../../../server/src/lint/stream';
import { repoRoot } from '../../support/tools';

const REAL = path.join(repoRoot, 'test', 'fixtures', 'real');
const RULES = path.join(repoRoot, 'test', 'fixtures', 'rules');

interface Project {
  dir: string;
  sequences: string[][];
  cockroachVersion?: string;
}

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
    const projects = (JSON.parse(readFileSync(path.join(REAL, 'manifest.json'), 'utf8')) as { projects: Project[] }).projects;
    let files = 0;
    let findings = 0;
    for (const project of projects) {
      const config = project.cockroachVersion ? readConfig({ cockroachVersion: project.cockroachVersion }).config : defaultConfig();
      for (const sequence of project.sequences) {
        const texts = sequence.map((file) => ({ uri: file, text: readFileSync(path.join(REAL, project.dir, file), 'utf8') }));
        const { whole, streamed } = bothPaths(texts, config);
        assert.deepEqual(streamed, whole, `${project.dir}: ${sequence.join(', ')}`);
        files += texts.length;
        findings += count(whole);
      }
    }
    // The comparison covered real material: every project's files, and findings to compare.
    assert.ok(files >= 100, `${files} files compared`);
    assert.ok(findings >= 100, `${findings} findings compared`);
  });

  it('finds what the whole-file path finds on every rule fixture', () => {
    const fixtures = readdirSync(RULES).filter((name) => name.endsWith('.sql'));
    const { whole, streamed } = bothPaths(
      fixtures.map((name) => ({ uri: name, text: readFileSync(path.join(RULES, name), 'utf8') })),
      defaultConfig(),
    );
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
