// The cluster settings the simulated cluster knows, with CockroachDB v25.2's defaults. Setting
// one it does not know fails as on CockroachDB; most are only remembered, a few change what the
// simulator does (server.time_until_store_dead, the isolation-level switches).
export const CLUSTER_SETTING_DEFAULTS = new Map<string, string>([
  ['cluster.organization', ''],
  ['diagnostics.reporting.enabled', 'false'],
  ['enterprise.license', ''],
  ['kv.closed_timestamp.target_duration', '3s'],
  ['kv.rangefeed.enabled', 'false'],
  ['kv.snapshot_rebalance.max_rate', '32 MiB'],
  ['server.shutdown.drain_wait', '0s'],
  ['server.time_until_store_dead', '5m0s'],
  ['sql.defaults.default_int_size', '8'],
  ['sql.multiregion.drop_primary_region.enabled', 'true'],
  ['sql.stats.automatic_collection.enabled', 'true'],
  ['sql.txn.read_committed_isolation.enabled', 'true'],
  ['sql.txn.repeatable_read_isolation.enabled', 'false'],
  ['sql.txn.snapshot_isolation.enabled', 'false'],
  ['kv.replica_circuit_breaker.slow_replication_threshold', '1m0s'],
  ['kv.allocator.load_based_rebalancing', 'leases and replicas'],
]);
