// EXPLAIN and EXPLAIN ANALYZE print CockroachDB's plans: the operators, tables@indexes and spans
// CockroachDB would show for the statement, derived from the plan the engine chose for it.
import * as assert from 'node:assert/strict';
import { Simulator } from '../../../cluster/src/simulator';
import type { Session } from '../../../cluster/src/sql/session';
import { exec, fails, one, rows } from './sqlSupport';

/** The `info` lines of an EXPLAIN. */
async function plan(session: Session, sql: string): Promise<string[]> {
  const result = await one(session, sql);
  assert.equal(result.error, undefined, `${sql}\n→ ${result.error?.message ?? ''}`);
  assert.deepEqual(
    result.fields.map((f) => f.name),
    ['info'],
  );
  return result.rows.map((row) => row[0] ?? '');
}

/** The value of `key: value` lines (or of a bare `key` line: '') anywhere in the plan. */
function values(lines: readonly string[], key: string): string[] {
  return lines.flatMap((line) => {
    const text = line.replace(/^[\s│├└─•]*/, '');
    if (text === key) return [''];
    return text.startsWith(`${key}: `) ? [text.slice(key.length + 2)] : [];
  });
}

describe('simulated cluster: EXPLAIN as CockroachDB prints it', function () {
  let simulator: Simulator;
  let session: Session;

  before(async () => {
    simulator = await Simulator.start();
    session = simulator.openSession();
    await exec(
      session,
      'CREATE TABLE kv (k INT PRIMARY KEY, v INT, s STRING, INDEX kv_v_idx (v))',
      'CREATE TABLE orders (id INT PRIMARY KEY, k INT, total INT)',
      "INSERT INTO kv VALUES (1, 10, 'a'), (2, 20, 'b'), (3, 30, 'c')",
      'INSERT INTO orders VALUES (1, 1, 5), (2, 1, 7), (3, 2, 9)',
    );
  });
  after(async () => {
    await simulator.close();
  });

  it('a primary-key point lookup: a scan of t@t_pkey with one span', async () => {
    assert.deepEqual(await plan(session, 'EXPLAIN SELECT * FROM kv WHERE k = 2'), [
      'distribution: local',
      'vectorized: true',
      '',
      '• scan',
      '  missing stats',
      '  table: kv@kv_pkey',
      '  spans: [/2 - /2]',
    ]);
  });

  it('IN lists and ranges on the key become sorted spans; integers’ exclusive bounds are tightened', async () => {
    assert.deepEqual(values(await plan(session, 'EXPLAIN SELECT * FROM kv WHERE k IN (3, 1)'), 'spans'), ['[/1 - /1] [/3 - /3]']);
    assert.deepEqual(values(await plan(session, 'EXPLAIN SELECT * FROM kv WHERE k > 1 AND k <= 5'), 'spans'), ['[/2 - /5]']);
    assert.deepEqual(values(await plan(session, 'EXPLAIN SELECT * FROM kv WHERE k >= 2'), 'spans'), ['[/2 - ]']);
  });

  it('a secondary index lookup needing other columns: an index join over the index scan', async () => {
    assert.deepEqual((await plan(session, 'EXPLAIN SELECT * FROM kv WHERE v = 20')).slice(3), [
      '• index join',
      '│ table: kv@kv_pkey',
      '│',
      '└── • scan',
      '      missing stats',
      '      table: kv@kv_v_idx',
      '      spans: [/20 - /20]',
    ]);
  });

  it('a filter on a column without an index: a filter over a FULL SCAN', async () => {
    assert.deepEqual((await plan(session, "EXPLAIN SELECT * FROM kv WHERE s = 'b'")).slice(3), [
      '• filter',
      "│ filter: s = 'b'",
      '│',
      '└── • scan',
      '      missing stats',
      '      table: kv@kv_pkey',
      '      spans: FULL SCAN',
    ]);
  });

  it('a join on the other table’s primary key: a lookup join, or a hash join of two scans', async () => {
    const lookup = await plan(session, 'EXPLAIN SELECT * FROM orders JOIN kv ON kv.k = orders.k WHERE orders.id = 1');
    assert.deepEqual(lookup.slice(3), [
      '• lookup join',
      '│ table: kv@kv_pkey',
      '│ equality: (k) = (k)',
      '│ equality cols are key',
      '│',
      '└── • scan',
      '      missing stats',
      '      table: orders@orders_pkey',
      '      spans: [/1 - /1]',
    ]);
    const hash = await plan(session, 'EXPLAIN SELECT * FROM orders JOIN kv ON kv.k = orders.k');
    assert.ok(
      hash.some((l) => /• (hash|merge|lookup) join$/.test(l)),
      hash.join('\n'),
    );
    assert.deepEqual(values(hash, 'table').sort(), ['kv@kv_pkey', 'orders@orders_pkey']);
  });

  it('aggregates: group (scalar) without GROUP BY, group (hash) with it', async () => {
    assert.deepEqual((await plan(session, 'EXPLAIN SELECT count(*) FROM kv')).slice(3), [
      '• group (scalar)',
      '│',
      '└── • scan',
      '      missing stats',
      '      table: kv@kv_pkey',
      '      spans: FULL SCAN',
    ]);
    const grouped = await plan(session, 'EXPLAIN SELECT k, sum(total) FROM orders GROUP BY k');
    assert.equal(grouped[3], '• group (hash)');
    assert.deepEqual(values(grouped, 'group by'), ['k']);
  });

  it('ORDER BY + LIMIT: a top-k; a LIMIT in key order is a limited scan', async () => {
    assert.deepEqual((await plan(session, 'EXPLAIN SELECT * FROM kv ORDER BY s DESC LIMIT 2')).slice(3), [
      '• top-k',
      '│ order: -s',
      '│ k: 2',
      '│',
      '└── • scan',
      '      missing stats',
      '      table: kv@kv_pkey',
      '      spans: FULL SCAN',
    ]);
    assert.deepEqual((await plan(session, 'EXPLAIN SELECT * FROM kv ORDER BY k LIMIT 1')).slice(3), [
      '• scan',
      '  missing stats',
      '  table: kv@kv_pkey',
      '  spans: LIMITED SCAN',
      '  limit: 1',
    ]);
  });

  it('INSERT … VALUES: the insert fast path, into every column, auto commit; not run by EXPLAIN', async () => {
    assert.deepEqual(await plan(session, 'EXPLAIN INSERT INTO kv (k, v) VALUES (9, 90)'), [
      'distribution: local',
      'vectorized: false',
      '',
      '• insert fast path',
      '  into: kv(k, v, s)',
      '  auto commit',
      '  size: 3 columns, 1 row',
    ]);
    assert.deepEqual(await rows(session, 'SELECT k FROM kv WHERE k = 9'), []);
  });

  it('UPDATE and DELETE: the rows are read FOR UPDATE; a key-only delete deletes ranges', async () => {
    assert.deepEqual((await plan(session, 'EXPLAIN UPDATE kv SET s = NULL WHERE k = 1')).slice(3), [
      '• update',
      '│ table: kv',
      '│ set: s',
      '│ auto commit',
      '│',
      '└── • render',
      '    │',
      '    └── • scan',
      '          missing stats',
      '          table: kv@kv_pkey',
      '          spans: [/1 - /1]',
      '          locking strength: for update',
    ]);
    assert.deepEqual((await plan(session, 'EXPLAIN DELETE FROM orders WHERE id = 3')).slice(3), [
      '• delete range',
      '  from: orders',
      '  auto commit',
      '  spans: [/3 - /3]',
    ]);
  });

  it('inside an explicit transaction a mutation does not auto commit', async () => {
    await exec(session, 'BEGIN');
    const lines = await plan(session, 'EXPLAIN INSERT INTO kv VALUES (8, 80, NULL)');
    await exec(session, 'ROLLBACK');
    assert.deepEqual(values(lines, 'auto commit'), []);
  });

  it('VERBOSE adds the columns and the estimated row count, marked as made without statistics', async () => {
    const lines = await plan(session, 'EXPLAIN (VERBOSE) SELECT k, v FROM kv WHERE k = 1');
    assert.deepEqual(values(lines, 'columns'), ['(k, v)']);
    assert.match(values(lines, 'estimated row count')[0] ?? '', /^\d[\d,]* \(missing stats\)$/);
    assert.deepEqual(values(lines, 'missing stats'), []);
  });

  it('EXPLAIN ANALYZE runs the statement: the header, then per operator the nodes, regions and actual rows', async () => {
    const lines = await plan(session, "EXPLAIN ANALYZE SELECT * FROM kv WHERE s = 'b'");
    const header = lines.slice(0, lines.indexOf('')).map((l) => l.split(':')[0]);
    assert.deepEqual(header, [
      'planning time',
      'execution time',
      'distribution',
      'vectorized',
      'plan type',
      'rows decoded from KV',
      'maximum memory usage',
      'network usage',
      'regions',
      'isolation level',
      'priority',
      'quality of service',
    ]);
    assert.deepEqual(values(lines, 'actual row count'), ['1', '3']);
    assert.deepEqual(values(lines, 'KV rows decoded'), ['3']);
    assert.deepEqual(values(lines, 'sql nodes'), ['n1', 'n1']);
    assert.deepEqual(values(lines, 'kv nodes'), ['n1']);
    assert.match(lines[0] ?? '', /^planning time: \d+(µs|ms)$/);
  });

  it('EXPLAIN ANALYZE of a write writes', async () => {
    const lines = await plan(session, 'EXPLAIN ANALYZE INSERT INTO kv VALUES (7, 70, NULL)');
    assert.deepEqual(values(lines, 'actual row count'), ['1']);
    assert.deepEqual(await rows(session, 'SELECT v FROM kv WHERE k = 7'), [{ v: '70' }]);
  });

  it('options: a second mode or an unknown option fails as in CockroachDB; DISTSQL is not simulated', async () => {
    assert.match((await fails(session, 'EXPLAIN (PLAN, PLAN) SELECT 1', '42601')).message, /cannot set EXPLAIN mode more than once/);
    assert.match((await fails(session, 'EXPLAIN (FOO) SELECT 1', '42601')).message, /unsupported EXPLAIN option/);
    await fails(session, 'EXPLAIN (DISTSQL) SELECT 1', '0A000');
    await fails(session, 'EXPLAIN (OPT) SELECT 1', '0A000');
  });

  it('bad input fails with the statement’s own error, and leaves the session usable', async () => {
    await fails(session, 'EXPLAIN SELECT * FROM missing', '42P01');
    await fails(session, 'EXPLAIN SHOW TABLES', '0A000');
    await fails(session, 'EXPLAIN', '42601');
    await exec(session, 'BEGIN');
    await fails(session, 'SELECT 1/0', '22012');
    await fails(session, 'EXPLAIN SELECT * FROM kv', '25P02');
    await exec(session, 'ROLLBACK');
    assert.deepEqual(values(await plan(session, 'EXPLAIN SELECT * FROM kv WHERE k = 1'), 'spans'), ['[/1 - /1]']);
  });

  it('a schema change is one operator named after it', async () => {
    assert.deepEqual(await plan(session, 'EXPLAIN CREATE TABLE other (a INT)'), [
      'distribution: local',
      'vectorized: false',
      '',
      '• create table',
    ]);
  });
});

