// The story of a failover from successive topology readings: events from diffs, and the bounded
// record the view replays.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TopologyModel, TopologyNode, TopologyRange } from '../../../protocol/src/topology';
import { diffSnapshots, snapshotOf, StoryRecorder } from '../../../runner/src/topology/events';

const REGIONS = ['us-east1', 'us-west1', 'europe-west1'];

function nodes(): TopologyNode[] {
  return REGIONS.flatMap((region, r) =>
    ['a', 'b', 'c'].map((zone, z) => ({
      id: r * 3 + z + 1,
      region,
      zone,
      locality: `region=${region},az=${zone}`,
      address: '',
      liveness: 'live' as const,
    })),
  );
}

/** A range; `leaseholder` null: none reachable, so unavailable. */
function range(rangeId: number, voters: number[], leaseholder: number | null = voters[0] ?? null): TopologyRange {
  return {
    rangeId,
    startKey: `/${rangeId}`,
    endKey: `/${rangeId + 1}`,
    replicas: voters.map((nodeId) => ({ nodeId, type: 'voter' as const })),
    ...(leaseholder === null ? {} : { leaseholder }),
    available: leaseholder !== null,
  };
}

function model(at: number, ranges: TopologyRange[], change: (n: TopologyNode) => TopologyNode = (n) => n): TopologyModel {
  return {
    readAt: at,
    target: 'simulated',
    simulated: true,
    regions: [],
    nodes: nodes().map(change),
    databases: [],
    tables: [],
    ranges,
    missing: [],
  };
}

const dead =
  (...ids: number[]) =>
  (n: TopologyNode): TopologyNode =>
    ids.includes(n.id) ? { ...n, liveness: 'dead' } : n;

