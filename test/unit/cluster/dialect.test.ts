// The CockroachDB dialect a tutorial uses, run on the simulated cluster: each statement must do
// what it does on CockroachDB, or fail saying it is not simulated.
import * as assert from 'node:assert/strict';
import { Simulator } from '../../../cluster/src/simulator';
import type { Session } from '../../../cluster/src/sql/session';
import { exec, fails, one, rows } from './sqlSupport';

describe('simulated cluster: CockroachDB dialect', function () {
  let simulator: Simulator;
  let session: Session;

  before(async () => {
    simulator = await Simulator.start({ global: true });
    session = simulator.openSession();
  });
  after(async () => {
    await simulator.close();
  });

  it('types: STRING, INT (= INT8), BYTES, FLOAT, JSON, SERIAL; casts to them', async () => {
    await exec(session, 'CREATE TABLE types (id SERIAL PRIMARY KEY, s STRING, n INT, b BYTES, f FLOAT, j JSON, v STRING(10))');
    const columns = await rows(session, 'SHOW COLUMNS FROM types');
    assert.deepEqual(
      columns.map((c) => [c.column_name, c.data_type]),
      [
        ['id', 'INT8'],
        ['s', 'STRING'],
        ['n', 'INT8'],
        ['b', 'BYTES'],
        ['f', 'FLOAT8'],
        ['j', 'JSONB'],
        ['v', 'VARCHAR(10)'],
      ],
    );
    assert.equal(columns[0]?.column_default, 'unique_rowid()');
    const [cast] = await rows(session, `SELECT 42::STRING AS s, '7'::INT AS n, CAST(1.5 AS STRING) AS c, 'x'::BYTES AS b`);
    assert.deepEqual(cast, { s: '42', n: '7', c: '1.5', b: '\\x78' });
  });

  it('unique_rowid(): unique, increasing, timestamp-shaped', async () => {
    await exec(session, `INSERT INTO types (s) SELECT 'row' || i::STRING FROM generate_series(1, 200) AS g(i)`);
    const ids = (await rows(session, 'SELECT id FROM types ORDER BY s')).map((r) => BigInt(r.id ?? '0'));
    assert.equal(new Set(ids).size, 200);
    // 10 µs units since 2015-01-01, shifted 15 bits: about 1e18 in the 2020s.
    assert.ok(ids.every((id) => id > 100_000_000_000_000_000n && id < 10_000_000_000_000_000_000n));
  });

  it('INDEX, UNIQUE INDEX, FAMILY and STORING inside CREATE TABLE; USING HASH', async () => {
    await exec(
      session,
      `CREATE TABLE orders (
         id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
         customer STRING NOT NULL,
         placed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
         total DECIMAL(10, 2),
         INDEX by_customer (customer) STORING (total),
         UNIQUE INDEX by_time (placed_at, customer),
         FAMILY f1 (id, customer),
         FAMILY f2 (placed_at, total)
       )`,
      'CREATE INDEX by_time_hash ON orders (placed_at) USING HASH WITH (bucket_count = 8)',
    );
    const indexes = await rows(session, 'SHOW INDEXES FROM orders');
    const names = new Set(indexes.map((r) => r.index_name));
    assert.deepEqual([...names].sort(), ['by_customer', 'by_time', 'by_time_hash', 'orders_pkey']);
    assert.ok(indexes.some((r) => r.index_name === 'by_customer' && r.column_name === 'total' && r.storing === 't'));
    assert.ok(indexes.some((r) => r.index_name === 'by_time' && r.non_unique === 'f'));
    const [create] = await rows(session, 'SHOW CREATE TABLE orders');
    assert.match(create?.create_statement ?? '', /INDEX by_time_hash \(placed_at ASC\) USING HASH WITH \(bucket_count=8\)/);
    assert.match(create?.create_statement ?? '', /CONSTRAINT orders_pkey PRIMARY KEY \(id ASC\)/);
    await exec(session, `INSERT INTO orders (customer, total) VALUES ('ann', 10), ('bob', 20)`);
    await fails(session, `INSERT INTO orders (customer, placed_at) SELECT customer, placed_at FROM orders LIMIT 1`, '23505');
  });

  it('an unnamed USING HASH index inside CREATE TABLE is a secondary index, not the primary key', async () => {
    await exec(session, 'CREATE TABLE readings (id UUID PRIMARY KEY, ts TIMESTAMPTZ, INDEX (ts) USING HASH)');
    const [create] = await rows(session, 'SHOW CREATE TABLE readings');
    const statement = create?.create_statement ?? '';
    // CockroachDB names it <table>_<column>_idx and keeps the default 16 buckets (v22.1+).
    assert.match(statement, /CONSTRAINT readings_pkey PRIMARY KEY \(id ASC\),/);
    assert.match(statement, /INDEX readings_ts_idx \(ts ASC\) USING HASH WITH \(bucket_count=16\)/);
    assert.doesNotMatch(statement, /PRIMARY KEY \([^)]*\) USING HASH/);
  });

  it('UPSERT inserts or replaces by primary key', async () => {
    await exec(
      session,
      'CREATE TABLE kv (k INT PRIMARY KEY, v STRING, n INT DEFAULT 0)',
      `UPSERT INTO kv (k, v) VALUES (1, 'a'), (2, 'b')`,
      `UPSERT INTO kv (k, v) VALUES (1, 'z')`,
    );
    assert.deepEqual(await rows(session, 'SELECT k, v FROM kv ORDER BY k'), [
      { k: '1', v: 'z' },
      { k: '2', v: 'b' },
    ]);
    await exec(session, `UPSERT INTO kv VALUES (2, 'y', 5)`);
    assert.deepEqual(await rows(session, 'SELECT v, n FROM kv WHERE k = 2'), [{ v: 'y', n: '5' }]);
  });

  it('a table without a primary key gets a hidden rowid; hidden columns stay out of SELECT *', async () => {
    await exec(session, `CREATE TABLE nokey (a STRING)`, `INSERT INTO nokey VALUES ('x')`);
    const star = await one(session, 'SELECT * FROM nokey');
    assert.deepEqual(
      star.fields.map((f) => f.name),
      ['a'],
    );
    const named = await rows(session, 'SELECT rowid, a FROM nokey');
    assert.match(named[0]?.rowid ?? '', /^\d{15,}$/);
    const columns = await rows(session, 'SHOW COLUMNS FROM nokey');
    assert.deepEqual(
      columns.map((c) => [c.column_name, c.is_hidden]),
      [
        ['a', 'f'],
        ['rowid', 't'],
      ],
    );
  });

  it('databases are namespaces: CREATE DATABASE, USE, SET DATABASE, qualified names', async () => {
    await exec(session, 'CREATE DATABASE shop', 'USE shop', 'CREATE TABLE items (id INT PRIMARY KEY)', `INSERT INTO items VALUES (1)`);
    await exec(session, 'SET DATABASE = defaultdb', 'CREATE TABLE items (id INT PRIMARY KEY)');
    assert.deepEqual(await rows(session, 'SELECT count(*) AS n FROM items'), [{ n: '0' }]);
    assert.deepEqual(await rows(session, 'SELECT count(*) AS n FROM shop.items'), [{ n: '1' }]);
    assert.deepEqual(await rows(session, 'SELECT count(*) AS n FROM shop.public.items'), [{ n: '1' }]);
    const tables = await rows(session, 'SHOW TABLES FROM shop');
    assert.deepEqual(
      tables.map((t) => t.table_name),
      ['items'],
    );
    const databases = (await rows(session, 'SHOW DATABASES')).map((d) => d.database_name);
    assert.deepEqual(databases, ['defaultdb', 'postgres', 'shop', 'system']);
  });

  it('users, passwords and grants', async () => {
    await exec(session, `CREATE USER maxroach WITH PASSWORD 'secret-pass'`, 'GRANT SELECT ON TABLE defaultdb.items TO maxroach');
    const users = (await rows(session, 'SHOW USERS')).map((u) => u.username);
    assert.ok(users.includes('maxroach'));
  });

  it('cluster settings: SET and SHOW; the version', async () => {
    assert.deepEqual(await rows(session, 'SHOW CLUSTER SETTING version'), [{ version: '25.2' }]);
    await exec(session, `SET CLUSTER SETTING server.time_until_store_dead = '1m15s'`);
    assert.deepEqual(await rows(session, 'SHOW CLUSTER SETTING server.time_until_store_dead'), [
      { 'server.time_until_store_dead': '00:01:15' },
    ]);
    assert.equal(simulator.model.settings.timeUntilStoreDeadMs, 75_000);
    await fails(session, `SET CLUSTER SETTING server.time_until_store_dead = '10s'`, '22023');
  });

  it('transactions: isolation levels as CockroachDB runs them, SAVEPOINT cockroach_restart', async () => {
    await exec(session, 'BEGIN TRANSACTION ISOLATION LEVEL READ UNCOMMITTED');
    assert.deepEqual(await rows(session, 'SHOW TRANSACTION ISOLATION LEVEL'), [{ transaction_isolation: 'read committed' }]);
    await exec(session, 'COMMIT', 'BEGIN ISOLATION LEVEL REPEATABLE READ');
    assert.deepEqual(await rows(session, 'SHOW TRANSACTION ISOLATION LEVEL'), [{ transaction_isolation: 'serializable' }]);
    await exec(
      session,
      'SAVEPOINT cockroach_restart',
      `INSERT INTO kv VALUES (10, 'in-tx', 0)`,
      'ROLLBACK TO SAVEPOINT cockroach_restart',
      `INSERT INTO kv VALUES (11, 'retried', 0)`,
      'RELEASE SAVEPOINT cockroach_restart',
      'COMMIT',
    );
    assert.deepEqual(await rows(session, 'SELECT k FROM kv WHERE k >= 10 ORDER BY k'), [{ k: '11' }]);
  });

  it('AS OF SYSTEM TIME reads the rows as they were, and nothing before the table existed', async () => {
    const [before] = await rows(session, 'SELECT cluster_logical_timestamp() AS ts');
    assert.equal((await one(session, `INSERT INTO kv VALUES (500, 'later')`)).error, undefined);
    const past = await one(session, `SELECT k FROM kv AS OF SYSTEM TIME ${String(before?.ts)} WHERE k = 500`);
    assert.equal(past.error, undefined);
    assert.deepEqual(past.rows, []);
    assert.deepEqual((await one(session, `SELECT k FROM kv AS OF SYSTEM TIME '-1us' WHERE k = 500`)).rows, [['500']]);
    // The table is younger than a follower read's 4.2 s.
    const follower = await one(session, `SELECT k FROM kv AS OF SYSTEM TIME follower_read_timestamp() WHERE k = 1`);
    assert.match(follower.error?.message ?? '', /does not exist/);
    assert.equal((await one(session, 'DELETE FROM kv WHERE k = 500')).error, undefined);
  });

  it('half-typed and broken SQL gives an error, never a crash', async () => {
    for (const sql of [
      'SELEC 1',
      'CREATE TABLE (',
      `INSERT INTO kv VALUES ('unterminated`,
      'SHOW RANGES FROM TABLE nosuch',
      '\\demo explode',
    ]) {
      const result = await one(session, sql);
      assert.ok(result.error, `${sql} must fail`);
    }
    assert.deepEqual(await rows(session, 'SELECT 1 AS ok'), [{ ok: '1' }]);
  });
});
