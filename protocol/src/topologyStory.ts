// The topology view's story: what happened (events and a replayable timeline), what the current
// failures cost against each database's survival goal, what one more failure would cost, and where
// a REGIONAL BY ROW row lives. Computed on the host from the full model; the page only shows it.
import type { NodeLiveness, RowCountSource } from './topology';

/** A node, a zone of a region, or a whole region: what fails together. */
export type FailureDomain =
  { kind: 'node'; nodeId: number } | { kind: 'zone'; region: string; zone: string } | { kind: 'region'; region: string };

/** One database against its survival goal, now. */
export interface SurvivalReport {
  database: string;
  survivalGoal?: 'zone' | 'region';
  /** The goal in words. */
  goal: string;
  /** The current failures, one failure domain each: `n9 dead`, `us-east1 partitioned (all 3 nodes)`. */
  failures: string[];
  /** The failures counted against the goal, in one sentence. */
  verdict: string;
  ranges: number;
  /** Ranges of the database whose voters have no live majority now. */
  rangesWithoutQuorum: number;
  tablesWithoutQuorum: string[];
}

export interface WhatIfTable {
  database: string;
  /** '' for ranges that belong to no table (system ranges). */
  table: string;
  /** Its ranges that would lose quorum. */
  ranges: number;
}

/** What failing a domain now would cost, on top of what is already down. */
export interface WhatIfResult {
  domain: FailureDomain;
  failingNodes: number[];
  /** Nodes down already, outside the domain. */
  alreadyDown: number[];
  rangesLosingQuorum: number;
  /** The first of them, ascending by position in the model. */
  rangeIds: number[];
  tables: WhatIfTable[];
  /** Ranges without quorum already. */
  alreadyUnavailable: number;
  summary: string;
}

export type StoryEventKind =
  | 'node-dead'
  | 'node-restarted'
  | 'node-suspect'
  | 'node-decommissioning'
  | 'node-decommissioned'
  | 'node-added'
  | 'node-removed'
  | 'region-partitioned'
  | 'region-healed'
  | 'region-down'
  | 'region-up'
  | 'leases-moved'
  | 'replicas-added'
  | 'replicas-removed'
  | 'ranges-unavailable'
  | 'ranges-available';

export interface LeaseMove {
  rangeId: number;
  from: number;
  to: number;
}

/**
 * The clock a story is told in: 'simulated', the simulated cluster's own (ms since it started);
 * 'seen', the wall time (epoch ms) of the poll that saw the change — it happened at or before then.
 */
export type StoryClock = 'simulated' | 'seen';

export interface StoryEvent {
  kind: StoryEventKind;
  /** When, in its frame's clock: the simulated cluster's time, or when the reading saw it. */
  at: number;
  /** One sentence: `n2 died`, `12 leases moved: n2 → n1 (7), n2 → n3 (5)`. */
  text: string;
  nodes?: number[];
  region?: string;
  /** How many ranges, replicas or leases the event covers. */
  count?: number;
  /** For lease moves: the first few, for the view to animate. */
  moves?: LeaseMove[];
}

/** The cluster as one reading showed it: enough to redraw the timeline's strip of nodes. */
export interface StoryFrame {
  at: number;
  clock: StoryClock;
  nodes: { id: number; region: string; zone: string; liveness: NodeLiveness; partitioned?: boolean }[];
  /** Leases per node, as [node id, count]. */
  leases: [number, number][];
  unavailable: number;
  /** What changed since the previous frame (empty for the first). */
  events: StoryEvent[];
}

/** A round trip between two regions (the same shape as the model's latency links). */
export interface RegionRtt {
  from: string;
  to: string;
  rttMs: number;
}

/** Where round trips come from: the simulated cluster's table, measured heartbeats, or nowhere. */
export interface RttTable {
  source: 'simulated' | 'measured' | 'unknown';
  links: RegionRtt[];
}

/** What a read and a write from a region would pay for one row. */
export interface RowLatency {
  region: string;
  /** Gateway → leaseholder round trip; undefined when the latency is unknown. */
  readMs?: number;
  /** A follower read (AS OF SYSTEM TIME follower_read_timestamp()): the nearest replica. */
  followerReadMs?: number;
  /** Gateway → leaseholder, plus leaseholder → a quorum of voters. */
  writeMs?: number;
}

export interface RowLocation {
  database: string;
  table: string;
  /** The SHOW RANGE … FOR ROW statement that was run. */
  statement: string;
  /** The region partition asked about. */
  region?: string;
  rangeId: number;
  startKey: string | null;
  endKey: string | null;
  leaseholder?: number;
  leaseholderLocality?: string;
  replicas: number[];
  voters: number[];
  nonVoters: number[];
  latencies: RowLatency[];
  latencySource: 'simulated' | 'measured' | 'unknown';
}

/** A REGIONAL BY ROW table: its region partitions and the rows in each (when counted or estimated). */
export interface RowTable {
  database: string;
  table: string;
  partitions: { region: string; rows?: number }[];
  /** How the rows were had (see TopologyTable.rowsFrom); undefined when they were not. */
  rowsFrom?: RowCountSource;
}

/** host → topology view, besides the picture's own messages. */
export type TopologyStoryToWebview =
  | { type: 'story'; frames: StoryFrame[]; survival: SurvivalReport[]; rowTables: RowTable[] }
  | { type: 'what-if'; result: WhatIfResult }
  /** One location per region partition when no region was given (the row could live in any one). */
  | { type: 'row-location'; locations: RowLocation[] }
  | { type: 'row-location-error'; message: string };

/** topology view → host, besides the picture's own messages. */
export type TopologyStoryToHost =
  | { type: 'what-if'; domain: FailureDomain }
  /** `key`: the primary key's values after the region column, comma-separated as typed. */
  | { type: 'locate-row'; database: string; table: string; region?: string; key: string };

function isDomain(value: unknown): value is FailureDomain {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as Record<string, unknown>;
  if (d.kind === 'node') return typeof d.nodeId === 'number';
  if (d.kind === 'zone') return typeof d.region === 'string' && typeof d.zone === 'string';
  if (d.kind === 'region') return typeof d.region === 'string';
  return false;
}

export function isTopologyStoryToHost(value: unknown): value is TopologyStoryToHost {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (m.type === 'what-if') return isDomain(m.domain);
  if (m.type === 'locate-row')
    return (
      typeof m.database === 'string' &&
      typeof m.table === 'string' &&
      typeof m.key === 'string' &&
      (m.region === undefined || typeof m.region === 'string')
    );
  return false;
}
