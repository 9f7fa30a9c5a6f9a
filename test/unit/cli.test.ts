// The CLI bundle as CI would run it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/tools';

const CLI = path.join(repoRoot, 'dist', 'cli', 'cli.js');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: repoRoot });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('crdb-studio CLI', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-cli-'));
  const schema = path.join(dir, 'schema.sql');
  writeFileSync(schema, 'CREATE TABLE t (id UUID PRIMARY KEY DEFAULT gen_random_uuid());\n');

  it('prints its version from package.json', () => {
    const { version } = JSON.parse(
      spawnSync(process.execPath, ['-p', 'JSON.stringify(require("./package.json"))'], { cwd: repoRoot, encoding: 'utf8' }).stdout,
    ) as { version: string };
    assert.deepEqual(cli('--version'), { status: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('prints usage on --help (exit 0) and on no command (exit 2)', () => {
    assert.equal(cli('--help').status, 0);
    assert.match(cli('--help').stdout, /Usage: crdb-studio <command>/);
    assert.equal(cli().status, 2);
  });

  const bad = path.join(dir, 'bad.sql');
  // The default target is v25.2, where INTERLEAVE IN PARENT no longer parses (it left the grammar in v22.1).
  const interleaveMessage =
    "INTERLEAVE IN PARENT is a syntax error on CockroachDB v25.2: it left the grammar in v22.1. Remove it; a primary key that starts with the parent's key keeps the rows close.";
  writeFileSync(bad, 'CREATE TABLE events (id SERIAL PRIMARY KEY, v STRING);\nCREATE TABLE c (x INT8) INTERLEAVE IN PARENT p (x);\n');

  it('lints files and prints JSON findings with 1-based positions', () => {
    const clean = cli('lint', '--format', 'json', schema);
    assert.equal(clean.status, 0, clean.stderr);
    assert.deepEqual(JSON.parse(clean.stdout), []);
    const result = cli('lint', '--format', 'json', bad);
    assert.equal(result.status, 1, 'an error-severity finding exits 1');
    assert.deepEqual(JSON.parse(result.stdout), [
      {
        file: bad,
        line: 1,
        column: 22,
        endLine: 1,
        endColumn: 24,
        rule: 'sequential-primary-key',
        severity: 'warning',
        message:
          'Primary key events(id) starts with SERIAL (with the default serial_normalization it becomes INT8 DEFAULT unique_rowid(), ordered by time): every insert goes to the same range, a write hotspot. Prefer UUID DEFAULT gen_random_uuid() or USING HASH.',
      },
      {
        file: bad,
        line: 2,
        column: 14,
        endLine: 2,
        endColumn: 15,
        rule: 'missing-primary-key',
        severity: 'warning',
        message: 'Table c has no primary key: CockroachDB adds a hidden rowid key ordered by insertion time.',
      },
      {
        file: bad,
        line: 2,
        column: 25,
        endLine: 2,
        endColumn: 51,
        rule: 'interleave-removed',
        severity: 'error',
        message: interleaveMessage,
      },
    ]);
  });

  it('summarises in text format', () => {
    const result = cli('lint', schema, schema);
    assert.equal(result.status, 0);
    assert.equal(result.stdout, '0 findings in 2 files\n');
    assert.ok(cli('lint', bad).stdout.includes(`bad.sql:2:25: error ${interleaveMessage} [interleave-removed]\n`));
  });

  it('writes SARIF 2.1.0 with rules, levels and regions', () => {
    const result = cli('lint', '--format', 'sarif', bad);
    const log = JSON.parse(result.stdout) as {
      version: string;
      $schema: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string; helpUri: string }[] } };
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
        }[];
      }[];
    };
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    const run = log.runs[0];
    assert.ok(run);
    assert.equal(run.tool.driver.name, 'crdb-studio');
    assert.ok(run.tool.driver.rules.length >= 20);
    const interleave = run.results.find((r) => r.ruleId === 'interleave-removed');
    assert.ok(interleave);
    assert.equal(interleave.level, 'error');
    assert.equal(run.tool.driver.rules[interleave.ruleIndex]?.id, 'interleave-removed');
    assert.deepEqual(interleave.locations[0]?.physicalLocation.region, { startLine: 2, startColumn: 25, endLine: 2, endColumn: 51 });
    assert.equal(run.results.find((r) => r.ruleId === 'sequential-primary-key')?.level, 'warning');
  });

  it('prints GitHub workflow annotations', () => {
    const lines = cli('lint', '--format', 'github', bad).stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    // Properties escape ':' and ','; the message (the command's data) escapes only '%', CR and LF.
    assert.equal(
      lines[2],
      `::error file=${bad.replace(/:/g, '%3A').replace(/,/g, '%2C')},line=2,col=25,endLine=2,endColumn=51,title=crdb-studio interleave-removed::${interleaveMessage}`,
    );
    assert.match(lines[0] ?? '', /^::warning file=/);
  });

  it('expands globs in file-name order, and the schema of earlier files reaches later ones', () => {
    const migrations = path.join(dir, 'migrations');
    mkdirSync(migrations, { recursive: true });
    writeFileSync(path.join(migrations, '001_db.sql'), 'CREATE DATABASE shop PRIMARY REGION "us-east1" REGIONS "us-west1";\n');
    writeFileSync(path.join(migrations, '002_carts.sql'), 'CREATE TABLE shop.carts (id UUID PRIMARY KEY);\n');
    const result = cli('lint', '--format', 'json', `${migrations}/*.sql`);
    const findings = JSON.parse(result.stdout) as { file: string; rule: string }[];
    assert.deepEqual(
      findings.map((f) => [path.basename(f.file), f.rule]),
      [['002_carts.sql', 'missing-locality']],
    );
  });

  it('reads .crdb-studio.json (or --config) for rule severities and the target version', () => {
    const config = path.join(dir, 'lint.json');
    writeFileSync(
      config,
      JSON.stringify({ cockroachVersion: 'v20.2', rules: { 'missing-primary-key': 'off', 'sequential-primary-key': 'error' } }),
    );
    const result = cli('lint', '--format', 'json', '--config', config, bad);
    const findings = JSON.parse(result.stdout) as { rule: string; severity: string; message: string }[];
    assert.deepEqual(
      findings.map((f) => [f.rule, f.severity]),
      [
        ['sequential-primary-key', 'error'],
        ['interleave-removed', 'error'],
      ],
    );
    assert.match(findings[1]?.message ?? '', /deprecated since v20\.2/);
    writeFileSync(config, '{ "rules": { "no-such-rule": "error" } }');
    const broken = cli('lint', '--config', config, bad);
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, /unknown rule "no-such-rule"/);
  });

  it('exits 2 with a clear message on unreadable files, still linting the rest', () => {
    const result = cli('lint', schema, path.join(dir, 'missing.sql'));
    assert.equal(result.status, 2);
    assert.match(result.stderr, /cannot read .*missing\.sql: ENOENT/);
    assert.match(result.stdout, /in 1 file/);
  });

  it('logictest runs logic-test files on the simulated cluster, reports each failure by line, exits 1 when one failed', () => {
    const logic = path.join(dir, 'two_checks');
    writeFileSync(
      logic,
      ['statement ok', 'CREATE TABLE t (k INT PRIMARY KEY)', '', 'query I', 'SELECT count(*) FROM t', '----', '1', ''].join('\n'),
    );
    const run = cli('logictest', '--verbose', logic);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /two_checks \[local\]: 1\/2 passed/);
    assert.match(run.stdout, /two_checks:4: SELECT count\(\*\) FROM t\n\s+expected:\n\s+1\n\s+but found:\n\s+0/);
    assert.match(run.stdout, /total: 1\/2 statements passed \(50\.0%\) in 1 files/);
    const empty = path.join(dir, 'empty_logic');
    writeFileSync(empty, '# nothing but a comment\n');
    assert.equal(cli('logictest', empty).status, 1, 'a file that runs no statement is not a pass');
    assert.equal(cli('logictest', path.join(dir, 'missing')).status, 2);
  });

  it('exits at once after a lint, unless part of its output still waits in a stream', () => {
    // Loaded before the CLI: stdout takes 64 KB, then answers EAGAIN (a non-blocking descriptor
    // that is full), so the CLI hands the rest to process.stdout; and process.exit is reported.
    const preload = path.join(dir, 'full-stdout.js');
    writeFileSync(
      preload,
      `const fs = require('node:fs');
const writeSync = fs.writeSync;
let first = true;
fs.writeSync = function (fd, buffer, offset, ...rest) {
  if (fd !== 1 || process.env.STDOUT_FULL !== '1') return writeSync.call(fs, fd, buffer, offset, ...rest);
  if (!first) throw Object.assign(new Error('EAGAIN: resource temporarily unavailable, write'), { code: 'EAGAIN' });
  first = false;
  return writeSync.call(fs, fd, buffer, offset, Math.min(65536, buffer.length - offset));
};
const exit = process.exit;
process.exit = function (code) {
  writeSync.call(fs, 2, 'process.exit\\n');
  return exit.call(process, code);
};
`,
    );
    const many = path.join(dir, 'many.sql');
    writeFileSync(many, Array.from({ length: 1000 }, (_, i) => `CREATE TABLE t${i} (id SERIAL PRIMARY KEY, v STRING);`).join('\n'));
    const run = (full: boolean) =>
      spawnSync(process.execPath, ['-r', preload, CLI, 'lint', '--format', 'json', many], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, STDOUT_FULL: full ? '1' : '0' },
      });
    const written = run(false);
    const waited = run(true);
    assert.ok(written.stdout.length > 200_000, `${written.stdout.length} bytes`);
    assert.equal(written.stderr, 'process.exit\n', 'all written: exits at once');
    assert.equal(waited.stderr, '', 'output left to the stream: waits for it');
    assert.equal(waited.stdout, written.stdout);
    assert.equal(waited.status, written.status);
  });

  it('exits 2 on bad usage', () => {
    for (const args of [
      ['lint'],
      ['lint', '--format', 'xml', schema],
      ['lint', '--cockroach-version', 'latest', schema],
      ['lint', '--bogus', schema],
      ['frobnicate'],
    ]) {
      const result = cli(...args);
      assert.equal(result.status, 2, args.join(' '));
      assert.match(result.stderr, /^crdb-studio: /, args.join(' '));
    }
  });
});
