// Network latency of a statement's KV work, from the gateway's view. Requests to several ranges go out
// in parallel (DistSender), so a statement waits for its slowest range.

import { nodeRttMs, type SimNode } from './topology';

interface LatencyRange {
  replicas: readonly { nodeId: number; type: 'voter' | 'non-voter' }[];
  leaseholder: number | undefined;
  zone: { globalReads?: boolean };
}

/** --max-offset's default. */
export const MAX_CLOCK_OFFSET_MS = 500;

/**
 * How far ahead of present time a GLOBAL range closes timestamps, hence how long a write to it
 * commit-waits: closedts.TargetForPolicy(LEAD_FOR_GLOBAL_READS) = max_offset + 25 ms buffer +
 * max(1.5 × RTT + 20 ms raft overhead, 0.5 × RTT + 200 ms side-transport interval). CockroachDB
 * plugs in a fixed 150 ms RTT (≈800 ms in all); we use the leaseholder's furthest replica instead, so
 * a compact cluster pays less, as the lead is meant to track real propagation time.
 */
export function globalReadsLeadMs(maxReplicaRttMs: number): number {
  return MAX_CLOCK_OFFSET_MS + 25 + Math.max(1.5 * maxReplicaRttMs + 20, 0.5 * maxReplicaRttMs + 200);
}

/**
 * Who serves a read: its leaseholder (a present-time read of a non-GLOBAL range), or the nearest
 * replica of any type (a GLOBAL range's present-time read; a follower read or a bounded-staleness
 * read, whose timestamp every replica has closed).
 */
export type ReadServer = 'leaseholder' | 'nearest-replica';

export function rangeLatencyMs(
  gateway: SimNode,
  range: LatencyRange,
  kind: 'read' | 'write',
  globalReads: boolean,
  node: (id: number) => SimNode | undefined,
  readServer: ReadServer = 'leaseholder',
): number {
  const replicaNodes: SimNode[] = [];
  const voterNodes: SimNode[] = [];
  for (const r of range.replicas) {
    const n = node(r.nodeId);
    if (n === undefined) continue;
    replicaNodes.push(n);
    if (r.type === 'voter') voterNodes.push(n);
  }
  if (kind === 'read' && (globalReads || readServer === 'nearest-replica')) {
    // Any replica serves a present-time read on a GLOBAL table, and a read at a timestamp every
    // replica has closed (follower reads, bounded staleness): the nearest one, or the gateway's own.
    return nearest(gateway, replicaNodes);
  }
  const lh = (range.leaseholder !== undefined ? node(range.leaseholder) : undefined) ?? closest(gateway, voterNodes);
  if (lh === undefined) return 0;
  const toLeaseholder = nodeRttMs(gateway, lh);
  if (kind === 'read') return toLeaseholder;
  const quorum = quorumRttMs(lh, voterNodes);
  if (!globalReads) return toLeaseholder + quorum;
  let furthest = 0;
  for (const n of replicaNodes) furthest = Math.max(furthest, nodeRttMs(lh, n));
  // The write commits at a future timestamp and the client waits until that time has passed.
  return toLeaseholder / 2 + Math.max(globalReadsLeadMs(furthest), quorum + toLeaseholder / 2);
}

/** The leaseholder's round trip to the nearest (majority − 1) other voters: what a Raft commit waits for. */
export function quorumRttMs(leaseholder: SimNode, voters: readonly SimNode[]): number {
  const others: number[] = [];
  for (const v of voters) if (v.id !== leaseholder.id) others.push(nodeRttMs(leaseholder, v));
  const needed = Math.floor(voters.length / 2);
  if (needed === 0 || others.length === 0) return 0;
  others.sort((a, b) => a - b);
  return others[Math.min(needed, others.length) - 1] ?? 0;
}

function nearest(from: SimNode, nodes: readonly SimNode[]): number {
  let best = Infinity;
  for (const n of nodes) best = Math.min(best, nodeRttMs(from, n));
  return best === Infinity ? 0 : best;
}

function closest(from: SimNode, nodes: readonly SimNode[]): SimNode | undefined {
  let best: SimNode | undefined;
  let bestRtt = Infinity;
  for (const n of nodes) {
    const rtt = nodeRttMs(from, n);
    if (rtt < bestRtt) {
      best = n;
      bestRtt = rtt;
    }
  }
  return best;
}
