// CockroachDB's introspection statements, answered from the catalog, the engine and the
// placement model with CockroachDB's column names and value formats (v23.2+ shapes).
import type * as ast from '../../../sql/src/ast';
import { OID } from '../wire/messages';
import { parseDuration } from '../model/duration';
import { databaseOwners, showGrants, showRoles } from './grants';
import { CLUSTER_SETTING_DEFAULTS } from './clusterSettings';
import type { ClusterContext, SqlSession } from './context';
import { notSimulated, SqlError, SQLSTATE } from './errors';
import { rowsResult, type QueryResult } from './result';
import { allDatabases, bool, regionZones, requireDatabase, survivalText, textArray, type Row } from './showHelpers';
import { databaseToShow } from './showCatalog';
import { introspectMore } from './showMore';
import { showRanges } from './showRanges';
import { showPartitions } from './showPartitions';
import { indexesOf, showCreateTable, showColumns, showDatabaseIndexes, showIndexes, showTables } from './showTables';
import { showConstraints } from './showConstraints';
import { showAllZones, showZone } from './showZones';

/** SHOW forms CockroachDB has that the simulated cluster does not answer. */
const NOT_SIMULATED = new Set([
  'jobs',
  'sessions',
  'queries',
  'statements',
  'cluster queries',
  'cluster sessions',
  'backup',
  'backups',
  'schedules',
  'changefeed',
]);

/**
 * Answers a SHOW statement the simulator knows, or returns undefined. `sql` is the statement as
 * written (without its `;`): results carry it.
 */
export async function introspect(session: SqlSession, sql: string, show: ast.Show): Promise<QueryResult | undefined> {
  const more = await introspectMore(session, sql, show);
  if (more) return more;
  if (NOT_SIMULATED.has(show.subject)) throw notSimulated(sql.toUpperCase());
  if (show.trailing) return undefined;
  const cluster = session.cluster;
  const target = show.target;
  const targetDatabase = target?.kind === 'database' ? target.name?.name.value : undefined;
  switch (show.subject) {
    case 'databases':
      return target ? undefined : showDatabases(cluster, sql, await databaseOwners(cluster));
    case 'regions':
      if (target === undefined) return showRegions(cluster, sql);
      if (target.kind === 'database') return showRegionsFromDatabase(session, sql, targetDatabase);
      if (target.kind === 'cluster') {
        return rowsResult(
          sql,
          ['region', ['zones', OID.textArray]],
          [...regionZones(cluster)].map(([r, z]) => [r, textArray(z)]),
        );
      }
      if (target.kind === 'all-databases') {
        return rowsResult(
          sql,
          ['database_name', ['regions', OID.textArray], 'primary_region', 'secondary_region'],
          allDatabases(cluster).map((db) => [
            db.name,
            textArray([...db.regions].sort()),
            db.primaryRegion ?? null,
            db.secondaryRegion ?? null,
          ]),
        );
      }
      return undefined;
    case 'survival goal': {
      if (target?.kind !== 'database') return undefined;
      const db = requireDatabase(session, targetDatabase);
      return rowsResult(sql, ['database', 'survival_goal'], [[db.name, survivalText(db)]]);
    }
    case 'zone configurations':
      return target ? undefined : showAllZones(session, sql);
    case 'zone configuration':
      return target && target.kind !== 'cluster' && target.kind !== 'all-databases' ? showZone(session, sql, target) : undefined;
    case 'ranges':
      return target === undefined || target.kind === 'database' || target.kind === 'table' || target.kind === 'index'
        ? showRanges(session, sql, show)
        : undefined;
    case 'tables':
      if (target && target.kind !== 'object' && target.kind !== 'database') return undefined;
      return showTables(session, sql, target?.name?.parts[0]?.value);
    case 'indexes':
      if (target?.kind === 'database') return showDatabaseIndexes(session, sql, target.name?.parts[0]?.value);
      return target?.kind === 'object' || target?.kind === 'table' ? showIndexes(session, sql, target.name) : undefined;
    case 'columns':
      return target?.kind === 'object' || target?.kind === 'table' ? showColumns(session, sql, target.name) : undefined;
    case 'constraint':
    case 'constraints':
      return (target?.kind === 'object' || target?.kind === 'table') && !show.options.includes('comment')
        ? showConstraints(session, sql, target.name, indexesOf)
        : undefined;
    case 'create':
      return show.objectKind === 'table' && target?.kind === 'object' && !target.index
        ? showCreateTable(session, sql, target.name)
        : undefined;
    case 'partitions':
      return showPartitions(session, sql, target);
    case 'cluster setting':
      return show.variable === undefined ? undefined : showClusterSetting(cluster, sql, show.variable);
    case 'cluster settings':
      return showClusterSettings(cluster, sql, show.all);
    case 'transaction isolation level':
      return rowsResult(sql, ['transaction_isolation'], [[session.isolation]]);
    case 'default_transaction_isolation':
    case 'transaction_isolation':
      return show.variable ? rowsResult(sql, [show.variable], [[session.vars.get(show.variable) ?? session.isolation]]) : undefined;
    case 'last query statistics':
      return lastQueryStatistics(session, sql);
    case 'database':
      return show.variable ? rowsResult(sql, ['database'], [[session.database]]) : undefined;
    case 'schemas':
      if (target && target.kind !== 'database' && target.kind !== 'object') return undefined;
      // SHOW SCHEMAS FROM d: every database has the same schemas here (no user-defined ones).
      if (target) databaseToShow(session, target.name?.parts[0]?.value ?? '');
      return showSchemas(sql);
    case 'users':
    case 'roles':
      return show.variable ? showRoles(cluster, sql) : undefined;
    case 'grants':
      return showGrants(session, sql, show);
    default:
      return undefined;
  }
}

