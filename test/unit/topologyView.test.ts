// What the topology host sends its page (protocol/src/topologyView.ts): per-node counts per group,
// the selection's ranges while they are few, and diffs between versions. Property: a page that
// applies every diff holds exactly the view a fresh snapshot would give it.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TopologyModel, TopologyNode, TopologyRange, TopologySelection } from '../../protocol/src/topology';
import { applyDiff, buildView, diffViews, groupKey, inSelection, nodeRangesPage, resolveSelection } from '../../protocol/src/topologyView';
import { countsFor, summarizeNodes } from '../../webview/src/topology/model';

const NODE_IDS = [1, 2, 3, 4, 5, 6];
const RIDES_EAST = { database: 'movr', table: 'rides', index: 'rides_pkey', partition: 'us-east1' };
const RIDES_WEST = { database: 'movr', table: 'rides', index: 'rides_pkey', partition: 'us-west1' };
const OWNERS = [
  { database: 'movr', table: 'rides', index: 'rides_pkey', partition: 'us-east1' },
  { database: 'movr', table: 'rides', index: 'rides_pkey', partition: 'us-west1' },
  { database: 'movr', table: 'users', index: 'users_pkey' },
  { database: 'bank', table: 'accounts', index: 'accounts_pkey' },
  {},
];

function node(id: number, liveness: TopologyNode['liveness'] = 'live'): TopologyNode {
  const region = id <= 3 ? 'us-east1' : 'us-west1';
  return { id, region, zone: String.fromCharCode(96 + id), locality: `region=${region}`, address: `n${id}`, liveness };
}

const rangeArb = (rangeId: number): fc.Arbitrary<TopologyRange> =>
  fc
    .record({
      owner: fc.integer({ min: 0, max: OWNERS.length - 1 }),
      holders: fc.uniqueArray(fc.constantFrom(...NODE_IDS), { minLength: 1, maxLength: 5 }),
      nonVoters: fc.integer({ min: 0, max: 2 }),
      lease: fc.integer({ min: 0, max: 5 }),
      available: fc.boolean(),
      size: fc.integer({ min: 0, max: 1 << 20 }),
    })
    .map(({ owner, holders, nonVoters, lease, available, size }) => {
      const replicas = holders.map((nodeId, i) => ({
        nodeId,
        type: i < holders.length - nonVoters || i === 0 ? ('voter' as const) : ('non-voter' as const),
      }));
      const range: TopologyRange = {
        rangeId,
        ...OWNERS[owner],
        startKey: `/${rangeId}`,
        endKey: `/${rangeId + 1}`,
        replicas,
        available,
        sizeBytes: size,
      };
      const holder = holders[lease];
      if (holder !== undefined && available) range.leaseholder = holder;
      return range;
    });

const modelArb: fc.Arbitrary<TopologyModel> = fc
  .record({
    ids: fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: 25 }),
    dead: fc.subarray(NODE_IDS),
  })
  .chain(({ ids, dead }) =>
    fc.tuple(...ids.map((id) => rangeArb(id))).map((ranges) => ({
      readAt: 1,
      target: 'simulated',
      simulated: true,
      regions: [
        { name: 'us-east1', zones: ['a', 'b', 'c'] },
        { name: 'us-west1', zones: ['d', 'e', 'f'] },
      ],
      nodes: NODE_IDS.map((id) => node(id, dead.includes(id) ? 'dead' : 'live')),
      databases: [],
      tables: [],
      ranges,
      missing: [],
    })),
  );

const selectionArb: fc.Arbitrary<TopologySelection> = fc.constantFrom<TopologySelection>(
  {},
  { database: 'movr' },
  { database: 'movr', table: 'rides' },
  { database: 'movr', table: 'rides', partition: 'us-west1' },
  { database: 'bank', table: 'accounts', index: 'accounts_pkey' },
);