describe('simulated cluster: EXPLAIN of REGIONAL BY ROW tables and follower reads', function () {
  let simulator: Simulator;
  let session: Session;

  before(async () => {
    simulator = await Simulator.start({ global: true });
    // A gateway in us-west1.
    session = simulator.openSession({ nodeId: 4 });
    await exec(
      session,
      'CREATE DATABASE shop PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1"',
      'USE shop',
      'CREATE TABLE users (id INT PRIMARY KEY, email STRING UNIQUE, name STRING, INDEX users_name_idx (name)) LOCALITY REGIONAL BY ROW',
      "INSERT INTO users (id, email, name) VALUES (1, 'a@x', 'ann'), (2, 'b@x', 'bo')",
    );
  });
  after(async () => {
    await simulator.close();
  });

  it('a unique lookup without the region: a locality-optimized search, the gateway’s region first', async () => {
    assert.deepEqual((await plan(session, 'EXPLAIN SELECT * FROM users WHERE id = 1')).slice(3), [
      '• union all',
      '│ limit: 1',
      '│',
      '├── • scan',
      '│     missing stats',
      '│     table: users@users_pkey',
      "│     spans: [/'us-west1'/1 - /'us-west1'/1]",
      '│',
      '└── • scan',
      '      missing stats',
      '      table: users@users_pkey',
      "      spans: [/'europe-west1'/1 - /'europe-west1'/1] [/'us-east1'/1 - /'us-east1'/1]",
    ]);
  });

  it('with the region in the condition: one span in that partition', async () => {
    const lines = await plan(session, "EXPLAIN SELECT * FROM users WHERE crdb_region = 'us-east1' AND id = 2");
    assert.deepEqual(lines.slice(3), [
      '• scan',
      '  missing stats',
      '  table: users@users_pkey',
      "  spans: [/'us-east1'/2 - /'us-east1'/2]",
    ]);
  });

  it('a non-unique index: every region’s partition', async () => {
    const lines = await plan(session, "EXPLAIN SELECT id FROM users WHERE name = 'bo'");
    assert.deepEqual(values(lines, 'spans'), [
      "[/'europe-west1'/'bo' - /'europe-west1'/'bo'] [/'us-east1'/'bo' - /'us-east1'/'bo'] [/'us-west1'/'bo' - /'us-west1'/'bo']",
    ]);
  });

  it('EXPLAIN ANALYZE of the search: the local scan ran on a us-west1 leaseholder; the remote one was not needed when the row is local', async () => {
    await exec(session, "INSERT INTO users (id, email, name, crdb_region) VALUES (5, 'e@x', 'eve', 'us-west1')");
    const lines = await plan(session, 'EXPLAIN ANALYZE SELECT * FROM users WHERE id = 5');
    const kvNodes = values(lines, 'kv nodes');
    assert.equal(kvNodes.length, 1);
    assert.ok(['n4', 'n5', 'n6'].includes(kvNodes[0] ?? ''), `kv nodes ${kvNodes.join()}`);
    assert.deepEqual(values(lines, 'regions').slice(0, 2), ['us-west1', 'us-west1']);
    assert.deepEqual(values(lines, 'actual row count'), ['1', '1']);
  });

  it('AS OF SYSTEM TIME follower_read_timestamp(): used follower read, served in the gateway’s region', async () => {
    const lines = await plan(
      session,
      "EXPLAIN ANALYZE SELECT * FROM users AS OF SYSTEM TIME follower_read_timestamp() WHERE crdb_region = 'us-east1' AND id = 1",
    );
    assert.deepEqual(values(lines, 'used follower read'), ['', '']);
    const kvNodes = values(lines, 'kv nodes');
    assert.ok(
      kvNodes.every((n) => ['n4', 'n5', 'n6'].includes(n)),
      `kv nodes ${kvNodes.join()}`,
    );
  });
});
