// CockroachDB's introspection statements, answered from the catalog, the engine and the
// placement model with CockroachDB's column names and value formats (v23.2+ shapes).
import type { Simulator } from '../simulator';
import { OID } from '../wire/messages';
import { CLUSTER_SETTING_DEFAULTS } from './clusterSettings';
import { notSimulated, SqlError, SQLSTATE } from './errors';
import { rowsResult, type QueryResult } from './result';
import type { Session } from './session';
import { allDatabases, bool, regionZones, requireDatabase, survivalText, textArray, unquote, type Row } from './showHelpers';
import { showRanges } from './showRanges';
import { showCreateTable, showColumns, showIndexes, showTables } from './showTables';
import { showAllZones, showZone } from './showZones';

const NAME = String.raw`("(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const QUALIFIED = String.raw`(${NAME}(?:\.${NAME}){0,2})`;

/** Answers a SHOW statement the simulator knows, or returns undefined. */
export async function introspect(session: Session, text: string): Promise<QueryResult | undefined> {
  const sql = text.trim().replace(/;\s*$/, '');
  const simulator = session.simulator;
  let m: RegExpExecArray | null;
  if (/^show\s+databases(\s+with\s+comment)?$/i.test(sql)) return showDatabases(simulator, sql);
  if ((m = new RegExp(String.raw`^show\s+regions\s+from\s+database(?:\s+${NAME})?$`, 'i').exec(sql)))
    return showRegionsFromDatabase(session, sql, m[1] === undefined ? undefined : unquote(m[1]));
  if (/^show\s+regions\s+from\s+cluster$/i.test(sql)) {
    return rowsResult(
      sql,
      ['region', ['zones', OID.textArray]],
      [...regionZones(simulator)].map(([r, z]) => [r, textArray(z)]),
    );
  }
  if (/^show\s+regions\s+from\s+all\s+databases$/i.test(sql)) {
    return rowsResult(
      sql,
      ['database_name', ['regions', OID.textArray], 'primary_region', 'secondary_region'],
      allDatabases(simulator).map((db) => [
        db.name,
        textArray([...db.regions].sort()),
        db.primaryRegion ?? null,
        db.secondaryRegion ?? null,
      ]),
    );
  }
  if (/^show\s+regions$/i.test(sql)) return showRegions(simulator, sql);
  if ((m = new RegExp(String.raw`^show\s+survival\s+goal\s+from\s+database(?:\s+${NAME})?$`, 'i').exec(sql))) {
    const db = requireDatabase(session, m[1] === undefined ? undefined : unquote(m[1]));
    return rowsResult(sql, ['database', 'survival_goal'], [[db.name, survivalText(db)]]);
  }
  if (/^show\s+(all\s+)?zone\s+configurations$/i.test(sql)) return showAllZones(session, sql);
  if (
    (m = new RegExp(String.raw`^show\s+zone\s+configuration\s+(?:for|from)\s+(range|database|table|index|partition)\s+(.+)$`, 'i').exec(
      sql,
    ))
  )
    return showZone(session, sql, (m[1] ?? '').toLowerCase(), (m[2] ?? '').trim());
  if ((m = new RegExp(String.raw`^show\s+ranges(?:\s+from\s+(database|table|index)\s+(\S+))?(?:\s+with\s+(.+))?$`, 'i').exec(sql)))
    return showRanges(session, sql, m[1]?.toLowerCase(), m[2], (m[3] ?? '').toLowerCase());
  if ((m = new RegExp(String.raw`^show\s+tables(?:\s+from\s+${QUALIFIED})?(?:\s+with\s+comment)?$`, 'i').exec(sql)))
    return showTables(session, sql, m[1] === undefined ? undefined : unquote(m[1].split('.')[0] ?? ''));
  if ((m = new RegExp(String.raw`^show\s+(?:indexes|index|keys)\s+from\s+${QUALIFIED}$`, 'i').exec(sql)))
    return showIndexes(session, sql, m[1] ?? '');
  if ((m = new RegExp(String.raw`^show\s+columns\s+from\s+${QUALIFIED}$`, 'i').exec(sql))) return showColumns(session, sql, m[1] ?? '');
  if ((m = new RegExp(String.raw`^show\s+create(?:\s+table)?\s+${QUALIFIED}$`, 'i').exec(sql)))
    return showCreateTable(session, sql, m[1] ?? '');
  if ((m = /^show\s+cluster\s+setting\s+([\w.]+)$/i.exec(sql))) return showClusterSetting(simulator, sql, (m[1] ?? '').toLowerCase());
  if (/^show\s+(all\s+)?(public\s+)?cluster\s+settings$/i.test(sql)) {
    const settings = new Map([...CLUSTER_SETTING_DEFAULTS, ...simulator.catalog.clusterSettings]);
    return rowsResult(
      sql,
      ['variable', 'value', 'setting_type', 'description', 'default_value', 'origin'],
      [...settings]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [
          k,
          v,
          's',
          '',
          CLUSTER_SETTING_DEFAULTS.get(k) ?? v,
          simulator.catalog.clusterSettings.has(k) && k !== 'version' ? 'override' : 'default',
        ]),
    );
  }
  if (/^show\s+transaction\s+isolation\s+level$/i.test(sql)) return rowsResult(sql, ['transaction_isolation'], [[session.isolation]]);
  if (/^show\s+(default_transaction_isolation|transaction_isolation)$/i.test(sql)) {
    const name = sql.split(/\s+/)[1]?.toLowerCase() ?? '';
    return rowsResult(sql, [name], [[session.vars.get(name) ?? session.isolation]]);
  }
  if (/^show\s+last\s+query\s+statistics$/i.test(sql)) {
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
  if (/^show\s+database$/i.test(sql)) return rowsResult(sql, ['database'], [[session.database]]);
  if (/^show\s+schemas$/i.test(sql)) {
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
  if (/^show\s+(users|roles)$/i.test(sql)) {
    const roles = await simulator.engine.query<{ rolname: string; member_of: string }>(
      `SELECT r.rolname, coalesce((SELECT array_agg(g.rolname ORDER BY g.rolname)::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid), '{}') AS member_of
         FROM pg_roles r WHERE r.rolname NOT LIKE 'pg\\_%' ORDER BY 1`,
    );
    return rowsResult(
      sql,
      ['username', 'options', ['member_of', OID.textArray]],
      roles.rows.map((r) => [r.rolname === 'postgres' ? 'root' : r.rolname, '{}', r.member_of]),
    );
  }
  if (/^show\s+(jobs|sessions|queries|statements|cluster\s+queries|cluster\s+sessions|backups?|schedules|changefeed)/i.test(sql))
    throw notSimulated(sql.toUpperCase());
  return undefined;
}

function showDatabases(simulator: Simulator, sql: string): QueryResult {
  const rows: Row[] = allDatabases(simulator).map((db) => [
    db.name,
    'root',
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

function showRegions(simulator: Simulator, sql: string): QueryResult {
  const databases = allDatabases(simulator);
  const rows: Row[] = [...regionZones(simulator)].map(([region, zones]) => [
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

function showRegionsFromDatabase(session: Session, sql: string, name: string | undefined): QueryResult {
  const db = requireDatabase(session, name);
  const zones = regionZones(session.simulator);
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

async function showClusterSetting(simulator: Simulator, sql: string, name: string): Promise<QueryResult> {
  const value = simulator.catalog.clusterSettings.get(name) ?? CLUSTER_SETTING_DEFAULTS.get(name);
  if (value === undefined) throw new SqlError(SQLSTATE.rangeUnavailable, `unknown setting: "${name}"`);
  return Promise.resolve(rowsResult(sql, [name], [[value]]));
}
