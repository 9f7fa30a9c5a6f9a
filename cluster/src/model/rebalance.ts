// Choosing a replica to move from an overfull node to an underfull one. Like the allocator's
// rebalancing, a move must keep every constraint satisfied and may not lower locality diversity.

import { diversity } from './allocator';
import { CountTracker, matchLocality, type Conjunction, type ParsedZone } from './constraints';
import { CHANGE_OVERHEAD_MS, MIN_REBALANCE_SPREAD, REBALANCE_THRESHOLD, SNAPSHOT_BYTES_PER_MS } from './timing';
import type { SimNode } from './topology';

interface MovableRange {
  state: { replicas: readonly { nodeId: number; type: 'voter' | 'non-voter' }[] };
  parsed: ParsedZone;
}

export interface RebalanceContext<R> {
  quorumInMain: (rec: R) => boolean;
  node: (id: number) => SimNode | undefined;
}

export interface RebalancePassContext<R> extends RebalanceContext<R> {
  replicaCount: (n: SimNode) => number;
  rangesOf: (n: SimNode) => Iterable<R>;
  /** Carries out a move; returns what it cost in receiving-node time. */
  apply: (move: RebalanceMove<R>) => number;
}

/** Receiving-node time for the replicas a change added (a snapshot each), or just the conf change. */
export function changeCost(
  range: { replicas: readonly { nodeId: number }[]; sizeBytes: number },
  before: readonly { nodeId: number }[],
): number {
  let added = 0;
  for (const r of range.replicas) if (!before.some((b) => b.nodeId === r.nodeId)) added++;
  return Math.max(1, added) * (CHANGE_OVERHEAD_MS + range.sizeBytes / SNAPSHOT_BYTES_PER_MS);
}

/**
 * Moves replicas from the fullest nodes to the emptiest while a node is more than 5% (and at least
 * 2 replicas) off the mean, within `budget` of receiving-node time. Returns whether it moved any.
 */
export function rebalanceReplicas<R extends MovableRange>(
  budget: number,
  targets: readonly SimNode[],
  ctx: RebalancePassContext<R>,
): boolean {
  if (targets.length < 2) return false;
  const count = ctx.replicaCount;
  let total = 0;
  for (const n of targets) total += count(n);
  const mean = total / targets.length;
  const spread = Math.max(mean * REBALANCE_THRESHOLD, MIN_REBALANCE_SPREAD);
  const stuck = new Set<number>();
  let moved = false;
  while (budget > 0) {
    const src = targets.filter((n) => !stuck.has(n.id)).sort((a, b) => count(b) - count(a) || a.id - b.id)[0];
    if (src === undefined) break;
    const dsts = [...targets].sort((a, b) => count(a) - count(b) || a.id - b.id);
    let done = false;
    for (const dst of dsts) {
      if (dst.id === src.id) continue;
      if (count(src) - count(dst) < MIN_REBALANCE_SPREAD) break;
      if (count(src) <= mean + spread && count(dst) >= mean - spread) break;
      const move = findRebalanceMove(ctx.rangesOf(src), src, dst, ctx);
      if (move === undefined) continue;
      budget -= ctx.apply(move);
      moved = done = true;
      break;
    }
    if (!done) stuck.add(src.id);
  }
  return moved;
}

export interface RebalanceMove<R> {
  rec: R;
  voters: SimNode[];
  nonVoters: SimNode[];
}

export function findRebalanceMove<R extends MovableRange>(
  candidates: Iterable<R>,
  src: SimNode,
  dst: SimNode,
  ctx: RebalanceContext<R>,
): RebalanceMove<R> | undefined {
  for (const rec of candidates) {
    const replicas = rec.state.replicas;
    if (replicas.some((r) => r.nodeId === dst.id)) continue;
    const moving = replicas.find((r) => r.nodeId === src.id);
    if (moving === undefined || !ctx.quorumInMain(rec)) continue;
    const voters: SimNode[] = [];
    const nonVoters: SimNode[] = [];
    let missing = false;
    for (const r of replicas) {
      const n = r.nodeId === src.id ? dst : ctx.node(r.nodeId);
      if (n === undefined) missing = true;
      else (r.type === 'voter' ? voters : nonVoters).push(n);
    }
    if (missing) continue;
    if (acceptable(rec.parsed, moving.type === 'voter', replicas, src, dst, voters, nonVoters, ctx, false)) {
      return { rec, voters, nonVoters };
    }
  }
  return undefined;
}

