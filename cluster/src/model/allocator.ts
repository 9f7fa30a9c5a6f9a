// Replica and lease placement in the manner of CockroachDB's allocator (kv/kvserver/allocator/
// allocatorimpl): a candidate must satisfy the constraints; among those, one that fills a still-unmet
// constraint count wins, then locality diversity, then the fewest replicas (leases), then chance.

import type { Rng } from './clock';
import { CountTracker, matchLocality, satisfies, type LocalityMatch, type ParsedZone } from './constraints';
import type { NodeLocality } from '../../../sql/src/locality';
import type { SimNode } from './topology';

/** allocatorimpl.GetNeededVoters: fewer nodes than voters shrink the goal, never to an even count below the zone's. */
export function neededVoters(zoneVoters: number, clusterNodes: number): number {
  let need = Math.min(zoneVoters, clusterNodes);
  if (need === zoneVoters) return need;
  if (need % 2 === 0) need--;
  if (need < 3) need = 3;
  return Math.min(need, zoneVoters);
}

/** allocatorimpl.GetNeededNonVoters. */
export function neededNonVoters(voters: number, zoneNonVoters: number, clusterNodes: number): number {
  return Math.max(0, Math.min(zoneNonVoters, clusterNodes - voters));
}

/** 1 across regions, 0.5 across zones of a region, 0 within a zone (roachpb.Locality.DiversityScore for two tiers). */
export function diversity(a: NodeLocality, b: NodeLocality): number {
  if (a.region !== b.region) return 1;
  return a.zone !== b.zone ? 0.5 : 0;
}

function meanDiversity(loc: NodeLocality, a: readonly SimNode[], b: readonly SimNode[]): number {
  const count = a.length + b.length;
  if (count === 0) return 1;
  let sum = 0;
  for (const o of a) sum += diversity(loc, o.locality);
  for (const o of b) sum += diversity(loc, o.locality);
  return sum / count;
}

export interface PlacementInput {
  zone: ParsedZone;
  /** Replicas to keep if they still fit, voters first; they may sit on nodes that are not targets (e.g. down but not yet dead). */
  existingVoters: readonly SimNode[];
  existingNonVoters: readonly SimNode[];
  /** Nodes that may receive a new replica. */
  targets: readonly SimNode[];
  /** Nodes counted for the replication goal (all but decommissioning ones, dead included). */
  clusterNodes: number;
  replicaCount: (nodeId: number) => number;
  rng: Rng;
}

export interface Placement {
  voters: SimNode[];
  nonVoters: SimNode[];
  /** Fewer replicas than the (node-count adjusted) goal could be placed. */
  short: boolean;
}

/** Completes a replica set: keeps what still fits, promotes/demotes where it can, adds the best targets. */
export function place(input: PlacementInput): Placement {
  return new Placer(input.zone, input.targets, input.clusterNodes, input.replicaCount, input.rng).place(
    input.existingVoters,
    input.existingNonVoters,
  );
}

/**
 * Placement for one zone over one set of targets, reusable across many ranges (a bulk of new ranges
 * shares a handful of zones, and placing thousands of them must stay cheap).
 */
export class Placer {
  readonly wantVoters: number;
  readonly wantNonVoters: number;
  private readonly matches: LocalityMatch[];
  private readonly voterCounts: CountTracker;
  private readonly replicaCounts: CountTracker;
  private readonly ties: number[] = [];
  private voters: SimNode[] = [];
  private nonVoters: SimNode[] = [];

  constructor(
    private readonly zone: ParsedZone,
    private readonly targets: readonly SimNode[],
    clusterNodes: number,
    private readonly replicaCount: (nodeId: number) => number,
    private readonly rng: Rng,
  ) {
    this.wantVoters = neededVoters(zone.numVoters, clusterNodes);
    this.wantNonVoters = neededNonVoters(this.wantVoters, zone.numReplicas - zone.numVoters, clusterNodes);
    this.matches = targets.map((n) => matchLocality(zone, n.locality));
    this.voterCounts = new CountTracker(zone.voterConstraints, zone.numVoters);
    this.replicaCounts = new CountTracker(zone.constraints, zone.numReplicas);
  }

