// CockroachDB's introspection statements, answered from the catalog, the engine and the
// placement model with CockroachDB's column names and value formats (v23.2+ shapes).
import type { RangeState } from '../model/cluster';
import type { SimNode } from '../model/topology';
import { rawConfigSql } from '../model/zoneConfig';
import type { Simulator } from '../simulator';
import { quoteIdent, quoteLiteral, type DatabaseMeta, type TableMeta } from './catalog';
import { notSimulated, SqlError, SQLSTATE } from './errors';
import { OID } from '../wire/messages';
import { rowsResult, type QueryResult } from './result';
import type { Session } from './session';
import { CLUSTER_SETTING_DEFAULTS } from './clusterSettings';
import { databaseZone, defaultRangeZone, zoneFor } from './spans';

type Row = (string | null)[];

/** CockroachDB's array text format: {a,b} with quotes where needed. */
export function textArray(values: readonly (string | number)[]): string {
  return `{${values.map((v) => (typeof v === 'number' || /^[A-Za-z0-9_.-]+$/.test(v) ? String(v) : `"${v.replace(/(["\\])/g, '\\$1')}"`)).join(',')}}`;
}

/** A boolean in PostgreSQL's text format. */
function bool(value: boolean): string {
  return value ? 't' : 'f';
}

function localityText(node: SimNode): string {
  return `region=${node.locality.region},az=${node.locality.zone}`;
}

function survivalText(db: DatabaseMeta): string | null {
  if (db.primaryRegion === undefined) return null;
  return db.survival === 'region' ? 'region' : 'zone';
}

function regionZones(simulator: Simulator): Map<string, string[]> {
  const zones = new Map<string, string[]>();
  for (const node of simulator.model.nodes()) {
    const list = zones.get(node.locality.region) ?? [];
    if (!list.includes(node.locality.zone)) list.push(node.locality.zone);
    zones.set(node.locality.region, list);
  }
  for (const list of zones.values()) list.sort();
  return new Map([...zones].sort(([a], [b]) => a.localeCompare(b)));
}

