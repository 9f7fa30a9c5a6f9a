// A session's life around the shared engine: a client that goes away leaves nothing behind (no
// place in the queue, no open transaction, no statement still to run), one session's statements
// never run in another's transaction, an idle transaction cannot block the others for good, and
// idle_in_transaction_session_timeout ends a session as CockroachDB does.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { Client } from 'pg';
import { applyControl } from '../../../cluster/src/model/control';
import { Simulator } from '../../../cluster/src/simulator';
import type { Session } from '../../../cluster/src/sql/session';
import { queryMessage } from '../../../cluster/src/wire/messages';
import { WireServer } from '../../../cluster/src/wire/server';
import { until } from '../../support/patience';

async function one(session: Session, sql: string): Promise<{ code?: string; message?: string; rows: (string | null)[][]; tag: string }> {
  const results = await session.execute(sql);
  const failed = results.find((r) => r.error);
  const last = results[results.length - 1];
  return {
    ...(failed?.error ? { code: failed.error.code, message: failed.error.message } : {}),
    rows: last?.rows ?? [],
    tag: last?.tag ?? '',
  };
}

async function ok(session: Session, sql: string): Promise<(string | null)[][]> {
  const result = await one(session, sql);
  assert.equal(result.code, undefined, `${sql}: ${result.message ?? ''}`);
  return result.rows;
}

