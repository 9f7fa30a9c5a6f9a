// Per-node range counts, as `cockroach node status --ranges` reports them.

import type { NodeRangeStats, NodeRec, RangeState } from './state';

/**
 * kvserver calcRangeCounter: a range's health is reported by its leaseholder if that node is live,
 * else by its first live replica; replica, lease and leader counts are per node.
 */
export function nodeStats(nodes: readonly NodeRec[], ranges: readonly RangeState[], isLive: (nodeId: number) => boolean): NodeRangeStats[] {
  const stats = new Map<number, NodeRangeStats>();
  for (const n of nodes) {
    stats.set(n.node.id, {
      nodeId: n.node.id,
      replicaCount: n.ranges.size,
      leaseCount: 0,
      leaderCount: 0,
      rangeCount: 0,
      rangesUnavailable: 0,
      rangesUnderReplicated: 0,
    });
  }
  for (const st of ranges) {
    if (st.leaseholder !== undefined) bump(stats.get(st.leaseholder), 'leaseCount');
    if (st.raftLeader !== undefined) bump(stats.get(st.raftLeader), 'leaderCount');
    let reporter = st.leaseholder !== undefined && isLive(st.leaseholder) ? st.leaseholder : undefined;
    reporter ??= st.replicas.find((r) => isLive(r.nodeId))?.nodeId;
    const s = reporter === undefined ? undefined : stats.get(reporter);
    if (s === undefined) continue;
    s.rangeCount++;
    if (!st.available) s.rangesUnavailable++;
    if (st.underReplicated) s.rangesUnderReplicated++;
  }
  return [...stats.values()];
}

function bump(s: NodeRangeStats | undefined, field: 'leaseCount' | 'leaderCount'): void {
  if (s !== undefined) s[field]++;
}
