// What the simulation adds to plain SQL: latency by distance, splits by size, up-replication
// after a node is declared dead, conflicting transactions, and the typed API of the cluster's
// own process.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ClusterProcess } from '../../../cluster/src/api/client';
import { Simulator } from '../../../cluster/src/simulator';
import { exec, fails, one, rows } from './sqlSupport';

describe('simulated cluster: simulation', function () {
  this.timeout(120_000);

  it('latency follows the gateway’s distance to the leaseholder (SHOW LAST QUERY STATISTICS)', async () => {
    const simulator = await Simulator.start({ global: true });
    try {
      const east = simulator.openSession({ nodeId: 1 });
      await exec(
        east,
        'CREATE DATABASE mr PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1"',
        'USE mr',
        'CREATE TABLE t (id INT PRIMARY KEY)',
        'INSERT INTO t VALUES (1)',
      );
      const local = await one(east, 'SELECT * FROM t WHERE id = 1');
      const west = simulator.openSession({ nodeId: 5, database: 'mr' });
      const remote = await one(west, 'SELECT * FROM t WHERE id = 1');
      assert.ok(
        (local.latencyMs ?? -1) >= 0 && (local.latencyMs ?? 99) < 10,
        `a read from the leaseholder's region is local (${local.latencyMs ?? 'none'} ms)`,
      );
      assert.ok(
        Math.abs((remote.latencyMs ?? 0) - 66) <= 5,
        `us-west1 → us-east1 is a 66 ms round trip (${remote.latencyMs ?? 'none'} ms)`,
      );
      const [stats] = await rows(west, 'SHOW LAST QUERY STATISTICS');
      assert.match(stats?.service_latency ?? '', /^00:00:00\.06\d+$/);
      const write = await one(east, 'INSERT INTO t VALUES (2)');
      assert.ok((write.latencyMs ?? 0) >= 1, 'a write waits for a quorum of voters');
    } finally {
      await simulator.close();
    }
  });

  it('a large table splits into ranges at sampled keys, in key order', async () => {
    const simulator = await Simulator.start({ nodes: 3, rangeMaxBytes: 64 * 1024 });
    try {
      const session = simulator.openSession();
      await exec(
        session,
        'CREATE TABLE big (id INT PRIMARY KEY, pad STRING)',
        `INSERT INTO big SELECT i, repeat('x', 200) FROM generate_series(1, 3000) AS g(i)`,
      );
      const ranges = await rows(session, 'SHOW RANGES FROM TABLE big');
      assert.ok(ranges.length > 5, `${ranges.length} ranges`);
      assert.equal(ranges[0]?.start_key, '…/<TableMin>');
      assert.equal(ranges[ranges.length - 1]?.end_key, '…/<TableMax>');
      for (let i = 1; i < ranges.length; i++) {
        assert.equal(ranges[i]?.start_key, ranges[i - 1]?.end_key, 'ranges tile the table');
        assert.match(ranges[i]?.start_key ?? '', /^…\/1\/\d+$/);
        assert.ok(Number(ranges[i]?.start_key?.split('/')[2]) > Number(ranges[i - 1]?.start_key?.split('/')[2] ?? 0) || i === 1);
      }
    } finally {
      await simulator.close();
    }
  });

  it('after server.time_until_store_dead, a dead node’s replicas move to live nodes', async () => {
    const simulator = await Simulator.start({ nodes: 5, seed: 2 });
    try {
      const session = simulator.openSession();
      await exec(session, `SET CLUSTER SETTING server.time_until_store_dead = '1m15s'`, 'CREATE TABLE t (id INT PRIMARY KEY)');
      const [before] = await rows(session, 'SHOW RANGES FROM TABLE t');
      const victim = Number(
        (before?.replicas ?? '')
          .replace(/[{}]/g, '')
          .split(',')
          .find((n) => n !== '1'),
      );
      await exec(session, `\\demo shutdown ${victim}`);
      simulator.model.advance(60_000);
      const [waiting] = await rows(session, 'SHOW RANGES FROM TABLE t');
      assert.ok((waiting?.replicas ?? '').replace(/[{}]/g, '').split(',').includes(String(victim)), 'not yet declared dead');
      simulator.model.advance(30_000);
      const [after] = await rows(session, 'SHOW RANGES FROM TABLE t');
      const replicas = (after?.replicas ?? '').replace(/[{}]/g, '').split(',');
      assert.equal(replicas.length, 3);
      assert.ok(!replicas.includes(String(victim)), `replicas ${replicas.join(',')} left node ${victim}`);
    } finally {
      await simulator.close();
    }
  });

  it('a transaction that waits too long on another gets CockroachDB’s retryable error', async () => {
    const simulator = await Simulator.start({ nodes: 3, lockWaitMs: 200 });
    try {
      const a = simulator.openSession();
      const b = simulator.openSession();
      await exec(
        a,
        'CREATE TABLE c (id INT PRIMARY KEY, n INT)',
        'INSERT INTO c VALUES (1, 0)',
        'BEGIN',
        'UPDATE c SET n = 1 WHERE id = 1',
      );
      const error = await fails(b, 'UPDATE c SET n = 2 WHERE id = 1', '40001');
      assert.match(error.message, /^restart transaction: TransactionRetryWithProtoRefreshError/);
      assert.match(error.hint ?? '', /transaction-retry-error-reference/);
      await exec(a, 'COMMIT');
      assert.deepEqual(await rows(b, 'SELECT n FROM c'), [{ n: '1' }]);
    } finally {
      await simulator.close();
    }
  });

  it('the typed API: the cluster in its own process, snapshots, controls, change events', async () => {
    const entry = path.join(__dirname, '..', '..', '..', 'cluster', 'src', 'api', 'child.js');
    const cluster = await ClusterProcess.start(entry, { global: true, port: 0, seed: 4 });
    try {
      assert.match(cluster.ready.url, /^postgresql:\/\/root@127\.0\.0\.1:\d+\/defaultdb/);
      assert.equal(Object.keys(cluster.ready.addresses).length, 9);
      const before = await cluster.snapshot();
      assert.equal(before.nodes.length, 9);
      assert.ok(before.ranges.length > 0);
      const changed = new Promise<number>((resolve) => cluster.onChange(resolve));
      await cluster.control({ action: 'kill', nodeId: 2 });
      await changed;
      const after = await cluster.snapshot();
      assert.equal(after.nodes.find((n) => n.id === 2)?.liveness, 'dead');
      await assert.rejects(cluster.control({ action: 'kill', nodeId: 2 }), /already shut down/);
      await assert.rejects(cluster.control({ action: 'restart', nodeId: 42 }), /does not exist/);
    } finally {
      await cluster.stop();
    }
    assert.equal(cluster.running, false);
  });
});
