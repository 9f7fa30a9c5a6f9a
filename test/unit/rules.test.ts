// Every rule against its fixture (test/fixtures/rules/<rule>.sql): lines marked
// `-- expect: <rule>` must get a finding of that rule starting on them, and no other line may.
// Every preferred quick fix, applied, must make its finding go away without a syntax error.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { documentStatements } from '../../server/src/analysis/statements';
import { defaultConfig } from '../../server/src/lint/config';
import { fixesFor, lintFile, SYNTAX_RULE, type LintFinding } from '../../server/src/lint/engine';
import { allRules } from '../../server/src/lint/rules';
import { DOCS } from '../../server/src/lint/rule';
import { repoRoot } from '../support/tools';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'rules');

function lint(text: string, cockroachVersion = 'v25.2'): LintFinding[] {
  return lintFile({ uri: 'file:///fixture.sql', text, statements: documentStatements(text) }, [], { ...defaultConfig(), cockroachVersion });
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function expectedLines(text: string, rule: string): number[] {
  return text
    .split('\n')
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => new RegExp(`-- expect: .*\\b${rule}\\b`).test(line))
    .map(({ index }) => index + 1);
}

function applyFix(text: string, finding: LintFinding, ignore: boolean): string {
  const fixes = fixesFor(finding, text).filter((f) => f.title.startsWith('Ignore ') === ignore);
  const fix = fixes.find((f) => f.preferred) ?? fixes[0];
  if (!fix) return text;
  let result = text;
  for (const edit of [...fix.edits].sort((a, b) => b.start - a.start))
    result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

describe('lint rules', () => {
  it('have unique ids, a documentation link and a fixture each', () => {
    assert.equal(new Set(allRules.map((r) => r.id)).size, allRules.length);
    for (const rule of allRules) {
      assert.ok(rule.docs.startsWith('https://www.cockroachlabs.com/docs/'), `${rule.id} links CockroachDB's docs`);
      assert.ok(existsSync(path.join(fixtures, `${rule.id}.sql`)), `fixture for ${rule.id}`);
    }
    assert.ok(DOCS.endsWith('/stable/'));
  });

  for (const rule of allRules) {
    describe(rule.id, () => {
      const file = path.join(fixtures, `${rule.id}.sql`);
      const text = existsSync(file) ? readFileSync(file, 'utf8') : '';

      it('flags exactly the marked lines of its fixture', () => {
        const findings = lint(text);
        assert.deepEqual(
          findings.filter((f) => f.rule === SYNTAX_RULE).map((f) => f.message),
          [],
          'the fixture parses',
        );
        const actual = findings.filter((f) => f.rule === rule.id).map((f) => lineOf(text, f.start));
        assert.deepEqual(actual, expectedLines(text, rule.id));
        assert.ok(actual.length > 0, 'the fixture has at least one flagged statement');
        for (const finding of findings.filter((f) => f.rule === rule.id)) {
          assert.equal(finding.severity, rule.defaultSeverity);
          assert.ok(finding.message.length > 20, 'a message that explains');
        }
      });

      it('offers fixes that, applied, remove the finding', () => {
        for (const finding of lint(text).filter((f) => f.rule === rule.id)) {
          // The rule's own preferred fix when it has one; the suppression comment always.
          for (const ignore of finding.fixes.length > 0 ? [false, true] : [true]) {
            const fixed = applyFix(text, finding, ignore);
            const title =
              (
                fixesFor(finding, text).find((f) => f.title.startsWith('Ignore ') === ignore && (ignore || f.preferred)) ??
                fixesFor(finding, text)[0]
              )?.title ?? '';
            const after = lint(fixed);
            assert.deepEqual(
              after.filter((f) => f.rule === SYNTAX_RULE).map((f) => f.message),
              [],
              `fix "${title}" keeps the SQL valid`,
            );
            const line = lineOf(text, finding.start);
            const lineShift = lineOf(fixed, fixed.length) - lineOf(text, text.length);
            const remaining = after.filter(
              (f) => f.rule === rule.id && [line, line + lineShift].includes(lineOf(fixed, f.start)) && f.message === finding.message,
            );
            assert.deepEqual(
              remaining.map((f) => f.message),
              [],
              `fix "${title}" removes the finding on line ${line}`,
            );
          }
        }
      });
    });
  }

  describe('suppression and configuration', () => {
    const text = 'CREATE TABLE a (id SERIAL PRIMARY KEY);\nCREATE TABLE b (x INT8);\n';

    it('-- crdb-studio-ignore silences the next statement only', () => {
      const ignored = lint(`-- crdb-studio-ignore sequential-primary-key, missing-primary-key: legacy\n${text}`);
      assert.deepEqual(
        ignored.map((f) => f.rule),
        ['missing-primary-key'],
      );
    });

    it('-- crdb-studio-ignore-file silences the file', () => {
      assert.deepEqual(
        lint(`${text}-- crdb-studio-ignore-file missing-primary-key\n`).map((f) => f.rule),
        ['sequential-primary-key'],
      );
    });

    it('rule settings change severity or turn a rule off', () => {
      const statements = documentStatements(text);
      const findings = lintFile({ uri: 'x', text, statements }, [], {
        cockroachVersion: 'v25.2',
        rules: { 'sequential-primary-key': 'error', 'missing-primary-key': 'off' },
      });
      assert.deepEqual(
        findings.map((f) => [f.rule, f.severity]),
        [['sequential-primary-key', 'error']],
      );
    });

    it('follows the target version', () => {
      const readCommitted = 'BEGIN ISOLATION LEVEL READ COMMITTED;\nCOMMIT;\n';
      assert.deepEqual(
        lint(readCommitted, 'v24.1').map((f) => f.rule),
        [],
      );
      assert.match(lint(readCommitted, 'v23.2')[0]?.message ?? '', /preview/);
      assert.match(lint(readCommitted, 'v23.1')[0]?.message ?? '', /does not exist before v23\.2/);
    });

    it('knows the schema of earlier files (migrations in order)', () => {
      const first = 'CREATE DATABASE shop PRIMARY REGION "us-east1" REGIONS "us-west1";\n';
      const second = 'CREATE TABLE shop.carts (id UUID PRIMARY KEY);\n';
      const before = [{ uri: '001.sql', text: first, statements: documentStatements(first) }];
      const findings = lintFile({ uri: '002.sql', text: second, statements: documentStatements(second) }, before, defaultConfig());
      assert.deepEqual(
        findings.map((f) => f.rule),
        ['missing-locality'],
      );
    });
  });
});
