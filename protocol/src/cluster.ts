// Messages between an editor (or any host process) and a simulated cluster running in a child
// process of its own, so the SQL engine never blocks the host. Written once, used by both sides.

export interface ClusterStartOptions {
  nodes?: number;
  global?: boolean;
  seed?: number;
  /** Port of node 1 (node N: port + N - 1); 0 picks free ports. */
  port?: number;
  rangeMaxBytes?: number;
  /** A directory that keeps the cluster's data across restarts; without it, in memory. */
  store?: string;
}

/** What the host can ask the cluster to do to itself (the topology view's controls). */
export type ControlAction =
  | { action: 'kill'; nodeId: number }
  | { action: 'restart'; nodeId: number }
  | { action: 'decommission'; nodeId: number }
  | { action: 'recommission'; nodeId: number }
  | { action: 'partition'; region: string }
  | { action: 'heal'; region: string }
  | { action: 'add'; region: string; zone: string };

/** Membership and liveness folded together, as `cockroach node status` reads them. */
export type SnapshotLiveness = 'live' | 'dead' | 'decommissioning' | 'decommissioned';

/** A node as the cluster's model holds it. */
export interface SnapshotNode {
  id: number;
  locality: { region: string; zone: string };
  liveness: SnapshotLiveness;
  draining: boolean;
  /**
   * Cut off from the rest of the cluster by a region partition. Its `liveness` still reads 'live'
   * (the process runs); the rest of the cluster cannot reach it and treats it as not live.
   */
  isolated: boolean;
  /** The process runs; false once killed. A dead node being decommissioned reads 'decommissioning' but is not running. */
  running: boolean;
}

export interface SnapshotReplica {
  nodeId: number;
  type: 'voter' | 'non-voter';
  /** The replica's id within its range, as in `(n1,s1):3`. */
  replicaId: number;
}

/** A range as the cluster's model holds it (zone configurations left out). */
export interface SnapshotRange {
  rangeId: number;
  database?: string;
  table?: string;
  index?: string;
  partition?: string;
  startKey: string;
  endKey: string;
  sizeBytes: number;
  replicas: SnapshotReplica[];
  /** Seen from the reachable part of the cluster; during a failover still the old, unreachable holder. */
  leaseholder: number | undefined;
  raftLeader: number | undefined;
  /** A majority of the voters is live and reachable from the (non-isolated) rest of the cluster. */
  available: boolean;
  underReplicated: boolean;
}

export interface TopologySnapshot {
  /** Simulated time of the snapshot, ms. */
  time: number;
  nodes: SnapshotNode[];
  ranges: SnapshotRange[];
}

export interface ClusterReady {
  /** SQL address of each node, e.g. { 1: '127.0.0.1:26257' }. */
  addresses: Record<number, string>;
  /** A connection URL for node 1. */
  url: string;
  startMs: number;
}

/** Host → cluster: requests, each answered by a response with the same id. */
export type ClusterRequest =
  { id: number; type: 'control'; control: ControlAction } | { id: number; type: 'snapshot' } | { id: number; type: 'stop' };

/** Cluster → host. */
export type ClusterMessage =
  | { type: 'ready'; ready: ClusterReady }
  | { type: 'failed'; message: string }
  | { type: 'response'; id: number; ok: true; snapshot?: TopologySnapshot }
  | { type: 'response'; id: number; ok: false; message: string }
  /** The topology changed (debounced): a view refreshes. */
  | { type: 'changed'; time: number };

/** The child reads its start options from this environment variable (JSON). */
export const START_OPTIONS_ENV = 'CRDB_STUDIO_CLUSTER_OPTIONS';

/**
 * The host starts the child's script with this argument. The cluster bundle also carries the CLI's
 * cluster commands, so loading it must not start a cluster: only this argument does.
 */
export const CHILD_ARGUMENT = '--crdb-studio-cluster-child';
