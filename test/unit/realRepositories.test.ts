// The linter on real CockroachDB migrations written by others (test/fixtures/real, sources in
// SOURCES.md): each project's files linted in its own order through the CLI, every finding
// compared with an expert's judgement in judgements.json. A finding nobody judged fails, and so
// does a judgement no finding matches any more, so the judgements follow the linter. The
// precision per rule is printed; the ≥ 90% goal is its own test.
// After a change to the rules: node scripts/judge-real.mjs lists what to judge again.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../support/tools';

const REAL = path.join(repoRoot, 'test', 'fixtures', 'real');
const CLI = path.join(repoRoot, 'dist', 'cli', 'cli.js');
const PRECISION_GOAL = 0.9;

interface Project {
  dir: string;
  repository: string;
  commit: string;
  license: string;
  sequences: string[][];
  cockroachVersion?: string;
}

interface CliFinding {
  file: string;
  line: number;
  rule: string;
  severity: string;
  message: string;
}

interface Judgement {
  verdict: boolean;
  reason: string;
  message?: string;
}

interface Finding extends CliFinding {
  key: string;
}

/** One key for every finding of a rule on a line of a file. */
function keyOf(project: string, finding: CliFinding): string {
  return `${project}/${finding.file}:${finding.line}:${finding.rule}`;
}

function lintSequence(project: Project, sequence: string[]): CliFinding[] {
  const args = [CLI, 'lint', '--format', 'json'];
  if (project.cockroachVersion) args.push('--cockroach-version', project.cockroachVersion);
  // Run from the project's folder: file names in findings are the repository's paths, and a
  // .crdb-studio.json there would be the project's configuration.
  const result = spawnSync(process.execPath, [...args, ...sequence], { cwd: path.join(REAL, project.dir), encoding: 'utf8' });
  assert.ok(result.status === 0 || result.status === 1, `lint of ${project.dir} exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout) as CliFinding[];
}

describe('lint on real CockroachDB repositories', () => {
  let projects: Project[] = [];
  let judgements: Record<string, Judgement> = {};
  let findings: Finding[] = [];

  before(() => {
    projects = (JSON.parse(readFileSync(path.join(REAL, 'manifest.json'), 'utf8')) as { projects: Project[] }).projects;
    judgements = JSON.parse(readFileSync(path.join(REAL, 'judgements.json'), 'utf8')) as Record<string, Judgement>;
    findings = projects.flatMap((project) =>
      project.sequences.flatMap((sequence) => lintSequence(project, sequence).map((f) => ({ ...f, key: keyOf(project.dir, f) }))),
    );
  });

  it('collects at least ten projects with their sources and licences', () => {
    assert.ok(projects.length >= 10, `${projects.length} projects`);
    const sources = readFileSync(path.join(REAL, 'SOURCES.md'), 'utf8');
    for (const project of projects) {
      assert.match(project.commit, /^[0-9a-f]{40}$/, project.dir);
      assert.ok(['Apache-2.0', 'MIT', 'BSD-2-Clause', 'BSD-3-Clause'].includes(project.license), `${project.dir}: ${project.license}`);
      assert.ok(sources.includes(project.repository), `${project.dir} is missing from SOURCES.md`);
    }
  });

  it('has a judgement, with a reason, for every finding', () => {
    const unjudged = [...new Set(findings.filter((f) => !(f.key in judgements)).map((f) => `${f.key}  ${f.message}`))];
    assert.deepEqual(unjudged, [], 'findings nobody judged (node scripts/judge-real.mjs --pending lists them with their SQL)');
    const unreasoned = Object.entries(judgements).filter(([, j]) => typeof j.verdict !== 'boolean' || j.reason.trim() === '');
    assert.deepEqual(
      unreasoned.map(([key]) => key),
      [],
    );
  });

  it('has no judgement that no finding matches any more', () => {
    const seen = new Set(findings.map((f) => f.key));
    const stale = Object.keys(judgements).filter((key) => !seen.has(key));
    assert.deepEqual(stale, [], 'judgements of findings the linter no longer reports: remove them (or find out why the finding went)');
  });

  it('judged each finding as it reads now (a reworded message is judged again)', () => {
    // Findings of one rule on one line share a key: the judged message must be one of theirs.
    const messages = new Map<string, string[]>();
    for (const f of findings) messages.set(f.key, [...(messages.get(f.key) ?? []), f.message]);
    const reworded: string[] = [];
    for (const [key, now] of messages) {
      const judged = judgements[key]?.message;
      if (judged !== undefined && !now.includes(judged))
        reworded.push(`${key}\n  judged: ${judged}\n  now:    ${now.join('\n          ')}`);
    }
    assert.deepEqual(
      reworded,
      [],
      'findings whose message changed since judged: check the verdicts, then node scripts/judge-real.mjs --refresh-messages',
    );
  });

  it(`reaches ${PRECISION_GOAL * 100}% precision without the info and hint findings too (quiet advice does not carry the figure)`, () => {
    const loud = findings.filter((f) => f.severity !== 'info' && f.severity !== 'hint' && judgements[f.key]);
    const right = loud.filter((f) => judgements[f.key]?.verdict).length;
    const precision = loud.length === 0 ? 1 : right / loud.length;
    console.log(`      errors and warnings: ${right}/${loud.length} = ${(precision * 100).toFixed(1)}%`);
    assert.ok(
      precision >= PRECISION_GOAL,
      `precision of errors and warnings ${(precision * 100).toFixed(1)}% is below ${PRECISION_GOAL * 100}%`,
    );
  });

  it(`reaches ${PRECISION_GOAL * 100}% precision overall (the goal of issue 14)`, () => {
    const perRule = new Map<string, { true: number; judged: number }>();
    for (const finding of findings) {
      const judgement = judgements[finding.key];
      if (!judgement) continue;
      const counts = perRule.get(finding.rule) ?? { true: 0, judged: 0 };
      counts.judged++;
      if (judgement.verdict) counts.true++;
      perRule.set(finding.rule, counts);
    }
    let trueTotal = 0;
    let judgedTotal = 0;
    const lines = [...perRule]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([rule, counts]) => {
        trueTotal += counts.true;
        judgedTotal += counts.judged;
        return `${rule.padEnd(40)} ${counts.true}/${counts.judged}`;
      });
    const precision = judgedTotal === 0 ? 1 : trueTotal / judgedTotal;
    lines.push(`${'overall'.padEnd(40)} ${trueTotal}/${judgedTotal} = ${(precision * 100).toFixed(1)}%`);
    console.log(`      precision per rule (true / judged findings):\n${lines.map((line) => `        ${line}`).join('\n')}`);
    assert.ok(precision >= PRECISION_GOAL, `precision ${(precision * 100).toFixed(1)}% is below ${PRECISION_GOAL * 100}%`);
  });
});
