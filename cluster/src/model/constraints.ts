// Zone config constraints as the allocator reads them: conjunctions of required (+) and prohibited (-)
// locality terms, each either binding every replica (list form) or a count of replicas (map form).

import type { NodeLocality } from '../../../sql/src/locality';
import { zoneConfigKey, type ZoneConfig } from './zoneConfig';

interface Term {
  required: boolean;
  key: string;
  value: string | undefined;
}

export interface Conjunction {
  terms: Term[];
  /** 0: every replica must satisfy it. */
  count: number;
}

export interface ParsedZone {
  numReplicas: number;
  numVoters: number;
  constraints: Conjunction[];
  voterConstraints: Conjunction[];
  leasePreferences: Term[][];
  /** Per node locality (the objects are stable), which constraints it meets: placement asks this a lot. */
  matches: WeakMap<NodeLocality, LocalityMatch>;
}

export interface LocalityMatch {
  /** Meets every list-form `constraints` conjunction. */
  allowed: boolean;
  /** Also meets every list-form `voter_constraints` conjunction. */
  voterAllowed: boolean;
  /** Per conjunction of `constraints` / `voter_constraints`: whether the locality satisfies it. */
  constraints: boolean[];
  voterConstraints: boolean[];
}

const cache = new WeakMap<ZoneConfig, ParsedZone>();
// Equal configs share one parse (and so one set of placement caches), however many objects carry them.
const byValue = new Map<string, ParsedZone>();

export function parseZone(zone: ZoneConfig): ParsedZone {
  let parsed = cache.get(zone);
  if (parsed !== undefined) return parsed;
  const key = zoneConfigKey(zone);
  parsed = byValue.get(key);
  if (parsed === undefined) {
    parsed = {
      numReplicas: zone.numReplicas,
      numVoters: Math.min(zone.numVoters ?? zone.numReplicas, zone.numReplicas),
      constraints: conjunctions(zone.constraints),
      voterConstraints: conjunctions(zone.voterConstraints),
      leasePreferences: zone.leasePreferences.map((pref) => pref.map(parseTerm)),
      matches: new WeakMap(),
    };
    byValue.set(key, parsed);
  }
  cache.set(zone, parsed);
  return parsed;
}

function conjunctions(c: Record<string, number> | string[]): Conjunction[] {
  if (Array.isArray(c)) return c.length === 0 ? [] : [{ terms: c.map(parseTerm), count: 0 }];
  return Object.keys(c).map((k) => ({ terms: k.split(',').map(parseTerm), count: c[k] ?? 0 }));
}

function parseTerm(text: string): Term {
  const t = text.trim();
  const required = !t.startsWith('-');
  const body = t.startsWith('+') || t.startsWith('-') ? t.slice(1) : t;
  const eq = body.indexOf('=');
  return eq < 0 ? { required, key: body, value: undefined } : { required, key: body.slice(0, eq), value: body.slice(eq + 1) };
}

function tierValue(loc: NodeLocality, key: string): string | undefined {
  if (key === 'region') return loc.region;
  // Demo names its zone tier `az`; other clusters use `zone`.
  if (key === 'zone' || key === 'az' || key === 'availability-zone') return loc.zone;
  return undefined;
}

function termHolds(term: Term, loc: NodeLocality): boolean {
  // A bare value (`+ssd`) names a node attribute; simulated nodes have none.
  const matches = term.value !== undefined && tierValue(loc, term.key) === term.value;
  return matches === term.required;
}

export function satisfies(terms: readonly Term[], loc: NodeLocality): boolean {
  for (const term of terms) if (!termHolds(term, loc)) return false;
  return true;
}

/** Whether a node may hold a replica at all under the list-form (every-replica) conjunctions. */
export function allowedBy(conjs: readonly Conjunction[], loc: NodeLocality): boolean {
  for (const c of conjs) if (c.count === 0 && !satisfies(c.terms, loc)) return false;
  return true;
}

export function matchLocality(zone: ParsedZone, loc: NodeLocality): LocalityMatch {
  let m = zone.matches.get(loc);
  if (m === undefined) {
    const allowed = allowedBy(zone.constraints, loc);
    m = {
      allowed,
      voterAllowed: allowed && allowedBy(zone.voterConstraints, loc),
      constraints: zone.constraints.map((c) => satisfies(c.terms, loc)),
      voterConstraints: zone.voterConstraints.map((c) => satisfies(c.terms, loc)),
    };
    zone.matches.set(loc, m);
  }
  return m;
}

/**
 * How far a set of replicas is from a map of per-conjunction counts: each placed replica is credited to
 * the first conjunction it satisfies that still wants replicas; the rest use up unconstrained slots.
 */
export class CountTracker {
  private readonly left: number[];
  private readonly initialFree: number;
  private free: number;

  constructor(
    private readonly conjs: readonly Conjunction[],
    total: number,
  ) {
    this.left = conjs.map((c) => c.count);
    let constrained = 0;
    for (const c of conjs) constrained += c.count;
    this.initialFree = Math.max(0, total - constrained);
    this.free = this.initialFree;
  }

  reset(): void {
    for (let i = 0; i < this.conjs.length; i++) this.left[i] = this.conjs[i]?.count ?? 0;
    this.free = this.initialFree;
  }

  /** The index of an unmet conjunction a replica matching `matched` would count toward, or -1. */
  private slotFor(matched: readonly boolean[]): number {
    for (let i = 0; i < this.conjs.length; i++) {
      if ((this.conjs[i]?.count ?? 0) > 0 && (this.left[i] ?? 0) > 0 && matched[i] === true) return i;
    }
    return -1;
  }

  /** Placing the replica would satisfy a still-unmet count. */
  necessary(matched: readonly boolean[]): boolean {
    return this.slotFor(matched) >= 0;
  }

  /** The replica fits: it meets an unmet count, or there is an unconstrained slot left. */
  fits(matched: readonly boolean[]): boolean {
    return this.free > 0 || this.slotFor(matched) >= 0;
  }

  unmet(): boolean {
    return this.left.some((r) => r > 0);
  }

  /** Replicas still owed to per-count conjunctions. */
  owed(): number {
    let sum = 0;
    for (const r of this.left) sum += Math.max(0, r);
    return sum;
  }

  add(matched: readonly boolean[]): void {
    const slot = this.slotFor(matched);
    if (slot >= 0) this.left[slot] = (this.left[slot] ?? 0) - 1;
    else this.free--;
  }
}
