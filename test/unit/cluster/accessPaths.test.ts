// Access paths on the `cockroach demo --global` topology: which ranges a statement touches and
// what a learner waits for it, per path — compared with what the path must cost from the
// topology's round trips (regions us-east1, us-west1, europe-west1; nodes 1–3, 4–6, 7–9).
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import fc from 'fast-check';
import { Client } from 'pg';
import { globalReadsLeadMs, MAX_CLOCK_OFFSET_MS } from '../../../cluster/src/model/latency';
import { rttMs, SAME_REGION_RTT_MS } from '../../../cluster/src/model/topology';
import { Simulator } from '../../../cluster/src/simulator';
import { planAccess, type StatementAccess, type TableAccess } from '../../../cluster/src/sql/accessPaths';
import type { Session } from '../../../cluster/src/sql/session';
import { insertedRows, updatedColumns, whereFilters } from '../../../cluster/src/sql/statementFilters';
import { WireServer, type ReplyClock } from '../../../cluster/src/wire/server';
import { lex } from '../../../sql/src/lexer';
import { parseDocument } from '../../../sql/src/parser';
import { PATIENCE_MS, until } from '../../support/patience';
import { repoRoot } from '../../support/tools';
import { exec, fails, one } from './sqlSupport';

const EAST = 'us-east1';
const WEST = 'us-west1';
const EUROPE = 'europe-west1';
/** A gateway node in each region, as demo --global numbers them. */
const GATEWAY: ReadonlyMap<string, number> = new Map([
  [EAST, 1],
  [WEST, 4],
  [EUROPE, 7],
]);

function gateway(region: string): number {
  const node = GATEWAY.get(region);
  assert.ok(node !== undefined);
  return node;
}

/** The round trip the topology gives between two regions (the region's own: the same-region figure). */
function rtt(a: string, b: string): number {
  return rttMs(a, b);
}

/** A local round trip: to the gateway itself (0) or another node of its region. */
function assertLocal(latency: number | undefined, what: string): void {
  assert.ok(latency !== undefined && latency >= 0 && latency <= SAME_REGION_RTT_MS, `${what}: ${latency ?? 'none'} ms is not local`);
}

async function latencyOf(session: Session, sql: string): Promise<number> {
  const result = await one(session, sql);
  assert.equal(result.error, undefined, `${sql} → ${result.error?.message ?? ''}`);
  assert.ok(result.latencyMs !== undefined, `${sql} reports no latency`);
  return result.latencyMs;
}

async function plan(session: Session, sql: string): Promise<StatementAccess> {
  const document = parseDocument(sql);
  const statement = document.statements[0]?.statement;
  assert.ok(statement?.type === 'other');
  const kind = statement.kind;
  const tables = [['users'], ['accounts'], ['events'], ['promos'], ['rates']].filter((parts) => sql.includes(` ${parts[0] ?? ''}`));
  return planAccess(session, {
    text: sql,
    tokens: document.tokens,
    kind,
    tables,
    ...(statement.target ? { target: statement.target.parts.map((p) => p.value) } : {}),
  });
}

function only(access: StatementAccess): TableAccess {
  assert.equal(access.tables.length, 1);
  const [table] = access.tables;
  assert.ok(table);
  return table;
}

const SCHEMA = [
  `CREATE DATABASE mr PRIMARY REGION "${EAST}" REGIONS "${WEST}", "${EUROPE}"`,
  'USE mr',
  'CREATE TABLE users (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), email STRING UNIQUE, name STRING) LOCALITY REGIONAL BY ROW',
  'CREATE TABLE accounts (id INT PRIMARY KEY, balance INT) LOCALITY REGIONAL BY ROW',
  'CREATE TABLE events (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), body STRING) LOCALITY REGIONAL BY ROW',
  'CREATE TABLE promos (code STRING PRIMARY KEY, pct INT) LOCALITY GLOBAL',
  'CREATE TABLE rates (id INT PRIMARY KEY, rate INT) LOCALITY REGIONAL BY TABLE IN PRIMARY REGION',
  `INSERT INTO users (email, name, crdb_region) VALUES ('ada@east', 'Ada', '${EAST}'), ('bo@west', 'Bo', '${WEST}'), ('cy@eu', 'Cy', '${EUROPE}')`,
  `INSERT INTO accounts (id, balance, crdb_region) VALUES (1, 10, '${EAST}'), (2, 20, '${WEST}'), (3, 30, '${EUROPE}')`,
  `INSERT INTO promos VALUES ('SPRING', 10)`,
  'INSERT INTO rates VALUES (1, 5)',
];

