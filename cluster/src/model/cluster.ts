// The simulated cluster: nodes, ranges and their replicas, Raft leaders and leases, failures and the
// replicate queue's repairs and rebalancing, all on a simulated clock with seeded randomness.

import { chooseLeaseholder, leasePreferenceRank, neededNonVoters, neededVoters, Placer } from './allocator';
import { SimClock, Rng } from './clock';
import { parseZone, type ParsedZone } from './constraints';
import { decommissionPreCheck, type NodeCheckResult } from './decommissionCheck';
import { layoutRanges, type RangeLayout, type SpanInput } from './keys';
import { rangeLatencyMs, type ReadServer } from './latency';
import { rangeDescriptor, replicaUnavailableMessage } from './messages';
import { nodeStats } from './nodeStats';
import { changeCost, findDiversityMove, rebalanceReplicas } from './rebalance';
import { ModelSettings } from './settings';
import {
  componentOf,
  hasNode,
  isVoterUpIn,
  MAIN,
  NodeIndex,
  quorumComponent,
  type AvailabilityCheck,
  type ClusterEvent,
  type Membership,
  type NodeRangeStats,
  type NodeRec,
  type RangeRec,
  type RangeState,
  type ReplicaState,
} from './state';
import { systemRanges } from './systemRanges';
import { ALLOCATOR_INTERVAL_MS, CHANGE_OVERHEAD_MS, ELECTION_TIMEOUT_MS, LEASE_DURATION_MS } from './timing';
import type { NodeLocality } from '../../../sql/src/locality';
import type { SimNode } from './topology';
import { zoneConfigsEqual, type ZoneConfig } from './zoneConfig';

export type { SpanInput } from './keys';
export type { AvailabilityCheck, ClusterEvent, Membership, NodeRangeStats, RangeState, ReplicaState } from './state';
export type { DecommissionReadiness, NodeCheckResult, RangeCheckFailure } from './decommissionCheck';

/** A node's row of `cockroach node decommission` (serverpb.DecommissionStatusResponse_Status). */
export interface DecommissionStatus {
  nodeId: number;
  isLive: boolean;
  replicaCount: number;
  membership: Membership;
  draining: boolean;
}

export interface ClusterModelOptions {
  localities: NodeLocality[];
  seed?: number;
  clock?: SimClock;
  /**
   * Replication factor 1 for the system ranges, as `cockroach demo` and start-single-node set up
   * clusters of 2 nodes or fewer (server.RunInitialSQL). Defaults to that rule.
   */
  replicationDisabled?: boolean;
}

export class ClusterModel {
  readonly clock: SimClock;
  readonly settings: { timeUntilStoreDeadMs: number };
  private readonly rng: Rng;
  private nodeRecs = new NodeIndex();
  private readonly partitioned = new Set<string>();
  private readonly listeners = new Set<(event: ClusterEvent) => void>();
  private systemRecs: RangeRec[] = [];
  private userRecs: RangeRec[] = [];
  private allRecs: RangeRec[] = [];
  private states: RangeState[] = [];
  private readonly byId = new Map<number, RangeRec>();
  private bySpan = new Map<string, RangeState[]>();
  private nextRangeId = 1;
  private allocatorEvent: number | undefined;
  private allocatorAt: number | undefined;
  private targetsCache: SimNode[] | undefined;
  private clusterNodesCache: number | undefined;
  private readonly placers = new Map<ParsedZone, Placer>();
  /** Ranges whose zone changed: the replicate queue looks for moves that raise locality diversity. */
  private readonly diversityPending = new Set<RangeRec>();
  /** Decommissioning nodes whose client marks them decommissioned itself (completeDecommission). */
  private readonly completedByClient = new Set<number>();
  private quiet = 0;

  constructor(options: ClusterModelOptions) {
    this.clock = options.clock ?? new SimClock();
    this.rng = new Rng(options.seed ?? 1);
    this.settings = new ModelSettings(() => {
      this.rescheduleStoreDead();
    });
    options.localities.forEach((loc) => this.createNode(loc));
    const disabled = options.replicationDisabled ?? options.localities.length <= 2;
    this.quiet++;
    for (const spec of systemRanges(disabled)) {
      const rec = this.newRec(
        { startKey: spec.startKey, endKey: spec.endKey, sizeBytes: 0, zone: spec.zone, spanKey: spec.zoneName },
        undefined,
      );
      this.replace(rec);
      this.systemRecs.push(rec);
    }
    this.quiet--;
    this.rebuildIndexes();
  }

  // ---- introspection ----------------------------------------------------------------------------

  nodes(): readonly SimNode[] {
    const now = this.clock.now();
    const out: SimNode[] = [];
    for (const n of this.nodeRecs.values()) {
      // Status records of reachable, running nodes are current; others keep their last update.
      if (n.node.running && !n.node.isolated) n.node.updatedAt = now;
      out.push(n.node);
    }
    return out;
  }

  node(id: number): SimNode | undefined {
    return this.nodeRecs.get(id)?.node;
  }

  /** Every range, system ranges first, then user ranges in key order. The objects update in place. */
  ranges(): readonly RangeState[] {
    return this.states;
  }

  range(id: number): RangeState | undefined {
    return this.byId.get(id)?.state;
  }