function allDatabases(simulator: Simulator): DatabaseMeta[] {
  return [...simulator.catalog.databases.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function requireDatabase(session: Session, name: string | undefined): DatabaseMeta {
  const key = name ?? session.database;
  const db = session.simulator.catalog.databases.get(key);
  if (!db) throw new SqlError(SQLSTATE.invalidCatalogName, `database "${key}" does not exist`);
  return db;
}

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name.toLowerCase();
}

/** Resolves `t`, `d.t` or `d.public.t` to a table the catalog knows. */
function requireTable(session: Session, written: string): TableMeta {
  const parts = written.split('.').map(unquote);
  const name = parts[parts.length - 1] ?? '';
  const catalog = session.simulator.catalog;
  const database = parts.length >= 2 && catalog.databases.has(parts[0] ?? '') ? (parts[0] ?? session.database) : session.database;
  const table = catalog.table(database, name);
  if (!table) throw new SqlError(SQLSTATE.undefinedTable, `relation "${written}" does not exist`);
  return table;
}

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

function showZone(session: Session, sql: string, kind: string, target: string): QueryResult {
  const simulator = session.simulator;
  if (kind === 'range') {
    const name = unquote(target);
    const zone = name === 'default' ? defaultRangeZone(simulator) : defaultRangeZone(simulator);
    return rowsResult(sql, ['target', 'raw_config_sql'], [[`RANGE ${name}`, rawConfigSql(`RANGE ${name}`, zone)]]);
  }
  if (kind === 'database') {
    const db = requireDatabase(session, unquote(target));
    const label = `DATABASE ${db.name}`;
    return rowsResult(sql, ['target', 'raw_config_sql'], [[label, rawConfigSql(label, databaseZone(simulator, db))]]);
  }
  if (kind === 'table') {
    const table = requireTable(session, target);
    const db = simulator.catalog.databases.get(table.database);
    // An object without a zone configuration of its own shows the one it inherits.
    if (!hasOwnZone(simulator, table) && db) {
      if (db.primaryRegion !== undefined || simulator.catalog.zones.has(`database:${db.name}`)) {
        const label = `DATABASE ${db.name}`;
        return rowsResult(sql, ['target', 'raw_config_sql'], [[label, rawConfigSql(label, databaseZone(simulator, db))]]);
      }
      return rowsResult(sql, ['target', 'raw_config_sql'], [['RANGE default', rawConfigSql('RANGE default', defaultRangeZone(simulator))]]);
    }
    const label = `TABLE ${table.database}.public.${table.name}`;
    return rowsResult(sql, ['target', 'raw_config_sql'], [[label, rawConfigSql(label, zoneFor(simulator, table))]]);
  }
  if (kind === 'partition') {
    const m = /^(\S+)\s+of\s+(?:table|index)\s+(\S+)$/i.exec(target);
    if (!m) throw new SqlError(SQLSTATE.syntax, `at or near "${target}": syntax error`);
    const partition = unquote(m[1] ?? '');
    const table = requireTable(session, (m[2] ?? '').split('@')[0] ?? '');
    const label = `PARTITION ${partition} OF INDEX ${table.database}.public.${table.name}@${table.name}_pkey`;
    return rowsResult(sql, ['target', 'raw_config_sql'], [[label, rawConfigSql(label, zoneFor(simulator, table, partition))]]);
  }
  const [tableName, index] = target.split('@');
  const table = requireTable(session, tableName ?? '');
  const label = `INDEX ${table.database}.public.${table.name}@${index ?? `${table.name}_pkey`}`;
  return rowsResult(sql, ['target', 'raw_config_sql'], [[label, rawConfigSql(label, zoneFor(simulator, table))]]);
}

/** A table has a zone configuration of its own: CONFIGURE ZONE, GLOBAL, or homed outside the primary region. */
function hasOwnZone(simulator: Simulator, table: TableMeta): boolean {
  if (simulator.catalog.zones.has(`table:${table.database}.${table.name}`)) return true;
  const locality = table.locality;
  return locality?.kind === 'global' || (locality?.kind === 'regional-by-table' && locality.region !== undefined);
}

function showAllZones(session: Session, sql: string): QueryResult {
  const simulator = session.simulator;
  const rows: Row[] = [['RANGE default', rawConfigSql('RANGE default', defaultRangeZone(simulator))]];
  for (const db of allDatabases(simulator)) {
    if (db.primaryRegion === undefined && !simulator.catalog.zones.has(`database:${db.name}`)) continue;
    rows.push([`DATABASE ${db.name}`, rawConfigSql(`DATABASE ${db.name}`, databaseZone(simulator, db))]);
  }
  for (const table of simulator.catalog.tables.values()) {
    const db = simulator.catalog.databases.get(table.database);
    if (hasOwnZone(simulator, table)) {
      const label = `TABLE ${table.database}.public.${table.name}`;
      rows.push([label, rawConfigSql(label, zoneFor(simulator, table))]);
    }
    if (table.locality?.kind === 'regional-by-row' && db) {
      for (const index of table.indexes.values()) {
        for (const region of db.regions) {
          const label = `PARTITION "${region}" OF INDEX ${table.database}.public.${table.name}@${index.name}`;
          rows.push([label, rawConfigSql(label, zoneFor(simulator, table, region))]);
        }
      }
    }
  }
  return rowsResult(sql, ['target', 'raw_config_sql'], rows);
}

/**
 * Key order: segment by segment, numbers as numbers, and region names in the order of the
 * region enum (the order they were added to the database), as the encoded keys sort.
 */
export function compareKeys(a: string, b: string, regions: readonly string[] = []): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i] ?? '';
    const q = y[i] ?? '';
    if (p === q) continue;
    if (/^-?\d+$/.test(p) && /^-?\d+$/.test(q)) return Number(p) - Number(q);
    const rp = regions.indexOf(p.replace(/^"|"$/g, ''));
    const rq = regions.indexOf(q.replace(/^"|"$/g, ''));
    if (rp !== -1 && rq !== -1) return rp - rq;
    return p < q ? -1 : 1;
  }
  return x.length - y.length;
}

