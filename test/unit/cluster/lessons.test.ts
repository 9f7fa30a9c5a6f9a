// The lessons in examples/ run clean on the simulated cluster, and `crdb-studio lesson` reports
// every statement's result or error with its line.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runLesson } from '../../../cluster/src/lesson';
import { shellWords } from '../../../cluster/src/shell';
import { Simulator } from '../../../cluster/src/simulator';
import { PATIENCE_MS } from '../../support/patience';
import { repoRoot } from '../../support/tools';

const lessons = path.join(repoRoot, 'examples', 'lessons');
const cli = path.join(repoRoot, 'dist', 'cli', 'cli.js');

describe('simulated cluster: lessons', function () {
  this.timeout(2 * PATIENCE_MS);

  for (const file of readdirSync(lessons).filter((f) => f.endsWith('.md'))) {
    it(`examples/lessons/${file} runs clean`, async () => {
      const simulator = await Simulator.start({ global: true });
      try {
        const steps = await runLesson(simulator, readFileSync(path.join(lessons, file), 'utf8'));
        assert.ok(steps.filter((s) => s.kind === 'sql').length >= 5, 'the lesson has SQL to run');
        const failed = steps.filter((s) => s.error !== undefined || !s.simulated);
        assert.deepEqual(
          failed.map((s) => `${s.line}: ${s.statement} → ${s.error ?? s.output ?? ''}`),
          [],
        );
      } finally {
        await simulator.close();
      }
    });
  }

  it('crdb-studio lesson --format json: lines, results, errors, and what is not simulated', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-lesson-'));
    try {
      const file = path.join(dir, 'lesson.md');
      writeFileSync(
        file,
        [
          '# A lesson',
          '',
          '```sql',
          'CREATE TABLE t (id INT PRIMARY KEY);',
          'INSERT INTO t VALUES (1), (2);',
          'SELECT count(*) AS n FROM t;',
          'SELECT * FROM missing;',
          '```',
          '',
          '```sh',
          'cockroach sql --insecure -e "SELECT 40 + 2 AS answer"',
          'terraform apply',
          '```',
          '',
        ].join('\n'),
      );
      const run = spawnSync(process.execPath, [cli, 'lesson', '--format', 'json', file], { encoding: 'utf8', timeout: PATIENCE_MS });
      assert.equal(run.status, 1, 'a failing statement makes the exit code 1');
      const steps = JSON.parse(run.stdout) as {
        line: number;
        statement: string;
        rows?: string[][];
        error?: { code?: string };
        simulated: boolean;
        output?: string;
      }[];
      assert.deepEqual(
        steps.map((s) => s.line),
        [4, 5, 6, 7, 11, 12],
      );
      assert.deepEqual(steps[2]?.rows, [['2']]);
      assert.equal(steps[3]?.error?.code, '42P01');
      assert.match(steps[4]?.output ?? '', /42/);
      const shell = steps[5];
      assert.ok(shell);
      assert.equal(shell.simulated, false);
      assert.match(shell.output ?? '', /not simulated/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads shell lines as a shell would split them', () => {
    assert.deepEqual(shellWords(`cockroach sql -e "SELECT 'a b'" --url='postgres://x'`), [
      'cockroach',
      'sql',
      '-e',
      "SELECT 'a b'",
      '--url=postgres://x',
    ]);
  });
});
