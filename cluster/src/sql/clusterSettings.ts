// The cluster settings the simulated cluster knows, with CockroachDB v25.2's defaults. Setting
// one it does not know fails as on CockroachDB; most are only remembered, a few change what the
// simulator does (server.time_until_store_dead, the isolation-level switches).
import { parseDuration } from '../model/duration';
import type { ClusterContext } from './context';
import { SqlError, SQLSTATE } from './errors';
import { emptyResult, type QueryResult } from './result';

export const CLUSTER_SETTING_DEFAULTS = new Map<string, string>([
  ['cluster.organization', ''],
  ['diagnostics.reporting.enabled', 'false'],
  ['enterprise.license', ''],
  ['kv.closed_timestamp.target_duration', '3s'],
  ['kv.closed_timestamp.side_transport_interval', '200ms'],
  ['kv.closed_timestamp.propagation_slack', '1s'],
  ['kv.rangefeed.enabled', 'false'],
  ['kv.snapshot_rebalance.max_rate', '32 MiB'],
  ['server.shutdown.drain_wait', '0s'],
  ['server.time_until_store_dead', '5m0s'],
  ['sql.defaults.default_int_size', '8'],
  ['sql.defaults.primary_region', ''],
  ['sql.defaults.experimental_auto_rehoming.enabled', 'false'],
  ['sql.defaults.autocommit_before_ddl.enabled', 'true'],
  ['sql.multiregion.drop_primary_region.enabled', 'true'],
  ['sql.stats.automatic_collection.enabled', 'true'],
  ['sql.stats.automatic_collection.fraction_stale_rows', '0.2'],
  ['sql.stats.automatic_collection.min_stale_rows', '500'],
  ['sql.txn.read_committed_isolation.enabled', 'true'],
  ['sql.txn.repeatable_read_isolation.enabled', 'false'],
  ['sql.txn.snapshot_isolation.enabled', 'false'],
  ['kv.replica_circuit_breaker.slow_replication_threshold', '1m0s'],
  ['kv.allocator.load_based_rebalancing', 'leases and replicas'],
]);

/** SET CLUSTER SETTING: checked as CockroachDB checks it, remembered, and applied where the model reads it. */
export function setClusterSetting(cluster: ClusterContext, statement: string, name: string, value: string): QueryResult {
  const key = name.toLowerCase();
  if (key === 'version') throw new SqlError(SQLSTATE.invalidParameterValue, 'cannot change the version of the simulated cluster');
  if (!CLUSTER_SETTING_DEFAULTS.has(key)) throw new SqlError('42P02', `unknown cluster setting '${key}'`);
  if (key === 'server.time_until_store_dead') {
    const ms = parseDuration(value);
    if (ms === undefined) throw new SqlError(SQLSTATE.invalidParameterValue, `invalid duration: "${value}"`);
    if (ms < 75_000)
      throw new SqlError(SQLSTATE.invalidParameterValue, `cannot set server.time_until_store_dead to less than 1m15s: ${value}`);
    cluster.model.settings.timeUntilStoreDeadMs = ms;
  }
  cluster.catalog.clusterSettings.set(key, value);
  return emptyResult(statement, 'SET CLUSTER SETTING');
}