describe('simulated cluster: access paths and their latency', function () {
  this.timeout(120_000);
  let simulator: Simulator;
  const sessions: Partial<Record<string, Session>> = {};
  const from = (region: string): Session => {
    const session = sessions[region];
    assert.ok(session);
    return session;
  };

  before(async () => {
    simulator = await Simulator.start({ global: true });
    await exec(simulator.openSession({ nodeId: gateway(EAST) }), ...SCHEMA);
    for (const region of [EAST, WEST, EUROPE]) sessions[region] = simulator.openSession({ nodeId: gateway(region), database: 'mr' });
  });
  after(async () => {
    await simulator.close();
  });

  describe('REGIONAL BY ROW reads', () => {
    it('a filter on crdb_region touches only that partition: local from its region, one round trip from another', async () => {
      const sql = `SELECT * FROM users WHERE crdb_region = '${WEST}'`;
      assertLocal(await latencyOf(from(WEST), sql), 'us-west1 partition from us-west1');
      assert.equal(await latencyOf(from(EAST), sql), rtt(EAST, WEST));
      assert.equal(await latencyOf(from(EUROPE), sql), rtt(EUROPE, WEST));
      const access = only(await plan(from(WEST), sql));
      assert.equal(access.path, 'partition-scan');
      assert.deepEqual(access.partitions, [WEST]);
      assert.ok(access.rangeIds.length > 0);
      const partitions = new Set(access.rangeIds.map((id) => simulator.model.range(id)?.partition));
      assert.deepEqual([...partitions], [WEST], 'only us-west1 ranges are touched');
    });

    it('IN on crdb_region touches those partitions: the furthest of them decides', async () => {
      const sql = `SELECT * FROM users WHERE crdb_region IN ('${WEST}', '${EAST}')`;
      assert.equal(await latencyOf(from(WEST), sql), rtt(WEST, EAST));
      assert.deepEqual(only(await plan(from(WEST), sql)).partitions.sort(), [EAST, WEST].sort());
    });

    it('a full scan touches every partition: the furthest region decides', async () => {
      const sql = 'SELECT * FROM users';
      assert.equal(await latencyOf(from(WEST), sql), Math.max(rtt(WEST, EAST), rtt(WEST, EUROPE)));
      assert.equal(only(await plan(from(WEST), sql)).path, 'full-scan');
    });

    it('a unique lookup without the region is a locality-optimized search: local when the row is local', async () => {
      const sql = `SELECT * FROM users WHERE email = 'bo@west'`;
      assertLocal(await latencyOf(from(WEST), sql), 'a us-west1 row looked up from us-west1');
      const access = only(await plan(from(WEST), sql));
      assert.equal(access.path, 'locality-optimized-search');
      assert.equal(access.index, 'users_email_key');
      assert.deepEqual(access.localityOptimized, { localRegion: WEST, foundLocally: true, remoteRegions: [] });
      assert.deepEqual(access.partitions, [WEST]);
    });

    it('…and fans out to the other regions in parallel, after the local miss, when it is not', async () => {
      const sql = `SELECT * FROM users WHERE email = 'cy@eu'`;
      const latency = await latencyOf(from(WEST), sql);
      const fanOut = Math.max(rtt(WEST, EAST), rtt(WEST, EUROPE));
      assert.ok(latency >= fanOut && latency <= fanOut + SAME_REGION_RTT_MS, `local miss then fan-out: ${latency} ms`);
      const access = only(await plan(from(WEST), sql));
      const search = access.localityOptimized;
      assert.ok(search);
      assert.equal(search.foundLocally, false);
      assert.deepEqual(search.remoteRegions.sort(), [EAST, EUROPE].sort());
      // A primary-key lookup is the same path.
      const pk = `SELECT * FROM accounts WHERE id = 2`;
      assertLocal(await latencyOf(from(WEST), pk), 'account 2 lives in us-west1');
      assert.equal(only(await plan(from(WEST), pk)).path, 'locality-optimized-search');
    });

    it('a lookup naming the row’s region and key goes straight to that partition', async () => {
      const sql = `SELECT * FROM accounts WHERE crdb_region = '${EUROPE}' AND id = 3`;
      assert.equal(await latencyOf(from(WEST), sql), rtt(WEST, EUROPE));
      assertLocal(await latencyOf(from(EUROPE), sql), 'home-region point lookup');
      const access = only(await plan(from(WEST), sql));
      assert.equal(access.path, 'point-lookup');
      assert.deepEqual(access.partitions, [EUROPE]);
    });
  });

  describe('REGIONAL BY ROW writes', () => {
    it('an INSERT with a non-region-prefixed unique key checks the other regions', async () => {
      const latency = await latencyOf(from(WEST), 'INSERT INTO accounts (id, balance) VALUES (40, 1)');
      const check = Math.max(rtt(WEST, EAST), rtt(WEST, EUROPE));
      assert.ok(latency >= check && latency <= check + 2 * SAME_REGION_RTT_MS, `write + uniqueness check: ${latency} ms`);
      const access = only(await plan(from(WEST), 'INSERT INTO accounts (id, balance) VALUES (41, 1)'));
      assert.deepEqual(access.partitions, [WEST], 'the row goes to the gateway’s region');
      assert.deepEqual(
        access.uniquenessChecks.map((c) => [c.index, c.regions.sort()]),
        [['accounts_pkey', [EAST, EUROPE].sort()]],
      );
    });

    it('a UUID key defaulting to gen_random_uuid() needs no check: the insert stays local', async () => {
      const latency = await latencyOf(from(WEST), `INSERT INTO events (body) VALUES ('hello')`);
      assert.ok(latency <= 2 * SAME_REGION_RTT_MS, `local write, local quorum: ${latency} ms`);
      assert.deepEqual(only(await plan(from(WEST), `INSERT INTO events (body) VALUES ('x')`)).uniquenessChecks, []);
      // Its unique email column is not a fresh UUID: users still checks it.
      const users = only(await plan(from(WEST), `INSERT INTO users (email) VALUES ('new@west')`));
      assert.deepEqual(
        users.uniquenessChecks.map((c) => c.index),
        ['users_email_key'],
      );
      // A UUID written out is checked like any other value.
      const explicit = only(await plan(from(WEST), `INSERT INTO events (id, body) VALUES ('8a3b7c4e-1d2f-4a5b-9c6d-7e8f9a0b1c2d', 'x')`));
      assert.deepEqual(
        explicit.uniquenessChecks.map((c) => c.index),
        ['events_pkey'],
      );
    });

    it('a row written to another region pays the round trip to that partition’s leaseholder', async () => {
      const latency = await latencyOf(from(WEST), `INSERT INTO events (body, crdb_region) VALUES ('far', '${EUROPE}')`);
      assert.ok(latency >= rtt(WEST, EUROPE) && latency <= rtt(WEST, EUROPE) + SAME_REGION_RTT_MS, `${latency} ms`);
    });
  });

  describe('GLOBAL and REGIONAL BY TABLE', () => {
    it('a GLOBAL table reads locally in every region; its writes wait out the closed-timestamp lead', async () => {
      for (const region of [EAST, WEST, EUROPE])
        assertLocal(await latencyOf(from(region), `SELECT * FROM promos WHERE code = 'SPRING'`), region);
      assert.equal(only(await plan(from(EUROPE), 'SELECT * FROM promos')).path, 'global-read');
      const write = await latencyOf(from(WEST), `UPSERT INTO promos VALUES ('SUMMER', 5)`);
      // The lead is at least max_offset plus the propagation to the furthest replica.
      const furthest = Math.max(rtt(EAST, WEST), rtt(EAST, EUROPE));
      assert.ok(write >= globalReadsLeadMs(furthest) && write > MAX_CLOCK_OFFSET_MS, `GLOBAL write: ${write} ms`);
    });

    it('REGIONAL BY TABLE reads go to the home region’s leaseholder', async () => {
      const sql = 'SELECT * FROM rates WHERE id = 1';
      assertLocal(await latencyOf(from(EAST), sql), 'home region');
      assert.equal(await latencyOf(from(WEST), sql), rtt(WEST, EAST));
      assert.equal(await latencyOf(from(EUROPE), sql), rtt(EUROPE, EAST));
      assert.equal(only(await plan(from(WEST), sql)).path, 'point-lookup');
    });

    it('follower reads and bounded-staleness reads are served by the nearest replica', async () => {
      // Planned, not run: the table is younger (in wall-clock time) than follower_read_timestamp(),
      // which CockroachDB refuses to read; the latency a run reports is this plan's.
      const follower = 'SELECT * FROM rates AS OF SYSTEM TIME follower_read_timestamp() WHERE id = 1';
      for (const region of [WEST, EUROPE]) {
        const access = only(await plan(from(region), follower));
        assert.equal(access.path, 'follower-read');
        assert.equal(access.followerRead, true);
        assertLocal(access.latencyMs, `follower read from ${region}`);
      }
      const bounded = only(await plan(from(WEST), `SELECT * FROM rates AS OF SYSTEM TIME with_max_staleness('10s') WHERE id = 1`));
      assert.equal(bounded.path, 'bounded-staleness');
      assertLocal(bounded.latencyMs, 'bounded staleness from us-west1');
      // A fixed time older than the closed timestamp is a follower read too.
      assert.equal(only(await plan(from(WEST), `SELECT * FROM rates AS OF SYSTEM TIME '-10s'`)).path, 'follower-read');
      // The present reads the leaseholder.
      const present = only(await plan(from(WEST), 'SELECT * FROM rates WHERE id = 1'));
      assert.equal(present.followerRead, false);
      assert.equal(present.latencyMs, rtt(WEST, EAST));
    });

    it('a lease preference moves the leaseholder, and the latency with it', async () => {
      const session = from(EAST);
      await exec(session, `ALTER TABLE rates SET LOCALITY REGIONAL BY TABLE IN "${EUROPE}"`);
      simulator.model.advance(60_000);
      try {
        assertLocal(await latencyOf(from(EUROPE), 'SELECT * FROM rates WHERE id = 1'), 'the new home region');
        assert.equal(await latencyOf(from(WEST), 'SELECT * FROM rates WHERE id = 1'), rtt(WEST, EUROPE));
      } finally {
        await exec(session, 'ALTER TABLE rates SET LOCALITY REGIONAL BY TABLE IN PRIMARY REGION');
        simulator.model.advance(60_000);
      }
    });
  });
});