describe('topology events', () => {
  it('tells a node death and the lease moves it caused, with their time', () => {
    const before = model(1000, [range(1, [2, 4, 7], 2), range(2, [2, 5, 8], 2), range(3, [1, 4, 7], 1)]);
    const after = model(3000, [range(1, [2, 4, 7], 4), range(2, [2, 5, 8], 5), range(3, [1, 4, 7], 1)], dead(2));
    const events = diffSnapshots(snapshotOf(before), snapshotOf(after));
    assert.deepEqual(
      events.map((e) => [e.kind, e.at, e.text]),
      [
        ['node-dead', 3000, 'n2 died (us-east1/b)'],
        ['leases-moved', 3000, '2 leases moved: n2 → n4 (1), n2 → n5 (1)'],
      ],
    );
    assert.deepEqual(events[1]?.moves, [
      { rangeId: 1, from: 2, to: 4 },
      { rangeId: 2, from: 2, to: 5 },
    ]);
  });

  it('tells a partitioned region once, as the region, and its healing', () => {
    const cut = (n: TopologyNode): TopologyNode => (n.region === 'us-east1' ? { ...n, liveness: 'dead', partitioned: true } : n);
    const a = snapshotOf(model(0, []));
    const b = snapshotOf(model(1, [], cut));
    assert.deepEqual(
      diffSnapshots(a, b).map((e) => e.text),
      ['us-east1 partitioned from the cluster: its 3 nodes are unreachable'],
    );
    assert.deepEqual(
      diffSnapshots(b, snapshotOf(model(2, []))).map((e) => [e.kind, e.text]),
      [['region-healed', 'us-east1 reachable again: the partition healed']],
    );
  });

  it('tells up-replication, unavailable ranges and their return, and a restart', () => {
    const a = snapshotOf(model(0, [range(1, [1, 2, 3]), range(2, [1, 4, 7])], dead(1, 2)));
    const lost = snapshotOf(model(1, [range(1, [1, 2, 3], null), range(2, [1, 4, 7])], dead(1, 2)));
    assert.deepEqual(
      diffSnapshots(a, lost).map((e) => e.text),
      ['1 range unavailable (no reachable leaseholder): r1'],
    );
    const back = snapshotOf(model(2, [range(1, [1, 2, 3], 3), range(2, [4, 7, 8], 4)], dead(1)));
    assert.deepEqual(
      diffSnapshots(lost, back).map((e) => e.text),
      [
        'n2 is back (us-east1/b)',
        '1 lease moved: n1 → n4 (1)',
        'up-replication: 1 replica added on n8 (1)',
        '1 replica removed from n1 (1)',
        '1 range available again: r1',
      ],
    );
  });

  it('records only readings that changed something, bounded, and starts again on another target', () => {
    const recorder = new StoryRecorder(3, 60_000);
    const ranges = [range(1, [1, 4, 7])];
    assert.equal(recorder.observe(model(0, ranges)), true);
    assert.equal(recorder.observe(model(2000, ranges)), false, 'nothing changed');
    for (let i = 1; i <= 5; i++) recorder.observe(model(2000 * i + 1, ranges, i % 2 === 1 ? dead(9) : (n) => n));
    const frames = recorder.frames();
    assert.equal(frames.length, 3);
    assert.deepEqual(
      frames.map((f) => f.events.map((e) => e.text)),
      [['n9 died (europe-west1/c)'], ['n9 is back (europe-west1/c)'], ['n9 died (europe-west1/c)']],
    );
    assert.deepEqual(frames[2]?.leases, [[1, 1]]);
    recorder.observe({ ...model(99_999, ranges), target: 'prod' });
    assert.deepEqual(
      recorder.frames().map((f) => f.events.length),
      [0],
    );
  });

  it('on the simulated cluster tells the story in its own clock, and starts again when that clock goes back', () => {
    const recorder = new StoryRecorder();
    const ranges = [range(1, [2, 4, 7], 2)];
    // Wall times far apart (a slow poll), simulated times 4.5 s apart: the story shows the latter.
    recorder.observe({ ...model(1_700_000_000_000, ranges), simulatedTimeMs: 60_000 });
    recorder.observe({ ...model(1_700_000_030_000, [range(1, [2, 4, 7], 4)], dead(2)), simulatedTimeMs: 64_500 });
    let frames = recorder.frames();
    assert.deepEqual(
      frames.map((f) => [f.at, f.clock]),
      [
        [60_000, 'simulated'],
        [64_500, 'simulated'],
      ],
    );
    assert.deepEqual(
      frames[1]?.events.map((e) => [e.at, e.text]),
      [
        [64_500, 'n2 died (us-east1/b)'],
        [64_500, '1 lease moved: n2 → n4 (1)'],
      ],
    );
    // A reading whose simulated time could not be read is left out, not taken for a new story.
    assert.equal(recorder.observe({ ...model(1_700_000_035_000, ranges) }), false);
    assert.equal(recorder.frames().length, 2);
    // A restarted simulated cluster (its clock back near zero) is a new story, not a jump back in time.
    recorder.observe({ ...model(1_700_000_040_000, ranges), simulatedTimeMs: 1_000 });
    frames = recorder.frames();
    assert.deepEqual(
      frames.map((f) => [f.at, f.events.length]),
      [[1_000, 0]],
    );
    // A real cluster: the poll's wall time, told as when it was seen.
    const real = new StoryRecorder();
    real.observe({ ...model(5_000, ranges), target: 'prod' });
    assert.deepEqual(
      real.frames().map((f) => [f.at, f.clock]),
      [[5_000, 'seen']],
    );
  });

  it('a reading diffed with itself tells nothing; every lease change is counted once (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })), { minLength: 1, maxLength: 40 }),
        (leases) => {
          const before = model(
            0,
            leases.map(([from], i) => range(i + 1, [1, 5, 9], from)),
          );
          const after = model(
            1,
            leases.map(([, to], i) => range(i + 1, [1, 5, 9], to)),
          );
          const same = diffSnapshots(snapshotOf(before), snapshotOf(before));
          const moved = diffSnapshots(snapshotOf(before), snapshotOf(after)).find((e) => e.kind === 'leases-moved');
          const expected = leases.filter(([from, to]) => from !== to).length;
          return same.length === 0 && (moved?.count ?? 0) === expected;
        },
      ),
    );
  });
});
