// From the SQL layer's spans to ranges: split by size, stable ids, CockroachDB-like keys; plus
// latency, availability checks and determinism.
import * as assert from 'node:assert/strict';
import { ClusterModel } from '../../../cluster/src/model/cluster';
import { globalReadsLeadMs } from '../../../cluster/src/model/latency';
import { MAX_FAILOVER_MS } from '../../../cluster/src/model/timing';
import { demoLocalities } from '../../../cluster/src/model/topology';
import { defaultZoneConfig, partitionZoneConfig } from '../../../cluster/src/model/zoneConfig';
import {
  assertOneReplicaPerNode,
  globalCluster,
  localitySpan,
  movr,
  nodeOf,
  onlyRange,
  rbrSpans,
  regionsOf,
  tableSpan,
  userRanges,
} from './modelFixtures';

const MiB = 1024 * 1024;

describe('cluster model: spans and ranges', () => {
  it('splits a span larger than range_max_bytes into ranges of about half that, on sampled boundaries', () => {
    const model = globalCluster();
    const boundaries = Array.from({ length: 16 }, (_, i) => `/1/${(i + 1) * 1000}`);
    model.setSpans([tableSpan(104, defaultZoneConfig(), { sizeBytes: 2048 * MiB, rows: 16000, boundaries })]);
    const ranges = model.rangesOfSpan('movr.public.t104@primary');
    assert.equal(ranges.length, 8);
    assert.equal(ranges[0]?.startKey, '/Table/104');
    assert.equal(ranges[ranges.length - 1]?.endKey, '/Table/105');
    for (let i = 1; i < ranges.length; i++) {
      assert.equal(ranges[i]?.startKey, ranges[i - 1]?.endKey);
      assert.match(ranges[i]?.startKey ?? '', /^\/Table\/104\/1\/\d+000$/);
    }
    assert.equal(
      ranges.reduce((sum, r) => sum + r.sizeBytes, 0),
      2048 * MiB,
    );
    for (const r of ranges) assert.ok(r.sizeBytes <= 512 * MiB);
    assert.equal(model.rangesOfSpan('movr.public.t104@primary').length, 8);
  });

  it('keeps one range for a small span and shares it among the indexes of one table', () => {
    const model = globalCluster();
    const zone = defaultZoneConfig();
    model.setSpans([
      tableSpan(104, zone, { key: 'users@pkey', sizeBytes: 10 * MiB }),
      tableSpan(104, zone, { key: 'users@by_name', indexId: 2, sizeBytes: 5 * MiB }),
    ]);
    const a = onlyRange(model, 'users@pkey');
    const b = onlyRange(model, 'users@by_name');
    assert.equal(a.rangeId, b.rangeId, 'CockroachDB splits at tables and zone configs, not at every index');
    assert.equal(a.startKey, '/Table/104');
    assert.equal(a.endKey, '/Table/105');
    assert.equal(a.sizeBytes, 15 * MiB);
    assert.match(
      model.rangeDescriptor(a.rangeId) ?? '',
      new RegExp(`^r${a.rangeId}:/Table/10\\{4-5\\} \\[\\(n\\d,s\\d\\):1, .*, next=4, gen=1\\]$`),
    );
  });

  it('splits a REGIONAL BY ROW index at its partitions', () => {
    const model = globalCluster();
    model.setSpans(rbrSpans(movr('zone'), 104));
    const keys = userRanges(model).map((r) => [r.startKey, r.endKey]);
    assert.deepEqual(keys, [
      ['/Table/104', '/Table/104/1/"\\x80"'],
      ['/Table/104/1/"\\x80"', '/Table/104/1/"\\xc0"'],
      ['/Table/104/1/"\\xc0"', '/Table/105'],
    ]);
  });

  it('keeps range ids for unchanged spans, never reuses ids, and splits keep the left-hand id', () => {
    const model = globalCluster();
    const zone = defaultZoneConfig();
    const a = tableSpan(104, zone);
    const b = tableSpan(105, zone);
    model.setSpans([a, b]);
    const idA = onlyRange(model, a.key).rangeId;
    const idB = onlyRange(model, b.key).rangeId;
    model.setSpans([a, b]);
    assert.equal(onlyRange(model, a.key).rangeId, idA);
    assert.equal(onlyRange(model, b.key).rangeId, idB);

    model.setSpans([a]);
    assert.equal(model.range(idB), undefined);
    assert.equal(onlyRange(model, a.key).rangeId, idA);
    model.setSpans([a, b]);
    assert.ok(onlyRange(model, b.key).rangeId > idB, 'a dropped range id is not reused');

    const parent = onlyRange(model, a.key);
    const replicas = parent.replicas.map((r) => r.nodeId);
    model.setSpans([{ ...a, sizeBytes: 1024 * MiB }, b]);
    const grown = model.rangesOfSpan(a.key);
    assert.equal(grown.length, 4);
    assert.equal(grown[0]?.rangeId, idA);
    for (const r of grown.slice(1)) {
      assert.ok(r.rangeId > idA);
      assert.deepEqual(
        r.replicas.map((x) => x.nodeId),
        replicas,
        'a split starts on its parent’s replicas',
      );
    }
  });

  it('re-places a range whose zone config changed, keeping its id', () => {
    const model = globalCluster();
    const db = movr('zone');
    const span = localitySpan(db, 104, { kind: 'regional-by-table' });
    model.setSpans([span]);
    const id = onlyRange(model, span.key).rangeId;
    model.setSpans([{ ...span, zone: partitionZoneConfig(db, 'europe-west1') }]);
    const r = onlyRange(model, span.key);
    assert.equal(r.rangeId, id);
    assert.deepEqual(regionsOf(model, r, 'voter'), ['europe-west1', 'europe-west1', 'europe-west1']);
    assert.equal(nodeOf(model, r.leaseholder).locality.region, 'europe-west1');
    assertOneReplicaPerNode(model);
    model.setSpans([]);
    assert.equal(model.ranges().length, 69);
  });
});

