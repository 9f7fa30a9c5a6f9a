#!/usr/bin/env node
// Lints the real CockroachDB migrations of test/fixtures/real the way the CLI does (each
// sequence of files in the project's own order, one schema carried through them) and compares
// the findings with the expert judgements in test/fixtures/real/judgements.json.
//
//   node scripts/judge-real.mjs            findings not judged yet (with the SQL around them),
//                                          judgements no finding matches any more, findings whose
//                                          message changed since judged, precision per rule
//   node scripts/judge-real.mjs --pending  also writes the unjudged findings to
//                                          a pending file in the temporary folder, verdicts left null,
//                                          for an expert to fill in and merge into judgements.json
//   node scripts/judge-real.mjs --merge    moves the judged entries of the pending file (verdict
//                                          true/false and a reason) into judgements.json
//   node scripts/judge-real.mjs --refresh-messages  stores the current message of reworded findings
//                                          (after checking the verdicts still hold)
//   node scripts/judge-real.mjs --prune    removes the judgements no finding matches any more (after
//                                          checking why those findings went)
//   node scripts/judge-real.mjs --statements  statement counts per project (for SOURCES.md)
//
// Needs dist/ (node esbuild.mjs). test/unit/realRepositories.test.ts makes the same comparison
// as a test.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const realDir = path.join(root, 'test', 'fixtures', 'real');
const cli = path.join(root, 'dist', 'cli', 'cli.js');
const judgementsFile = path.join(realDir, 'judgements.json');
// Outside the repository: a working file, not a fixture.
const pendingFile = path.join(tmpdir(), 'crdb-studio-judge-real-pending.json');

/** "project/file:line:rule": one key for every finding of that rule on that line. */
const keyOf = (project, finding) => `${project}/${finding.file}:${finding.line}:${finding.rule}`;

function lintSequence(project, sequence) {
  const dir = path.join(realDir, project.dir);
  const args = [cli, 'lint', '--format', 'json'];
  if (project.cockroachVersion) args.push('--cockroach-version', project.cockroachVersion);
  const result = spawnSync(process.execPath, [...args, ...sequence], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0 && result.status !== 1) throw new Error(`lint of ${project.dir} exited ${result.status}: ${result.stderr}`);
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(
      `lint of ${project.dir} printed no JSON (is dist/ being rebuilt? run node esbuild.mjs): ${result.stderr.slice(0, 500)}`,
    );
  }
}

function allFindings() {
  const { projects } = JSON.parse(readFileSync(path.join(realDir, 'manifest.json'), 'utf8'));
  const findings = [];
  for (const project of projects)
    for (const sequence of project.sequences)
      for (const finding of lintSequence(project, sequence))
        findings.push({ project: project.dir, key: keyOf(project.dir, finding), ...finding });
  return { projects, findings };
}

function context(finding) {
  const lines = readFileSync(path.join(realDir, finding.project, finding.file), 'utf8').split('\n');
  const from = Math.max(0, finding.line - 3);
  return lines
    .slice(from, finding.line + 2)
    .map((text, i) => `      ${from + i + 1 === finding.line ? '>' : ' '} ${from + i + 1}| ${text}`)
    .join('\n');
}

function statementCounts(projects) {
  // The project's own statement splitter, compiled to out/ by tsc.
  const { documentStatementsOnce } = createRequire(import.meta.url)(path.join(root, 'out', 'server', 'src', 'analysis', 'statements.js'));
  for (const project of projects) {
    let count = 0;
    for (const sequence of project.sequences)
      for (const file of sequence) count += documentStatementsOnce(readFileSync(path.join(realDir, project.dir, file), 'utf8')).length;
    console.log(`${project.dir}\t${project.sequences.flat().length} files\t${count} statements`);
  }
}