// ---- SHOW RANGES ----------------------------------------------------------------------------

function nodeLocality(simulator: Simulator, id: number | undefined): string | null {
  const node = simulator.model.nodes().find((n) => n.id === id);
  return node ? localityText(node) : null;
}

async function showRanges(
  session: Session,
  sql: string,
  kind: string | undefined,
  target: string | undefined,
  options: string,
): Promise<QueryResult> {
  const simulator = session.simulator;
  await simulator.refreshSpans();
  let ranges: readonly RangeState[] = simulator.model.ranges();
  let relative = '';
  let indexId: number | undefined;
  if (kind === 'database' || kind === undefined) {
    const db = requireDatabase(session, target === undefined ? undefined : unquote(target));
    ranges = ranges.filter((r) => r.database === db.name);
  } else if (kind === 'table') {
    const table = requireTable(session, target ?? '');
    ranges = ranges.filter((r) => r.database === table.database && r.table === table.name);
    relative = `/Table/${table.id}`;
  } else {
    const [tableName, index] = (target ?? '').split('@');
    const table = requireTable(session, tableName ?? '');
    const indexName = index ? unquote(index) : `${table.name}_pkey`;
    ranges = ranges.filter((r) => r.database === table.database && r.table === table.name && r.index === indexName);
    indexId = table.indexes.get(indexName)?.id ?? 1;
    relative = `/Table/${table.id}`;
  }
  const details = options.includes('details');
  const withTables = options.includes('tables');
  const withIndexes = options.includes('indexes');
  // Keys print relative to the table (or index) shown, as CockroachDB prints them.
  const tableId = Number(relative.slice('/Table/'.length));
  const pretty = (key: string): string => {
    if (!relative) return key;
    if (key === relative) return '…/<TableMin>';
    if (key === `/Table/${tableId + 1}`) return '…/<TableMax>';
    if (indexId !== undefined) {
      if (key === `${relative}/${indexId}`) return '…/<IndexMin>';
      if (key === `${relative}/${indexId + 1}`) return '…/<IndexMax>';
      if (key.startsWith(`${relative}/${indexId}/`)) return `…${key.slice(`${relative}/${indexId}`.length)}`;
    }
    if (key.startsWith(`${relative}/`)) return `…${key.slice(relative.length)}`;
    return key.startsWith('/Table/') && Number(key.split('/')[2]) < tableId ? `<before:${key}>` : `<after:${key}>`;
  };
  const columns: (string | [string, number])[] = ['start_key', 'end_key', ['range_id', OID.int8]];
  if (withTables || withIndexes) columns.push('table_name');
  if (withIndexes) columns.push('index_name');
  if (details) columns.push(['range_size_mb', OID.numeric], ['lease_holder', OID.int8], 'lease_holder_locality');
  columns.push(
    ['replicas', OID.int8Array],
    ['replica_localities', OID.textArray],
    ['voting_replicas', OID.int8Array],
    ['non_voting_replicas', OID.int8Array],
    ['learner_replicas', OID.int8Array],
    ['split_enforced_until', OID.timestamp],
  );
  if (details) columns.push(['range_size', OID.int8], ['span_stats', OID.jsonb]);
  const rows = [...ranges]
    .sort(
      (a, b) => compareKeys(a.startKey, b.startKey, simulator.catalog.databases.get(a.database ?? '')?.regions) || a.rangeId - b.rangeId,
    )
    .map((range) => {
      const replicas = [...range.replicas].sort((a, b) => a.nodeId - b.nodeId);
      const row: Row = [pretty(range.startKey), pretty(range.endKey), String(range.rangeId)];
      if (withTables || withIndexes) row.push(range.table ?? null);
      if (withIndexes) row.push(range.index ?? null);
      if (details)
        row.push(
          (range.sizeBytes / 1048576).toFixed(6),
          range.leaseholder === undefined ? null : String(range.leaseholder),
          nodeLocality(simulator, range.leaseholder),
        );
      row.push(
        textArray(replicas.map((r) => r.nodeId)),
        textArray(replicas.map((r) => nodeLocality(simulator, r.nodeId) ?? '')),
        textArray(replicas.filter((r) => r.type === 'voter').map((r) => r.nodeId)),
        textArray(replicas.filter((r) => r.type === 'non-voter').map((r) => r.nodeId)),
        '{}',
        null,
      );
      if (details)
        row.push(
          String(range.sizeBytes),
          JSON.stringify({ approximate_disk_bytes: range.sizeBytes, key_count: 0, live_bytes: range.sizeBytes }),
        );
      return row;
    });
  return rowsResult(sql, columns, rows);
}

