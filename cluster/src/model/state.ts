// The model's state records: what it shows (RangeState, events, per-node stats) and what it keeps
// behind that (node and range records), with the connectivity rules every other part relies on.

import type { SnapshotRange, SnapshotReplica } from '../../../protocol/src/cluster';
import type { ParsedZone } from './constraints';
import type { SimNode } from './topology';
import type { ZoneConfig } from './zoneConfig';

export type ReplicaState = SnapshotReplica;

/** A range as the model shows it: what a snapshot carries, plus its span and zone configuration. */
export interface RangeState extends SnapshotRange {
  spanKey: string;
  zone: ZoneConfig;
}

export type ClusterEvent = { type: 'node'; node: SimNode } | { type: 'range'; range: RangeState } | { type: 'ranges' };

/** What `cockroach node status --ranges` shows per node. */
export interface NodeRangeStats {
  nodeId: number;
  replicaCount: number;
  leaseCount: number;
  leaderCount: number;
  /** Ranges this node reports metrics for: those it holds the lease of, or is the first live replica of. */
  rangeCount: number;
  rangesUnavailable: number;
  rangesUnderReplicated: number;
}

export type AvailabilityCheck = { ok: true } | { ok: false; availableAt?: number; rangeId: number; message: string };

export type Membership = 'active' | 'decommissioning' | 'decommissioned';

export interface NodeRec {
  node: SimNode;
  membership: Membership;
  /** When the node stopped being reachable from the rest of the cluster (killed or partitioned away). */
  downSince: number | undefined;
  storeDeadEvent: number | undefined;
  ranges: Set<RangeRec>;
  leases: number;
}

export interface RangeRec {
  state: RangeState;
  parsed: ParsedZone;
  tableId: number | undefined;
  spanKeys: string[];
  nextReplicaId: number;
  generation: number;
  /** The lease as the replicas know it, reachable or not; `state.leaseholder` is the outside view. */
  lease: number | undefined;
  leader: number | undefined;
  electionEvent: number | undefined;
  leaseEvent: number | undefined;
  failoverAt: number | undefined;
  dropped: boolean;
}

/** Nodes by id in an array: looked up for every replica of every range, so a Map is measurably slower. */
export class NodeIndex {
  private readonly byId: (NodeRec | undefined)[] = [];
  private readonly list: NodeRec[] = [];

  get(id: number): NodeRec | undefined {
    return this.byId[id];
  }

  add(rec: NodeRec): void {
    this.byId[rec.node.id] = rec;
    this.list.push(rec);
  }

  values(): readonly NodeRec[] {
    return this.list;
  }
}

/** The reachable part of the cluster; an isolated node's component is its region. */
export const MAIN = '';

/** Which side of a partition a node is on. */
export function componentOf(n: SimNode): string {
  return n.isolated ? n.locality.region : MAIN;
}

/** The component holding a majority of the range's voters on running nodes, if any. */
export function quorumComponent(rec: RangeRec, nodes: NodeIndex): string | undefined {
  const replicas = rec.state.replicas;
  let voters = 0;
  let main = 0;
  for (const r of replicas) {
    if (r.type !== 'voter') continue;
    voters++;
    const n = nodes.get(r.nodeId)?.node;
    if (n !== undefined && n.running && !n.isolated) main++;
  }
  if (voters === 0) return undefined;
  const majority = Math.floor(voters / 2) + 1;
  if (main >= majority) return MAIN;
  // A partitioned region may hold a majority of its own.
  for (const r of replicas) {
    const n = nodes.get(r.nodeId)?.node;
    if (r.type !== 'voter' || n === undefined || !n.running || !n.isolated) continue;
    let count = 0;
    for (const o of replicas) {
      const m = nodes.get(o.nodeId)?.node;
      if (o.type === 'voter' && m !== undefined && m.running && m.isolated && m.locality.region === n.locality.region) count++;
    }
    if (count >= majority) return n.locality.region;
  }
  return undefined;
}

/** The node runs, sits in component `q` and holds a voter of the range. */
export function isVoterUpIn(rec: RangeRec, nodeId: number, q: string, nodes: NodeIndex): boolean {
  const n = nodes.get(nodeId)?.node;
  if (n === undefined || !n.running || componentOf(n) !== q) return false;
  return rec.state.replicas.some((r) => r.nodeId === nodeId && r.type === 'voter');
}

export function hasNode(replicas: readonly ReplicaState[], nodeId: number): boolean {
  for (const r of replicas) if (r.nodeId === nodeId) return true;
  return false;
}