function main() {
  const mode = process.argv[2];
  const { projects, findings } = allFindings();
  if (mode === '--statements') return statementCounts(projects);
  const judgements = existsSync(judgementsFile) ? JSON.parse(readFileSync(judgementsFile, 'utf8')) : {};

  if (mode === '--merge') {
    const pending = JSON.parse(readFileSync(pendingFile, 'utf8'));
    const remaining = {};
    let moved = 0;
    for (const [key, entry] of Object.entries(pending)) {
      if (typeof entry.verdict === 'boolean' && entry.reason) {
        judgements[key] = entry;
        moved++;
      } else remaining[key] = entry;
    }
    writeFileSync(judgementsFile, `${JSON.stringify(sortKeys(judgements), null, 2)}\n`);
    writeFileSync(pendingFile, `${JSON.stringify(remaining, null, 2)}\n`);
    console.log(`merged ${moved} judgements; ${Object.keys(remaining).length} left in pending.json`);
    return;
  }

  const seen = new Set(findings.map((f) => f.key));
  const unjudged = findings.filter((f) => !(f.key in judgements));
  const stale = Object.keys(judgements).filter((key) => !seen.has(key));

  const perRule = new Map();
  for (const f of findings) {
    const verdict = judgements[f.key]?.verdict;
    if (typeof verdict !== 'boolean') continue;
    const counts = perRule.get(f.rule) ?? { true: 0, judged: 0 };
    counts.judged++;
    if (verdict) counts.true++;
    perRule.set(f.rule, counts);
  }
  let trueCount = 0;
  let judgedCount = 0;
  console.log('precision per rule (true / judged findings):');
  for (const [rule, counts] of [...perRule].sort()) {
    trueCount += counts.true;
    judgedCount += counts.judged;
    console.log(`  ${rule.padEnd(40)} ${counts.true}/${counts.judged}`);
  }
  console.log(
    `  ${'overall'.padEnd(40)} ${trueCount}/${judgedCount} = ${judgedCount ? ((100 * trueCount) / judgedCount).toFixed(1) : '-'}%`,
  );
  // Info and hint findings are advice an editor shows quietly; the figures without them (and without
  // the most frequent rule, timestamp-without-time-zone) show that the precision is not theirs alone.
  const precisionOf = (keep) => {
    const judged = findings.filter((f) => keep(f) && typeof judgements[f.key]?.verdict === 'boolean');
    const right = judged.filter((f) => judgements[f.key].verdict).length;
    return `${right}/${judged.length} = ${judged.length ? ((100 * right) / judged.length).toFixed(1) : '-'}%`;
  };
  const quiet = (f) => f.severity === 'info' || f.severity === 'hint';
  const timestamps = (f) => f.rule === 'timestamp-without-time-zone';
  console.log(`  ${'without info and hint findings'.padEnd(40)} ${precisionOf((f) => !quiet(f))}`);
  console.log(`  ${'without timestamp-without-time-zone'.padEnd(40)} ${precisionOf((f) => !timestamps(f))}`);
  console.log(`  ${'without both'.padEnd(40)} ${precisionOf((f) => !quiet(f) && !timestamps(f))}`);
  console.log(`\n${findings.length} findings, ${unjudged.length} not judged, ${stale.length} judgements no finding matches`);
  // A finding judged under one message and now reported with another may deserve a new verdict.
  // Findings of one rule on one line share a key: the judged message must be one of theirs.
  const messagesByKey = new Map();
  for (const f of findings) messagesByKey.set(f.key, [...(messagesByKey.get(f.key) ?? []), f.message]);
  const reworded = new Map();
  for (const [key, messages] of messagesByKey)
    if (judgements[key]?.message && !messages.includes(judgements[key].message)) reworded.set(key, messages[0]);
  for (const [key, message] of reworded)
    console.log(`  reworded: ${key}\n    judged (${judgements[key].verdict}): ${judgements[key].message}\n    now: ${message}`);
  if (mode === '--prune') {
    for (const key of stale) console.log(`  removed: ${key}  (${judgements[key].verdict}: ${judgements[key].reason})`);
    const kept = Object.fromEntries(Object.entries(judgements).filter(([key]) => seen.has(key)));
    writeFileSync(judgementsFile, `${JSON.stringify(sortKeys(kept), null, 2)}\n`);
    console.log(`removed ${stale.length} judgements`);
    return;
  }
  if (mode === '--refresh-messages') {
    for (const [key, message] of reworded) judgements[key].message = message;
    writeFileSync(judgementsFile, `${JSON.stringify(sortKeys(judgements), null, 2)}\n`);
    console.log(`stored the current message of ${reworded.size} judgements`);
    return;
  }
  for (const key of stale) console.log(`  stale: ${key}  (${judgements[key].verdict}: ${judgements[key].reason})`);
  for (const f of unjudged) console.log(`\n  ${f.key}  [${f.severity}] ${f.message}\n${context(f)}`);

  if (mode === '--pending') {
    const pending = {};
    for (const f of unjudged) pending[f.key] ??= { verdict: null, reason: '', message: f.message };
    writeFileSync(pendingFile, `${JSON.stringify(pending, null, 2)}\n`);
    console.log(`\nwrote ${Object.keys(pending).length} entries to ${path.relative(root, pendingFile)}`);
  }
}

function sortKeys(object) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

main();
