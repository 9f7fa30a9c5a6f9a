// Failures in simulated time: lease failover bounds, quorum loss, region partitions, up-replication
// after server.time_until_store_dead, decommissioning and rebalancing onto new nodes.
import * as assert from 'node:assert/strict';
import { ClusterModel, type RangeState } from '../../../cluster/src/model/cluster';
import { ELECTION_TIMEOUT_MS, MAX_FAILOVER_MS } from '../../../cluster/src/model/timing';
import { demoLocalities } from '../../../cluster/src/model/topology';
import { defaultZoneConfig } from '../../../cluster/src/model/zoneConfig';
import {
  assertOneReplicaPerNode,
  globalCluster,
  localitySpan,
  movr,
  nodeOf,
  onlyRange,
  regionsOf,
  REGIONS,
  tableSpan,
  userRanges,
} from './modelFixtures';

function servedFrom(model: ClusterModel, r: RangeState): void {
  assert.ok(r.available, `r${r.rangeId} available`);
  const lh = nodeOf(model, r.leaseholder);
  assert.ok(lh.running && !lh.isolated, `r${r.rangeId}'s leaseholder n${lh.id} is up`);
  assert.ok(
    r.replicas.some((x) => x.nodeId === lh.id && x.type === 'voter'),
    `r${r.rangeId}'s leaseholder holds a voter`,
  );
}

function defaultTables(model: ClusterModel, n: number): void {
  model.setSpans(Array.from({ length: n }, (_, i) => tableSpan(104 + i, defaultZoneConfig())));
}