describe('simulated cluster: unavailable partitions', function () {
  this.timeout(120_000);

  it('a query on a live partition answers while another region is down; one on the dead partition waits, then fails', async () => {
    const simulator = await Simulator.start({ global: true });
    try {
      const west = simulator.openSession({ nodeId: gateway(WEST) });
      await exec(west, ...SCHEMA);
      for (const node of [7, 8, 9]) await exec(west, `\\demo shutdown ${node}`);
      simulator.model.advance(10_000);
      assert.equal((await one(west, `SELECT name FROM users WHERE crdb_region = '${WEST}'`)).rows[0]?.[0], 'Bo');
      assert.equal((await one(west, `SELECT name FROM users WHERE email = 'bo@west'`)).rows[0]?.[0], 'Bo', 'found locally: no fan-out');
      assert.equal(
        (await one(west, `INSERT INTO events (body) VALUES ('still here')`)).error,
        undefined,
        'a local write needs no remote check',
      );

      // statement_timeout bounds the wait: 57014 once it has passed, in simulated time.
      await exec(west, `SET statement_timeout = '2s'`);
      let before = simulator.clock.now();
      const timedOut = await fails(west, `SELECT * FROM users WHERE crdb_region = '${EUROPE}'`, '57014');
      assert.equal(timedOut.message, 'query execution canceled due to statement timeout');
      assert.equal(simulator.clock.now() - before, 2000, 'the clock moved by the timeout');

      // Without one, the request waits for the replica's circuit breaker (1m), which then fails it…
      await exec(west, 'SET statement_timeout = 0');
      before = simulator.clock.now();
      const broken = await fails(west, `SELECT * FROM users WHERE crdb_region = '${EUROPE}'`, 'XXUUU');
      assert.match(broken.message, /^replica unavailable: .* lost quorum/);
      assert.equal(simulator.clock.now() - before, 60_000, 'waited kv.replica_circuit_breaker.slow_replication_threshold');
      // …and, tripped, fails the next request at once.
      before = simulator.clock.now();
      await fails(west, `SELECT * FROM users WHERE crdb_region = '${EUROPE}'`, 'XXUUU');
      assert.equal(simulator.clock.now() - before, 0);
      // A full scan needs the dead partition too.
      await fails(west, 'SELECT count(*) FROM users', 'XXUUU');
      // Still, the live partition answers.
      assert.equal((await one(west, `SELECT count(*) FROM users WHERE crdb_region = '${EAST}'`)).rows[0]?.[0], '1');
    } finally {
      await simulator.close();
    }
  });
});

