// The topology view's derived views (webview/src/topology/model.ts, layout.ts): pure functions, no DOM.
import * as assert from 'node:assert/strict';
import { isTopologyToHost } from '../../protocol/src/topology';
import type { TopologyModel, TopologyNode, TopologyRange, TopologyView } from '../../protocol/src/topology';
import { buildView } from '../../protocol/src/topologyView';
import { layoutPicture, markGrid, markIndexAt, markPosition, neighbour } from '../../webview/src/topology/layout';
import {
  changeAnnouncement,
  countsFor,
  diffShown,
  diffNodes,
  filterOptions,
  filterRanges,
  formatBytes,
  markAt,
  markIndex,
  modelAnnouncement,
  nodeActions,
  normalizeFilter,
  parseHostMessage,
  parseMemory,
  regionNotes,
  regionViews,
  summarizeNodes,
  survivalText,
  tablePlacement,
  whereText,
  type Filter,
  type Shown,
} from '../../webview/src/topology/model';

/** What the host would send for a model (every range, all selected). */
function view(m: TopologyModel, selection: Filter = {}, limit?: number): TopologyView {
  return buildView(m, selection, 1, limit);
}

/** What the page shows of a model under a filter: from the ranges, or (limit 0) from counts alone. */
function shown(m: TopologyModel, filter: Filter, withRanges = true): Shown {
  const v = view(m, filter, withRanges ? undefined : 0);
  const ranges = withRanges ? filterRanges(m.ranges, filter) : undefined;
  return {
    head: v.head,
    summaries: ranges ? summarizeNodes(m.nodes, ranges) : countsFor(v, filter),
    unavailable: filterRanges(m.ranges, filter).filter((r) => !r.available).length,
    ...(ranges ? { ranges } : {}),
  };
}

const regions = ['us-east1', 'us-west1', 'europe-west1'];

function nodes(): TopologyNode[] {
  return regions.flatMap((region, r) =>
    ['a', 'b', 'c'].map((zone, z) => ({
      id: r * 3 + z + 1,
      region,
      zone,
      locality: `region=${region},az=${zone}`,
      address: `n${r * 3 + z + 1}:26257`,
      liveness: 'live' as const,
    })),
  );
}

function range(rangeId: number, voters: number[], extra: Partial<TopologyRange> = {}): TopologyRange {
  return {
    rangeId,
    startKey: `/k${rangeId}`,
    endKey: `/k${rangeId + 1}`,
    replicas: voters.map((nodeId) => ({ nodeId, type: 'voter' as const })),
    leaseholder: voters[0],
    available: true,
    ...extra,
  };
}

/** movr with a REGIONAL BY ROW rides (a partition per region), a GLOBAL and a REGIONAL BY TABLE table; bank without regions. */
function model(): TopologyModel {
  const ranges: TopologyRange[] = [
    range(1, [1, 4, 7]),
    range(10, [1, 2, 3], {
      database: 'movr',
      table: 'rides',
      index: 'rides_pkey',
      partition: 'us-east1',
      replicas: [
        { nodeId: 1, type: 'voter' },
        { nodeId: 2, type: 'voter' },
        { nodeId: 3, type: 'voter' },
        { nodeId: 4, type: 'non-voter' },
        { nodeId: 7, type: 'non-voter' },
      ],
    }),
    range(11, [5, 4, 6], { database: 'movr', table: 'rides', index: 'rides_pkey', partition: 'us-west1' }),
    // europe-west1's partition has a voter and its lease away from home.
    range(12, [7, 8, 1], { database: 'movr', table: 'rides', index: 'rides_pkey', partition: 'europe-west1', leaseholder: 1 }),
    range(13, [2, 3, 1], { database: 'movr', table: 'rides', index: 'rides_city_idx', partition: 'us-east1' }),
    range(20, [2, 1, 3], {
      database: 'movr',
      table: 'promo_codes',
      index: 'promo_codes_pkey',
      replicas: [
        { nodeId: 2, type: 'voter' },
        { nodeId: 1, type: 'voter' },
        { nodeId: 3, type: 'voter' },
        { nodeId: 5, type: 'non-voter' },
        { nodeId: 8, type: 'non-voter' },
      ],
    }),
    range(30, [4, 5, 6], { database: 'movr', table: 'users', index: 'users_pkey', raftLeader: 5 }),
    range(40, [2, 5, 8], { database: 'bank', table: 'accounts', index: 'accounts_pkey', sizeBytes: 2048 }),
  ];
  return {
    readAt: 0,
    target: 'simulated',
    simulated: true,
    regions: regions.map((name) => ({ name, zones: ['a', 'b', 'c'] })),
    nodes: nodes(),
    databases: [
      { name: 'bank', regions: [] },
      { name: 'movr', primaryRegion: 'us-east1', regions, survivalGoal: 'zone' },
    ],
    tables: [
      { database: 'bank', name: 'accounts' },
      {
        database: 'movr',
        name: 'rides',
        locality: 'regional-by-row',
        partitions: [
          { region: 'us-east1', rows: 1200 },
          { region: 'us-west1', rows: 800 },
          { region: 'europe-west1', rows: 450 },
        ],
      },
      { database: 'movr', name: 'promo_codes', locality: 'global' },
      { database: 'movr', name: 'users', locality: 'regional-by-table', homeRegion: 'us-west1' },
    ],
    ranges,
    missing: [],
  };
}

