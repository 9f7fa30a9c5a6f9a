// The CLI bundle as CI would run it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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

  it('lints files and prints JSON findings', () => {
    const result = cli('lint', '--format', 'json', schema);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), []);
  });

  it('summarises in text format', () => {
    const result = cli('lint', schema, schema);
    assert.equal(result.status, 0);
    assert.equal(result.stdout, '0 findings in 2 files\n');
  });

  it('exits 2 with a clear message on unreadable files, still linting the rest', () => {
    const result = cli('lint', schema, path.join(dir, 'missing.sql'));
    assert.equal(result.status, 2);
    assert.match(result.stderr, /cannot read .*missing\.sql: ENOENT/);
    assert.match(result.stdout, /in 1 file/);
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