// ---- tables, indexes, columns, CREATE ---------------------------------------------------------

async function showTables(session: Session, sql: string, databaseName: string | undefined): Promise<QueryResult> {
  const db = requireDatabase(session, databaseName);
  const simulator = session.simulator;
  const result = await simulator.engine.query<{ relname: string; kind: string; rows: number }>(
    `SELECT c.relname, c.relkind AS kind, greatest(c.reltuples, 0)::float8 AS rows FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'v', 'm', 'S') ORDER BY c.relname`,
    [db.name],
  );
  const kinds: Record<string, string> = { r: 'table', v: 'view', m: 'materialized view', S: 'sequence' };
  return rowsResult(
    sql,
    ['schema_name', 'table_name', 'type', 'owner', ['estimated_row_count', OID.int8], 'locality'],
    result.rows.map((r) => {
      const table = simulator.catalog.table(db.name, r.relname);
      return [
        'public',
        r.relname,
        kinds[r.kind] ?? 'table',
        session.user,
        String(Math.round(r.rows)),
        table ? localityClause(table, db) : null,
      ];
    }),
  );
}

/** A table's locality as CockroachDB prints it (SHOW TABLES, SHOW CREATE). */
export function localityClause(table: TableMeta, db: DatabaseMeta): string | null {
  if (db.primaryRegion === undefined) return null;
  const locality = table.locality ?? { kind: 'regional-by-table' };
  if (locality.kind === 'global') return 'GLOBAL';
  if (locality.kind === 'regional-by-row') return locality.as === undefined ? 'REGIONAL BY ROW' : `REGIONAL BY ROW AS ${locality.as}`;
  return locality.region === undefined ? 'REGIONAL BY TABLE IN PRIMARY REGION' : `REGIONAL BY TABLE IN "${locality.region}"`;
}

interface ColumnInfo {
  name: string;
  type: string;
  notNull: boolean;
  defaultExpr: string | null;
  generated: string | null;
}

/** PostgreSQL type names back to CockroachDB's spelling. */
function crdbType(pgType: string): string {
  const t = pgType.toLowerCase();
  const simple: Record<string, string> = {
    text: 'STRING',
    bigint: 'INT8',
    integer: 'INT4',
    smallint: 'INT2',
    bytea: 'BYTES',
    'double precision': 'FLOAT8',
    real: 'FLOAT4',
    jsonb: 'JSONB',
    boolean: 'BOOL',
    uuid: 'UUID',
    date: 'DATE',
    inet: 'INET',
    interval: 'INTERVAL',
    'timestamp with time zone': 'TIMESTAMPTZ',
    'timestamp without time zone': 'TIMESTAMP',
    'time without time zone': 'TIME',
    crdb_internal_region: 'public.crdb_internal_region',
  };
  if (simple[t]) return simple[t];
  if (t.endsWith('.crdb_internal_region')) return 'public.crdb_internal_region';
  const m = /^(numeric|character varying|character)\((.*)\)$/.exec(t);
  if (m) return `${m[1] === 'numeric' ? 'DECIMAL' : m[1] === 'character varying' ? 'VARCHAR' : 'CHAR'}(${m[2] ?? ''})`;
  if (t === 'numeric') return 'DECIMAL';
  if (t === 'character varying') return 'VARCHAR';
  if (t.endsWith('[]')) return `${crdbType(t.slice(0, -2))}[]`;
  return pgType.toUpperCase();
}

