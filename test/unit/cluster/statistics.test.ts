// Table statistics as CockroachDB keeps them: automatic `__auto__` collections in simulated time
// (a new table at the refresher's next wake-up; after writes once enough rows are stale), manual
// CREATE STATISTICS / ANALYZE, SHOW STATISTICS FOR TABLE, and EXPLAIN's estimated row count.
import * as assert from 'node:assert/strict';
import { Simulator } from '../../../cluster/src/simulator';
import { longDuration, nextRefresh } from '../../../cluster/src/sql/statistics';
import type { Session } from '../../../cluster/src/sql/session';
import { exec, one, rows } from './sqlSupport';

async function plan(session: Session, sql: string): Promise<string[]> {
  const result = await one(session, sql);
  assert.equal(result.error, undefined, result.error?.message);
  return result.rows.map((row) => (row[0] ?? '').replace(/^[\s│├└─•]*/, ''));
}

describe('simulated cluster: table statistics', function () {
  let simulator: Simulator;
  let session: Session;

  beforeEach(async () => {
    simulator = await Simulator.start();
    session = simulator.openSession();
  });
  afterEach(async () => {
    await simulator.close();
  });

  it('collects __auto__ statistics at the refresher wake-up after CREATE TABLE, not before', async () => {
    await exec(
      session,
      'CREATE TABLE kv (k INT PRIMARY KEY, v INT, s STRING)',
      'INSERT INTO kv SELECT g, g % 10, NULL FROM generate_series(1, 100) g',
    );
    assert.deepEqual(await rows(session, 'SHOW STATISTICS FOR TABLE kv'), []);
    assert.ok((await plan(session, 'EXPLAIN SELECT * FROM kv')).includes('missing stats'));
    simulator.model.advance(nextRefresh(simulator.clock.now()) - simulator.clock.now());
    const stats = await rows(session, 'SHOW STATISTICS FOR TABLE kv');
    assert.deepEqual(
      stats.map((s) => [s.statistics_name, s.column_names, s.row_count, s.distinct_count, s.null_count]),
      [
        ['__auto__', '{k}', '100', '100', '0'],
        ['__auto__', '{v}', '100', '10', '0'],
        ['__auto__', '{s}', '100', '1', '100'],
      ],
    );
    const result = await one(session, 'SHOW STATISTICS FOR TABLE kv');
    assert.deepEqual(
      result.fields.map((f) => f.name),
      [
        'statistics_name',
        'column_names',
        'created',
        'row_count',
        'distinct_count',
        'null_count',
        'avg_size',
        'partial_predicate',
        'histogram_id',
        'full_histogram_id',
      ],
    );
    // CockroachDB's `created` is a TIMESTAMP (UTC, no zone written), not a TIMESTAMPTZ.
    assert.equal(result.fields[2]?.typeOid, 1114);
    assert.match(String(result.rows[0]?.[2]), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/);
  });

  it('refreshes after enough rows are written (20% + 500), not after a few', async () => {
    await exec(session, 'CREATE TABLE t (k INT PRIMARY KEY)', 'INSERT INTO t SELECT generate_series(1, 10)');
    simulator.model.advance(61_000);
    await exec(session, 'SELECT 1');
    await exec(session, 'INSERT INTO t SELECT generate_series(11, 100)');
    simulator.model.advance(120_000);
    assert.deepEqual(
      (await rows(session, 'SHOW STATISTICS FOR TABLE t')).map((s) => s.row_count),
      ['10'],
    );
    await exec(session, 'INSERT INTO t SELECT generate_series(101, 700)');
    simulator.model.advance(60_000);
    // The older automatic statistic stays beside the new one (CockroachDB keeps four).
    assert.deepEqual(
      (await rows(session, 'SHOW STATISTICS FOR TABLE t')).map((s) => s.row_count),
      ['10', '700'],
    );
    const jobs = await rows(session, 'SHOW AUTOMATIC JOBS');
    assert.deepEqual(
      jobs.map((j) => [j.job_type, j.description, j.status]),
      [
        ['AUTO CREATE STATS', 'Table statistics refresh for defaultdb.public.t', 'succeeded'],
        ['AUTO CREATE STATS', 'Table statistics refresh for defaultdb.public.t', 'succeeded'],
      ],
    );
    assert.ok(!(await rows(session, 'SHOW JOBS')).some((j) => j.job_type === 'AUTO CREATE STATS'), 'SHOW JOBS leaves automatic jobs out');
  });

  it('EXPLAIN prints the estimated row count with the share of the table and the age of the statistics', async () => {
    await exec(
      session,
      'CREATE TABLE kv (k INT PRIMARY KEY, v INT)',
      'INSERT INTO kv SELECT g, g % 10 FROM generate_series(1, 200) g',
      'ANALYZE kv',
    );
    simulator.model.advance(120_000);
    await exec(session, 'SELECT 1');
    const full = await plan(session, 'EXPLAIN SELECT * FROM kv');
    assert.ok(full.includes('estimated row count: 200 (100% of the table; stats collected 2 minutes ago)'), full.join('\n'));
    const point = await plan(session, 'EXPLAIN SELECT * FROM kv WHERE k = 3');
    assert.ok(point.includes('estimated row count: 1 (0.50% of the table; stats collected 2 minutes ago)'), point.join('\n'));
    assert.ok(!point.includes('missing stats'));
    // Above the scan, operators show the estimate alone; a write shows none.
    const update = await plan(session, 'EXPLAIN UPDATE kv SET v = 1 WHERE v = 3');
    const at = (name: string): number => update.indexOf(name);
    assert.ok(at('update') >= 0 && !update[at('update') + 1]?.startsWith('estimated row count'), update.join('\n'));
    assert.ok(update.includes('estimated row count: 200 (100% of the table; stats collected 2 minutes ago)'), update.join('\n'));
  });

  it('CREATE STATISTICS collects at once, on the columns named', async () => {
    await exec(
      session,
      'CREATE TABLE t (a INT PRIMARY KEY, b INT)',
      'INSERT INTO t VALUES (1, NULL), (2, 5), (3, 5)',
      'CREATE STATISTICS mine ON b FROM t',
    );
    assert.deepEqual(
      (await rows(session, 'SHOW STATISTICS FOR TABLE t')).map((s) => [
        s.statistics_name,
        s.column_names,
        s.row_count,
        s.distinct_count,
        s.null_count,
      ]),
      [['mine', '{b}', '3', '2', '1']],
    );
    assert.deepEqual(
      (await rows(session, 'SHOW JOBS')).filter((j) => j.job_type === 'CREATE STATS').map((j) => j.description),
      ['CREATE STATISTICS mine ON b FROM t'],
    );
    assert.equal((await one(session, 'CREATE STATISTICS x ON nope FROM t')).error?.code, '42703');
    assert.equal((await one(session, 'ANALYZE missing')).error?.code, '42P01');
  });

  it('with sql.stats.automatic_collection.enabled off, no statistics appear and EXPLAIN says missing stats', async () => {
    await exec(
      session,
      'SET CLUSTER SETTING sql.stats.automatic_collection.enabled = false',
      'CREATE TABLE t (k INT PRIMARY KEY)',
      'INSERT INTO t VALUES (1)',
    );
    simulator.model.advance(300_000);
    assert.deepEqual(await rows(session, 'SHOW STATISTICS FOR TABLE t'), []);
    assert.ok((await plan(session, 'EXPLAIN SELECT * FROM t')).includes('missing stats'));
  });

  it('ages read as CockroachDB humanizes them', () => {
    assert.equal(longDuration(0), '0 seconds');
    assert.equal(longDuration(1_000), '1 second');
    assert.equal(longDuration(600_000), '10 minutes');
    assert.equal(longDuration(3_600_000), '1 hour');
    assert.equal(longDuration(5 * 86_400_000), '5 days');
  });

  it("a CHECK constraint may use CockroachDB's type annotation :::", async () => {
    await exec(
      session,
      "CREATE TABLE r (k INT PRIMARY KEY, crdb_region STRING NOT NULL DEFAULT 'ap':::STRING, CONSTRAINT c CHECK (crdb_region IN ('ap':::STRING, 'eu':::STRING)))",
      'INSERT INTO r (k) VALUES (1)',
    );
    assert.deepEqual(await rows(session, 'SELECT crdb_region FROM r'), [{ crdb_region: 'ap' }]);
    assert.equal((await one(session, "INSERT INTO r VALUES (2, 'us')")).error?.code, '23514');
  });
});