/**
 * SHOW [ALL] CLUSTER SETTINGS: CockroachDB's crdb_internal.cluster_settings columns, `public`
 * only with ALL. The settings the simulator knows are all public ones, so both list them all.
 */
function showClusterSettings(cluster: ClusterContext, sql: string, all: boolean): QueryResult {
  const settings = new Map([...CLUSTER_SETTING_DEFAULTS, ...cluster.catalog.clusterSettings]);
  return rowsResult(
    sql,
    all
      ? ['variable', 'value', 'setting_type', ['public', OID.bool], 'description', 'default_value', 'origin']
      : ['variable', 'value', 'setting_type', 'description', 'default_value', 'origin'],
    [...settings]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [
        k,
        v,
        settingType(k),
        ...(all ? ['t'] : []),
        '',
        CLUSTER_SETTING_DEFAULTS.get(k) ?? v,
        cluster.catalog.clusterSettings.has(k) && k !== 'version' ? 'override' : 'default',
      ]),
  );
}

/** CockroachDB's one-letter setting types: b(ool), i(nt), d(uration), z (byte size), e(num), m (version), s(tring). */
function settingType(name: string): string {
  if (name === 'version') return 'm';
  if (DURATION_SETTINGS.has(name)) return 'd';
  if (name === 'kv.snapshot_rebalance.max_rate') return 'z';
  if (name === 'kv.allocator.load_based_rebalancing') return 'e';
  if (name === 'sql.defaults.default_int_size') return 'i';
  const value = CLUSTER_SETTING_DEFAULTS.get(name);
  return value === 'true' || value === 'false' ? 'b' : 's';
}

function lastQueryStatistics(session: SqlSession, sql: string): QueryResult {
  const ms = (session.lastLatencyMs / 1000).toFixed(6);
  const interval = (seconds: string): string => `00:00:${Number(seconds) < 10 ? '0' : ''}${seconds}`;
  return rowsResult(
    sql,
    [
      ['parse_latency', OID.interval],
      ['plan_latency', OID.interval],
      ['exec_latency', OID.interval],
      ['service_latency', OID.interval],
      ['post_commit_jobs_latency', OID.interval],
    ],
    [['00:00:00', '00:00:00', interval(ms), interval(ms), '00:00:00']],
  );
}

