// Survivability from placement: the failures counted against a survival goal, and what one more
// failure would cost. Fixtures for the sentences; properties for the goals' promises.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TopologyModel, TopologyNode, TopologyRange } from '../../../protocol/src/topology';
import type { FailureDomain } from '../../../protocol/src/topologyStory';
import { countFailures, hasQuorum, survivalReports, whatIf } from '../../../runner/src/topology/survivability';

const REGIONS = ['us-east1', 'us-west1', 'europe-west1'];
const ZONES = ['a', 'b', 'c'];

/** 9 nodes: n1–n3 in us-east1 zones a–c, n4–n6 in us-west1, n7–n9 in europe-west1. */
function nodes(): TopologyNode[] {
  return REGIONS.flatMap((region, r) =>
    ZONES.map((zone, z) => ({
      id: r * 3 + z + 1,
      region,
      zone,
      locality: `region=${region},az=${zone}`,
      address: '',
      liveness: 'live' as const,
    })),
  );
}

function range(rangeId: number, voters: number[], extra: Partial<TopologyRange> = {}): TopologyRange {
  return {
    rangeId,
    startKey: `/${rangeId}`,
    endKey: `/${rangeId + 1}`,
    replicas: voters.map((nodeId) => ({ nodeId, type: 'voter' as const })),
    leaseholder: voters[0],
    available: true,
    ...extra,
  };
}

function model(ranges: TopologyRange[], down: number[] = [], goal: 'zone' | 'region' = 'region'): TopologyModel {
  return {
    readAt: 0,
    target: 'fixture',
    simulated: true,
    regions: REGIONS.map((name) => ({ name, zones: ZONES })),
    nodes: nodes().map((n) => (down.includes(n.id) ? { ...n, liveness: 'dead' as const } : n)),
    databases: [{ name: 'movr', primaryRegion: 'us-east1', regions: REGIONS, survivalGoal: goal }],
    tables: [],
    ranges,
    missing: [],
  };
}