  rangesOfSpan(key: string): readonly RangeState[] {
    return this.bySpan.get(key) ?? [];
  }

  /** The range descriptor as CockroachDB prints it: `r72:/Table/104{-/2} [(n1,s1):1, ..., next=4, gen=0]`. */
  rangeDescriptor(id: number): string | undefined {
    const rec = this.byId.get(id);
    return rec === undefined ? undefined : rangeDescriptor(rec.state, rec.nextReplicaId, rec.generation);
  }

  nodeStats(): NodeRangeStats[] {
    return nodeStats(this.nodeRecs.values(), this.states, (id) => this.isLive(id));
  }

  on(listener: (event: ClusterEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  advance(ms: number): void {
    this.clock.advanceBy(ms);
  }

  advanceTo(t: number): void {
    this.clock.advanceTo(t);
  }

  // ---- spans ------------------------------------------------------------------------------------

  /** Declares the full set of user spans. Unchanged ranges keep their ids; new ones get fresh, higher ids. */
  setSpans(spans: readonly SpanInput[]): void {
    const layouts = layoutRanges(spans);
    const old = new Map<string, RangeRec>();
    for (const rec of this.userRecs) old.set(rec.state.startKey, rec);
    const next: RangeRec[] = [];
    // Ranges whose data the cluster already held: a new range right after one of them is a split product.
    const held = new Set<RangeRec>();
    this.quiet++;
    for (const layout of layouts) {
      const prev = next[next.length - 1];
      let rec = old.get(layout.startKey);
      if (rec !== undefined && rec.tableId === layout.tableId) {
        old.delete(layout.startKey);
        this.updateFromLayout(rec, layout);
        held.add(rec);
      } else if (prev !== undefined && held.has(prev) && prev.tableId === layout.tableId) {
        rec = this.splitFrom(prev, layout);
        held.add(rec);
      } else {
        rec = this.newRec(layoutInfo(layout), layout);
        this.placeNew(rec);
      }
      next.push(rec);
    }
    for (const rec of old.values()) this.drop(rec);
    this.userRecs = next;
    this.rebuildIndexes();
    this.quiet--;
    this.emit({ type: 'ranges' });
    this.kickAllocator();
  }

  private updateFromLayout(rec: RangeRec, layout: RangeLayout): void {
    const st = rec.state;
    if (st.endKey !== layout.endKey) rec.generation++;
    Object.assign(st, spanFields(layout), { endKey: layout.endKey, sizeBytes: layout.sizeBytes });
    rec.spanKeys = layout.spanKeys;
    if (!zoneConfigsEqual(st.zone, layout.zone)) {
      st.zone = layout.zone;
      rec.parsed = parseZone(layout.zone);
      this.replace(rec);
      this.diversityPending.add(rec);
    }
  }

  /** The right-hand side of a split starts with the left-hand side's replicas and lease. */
  private splitFrom(lhs: RangeRec, layout: RangeLayout): RangeRec {
    const rec = this.newRec(layoutInfo(layout), layout);
    rec.nextReplicaId = lhs.nextReplicaId;
    rec.generation = lhs.generation + 1;
    lhs.generation++;
    rec.state.replicas = lhs.state.replicas.map((r) => ({ ...r }));
    for (const r of rec.state.replicas) this.nodeRecs.get(r.nodeId)?.ranges.add(rec);
    this.setLease(rec, lhs.lease);
    rec.leader = lhs.leader;
    if (zoneConfigsEqual(lhs.state.zone, layout.zone)) this.refreshRange(rec);
    else {
      this.replace(rec);
      this.diversityPending.add(rec);
    }
    return rec;
  }

  private newRec(
    info: { startKey: string; endKey: string; sizeBytes: number; zone: ZoneConfig; spanKey: string },
    layout: RangeLayout | undefined,
  ): RangeRec {
    const id = this.nextRangeId++;
    const span = layout?.span;
    const state: RangeState = {
      rangeId: id,
      spanKey: info.spanKey,
      database: span?.database,
      table: span?.table,
      index: span?.index,
      partition: span?.partition,
      startKey: info.startKey,
      endKey: info.endKey,
      sizeBytes: info.sizeBytes,
      replicas: [],
      leaseholder: undefined,
      raftLeader: undefined,
      available: false,
      underReplicated: false,
      zone: info.zone,
    };
    const rec: RangeRec = {
      state,
      parsed: parseZone(info.zone),
      tableId: layout?.tableId,
      spanKeys: layout?.spanKeys ?? [info.spanKey],
      nextReplicaId: 1,
      generation: 0,
      lease: undefined,
      leader: undefined,
      electionEvent: undefined,
      leaseEvent: undefined,
      failoverAt: undefined,
      dropped: false,
    };
    this.byId.set(id, rec);
    return rec;
  }

  private drop(rec: RangeRec): void {
    this.clearPending(rec);
    this.setLease(rec, undefined);
    for (const r of rec.state.replicas) this.nodeRecs.get(r.nodeId)?.ranges.delete(rec);
    rec.dropped = true;
    this.diversityPending.delete(rec);
    this.byId.delete(rec.state.rangeId);
  }

  private rebuildIndexes(): void {
    this.allRecs = [...this.systemRecs, ...this.userRecs];
    this.states = this.allRecs.map((r) => r.state);
    this.bySpan = new Map();
    for (const rec of this.userRecs) {
      for (const key of rec.spanKeys) {
        let list = this.bySpan.get(key);
        if (list === undefined) this.bySpan.set(key, (list = []));
        list.push(rec.state);
      }
    }
  }

  // ---- failures and membership --------------------------------------------------------------------

  killNode(id: number): void {
    const n = this.mustNode(id);
    if (!n.node.running) return;
    n.node.running = false;
    this.markDown(n);
    this.nodeChanged(n);
    this.refreshRangesOn(n);
  }

  restartNode(id: number): void {
    const n = this.mustNode(id);
    if (n.node.running) return;
    if (n.membership === 'decommissioned') throw new Error(`node ${id} is permanently decommissioned`);
    n.node.running = true;
    n.node.startedAt = this.clock.now();
    n.node.draining = false;
    if (!n.node.isolated) this.markUp(n);
    this.nodeChanged(n);
    this.refreshRangesOn(n);
    this.kickAllocator();
  }

  /**
   * Replicas move off over simulated time; once none is left the node is decommissioned — at once,
   * or, with `completedByClient` (`cockroach node decommission`, which drains the node first), when
   * the client calls completeDecommission.
   */
  decommissionNode(id: number, options: { completedByClient?: boolean } = {}): void {
    const n = this.mustNode(id);
    if (n.membership !== 'active') return;
    n.membership = 'decommissioning';
    if (options.completedByClient === true) this.completedByClient.add(id);
    this.nodeChanged(n);
    this.refreshAll();
    this.kickAllocator(0);
  }

  /** The last step of `cockroach node decommission`: a decommissioning node with no replicas left becomes decommissioned. */
  completeDecommission(id: number): void {
    const n = this.mustNode(id);
    this.completedByClient.delete(id);
    if (n.membership === 'decommissioned') return;
    // livenesspb ValidateTransition.
    if (n.membership !== 'decommissioning')
      throw new Error(`can only fully decommission an already decommissioning node; n${id} found to be ${n.membership}`);
    // Draining was the client's step before this one (skipped for the node serving it, or a dead one).
    n.membership = 'decommissioned';
    this.topologyChanged();
    this.nodeChanged(n);
  }

  recommissionNode(id: number): void {
    const n = this.mustNode(id);
    if (n.membership === 'decommissioned') {
      throw new Error(`can only recommission a decommissioning node; n${id} found to be decommissioned`);
    }
    if (n.membership === 'active') return;
    this.completedByClient.delete(id);
    n.membership = 'active';
    n.node.draining = false;
    this.nodeChanged(n);
    this.refreshAll();
    this.kickAllocator();
  }

  /**
   * `\\demo decommission`: cockroach demo drains and shuts the node down, then marks it
   * decommissioned at once (no pre-check, no wait). Its replicas are replaced on other nodes where
   * the zone configurations allow; ranges that cannot replace them stay under-replicated.
   */
  decommissionAtOnce(id: number): void {
    const n = this.mustNode(id);
    if (n.membership === 'decommissioned') return;
    this.drainNode(id);
    this.killNode(id);
    n.membership = 'decommissioned';
    this.nodeChanged(n);
    this.topologyChanged();
    this.refreshAll();
    this.kickAllocator(0);
  }

  /** `cockroach node drain`: the node keeps its replicas and stays live, but hands its leases to other voters and takes no new ones. */
  drainNode(id: number): void {
    const n = this.mustNode(id);
    if (n.node.draining) return;
    n.node.draining = true;
    this.topologyChanged();
    this.nodeChanged(n);
    for (const rec of [...n.ranges]) {
      if (rec.lease !== id) continue;
      const q = quorumComponent(rec, this.nodeRecs);
      if (q === undefined) continue;
      const others = this.leaseCandidates(rec, q).filter((c) => c.id !== id && !c.draining);
      if (others.length === 0) continue;
      const chosen = chooseLeaseholder(rec.parsed, others, (x) => this.leaseCount(x), this.rng);
      if (chosen === undefined) continue;
      this.setLease(rec, chosen.id);
      rec.leader = chosen.id;
      this.refreshRange(rec, true);
    }
  }

  membership(id: number): Membership | undefined {
    return this.nodeRecs.get(id)?.membership;
  }

  /**
   * The decommission pre-check for these nodes (server DecommissionPreCheck): per node, whether the
   * replicate queue could move every one of its replicas away, and the ranges that block it.
   */
  decommissionPreCheck(nodeIds: readonly number[], strict: boolean): NodeCheckResult[] {
    return decommissionPreCheck({
      nodes: this.nodeRecs.values().map((n) => ({
        node: n.node,
        membership: n.membership,
        live: this.isLive(n.node.id),
        storeDead: this.storeDead(n),
      })),
      ranges: this.allRecs.map((rec) => ({ rangeId: rec.state.rangeId, parsed: rec.parsed, replicas: rec.state.replicas })),
      nodeIds,
      strict,
      replicaCount: (nodeId) => this.nodeRecs.get(nodeId)?.ranges.size ?? 0,
      rng: this.rng,
    });
  }

  /** What `cockroach node decommission` reports per node while it waits. */
  decommissionStatus(nodeIds: readonly number[]): DecommissionStatus[] {
    const out: DecommissionStatus[] = [];
    for (const id of [...nodeIds].sort((a, b) => a - b)) {
      const n = this.nodeRecs.get(id);
      if (n === undefined) continue;
      out.push({
        nodeId: id,
        isLive: this.isLive(id),
        replicaCount: n.ranges.size,
        membership: n.membership,
        draining: n.node.draining,
      });
    }
    return out;
  }

  /** Cuts a region's nodes off from every other node (each partitioned region is its own island). */
  partitionRegion(region: string): void {
    if (this.partitioned.has(region)) return;
    this.partitioned.add(region);
    for (const n of this.nodeRecs.values()) {
      if (n.node.locality.region !== region) continue;
      n.node.isolated = true;
      this.markDown(n);
      this.nodeChanged(n);
    }
    for (const n of this.nodeRecs.values()) if (n.node.locality.region === region) this.refreshRangesOn(n);
  }

  healRegion(region: string): void {
    if (!this.partitioned.delete(region)) return;
    for (const n of this.nodeRecs.values()) {
      if (n.node.locality.region !== region) continue;
      n.node.isolated = false;
      if (n.node.running) this.markUp(n);
      this.nodeChanged(n);
    }
    for (const n of this.nodeRecs.values()) if (n.node.locality.region === region) this.refreshRangesOn(n);
    this.kickAllocator();
  }

  addNode(locality: NodeLocality): SimNode {
    const n = this.createNode(locality);
    if (n.node.isolated) this.markDown(n);
    this.emit({ type: 'node', node: n.node });
    this.refreshAll();
    this.kickAllocator();
    return n.node;
  }

  private createNode(locality: NodeLocality): NodeRec {
    let id = 1;
    for (const n of this.nodeRecs.values()) id = Math.max(id, n.node.id + 1);
    const now = this.clock.now();
    const node: SimNode = {
      id,
      locality: { region: locality.region, zone: locality.zone },
      liveness: 'live',
      draining: false,
      startedAt: now,
      updatedAt: now,
      isolated: this.partitioned.has(locality.region),
      running: true,
    };
    const rec: NodeRec = { node, membership: 'active', downSince: undefined, storeDeadEvent: undefined, ranges: new Set(), leases: 0 };
    this.nodeRecs.add(rec);
    this.topologyChanged();
    return rec;
  }

  private mustNode(id: number): NodeRec {
    const n = this.nodeRecs.get(id);
    if (n === undefined) throw new Error(`node n${id} does not exist`);
    return n;
  }

  private nodeChanged(n: NodeRec): void {
    const node = n.node;
    node.liveness =
      n.membership === 'active'
        ? node.running
          ? 'live'
          : 'dead'
        : n.membership === 'decommissioning'
          ? 'decommissioning'
          : 'decommissioned';
    node.updatedAt = this.clock.now();
    this.topologyChanged();
    this.emit({ type: 'node', node });
  }

  private markDown(n: NodeRec): void {
    if (n.downSince !== undefined) return;
    n.downSince = this.clock.now();
    this.scheduleStoreDead(n);
  }

  private markUp(n: NodeRec): void {
    n.downSince = undefined;
    if (n.storeDeadEvent !== undefined) this.clock.cancel(n.storeDeadEvent);
    n.storeDeadEvent = undefined;
  }

  private scheduleStoreDead(n: NodeRec): void {
    if (n.storeDeadEvent !== undefined) this.clock.cancel(n.storeDeadEvent);
    n.storeDeadEvent = undefined;
    if (n.downSince === undefined) return;
    n.storeDeadEvent = this.clock.schedule(n.downSince + this.settings.timeUntilStoreDeadMs, () => {
      n.storeDeadEvent = undefined;
      this.kickAllocator(0);
    });
  }

  private rescheduleStoreDead(): void {
    for (const n of this.nodeRecs.values()) this.scheduleStoreDead(n);
  }

  /** Down long enough (server.time_until_store_dead) that its replicas are replaced elsewhere. */
  private storeDead(n: NodeRec): boolean {
    return n.downSince !== undefined && this.clock.now() >= n.downSince + this.settings.timeUntilStoreDeadMs;
  }

  /** Live as the reachable part of the cluster sees it. */
  private isLive(nodeId: number): boolean {
    const n = this.nodeRecs.get(nodeId)?.node;
    return n !== undefined && n.running && !n.isolated;
  }

  private topologyChanged(): void {
    this.targetsCache = undefined;
    this.clusterNodesCache = undefined;
    this.placers.clear();
  }

  /** Nodes that may receive replicas: running, reachable, fully members, not draining. */
  private targets(): SimNode[] {
    this.targetsCache ??= [...this.nodeRecs.values()]
      .filter((n) => n.membership === 'active' && n.node.running && !n.node.isolated && !n.node.draining)
      .map((n) => n.node);
    return this.targetsCache;
  }

  /** allocator ClusterNodeCount: nodes that count toward replication goals, dead ones included. */
  private clusterNodes(): number {
    if (this.clusterNodesCache === undefined) {
      let count = 0;
      for (const n of this.nodeRecs.values()) if (n.membership === 'active') count++;
      this.clusterNodesCache = count;
    }
    return this.clusterNodesCache;
  }

  private newPlacer(zone: ParsedZone, targets: readonly SimNode[]): Placer {
    return new Placer(zone, targets, this.clusterNodes(), (id) => this.nodeRecs.get(id)?.ranges.size ?? 0, this.rng);
  }

  private placer(zone: ParsedZone): Placer {
    let placer = this.placers.get(zone);
    if (placer === undefined) {
      placer = this.newPlacer(zone, this.targets());
      this.placers.set(zone, placer);
    }
    return placer;
  }

  // ---- placement ----------------------------------------------------------------------------------

  /**
   * Places a range that a new table (or index, or partition) brings. CockroachDB splits it off the
   * range that held its keys, so it starts on that range's replicas, a node that is down but not yet
   * dead among them; the layout here comes later, at the first statement that needs it. Placing it
   * as though every member node were up gives it the replicas the split would have, instead of
   * leaving it under-replicated, one node from losing quorum, because a node was down at that moment.
   */
  private placeNew(rec: RangeRec): void {
    const members = [...this.nodeRecs.values()]
      .filter((n) => n.membership === 'active' && !n.node.draining && !this.storeDead(n))
      .map((n) => n.node);
    if (members.length === this.targets().length) {
      this.replace(rec);
      return;
    }
    const placement = this.newPlacer(rec.parsed, members).place([], []);
    this.applyReplicas(rec, placement.voters, placement.nonVoters);
  }

  /** Re-places a range's replicas for its zone, keeping those that still fit; returns whether anything changed. */
  private replace(rec: RangeRec): boolean {
    const voters: SimNode[] = [];
    const nonVoters: SimNode[] = [];
    // Replicas on dead or departing nodes go only once there is somewhere to put a replacement.
    const leaving: SimNode[] = [];
    const leavingNonVoters: SimNode[] = [];
    for (const r of rec.state.replicas) {
      const n = this.nodeRecs.get(r.nodeId);
      if (n === undefined) continue;
      const keep = n.membership === 'active' && !this.storeDead(n);
      if (r.type === 'voter') (keep ? voters : leaving).push(n.node);
      else (keep ? nonVoters : leavingNonVoters).push(n.node);
    }
    const placer = this.placer(rec.parsed);
    const p = placer.place(voters, nonVoters);
    if (p.short) {
      for (const n of leaving) if (p.voters.length < placer.wantVoters) p.voters.push(n);
      for (const n of leavingNonVoters) if (p.nonVoters.length < placer.wantNonVoters) p.nonVoters.push(n);
    }
    const hadLease = rec.lease !== undefined;
    const changed = this.applyReplicas(rec, p.voters, p.nonVoters);
    // A lease assigned just now already follows the preferences.
    if (hadLease) this.fixLeasePreference(rec);
    return changed;
  }

  private applyReplicas(rec: RangeRec, voters: readonly SimNode[], nonVoters: readonly SimNode[]): boolean {
    const old = rec.state.replicas;
    const next: ReplicaState[] = [];
    const add = (n: SimNode, type: ReplicaState['type']): void => {
      let replicaId = 0;
      for (const r of old) if (r.nodeId === n.id) replicaId = r.replicaId;
      next.push({ nodeId: n.id, type, replicaId: replicaId > 0 ? replicaId : rec.nextReplicaId++ });
    };
    for (const n of voters) add(n, 'voter');
    for (const n of nonVoters) add(n, 'non-voter');
    let same = old.length === next.length;
    for (let i = 0; same && i < old.length; i++) {
      const a = old[i];
      const b = next[i];
      same = a !== undefined && b !== undefined && a.nodeId === b.nodeId && a.type === b.type;
    }
    if (same) {
      this.refreshRange(rec);
      return false;
    }
    for (const r of old) if (!hasNode(next, r.nodeId)) this.nodeRecs.get(r.nodeId)?.ranges.delete(rec);
    for (const r of next) if (!hasNode(old, r.nodeId)) this.nodeRecs.get(r.nodeId)?.ranges.add(rec);
    rec.state.replicas = next;
    rec.generation++;
    // A range's first placement, or a leaseholder whose replica went away, hands the lease over at once.
    if (rec.lease === undefined || !next.some((r) => r.nodeId === rec.lease && r.type === 'voter')) this.assignLeaseNow(rec);
    this.refreshRange(rec, true);
    return true;
  }

  /** Gives the lease to the best voter that can serve it, without a failover wait. */
  private assignLeaseNow(rec: RangeRec): void {
    const q = quorumComponent(rec, this.nodeRecs);
    if (q === undefined) {
      this.setLease(rec, undefined);
      rec.leader = undefined;
      return;
    }
    const chosen = chooseLeaseholder(rec.parsed, this.leaseCandidates(rec, q), (id) => this.leaseCount(id), this.rng);
    this.clearPending(rec);
    this.setLease(rec, chosen?.id);
    rec.leader = chosen?.id;
  }

  /** Moves the lease to a more preferred voter when one can serve (the replicate queue's lease transfers). */
  private fixLeasePreference(rec: RangeRec): boolean {
    if (rec.lease === undefined || rec.parsed.leasePreferences.length === 0) return false;
    const q = quorumComponent(rec, this.nodeRecs);
    if (q === undefined || !isVoterUpIn(rec, rec.lease, q, this.nodeRecs)) return false;
    const holder = this.nodeRecs.get(rec.lease)?.node;
    if (holder === undefined) return false;
    const current = leasePreferenceRank(rec.parsed, holder.locality);
    let best = current;
    for (const n of this.leaseCandidates(rec, q)) best = Math.min(best, leasePreferenceRank(rec.parsed, n.locality));
    if (best >= current) return false;
    this.assignLeaseNow(rec);
    this.refreshRange(rec);
    return true;
  }

  private leaseCandidates(rec: RangeRec, q: string): SimNode[] {
    const out: SimNode[] = [];
    const fallback: SimNode[] = [];
    for (const r of rec.state.replicas) {
      if (r.type !== 'voter') continue;
      const n = this.nodeRecs.get(r.nodeId);
      if (n === undefined || !n.node.running || componentOf(n.node) !== q) continue;
      (n.membership === 'active' ? out : fallback).push(n.node);
    }
    return out.length > 0 ? out : fallback;
  }

  private leaseCount(id: number): number {
    return this.nodeRecs.get(id)?.leases ?? 0;
  }

  private setLease(rec: RangeRec, id: number | undefined): void {
    if (rec.lease === id) return;
    const before = rec.lease === undefined ? undefined : this.nodeRecs.get(rec.lease);
    if (before !== undefined) before.leases--;
    rec.lease = id;
    const after = id === undefined ? undefined : this.nodeRecs.get(id);
    if (after !== undefined) after.leases++;
  }

  // ---- Raft and leases ----------------------------------------------------------------------------

  /** Re-derives a range's availability, lease and leader after anything touching it changed. */
  private refreshRange(rec: RangeRec, changed = false): void {
    const st = rec.state;
    const lh = st.leaseholder;
    const leader = st.raftLeader;
    const available = st.available;
    const under = st.underReplicated;
    const q = quorumComponent(rec, this.nodeRecs);
    if (q === undefined) {
      // Lost quorum: no leader can be elected and no lease can be served until it returns.
      this.clearPending(rec);
      this.setLease(rec, undefined);
      rec.leader = undefined;
    } else if (rec.lease !== undefined && isVoterUpIn(rec, rec.lease, q, this.nodeRecs)) {
      this.clearPending(rec);
      rec.leader = rec.lease;
    } else if (rec.electionEvent === undefined && rec.leaseEvent === undefined) {
      this.scheduleFailover(rec, rec.lease !== undefined);
    }
    st.available = q === MAIN;
    st.leaseholder = q === MAIN ? rec.lease : undefined;
    st.raftLeader = q === MAIN ? rec.leader : undefined;
    st.underReplicated = this.underReplicated(rec);
    if (changed || lh !== st.leaseholder || leader !== st.raftLeader || available !== st.available || under !== st.underReplicated) {
      this.emit({ type: 'range', range: st });
    }
  }

  /**
   * A new leader after a randomized election timeout (2–4 s); a new lease once that leader exists and
   * the old lease has expired (up to 6 s after its holder was lost; at once if no lease was held).
   */
  private scheduleFailover(rec: RangeRec, leaseHeld: boolean): void {
    const now = this.clock.now();
    const election = now + ELECTION_TIMEOUT_MS * (1 + this.rng.next());
    const expiry = leaseHeld ? now + this.rng.next() * LEASE_DURATION_MS : now;
    rec.failoverAt = Math.max(election, expiry);
    rec.electionEvent = this.clock.schedule(election, () => {
      rec.electionEvent = undefined;
      this.onElection(rec);
    });
    if (rec.failoverAt > election) {
      rec.leaseEvent = this.clock.schedule(rec.failoverAt, () => {
        rec.leaseEvent = undefined;
        this.onLeaseExpired(rec);
      });
    }
  }

  private onElection(rec: RangeRec): void {
    if (rec.dropped) return;
    const q = quorumComponent(rec, this.nodeRecs);
    if (q !== undefined) {
      const leader = chooseLeaseholder(rec.parsed, this.leaseCandidates(rec, q), (id) => this.leaseCount(id), this.rng);
      rec.leader = leader?.id;
      if (rec.leaseEvent === undefined) {
        this.setLease(rec, rec.leader);
        rec.failoverAt = undefined;
      }
    }
    this.refreshRange(rec);
  }

  private onLeaseExpired(rec: RangeRec): void {
    if (rec.dropped) return;
    const q = quorumComponent(rec, this.nodeRecs);
    if (q !== undefined) {
      if (rec.leader !== undefined && isVoterUpIn(rec, rec.leader, q, this.nodeRecs)) this.setLease(rec, rec.leader);
      else this.assignLeaseNow(rec);
      rec.failoverAt = undefined;
    }
    this.refreshRange(rec);
  }

  private clearPending(rec: RangeRec): void {
    if (rec.electionEvent !== undefined) this.clock.cancel(rec.electionEvent);
    if (rec.leaseEvent !== undefined) this.clock.cancel(rec.leaseEvent);
    rec.electionEvent = undefined;
    rec.leaseEvent = undefined;
    rec.failoverAt = undefined;
  }

  /** kvserver calcRangeCounter: fewer live voters (non-voters) than the node-count adjusted goal. */
  private underReplicated(rec: RangeRec): boolean {
    const clusterNodes = this.clusterNodes();
    const wantVoters = neededVoters(rec.parsed.numVoters, clusterNodes);
    const wantNonVoters = neededNonVoters(wantVoters, rec.parsed.numReplicas - rec.parsed.numVoters, clusterNodes);
    let voters = 0;
    let nonVoters = 0;
    for (const r of rec.state.replicas) {
      if (!this.isLive(r.nodeId)) continue;
      if (r.type === 'voter') voters++;
      else nonVoters++;
    }
    return voters < wantVoters || nonVoters < wantNonVoters;
  }

  private refreshRangesOn(n: NodeRec): void {
    for (const rec of [...n.ranges]) this.refreshRange(rec);
  }

  private refreshAll(): void {
    for (const rec of this.allRecs) this.refreshRange(rec);
  }

  // ---- the replicate queue ------------------------------------------------------------------------

  private kickAllocator(delayMs = ALLOCATOR_INTERVAL_MS): void {
    const at = this.clock.now() + delayMs;
    if (this.allocatorAt !== undefined && this.allocatorAt <= at) return;
    if (this.allocatorEvent !== undefined) this.clock.cancel(this.allocatorEvent);
    this.allocatorAt = at;
    this.allocatorEvent = this.clock.schedule(at, () => {
      this.allocatorEvent = undefined;
      this.allocatorAt = undefined;
      this.allocatorPass();
    });
  }

  /**
   * One interval of replicate-queue work, paced by what nodes can receive in that time: repairs
   * (replicas on dead or decommissioning nodes, missing replicas, lease preferences) before rebalancing.
   */
  private allocatorPass(): void {
    let budget = ALLOCATOR_INTERVAL_MS * Math.max(1, this.targets().length);
    let more = false;
    for (const rec of this.allRecs) {
      if (quorumComponent(rec, this.nodeRecs) !== MAIN) continue;
      if (this.fixLeasePreference(rec)) budget -= CHANGE_OVERHEAD_MS;
      if (!this.needsRepair(rec)) continue;
      if (budget <= 0) {
        more = true;
        break;
      }
      const before = rec.state.replicas;
      if (this.replace(rec)) budget -= changeCost(rec.state, before);
    }
    if (!more && budget > 0) {
      const spent = this.improveDiversity(budget);
      budget -= spent;
      if (spent > 0) more = true;
    }
    if (!more) more = this.rebalance(budget);
    this.finishDecommissions();
    if (more) this.kickAllocator();
  }

  private needsRepair(rec: RangeRec): boolean {
    const clusterNodes = this.clusterNodes();
    const wantVoters = neededVoters(rec.parsed.numVoters, clusterNodes);
    const wantNonVoters = neededNonVoters(wantVoters, rec.parsed.numReplicas - rec.parsed.numVoters, clusterNodes);
    let voters = 0;
    let nonVoters = 0;
    for (const r of rec.state.replicas) {
      const n = this.nodeRecs.get(r.nodeId);
      if (n === undefined || n.membership !== 'active' || this.storeDead(n)) return true;
      if (r.type === 'voter') voters++;
      else nonVoters++;
    }
    return voters !== wantVoters || nonVoters !== wantNonVoters;
  }

  /**
   * A zone change can leave replicas that still meet its constraints but not its intent: three voters
   * in one region under REGION survival, which asks for at least two there out of five. The
   * allocator's rebalancing ranks diversity before replica counts, so it moves such replicas to
   * other localities one at a time. Returns the receiving-node time spent.
   */
  private improveDiversity(budget: number): number {
    let spent = 0;
    for (const rec of [...this.diversityPending]) {
      if (spent >= budget) break;
      if (quorumComponent(rec, this.nodeRecs) !== MAIN || this.needsRepair(rec)) continue;
      const move = findDiversityMove(rec, this.targets(), {
        quorumInMain: () => true,
        node: (id) => this.nodeRecs.get(id)?.node,
      });
      if (move === undefined) {
        this.diversityPending.delete(rec);
        continue;
      }
      const before = rec.state.replicas;
      this.applyReplicas(rec, move.voters, move.nonVoters);
      this.fixLeasePreference(rec);
      spent += changeCost(rec.state, before);
    }
    return spent;
  }

  /** Evens out replica counts (rebalance.ts); returns whether it moved any replica. */
  private rebalance(budget: number): boolean {
    return rebalanceReplicas(budget, this.targets(), {
      replicaCount: (n) => this.nodeRecs.get(n.id)?.ranges.size ?? 0,
      rangesOf: (n) => this.rangesOf(n),
      quorumInMain: (rec) => quorumComponent(rec, this.nodeRecs) === MAIN,
      node: (id) => this.nodeRecs.get(id)?.node,
      apply: (move) => {
        const before = move.rec.state.replicas;
        this.applyReplicas(move.rec, move.voters, move.nonVoters);
        return changeCost(move.rec.state, before);
      },
    });
  }

  private rangesOf(n: SimNode): Iterable<RangeRec> {
    return this.nodeRecs.get(n.id)?.ranges ?? [];
  }

  private finishDecommissions(): void {
    for (const n of this.nodeRecs.values()) {
      if (n.membership !== 'decommissioning' || n.ranges.size > 0 || this.completedByClient.has(n.node.id)) continue;
      n.membership = 'decommissioned';
      n.node.draining = true;
      this.nodeChanged(n);
    }
  }

  // ---- what the SQL layer asks --------------------------------------------------------------------

  /**
   * Whether requests to these ranges are served now: the first range without quorum (CockroachDB's
   * "replica unavailable" error), else the range whose failover completes last (requests wait for it).
   */
  checkAvailable(rangeIds: readonly number[]): AvailabilityCheck {
    let waiting: { rangeId: number; at: number; message: string } | undefined;
    for (const id of rangeIds) {
      const rec = this.byId.get(id);
      if (rec === undefined) return { ok: false, rangeId: id, message: `r${id} was not found` };
      const st = rec.state;
      if (!st.available) return { ok: false, rangeId: id, message: this.unavailableMessage(rec) };
      if (st.leaseholder !== undefined && isVoterUpIn(rec, st.leaseholder, MAIN, this.nodeRecs)) continue;
      const at = rec.failoverAt ?? this.clock.now();
      if (waiting === undefined || at > waiting.at) {
        const why =
          st.leaseholder === undefined
            ? 'electing a Raft leader now that quorum is back'
            : `its leaseholder n${st.leaseholder} is unreachable and the lease has not expired`;
        waiting = { rangeId: id, at, message: `r${id} has no valid lease: ${why}` };
      }
    }
    if (waiting === undefined) return { ok: true };
    return { ok: false, availableAt: waiting.at, rangeId: waiting.rangeId, message: waiting.message };
  }

  private unavailableMessage(rec: RangeRec): string {
    const replicas = rec.state.replicas;
    const serving = replicas.find((r) => this.isLive(r.nodeId)) ?? replicas[0];
    const down = replicas.filter((r) => !this.isLive(r.nodeId));
    if (serving === undefined) return `range unavailable: r${rec.state.rangeId} has no replicas`;
    return replicaUnavailableMessage(rec.state, serving, down, rec.nextReplicaId, rec.generation);
  }

  /**
   * Network time of a statement touching these ranges from `gatewayNodeId`: the slowest range's
   * round trip to its leaseholder, plus for writes the leaseholder's quorum round trip; GLOBAL ranges
   * read from the nearest replica and make writes wait out their future commit timestamp;
   * `readServer: 'nearest-replica'` (follower reads, bounded staleness) reads any range from its
   * nearest replica.
   */
  latencyMs(
    gatewayNodeId: number,
    rangeIds: readonly number[],
    kind: 'read' | 'write',
    options?: { globalReads?: boolean; readServer?: ReadServer },
  ): number {
    const gateway = this.mustNode(gatewayNodeId).node;
    let worst = 0;
    for (const id of rangeIds) {
      const st = this.byId.get(id)?.state;
      if (st === undefined) continue;
      const globalReads = options?.globalReads ?? st.zone.globalReads === true;
      worst = Math.max(
        worst,
        rangeLatencyMs(gateway, st, kind, globalReads, (n) => this.nodeRecs.get(n)?.node, options?.readServer),
      );
    }
    return worst;
  }

  private emit(event: ClusterEvent): void {
    if (this.quiet > 0 && event.type === 'range') return;
    for (const l of this.listeners) l(event);
  }

  /**
   * Replaces every node with new ones at `localities` (ids from 1), as a lab that starts its own
   * cluster with `cockroach start` does. Every range is laid out again on them (user ranges come
   * back with the next setSpans); nothing pending for the old nodes or ranges survives.
   */
  replaceNodes(localities: readonly NodeLocality[]): void {
    for (const rec of this.allRecs) this.drop(rec);
    for (const n of this.nodeRecs.values()) if (n.storeDeadEvent !== undefined) this.clock.cancel(n.storeDeadEvent);
    if (this.allocatorEvent !== undefined) this.clock.cancel(this.allocatorEvent);
    this.allocatorEvent = undefined;
    this.allocatorAt = undefined;
    this.nodeRecs = new NodeIndex();
    this.partitioned.clear();
    localities.forEach((loc) => this.createNode(loc));
    this.systemRecs = [];
    this.userRecs = [];
    this.quiet++;
    for (const spec of systemRanges(localities.length <= 2)) {
      const rec = this.newRec(
        { startKey: spec.startKey, endKey: spec.endKey, sizeBytes: 0, zone: spec.zone, spanKey: spec.zoneName },
        undefined,
      );
      this.replace(rec);
      this.systemRecs.push(rec);
    }
    this.quiet--;
    this.rebuildIndexes();
    for (const n of this.nodeRecs.values()) this.emit({ type: 'node', node: n.node });
    this.emit({ type: 'ranges' });
  }
}

function spanFields(layout: RangeLayout): Pick<RangeState, 'spanKey' | 'database' | 'table' | 'index' | 'partition'> {
  const s = layout.span;
  return { spanKey: s.key, database: s.database, table: s.table, index: s.index, partition: s.partition };
}

function layoutInfo(layout: RangeLayout): { startKey: string; endKey: string; sizeBytes: number; zone: ZoneConfig; spanKey: string } {
  return { startKey: layout.startKey, endKey: layout.endKey, sizeBytes: layout.sizeBytes, zone: layout.zone, spanKey: layout.span.key };
}
