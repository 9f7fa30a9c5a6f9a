// `crdb-studio lesson --check`: each step is compared with the output the lesson prints after
// it, as `cockroach sql` prints it; volatile columns and values are compared by shape only.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatLessonText, runLesson, withoutSqlPrompts } from '../../../cluster/src/lesson';
import { checkLesson, formatLessonCheck, isVolatileColumn, normalizeValue, readPrinted } from '../../../cluster/src/lessonCheck';
import { Simulator } from '../../../cluster/src/simulator';
import { PATIENCE_MS } from '../../support/patience';
import { repoRoot } from '../../support/tools';

const cli = path.join(repoRoot, 'dist', 'cli', 'cli.js');
const fence = '```';

async function check(markdown: string): Promise<ReturnType<typeof checkLesson>> {
  const simulator = await Simulator.start({ global: true });
  try {
    return checkLesson(markdown, await runLesson(simulator, markdown));
  } finally {
    await simulator.close();
  }
}

describe('lesson --check', function () {
  this.timeout(2 * PATIENCE_MS);

  it('reads printed output as cockroach sql prints it', () => {
    const items = readPrinted(
      [
        '  id |  name',
        '-----+--------',
        '   1 | a',
        '   2 | b',
        '(2 rows)',
        '',
        'Time: 3ms total (execution 2ms / network 1ms)',
        '',
        'CREATE TABLE',
        'ERROR: relation "x" does not exist',
        'SQLSTATE: 42P01',
      ].join('\n'),
    );
    assert.deepEqual(items, [
      {
        kind: 'table',
        columns: ['id', 'name'],
        rows: [
          ['1', 'a'],
          ['2', 'b'],
        ],
        elided: false,
      },
      { kind: 'tag', text: 'CREATE TABLE' },
      { kind: 'error', message: 'relation "x" does not exist', code: '42P01' },
    ]);
  });

  it('joins a value printed over several lines back into its row, by the footer’s count', () => {
    const [table] = readPrinted(
      [
        '  table_name | create_statement',
        '-------------+------------------',
        '  t          | CREATE TABLE t (',
        '             |     id INT8',
        '             | )',
        '(1 row)',
      ].join('\n'),
    );
    assert.deepEqual(table, {
      kind: 'table',
      columns: ['table_name', 'create_statement'],
      rows: [['t', 'CREATE TABLE t (\nid INT8\n)']],
      elided: false,
    });
  });

  it('keeps an EXPLAIN plan’s blank lines inside its one-column table', () => {
    const [plan] = readPrinted(['  info', '--------', '  distribution: local', '', '  • scan', '(3 rows)'].join('\n'));
    assert.deepEqual(plan, { kind: 'table', columns: ['info'], rows: [['distribution: local'], [''], ['• scan']], elided: false });
  });

  it('names the volatile columns it does not compare', () => {
    for (const name of [
      'id',
      'range_id',
      'lease_holder',
      'replicas',
      'created',
      'start_time',
      'latency_ms',
      'range_size_mb',
      'sql_address',
    ])
      assert.ok(isVolatileColumn(name), name);
    for (const name of ['region', 'zones', 'table_name', 'code', 'count', 'survival_goal', 'locality'])
      assert.ok(!isVolatileColumn(name), name);
  });

  it('compares URLs, UUIDs, timestamps and durations inside text by shape', () => {
    assert.equal(
      normalizeValue('(sql) postgres://demo:demo76950@127.0.0.1:26257?sslmode=require planning time: 5ms'),
      normalizeValue('(sql) postgresql://root@127.0.0.1:26260/defaultdb?sslmode=disable planning time: 12µs'),
    );
    assert.equal(normalizeValue('AS OF SYSTEM TIME 2024-11-19 21:04:00.829742'), 'AS OF SYSTEM TIME <timestamp>');
    assert.notEqual(normalizeValue('node 3 has been shutdown'), normalizeValue('node 4 has been shutdown'));
  });

  it('runs SQL typed at cockroach demo’s prompt in the demo’s shell, on its movr database, until \\q', async () => {
    const markdown = [
      '# Demo',
      '',
      `${fence}sql`,
      'CREATE TABLE leftover (k INT PRIMARY KEY);',
      fence,
      '',
      `${fence}shell`,
      '$ cockroach demo',
      fence,
      '',
      `${fence}sql`,
      '> SHOW TABLES;',
      fence,
      '',
      fence,
      '  schema_name |         table_name         | type  | owner | estimated_row_count | locality',
      '--------------+----------------------------+-------+-------+---------------------+-----------',
      '  public      | promo_codes                | table | demo  |                1000 | NULL',
      '  public      | rides                      | table | demo  |                 500 | NULL',
      '  public      | user_promo_codes           | table | demo  |                   0 | NULL',
      '  public      | users                      | table | demo  |                  50 | NULL',
      '  public      | vehicle_location_histories | table | demo  |                1000 | NULL',
      '  public      | vehicles                   | table | demo  |                  15 | NULL',
      '(6 rows)',
      fence,
      '',
      `${fence}sql`,
      'demo@127.0.0.1:26257/movr> SELECT count(*) FROM leftover;',
      fence,
      '',
      fence,
      'ERROR: relation "leftover" does not exist',
      'SQLSTATE: 42P01',
      fence,
      '',
      `${fence}sql`,
      '> \\q',
      fence,
      '',
      `${fence}sql`,
      'SELECT current_database();',
      fence,
      '',
      fence,
      '  current_database',
      '--------------------',
      '  defaultdb',
      '(1 row)',
      fence,
    ].join('\n');
    const result = await check(markdown);
    assert.deepEqual(
      result.steps.filter((s) => s.verdict !== 'no expected output').map((s) => [s.statement, s.verdict, s.difference]),
      [
        ['SHOW TABLES;', 'faithful', undefined],
        ['SELECT count(*) FROM leftover;', 'faithful', undefined],
        ['SELECT current_database();', 'faithful', undefined],
      ],
    );
  });

  it('leaves the demo shell at ctrl-d typed as its own step, and takes ctrl-c as a key press', async () => {
    const markdown = [
      '# Demo',
      '',
      `${fence}shell`,
      '$ cockroach demo',
      fence,
      '',
      `${fence}sql`,
      '> SELECT current_database();',
      fence,
      '',
      fence,
      '  current_database',
      '--------------------',
      '  movr',
      '(1 row)',
      fence,
      '',
      `${fence}shell`,
      'ctrl-d',
      fence,
      '',
      `${fence}shell`,
      'Ctrl+C',
      fence,
      '',
      `${fence}sql`,
      'SELECT current_database();',
      fence,
      '',
      fence,
      '  current_database',
      '--------------------',
      '  defaultdb',
      '(1 row)',
      fence,
    ].join('\n');
    const result = await check(markdown);
    assert.deepEqual(
      result.steps.map((s) => [s.statement, s.verdict]),
      [
        ['cockroach demo', 'no expected output'],
        ['SELECT current_database();', 'faithful'],
        ['ctrl-d', 'no expected output'],
        ['Ctrl+C', 'no expected output'],
        ['SELECT current_database();', 'faithful'],
      ],
    );
  });

  it('reads a multi-line value printed as cockroach sql prints it, continuation rows under its first line', async () => {
    const markdown = [
      `${fence}sql`,
      '> CREATE TABLE pets (name STRING PRIMARY KEY, legs INT8);',
      '> SHOW CREATE TABLE pets;',
      fence,
      '',
      fence,
      '  table_name |                create_statement',
      '-------------+-------------------------------------------------',
      '  pets       | CREATE TABLE public.pets (',
      '             |     name STRING NOT NULL,',
      '             |     legs INT8 NULL,',
      '             |     CONSTRAINT pets_pkey PRIMARY KEY (name ASC)',
      '             | )',
      '(1 row)',
      fence,
    ].join('\n');
    const simulator = await Simulator.start({ nodes: 1 });
    try {
      const steps = await runLesson(simulator, markdown);
      assert.deepEqual(
        checkLesson(markdown, steps).steps.map((s) => s.verdict),
        ['no expected output', 'faithful'],
      );
      // The report prints the value the same way: one row per line of it, the other cells empty.
      assert.equal(
        formatLessonText('pets.md', steps).split('\n').slice(2, 11).join('\n'),
        [
          'pets.md:3: SHOW CREATE TABLE pets;',
          '   table_name | create_statement',
          `  ------------+${'-'.repeat(46)}`,
          '   pets       | CREATE TABLE public.pets (',
          '              | \tname STRING NOT NULL,',
          '              | \tlegs INT8 NULL,',
          '              | \tCONSTRAINT pets_pkey PRIMARY KEY (name ASC)',
          '              | )',
          '  (1 row)',
        ].join('\n'),
      );
    } finally {
      await simulator.close();
    }
  });

  it('strips the cockroach sql prompt only where a statement starts', () => {
    assert.equal(
      withoutSqlPrompts(['> SELECT 2', '> 1 AS bigger;', 'root@localhost:26257/defaultdb> \\demo ls', '  > SELECT 3;'].join('\n')),
      ['  SELECT 2', '> 1 AS bigger;', `${' '.repeat(32)}\\demo ls`, '    SELECT 3;'].join('\n'),
    );
  });

  it('reports a matching lesson faithful, and a differing one with its first difference', async () => {
    const markdown = [
      '# Check',
      '',
      `${fence}sql`,
      'CREATE TABLE t (id INT PRIMARY KEY, name STRING);',
      "INSERT INTO t VALUES (1, 'a'), (2, 'b');",
      fence,
      '',
      `${fence}sql`,
      'SELECT name FROM t ORDER BY id;',
      fence,
      '',
      fence,
      '  name',
      '--------',
      '  a',
      '  b',
      '(2 rows)',
      fence,
      '',
      `${fence}sql`,
      'SELECT name FROM t WHERE id = 2;',
      fence,
      '',
      fence,
      '  name',
      '--------',
      '  z',
      '(1 row)',
      fence,
      '',
      `${fence}sql`,
      'SELECT * FROM missing;',
      fence,
      '',
      `${fence}text`,
      'ERROR: relation "missing" does not exist',
      'SQLSTATE: 42P01',
      fence,
    ].join('\n');
    const result = await check(markdown);
    assert.deepEqual(
      result.steps.map((s) => [s.line, s.verdict]),
      [
        [4, 'no expected output'],
        [5, 'no expected output'],
        [9, 'faithful'],
        [21, 'differs'],
        [32, 'faithful'],
      ],
    );
    assert.equal(result.steps[3]?.difference, 'row 1, column name: expected "z", got "b"');
    assert.match(formatLessonCheck('l.md', result), /\n2 of 3 steps with printed output match\n$/);
  });

  it('does not compare ids, timestamps and UUIDs, but does compare row counts and columns', async () => {
    const markdown = [
      `${fence}sql`,
      "SELECT gen_random_uuid() AS id, now() AS created, 'x' AS label;",
      fence,
      '',
      fence,
      '                   id                  |            created            | label',
      '---------------------------------------+-------------------------------+--------',
      '  0d9e2c35-2d87-4c4f-8c57-1a6f2ac0a001 | 2024-11-19 21:04:00.829742+00 | x',
      '(1 row)',
      fence,
      '',
      `${fence}sql`,
      "SELECT 'x' AS label;",
      fence,
      '',
      fence,
      '  label | extra',
      '--------+-------',
      '  x     | y',
      '(1 row)',
      fence,
    ].join('\n');
    const result = await check(markdown);
    assert.deepEqual(
      result.steps.map((s) => s.verdict),
      ['faithful', 'differs'],
    );
    assert.equal(result.steps[1]?.difference, 'expected columns (label, extra), got (label)');
  });

  it('crdb-studio lesson --check exits 1 when a step differs, 0 when all match', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-check-'));
    try {
      const file = path.join(dir, 'lesson.md');
      const lesson = (value: string): string =>
        [`${fence}sql`, 'SELECT 1 AS one;', fence, '', fence, '  one', '-------', `  ${value}`, '(1 row)', fence, ''].join('\n');
      writeFileSync(file, lesson('1'));
      const good = spawnSync(process.execPath, [cli, 'lesson', '--check', file], { encoding: 'utf8', timeout: PATIENCE_MS });
      assert.equal(good.status, 0, good.stdout + good.stderr);
      assert.match(good.stdout, /faithful\n1 of 1 steps with printed output match/);
      writeFileSync(file, lesson('2'));
      const bad = spawnSync(process.execPath, [cli, 'lesson', '--check', '--format', 'json', file], {
        encoding: 'utf8',
        timeout: PATIENCE_MS,
      });
      assert.equal(bad.status, 1);
      const report = JSON.parse(bad.stdout) as { compared: number; matched: number; steps: { verdict: string }[] };
      assert.deepEqual([report.compared, report.matched, report.steps[0]?.verdict], [1, 0, 'differs']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Every lesson of the repository prints what CockroachDB prints, and the simulator agrees.
  const lessons = path.join(repoRoot, 'examples', 'lessons');
  for (const file of readdirSync(lessons).filter((f) => f.endsWith('.md'))) {
    it(`examples/lessons/${file}: every printed output matches`, async () => {
      const result = await check(readFileSync(path.join(lessons, file), 'utf8'));
      assert.deepEqual(
        result.steps.filter((s) => s.verdict === 'differs').map((s) => `${s.line}: ${s.statement} → ${s.difference ?? ''}`),
        [],
      );
    });
  }
});