describe('simulated cluster: session lifecycle and the engine lock', function () {
  this.timeout(120_000);

  describe('through the Session API', () => {
    let simulator: Simulator;
    beforeEach(async () => {
      // No waiter gives up and no holder is preempted unless a test says so.
      simulator = await Simulator.start({ nodes: 3, lockWaitMs: 600_000, lockHoldMs: 600_000 });
      const setup = simulator.openSession();
      await ok(setup, 'CREATE TABLE t (v STRING PRIMARY KEY)');
      await simulator.closeSession(setup);
    });
    afterEach(async () => {
      await simulator.close();
    });

    it('a session closed while its BEGIN waits leaves the queue: it never takes the engine', async () => {
      const a = simulator.openSession();
      const b = simulator.openSession();
      await ok(a, 'BEGIN');
      const waiting = b.execute('BEGIN');
      await b.close();
      const [result] = await waiting;
      assert.equal(result?.error?.code, '08003');
      await ok(a, 'COMMIT');
      const c = simulator.openSession();
      assert.deepEqual(await ok(c, 'SELECT 1'), [['1']]);
      await ok(c, 'BEGIN');
      await ok(c, 'COMMIT');
    });

    it("the editor's snapshot measures only once no session's transaction is open", async () => {
      const a = simulator.openSession();
      await ok(a, 'BEGIN');
      await ok(a, "INSERT INTO t VALUES ('uncommitted')");
      let measured = false;
      const snapshot = simulator.refreshSpansOutsideSessions().then(() => (measured = true));
      // The snapshot queues behind a's transaction: a's statements still run, the snapshot does not.
      await ok(a, "INSERT INTO t VALUES ('more')");
      assert.equal(measured, false);
      await ok(a, 'ROLLBACK');
      await snapshot;
      assert.equal(measured, true);
      const c = simulator.openSession();
      assert.deepEqual(await ok(c, 'SELECT count(*) FROM t'), [['0']]);
    });

    it('close waits for the running statement, runs none of the rest, rolls back and hands the engine on', async () => {
      const a = simulator.openSession();
      const b = simulator.openSession();
      await ok(a, 'BEGIN');
      await ok(a, "INSERT INTO t VALUES ('a1')");
      const running = a.execute("SELECT pg_sleep(0.2); INSERT INTO t VALUES ('a2'); COMMIT");
      const closing = a.close();
      const bBegin = b.execute('BEGIN');
      await Promise.all([running, closing]);
      assert.equal((await bBegin)[0]?.error, undefined);
      await ok(b, "INSERT INTO t VALUES ('b')");
      const rollback = (await b.execute('ROLLBACK'))[0];
      assert.equal(rollback?.error, undefined);
      assert.deepEqual(rollback?.notices, [], 'ROLLBACK ends the transaction B opened');
      assert.deepEqual(await ok(b, 'SELECT v FROM t ORDER BY v'), []);
      assert.equal(b.status, 'I');
    });

    it('the engine refuses a session that does not hold it', async () => {
      const a = simulator.openSession();
      const b = simulator.openSession();
      await ok(a, 'BEGIN');
      await assert.rejects(simulator.engineQuery(b, queryMessage("INSERT INTO t VALUES ('b')")), /does not hold the engine/);
      await ok(a, 'ROLLBACK');
      assert.deepEqual(await ok(b, 'SELECT count(*) FROM t'), [['0']]);
    });

    it('a closed session answers with an error and touches nothing', async () => {
      const a = simulator.openSession();
      await a.close();
      assert.equal((await one(a, "INSERT INTO t VALUES ('late')")).code, '08003');
      assert.deepEqual(await ok(simulator.openSession(), 'SELECT count(*) FROM t'), [['0']]);
    });
  });

  describe('bounds on holding and waiting', () => {
    let simulator: Simulator | undefined;
    afterEach(async () => {
      await simulator?.close();
      simulator = undefined;
    });

    it('a holder past the bound while another session waits is aborted: the waiter runs, the holder gets 40001', async () => {
      simulator = await Simulator.start({ nodes: 1, lockWaitMs: 600_000, lockHoldMs: 1 });
      const a = simulator.openSession();
      const b = simulator.openSession();
      await ok(a, 'CREATE TABLE t (v STRING PRIMARY KEY)');
      await ok(a, 'BEGIN');
      await ok(a, "INSERT INTO t VALUES ('a')");
      assert.deepEqual(await ok(b, 'SELECT count(*) FROM t'), [['0']]);
      const next = await one(a, 'SELECT 1');
      assert.equal(next.code, '40001');
      assert.match(next.message ?? '', /TransactionAbortedError\(ABORT_REASON_PUSHER_ABORTED\)/);
      assert.equal(a.status, 'E');
      assert.equal((await one(a, 'SELECT 1')).code, '25P02');
      assert.equal((await one(a, 'ROLLBACK')).tag, 'ROLLBACK');
      assert.equal(a.status, 'I');
      assert.deepEqual(await ok(a, 'SELECT count(*) FROM t'), [['0']]);
    });

    it("an aborted holder's COMMIT fails with 40001: nothing it wrote is committed", async () => {
      simulator = await Simulator.start({ nodes: 1, lockWaitMs: 600_000, lockHoldMs: 1 });
      const a = simulator.openSession();
      const b = simulator.openSession();
      await ok(a, 'CREATE TABLE t (v STRING PRIMARY KEY)');
      await ok(a, 'BEGIN');
      await ok(a, "INSERT INTO t VALUES ('a')");
      await ok(b, 'SELECT 1');
      assert.equal((await one(a, 'COMMIT')).code, '40001');
      assert.equal(a.status, 'I');
      assert.deepEqual(await ok(b, 'SELECT count(*) FROM t'), [['0']]);
    });

    it('a waiter that gives up gets the retryable 40001 and the holder keeps its transaction', async () => {
      simulator = await Simulator.start({ nodes: 1, lockWaitMs: 1, lockHoldMs: 600_000 });
      const a = simulator.openSession();
      const b = simulator.openSession();
      await ok(a, 'CREATE TABLE t (v STRING PRIMARY KEY)');
      await ok(a, 'BEGIN');
      await ok(a, "INSERT INTO t VALUES ('a')");
      assert.equal((await one(b, 'SELECT 1')).code, '40001');
      await ok(a, 'COMMIT');
      assert.deepEqual(await ok(b, 'SELECT v FROM t'), [['a']]);
    });
  });

  describe('over the wire', () => {
    let simulator: Simulator;
    let server: WireServer;
    const clients: Client[] = [];
    const connect = async (node = 1): Promise<Client> => {
      const client = new Client({ host: '127.0.0.1', port: server.port(node), user: 'root', database: 'defaultdb' });
      client.on('error', () => undefined);
      clients.push(client);
      await client.connect();
      return client;
    };

    beforeEach(async () => {
      simulator = await Simulator.start({ nodes: 3, lockWaitMs: 600_000, lockHoldMs: 600_000 });
      server = await WireServer.start(simulator, { port: 0 });
      const setup = await connect();
      await setup.query('CREATE TABLE t (v STRING PRIMARY KEY)');
    });
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.end().catch(() => undefined)));
      await server.close();
      await simulator.close();
    });

    it('a socket destroyed while its BEGIN waits does not wedge the cluster (the issue’s psql reproduction)', async () => {
      const a = await connect();
      await a.query('BEGIN');
      const b = await connect();
      const socket = (b as unknown as { connection: { stream: net.Socket } }).connection.stream;
      const waiting = b.query('BEGIN').catch((error: unknown) => error);
      await until(() => [...simulator.sessions].some((s) => simulator.waitsForEngine(s)), 'BEGIN queued behind the transaction');
      socket.destroy();
      assert.ok((await waiting) instanceof Error);
      await until(() => simulator.sessions.size === 2, 'the closed session gone');
      await a.query('COMMIT');
      const c = await connect();
      assert.deepEqual((await c.query('SELECT 1 AS one')).rows, [{ one: '1' }]);
      await c.query('BEGIN');
      await c.query('COMMIT');
    });

    it('a gateway node shut down mid-transaction takes its sessions and their transactions with it', async () => {
      const a = await connect(2);
      await a.query('BEGIN');
      await a.query("INSERT INTO t VALUES ('a')");
      const b = await connect(1);
      const waiting = b.query('SELECT count(*) AS n FROM t');
      await until(() => [...simulator.sessions].some((s) => simulator.waitsForEngine(s)), 'SELECT queued behind the transaction');
      // What `\\demo shutdown 2` does, from outside: that statement would queue behind the transaction too.
      applyControl(simulator, { action: 'kill', nodeId: 2 });
      assert.deepEqual((await waiting).rows, [{ n: '0' }]);
      assert.deepEqual((await b.query('SELECT 1 AS one')).rows, [{ one: '1' }]);
    });

    it('idle_in_transaction_session_timeout ends the session with 25P03 and rolls its transaction back', async () => {
      const a = await connect();
      const terminated = new Promise<{ code?: string; message: string }>((resolve) => {
        a.on('error', (error: Error & { code?: string }) => {
          resolve(error);
        });
      });
      await a.query("SET idle_in_transaction_session_timeout = '50ms'");
      assert.deepEqual((await a.query('SHOW idle_in_transaction_session_timeout')).rows, [{ idle_in_transaction_session_timeout: '50' }]);
      // One message, so the timer starts only once the transaction holds its write: on a loaded
      // machine a second round trip could arrive after the 50 ms and find the session ended.
      await a.query("BEGIN; INSERT INTO t VALUES ('a')");
      const error = await terminated;
      assert.equal(error.code, '25P03');
      assert.match(error.message, /idle-in-transaction timeout/);
      const b = await connect();
      assert.deepEqual((await b.query('SELECT count(*) AS n FROM t')).rows, [{ n: '0' }]);
    });

    it('idle_in_transaction_session_timeout rejects a value that is not a duration', async () => {
      const a = await connect();
      await assert.rejects(a.query("SET idle_in_transaction_session_timeout = 'soon'"), { code: '22023' });
      await a.query('SET idle_in_transaction_session_timeout = 0');
      assert.deepEqual((await a.query('SHOW idle_in_transaction_session_timeout')).rows, [{ idle_in_transaction_session_timeout: '0' }]);
    });
  });
});
