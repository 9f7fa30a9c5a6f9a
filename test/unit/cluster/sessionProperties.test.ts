// Random interleavings of clients over the wire (BEGIN, writes, COMMIT, ROLLBACK, sockets
// destroyed while idle, mid-statement or while queued, gateway nodes shut down and restarted),
// checked against a serial model of the engine lock: the one transaction open at a time, and a
// FIFO queue of the statements waiting behind it. After every schedule: no statement ran in
// another session's transaction, every acknowledged commit is visible, nothing uncommitted is,
// and a fresh connection answers SELECT 1.
//
// The seed is random unless CRDB_STUDIO_SEED is set; it is printed, and a failure prints it with
// the shrunk schedule (fast-check's counterexample). Replay: CRDB_STUDIO_SEED=<seed> npx mocha <this file>.
import * as assert from 'node:assert/strict';
import type * as net from 'node:net';
import fc from 'fast-check';
import { Client } from 'pg';
import { applyControl } from '../../../cluster/src/model/control';
import { Simulator } from '../../../cluster/src/simulator';
import type { Session } from '../../../cluster/src/sql/session';
import { WireServer } from '../../../cluster/src/wire/server';
import { PATIENCE_MS, until } from '../../support/patience';

const CLIENTS = 3;
const SCHEDULES = 40;
/** Only a guard against a wedged cluster (a hang fails the schedule with its seed), never a measure: as patient as every other wait. */
const HANG_MS = PATIENCE_MS;

type Action =
  | { kind: 'begin' | 'insert' | 'commit' | 'rollback' | 'disconnect' | 'disconnect-mid'; client: number; delay: number }
  | { kind: 'kill' | 'restart'; node: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constantFrom('begin', 'insert', 'insert', 'commit', 'rollback', 'disconnect', 'disconnect-mid'),
      client: fc.integer({ min: 0, max: CLIENTS - 1 }),
      delay: fc.integer({ min: 0, max: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('kill', 'restart'), node: fc.integer({ min: 2, max: 3 }) }) },
);

type Outcome = { ok: true; notices: string[] } | { ok: false; error: string };

interface ModelClient {
  index: number;
  /** Its gateway: client i on node i + 1 (node 1's client is never cut off by a node kill). */
  node: number;
  pg: Client | undefined;
  session: Session | undefined;
  socket: net.Socket | undefined;
  notices: string[];
  inTransaction: boolean;
  transactionKeys: string[];
  /** A statement queued behind another client's transaction. */
  pending: { kind: 'begin' | 'insert'; key: string; outcome: Promise<Outcome> } | undefined;
}

function guard<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => {
      clearTimeout(timer);
    }),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`hung: ${what}`));
      }, HANG_MS);
    }),
  ]);
}