describe('simulated cluster: latency felt in real time', function () {
  this.timeout(120_000);

  it('the demo server holds a reply until its simulated latency has passed', async () => {
    const simulator = await Simulator.start({ global: true, time: 'real' });
    // A clock that stands still, so a reply's whole simulated latency is left to wait; while the
    // test holds replies, each wait lasts until the test lets it go.
    let held: { ms: number; release: () => void } | undefined;
    let holding = false;
    const clock: ReplyClock = {
      now: () => 0,
      wait: (ms) => (holding ? new Promise<void>((release) => (held = { ms, release })) : Promise.resolve()),
    };
    const server = await WireServer.start(simulator, { port: 0, clock });
    /** How long the reply to `run`'s statement was held; checks that nothing came back before. */
    const heldFor = async (run: () => Promise<unknown>): Promise<number> => {
      holding = true;
      held = undefined;
      let answered = false;
      const reply = run().then(() => {
        answered = true;
      });
      const wait = await until(() => held, 'the reply to wait out its latency');
      assert.equal(answered, false, 'no reply before its latency has passed');
      holding = false;
      wait.release();
      await reply;
      return wait.ms;
    };
    try {
      const port = (node: number): number => Number(simulator.addresses.get(node)?.split(':')[1]);
      const east = new Client({ host: '127.0.0.1', port: port(gateway(EAST)), user: 'root', database: 'defaultdb' });
      const west = new Client({ host: '127.0.0.1', port: port(gateway(WEST)), user: 'root', database: 'defaultdb' });
      await east.connect();
      await west.connect();
      try {
        await east.query(`CREATE DATABASE mr PRIMARY REGION "${EAST}" REGIONS "${WEST}", "${EUROPE}"`);
        await east.query('CREATE TABLE mr.rates (id INT PRIMARY KEY, rate INT)');
        await east.query('INSERT INTO mr.rates VALUES (1, 5)');
        // Simple query protocol: held for one us-west1 → us-east1 round trip (to the leaseholder).
        const simple = await heldFor(() => west.query('SELECT * FROM mr.rates WHERE id = 1'));
        assert.equal(simple, rtt(WEST, EAST), 'held for exactly the round trip: a statement whose ranges are ready waits for nothing else');
        // Extended protocol (a parameter), likewise.
        const extended = await heldFor(() => west.query('SELECT * FROM mr.rates WHERE id = $1', [1]));
        assert.equal(
          extended,
          rtt(WEST, EAST),
          'held for exactly the round trip: a statement whose ranges are ready waits for nothing else',
        );
      } finally {
        await east.end();
        await west.end();
      }
    } finally {
      holding = false;
      held?.release();
      await server.close();
      await simulator.close();
    }
  });

  it('in real time an unavailable range is waited for until statement_timeout, then fails with 57014', async () => {
    const simulator = await Simulator.start({ global: true, time: 'real' });
    try {
      const west = simulator.openSession({ nodeId: gateway(WEST) });
      await exec(west, ...SCHEMA);
      for (const node of [7, 8, 9]) await exec(west, `\\demo shutdown ${node}`);
      await exec(west, `SET statement_timeout = '400ms'`);
      // The wait is real (timers, not a jump of the simulated clock): it ends when statement_timeout
      // has passed, before the circuit breaker's minute.
      await fails(west, `SELECT * FROM users WHERE crdb_region = '${EUROPE}'`, '57014');
    } finally {
      await simulator.close();
    }
  });
});

