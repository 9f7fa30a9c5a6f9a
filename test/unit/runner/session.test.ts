// The runner against a real PostgreSQL server: the wire protocol a CockroachDB cluster speaks,
// with real cancel requests, timeouts, terminated backends and retryable errors.
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type * as pg from 'pg';
import type { Notice } from '../../../protocol/src/results';
import { errorLocation } from '../../../runner/src/position';
import { runWithRetry } from '../../../runner/src/retry';
import { SqlSession } from '../../../runner/src/session';
import { statementsIn } from '../../../runner/src/statements';
import type { StatementOutcome } from '../../../runner/src/types';
import { startPostgres, type PostgresServer } from '../../support/postgres';

const page = { pageSize: 500 };

function value(outcome: StatementOutcome, row = 0, column = 0): string | null | undefined {
  assert.equal(outcome.error, undefined, outcome.error?.message);
  return outcome.rows[row]?.[column];
}

describe('runner: a session against a real PostgreSQL', function () {
  let server: PostgresServer;
  let config: pg.ClientConfig;
  const sessions: SqlSession[] = [];

  async function open(options: { statementTimeoutMs?: number } = {}): Promise<SqlSession> {
    const session = await SqlSession.open(config, options);
    sessions.push(session);
    return session;
  }

  before(async () => {
    server = await startPostgres();
    config = { host: server.host, port: server.port, user: server.user, password: server.password, database: 'postgres' };
  });
  afterEach(async () => {
    for (const session of sessions.splice(0)) await session.close();
  });
  after(async () => {
    await server.stop();
  });

  it('connects and runs a statement, with CockroachDB type names and values as the server sent them', async () => {
    const session = await open();
    assert.equal(session.alive, true);
    const outcome = await session.run(
      'SELECT 1::int8 AS a, 1.50::decimal AS b, NULL::text AS c, ARRAY[1,2]::int8[] AS d, true AS e, \'{"k": 1}\'::jsonb AS f, ' +
        "'1 day'::interval AS g, '\\x01'::bytea AS h, 'v'::varchar(3) AS i, 2::int4 AS j, '2024-01-02'::date AS k, 0.5::float8 AS l, 1::oid AS m",
      page,
    );
    assert.deepEqual(
      outcome.columns.map((c) => c.type),
      ['INT8', 'DECIMAL', 'STRING', 'INT8[]', 'BOOL', 'JSONB', 'INTERVAL', 'BYTES', 'VARCHAR', 'INT4', 'DATE', 'FLOAT8', 'OID'],
    );
    assert.deepEqual(outcome.columns[0], { name: 'a', typeOid: 20, type: 'INT8' });
    assert.deepEqual(outcome.rows, [
      ['1', '1.50', null, '{1,2}', 'true', '{"k": 1}', '1 day', '\\x01', 'v', '2', '2024-01-02', '0.5', '1'],
    ]);
    assert.equal(outcome.hasMore, false);
    assert.equal(outcome.tag, 'SELECT 1');
    assert.equal(outcome.rowCount, 1);
    assert.equal(outcome.transaction, 'idle');
    const regclass = await session.run("SELECT 'pg_class'::regclass, 'x'::name, 1::int2", page);
    assert.deepEqual(
      regclass.columns.map((c) => c.type),
      ['REGCLASS', 'NAME', 'INT2'],
    );
    // BOOL as CockroachDB's SQL shell prints it, not the wire's t/f; a BOOL[] keeps the server's text.
    const bools = await session.run('SELECT false AS a, NULL::bool AS b, ARRAY[true]::bool[] AS c', page);
    assert.deepEqual(bools.rows, [['false', null, '{t}']]);
    const unknown = await session.run("SELECT '(1,2)'::point", page);
    assert.equal(unknown.columns[0]?.type, 'oid 600');
  });

  it('runs several statements from one text, each at its offsets, and maps an error to line and column', async () => {
    const session = await open();
    const source =
      'CREATE TABLE offsets (id INT8 PRIMARY KEY, name STRING);\n'.replace('STRING', 'TEXT') +
      "INSERT INTO offsets VALUES (1, 'a;b'), (2, 'c') RETURNING id;\n-- then\nSELECT name\n  FROM offsets\n WHERE nope = 1;\n";
    const statements = statementsIn(source);
    assert.equal(statements.length, 3);
    const outcomes: StatementOutcome[] = [];
    for (const statement of statements) outcomes.push(await session.run(statement.text, page));
    assert.equal(outcomes[0]?.tag, 'CREATE TABLE');
    assert.deepEqual(outcomes[1]?.rows, [['1'], ['2']]);
    assert.equal(outcomes[1].tag, 'INSERT 0 2');
    const failed = outcomes[2];
    assert.equal(failed?.error?.code, '42703');
    assert.equal(failed.error.message, 'column "nope" does not exist');
    const third = statements[2];
    assert.ok(third && failed.error.position !== undefined);
    assert.deepEqual(errorLocation(source, third.start, third.text, failed.error.position), { line: 6, column: 8 });
    const syntax = await session.run('SELEC 1', page);
    assert.equal(syntax.error?.code, '42601');
    assert.equal(syntax.error.position, 1);
  });

  it('keeps session state between runs: SET, and an open transaction with its status', async () => {
    const session = await open();
    await session.run("SET application_name = 'kept-between-runs'", page);
    assert.equal(value(await session.run('SHOW application_name', page)), 'kept-between-runs');
    assert.equal((await session.run('BEGIN', page)).transaction, 'open');
    assert.equal(session.transaction, 'open');
    const failed = await session.run('SELECT 1/0', page);
    assert.equal(failed.error?.code, '22012');
    assert.equal(failed.transaction, 'failed');
    assert.equal((await session.run('SELECT 1', page)).error?.code, '25P02');
    assert.equal((await session.run('ROLLBACK', page)).transaction, 'idle');
    assert.equal(value(await session.run('SHOW application_name', page)), 'kept-between-runs');
  });

  it('runs statements started together one after another, each with its own transaction status', async () => {
    const session = await open();
    const [begin, failed, after, rollback] = await Promise.all([
      session.run('BEGIN', page),
      session.run('SELECT 1/0', page),
      session.run('SELECT 1', page),
      session.run('ROLLBACK', page),
    ]);
    assert.deepEqual(
      [begin, failed, after, rollback].map((o) => [o.error?.code, o.transaction]),
      [
        [undefined, 'open'],
        ['22012', 'failed'],
        ['25P02', 'failed'],
        [undefined, 'idle'],
      ],
    );
  });

  it('collects notices, each with its severity', async () => {
    const session = await open();
    const heard: Notice[] = [];
    const outcome = await session.run("DO $$ BEGIN RAISE NOTICE 'hello from the server'; RAISE WARNING 'careful'; END $$", {
      pageSize: 10,
      onNotice: (notice) => heard.push(notice),
    });
    const expected = [
      { severity: 'NOTICE', message: 'hello from the server' },
      { severity: 'WARNING', message: 'careful' },
    ];
    assert.deepEqual(outcome.notices, expected);
    assert.deepEqual(heard, expected);
  });

  it('cancels a running statement with a cancel request, and the session stays usable', async () => {
    const session = await open();
    assert.equal(await session.cancel(), false, 'nothing to cancel while idle');
    const pid = session.backendPid;
    assert.ok(pid !== undefined);
    const running = session.run('SELECT pg_sleep(10)', page);
    await server.waitUntilActive(pid, 'pg_sleep(10)');
    assert.equal(await session.cancel(), true);
    const outcome = await running;
    assert.equal(outcome.error?.code, '57014');
    assert.match(outcome.error.message, /canceling statement due to user request/);
    assert.equal(session.alive, true);
    assert.equal(value(await session.run('SELECT 41 + 1', page)), '42');
  });

  it('sets statement_timeout when asked', async () => {
    const session = await open({ statementTimeoutMs: 150 });
    assert.equal(value(await session.run('SHOW statement_timeout', page)), '150ms');
    const outcome = await session.run('SELECT pg_sleep(5)', page);
    assert.equal(outcome.error?.code, '57014');
    assert.match(outcome.error.message, /statement timeout/);
    assert.equal(session.alive, true);
  });

  it('reports a dropped connection, marks the session dead and never runs the statement again', async () => {
    const setup = await open();
    await setup.run('CREATE TABLE drops (n INT8)', page);
    const session = await open();
    const pid = session.backendPid;
    assert.ok(pid !== undefined);
    assert.equal(value(await session.run('SELECT pg_backend_pid()', page)), String(pid));
    // The INSERT commits before the sleep starts; a runner that re-ran the text would insert twice.
    const running = runWithRetry(session, 'BEGIN; INSERT INTO drops VALUES (1); COMMIT; SELECT pg_sleep(10)', { ...page, retries: 3 });
    await server.waitUntilActive(pid, 'pg_sleep(10)');
    assert.equal(await server.kill(pid), true);
    const outcome = await running;
    assert.ok(outcome.error, 'the killed statement reports an error');
    assert.equal(outcome.error.code, '57P01');
    assert.equal(session.alive, false);
    assert.match(outcome.note ?? '', /connection was lost.*not run again/);
    assert.equal(value(await setup.run('SELECT count(*) FROM drops', page)), '1');
    const after = await session.run('SELECT 1', page);
    assert.equal(after.error?.code, '08003');
    assert.equal(value(await setup.run('SELECT count(*) FROM drops', page)), '1');
  });

  it('closed from this side while a statement runs, ends the statement with an error at once, not when the server answers', async () => {
    const session = await open();
    const pid = session.backendPid;
    assert.ok(pid !== undefined);
    // Long enough that a wait for the server's answer would outlast the test's timeout.
    const running = session.run('SELECT pg_sleep(3600)', page);
    await server.waitUntilActive(pid, 'pg_sleep(3600)');
    await session.close();
    const outcome = await running;
    assert.ok(outcome.error, 'the statement reports an error');
    assert.match(outcome.error.message, /closed while this statement ran/);
    assert.equal(session.alive, false);
    assert.equal((await session.run('SELECT 1', page)).error?.code, '08003');
  });

  it('pages through 100,000 rows without holding them all', async () => {
    const session = await open();
    const width = 500;
    const statement = `SELECT g, repeat('x', ${width}) FROM generate_series(1, 100000) AS g`;
    const gc = exposeGc();
    gc?.();
    const baseline = process.memoryUsage().heapUsed;
    const first = await session.run(statement, { pageSize: 500 });
    assert.equal(first.rows.length, 500);
    assert.equal(first.hasMore, true);
    assert.equal(first.rows[0]?.[0], '1');
    assert.equal(first.rows[0][1]?.length, width);
    let count = first.rows.length;
    let last = first.rows[first.rows.length - 1]?.[0];
    let peak = 0;
    let hasMore: boolean = first.hasMore;
    let pages = 1;
    while (hasMore) {
      const next = await first.more(500);
      count += next.rows.length;
      if (next.rows.length > 0) last = next.rows[next.rows.length - 1]?.[0];
      hasMore = next.hasMore;
      if (++pages % 20 === 0) {
        gc?.();
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
    }
    assert.equal(count, 100_000);
    assert.equal(last, '100000');
    assert.equal(first.hasMore, false);
    assert.equal(first.rowCount, 100_000);
    assert.equal(first.tag, 'SELECT 100000');
    assert.equal(first.transaction, 'idle');
    // The whole result is at least 100,000 × 500 characters: ~50 MB as JS strings.
    const whole = 100_000 * width;
    assert.ok(peak < whole / 2, `heap grew by ${peak} bytes while paging a ${whole}-byte result`);
    assert.deepEqual(await first.more(10), { rows: [], hasMore: false });
  });

  it('closes an open cursor, and runs the next statement after one left open', async () => {
    const session = await open();
    const outcome = await session.run('SELECT g FROM generate_series(1, 1000) AS g', { pageSize: 10 });
    assert.equal(outcome.hasMore, true);
    const next = await outcome.more(10);
    assert.deepEqual(
      next.rows.map((r) => r[0]),
      ['11', '12', '13', '14', '15', '16', '17', '18', '19', '20'],
    );
    await outcome.close();
    assert.equal(outcome.hasMore, false);
    assert.deepEqual(await outcome.more(10), { rows: [], hasMore: false });
    const left = await session.run('SELECT g FROM generate_series(1, 1000) AS g', { pageSize: 10 });
    assert.equal(left.hasMore, true);
    assert.equal(value(await session.run('SELECT 7', page)), '7');
    assert.equal(left.hasMore, false, 'running another statement closed the cursor');
    // An exact page: no empty extra page is promised.
    const exact = await session.run('SELECT g FROM generate_series(1, 20) AS g', { pageSize: 10 });
    assert.equal(exact.hasMore, true);
    const rest = await exact.more(10);
    assert.equal(rest.rows.length, 10);
    assert.equal(rest.hasMore, false);
  });

  describe('retrying 40001', () => {
    const raise40001 = (sequence: string, condition = 'true'): string =>
      `DO $$ BEGIN PERFORM nextval('${sequence}'); IF ${condition} THEN RAISE EXCEPTION 'restart transaction: simulated' USING ERRCODE = '40001'; END IF; END $$`;
    const attempts = async (session: SqlSession, sequence: string): Promise<string | null | undefined> =>
      value(await session.run(`SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM ${sequence}`, page));

    it('retries a statement outside a transaction, and says so when it still fails', async () => {
      const session = await open();
      await session.run('CREATE SEQUENCE always_fails', page);
      const outcome = await runWithRetry(session, raise40001('always_fails'), { ...page, retries: 3, backoffMs: 1 });
      assert.equal(outcome.error?.code, '40001');
      assert.equal(outcome.note, 'retried 3 time(s) after a retryable 40001 error; it still failed');
      assert.equal(await attempts(session, 'always_fails'), '4');
    });

    it('stops retrying once the statement succeeds', async () => {
      const session = await open();
      await session.run('CREATE SEQUENCE fails_twice', page);
      const outcome = await runWithRetry(session, raise40001('fails_twice', "currval('fails_twice') < 3"), {
        ...page,
        retries: 5,
        backoffMs: 1,
      });
      assert.equal(outcome.error, undefined);
      assert.equal(outcome.note, 'retried 2 time(s) after a retryable 40001 error');
      assert.equal(await attempts(session, 'fails_twice'), '3');
    });

    it('never retries other errors', async () => {
      const session = await open();
      await session.run('CREATE SEQUENCE deadlock', page);
      const deadlock = raise40001('deadlock').replace("'40001'", "'40P01'");
      const outcome = await runWithRetry(session, deadlock, { ...page, retries: 3, backoffMs: 1 });
      assert.equal(outcome.error?.code, '40P01');
      assert.equal(outcome.note, undefined);
      assert.equal(await attempts(session, 'deadlock'), '1');
    });

    it('never re-runs a statement inside an explicit transaction, and says how to retry', async () => {
      const session = await open();
      await session.run('CREATE SEQUENCE in_txn', page);
      await session.run('BEGIN', page);
      const outcome = await runWithRetry(session, raise40001('in_txn'), { ...page, retries: 3, backoffMs: 1 });
      assert.equal(outcome.error?.code, '40001');
      assert.equal(outcome.transaction, 'failed');
      assert.match(outcome.note ?? '', /ROLLBACK, then run the whole transaction again/);
      assert.match(outcome.note ?? '', /ROLLBACK TO SAVEPOINT cockroach_restart/);
      assert.equal((await session.run('ROLLBACK', page)).transaction, 'idle');
      assert.equal(await attempts(session, 'in_txn'), '1');
    });
  });
});

/** V8's gc(), for a steadier heap reading; undefined where the flag cannot be set. */
function exposeGc(): (() => void) | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    return typeof gc === 'function' ? () => void (gc as () => unknown)() : undefined;
  } catch {
    return undefined;
  }
}