function crdbDefault(expr: string | null, database: string): string | null {
  if (expr === null) return null;
  return expr
    .replace(/::text\b/g, '::STRING')
    .replace(/::bigint\b/g, '::INT8')
    .replace(
      new RegExp(`${quoteIdent(database)}\\.crdb_internal_region|${database}\\.crdb_internal_region`, 'g'),
      'public.crdb_internal_region',
    )
    .replace(/\bunique_rowid\(\)/g, 'unique_rowid()');
}

async function columnsOf(simulator: Simulator, table: TableMeta): Promise<ColumnInfo[]> {
  const result = await simulator.engine.query<{
    name: string;
    type: string;
    not_null: boolean;
    default_expr: string | null;
    generated: string;
  }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
            pg_get_expr(d.adbin, d.adrelid) AS default_expr, a.attgenerated AS generated
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [table.database, table.name],
  );
  return result.rows.map((r) => ({
    name: r.name,
    type: crdbType(r.type),
    notNull: r.not_null,
    defaultExpr: r.generated === '' ? crdbDefault(r.default_expr, table.database) : null,
    generated: r.generated === '' ? null : crdbDefault(r.default_expr, table.database),
  }));
}

interface IndexInfo {
  name: string;
  unique: boolean;
  primary: boolean;
  columns: { name: string; descending: boolean }[];
  storing: string[];
  where: string | null;
}

async function indexesOf(simulator: Simulator, table: TableMeta): Promise<IndexInfo[]> {
  const result = await simulator.engine.query<{
    name: string;
    unique: boolean;
    primary: boolean;
    keys: number;
    columns: string[];
    options: number[];
    predicate: string | null;
  }>(
    `SELECT ic.relname AS name, i.indisunique AS unique, i.indisprimary AS primary, i.indnkeyatts AS keys,
            array(SELECT coalesce(a.attname, pg_get_indexdef(i.indexrelid, k.n::int, true)) FROM generate_subscripts(i.indkey, 1) AS k(n)
                  LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.n] ORDER BY k.n) AS columns,
            i.indoption::int2[] AS options, pg_get_expr(i.indpred, i.indrelid) AS predicate
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 ORDER BY i.indisprimary DESC, ic.oid`,
    [table.database, table.name],
  );
  return result.rows.map((r) => ({
    name: r.name,
    unique: r.unique,
    primary: r.primary,
    columns: r.columns.slice(0, r.keys).map((name, i) => ({ name, descending: ((r.options[i] ?? 0) & 1) === 1 })),
    storing: r.columns.slice(r.keys),
    where: r.predicate,
  }));
}

async function showIndexes(session: Session, sql: string, written: string): Promise<QueryResult> {
  const table = requireTable(session, written);
  const indexes = await indexesOf(session.simulator, table);
  const columns = await columnsOf(session.simulator, table);
  const rows: Row[] = [];
  for (const index of indexes) {
    let seq = 1;
    for (const column of index.columns) {
      rows.push([
        table.name,
        index.name,
        bool(!index.unique),
        String(seq++),
        column.name,
        column.name,
        column.descending ? 'DESC' : 'ASC',
        'f',
        'f',
        't',
        '1',
      ]);
    }
    const keyNames = new Set(index.columns.map((c) => c.name));
    const stored = index.primary ? columns.filter((c) => !keyNames.has(c.name) && c.generated === null).map((c) => c.name) : index.storing;
    for (const name of stored)
      rows.push([table.name, index.name, bool(!index.unique), String(seq++), name, name, 'N/A', 't', 'f', 't', '1']);
    if (!index.primary) {
      const pk = indexes.find((i) => i.primary);
      for (const column of pk?.columns ?? []) {
        if (keyNames.has(column.name) || index.storing.includes(column.name)) continue;
        rows.push([table.name, index.name, bool(!index.unique), String(seq++), column.name, column.name, 'ASC', 'f', 't', 't', '1']);
      }
    }
  }
  return rowsResult(
    sql,
    [
      'table_name',
      'index_name',
      ['non_unique', OID.bool],
      ['seq_in_index', OID.int8],
      'column_name',
      'definition',
      'direction',
      ['storing', OID.bool],
      ['implicit', OID.bool],
      ['visible', OID.bool],
      ['visibility', OID.float8],
    ],
    rows,
  );
}