  place(existingVoters: readonly SimNode[], existingNonVoters: readonly SimNode[]): Placement {
    const zone = this.zone;
    this.voterCounts.reset();
    this.replicaCounts.reset();
    this.voters = [];
    this.nonVoters = [];
    const leftovers: SimNode[] = [];
    for (const n of existingVoters) {
      const x = matchLocality(zone, n.locality);
      if (this.voters.length < this.wantVoters && this.voterFits(x)) this.addVoter(n, x);
      else leftovers.push(n);
    }
    // Promoting a non-voter is cheaper than sending a snapshot, so CockroachDB prefers it.
    const pool = leftovers.length === 0 ? existingNonVoters : [...existingNonVoters, ...leftovers];
    for (const n of pool) {
      if (this.voters.length >= this.wantVoters) break;
      const x = matchLocality(zone, n.locality);
      if (this.voterFits(x) && (!this.voterCounts.unmet() || this.voterCounts.necessary(x.voterConstraints))) this.addVoter(n, x);
    }
    while (this.voters.length < this.wantVoters) {
      const best = this.pick(true);
      if (best === undefined) break;
      this.addVoter(best, matchLocality(zone, best.locality));
    }
    for (const n of pool) {
      if (this.nonVoters.length >= this.wantNonVoters) break;
      if (this.used(n)) continue;
      const x = matchLocality(zone, n.locality);
      if (this.nonVoterFits(x) && (!this.replicaCounts.unmet() || this.replicaCounts.necessary(x.constraints))) {
        this.addNonVoter(n, x);
      }
    }
    while (this.nonVoters.length < this.wantNonVoters) {
      const best = this.pick(false);
      if (best === undefined) break;
      this.addNonVoter(best, matchLocality(zone, best.locality));
    }
    const short = this.voters.length < this.wantVoters || this.nonVoters.length < this.wantNonVoters;
    return { voters: this.voters, nonVoters: this.nonVoters, short };
  }

  private used(n: SimNode): boolean {
    return this.voters.includes(n) || this.nonVoters.includes(n);
  }

  private voterFits(x: LocalityMatch): boolean {
    return x.voterAllowed && this.voterCounts.fits(x.voterConstraints) && this.replicaCounts.fits(x.constraints);
  }

  private nonVoterFits(x: LocalityMatch): boolean {
    return x.allowed && this.replicaCounts.fits(x.constraints);
  }

  private addVoter(n: SimNode, x: LocalityMatch): void {
    this.voters.push(n);
    this.voterCounts.add(x.voterConstraints);
    this.replicaCounts.add(x.constraints);
  }

  private addNonVoter(n: SimNode, x: LocalityMatch): void {
    this.nonVoters.push(n);
    this.replicaCounts.add(x.constraints);
  }

  /** The best target for one more voter (or non-voter): necessary, then diverse, then least loaded, then chance. */
  private pick(voter: boolean): SimNode | undefined {
    const ties = this.ties;
    let bestNeed = -1;
    let bestDiversity = -1;
    let bestCount = Infinity;
    ties.length = 0;
    for (let i = 0; i < this.targets.length; i++) {
      const n = this.targets[i] as SimNode;
      const x = this.matches[i] as LocalityMatch;
      if (this.used(n)) continue;
      let need: number;
      let div: number;
      if (voter) {
        if (!this.voterFits(x)) continue;
        need = (this.voterCounts.necessary(x.voterConstraints) ? 1 : 0) + (this.replicaCounts.necessary(x.constraints) ? 1 : 0);
        div = meanDiversity(n.locality, this.voters, []);
      } else {
        if (!this.nonVoterFits(x)) continue;
        need = this.replicaCounts.necessary(x.constraints) ? 1 : 0;
        div = meanDiversity(n.locality, this.voters, this.nonVoters);
      }
      const count = this.replicaCount(n.id);
      const cmp = need !== bestNeed ? need - bestNeed : div !== bestDiversity ? div - bestDiversity : bestCount - count;
      if (cmp > 0) {
        ties.length = 0;
        bestNeed = need;
        bestDiversity = div;
        bestCount = count;
      }
      if (cmp >= 0) ties.push(i);
    }
    const chosen = ties.length <= 1 ? ties[0] : ties[this.rng.int(ties.length)];
    return chosen === undefined ? undefined : this.targets[chosen];
  }
}

/**
 * The leaseholder among `voters` (all able to serve): the first lease preference any of them satisfies,
 * then the fewest leases, then chance. Draining nodes take a lease only if nothing else can.
 */
export function chooseLeaseholder(
  zone: ParsedZone,
  voters: readonly SimNode[],
  leaseCount: (nodeId: number) => number,
  rng: Rng,
): SimNode | undefined {
  let pool = voters.filter((n) => !n.draining);
  if (pool.length === 0) pool = [...voters];
  for (const pref of zone.leasePreferences) {
    const matching = pool.filter((n) => satisfies(pref, n.locality));
    if (matching.length > 0) {
      pool = matching;
      break;
    }
  }
  let best: SimNode[] = [];
  let bestCount = Infinity;
  for (const n of pool) {
    const c = leaseCount(n.id);
    if (c < bestCount) {
      best = [n];
      bestCount = c;
    } else if (c === bestCount) best.push(n);
  }
  if (best.length <= 1) return best[0];
  return best[rng.int(best.length)];
}

/** The index of the first lease preference the node satisfies (preferences.length if none). */
export function leasePreferenceRank(zone: ParsedZone, loc: NodeLocality): number {
  for (let i = 0; i < zone.leasePreferences.length; i++) {
    if (satisfies(zone.leasePreferences[i] ?? [], loc)) return i;
  }
  return zone.leasePreferences.length;
}
