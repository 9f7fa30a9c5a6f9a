// Where the simulated allocator puts replicas and leases on demo --global's 9 nodes, per the
// zone configs of each multi-region locality.
import * as assert from 'node:assert/strict';
import { ClusterModel } from '../../../cluster/src/model/cluster';
import { demoLocalities } from '../../../cluster/src/model/topology';
import { defaultZoneConfig } from '../../../cluster/src/model/zoneConfig';
import { withOverrides } from '../../../cluster/src/model/zoneConfigSql';
import {
  assertOneReplicaPerNode,
  count,
  globalCluster,
  localitySpan,
  movr,
  nodeOf,
  onlyRange,
  rbrSpans,
  regionsOf,
  REGIONS,
  tableSpan,
  userRanges,
} from './modelFixtures';

describe('cluster model: placement', () => {
  it('starts with system ranges r1..r69, the liveness range on 5 nodes, so user ranges start at r70', () => {
    const model = globalCluster();
    const ranges = model.ranges();
    assert.equal(ranges.length, 69);
    assert.deepEqual(
      ranges.map((r) => r.rangeId),
      Array.from({ length: 69 }, (_, i) => i + 1),
    );
    const liveness = ranges.find((r) => r.startKey === '/System/NodeLiveness');
    assert.ok(liveness !== undefined);
    assert.equal(liveness.replicas.length, 5);
    // Diversity spreads 5 replicas over all three regions.
    assert.equal(new Set(regionsOf(model, liveness)).size, 3);
    model.setSpans([tableSpan(104, defaultZoneConfig())]);
    assert.equal(userRanges(model)[0]?.rangeId, 70);
    assert.equal(userRanges(model)[0]?.startKey, '/Table/104');
    for (const r of model.ranges()) {
      assert.ok(r.available && !r.underReplicated, `r${r.rangeId} healthy`);
      assert.ok(r.leaseholder !== undefined && r.replicas.some((x) => x.nodeId === r.leaseholder && x.type === 'voter'));
      assert.equal(r.raftLeader, r.leaseholder);
    }
    assertOneReplicaPerNode(model);
  });

  it('spreads a default range (3 replicas) over the three regions', () => {
    const model = globalCluster();
    model.setSpans([tableSpan(104, defaultZoneConfig())]);
    const r = onlyRange(model, 'movr.public.t104@primary');
    assert.deepEqual(regionsOf(model, r).sort(), [...REGIONS].sort());
  });

  it('ZONE survival: 3 voters in the primary region in 3 zones, one non-voter in each other region, lease at home', () => {
    const model = globalCluster();
    const db = movr('zone');
    model.setSpans([localitySpan(db, 104, { kind: 'regional-by-table' })]);
    const r = onlyRange(model, 'movr.public.t104@primary');
    const voters = r.replicas.filter((x) => x.type === 'voter').map((x) => nodeOf(model, x.nodeId));
    assert.equal(voters.length, 3);
    assert.ok(voters.every((n) => n.locality.region === 'us-east1'));
    assert.equal(new Set(voters.map((n) => n.locality.zone)).size, 3);
    assert.deepEqual(regionsOf(model, r, 'non-voter').sort(), ['europe-west1', 'us-west1']);
    assert.equal(nodeOf(model, r.leaseholder).locality.region, 'us-east1');
  });

  it('REGION survival: 2 voters in the primary region (two zones), voters in every region, 2-2-1', () => {
    const model = globalCluster();
    model.setSpans([localitySpan(movr('region'), 104, { kind: 'regional-by-table' })]);
    const r = onlyRange(model, 'movr.public.t104@primary');
    const voterRegions = regionsOf(model, r, 'voter');
    assert.equal(voterRegions.length, 5);
    assert.equal(r.replicas.length, 5);
    assert.equal(count(voterRegions, 'us-east1'), 2);
    for (const region of REGIONS) assert.ok(count(voterRegions, region) >= 1, region);
    assert.deepEqual(REGIONS.map((region) => count(voterRegions, region)).sort(), [1, 2, 2]);
    const homeZones = r.replicas.map((x) => nodeOf(model, x.nodeId)).filter((n) => n.locality.region === 'us-east1');
    assert.equal(new Set(homeZones.map((n) => n.locality.zone)).size, 2);
    assert.equal(nodeOf(model, r.leaseholder).locality.region, 'us-east1');
  });

  it('REGIONAL BY TABLE IN another region homes voters and lease there', () => {
    const model = globalCluster();
    model.setSpans([localitySpan(movr('zone'), 104, { kind: 'regional-by-table', region: 'us-west1' })]);
    const r = onlyRange(model, 'movr.public.t104@primary');
    assert.deepEqual(regionsOf(model, r, 'voter'), ['us-west1', 'us-west1', 'us-west1']);
    assert.deepEqual(regionsOf(model, r, 'non-voter').sort(), ['europe-west1', 'us-east1']);
    assert.equal(nodeOf(model, r.leaseholder).locality.region, 'us-west1');
  });

  it('GLOBAL tables keep a replica in every region and read globally', () => {
    const model = globalCluster();
    model.setSpans([localitySpan(movr('zone'), 104, { kind: 'global' })]);
    const r = onlyRange(model, 'movr.public.t104@primary');
    assert.equal(r.zone.globalReads, true);
    assert.deepEqual([...new Set(regionsOf(model, r))].sort(), [...REGIONS].sort());
    assert.equal(nodeOf(model, r.leaseholder).locality.region, 'us-east1');
  });

  it('REGIONAL BY ROW: each partition keeps its voters and lease in its region', () => {
    for (const goal of ['zone', 'region'] as const) {
      const model = globalCluster();
      const db = movr(goal);
      model.setSpans(rbrSpans(db, 104));
      for (const region of REGIONS) {
        const r = onlyRange(model, `movr.public.t104@primary#${region}`);
        assert.equal(r.partition, region);
        const voters = regionsOf(model, r, 'voter');
        if (goal === 'zone') assert.deepEqual(voters, [region, region, region]);
        else assert.equal(count(voters, region), 2);
        assert.equal(nodeOf(model, r.leaseholder).locality.region, region);
      }
      assertOneReplicaPerNode(model);
    }
  });

  it('balances replicas and leases across nodes', () => {
    const model = globalCluster();
    const db = movr('zone');
    model.setSpans(Array.from({ length: 60 }, (_, i) => localitySpan(db, 104 + i, { kind: 'regional-by-table', region: REGIONS[i % 3] })));
    const stats = model.nodeStats();
    const replicas = stats.map((s) => s.replicaCount);
    const leases = stats.map((s) => s.leaseCount);
    assert.ok(Math.max(...replicas) - Math.min(...replicas) <= 3, `replicas ${replicas.join(',')}`);
    assert.ok(Math.max(...leases) - Math.min(...leases) <= 3, `leases ${leases.join(',')}`);
    assertOneReplicaPerNode(model);
  });

  it('places what fits and reports the range under-replicated when too few nodes qualify', () => {
    const model = globalCluster();
    const zone = withOverrides(
      defaultZoneConfig(),
      new Map([
        ['constraints', "'[+region=us-east1]'"],
        ['num_replicas', '5'],
      ]),
    );
    model.setSpans([tableSpan(104, zone)]);
    const r = onlyRange(model, 'movr.public.t104@primary');
    assert.deepEqual(regionsOf(model, r), ['us-east1', 'us-east1', 'us-east1']);
    assert.equal(r.underReplicated, true);
    assert.equal(r.available, true);
    const reporter = model.nodeStats().find((s) => s.nodeId === r.leaseholder);
    assert.ok((reporter?.rangesUnderReplicated ?? 0) >= 1);
  });

  it('asks only for as many voters as a small cluster has, as GetNeededVoters does', () => {
    const model = new ClusterModel({ localities: demoLocalities({ nodes: 3 }), seed: 1 });
    // System ranges want 5 replicas; on 3 nodes 3 is the goal and nothing is under-replicated.
    for (const r of model.ranges()) {
      assert.equal(r.replicas.length, 3);
      assert.equal(r.underReplicated, false);
    }
    const db = { name: 'one', regions: ['us-east1'], survival: 'zone' as const };
    model.setSpans([localitySpan(db, 104, { kind: 'regional-by-table' })]);
    const r = onlyRange(model, 'movr.public.t104@primary');
    assert.equal(r.replicas.filter((x) => x.type === 'voter').length, 3);
  });

  it('disables replication on 2 nodes or fewer, as demo and start-single-node do', () => {
    const model = new ClusterModel({ localities: demoLocalities({}), seed: 1 });
    for (const r of model.ranges()) assert.equal(r.replicas.length, 1);
    assert.equal(model.nodeStats()[0]?.rangesUnderReplicated, 0);
  });
});