describe('crdb-studio demo --global / --global=false / --no-global', function () {
  this.timeout(2 * PATIENCE_MS);
  const cli = path.join(repoRoot, 'dist', 'cli', 'cli.js');

  /** Starts the demo with `flags`; resolves with its banner once it is ready, then stops it. */
  function banner(flags: string[]): Promise<string> {
    const child = spawn(process.execPath, [cli, 'demo', '--port', '0', ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => {
        child.kill('SIGTERM');
        reject(new Error(`demo did not start:\n${out}`));
      }, PATIENCE_MS);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Press Ctrl-C')) {
          clearTimeout(timer);
          child.once('exit', () => {
            resolve(out);
          });
          child.kill('SIGTERM');
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (!out.includes('Press Ctrl-C')) reject(new Error(`demo exited with ${code ?? 'signal'}:\n${out}`));
      });
    });
  }

  it('--global starts nine nodes in three regions; --global=false and --no-global one node', async () => {
    assert.match(await banner(['--global']), /cluster of 9 nodes in 3 regions/);
    assert.match(await banner(['--global=false']), /cluster of 1 node\./);
    assert.match(await banner(['--no-global']), /cluster of 1 node\./);
    assert.match(await banner(['--global=true', '--nodes', '3']), /cluster of 3 nodes in 3 regions/);
  });

  it('--global=<anything else> is a usage error', () => {
    const run = spawnSync(process.execPath, [cli, 'demo', '--global=maybe'], { encoding: 'utf8' });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--global takes true or false, not 'maybe'/);
  });
});