function showSchemas(sql: string): QueryResult {
  return rowsResult(
    sql,
    ['schema_name', 'owner'],
    [
      ['crdb_internal', null],
      ['information_schema', null],
      ['pg_catalog', null],
      ['pg_extension', null],
      ['public', 'admin'],
    ],
  );
}

function showDatabases(cluster: ClusterContext, sql: string, owners: ReadonlyMap<string, string>): QueryResult {
  const rows: Row[] = allDatabases(cluster).map((db) => [
    db.name,
    owners.get(db.name) ?? 'root',
    db.primaryRegion ?? null,
    db.secondaryRegion ?? null,
    textArray([...db.regions].sort()),
    survivalText(db),
  ]);
  rows.push(['system', 'node', null, null, '{}', null]);
  rows.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
  return rowsResult(
    sql,
    ['database_name', 'owner', 'primary_region', 'secondary_region', ['regions', OID.textArray], 'survival_goal'],
    rows,
  );
}

function showRegions(cluster: ClusterContext, sql: string): QueryResult {
  const databases = allDatabases(cluster);
  const rows: Row[] = [...regionZones(cluster)].map(([region, zones]) => [
    region,
    textArray(zones),
    textArray(databases.filter((db) => db.regions.includes(region)).map((db) => db.name)),
    textArray(databases.filter((db) => db.primaryRegion === region).map((db) => db.name)),
    textArray(databases.filter((db) => db.secondaryRegion === region).map((db) => db.name)),
  ]);
  return rowsResult(
    sql,
    [
      'region',
      ['zones', OID.textArray],
      ['database_names', OID.textArray],
      ['primary_region_of', OID.textArray],
      ['secondary_region_of', OID.textArray],
    ],
    rows,
  );
}

function showRegionsFromDatabase(session: SqlSession, sql: string, name: string | undefined): QueryResult {
  const db = requireDatabase(session, name);
  const zones = regionZones(session.cluster);
  const rows: Row[] = [...db.regions]
    .sort((a, b) => (a === db.primaryRegion ? -1 : b === db.primaryRegion ? 1 : a.localeCompare(b)))
    .map((region) => [
      db.name,
      region,
      bool(region === db.primaryRegion),
      bool(region === db.secondaryRegion),
      textArray(zones.get(region) ?? []),
    ]);
  return rowsResult(sql, ['database', 'region', ['primary', OID.bool], ['secondary', OID.bool], ['zones', OID.textArray]], rows);
}

async function showClusterSetting(cluster: ClusterContext, sql: string, name: string): Promise<QueryResult> {
  const value = cluster.catalog.clusterSettings.get(name) ?? CLUSTER_SETTING_DEFAULTS.get(name);
  if (value === undefined) throw new SqlError(SQLSTATE.rangeUnavailable, `unknown setting: "${name}"`);
  // A duration setting is shown as an INTERVAL (`1m15s` prints as 00:01:15), as CockroachDB does.
  const ms = DURATION_SETTINGS.has(name) ? parseDuration(value) : undefined;
  if (ms !== undefined) return Promise.resolve(rowsResult(sql, [[name, OID.interval]], [[intervalText(ms)]]));
  return Promise.resolve(rowsResult(sql, [name], [[value]]));
}

/** The duration-typed settings among CLUSTER_SETTING_DEFAULTS. */
const DURATION_SETTINGS: ReadonlySet<string> = new Set([
  'kv.closed_timestamp.propagation_slack',
  'kv.closed_timestamp.side_transport_interval',
  'kv.closed_timestamp.target_duration',
  'kv.replica_circuit_breaker.slow_replication_threshold',
  'server.shutdown.drain_wait',
  'server.time_until_store_dead',
]);

/** Milliseconds as CockroachDB prints an INTERVAL under a day: HH:MM:SS, fractional seconds trimmed. */
function intervalText(ms: number): string {
  const whole = Math.floor(ms / 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  const fraction =
    ms % 1000 === 0
      ? ''
      : `.${String(ms % 1000)
          .padStart(3, '0')
          .replace(/0+$/, '')}`;
  return `${two(Math.floor(whole / 3600))}:${two(Math.floor(whole / 60) % 60)}:${two(whole % 60)}${fraction}`;
}