describe('topology view messages', () => {
  it('pages a node’s ranges of the selection in the order the view lists its marks, every one exactly once (property)', () => {
    const kindRank = (r: TopologyRange, id: number): number =>
      !r.available ? 0 : r.leaseholder === id ? 1 : r.replicas.find((x) => x.nodeId === id)?.type === 'voter' ? 2 : 3;
    fc.assert(
      fc.property(modelArb, selectionArb, fc.constantFrom(...NODE_IDS), fc.integer({ min: 1, max: 7 }), (model, selection, id, size) => {
        const expected = model.ranges.filter((r) => inSelection(selection, r) && r.replicas.some((x) => x.nodeId === id));
        const seen: TopologyRange[] = [];
        let offset = 0;
        for (;;) {
          const page = nodeRangesPage(model, selection, id, offset, size);
          assert.equal(page.total, expected.length);
          assert.equal(page.offset, Math.min(offset, expected.length));
          assert.ok(page.ranges.length <= size);
          seen.push(...page.ranges);
          if (page.ranges.length === 0) break;
          offset += page.ranges.length;
        }
        assert.deepEqual(
          seen.map((r) => r.rangeId).sort((a, b) => a - b),
          expected.map((r) => r.rangeId).sort((a, b) => a - b),
        );
        for (let i = 1; i < seen.length; i++) {
          const [a, b] = [seen[i - 1] as TopologyRange, seen[i] as TopologyRange];
          const order = kindRank(a, id) - kindRank(b, id) || a.rangeId - b.rangeId;
          assert.ok(order < 0, `r${a.rangeId} before r${b.rangeId}`);
        }
      }),
    );
  });

  it('counts a range that lost a voter but kept quorum as under-replicated, not unavailable', () => {
    const r = (rangeId: number, voters: number[], available = true): TopologyRange => ({
      rangeId,
      database: 'movr',
      table: 'rides',
      startKey: `/${rangeId}`,
      endKey: `/${rangeId + 1}`,
      replicas: [...voters.map((nodeId) => ({ nodeId, type: 'voter' as const })), { nodeId: 6, type: 'non-voter' as const }],
      ...(available ? { leaseholder: voters[voters.length - 1] } : {}),
      available,
    });
    const nodes = NODE_IDS.map((id) => node(id, id === 1 ? 'dead' : 'live'));
    nodes[5] = { ...(nodes[5] as TopologyNode), partitioned: true };
    const view = buildView(
      {
        readAt: 1,
        target: 's',
        simulated: true,
        regions: [],
        nodes,
        databases: [],
        tables: [],
        // r1 lost n1 (dead), r2 lost nothing but a non-voter on n6 (cut off), r3 lost its quorum.
        ranges: [r(1, [1, 2, 3]), r(2, [2, 3, 4]), r(3, [1, 2, 3], false)],
        missing: [],
      },
      {},
      1,
    );
    assert.deepEqual(
      view.groups.map((g) => [g.ranges, g.unavailable, g.underReplicated]),
      [[3, 1, 1]],
    );
  });

  it('gives the density view the first 100 of a node’s 5,000+ ranges with their count', () => {
    const ranges: TopologyRange[] = [];
    for (let id = 1; id <= 6_000; id++)
      ranges.push({
        rangeId: id,
        database: 'movr',
        table: 'rides',
        startKey: `/${id}`,
        endKey: `/${id + 1}`,
        replicas: [1, 2, 3].map((nodeId) => ({ nodeId, type: 'voter' as const })),
        leaseholder: id % 3 === 0 ? 2 : 1,
        available: true,
      });
    const model = { ranges };
    const view = buildView(
      {
        readAt: 1,
        target: 's',
        simulated: true,
        regions: [],
        nodes: [1, 2, 3].map((i) => node(i)),
        databases: [],
        tables: [],
        ranges,
        missing: [],
      },
      { database: 'movr', table: 'rides' },
      1,
    );
    assert.equal(view.ranges, undefined, 'drawn as density: the page holds no ranges');
    const first = nodeRangesPage(model, { database: 'movr', table: 'rides' }, 2, 0);
    assert.equal(first.total, 6_000);
    assert.equal(first.ranges.length, 100);
    // n2 leads every third range: those come first, as its leaseholder marks do.
    assert.deepEqual(
      first.ranges.slice(0, 3).map((r) => r.rangeId),
      [3, 6, 9],
    );
    const last = nodeRangesPage(model, { database: 'movr', table: 'rides' }, 2, 5_950);
    assert.equal(last.ranges.length, 50);
    assert.equal(nodeRangesPage(model, { database: 'bank' }, 2, 0).total, 0);
  });

  it('a diff applied to the version it was made from gives the same view as a snapshot', () => {
    fc.assert(
      fc.property(
        fc.tuple(modelArb, selectionArb, fc.integer({ min: 0, max: 30 })),
        fc.array(fc.tuple(modelArb, selectionArb, fc.integer({ min: 0, max: 30 })), { minLength: 1, maxLength: 4 }),
        ([firstModel, firstSelection, firstLimit], steps) => {
          let held = buildView(firstModel, firstSelection, 1, firstLimit);
          let sent = held;
          steps.forEach(([model, selection, limit], i) => {
            const next = buildView(model, selection, i + 2, limit);
            const diff = diffViews(sent, next);
            // A page at another version cannot apply it: it asks for a snapshot.
            assert.equal(applyDiff({ ...held, version: held.version + 100 }, diff), undefined);
            const applied = applyDiff(held, diff);
            assert.ok(applied);
            // Through JSON, as postMessage would carry it (no undefined members).
            assert.deepEqual(JSON.parse(JSON.stringify(applied)), JSON.parse(JSON.stringify(next)));
            held = applied;
            sent = next;
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('sends nothing per range past the limit: the counts per node still add up to the ranges', () => {
    fc.assert(
      fc.property(modelArb, selectionArb, (model, selection) => {
        const view = buildView(model, selection, 1, 0);
        assert.equal(view.ranges, undefined);
        const full = buildView(model, {}, 1);
        const fromCounts = countsFor(view, selection);
        const fromRanges = summarizeNodes(
          model.nodes,
          (full.ranges ?? []).filter((r) => buildView({ ...model, ranges: [r] }, selection, 1).selectedCount === 1),
        );
        for (const [id, summary] of fromRanges) assert.deepEqual(fromCounts.get(id)?.counts ?? summary.counts, summary.counts, `n${id}`);
      }),
      { numRuns: 100 },
    );
  });

  it('groups by table, index and partition, names unavailable ranges and links leaseholders to followers', () => {
    const model: TopologyModel = {
      readAt: 1,
      target: 't',
      simulated: false,
      regions: [],
      nodes: [node(1), node(2), node(4)],
      databases: [],
      tables: [],
      missing: [],
      ranges: [
        {
          rangeId: 7,
          ...OWNERS[0],
          startKey: '',
          endKey: '',
          available: true,
          leaseholder: 1,
          replicas: [1, 2, 4].map((nodeId) => ({ nodeId, type: 'voter' as const })),
        },
        {
          rangeId: 3,
          ...OWNERS[0],
          startKey: '',
          endKey: '',
          available: true,
          leaseholder: 2,
          replicas: [1, 2].map((nodeId) => ({ nodeId, type: 'voter' as const })),
        },
        { rangeId: 9, ...OWNERS[1], startKey: '', endKey: '', available: false, replicas: [{ nodeId: 4, type: 'voter' as const }] },
      ],
    };
    const view = buildView(model, { database: 'movr', table: 'rides', partition: 'us-east1' }, 5);
    assert.deepEqual(
      view.groups.map((g) => [g.partition, g.ranges, g.unavailable]),
      [
        ['us-east1', 2, 0],
        ['us-west1', 1, 1],
      ],
    );
    assert.deepEqual(view.counts[groupKey(RIDES_EAST)]?.['1'], [2, 2, 0, 0, 1, 0, 0, 0]);
    assert.deepEqual(view.unavailable, [{ rangeId: 9, group: groupKey(RIDES_WEST) }]);
    assert.equal(view.selectedCount, 2);
    assert.deepEqual(
      view.ranges?.map((r) => r.rangeId),
      [3, 7],
      'ascending',
    );
    assert.deepEqual(view.links, [
      [1, 2, 1],
      [1, 4, 1],
      [2, 1, 1],
    ]);
  });

  it('answers a single range as its group from the host’s reading: its replicas alone, linked from its leaseholder', () => {
    const voters = (ids: number[]): TopologyRange['replicas'] => ids.map((nodeId) => ({ nodeId, type: 'voter' as const }));
    const base = { startKey: '', endKey: '', available: true };
    const model: TopologyModel = {
      readAt: 1,
      target: 't',
      simulated: false,
      regions: [],
      nodes: [node(1), node(2), node(4), node(5)],
      databases: [],
      tables: [],
      missing: [],
      ranges: [
        { rangeId: 3, ...OWNERS[0], ...base, leaseholder: 2, replicas: voters([1, 2, 4]) },
        {
          rangeId: 7,
          ...OWNERS[0],
          ...base,
          leaseholder: 1,
          raftLeader: 1,
          replicas: [...voters([1, 4]), { nodeId: 5, type: 'non-voter' }],
        },
        { rangeId: 8, ...base, leaseholder: 5, replicas: voters([4, 5]) },
      ],
    };
    // The page names the range from an older reading (no group, or a wrong one): the host's model decides.
    const selection = resolveSelection(model, { rangeId: 7 });
    assert.deepEqual(selection, { ...RIDES_EAST, rangeId: 7 });
    assert.deepEqual(resolveSelection(model, { database: 'bank', rangeId: 7 }), selection);
    const view = buildView(model, selection, 1);
    assert.equal(view.selectedCount, 1);
    assert.deepEqual(
      view.ranges?.map((r) => r.rangeId),
      [7],
    );
    assert.deepEqual(view.selection, selection);
    assert.deepEqual(view.links, [
      [1, 4, 1],
      [1, 5, 1],
    ]);
    // Its group is the one the view counts and names; the other ranges of the partition are not selected.
    assert.deepEqual(
      view.groups.filter((g) => inSelection(selection, g)).map((g) => g.key),
      [groupKey(RIDES_EAST)],
    );
    assert.equal(inSelection(selection, model.ranges[0] as TopologyRange), false);
    // A system range (no table) is selected by its id alone.
    const system = resolveSelection(model, { rangeId: 8 });
    assert.deepEqual(system, { rangeId: 8 });
    assert.deepEqual(buildView(model, system, 2).links, [[5, 4, 1]]);
    // A range merged away leaves the selection of its group as the page named it.
    assert.deepEqual(resolveSelection(model, { ...RIDES_EAST, rangeId: 99 }), {
      database: 'movr',
      table: 'rides',
      index: 'rides_pkey',
      partition: 'us-east1',
    });
    assert.deepEqual(resolveSelection(model, { rangeId: 99 }), {});
  });
});
