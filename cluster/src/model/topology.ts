// Node localities and network round trips, mirroring `cockroach demo` (pkg/cli/democluster).
import type { SnapshotLiveness, SnapshotNode } from '../../../protocol/src/cluster';
import type { NodeLocality } from '../../../sql/src/locality';

export type Liveness = SnapshotLiveness;

/** A node of the model: what a snapshot carries, with the node's own locality type and times. */
export interface SimNode extends SnapshotNode {
  locality: NodeLocality;
  startedAt: number;
  updatedAt: number;
}

// cockroach demo's own list (democluster defaultLocalities): node i takes entry i mod 9, so the first
// three nodes are all in us-east1. Its tier key for the zone is `az`, with bare letters as values.
const DEMO_LOCALITIES: readonly NodeLocality[] = [
  { region: 'us-east1', zone: 'b' },
  { region: 'us-east1', zone: 'c' },
  { region: 'us-east1', zone: 'd' },
  { region: 'us-west1', zone: 'a' },
  { region: 'us-west1', zone: 'b' },
  { region: 'us-west1', zone: 'c' },
  { region: 'europe-west1', zone: 'b' },
  { region: 'europe-west1', zone: 'c' },
  { region: 'europe-west1', zone: 'd' },
];

/**
 * Localities of a `cockroach demo` cluster: `--global` defaults to 9 nodes; without it the default is
 * 1 node. Either way node i gets demo's i-th default locality (wrapping after 9), as demo assigns them.
 */
export function demoLocalities(options: { nodes?: number; global?: boolean }): NodeLocality[] {
  const count = options.nodes ?? (options.global === true ? 9 : 1);
  const out: NodeLocality[] = [];
  for (let i = 0; i < count; i++) {
    const loc = DEMO_LOCALITIES[i % DEMO_LOCALITIES.length] as NodeLocality;
    out.push({ region: loc.region, zone: loc.zone });
  }
  return out;
}

// democluster/demo_locality_list.go: "Round-trip latencies collected from http://cloudping.co".
const DEMO_RTT_MS: ReadonlyMap<string, number> = new Map([
  [pairKey('us-east1', 'us-west1'), 66],
  [pairKey('us-east1', 'europe-west1'), 64],
  [pairKey('us-west1', 'europe-west1'), 146],
]);

/**
 * Demo injects no latency inside a region (its nodes share one machine); a real region's zones are
 * about a millisecond apart, which is what we charge so that local quorum writes are not free.
 */
export const SAME_REGION_RTT_MS = 1;

/** Regions demo does not know: a cross-continent-ish round trip, so distance is never underestimated to 0. */
export const UNKNOWN_REGION_RTT_MS = 100;

export function rttMs(a: string, b: string): number {
  if (a === b) return SAME_REGION_RTT_MS;
  return DEMO_RTT_MS.get(pairKey(a, b)) ?? UNKNOWN_REGION_RTT_MS;
}

/** Round trip between two nodes: nothing within a node, else by region. */
export function nodeRttMs(a: SimNode, b: SimNode): number {
  return a.id === b.id ? 0 : rttMs(a.locality.region, b.locality.region);
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}
