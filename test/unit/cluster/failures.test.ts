// Failures on the simulated cluster, seen through SQL: leaseholder failover within CockroachDB's
// bound, lost quorum and its return, region partitions, and the bank workload under random node
// kills over the wire protocol — money conserved, no acknowledged transfer lost.
import * as assert from 'node:assert/strict';
import { Client } from 'pg';
import { Simulator } from '../../../cluster/src/simulator';
import { WireServer } from '../../../cluster/src/wire/server';
import { checkBank, initBank, runBank, type SqlClient } from '../../../cluster/src/workload/bank';
import { until } from '../../support/patience';
import { exec, fails, one, rows } from './sqlSupport';

function replicas(text: string | null | undefined): number[] {
  return (text ?? '').replace(/[{}]/g, '').split(',').filter(Boolean).map(Number);
}

describe('simulated cluster: failures', function () {
  this.timeout(120_000);

  it('a leaseholder dies: the next statement waits out the failover (2–7 s simulated), then succeeds', async () => {
    const simulator = await Simulator.start({ global: true, seed: 7 });
    try {
      const setup = simulator.openSession();
      await exec(
        setup,
        'CREATE TABLE accounts (id INT PRIMARY KEY, balance INT)',
        'INSERT INTO accounts SELECT i, 100 FROM generate_series(1, 50) AS g(i)',
      );
      const [range] = await rows(setup, 'SHOW RANGES FROM TABLE accounts WITH DETAILS');
      const leaseholder = Number(range?.lease_holder);
      const gateway =
        simulator.model.nodes().find((n) => n.id !== leaseholder && !replicas(range?.replicas).includes(n.id)) ??
        simulator.model.nodes().find((n) => n.id !== leaseholder);
      assert.ok(gateway);
      const session = simulator.openSession({ nodeId: gateway.id });
      await exec(session, `\\demo shutdown ${leaseholder}`);
      const before = simulator.clock.now();
      const update = await one(session, 'UPDATE accounts SET balance = balance - 10 WHERE id = 1');
      assert.equal(update.error, undefined, update.error?.message);
      const waited = simulator.clock.now() - before;
      assert.ok(waited >= 2000 && waited <= 7000, `failover took ${waited} ms of simulated time`);
      assert.ok((update.latencyMs ?? 0) >= waited, 'the statement reports the wait in its latency');
      const [after] = await rows(session, 'SHOW RANGES FROM TABLE accounts WITH DETAILS');
      assert.notEqual(Number(after?.lease_holder), leaseholder);
      assert.equal(simulator.model.nodes().find((n) => n.id === Number(after?.lease_holder))?.liveness, 'live');
      assert.deepEqual(await rows(session, 'SELECT sum(balance) AS total FROM accounts'), [{ total: '4990' }]);
    } finally {
      await simulator.close();
    }
  });

  it('a range that loses quorum fails statements with CockroachDB’s error until quorum returns', async () => {
    const simulator = await Simulator.start({ nodes: 5, seed: 3 });
    try {
      const session = simulator.openSession();
      await exec(session, 'CREATE TABLE t (id INT PRIMARY KEY)', 'INSERT INTO t VALUES (1), (2), (3)');
      const [range] = await rows(session, 'SHOW RANGES FROM TABLE t WITH DETAILS');
      const voters = replicas(range?.voting_replicas);
      assert.equal(voters.length, 3);
      const gateway = simulator.model.nodes().find((n) => !voters.includes(n.id));
      assert.ok(gateway, 'a node without a replica of t to connect through');
      const other = simulator.openSession({ nodeId: gateway.id });
      await exec(other, `\\demo shutdown ${voters[0] ?? 0}`, `\\demo shutdown ${voters[1] ?? 0}`);
      const error = await fails(other, 'SELECT count(*) FROM t', 'XXUUU');
      assert.match(error.message, /^replica unavailable: .* unable to serve request to r\d+:.*lost quorum/);
      await exec(other, `\\demo restart ${voters[0] ?? 0}`);
      simulator.model.advance(10_000);
      assert.deepEqual(await rows(other, 'SELECT count(*) AS n FROM t'), [{ n: '3' }]);
    } finally {
      await simulator.close();
    }
  });

  it('a partitioned region: ZONE survival loses the tables homed there, not the others', async () => {
    const simulator = await Simulator.start({ global: true, seed: 5 });
    try {
      const session = simulator.openSession({ nodeId: 1 });
      await exec(
        session,
        'CREATE DATABASE mr PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1"',
        'USE mr',
        'CREATE TABLE west (id INT PRIMARY KEY) LOCALITY REGIONAL BY TABLE IN "us-west1"',
        'CREATE TABLE east (id INT PRIMARY KEY)',
        'INSERT INTO west VALUES (1)',
        'INSERT INTO east VALUES (1)',
      );
      simulator.model.partitionRegion('us-west1');
      simulator.model.advance(10_000);
      await fails(session, 'SELECT * FROM west', 'XXUUU');
      assert.deepEqual(await rows(session, 'SELECT id FROM east'), [{ id: '1' }]);
      simulator.model.healRegion('us-west1');
      simulator.model.advance(10_000);
      assert.deepEqual(await rows(session, 'SELECT id FROM west'), [{ id: '1' }]);
    } finally {
      await simulator.close();
    }
  });

  it('with SURVIVE REGION FAILURE the same partition loses nothing', async () => {
    const simulator = await Simulator.start({ global: true, seed: 5 });
    try {
      const session = simulator.openSession({ nodeId: 1 });
      await exec(
        session,
        'CREATE DATABASE mr PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1" SURVIVE REGION FAILURE',
        'USE mr',
        'CREATE TABLE west (id INT PRIMARY KEY) LOCALITY REGIONAL BY TABLE IN "us-west1"',
        'INSERT INTO west VALUES (1)',
      );
      simulator.model.partitionRegion('us-west1');
      simulator.model.advance(10_000);
      assert.deepEqual(await rows(session, 'SELECT id FROM west'), [{ id: '1' }]);
    } finally {
      await simulator.close();
    }
  });

  it('bank workload over the wire with random node kills and restarts: money conserved, no acknowledged transfer lost', async () => {
    const simulator = await Simulator.start({ global: true, seed: 11 });
    const server = await WireServer.start(simulator, { port: 0 });
    const clients = [1, 4, 7].map(
      (node) => new Client({ host: '127.0.0.1', port: server.port(node), user: 'root', database: 'defaultdb' }),
    );
    try {
      await Promise.all(clients.map((c) => c.connect()));
      const [first] = clients;
      assert.ok(first);
      const options = { accounts: 50, initialBalance: 1000 };
      await initBank(first, options);
      const gateways = new Set([1, 4, 7]);
      const victims = simulator.model
        .nodes()
        .filter((n) => !gateways.has(n.id))
        .map((n) => n.id);
      let seed = 17;
      const random = (n: number): number => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      // The workload paces the failures, not the clock: a few transfers' worth of statements
      // between two of them, however fast or loaded the machine is.
      let statements = 0;
      let commits = 0;
      const counted = (client: Client): SqlClient => ({
        query: async (sql) => {
          try {
            const result = await client.query<Record<string, unknown>>(sql);
            if (sql === 'COMMIT') commits++;
            return result;
          } finally {
            statements++;
          }
        },
      });
      const stop = new AbortController();
      const running = Promise.all(
        clients.map((client, i) => runBank(counted(client), { ...options, durationMs: Infinity, signal: stop.signal, seed: i + 1 })),
      );
      // A client that stops early (an error without a SQLSTATE) fails the test with its error.
      const ended = running.then(() => {
        throw new Error('the workload stopped early');
      });
      ended.catch(() => undefined);
      const progress = (done: () => boolean, what: string): Promise<unknown> => Promise.race([until(done, what), ended]);
      try {
        for (let round = 0; round < 12; round++) {
          const mark = statements + 15;
          await progress(() => statements >= mark, 'the workload to go on');
          const victim = victims[random(victims.length)] ?? 2;
          const node = simulator.model.nodes().find((n) => n.id === victim);
          if (node?.liveness === 'dead') simulator.model.restartNode(victim);
          else simulator.model.killNode(victim);
          simulator.model.advance(random(5000));
        }
        for (const node of simulator.model.nodes()) if (node.liveness === 'dead') simulator.model.restartNode(node.id);
        simulator.model.advance(30_000);
        await progress(() => commits > 20, 'more than 20 acknowledged transfers');
      } finally {
        stop.abort();
      }
      const results = await running;
      const acknowledged = results.flatMap((r) => r.acknowledged);
      assert.ok(acknowledged.length > 20, `transfers went through (${acknowledged.length})`);
      const check = await checkBank(first, acknowledged, options);
      assert.equal(check.total, check.expectedTotal, 'money is neither created nor destroyed');
      assert.deepEqual(check.missing, [], 'every acknowledged transfer is there');
      assert.ok(
        simulator.model.ranges().every((r) => r.available),
        'every range is available again',
      );
    } finally {
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
      await server.close();
      await simulator.close();
    }
  });
});