describe('cluster model: latency and availability', () => {
  it('reads from the leaseholder and writes through the nearest quorum', () => {
    const model = globalCluster();
    const zoneDb = movr('zone');
    const regionDb = movr('region');
    model.setSpans([localitySpan(zoneDb, 104, { kind: 'regional-by-table' }), localitySpan(regionDb, 105, { kind: 'regional-by-table' })]);
    const zoneRange = onlyRange(model, 'movr.public.t104@primary');
    const lh = nodeOf(model, zoneRange.leaseholder);
    const eastPeer = model.nodes().find((n) => n.locality.region === 'us-east1' && n.id !== lh.id);
    const west = model.nodes().find((n) => n.locality.region === 'us-west1');
    const europe = model.nodes().find((n) => n.locality.region === 'europe-west1');
    assert.ok(eastPeer && west && europe);
    assert.equal(model.latencyMs(lh.id, [zoneRange.rangeId], 'read'), 0);
    assert.equal(model.latencyMs(eastPeer.id, [zoneRange.rangeId], 'read'), 1);
    assert.equal(model.latencyMs(west.id, [zoneRange.rangeId], 'read'), 66);
    assert.equal(model.latencyMs(europe.id, [zoneRange.rangeId], 'read'), 64);
    // ZONE survival: the quorum is in the home region.
    assert.equal(model.latencyMs(lh.id, [zoneRange.rangeId], 'write'), 1);
    assert.equal(model.latencyMs(west.id, [zoneRange.rangeId], 'write'), 67);
    // REGION survival: one more voter than the home region's two, so a cross-region round trip.
    const regionRange = onlyRange(model, 'movr.public.t105@primary');
    const rlh = nodeOf(model, regionRange.leaseholder);
    const quorum = model.latencyMs(rlh.id, [regionRange.rangeId], 'write');
    assert.ok(quorum === 64 || quorum === 66, `write quorum ${quorum}`);
    // Several ranges: the slowest one.
    assert.equal(model.latencyMs(west.id, [zoneRange.rangeId, regionRange.rangeId], 'read'), 66);
  });

  it('serves GLOBAL reads locally and makes GLOBAL writes wait out the future timestamp', () => {
    const model = globalCluster();
    model.setSpans([localitySpan(movr('zone'), 104, { kind: 'global' })]);
    const r = onlyRange(model, 'movr.public.t104@primary');
    for (const n of model.nodes()) {
      const hasReplica = r.replicas.some((x) => x.nodeId === n.id);
      const read = model.latencyMs(n.id, [r.rangeId], 'read');
      if (hasReplica) assert.equal(read, 0);
      else assert.ok(read <= 1, `n${n.id} reads from a replica in its region`);
    }
    const lh = nodeOf(model, r.leaseholder);
    const write = model.latencyMs(lh.id, [r.rangeId], 'write');
    assert.equal(write, globalReadsLeadMs(66));
    assert.ok(write > 500 + 66 && write < 1000, `${write}`);
    // Without global reads the same range costs a leaseholder round trip.
    const west = model.nodes().find((n) => n.locality.region === 'us-west1');
    assert.equal(model.latencyMs(west?.id ?? 0, [r.rangeId], 'read', { globalReads: false }), 66);
  });

  it('answers checkAvailable with ok while every range is served', () => {
    const model = globalCluster();
    model.setSpans([tableSpan(104, defaultZoneConfig())]);
    assert.deepEqual(model.checkAvailable(model.ranges().map((r) => r.rangeId)), { ok: true });
    const missing = model.checkAvailable([9999]);
    assert.equal(missing.ok, false);
  });
});

describe('cluster model: determinism', () => {
  function scenario(seed: number): string {
    const model = new ClusterModel({ localities: demoLocalities({ global: true }), seed });
    const db = movr('region');
    model.setSpans([
      ...rbrSpans(db, 104),
      localitySpan(db, 105, { kind: 'global' }),
      ...Array.from({ length: 20 }, (_, i) => tableSpan(106 + i, defaultZoneConfig())),
    ]);
    model.killNode(2);
    model.advance(MAX_FAILOVER_MS);
    model.partitionRegion('europe-west1');
    model.advance(10_000);
    model.healRegion('europe-west1');
    model.addNode({ region: 'us-west1', zone: 'd' });
    model.advance(6 * 60_000);
    return JSON.stringify({ ranges: model.ranges(), nodes: model.nodes(), stats: model.nodeStats() });
  }

  it('replays identically from the same seed', () => {
    assert.equal(scenario(99), scenario(99));
  });

  it('may place differently with another seed', () => {
    const first = scenario(1);
    assert.ok([2, 3, 4].some((seed) => scenario(seed) !== first));
  });
});
