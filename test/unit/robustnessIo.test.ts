// Robustness at the edges the user does not control: links that loop, glob typos, garbage on the
// language server's stdin, huge workspace files. Each gets a clear behaviour, never a hang.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/tools';

const CLI = path.join(repoRoot, 'dist', 'cli', 'cli.js');

function cli(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('crdb-studio lint: globs over links and bad patterns', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-links-'));
  const ws = path.join(dir, 'ws');
  mkdirSync(path.join(ws, 'sub'), { recursive: true });
  writeFileSync(path.join(ws, 'a.sql'), 'CREATE TABLE a (id INT8 PRIMARY KEY);\n');
  writeFileSync(path.join(ws, 'sub', 'b.sql'), 'CREATE TABLE b (id INT8 PRIMARY KEY);\n');
  // Two links back to the folder itself: walked naively, the tree never ends.
  symlinkSync(ws, path.join(ws, 'self1'), 'dir');
  symlinkSync('..', path.join(ws, 'sub', 'up'), 'dir');
  // A file linked under a second name is still one file.
  symlinkSync(path.join(ws, 'a.sql'), path.join(ws, 'sub', 'a-again.sql'));

  it('follows links but lints each real file once, and says which loops it skipped', () => {
    const run = cli(dir, 'lint', '--format', 'json', 'ws/**/*.sql');
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), []);
    const files = cli(dir, 'lint', 'ws/**/*.sql');
    assert.match(files.stdout, /2 files/, files.stdout);
    const skipped = run.stderr.split('\n').filter((line) => line.includes('skipping'));
    assert.deepEqual(
      skipped.map((line) => line.replace(/^crdb-studio: skipping (\S+): .*$/, '$1')),
      [path.join('ws', 'self1'), path.join('ws', 'sub', 'up')],
      run.stderr,
    );
    assert.equal(new Set(skipped).size, skipped.length, 'each loop is said once');
  });

  it('an invalid character class is a usage error (exit 2), not an internal one', () => {
    const run = cli(dir, 'lint', 'ws/[z-a].sql');
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /^crdb-studio: invalid pattern 'ws\/\[z-a\]\.sql': the range z-a/);
    assert.doesNotMatch(run.stderr, /internal error|\n\s+at /);
  });
});
