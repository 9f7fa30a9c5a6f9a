// Random sequences of failures and membership changes must keep the model's invariants: one
// replica per node, no lease left on an unreachable node past the failover bound, and a range
// available exactly when a majority of its voters is live and reachable.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ClusterModel } from '../../../cluster/src/model/cluster';
import { MAX_FAILOVER_MS } from '../../../cluster/src/model/timing';
import { defaultZoneConfig } from '../../../cluster/src/model/zoneConfig';
import { assertOneReplicaPerNode, globalCluster, localitySpan, movr, rbrSpans, REGIONS, tableSpan } from './modelFixtures';

type Op =
  | { kind: 'kill' | 'restart' | 'decommission' | 'recommission'; node: number }
  | { kind: 'partition' | 'heal' | 'add'; region: number }
  | { kind: 'advance'; ms: number };

const node = fc.integer({ min: 1, max: 11 });
const region = fc.integer({ min: 0, max: REGIONS.length - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('kill' as const), node }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('restart' as const), node }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('partition' as const), region }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('heal' as const), region }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('decommission' as const), node }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('recommission' as const), node }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add' as const), region }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 120_000 }) }) },
);

function apply(model: ClusterModel, o: Op): void {
  switch (o.kind) {
    case 'advance':
      model.advance(o.ms);
      return;
    case 'partition':
      model.partitionRegion(REGIONS[o.region] ?? 'us-east1');
      return;
    case 'heal':
      model.healRegion(REGIONS[o.region] ?? 'us-east1');
      return;
    case 'add':
      model.addNode({ region: REGIONS[o.region] ?? 'us-east1', zone: `z${model.nodes().length}` });
      return;
    default: {
      const n = model.node(o.node);
      if (n === undefined) return;
      if (o.kind === 'kill') model.killNode(o.node);
      else if (o.kind === 'decommission') model.decommissionNode(o.node);
      // CockroachDB refuses both for a decommissioned node; the model throws likewise.
      else if (n.liveness === 'decommissioned') return;
      else if (o.kind === 'restart') model.restartNode(o.node);
      else model.recommissionNode(o.node);
    }
  }
}

function reachable(model: ClusterModel, id: number): boolean {
  const n = model.node(id);
  return n !== undefined && n.running && !n.isolated;
}

function checkQuorumRule(model: ClusterModel): void {
  for (const r of model.ranges()) {
    const voters = r.replicas.filter((x) => x.type === 'voter');
    const live = voters.filter((x) => reachable(model, x.nodeId)).length;
    const majority = Math.floor(voters.length / 2) + 1;
    assert.equal(r.available, voters.length > 0 && live >= majority, `r${r.rangeId}: ${live}/${voters.length} voters reachable`);
    if (!r.available) assert.equal(r.leaseholder, undefined);
    if (r.leaseholder !== undefined) assert.ok(voters.some((x) => x.nodeId === r.leaseholder));
  }
}

describe('cluster model: properties', () => {
  it('keeps its invariants under random failures, partitions and membership changes', function () {
    this.timeout(120_000);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.array(op, { maxLength: 25 }), (seed, ops) => {
        const model = globalCluster(seed);
        model.settings.timeUntilStoreDeadMs = 60_000;
        const zoneDb = movr('zone');
        const regionDb = movr('region', 'us-west1');
        model.setSpans([
          localitySpan(zoneDb, 104, { kind: 'regional-by-table' }),
          localitySpan(zoneDb, 105, { kind: 'regional-by-table', region: 'europe-west1' }),
          localitySpan(regionDb, 106, { kind: 'global' }),
          ...rbrSpans(regionDb, 107),
          ...Array.from({ length: 6 }, (_, i) => tableSpan(108 + i, defaultZoneConfig())),
        ]);
        for (const o of ops) {
          apply(model, o);
          assertOneReplicaPerNode(model);
          checkQuorumRule(model);
          model.advance(MAX_FAILOVER_MS);
          assertOneReplicaPerNode(model);
          checkQuorumRule(model);
          for (const r of model.ranges()) {
            if (!r.available) continue;
            assert.ok(r.leaseholder !== undefined && reachable(model, r.leaseholder), `r${r.rangeId} is served past the failover bound`);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
