// The topology view's model and messages, written once for the host, the introspection adapter
// and the webview. The model is built only from CockroachDB's own introspection statements, so the
// same view works on a real cluster and on the simulated one.
import type { ControlAction } from './cluster';

export type NodeLiveness = 'live' | 'suspect' | 'dead' | 'decommissioning' | 'decommissioned';

export interface TopologyNode {
  id: number;
  region: string;
  /** The zone (availability zone) tier of the locality, '' when there is none. */
  zone: string;
  /** The whole locality string, e.g. `region=us-east1,az=b`. */
  locality: string;
  address: string;
  liveness: NodeLiveness;
  /** Draining (its leases and SQL clients moving away before a shutdown); liveness reads 'suspect'. */
  draining?: boolean;
  /** Cut off from the rest of the cluster by a region partition: unreachable, not stopped. */
  partitioned?: boolean;
}

export interface TopologyRegion {
  name: string;
  zones: string[];
}

export interface TopologyDatabase {
  name: string;
  primaryRegion?: string;
  secondaryRegion?: string;
  regions: string[];
  /** 'zone' | 'region' for a multi-region database. */
  survivalGoal?: 'zone' | 'region';
}

export type TableLocality = 'global' | 'regional-by-row' | 'regional-by-table';

export interface TopologyTable {
  database: string;
  name: string;
  /** As SHOW TABLES prints it, e.g. `REGIONAL BY ROW`, `REGIONAL BY TABLE IN "us-west1"`; undefined outside multi-region databases. */
  localityText?: string;
  locality?: TableLocality;
  /** For REGIONAL BY TABLE: its home region (the primary region when not named). */
  homeRegion?: string;
  /** For REGIONAL BY ROW: rows per region partition (see `rowsFrom` for how they were had). */
  partitions?: { region: string; rows: number }[];
  /**
   * How `partitions` was had: counted (exact as of `at`, run only when the user asked), or estimated
   * from the table's newest statistics (collected at `at`) shared out by its partitions' range sizes.
   */
  rowsFrom?: RowCountSource;
}

export interface RowCountSource {
  how: 'counted' | 'estimated';
  /** Epoch ms: when they were counted, or when the statistics were collected. */
  at: number;
}

export interface TopologyReplica {
  nodeId: number;
  type: 'voter' | 'non-voter' | 'learner';
}

export interface TopologyRange {
  rangeId: number;
  database?: string;
  table?: string;
  index?: string;
  /** The region partition of a REGIONAL BY ROW index the range holds, when known. */
  partition?: string;
  startKey: string;
  endKey: string;
  replicas: TopologyReplica[];
  leaseholder?: number;
  /** CockroachDB keeps the Raft leader with the leaseholder; a cluster may say otherwise. */
  raftLeader?: number;
  sizeBytes?: number;
  /** False when the range has no leaseholder reachable (lost quorum, or failover under way). */
  available: boolean;
}

export interface TopologyModel {
  /** Milliseconds since the epoch when it was read. */
  readAt: number;
  /** 'simulated' or the connection's display name. */
  target: string;
  simulated: boolean;
  regions: TopologyRegion[];
  nodes: TopologyNode[];
  databases: TopologyDatabase[];
  tables: TopologyTable[];
  ranges: TopologyRange[];
  /** What could not be read, and why (e.g. "crdb_internal.gossip_nodes: permission denied (needs the admin role)"). */
  missing: string[];
  /**
   * Round trips between regions: 'simulated' from the simulated cluster's latency table,
   * 'measured' from the nodes' RPC heartbeats (crdb_internal.kv_node_status), 'unknown' when
   * neither could be read.
   */
  latency?: TopologyLatency;
  /** The node serving the topology's connection (the gateway), when known. */
  gatewayNodeId?: number;
  /** Regions cut off from the rest of the cluster by a network partition (the simulated cluster knows). */
  partitionedRegions?: string[];
  /** Set when the server is not CockroachDB: the one sentence the view shows instead of a picture. */
  notCockroachDb?: string;
  /** The simulated cluster's own clock when it was read (ms since it started); undefined on a real cluster. */
  simulatedTimeMs?: number;
}

export interface RegionLatency {
  from: string;
  to: string;
  /** Round trip, milliseconds. */
  rttMs: number;
}

export interface TopologyLatency {
  source: 'simulated' | 'measured' | 'unknown';
  links: RegionLatency[];
}

/** A model without its ranges: what every picture needs whatever is selected. */
export type TopologyHead = Omit<TopologyModel, 'ranges'>;

/** What the view selects: a database, a table, an index, a REGIONAL BY ROW partition; all ranges when empty. */
export interface TopologySelection {
  database?: string;
  table?: string;
  index?: string;
  partition?: string;
  /** A single range: its replicas are the selection (the other parts name its group). */
  rangeId?: number;
}

/** The ranges of one (database, table, index, partition): the unit the view counts and selects by. */
export interface TopologyGroup {
  key: string;
  database?: string;
  table?: string;
  index?: string;
  partition?: string;
  ranges: number;
  unavailable: number;
  /**
   * Ranges still available (a majority of their voters up) with a voter on a dead or cut-off node:
   * what CockroachDB calls under-replicated, not unavailable. One more failure among their voters
   * would take their quorum; CockroachDB replaces the lost voter once the node has been dead for
   * server.time_until_store_dead (5 minutes by default).
   */
  underReplicated: number;
}

