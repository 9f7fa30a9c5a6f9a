// The decommission pre-check (server DecommissionPreCheck): every range with a replica on a node
// about to be decommissioned is run through the allocator as if those nodes were already
// decommissioning. A range passes when the replicate queue could carry out what it would do next —
// replace or remove the departing replica — and fails with the allocator's own error when no node
// can take the replacement (the classic case: three nodes, replication factor 3).

import { neededNonVoters, neededVoters, Placer } from './allocator';
import type { Rng } from './clock';
import type { Conjunction, ParsedZone } from './constraints';
import type { Membership, ReplicaState } from './state';
import type { SimNode } from './topology';

/** serverpb.DecommissionPreCheckResponse_NodeReadiness, as `cockroach node decommission` prints it. */
export type DecommissionReadiness = 'unknown' | 'ready' | 'already decommissioned' | 'allocation errors';

export interface RangeCheckFailure {
  rangeId: number;
  /** The allocator action the range needs next (allocatorimpl.AllocatorAction's name). */
  action: string;
  error: string;
}

export interface NodeCheckResult {
  nodeId: number;
  readiness: DecommissionReadiness;
  /** Replicas the node holds (0 when not checked). */
  replicaCount: number;
  /** The ranges that would block its decommissioning. */
  blocking: RangeCheckFailure[];
}

export interface CheckNode {
  node: SimNode;
  membership: Membership;
  /** Running and reachable. */
  live: boolean;
  /** Down longer than server.time_until_store_dead. */
  storeDead: boolean;
}

export interface CheckRange {
  rangeId: number;
  parsed: ParsedZone;
  replicas: readonly ReplicaState[];
}

export interface CheckInput {
  nodes: readonly CheckNode[];
  ranges: readonly CheckRange[];
  nodeIds: readonly number[];
  /** --checks=strict: anything but replacing or removing the departing replica blocks. */
  strict: boolean;
  replicaCount: (nodeId: number) => number;
  rng: Rng;
}

export function decommissionPreCheck(input: CheckInput): NodeCheckResult[] {
  const byId = new Map(input.nodes.map((n) => [n.node.id, n]));
  const results = new Map<number, NodeCheckResult>();
  const checked = new Set<number>();
  for (const id of input.nodeIds) {
    const n = byId.get(id);
    if (n === undefined) results.set(id, { nodeId: id, readiness: 'unknown', replicaCount: 0, blocking: [] });
    else if (n.membership === 'decommissioned')
      results.set(id, { nodeId: id, readiness: 'already decommissioned', replicaCount: 0, blocking: [] });
    else checked.add(id);
  }
  const blocking = new Map<number, RangeCheckFailure[]>();
  for (const id of checked) blocking.set(id, []);
  const view = new AllocatorView(input, byId, checked);
  for (const range of input.ranges) {
    const on = range.replicas.filter((r) => checked.has(r.nodeId));
    if (on.length === 0) continue;
    const failure = view.check(range, input.strict);
    if (failure === undefined) continue;
    for (const r of on) blocking.get(r.nodeId)?.push(failure);
  }
  for (const id of checked) {
    const failures = blocking.get(id) ?? [];
    results.set(id, {
      nodeId: id,
      readiness: failures.length > 0 ? 'allocation errors' : 'ready',
      replicaCount: input.replicaCount(id),
      blocking: failures,
    });
  }
  return input.nodeIds.map((id) => results.get(id) ?? { nodeId: id, readiness: 'unknown', replicaCount: 0, blocking: [] });
}

/** The allocator's view with the checked nodes overridden to decommissioning (storepool.OverrideNodeLivenessFunc). */
class AllocatorView {
  /** allocator ClusterNodeCount: members that are not (about to be) decommissioning, dead ones included. */
  private readonly clusterNodes: number;
  /** Live stores that may take a replica: the allocator error's "of N live stores". */
  private readonly aliveStores: SimNode[];

  constructor(
    private readonly input: CheckInput,
    private readonly byId: ReadonlyMap<number, CheckNode>,
    private readonly checked: ReadonlySet<number>,
  ) {
    let count = 0;
    const alive: SimNode[] = [];
    for (const n of input.nodes) {
      if (!this.active(n)) continue;
      count++;
      if (n.live && !n.node.draining) alive.push(n.node);
    }
    this.clusterNodes = count;
    this.aliveStores = alive;
  }

  private active(n: CheckNode): boolean {
    return n.membership === 'active' && !this.checked.has(n.node.id);
  }

  private departing(nodeId: number): boolean {
    const n = this.byId.get(nodeId);
    return n === undefined || !this.active(n);
  }

  /** The range's failure, or undefined when it passes. */
  check(range: CheckRange, strict: boolean): RangeCheckFailure | undefined {
    const { action, replacing } = this.computeAction(range);
    const fail = (error: string): RangeCheckFailure => ({ rangeId: range.rangeId, action, error });
    if (action === 'range unavailable' || action === 'noop' || action === 'consider rebalance')
      return fail(`range r${range.rangeId} requires unexpected allocation action: ${action}`);
    const allocation = replacing === undefined ? undefined : this.allocate(range, replacing);
    if (allocation !== undefined) return fail(allocation);
    if (strict && !(action.startsWith('replace') || action.startsWith('remove')))
      return fail(`range r${range.rangeId} needs repair beyond replacing/removing the decommissioning replica: ${action}`);
    return undefined;
  }