describe('survivability', () => {
  it('counts a region whose nodes are all down as one failure, and a lone dead node as another', () => {
    const m = model([], [1, 2, 3, 9]);
    assert.deepEqual(
      countFailures(m.nodes).map((f) => f.text),
      ['us-east1 dead (all 3 nodes)', 'n9 dead'],
    );
    const partitioned = m.nodes.map((n) => (n.region === 'us-east1' ? { ...n, liveness: 'dead' as const, partitioned: true } : n));
    assert.deepEqual(
      countFailures(partitioned).map((f) => f.text),
      ['us-east1 partitioned (all 3 nodes)', 'n9 dead'],
    );
  });

  it('says two failures against a goal that survives one region, and which tables lost quorum', () => {
    // rides: 5 voters, 2 in us-east1, 2 in us-west1, 1 in europe-west1 (n9).
    const rides = range(10, [1, 2, 4, 5, 9], { database: 'movr', table: 'rides' });
    const users = range(11, [1, 4, 5, 7, 8], { database: 'movr', table: 'users' });
    const [report] = survivalReports(model([rides, users], [1, 2, 3, 4]));
    assert.ok(report);
    assert.equal(report.verdict, 'us-east1 dead (all 3 nodes) + n4 dead: two failures; the goal survives one region');
    assert.equal(report.rangesWithoutQuorum, 1);
    assert.deepEqual(report.tablesWithoutQuorum, ['rides']);
    assert.match(report.goal, /survives the loss of one region/);
    const [calm] = survivalReports(model([rides, users], [1, 2, 3]));
    assert.equal(calm?.verdict, 'us-east1 dead (all 3 nodes): one failure, within the goal (one region)');
    assert.equal(calm.rangesWithoutQuorum, 0);
  });

  it('a zone goal facing a whole region says it is more than the goal survives', () => {
    const [report] = survivalReports(model([], [1, 2, 3], 'zone'));
    assert.equal(report?.verdict, 'us-east1 dead (all 3 nodes): more than the goal survives (one zone)');
  });

  it('what-if on a region lists the tables that would become unavailable, counting nodes already dead', () => {
    const rides = range(10, [1, 2, 4, 5, 9], { database: 'movr', table: 'rides' });
    const users = range(11, [1, 4, 5, 7, 8], { database: 'movr', table: 'users' });
    const system = range(1, [1, 4, 7]);
    const nothingDown = whatIf(model([rides, users, system]), { kind: 'region', region: 'us-east1' });
    assert.equal(nothingDown.rangesLosingQuorum, 0);
    assert.equal(nothingDown.summary, 'If us-east1 failed, every range would keep quorum');
    const withN4Dead = whatIf(model([rides, users, system], [4]), { kind: 'region', region: 'us-east1' });
    assert.deepEqual(withN4Dead.failingNodes, [1, 2, 3]);
    assert.deepEqual(withN4Dead.alreadyDown, [4]);
    assert.deepEqual(withN4Dead.rangeIds, [10, 1]);
    assert.deepEqual(withN4Dead.tables, [
      { database: '', table: '', ranges: 1 },
      { database: 'movr', table: 'rides', ranges: 1 },
    ]);
    assert.equal(
      withN4Dead.summary,
      'If us-east1 failed (with n4 already down), 2 ranges would lose quorum: movr.rides would become unavailable',
    );
  });

  it('non-voters never count towards quorum', () => {
    const r: TopologyRange = {
      ...range(1, [1, 2, 3]),
      replicas: [
        { nodeId: 1, type: 'voter' },
        { nodeId: 2, type: 'voter' },
        { nodeId: 3, type: 'voter' },
        { nodeId: 4, type: 'non-voter' },
        { nodeId: 7, type: 'non-voter' },
      ],
    };
    assert.equal(hasQuorum(r, new Set([1, 2])), false);
    assert.equal(hasQuorum(r, new Set([1, 4, 7])), true);
  });

  const zoneOf = (id: number): FailureDomain => ({
    kind: 'zone',
    region: REGIONS[Math.floor((id - 1) / 3)] ?? '',
    zone: ZONES[(id - 1) % 3] ?? '',
  });

  it('ZONE survival: 3 voters in the 3 zones of a region survive any one zone (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 9 }), (home, failed) => {
        const voters = [home * 3 + 1, home * 3 + 2, home * 3 + 3];
        const m = model([range(1, voters)], [], 'zone');
        return whatIf(m, zoneOf(failed)).rangesLosingQuorum === 0;
      }),
    );
  });

  /** 5 voters over 3 regions, at most 2 in any region (REGION survival's placement). */
  const regionPlacement = fc
    .tuple(
      fc.shuffledSubarray([0, 1, 2], { minLength: 3, maxLength: 3 }),
      fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3, maxLength: 3 }),
    )
    .map(([order, zoneShift]) => {
      // Two regions get 2 voters, one gets 1: counts [2, 2, 1] in a random region order.
      const counts = [2, 2, 1];
      return order.flatMap((region, i) =>
        Array.from({ length: counts[i] ?? 0 }, (_, k) => region * 3 + ((k + (zoneShift[i] ?? 0)) % 3) + 1),
      );
    });

  it('REGION survival: 5 voters across 3 regions survive any one region; a second failure can break it (property)', () => {
    fc.assert(
      fc.property(regionPlacement, fc.integer({ min: 0, max: 2 }), (voters, lost) => {
        const region = REGIONS[lost] ?? '';
        const m = model([range(1, voters)]);
        if (whatIf(m, { kind: 'region', region }).rangesLosingQuorum !== 0) return false;
        // With that region down, some remaining voter's node failing takes the range down.
        const down = nodes()
          .filter((n) => n.region === region)
          .map((n) => n.id);
        const after = model([range(1, voters)], down);
        const survivors = voters.filter((v) => !down.includes(v));
        const broken = survivors.filter((v) => whatIf(after, { kind: 'node', nodeId: v }).rangesLosingQuorum === 1);
        // 3 or 4 voters remain of 5: one more loss leaves 2 or 3 of 5 — breaks exactly when 3 remained.
        return survivors.length === 3 ? broken.length === 3 : broken.length === 0;
      }),
    );
  });

  it('what-if never reports a range already without quorum as newly lost (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 20 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 9 }), { maxLength: 4 }),
        fc.integer({ min: 1, max: 9 }),
        (placements, down, failing) => {
          const m = model(
            placements.map((voters, i) => range(i + 1, voters)),
            down,
          );
          const result = whatIf(m, { kind: 'node', nodeId: failing });
          const downSet = new Set(down);
          const lostBefore = m.ranges.filter((r) => !hasQuorum(r, downSet)).length;
          const lostAfter = m.ranges.filter((r) => !hasQuorum(r, new Set([...down, failing]))).length;
          return result.alreadyUnavailable === lostBefore && result.rangesLosingQuorum === lostAfter - lostBefore;
        },
      ),
    );
  });
});