/**
 * A move of one of the range's replicas to a target that raises its locality diversity while every
 * constraint stays met (the allocator's rebalancing ranks diversity first). Voters are tried first,
 * the least diverse first.
 */
export function findDiversityMove<R extends MovableRange>(
  rec: R,
  targets: readonly SimNode[],
  ctx: RebalanceContext<R>,
): RebalanceMove<R> | undefined {
  const replicas = rec.state.replicas;
  const nodes = replicas.map((r) => ctx.node(r.nodeId));
  if (nodes.some((n) => n === undefined)) return undefined;
  const order = replicas
    .map((r, i) => ({ r, n: nodes[i] as SimNode }))
    .sort((a, b) => (a.r.type === b.r.type ? 0 : a.r.type === 'voter' ? -1 : 1));
  for (const { r: moving, n: src } of order) {
    for (const dst of targets) {
      if (replicas.some((x) => x.nodeId === dst.id)) continue;
      const voters: SimNode[] = [];
      const nonVoters: SimNode[] = [];
      replicas.forEach((x, i) => {
        const n = x.nodeId === src.id ? dst : (nodes[i] as SimNode);
        (x.type === 'voter' ? voters : nonVoters).push(n);
      });
      if (acceptable(rec.parsed, moving.type === 'voter', replicas, src, dst, voters, nonVoters, ctx, true)) {
        return { rec, voters, nonVoters };
      }
    }
  }
  return undefined;
}

function acceptable<R>(
  zone: ParsedZone,
  isVoter: boolean,
  replicas: readonly { nodeId: number; type: 'voter' | 'non-voter' }[],
  src: SimNode,
  dst: SimNode,
  voters: readonly SimNode[],
  nonVoters: readonly SimNode[],
  ctx: RebalanceContext<R>,
  /** Only a strictly more diverse placement will do (a move for diversity's sake). */
  strict: boolean,
): boolean {
  const m = matchLocality(zone, dst.locality);
  if (!(isVoter ? m.voterAllowed : m.allowed)) return false;
  const before: SimNode[] = [];
  const beforeVoters: SimNode[] = [];
  for (const r of replicas) {
    const n = ctx.node(r.nodeId);
    if (n === undefined) return false;
    before.push(n);
    if (r.type === 'voter') beforeVoters.push(n);
  }
  const after = [...voters, ...nonVoters];
  const all = (n: SimNode): boolean[] => matchLocality(zone, n.locality).constraints;
  const voting = (n: SimNode): boolean[] => matchLocality(zone, n.locality).voterConstraints;
  if (shortfall(zone.constraints, zone.numReplicas, after, all) > shortfall(zone.constraints, zone.numReplicas, before, all)) return false;
  const voterShortfall = (set: readonly SimNode[]): number => shortfall(zone.voterConstraints, zone.numVoters, set, voting);
  if (voterShortfall(voters) > voterShortfall(beforeVoters)) return false;
  // Diversity among the peers the replica is weighed against: voters for a voter, everyone for a non-voter.
  const peers = (isVoter ? beforeVoters : before).filter((n) => n.id !== src.id);
  let srcScore = 0;
  let dstScore = 0;
  for (const p of peers) {
    srcScore += diversity(src.locality, p.locality);
    dstScore += diversity(dst.locality, p.locality);
  }
  return strict ? dstScore > srcScore : dstScore >= srcScore;
}

/** How many replicas a set lacks (or holds in excess of unconstrained slots) against per-count constraints. */
function shortfall(
  conjs: readonly Conjunction[],
  total: number,
  nodes: readonly SimNode[],
  matched: (n: SimNode) => readonly boolean[],
): number {
  const tracker = new CountTracker(conjs, total);
  let misfits = 0;
  for (const n of nodes) {
    const x = matched(n);
    if (tracker.fits(x)) tracker.add(x);
    else misfits++;
  }
  return tracker.owed() + misfits;
}