  /** allocatorimpl computeAction, in its order; `replacing` names the replica a new one must stand in for. */
  private computeAction(range: CheckRange): { action: string; replacing?: { type: 'voter' | 'non-voter'; nodeId?: number } } {
    const zone = range.parsed;
    const voters = range.replicas.filter((r) => r.type === 'voter');
    const nonVoters = range.replicas.filter((r) => r.type === 'non-voter');
    const wantVoters = neededVoters(zone.numVoters, this.clusterNodes);
    if (voters.length < wantVoters) return { action: 'add voter', replacing: { type: 'voter' } };
    const live = voters.filter((r) => this.byId.get(r.nodeId)?.live === true).length;
    if (live < Math.floor(voters.length / 2) + 1) return { action: 'range unavailable' };
    const dead = voters.find((r) => this.byId.get(r.nodeId)?.storeDead === true);
    if (dead !== undefined) return { action: 'replace dead voter', replacing: { type: 'voter', nodeId: dead.nodeId } };
    const leaving = voters.find((r) => this.departing(r.nodeId));
    if (leaving !== undefined) {
      if (voters.length > wantVoters) return { action: 'remove decommissioning voter' };
      return { action: 'replace decommissioning voter', replacing: { type: 'voter', nodeId: leaving.nodeId } };
    }
    if (voters.length > wantVoters) return { action: 'remove voter' };
    const wantNonVoters = neededNonVoters(voters.length, zone.numReplicas - zone.numVoters, this.clusterNodes);
    if (nonVoters.length < wantNonVoters) return { action: 'add non-voter', replacing: { type: 'non-voter' } };
    const deadNonVoter = nonVoters.find((r) => this.byId.get(r.nodeId)?.storeDead === true);
    if (deadNonVoter !== undefined)
      return { action: 'replace dead non-voter', replacing: { type: 'non-voter', nodeId: deadNonVoter.nodeId } };
    const leavingNonVoter = nonVoters.find((r) => this.departing(r.nodeId));
    if (leavingNonVoter !== undefined) {
      if (nonVoters.length > wantNonVoters) return { action: 'remove decommissioning non-voter' };
      return { action: 'replace decommissioning non-voter', replacing: { type: 'non-voter', nodeId: leavingNonVoter.nodeId } };
    }
    if (nonVoters.length > wantNonVoters) return { action: 'remove non-voter' };
    return { action: 'consider rebalance' };
  }

  /** Whether a node can take the new replica; the allocator's error when none can. */
  private allocate(range: CheckRange, replacing: { type: 'voter' | 'non-voter'; nodeId?: number }): string | undefined {
    const holders = new Set(range.replicas.map((r) => r.nodeId));
    const targets = this.aliveStores.filter((n) => !holders.has(n.id));
    const keep = (type: 'voter' | 'non-voter'): SimNode[] =>
      range.replicas
        .filter((r) => r.type === type && r.nodeId !== replacing.nodeId)
        .map((r) => this.byId.get(r.nodeId)?.node)
        .filter((n): n is SimNode => n !== undefined);
    const voters = keep('voter');
    const nonVoters = keep('non-voter');
    const placer = new Placer(range.parsed, targets, this.clusterNodes, this.input.replicaCount, this.input.rng);
    const placed = placer.place(voters, nonVoters);
    const found =
      replacing.type === 'voter' ? placed.voters.some((n) => targets.includes(n)) : placed.nonVoters.some((n) => targets.includes(n));
    if (found) return undefined;
    return allocatorError(range.parsed, this.aliveStores.length, voters.length, nonVoters.length);
  }
}

/** allocatorimpl allocatorError.Error(). */
export function allocatorError(zone: ParsedZone, aliveStores: number, existingVoters: number, existingNonVoters: number): string {
  const votersText = existingVoters === 1 ? '1 already has a voter' : `${existingVoters} already have a voter`;
  const nonVotersText = existingNonVoters === 1 ? '1 already has a non-voter' : `${existingNonVoters} already have a non-voter`;
  const base = `0 of ${aliveStores} live stores are able to take a new replica for the range (${votersText}, ${nonVotersText})`;
  if (zone.constraints.length === 0 && zone.voterConstraints.length === 0) return `${base}; likely not enough nodes in cluster`;
  return (
    `${base}; replicas must match constraints [${conjunctionsText(zone.constraints)}]` +
    `; voting replicas must match voter_constraints [${conjunctionsText(zone.voterConstraints)}]`
  );
}

/** roachpb.ConstraintsConjunction.String() for each, in braces: `{+region=us-east1:2}`. */
function conjunctionsText(conjs: readonly Conjunction[]): string {
  return conjs
    .map((c) => {
      const terms = c.terms.map((t) => `${t.required ? '+' : '-'}${t.key}${t.value === undefined ? '' : `=${t.value}`}`).join(',');
      return `{${terms}${c.count > 0 ? `:${c.count}` : ''}}`;
    })
    .join(' ');
}
