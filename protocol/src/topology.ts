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
  /** For REGIONAL BY ROW: rows per region partition. */
  partitions?: { region: string; rows: number }[];
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
}

/** A control of the simulated cluster, sent from the view (the cluster's own API defines them). */
export type TopologyControl = ControlAction;

/** host → topology view */
export type TopologyToWebview =
  | { type: 'model'; model: TopologyModel }
  /** Reading failed as a whole (no connection): say so, keep the last picture. */
  | { type: 'error'; message: string }
  /** Whether the view may offer the simulated cluster's controls. */
  | { type: 'controls'; enabled: boolean }
  | { type: 'control-result'; ok: boolean; message?: string };

/** topology view → host */
export type TopologyToHost =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'control'; control: TopologyControl }
  /** Filter chosen in the view (the host reads row counts for a REGIONAL BY ROW table when one is selected). */
  | { type: 'focus'; database?: string; table?: string };

export function isTopologyToHost(value: unknown): value is TopologyToHost {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'refresh':
      return true;
    case 'focus':
      return (m.database === undefined || typeof m.database === 'string') && (m.table === undefined || typeof m.table === 'string');
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