describe('simulated cluster: concurrent sessions against a serial model (property)', function () {
  this.timeout(30 * 60_000);
  let simulator: Simulator;
  let server: WireServer;
  let admin: Client;

  before(async () => {
    // Nobody gives up waiting and no holder is preempted: the schedule alone decides who runs.
    simulator = await Simulator.start({ nodes: 3, lockWaitMs: 3_600_000, lockHoldMs: 3_600_000 });
    server = await WireServer.start(simulator, { port: 0 });
    admin = new Client({ host: '127.0.0.1', port: server.port(1), user: 'root', database: 'defaultdb' });
    await admin.connect();
    await admin.query('CREATE TABLE p (k STRING PRIMARY KEY)');
  });
  after(async () => {
    await admin.end();
    await server.close();
    await simulator.close();
  });

  it('no statement runs in another session’s transaction; commits stay, nothing else does; the cluster answers after', async () => {
    const seed = Number(process.env.CRDB_STUDIO_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`      session schedules: seed ${seed}, ${SCHEDULES} schedules of up to 16 steps, ${CLIENTS} clients`);
    let schedule = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 16 }), async (actions) => {
        await runSchedule(actions, `s${schedule++}`);
      }),
      { seed, numRuns: SCHEDULES, endOnFailure: false },
    );
  });

  async function runSchedule(actions: readonly Action[], prefix: string): Promise<void> {
    const clients: ModelClient[] = Array.from({ length: CLIENTS }, (_, index) => ({
      index,
      node: index + 1,
      pg: undefined,
      session: undefined,
      socket: undefined,
      notices: [],
      inTransaction: false,
      transactionKeys: [],
      pending: undefined,
    }));
    let holder: ModelClient | undefined;
    const queue: ModelClient[] = [];
    const committed = new Set<string>();
    /** Autocommitted writes whose client went away before the answer: present or not. */
    const uncertain = new Set<string>();
    let dead: number | undefined;
    let step = 0;

    const waiting = (): number => [...simulator.sessions].filter((s) => simulator.waitsForEngine(s)).length;

    const connect = async (client: ModelClient): Promise<boolean> => {
      if (client.pg) return true;
      if (client.node === dead) return false;
      const before = new Set(simulator.sessions);
      const pg = new Client({ host: '127.0.0.1', port: server.port(client.node), user: 'root', database: 'defaultdb' });
      pg.on('error', () => undefined);
      pg.on('notice', (notice) => client.notices.push(notice.message ?? ''));
      await guard(pg.connect(), `client ${client.index} connects`);
      client.pg = pg;
      client.socket = (pg as unknown as { connection: { stream: net.Socket } }).connection.stream;
      client.session = [...simulator.sessions].find((s) => !before.has(s));
      return true;
    };

    const send = (client: ModelClient, sql: string): Promise<Outcome> => {
      const pg = client.pg;
      assert.ok(pg);
      client.notices = [];
      return pg.query(sql).then(
        (): Outcome => ({ ok: true, notices: client.notices }),
        (error: unknown): Outcome => ({ ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
    };

    /** What an acknowledged statement did, in the model. */
    const applied = (client: ModelClient, kind: string, key: string, outcome: Outcome): void => {
      const what = `step ${step}: client ${client.index} ${kind}${key ? ` ${key}` : ''}`;
      if (!outcome.ok) assert.fail(`${what} failed: ${outcome.error}`);
      // "no transaction in progress" / "already a transaction in progress": it ran in the wrong one.
      assert.deepEqual(
        outcome.notices.filter((n) => n.includes('transaction')),
        [],
        `${what}: the client's transaction state is its own`,
      );
      if (kind === 'begin') {
        client.inTransaction = true;
        holder = client;
      } else if (kind === 'insert') {
        if (client.inTransaction) client.transactionKeys.push(key);
        else committed.add(key);
      } else {
        if (kind === 'commit') for (const k of client.transactionKeys) committed.add(k);
        endTransaction(client);
      }
    };

    const endTransaction = (client: ModelClient): void => {
      client.inTransaction = false;
      client.transactionKeys = [];
      if (holder === client) holder = undefined;
    };

    /** The engine passed on: queued statements run in order until one opens a transaction. */
    const drain = async (): Promise<void> => {
      while (!holder) {
        const next = queue.shift();
        if (!next?.pending) return;
        const { kind, key, outcome } = next.pending;
        next.pending = undefined;
        applied(next, kind, key, await guard(outcome, `client ${next.index}'s queued ${kind} runs`));
      }
    };

    /** A client whose connection ended (its socket destroyed, or its node shut down). */
    const gone = async (client: ModelClient): Promise<void> => {
      const session = client.session;
      client.pg = undefined;
      client.socket = undefined;
      client.session = undefined;
      if (client.pending) {
        const outcome = await guard(client.pending.outcome, `client ${client.index}'s queued statement ends`);
        assert.equal(outcome.ok, false, `step ${step}: a statement whose client went away while it waited never ran`);
        queue.splice(queue.indexOf(client), 1);
        client.pending = undefined;
      }
      endTransaction(client);
      if (session) await until(() => !simulator.sessions.has(session), `client ${client.index}'s session closed`, HANG_MS);
      await drain();
    };

    const statement = async (client: ModelClient, kind: 'begin' | 'insert' | 'commit' | 'rollback'): Promise<void> => {
      if (client.pending) return;
      // The model's clients follow the protocol: BEGIN when idle, COMMIT and ROLLBACK inside one.
      if (kind === 'begin' ? client.inTransaction : kind !== 'insert' && !client.inTransaction) return;
      if (!(await connect(client))) return;
      const key = kind === 'insert' ? `${prefix}-${step}` : '';
      const sql = kind === 'insert' ? `INSERT INTO p VALUES ('${key}')` : kind.toUpperCase();
      const outcome = send(client, sql);
      if (holder && holder !== client) {
        // Behind another client's transaction: queued, and the model's queue is the engine's.
        client.pending = { kind: kind === 'begin' ? 'begin' : 'insert', key, outcome };
        queue.push(client);
        await until(() => waiting() === queue.length, `client ${client.index}'s ${kind} queued`, HANG_MS);
        return;
      }
      applied(client, kind, key, await guard(outcome, `client ${client.index} ${kind}`));
      if (!holder) await drain();
    };

    const disconnect = async (client: ModelClient, mid: boolean, delay: number): Promise<void> => {
      if (!client.pg || !client.socket) return;
      const socket = client.socket;
      if (mid && !client.pending && !(holder && holder !== client)) {
        // A write the server may or may not have received when the socket goes.
        const key = `${prefix}-${step}`;
        void send(client, `INSERT INTO p VALUES ('${key}')`);
        if (!client.inTransaction) uncertain.add(key);
        for (let i = 0; i < delay; i++) await new Promise((resolve) => setImmediate(resolve));
      }
      socket.destroy();
      await gone(client);
    };

    const node = async (kind: 'kill' | 'restart', id: number): Promise<void> => {
      if (kind === 'kill' ? dead !== undefined : dead !== id) return;
      const verb = kind === 'kill' ? 'shutdown' : 'restart';
      // Through `\demo` when nothing holds the engine; directly otherwise (the command would queue).
      if (holder) applyControl(simulator, { action: kind, nodeId: id });
      else await guard(admin.query(`\\demo ${verb} ${id}`), `\\demo ${verb} ${id}`);
      dead = kind === 'kill' ? id : undefined;
      if (kind === 'kill') for (const client of clients) if (client.node === id && client.pg) await gone(client);
    };

    try {
      for (const a of actions) {
        step++;
        if ('node' in a) await node(a.kind, a.node);
        else {
          const client = clients[a.client];
          assert.ok(client);
          if (a.kind === 'disconnect' || a.kind === 'disconnect-mid') await disconnect(client, a.kind === 'disconnect-mid', a.delay);
          else await statement(client, a.kind);
        }
      }
    } catch (error) {
      // A failed schedule leaves the cluster as it found it, so that fast-check's shrinking replays
      // smaller schedules against a clean cluster instead of one still held by this one's transaction.
      const sessions = clients.map((client) => client.session).filter((session) => session !== undefined);
      for (const client of clients) client.socket?.destroy();
      await until(() => sessions.every((session) => !simulator.sessions.has(session)), 'the failed schedule’s sessions closed', HANG_MS);
      if (dead !== undefined) applyControl(simulator, { action: 'restart', nodeId: dead });
      throw error;
    }
    // Every client leaves; the cluster comes back whole and must answer a newcomer.
    step++;
    for (const client of clients)
      if (client.pg && client.socket) {
        client.socket.destroy();
        await gone(client);
      }
    if (dead !== undefined) await node('restart', dead);
    const fresh = new Client({ host: '127.0.0.1', port: server.port(1), user: 'root', database: 'defaultdb' });
    await guard(fresh.connect(), 'a fresh client connects');
    try {
      assert.deepEqual((await guard(fresh.query('SELECT 1 AS one'), 'SELECT 1 after the schedule')).rows, [{ one: '1' }]);
      const rows = await guard(fresh.query<{ k: string }>(`SELECT k FROM p WHERE k LIKE '${prefix}-%'`), 'reading the writes');
      const present = new Set(rows.rows.map((r) => r.k));
      for (const key of committed) assert.ok(present.has(key), `acknowledged write ${key} is visible`);
      for (const key of present) assert.ok(committed.has(key) || uncertain.has(key), `${key} was never committed, yet it is visible`);
    } finally {
      await fresh.end();
    }
  }
});