describe('access paths: what a statement’s text says about its rows', () => {
  const tokens = (sql: string) => lex(sql).tokens;
  const filters = (sql: string, parameters?: (string | null)[]) =>
    whereFilters(tokens(sql), parameters).map((f) => [
      f.qualifier ?? '',
      f.column,
      f.values.map((v) => (v.kind === 'value' ? v.text : v.kind)),
    ]);

  it('reads = and IN conjuncts of the statement’s own WHERE clause', () => {
    assert.deepEqual(filters(`SELECT * FROM t WHERE crdb_region = 'us-west1' AND id IN (1, -2, 3) AND name LIKE 'a%'`), [
      ['', 'crdb_region', ['us-west1']],
      ['', 'id', ['1', '-2', '3']],
    ]);
    assert.deepEqual(filters(`SELECT * FROM t AS x WHERE 'b' = x.email AND (x.id = '7'::INT8) ORDER BY 1`), [
      ['x', 'email', ['b']],
      ['x', 'id', ['7']],
    ]);
    assert.deepEqual(filters('SELECT * FROM t WHERE id = $1 AND k = $2', ['5', null]), [
      ['', 'id', ['5']],
      ['', 'k', ['null']],
    ]);
    assert.deepEqual(filters('SELECT * FROM t WHERE id BETWEEN 1 AND 5 AND k = 2'), [['', 'k', ['2']]]);
  });

  it('says nothing where the clause does not pin values: OR, set operations, joins, subqueries', () => {
    assert.deepEqual(filters(`SELECT * FROM t WHERE id = 1 OR id = 2`), []);
    assert.deepEqual(filters(`SELECT * FROM t WHERE id = 1 UNION SELECT * FROM u`), []);
    assert.deepEqual(filters(`SELECT * FROM t JOIN u ON t.id = u.id WHERE t.id = u.k`), []);
    assert.deepEqual(filters(`SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE k = 1)`), []);
    assert.deepEqual(filters(`SELECT * FROM (SELECT * FROM t WHERE id = 1) AS s`), []);
    assert.deepEqual(filters(`SELECT * FROM t WHERE id = now()`), [['', 'id', ['call']]]);
  });

  it('reads INSERT column lists and VALUES rows, and the columns an UPDATE sets', () => {
    const inserted = insertedRows(tokens(`INSERT INTO db.t AS x (a, crdb_region) VALUES (1, 'us-east1'), (gen_random_uuid(), $1)`), ['eu']);
    assert.deepEqual(inserted.columns, ['a', 'crdb_region']);
    assert.deepEqual(inserted.rows, [
      [
        { kind: 'value', text: '1' },
        { kind: 'value', text: 'us-east1' },
      ],
      [
        { kind: 'call', name: 'gen_random_uuid' },
        { kind: 'value', text: 'eu' },
      ],
    ]);
    assert.deepEqual(insertedRows(tokens('INSERT INTO t SELECT * FROM u')), { columns: undefined, rows: undefined });
    assert.deepEqual(insertedRows(tokens('INSERT INTO t VALUES (1)')).columns, undefined);
    assert.deepEqual(updatedColumns(tokens(`UPDATE t SET a = a + 1, (b, c) = (1, 2), d = f(x, y) WHERE id = 1`)), ['a', 'b', 'c', 'd']);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const t = tokens(`SELECT * FROM t WHERE ${text}`);
        whereFilters(t, ['1']);
        insertedRows(tokens(`INSERT INTO t ${text}`));
        updatedColumns(tokens(`UPDATE t SET ${text}`));
      }),
      { numRuns: 500 },
    );
  });
});
