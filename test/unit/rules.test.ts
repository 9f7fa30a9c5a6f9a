// Every rule against its fixture (test/fixtures/rules/<rule>.sql): lines marked
// `-- expect: <rule>` must get a finding of that rule starting on them, and no other line may.
// Every preferred quick fix, applied, must make its finding go away without a syntax error.
// Each rule's findings, rendered with the SQL each of its fixes leaves, must equal the snapshot
// <rule>.snap beside the fixture (UPDATE_SNAPSHOTS=1 rewrites them), so a changed message or fix
// shows in review. The rule index, schema and README table must be what `npm run generate` writes.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { documentStatements } from '../../server/src/analysis/statements';
import { defaultConfig } from '../../server/src/lint/config';
import { fixesFor, lintFile, SYNTAX_RULE, type LintFinding } from '../../server/src/lint/engine';
import { allRules } from '../../server/src/lint/rules';
import { DOCS, type Fix } from '../../server/src/lint/rule';
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

function applyEdits(text: string, fix: Fix): string {
  let result = text;
  for (const edit of [...fix.edits].sort((a, b) => b.start - a.start))
    result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

function applyFix(text: string, finding: LintFinding, ignore: boolean): string {
  const fixes = fixesFor(finding, text).filter((f) => f.title.startsWith('Ignore ') === ignore);
  const fix = fixes.find((f) => f.preferred) ?? fixes[0];
  return fix ? applyEdits(text, fix) : text;
}

const UPDATE_SNAPSHOTS = process.env['UPDATE_SNAPSHOTS'] === '1';
const UPDATE_HOW = 'UPDATE_SNAPSHOTS=1 npx mocha out/test/unit/rules.test.js (npm run test:update-snapshots)';

/** 1-based line:column of an offset. */
function position(text: string, offset: number): string {
  const line = lineOf(text, offset);
  return `${line}:${offset - (text.lastIndexOf('\n', offset - 1) + 1) + 1}`;
}

/** The lines a change replaced, as one unified-diff hunk without context. */
function hunk(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let top = 0;
  while (top < a.length && top < b.length && a[top] === b[top]) top++;
  let bottom = 0;
  while (bottom < a.length - top && bottom < b.length - top && a[a.length - 1 - bottom] === b[b.length - 1 - bottom]) bottom++;
  const removed = a.slice(top, a.length - bottom);
  const added = b.slice(top, b.length - bottom);
  return [
    `@@ -${top + 1},${removed.length} +${top + 1},${added.length} @@`,
    ...removed.map((line) => `-${line}`),
    ...added.map((line) => `+${line}`),
  ];
}

/** A rule's findings on its fixture as the snapshot holds them: position, severity, message, docs, and each fix's change. */
function renderFindings(rule: string, text: string, findings: readonly LintFinding[]): string {
  const lines = [
    `# ${rule}: its findings on ${rule}.sql and the change each of its fixes makes (not the`,
    `# "Ignore ... for this statement" fix every finding has). Rewrite: npm run test:update-snapshots`,
  ];
  for (const finding of findings) {
    lines.push('', `${position(text, finding.start)}-${position(text, finding.end)} ${finding.severity} ${finding.rule}`);
    lines.push(`  ${finding.message}`, `  ${finding.docs ?? '(no docs link)'}`);
    // fixesFor() lists the rule's own fixes first, then the suppression comment.
    const fixes = fixesFor(finding, text).slice(0, finding.fixes.length);
    if (fixes.length === 0) lines.push('  no fix');
    for (const fix of fixes) {
      lines.push(`  fix${fix.preferred ? ' (preferred)' : ''}: ${fix.title}`);
      for (const line of hunk(text, applyEdits(text, fix))) lines.push(`    ${line}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Where two texts first differ, a few lines of each, for a failure message. */
function firstDifference(expected: string, actual: string, labels = ['snapshot', 'now']): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  let line = 0;
  while (line < a.length && line < b.length && a[line] === b[line]) line++;
  const excerpt = (lines: string[]) => lines.slice(line, line + 4).join('\n    ');
  return `first difference at line ${line + 1}:\n  ${labels[0] ?? ''}:\n    ${excerpt(a)}\n  ${labels[1] ?? ''}:\n    ${excerpt(b)}`;
}

interface GeneratedFile {
  file: string;
  content: string;
}

/** scripts/generate-rules.mjs, loaded from the checkout (the script is not compiled into out/). */
async function generateRules(): Promise<GeneratedFile[]> {
  const url = pathToFileURL(path.join(repoRoot, 'scripts', 'generate-rules.mjs')).href;
  const script = (await import(url)) as { generateRules: () => Promise<GeneratedFile[]> };
  return script.generateRules();
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

  it('have no fixture or snapshot that names no rule (it would never run)', () => {
    const ids = new Set(allRules.map((r) => r.id));
    const orphans = readdirSync(fixtures).filter((file) => !ids.has(path.basename(file, path.extname(file))));
    assert.deepEqual(orphans, [], 'files in test/fixtures/rules/ without a rule');
  });

  describe('generated from the rule files', () => {
    let generated: GeneratedFile[] = [];
    before(async () => {
      generated = await generateRules();
    });

    for (const file of ['server/src/lint/rules/index.ts', 'schemas/crdb-studio.schema.json', 'README.md']) {
      it(`${file} is up to date`, () => {
        const expected = generated.find((g) => g.file === file);
        assert.ok(expected, `the generator writes ${file}`);
        const committed = readFileSync(path.join(repoRoot, file), 'utf8');
        if (committed !== expected.content)
          assert.fail(
            `${file} is stale: run npm run generate\n${firstDifference(committed, expected.content, ['committed', 'generated'])}`,
          );
      });
    }
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

      it('renders its findings and fixes as its snapshot holds them', () => {
        const snapshot = path.join(fixtures, `${rule.id}.snap`);
        const actual = renderFindings(
          rule.id,
          text,
          lint(text).filter((f) => f.rule === rule.id),
        );
        if (UPDATE_SNAPSHOTS) writeFileSync(snapshot, actual);
        const expected = existsSync(snapshot) ? readFileSync(snapshot, 'utf8') : undefined;
        if (expected === undefined) assert.fail(`no snapshot test/fixtures/rules/${rule.id}.snap: write it with ${UPDATE_HOW}`);
        if (actual !== expected)
          assert.fail(
            `test/fixtures/rules/${rule.id}.snap differs from what the rule reports now; review, then ${UPDATE_HOW}\n${firstDifference(expected, actual)}`,
          );
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