describe('topology view model', () => {
  describe('filters', () => {
    it('offers databases, then the chosen database’s tables, then the chosen table’s indexes', () => {
      const m = model();
      assert.deepEqual(filterOptions(view(m), {}), { databases: ['bank', 'movr'], tables: [], indexes: [], partitions: [] });
      assert.deepEqual(filterOptions(view(m), { database: 'movr' }).tables, ['promo_codes', 'rides', 'users']);
      assert.deepEqual(filterOptions(view(m), { database: 'movr', table: 'rides' }).indexes, ['rides_city_idx', 'rides_pkey']);
      assert.deepEqual(filterOptions(view(m), { database: 'movr', table: 'rides' }).partitions, ['europe-west1', 'us-east1', 'us-west1']);
    });

    it('keeps the ranges of the chosen database, table and index (system ranges only unfiltered)', () => {
      const m = model();
      const ids = (f: Parameters<typeof filterRanges>[1]): number[] => filterRanges(m.ranges, f).map((r) => r.rangeId);
      assert.equal(ids({}).length, m.ranges.length);
      assert.deepEqual(ids({ database: 'movr' }), [10, 11, 12, 13, 20, 30]);
      assert.deepEqual(ids({ database: 'movr', table: 'rides' }), [10, 11, 12, 13]);
      assert.deepEqual(ids({ database: 'movr', table: 'rides', index: 'rides_city_idx' }), [13]);
    });

    it('drops the parts of a remembered filter the model no longer has', () => {
      const m = model();
      assert.deepEqual(normalizeFilter(view(m), { database: 'gone', table: 'x' }), {});
      assert.deepEqual(normalizeFilter(view(m), { database: 'movr', table: 'gone' }), { database: 'movr' });
      assert.deepEqual(normalizeFilter(view(m), { database: 'movr', table: 'rides', index: 'gone' }), { database: 'movr', table: 'rides' });
      assert.deepEqual(normalizeFilter(view(m), { database: 'movr', table: 'rides', index: 'rides_pkey' }), {
        database: 'movr',
        table: 'rides',
        index: 'rides_pkey',
      });
    });
  });

  describe('per node', () => {
    it('counts replicas by type, leases, Raft leaders away from the lease, unavailable ranges and size', () => {
      const m = model();
      const s = summarizeNodes(m.nodes, m.ranges);
      const n1 = s.get(1)?.counts;
      assert.deepEqual(n1, {
        replicas: 5,
        voters: 5,
        nonVoters: 0,
        learners: 0,
        leases: 3, // r1, r10 and europe-west1's r12
        leaderWithoutLease: 0,
        unavailable: 0,
        sizeBytes: 0,
      });
      assert.equal(s.get(4)?.counts.nonVoters, 1);
      assert.equal(s.get(5)?.counts.leaderWithoutLease, 1, 'r30: lease on n4, Raft leader on n5');
      assert.equal(s.get(5)?.counts.sizeBytes, 2048);
      let leases = 0;
      for (const summary of s.values()) leases += summary.counts.leases;
      assert.equal(leases, m.ranges.length, 'one lease per range');
    });

    it('orders a node’s marks unavailable, leases, voters, non-voters, learners, each by range id', () => {
      const m = model();
      m.ranges = [
        range(5, [1, 2, 3], { available: false, leaseholder: undefined }),
        range(3, [2, 1, 3]),
        range(2, [1, 2, 3]),
        range(4, [2, 3], {
          replicas: [
            { nodeId: 2, type: 'voter' },
            { nodeId: 1, type: 'learner' },
          ],
        }),
        range(1, [2, 3], {
          replicas: [
            { nodeId: 2, type: 'voter' },
            { nodeId: 1, type: 'non-voter' },
          ],
        }),
      ];
      const s = summarizeNodes(m.nodes, m.ranges).get(1);
      assert.ok(s);
      assert.deepEqual(s.marks, { unavailable: [5], lease: [2], voter: [3], 'non-voter': [1], learner: [4] });
      assert.deepEqual(markAt(s, 0), { rangeId: 5, kind: 'unavailable' });
      assert.deepEqual(markAt(s, 3), { rangeId: 1, kind: 'non-voter' });
      assert.equal(markAt(s, 5), undefined);
      assert.equal(markIndex(s, 'voter', 3), 2);
      assert.equal(markIndex(s, 'lease', 3), -1);
    });

    it('gives nodes of unlisted regions and zones a place, and sorts nodes by id', () => {
      const m = model();
      m.nodes.push({ id: 12, region: 'asia-east1', zone: '', locality: 'region=asia-east1', address: 'x', liveness: 'live' });
      m.nodes.push({ id: 10, region: 'us-east1', zone: 'a', locality: '', address: 'x', liveness: 'live' });
      const views = regionViews(m);
      assert.deepEqual(
        views.map((r) => r.name),
        [...regions, 'asia-east1'],
      );
      assert.deepEqual(
        views[0]?.zones[0]?.nodes.map((n) => n.id),
        [1, 10],
      );
      assert.deepEqual(
        views[3]?.zones.map((z) => z.name),
        [''],
      );
    });
  });

  describe('placement', () => {
    it('says the survival goal in words, and when a database is not multi-region', () => {
      assert.equal(
        survivalText({ name: 'movr', regions, primaryRegion: 'us-east1', survivalGoal: 'zone' }),
        'movr survives the loss of one zone.',
      );
      assert.equal(
        survivalText({ name: 'movr', regions, primaryRegion: 'us-east1', survivalGoal: 'region' }),
        'movr survives the loss of one region.',
      );
      assert.equal(survivalText({ name: 'bank', regions: [] }), 'bank is not a multi-region database.');
      assert.match(survivalText({ name: 'x', regions, primaryRegion: 'us-east1' }), /could not be read/);
    });

    it('places a REGIONAL BY ROW table’s partitions: rows, voters and leaseholders per region', () => {
      const m = model();
      const rides = m.tables.find((t) => t.name === 'rides');
      assert.ok(rides);
      const p = tablePlacement(view(m), rides);
      assert.deepEqual(
        p.partitions.map((x) => [
          x.region,
          x.rows,
          x.ranges,
          whereText(x.voters),
          whereText(x.leaseholders),
          x.leasesAtHome,
          x.votersAtHome,
        ]),
        [
          ['us-east1', 1200, 2, 'us-east1 (n1, n2, n3)', 'us-east1 (n1, n2)', true, true],
          ['us-west1', 800, 1, 'us-west1 (n4, n5, n6)', 'us-west1 (n5)', true, true],
          ['europe-west1', 450, 1, 'us-east1 (n1); europe-west1 (n7, n8)', 'us-east1 (n1)', false, false],
        ],
      );
      assert.equal(whereText(p.partitions[0]?.nonVoters ?? []), 'us-west1 (n4); europe-west1 (n7)');
      assert.equal(p.homeRegion, undefined);
    });

    it('gives GLOBAL tables the primary region and REGIONAL BY TABLE tables their own as home', () => {
      const m = model();
      const promo = tablePlacement(view(m), m.tables.find((t) => t.name === 'promo_codes') ?? assert.fail());
      assert.equal(promo.homeRegion, 'us-east1');
      assert.equal(whereText(promo.placement.nonVoters), 'us-west1 (n5); europe-west1 (n8)');
      assert.deepEqual(promo.partitions, []);
      const users = tablePlacement(view(m), m.tables.find((t) => t.name === 'users') ?? assert.fail());
      assert.equal(users.homeRegion, 'us-west1');
      assert.equal(whereText(users.placement.leaseholders), 'us-west1 (n4)');
      const primary = tablePlacement(view(m), { database: 'movr', name: 'v', locality: 'regional-by-table' });
      assert.equal(primary.homeRegion, 'us-east1', 'REGIONAL BY TABLE IN PRIMARY REGION');
    });

    it('notes the primary region and a partition’s rows on the regions of the picture', () => {
      const m = model();
      assert.deepEqual(regionNotes(m, {}), new Map());
      assert.deepEqual(
        regionNotes(m, { database: 'movr', table: 'rides' }),
        new Map([
          ['us-east1', 'primary region  ·  rides: 1,200 rows here'],
          ['us-west1', 'rides: 800 rows here'],
          ['europe-west1', 'rides: 450 rows here'],
        ]),
      );
      assert.equal(regionNotes(m, { database: 'movr', table: 'users' }).get('us-west1'), 'home of users');
    });
  });

  describe('changes', () => {
    it('finds moved leases, per-node lease deltas, liveness changes and unavailable ranges', () => {
      const before = model();
      const after: TopologyModel = {
        ...before,
        nodes: before.nodes.map((n) => (n.id === 2 ? { ...n, liveness: 'dead' } : n)),
        ranges: before.ranges.map((r) => {
          if (r.rangeId === 13) return { ...r, leaseholder: 3 };
          if (r.rangeId === 20) return { ...r, leaseholder: 1 };
          if (r.rangeId === 40) return { ...r, leaseholder: undefined, available: false };
          return r;
        }),
      };
      const diff = diffShown(shown(before, {}), shown(after, {}));
      assert.deepEqual(diff.liveness, [{ nodeId: 2, from: 'live', to: 'dead' }]);
      assert.deepEqual(diff.movedLeases, [
        { rangeId: 13, from: 2, to: 3 },
        { rangeId: 20, from: 2, to: 1 },
      ]);
      assert.deepEqual(
        diff.leaseDelta,
        new Map([
          [1, 1],
          [2, -3],
          [3, 1],
        ]),
      );
      assert.equal(diff.becameUnavailable, 1);
      assert.equal(changeAnnouncement(diff), 'node 2 is dead; 2 leases moved; 1 range unavailable');
      // Under a filter only the shown ranges count.
      const rides = diffShown(shown(before, { database: 'movr', table: 'rides' }), shown(after, { database: 'movr', table: 'rides' }));
      assert.deepEqual(rides.movedLeases, [{ rangeId: 13, from: 2, to: 3 }]);
      assert.equal(
        changeAnnouncement(diffShown(shown(after, {}), shown(before, {}))),
        'node 2 is live again; 2 leases moved; 1 range available again',
      );
      assert.equal(changeAnnouncement(diffShown(shown(before, {}), shown(before, {}))), '');
      // Without the ranges (the density view), the same words from the per-node counts.
      const counted = diffShown(shown(before, {}, false), shown(after, {}, false));
      assert.deepEqual(counted.movedLeases, []);
      assert.deepEqual(counted.leaseDelta, diff.leaseDelta);
      assert.equal(changeAnnouncement(counted), 'node 2 is dead; 2 leases moved; 1 range unavailable');
    });

    it('notices nodes that join or leave', () => {
      const a = nodes();
      const b = [...a.filter((n) => n.id !== 9), { ...a[0], id: 10, liveness: 'live' as const } as TopologyNode];
      assert.deepEqual(diffNodes(a, b), [
        { nodeId: 9, from: 'live' },
        { nodeId: 10, to: 'live' },
      ]);
    });

    it('announces a first picture', () => {
      const m = model();
      m.ranges[0] = { ...(m.ranges[0] as TopologyRange), available: false };
      assert.equal(
        modelAnnouncement(view(m).head, m.ranges.length, 1),
        'Simulated cluster: 9 nodes in 3 regions, 8 ranges, 1 range unavailable',
      );
      const pg = {
        ...view(m).head,
        nodes: [],
        regions: [],
        notCockroachDb: 'This server is PostgreSQL 16.4, not CockroachDB: it has no ranges or regions to show.',
      };
      assert.equal(modelAnnouncement(pg, 0, 0), pg.notCockroachDb);
    });
  });

  describe('layout', () => {
    it('places regions as on a map: west to east with the Atlantic wider, zones stacked, reading order by region', () => {
      const m = model();
      const layout = layoutPicture(regionViews(m), 56, { linked: () => true });
      assert.deepEqual(
        layout.regions.map((r) => r.name),
        ['us-west1', 'us-east1', 'europe-west1'],
      );
      const [west, east, europe] = layout.regions;
      assert.ok(west && east && europe);
      assert.ok(west.x + west.width < east.x && east.x + east.width < europe.x, 'side by side, no overlap');
      assert.ok(europe.x - (east.x + east.width) > east.x - (west.x + west.width), 'an ocean is a wider gap than a continent');
      assert.ok(east.y > west.y && west.y > europe.y, 'further south, a little lower');
      assert.deepEqual(layout.order, [4, 5, 6, 1, 2, 3, 7, 8, 9]);
      const [p4, p5] = [layout.nodes.get(4), layout.nodes.get(5)];
      assert.ok(p4 && p5);
      assert.ok(p5.y > p4.y && p5.x === p4.x, 'zones stacked in the region');
      assert.equal(neighbour(layout, 4, 'down'), 5);
      assert.equal(neighbour(layout, 5, 'up'), 4);
      assert.equal(neighbour(layout, 6, 'right'), 1);
      assert.equal(neighbour(layout, 4, 'left'), 4);
      assert.equal(neighbour(layout, 5, 'end'), 9);
      // Three regions: an arc for each pair, above the boxes.
      assert.deepEqual(layout.arcs.map((a) => [a.from, a.to].sort().join(' ')).sort(), [
        'europe-west1 us-east1',
        'europe-west1 us-west1',
        'us-east1 us-west1',
      ]);
      for (const arc of layout.arcs) assert.ok(arc.label.y > 0 && arc.label.y < Math.min(west.y, east.y, europe.y), arc.from + arc.to);
    });

    it('puts regions of unknown place in a row below the map', () => {
      const m = model();
      m.nodes.push({ id: 12, region: 'lab', zone: '', locality: 'region=lab', address: 'x', liveness: 'live' });
      const layout = layoutPicture(regionViews(m), 56);
      const lab = layout.regions.find((r) => r.name === 'lab');
      assert.ok(lab);
      assert.equal(lab.placed, false);
      for (const r of layout.regions) if (r !== lab) assert.ok(lab.y > r.y + r.height, `below ${r.name}`);
      assert.ok(layout.unknownCaption && layout.unknownCaption.y < lab.y);
      assert.equal(layout.order.at(-1), 12);
    });

    it('sizes marks so a node’s replicas fit, down to a minimum, and maps points back to marks', () => {
      const few = markGrid(10);
      assert.equal(few.pitch, 14);
      assert.equal(few.shown, 10);
      const many = markGrid(1_700);
      assert.ok(many.pitch >= 2 && many.pitch <= 4, `pitch ${many.pitch}`);
      assert.equal(many.shown, 1_700);
      const tooMany = markGrid(50_000);
      assert.equal(tooMany.pitch, 2);
      assert.ok(tooMany.shown < 50_000);
      const p = markPosition(many, 57);
      assert.equal(markIndexAt(many, p.x + 0.5, p.y + 0.5), 57);
      assert.equal(markIndexAt(many, -1, 0), -1);
      assert.equal(markIndexAt(few, 13 * 14 + 1, 13 * 14 + 1), -1, 'past the last mark');
    });
  });

  describe('messages and memory', () => {
    it('the host accepts the view’s count-rows and node-ranges requests and refuses malformed ones', () => {
      assert.equal(isTopologyToHost({ type: 'count-rows', database: 'movr', table: 'users' }), true);
      assert.equal(isTopologyToHost({ type: 'node-ranges', nodeId: 3, offset: 100 }), true);
      for (const junk of [
        { type: 'count-rows', database: 'movr' },
        { type: 'node-ranges', nodeId: 3, offset: -1 },
        { type: 'node-ranges', nodeId: 3, offset: 1.5 },
        { type: 'node-ranges', nodeId: '3', offset: 0 },
      ])
        assert.equal(isTopologyToHost(junk), false, JSON.stringify(junk));
    });

    it('accepts the host’s messages and refuses malformed ones', () => {
      assert.deepEqual(parseHostMessage({ type: 'controls', enabled: true }), { type: 'controls', enabled: true });
      assert.deepEqual(parseHostMessage({ type: 'control-result', ok: false, message: 'no' }), {
        type: 'control-result',
        ok: false,
        message: 'no',
      });
      assert.deepEqual(parseHostMessage({ type: 'error', message: 'x' }), { type: 'error', message: 'x' });
      const m = model();
      const v = view(m);
      assert.equal(parseHostMessage({ type: 'snapshot', view: v })?.type, 'snapshot');
      assert.equal(parseHostMessage({ type: 'diff', diff: { from: 1, to: 2, counts: [] } })?.type, 'diff');
      const page = { nodeId: 1, selection: {}, offset: 0, total: 0, ranges: [] };
      assert.equal(parseHostMessage({ type: 'node-ranges', page })?.type, 'node-ranges');
      assert.equal(parseHostMessage({ type: 'rows-counted', database: 'movr', table: 'users', ok: true })?.type, 'rows-counted');
      for (const junk of [
        { type: 'node-ranges', page: { ...page, ranges: [{ rangeId: 'x' }] } },
        { type: 'node-ranges', page: { ...page, total: undefined } },
        { type: 'rows-counted', database: 'movr', ok: true },
        null,
        'x',
        { type: 'model', model: m },
        { type: 'snapshot', view: { ...v, head: { ...v.head, nodes: 'x' } } },
        { type: 'snapshot', view: { ...v, head: { ...v.head, nodes: [{ id: 1, liveness: 'sleepy' }] } } },
        { type: 'snapshot', view: { ...v, ranges: [{ rangeId: 'x' }] } },
        { type: 'diff', diff: { from: 1, counts: [] } },
        { type: 'diff', diff: { from: 1, to: 2, counts: [], ranges: { upsert: 'x', remove: [] } } },
        { type: 'controls' },
        { type: 'control-result', ok: 'yes' },
        { type: 'other' },
      ])
        assert.equal(parseHostMessage(junk), undefined, JSON.stringify(junk));
    });

    it('restores what was remembered, ignoring what does not fit', () => {
      assert.deepEqual(parseMemory(undefined), { filter: {} });
      assert.deepEqual(parseMemory({ filter: { table: 'rides' } }), { filter: {} }, 'a table without its database is dropped');
      assert.deepEqual(
        parseMemory({ filter: { database: 'movr', table: 'rides', index: 3 }, focusedNode: 4, details: { kind: 'range', id: 7, from: 4 } }),
        {
          filter: { database: 'movr', table: 'rides' },
          focusedNode: 4,
          details: { kind: 'range', id: 7, from: 4 },
        },
      );
      assert.deepEqual(parseMemory({ filter: {}, details: { kind: 'zone', id: 1 } }), { filter: {} });
    });

    it('offers the controls a node’s state allows, and formats sizes', () => {
      assert.deepEqual(nodeActions('live'), ['kill', 'decommission']);
      assert.deepEqual(nodeActions('dead'), ['restart', 'decommission']);
      assert.deepEqual(nodeActions('decommissioning'), ['kill', 'recommission']);
      assert.deepEqual(nodeActions('decommissioned'), []);
      assert.equal(formatBytes(512), '512 B');
      assert.equal(formatBytes(1536), '1.5 KiB');
      assert.equal(formatBytes(64 * 1024 * 1024), '64 MiB');
    });
  });
});
