// Round trips between regions on a real cluster: each node's status records, per peer node, the
// round-trip latency of its RPC heartbeats (crdb_internal.kv_node_status.activity, in
// nanoseconds) — the figures the DB Console's network latency page is built from. A region pair's
// round trip is the median of its node pairs'. When nothing is recorded the latency is unknown.
import type { RegionLatency, TopologyLatency, TopologyNode } from '../../../protocol/src/topology';
import type { Reader } from './reader';

const NANOS_PER_MS = 1_000_000;

/** `{"2": {"latency": "812345", …}, …}` → peer node id → round trip in ms (entries without a positive latency left out). */
export function parseActivity(json: string | null | undefined): Map<number, number> {
  const out = new Map<number, number>();
  if (json === null || json === undefined || json.trim() === '') return out;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return out;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [peer, entry] of Object.entries(value as Record<string, unknown>)) {
    const id = Number(peer);
    if (!Number.isInteger(id) || typeof entry !== 'object' || entry === null) continue;
    const nanos = Number((entry as Record<string, unknown>)['latency']);
    if (Number.isFinite(nanos) && nanos > 0) out.set(id, nanos / NANOS_PER_MS);
  }
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Region pairs (each once, names in order) from per-node peer latencies. */
export function regionLatencies(
  nodes: readonly TopologyNode[],
  perNode: ReadonlyMap<number, ReadonlyMap<number, number>>,
): RegionLatency[] {
  const regionOf = new Map(nodes.map((n) => [n.id, n.region]));
  const samples = new Map<string, number[]>();
  for (const [nodeId, peers] of perNode) {
    const a = regionOf.get(nodeId);
    if (a === undefined || a === '') continue;
    for (const [peer, ms] of peers) {
      const b = regionOf.get(peer);
      if (b === undefined || b === '' || b === a) continue;
      const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
      samples.set(key, [...(samples.get(key) ?? []), ms]);
    }
  }
  return [...samples]
    .map(([key, values]) => {
      const [from = '', to = ''] = key.split('\u0000');
      return { from, to, rttMs: Math.round(median(values) * 10) / 10 };
    })
    .sort((x, y) => x.from.localeCompare(y.from) || x.to.localeCompare(y.to));
}

/** Measured round trips, or 'unknown' when the column is missing, refused or empty. */
export async function readLatency(reader: Reader, nodes: readonly TopologyNode[]): Promise<TopologyLatency> {
  const result = await reader.read('SELECT node_id, activity::STRING AS activity FROM crdb_internal.kv_node_status');
  if (!result.ok) return { source: 'unknown', links: [] };
  const perNode = new Map<number, Map<number, number>>();
  for (const row of result.rows) {
    const id = Number(row.node_id);
    if (Number.isInteger(id)) perNode.set(id, parseActivity(row.activity));
  }
  const links = regionLatencies(nodes, perNode);
  return links.length > 0 ? { source: 'measured', links } : { source: 'unknown', links: [] };
}
