// Durations the model runs on (pkg/base/config.go defaults, and the replicate queue's pace).

/** COCKROACH_RAFT_TICK_INTERVAL. */
export const RAFT_TICK_MS = 500;

/** RaftElectionTimeoutTicks (4) × tick; each replica randomizes its timeout in [1×, 2×). */
export const ELECTION_TIMEOUT_MS = 4 * RAFT_TICK_MS;

/** Range lease duration: how long a lease may outlive its holder before another replica can take it. */
export const LEASE_DURATION_MS = 6000;

/**
 * After a leaseholder becomes unreachable the range serves again once both a new Raft leader is
 * elected (2–4 s) and the old lease has run out (up to 6 s): never later than this.
 */
export const MAX_FAILOVER_MS = Math.max(2 * ELECTION_TIMEOUT_MS, LEASE_DURATION_MS);

/** server.time_until_store_dead. */
export const DEFAULT_TIME_UNTIL_STORE_DEAD_MS = 5 * 60 * 1000;

/** How often the replicate queue's work (repairs, rebalancing) is advanced. */
export const ALLOCATOR_INTERVAL_MS = 1000;

/** Fixed cost of one replica change (a conf change through Raft) in receiving-node time. */
export const CHANGE_OVERHEAD_MS = 50;

/** Snapshot transfer speed for a new replica: 32 MiB/s, a conservative take on kv.snapshot_rebalance.max_rate. */
export const SNAPSHOT_BYTES_PER_MS = (32 * 1024 * 1024) / 1000;

/** kv.allocator.range_rebalance_threshold, and the minimum spread (in replicas) worth a move. */
export const REBALANCE_THRESHOLD = 0.05;
export const MIN_REBALANCE_SPREAD = 2;