/** The per-node numbers of a group, in this order. */
export const COUNT_FIELDS = [
  'replicas',
  'voters',
  'nonVoters',
  'learners',
  'leases',
  'leaderWithoutLease',
  'unavailable',
  'sizeBytes',
] as const;
export type CountField = (typeof COUNT_FIELDS)[number];

/** An unavailable range named in the view's band. */
export interface UnavailableRange {
  rangeId: number;
  group: string;
}

/**
 * What the view draws, instead of the whole model: the head, per-node counts per group, the
 * selected group's ranges (only while there are fewer than the view draws one by one; past that
 * it draws per-node density), and leaseholder → follower links of the selection.
 */
export interface TopologyView {
  /** Bumped on every change; a diff applies only to the version it was made from. */
  version: number;
  head: TopologyHead;
  groups: TopologyGroup[];
  /** Group key → node id → numbers in COUNT_FIELDS order. A node holding nothing of a group is left out. */
  counts: Record<string, Record<string, number[]>>;
  /** The first unavailable ranges, ascending (their total is in the groups). */
  unavailable: UnavailableRange[];
  selection: TopologySelection;
  /** How many ranges the selection holds. */
  selectedCount: number;
  /** The selection's ranges ascending by id, when fewer than the limit; else undefined. */
  ranges?: TopologyRange[];
  /** Leaseholder node → follower node → how many ranges of the selection link them. */
  links: [from: number, to: number, ranges: number][];
}

/** From one version of the view to the next: only what changed. */
export interface TopologyViewDiff {
  from: number;
  to: number;
  head?: TopologyHead;
  groups?: TopologyGroup[];
  /** Changed cells; `null` removes one. */
  counts: [group: string, node: string, values: number[] | null][];
  unavailable?: UnavailableRange[];
  selection?: TopologySelection;
  selectedCount?: number;
  /** Changed and removed ranges of the selection; `null`: the selection is drawn by density now. */
  ranges?: { upsert: TopologyRange[]; remove: number[] } | null;
  links?: [number, number, number][];
}

/** A control of the simulated cluster, sent from the view (the cluster's own API defines them). */
export type TopologyControl = ControlAction;

/** host → topology view */
export type TopologyToWebview =
  /** The whole view: the first one, after a target change, and when the page asks for it. */
  | { type: 'snapshot'; view: TopologyView }
  /** What changed since the page's version; a page at another version asks for a snapshot. */
  | { type: 'diff'; diff: TopologyViewDiff }
  /** Reading failed as a whole (no connection): say so, keep the last picture. */
  | { type: 'error'; message: string }
  /** Whether the view may offer the simulated cluster's controls. */
  | { type: 'controls'; enabled: boolean }
  | { type: 'control-result'; ok: boolean; message?: string }
  /** A page of the selection's ranges with a replica on a node (asked for in the density view). */
  | { type: 'node-ranges'; page: NodeRangesPage }
  /** The answer to a count-rows request: the counts come with the next reading; a failure says why. */
  | { type: 'rows-counted'; database: string; table: string; ok: boolean; message?: string };

/** The selection's ranges on one node, a page at a time: the density view holds no ranges of its own. */
export interface NodeRangesPage {
  nodeId: number;
  selection: TopologySelection;
  /** Position of the first range in the node's list (leaseholders first, then voters, non-voters, learners). */
  offset: number;
  total: number;
  ranges: TopologyRange[];
}

/** topology view → host */
export type TopologyToHost =
  | { type: 'ready' }
  | { type: 'refresh' }
  /** The page missed a diff (or holds none): send the whole view. */
  | { type: 'resync' }
  | { type: 'control'; control: TopologyControl }
  /**
   * Selection chosen in the view: the host sends its ranges and links (and reads row counts for a
   * REGIONAL BY ROW table when one is selected).
   */
  | ({ type: 'focus' } & TopologySelection)
  /** Count a REGIONAL BY ROW table's rows per region now (a full scan: only when the user asks). */
  | { type: 'count-rows'; database: string; table: string }
  /** A page of the current selection's ranges on a node. */
  | { type: 'node-ranges'; nodeId: number; offset: number };

export function isTopologyToHost(value: unknown): value is TopologyToHost {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'refresh':
    case 'resync':
      return true;
    case 'focus':
      return (
        (['database', 'table', 'index', 'partition'] as const).every((k) => m[k] === undefined || typeof m[k] === 'string') &&
        (m.rangeId === undefined || (typeof m.rangeId === 'number' && Number.isInteger(m.rangeId)))
      );
    case 'count-rows':
      return typeof m.database === 'string' && typeof m.table === 'string';
    case 'node-ranges':
      return typeof m.nodeId === 'number' && typeof m.offset === 'number' && Number.isInteger(m.offset) && m.offset >= 0;
    case 'control': {
      const c = m.control as Record<string, unknown> | undefined;
      if (typeof c !== 'object') return false;
      if (c.action === 'kill' || c.action === 'restart' || c.action === 'decommission' || c.action === 'recommission')
        return typeof c.nodeId === 'number';
      if (c.action === 'partition' || c.action === 'heal') return typeof c.region === 'string';
      if (c.action === 'add') return typeof c.region === 'string' && typeof c.zone === 'string';
      return false;
    }
    default:
      return false;
  }
}