describe('cluster model: failures', () => {
  it('fails leases over after 2 to 6 s of simulated time, losing no range', () => {
    const model = globalCluster(3);
    const db = movr('zone');
    model.setSpans([
      localitySpan(db, 104, { kind: 'regional-by-table' }),
      localitySpan(db, 105, { kind: 'global' }),
      ...Array.from({ length: 30 }, (_, i) => tableSpan(106 + i, defaultZoneConfig())),
    ]);
    const home = onlyRange(model, 'movr.public.t104@primary');
    const victim = nodeOf(model, home.leaseholder).id;
    const affected = model.ranges().filter((r) => r.leaseholder === victim);
    const before = model.ranges().length;
    const t0 = model.clock.now();
    model.killNode(victim);

    // Until the lease expires, requests wait; the old holder is still on record.
    const waits = affected.map((r) => model.checkAvailable([r.rangeId]));
    for (const w of waits) {
      assert.equal(w.ok, false);
      const at = w.availableAt ?? 0;
      assert.ok(at >= t0 + ELECTION_TIMEOUT_MS && at <= t0 + MAX_FAILOVER_MS, `failover at ${at - t0} ms`);
    }
    const times = new Set(waits.map((w) => (w.ok ? 0 : w.availableAt)));
    assert.ok(times.size > 1, 'each range draws its own timeouts');

    model.advance(ELECTION_TIMEOUT_MS - 1);
    for (const r of affected) assert.equal(r.leaseholder, victim, `r${r.rangeId} cannot move its lease before 2 s`);
    model.advanceTo(t0 + MAX_FAILOVER_MS);
    assert.equal(model.ranges().length, before);
    for (const r of model.ranges()) servedFrom(model, r);
    assert.equal(nodeOf(model, home.leaseholder).locality.region, 'us-east1', 'the lease stays in the home region');
    assert.deepEqual(model.checkAvailable(model.ranges().map((r) => r.rangeId)), { ok: true });
    assertOneReplicaPerNode(model);
  });

  it('loses quorum when 2 of 3 voters die and serves again once one returns', () => {
    const model = globalCluster(5);
    model.setSpans([localitySpan(movr('zone'), 104, { kind: 'regional-by-table' })]);
    const r = onlyRange(model, 'movr.public.t104@primary');
    const voters = r.replicas.filter((x) => x.type === 'voter').map((x) => x.nodeId);
    const [a, b] = voters.filter((id) => id !== r.leaseholder);
    assert.ok(a !== undefined && b !== undefined);
    model.killNode(a);
    model.killNode(b);
    assert.equal(r.available, false);
    assert.equal(r.leaseholder, undefined);
    const check = model.checkAvailable([r.rangeId]);
    assert.equal(check.ok, false);
    {
      assert.equal(check.availableAt, undefined);
      assert.match(
        check.message,
        new RegExp(
          `^replica unavailable: \\(n\\d,s\\d\\):\\d+ unable to serve request to r${r.rangeId}:/Table/10\\{4-5\\} \\[.*next=\\d+, gen=\\d+\\]: lost quorum \\(down: \\(n\\d,s\\d\\):\\d+,\\(n\\d,s\\d\\):\\d+\\)$`,
        ),
      );
      assert.ok(check.message.includes(`(n${a},s${a})`) && check.message.includes(`(n${b},s${b})`));
    }
    model.advance(60_000);
    assert.equal(r.available, false, 'nothing heals a range without quorum');
    const reporter = model.nodeStats().find((s) => s.rangesUnavailable > 0);
    assert.ok(reporter !== undefined, 'a live replica reports the unavailable range');

    model.restartNode(a);
    assert.equal(r.available, true);
    const wait = model.checkAvailable([r.rangeId]);
    assert.ok(!wait.ok && wait.availableAt !== undefined && wait.availableAt <= model.clock.now() + 2 * ELECTION_TIMEOUT_MS);
    model.advance(2 * ELECTION_TIMEOUT_MS);
    servedFrom(model, r);
    assert.equal(nodeOf(model, r.leaseholder).locality.region, 'us-east1');
  });

  it('ZONE survival: partitioning a region takes down only the ranges homed there', () => {
    const model = globalCluster(11);
    const db = movr('zone');
    model.setSpans([
      localitySpan(db, 104, { kind: 'regional-by-table', region: 'us-west1' }),
      localitySpan(db, 105, { kind: 'regional-by-table' }),
      localitySpan(db, 106, { kind: 'global' }),
      ...Array.from({ length: 10 }, (_, i) => tableSpan(107 + i, defaultZoneConfig())),
    ]);
    model.partitionRegion('us-west1');
    model.advance(MAX_FAILOVER_MS);
    const west = onlyRange(model, 'movr.public.t104@primary');
    assert.equal(west.available, false);
    assert.equal(west.leaseholder, undefined);
    assert.equal(model.checkAvailable([west.rangeId]).ok, false);
    for (const r of model.ranges()) {
      if (r === west) continue;
      servedFrom(model, r);
      assert.notEqual(nodeOf(model, r.leaseholder).locality.region, 'us-west1');
    }
    model.healRegion('us-west1');
    assert.equal(west.available, true);
    assert.equal(nodeOf(model, west.leaseholder).locality.region, 'us-west1', 'the island kept its lease');
    for (const r of model.ranges()) servedFrom(model, r);
  });

  it('REGION survival: every range survives a partitioned region, and leases return home after it heals', () => {
    const model = globalCluster(13);
    const db = movr('region');
    model.setSpans([
      localitySpan(db, 104, { kind: 'regional-by-table', region: 'us-west1' }),
      localitySpan(db, 105, { kind: 'regional-by-table' }),
      localitySpan(db, 106, { kind: 'global' }),
    ]);
    const west = onlyRange(model, 'movr.public.t104@primary');
    model.partitionRegion('us-west1');
    model.advance(MAX_FAILOVER_MS);
    for (const r of model.ranges()) {
      servedFrom(model, r);
      assert.notEqual(nodeOf(model, r.leaseholder).locality.region, 'us-west1');
    }
    model.healRegion('us-west1');
    model.advance(5_000);
    assert.equal(nodeOf(model, west.leaseholder).locality.region, 'us-west1');
  });

  it('up-replicates a dead node’s replicas after server.time_until_store_dead, honouring constraints', () => {
    const model = globalCluster(17);
    model.settings.timeUntilStoreDeadMs = 60_000;
    defaultTables(model, 20);
    model.killNode(8);
    model.advance(59_000);
    const dead = model.nodeStats().find((s) => s.nodeId === 8);
    assert.ok((dead?.replicaCount ?? 0) > 0, 'replicas stay until the store is declared dead');
    assert.ok(model.ranges().some((r) => r.underReplicated));
    model.advance(5 * 60_000);
    assert.equal(model.nodeStats().find((s) => s.nodeId === 8)?.replicaCount, 0);
    for (const r of model.ranges()) {
      assert.equal(r.underReplicated, false, `r${r.rangeId} up-replicated`);
      servedFrom(model, r);
    }
    for (const r of userRanges(model)) assert.equal(new Set(regionsOf(model, r)).size, 3, 'still one replica per region');
    assertOneReplicaPerNode(model);
  });

  it('follows a changed time_until_store_dead for a node that is already down', () => {
    const model = globalCluster(19);
    defaultTables(model, 10);
    model.killNode(2);
    model.advance(60_000);
    assert.ok((model.nodeStats().find((s) => s.nodeId === 2)?.replicaCount ?? 0) > 0);
    model.settings.timeUntilStoreDeadMs = 30_000;
    model.advance(2 * 60_000);
    assert.equal(model.nodeStats().find((s) => s.nodeId === 2)?.replicaCount, 0);
  });

  it('keeps a replica it cannot replace, as the replicate queue does', () => {
    const model = globalCluster(23);
    model.settings.timeUntilStoreDeadMs = 60_000;
    // Three voters in us-east1, which has exactly three nodes.
    model.setSpans([localitySpan(movr('zone'), 104, { kind: 'regional-by-table' })]);
    const r = onlyRange(model, 'movr.public.t104@primary');
    model.killNode(1);
    model.advance(10 * 60_000);
    assert.ok(
      r.replicas.some((x) => x.nodeId === 1),
      'no other us-east1 node can take the voter',
    );
    assert.equal(r.underReplicated, true);
    servedFrom(model, r);
  });

  it('decommissioning moves every replica off, then marks the node decommissioned', () => {
    const model = globalCluster(29);
    defaultTables(model, 30);
    model.decommissionNode(5);
    assert.equal(model.node(5)?.liveness, 'decommissioning');
    assert.ok((model.nodeStats().find((s) => s.nodeId === 5)?.replicaCount ?? 0) > 0, 'moves take simulated time');
    model.advance(10 * 60_000);
    assert.equal(model.node(5)?.liveness, 'decommissioned');
    assert.equal(model.nodeStats().find((s) => s.nodeId === 5)?.replicaCount, 0);
    for (const r of model.ranges()) {
      assert.ok(!r.replicas.some((x) => x.nodeId === 5));
      assert.equal(r.underReplicated, false);
      servedFrom(model, r);
    }
    for (const r of userRanges(model)) assert.equal(new Set(regionsOf(model, r)).size, 3);
    assert.throws(() => {
      model.recommissionNode(5);
    }, /can only recommission a decommissioning node; n5 found to be decommissioned/);
  });

  it('decommissioning stalls when no other node can take the replicas, and recommission undoes it', () => {
    const model = new ClusterModel({ localities: demoLocalities({ nodes: 3 }), seed: 31 });
    model.setSpans([tableSpan(104, defaultZoneConfig())]);
    model.decommissionNode(3);
    model.advance(10 * 60_000);
    assert.equal(model.node(3)?.liveness, 'decommissioning');
    assert.ok((model.nodeStats().find((s) => s.nodeId === 3)?.replicaCount ?? 0) > 0);
    model.recommissionNode(3);
    assert.equal(model.node(3)?.liveness, 'live');
  });

  it('a table laid out while a node is down (not yet dead) gets its replicas there too, as the split that made it would', () => {
    const model = new ClusterModel({ localities: demoLocalities({ nodes: 3 }), seed: 31 });
    model.killNode(3);
    model.setSpans([tableSpan(104, defaultZoneConfig())]);
    const range = onlyRange(model, 'movr.public.t104@primary');
    assert.deepEqual(range.replicas.map((r) => r.nodeId).sort(), [1, 2, 3]);
    // One more node down still leaves a quorum: the range is not one failure from unavailable.
    model.restartNode(3);
    model.killNode(2);
    model.advance(30_000);
    assert.ok(onlyRange(model, 'movr.public.t104@primary').available);
  });

  it('a table laid out once a down node is declared dead has no replica on it', () => {
    const model = new ClusterModel({ localities: demoLocalities({ nodes: 4 }), seed: 31 });
    model.settings.timeUntilStoreDeadMs = 60_000;
    model.killNode(4);
    model.advance(2 * 60_000);
    model.setSpans([tableSpan(104, defaultZoneConfig())]);
    assert.ok(!onlyRange(model, 'movr.public.t104@primary').replicas.some((r) => r.nodeId === 4));
  });

  it('rebalances replicas onto an added node over simulated time', () => {
    const model = globalCluster(37);
    defaultTables(model, 60);
    const added = model.addNode({ region: 'us-east1', zone: 'e' });
    assert.equal(added.id, 10);
    assert.equal(model.nodeStats().find((s) => s.nodeId === 10)?.replicaCount, 0);
    model.advance(10 * 60_000);
    const stats = model.nodeStats();
    const mean = stats.reduce((sum, s) => sum + s.replicaCount, 0) / stats.length;
    const mine = stats.find((s) => s.nodeId === 10)?.replicaCount ?? 0;
    assert.ok(mine >= mean * 0.8, `n10 has ${mine} replicas, mean ${mean.toFixed(1)}`);
    for (const r of userRanges(model)) assert.equal(new Set(regionsOf(model, r)).size, 3);
    for (const r of model.ranges()) servedFrom(model, r);
    assertOneReplicaPerNode(model);
  });

  it('a node restarted after its store was declared dead comes back empty and is refilled', () => {
    const model = globalCluster(41);
    model.settings.timeUntilStoreDeadMs = 60_000;
    defaultTables(model, 40);
    model.killNode(4);
    model.advance(5 * 60_000);
    assert.equal(model.nodeStats().find((s) => s.nodeId === 4)?.replicaCount, 0);
    model.restartNode(4);
    assert.equal(model.node(4)?.liveness, 'live');
    model.advance(10 * 60_000);
    assert.ok((model.nodeStats().find((s) => s.nodeId === 4)?.replicaCount ?? 0) > 10);
  });

  it('keeps replicas of a node restarted before its store was declared dead', () => {
    const model = globalCluster(43);
    defaultTables(model, 10);
    const before = model.nodeStats().find((s) => s.nodeId === 6)?.replicaCount;
    model.killNode(6);
    model.advance(60_000);
    model.restartNode(6);
    model.advance(MAX_FAILOVER_MS);
    assert.equal(model.nodeStats().find((s) => s.nodeId === 6)?.replicaCount, before);
    for (const r of model.ranges()) {
      servedFrom(model, r);
      assert.equal(r.underReplicated, false);
    }
  });

  it('emits node and range events', () => {
    const model = globalCluster(47);
    defaultTables(model, 5);
    const events: string[] = [];
    const off = model.on((e) => events.push(e.type === 'node' ? `node:${e.node.id}:${e.node.liveness}` : e.type));
    model.killNode(7);
    model.advance(MAX_FAILOVER_MS);
    model.setSpans([]);
    off();
    model.restartNode(7);
    assert.equal(events[0], 'node:7:dead');
    assert.ok(events.includes('range'));
    assert.equal(events[events.length - 1], 'ranges');
    assert.ok(!events.includes('node:7:live'), 'no events after unsubscribing');
  });

  // How long this takes is measured in bench/cluster.mjs, not here: a busy machine is no failure.
  it('moves every lease off a killed node with 9 nodes × 5,000 ranges', () => {
    const db = movr('zone');
    const spans = Array.from({ length: 5000 }, (_, i) => localitySpan(db, 104 + i, { kind: 'regional-by-table', region: REGIONS[i % 3] }));
    const model = globalCluster(53);
    model.setSpans(spans);
    assert.ok(userRanges(model).length >= spans.length, 'one range or more per span');
    assert.ok(
      model.ranges().some((r) => r.leaseholder === 1),
      'node 1 held leases before it died',
    );
    model.killNode(1);
    model.advance(MAX_FAILOVER_MS);
    for (const r of model.ranges()) if (r.available) assert.notEqual(r.leaseholder, 1);
  });
});
