// Shared fixtures for the cluster model tests (cluster/src/model): the demo --global topology and movr-like spans.
import * as assert from 'node:assert/strict';
import { ClusterModel, type RangeState, type SpanInput } from '../../../cluster/src/model/cluster';
import { demoLocalities, type SimNode } from '../../../cluster/src/model/topology';
import { partitionZoneConfig, tableZoneConfig, type DatabaseRegions, type ZoneConfig } from '../../../cluster/src/model/zoneConfig';
import type { TableLocalitySpec } from '../../../sql/src/locality';

export const REGIONS = ['us-east1', 'us-west1', 'europe-west1'];

export function movr(survival: 'zone' | 'region', primaryRegion = 'us-east1'): DatabaseRegions {
  return { name: 'movr', regions: [...REGIONS], primaryRegion, survival };
}

export function globalCluster(seed = 42): ClusterModel {
  return new ClusterModel({ localities: demoLocalities({ global: true }), seed });
}

export function tableSpan(tableId: number, zone: ZoneConfig, extra: Partial<SpanInput> = {}): SpanInput {
  return { key: `movr.public.t${tableId}@primary`, table: `t${tableId}`, tableId, indexId: 1, sizeBytes: 1024, rows: 10, zone, ...extra };
}

export function localitySpan(db: DatabaseRegions, tableId: number, locality: TableLocalitySpec): SpanInput {
  return tableSpan(tableId, tableZoneConfig(db, locality));
}

/** One span per region partition of a REGIONAL BY ROW table's primary index. */
export function rbrSpans(db: DatabaseRegions, tableId: number): SpanInput[] {
  return db.regions.map((region, i) =>
    tableSpan(tableId, partitionZoneConfig(db, region), {
      key: `movr.public.t${tableId}@primary#${region}`,
      partition: region,
      partitionKey: `/"\\x${(0x40 * (i + 1)).toString(16)}"`,
    }),
  );
}

export function nodeOf(model: ClusterModel, id: number | undefined): SimNode {
  const n = id === undefined ? undefined : model.node(id);
  assert.ok(n !== undefined, `node ${String(id)} exists`);
  return n;
}

export function regionsOf(model: ClusterModel, range: RangeState, type?: 'voter' | 'non-voter'): string[] {
  return range.replicas.filter((r) => type === undefined || r.type === type).map((r) => nodeOf(model, r.nodeId).locality.region);
}

export function count<T>(items: readonly T[], item: T): number {
  return items.filter((x) => x === item).length;
}

export function assertOneReplicaPerNode(model: ClusterModel): void {
  for (const r of model.ranges()) {
    const ids = r.replicas.map((x) => x.nodeId);
    assert.equal(new Set(ids).size, ids.length, `r${r.rangeId} has two replicas on one node: ${ids.join(',')}`);
  }
}

export function userRanges(model: ClusterModel): RangeState[] {
  return model.ranges().filter((r) => r.rangeId >= 70);
}

export function onlyRange(model: ClusterModel, spanKey: string): RangeState {
  const ranges = model.rangesOfSpan(spanKey);
  assert.equal(ranges.length, 1, `one range for ${spanKey}`);
  return ranges[0] as RangeState;
}