async function showColumns(session: Session, sql: string, written: string): Promise<QueryResult> {
  const table = requireTable(session, written);
  const columns = await columnsOf(session.simulator, table);
  const indexes = await indexesOf(session.simulator, table);
  return rowsResult(
    sql,
    [
      'column_name',
      'data_type',
      ['is_nullable', OID.bool],
      'column_default',
      'generation_expression',
      ['indices', OID.textArray],
      ['is_hidden', OID.bool],
    ],
    columns.map((c) => [
      c.name,
      c.type,
      bool(!c.notNull),
      c.defaultExpr,
      c.generated ?? '',
      textArray(
        indexes.filter((i) => i.columns.some((k) => k.name === c.name) || i.storing.includes(c.name) || i.primary).map((i) => i.name),
      ),
      bool(table.hidden.has(c.name)),
    ]),
  );
}

async function showCreateTable(session: Session, sql: string, written: string): Promise<QueryResult> {
  const table = requireTable(session, written);
  const simulator = session.simulator;
  const db = simulator.catalog.databases.get(table.database);
  const columns = await columnsOf(simulator, table);
  const indexes = await indexesOf(simulator, table);
  const lines: string[] = [];
  for (const c of columns) {
    let line = `${c.name} ${c.type}`;
    if (c.notNull) line += ' NOT NULL';
    if (table.hidden.has(c.name)) line += ' NOT VISIBLE';
    if (c.defaultExpr !== null) line += ` DEFAULT ${c.defaultExpr}`;
    if (c.generated !== null) line += ` AS (${c.generated}) STORED`;
    lines.push(line);
  }
  const keyList = (index: IndexInfo): string => index.columns.map((k) => `${k.name} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
  for (const index of indexes) {
    const buckets = table.indexes.get(index.name)?.hashBuckets;
    const hash = buckets === undefined ? '' : ` USING HASH WITH (bucket_count=${buckets})`;
    if (index.primary) lines.push(`CONSTRAINT ${index.name} PRIMARY KEY (${keyList(index)})${hash}`);
    else {
      let line = `${index.unique ? 'UNIQUE ' : ''}INDEX ${index.name} (${keyList(index)})${hash}`;
      if (index.storing.length > 0) line += ` STORING (${index.storing.join(', ')})`;
      if (index.where) line += ` WHERE ${index.where}`;
      lines.push(line);
    }
  }
  const constraints = await simulator.engine.query<{ name: string; definition: string }>(
    `SELECT con.conname AS name, pg_get_constraintdef(con.oid) AS definition FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 AND con.contype IN ('f', 'c') ORDER BY con.conname`,
    [table.database, table.name],
  );
  for (const con of constraints.rows)
    lines.push(`CONSTRAINT ${con.name} ${con.definition.replace(/REFERENCES (\w+)\(/g, 'REFERENCES public.$1(')}`);
  let create = `CREATE TABLE public.${table.name} (\n\t${lines.join(',\n\t')}\n)`;
  const locality = db ? localityClause(table, db) : null;
  if (locality) create += ` LOCALITY ${locality}`;
  return rowsResult(sql, ['table_name', 'create_statement'], [[table.name, create]]);
}

async function showClusterSetting(simulator: Simulator, sql: string, name: string): Promise<QueryResult> {
  const value = simulator.catalog.clusterSettings.get(name) ?? CLUSTER_SETTING_DEFAULTS.get(name);
  if (value === undefined) throw new SqlError(SQLSTATE.rangeUnavailable, `unknown setting: "${name}"`);
  return Promise.resolve(rowsResult(sql, [name], [[value]]));
}

// ---- crdb_internal ---------------------------------------------------------------------------

/** Fills the crdb_internal tables from the model, just before a query reads them. */
export async function fillCrdbInternal(simulator: Simulator): Promise<void> {
  const model = simulator.model;
  const ranges = model.ranges();
  const startedAt = new Date(simulator.startedAt).toISOString().replace('T', ' ').replace('Z', '');
  const nodes = model.nodes();
  const values: string[] = nodes.map((node) => {
    const replicas = ranges.filter((r) => r.replicas.some((x) => x.nodeId === node.id)).length;
    const leases = ranges.filter((r) => r.leaseholder === node.id).length;
    const address = simulator.sqlAddress(node.id) ?? `127.0.0.1:${26256 + node.id}`;
    return `(${node.id}, 'tcp', ${quoteLiteral(address)}, ${quoteLiteral(address)}, 'tcp', ${quoteLiteral(address)}, ${quoteLiteral(address)}, '[]', ${quoteLiteral(localityText(node))}, 'demo', ${quoteLiteral(
      simulator.catalog.clusterSettings.get('version') ?? '',
    )}, 'v25.2.0', ${quoteLiteral(startedAt)}, ${node.liveness === 'live' && !node.isolated}, ${replicas}, ${leases})`;
  });
  const rangeValues = ranges.map((r) => {
    const replicas = [...r.replicas].sort((a, b) => a.nodeId - b.nodeId);
    const array = (ids: number[]): string => `ARRAY[${ids.join(',')}]::int8[]`;
    return `(${r.rangeId}, ${quoteLiteral(r.startKey)}::bytea, ${quoteLiteral(r.startKey)}, ${quoteLiteral(r.endKey)}::bytea, ${quoteLiteral(r.endKey)}, ${array(replicas.map((x) => x.nodeId))}, ARRAY[${replicas
      .map((x) => quoteLiteral(nodeLocality(simulator, x.nodeId) ?? ''))
      .join(',')}]::text[], ${array(replicas.filter((x) => x.type === 'voter').map((x) => x.nodeId))}, ${array(
      replicas.filter((x) => x.type === 'non-voter').map((x) => x.nodeId),
    )}, ARRAY[]::int8[], NULL, ${r.leaseholder ?? 'NULL'}, ${r.sizeBytes}, ${quoteLiteral(r.database ?? '')}, ${quoteLiteral(r.table ?? '')}, ${quoteLiteral(r.index ?? '')})`;
  });
  const liveness = nodes.map(
    (node) =>
      `(${node.id}, 1, '0,0', false, ${node.liveness === 'decommissioning' || node.liveness === 'decommissioned'}, ${quoteLiteral(
        node.liveness === 'decommissioned' ? 'decommissioned' : node.liveness === 'decommissioning' ? 'decommissioning' : 'active',
      )}, now()::timestamp)`,
  );
  const statements = [
    'DELETE FROM crdb_internal.gossip_liveness',
    liveness.length > 0 ? `INSERT INTO crdb_internal.gossip_liveness VALUES ${liveness.join(',\n')}` : '',
    'DELETE FROM crdb_internal.gossip_nodes',
    'DELETE FROM crdb_internal.ranges',
    values.length > 0 ? `INSERT INTO crdb_internal.gossip_nodes VALUES ${values.join(',\n')}` : '',
    rangeValues.length > 0 ? `INSERT INTO crdb_internal.ranges VALUES ${rangeValues.join(',\n')}` : '',
  ].filter((s) => s !== '');
  await simulator.engine.exec(statements.join(';\n'));
}
