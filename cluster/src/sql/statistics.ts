// Table statistics as CockroachDB keeps them: CREATE STATISTICS / ANALYZE collect them at once;
// with sql.stats.automatic_collection.enabled (the default) the automatic refresher collects
// `__auto__` statistics on its own. SHOW STATISTICS FOR TABLE lists them and EXPLAIN reads the
// newest one for its `estimated row count: N (P% of the table; stats collected <age> ago)`.
//
// Timing, in simulated time (cluster.clock): CockroachDB's refresher wakes a second after start
// and then every minute (stats.DefaultRefreshInterval); at each wake-up it refreshes the tables
// whose mutations call for it. A new table always needs statistics; a table that has some is
// refreshed once the rows written since its last collection reach
// fraction_stale_rows × row count + min_stale_rows (CockroachDB draws at random with that
// expected threshold; the simulator takes the threshold itself, so runs replay). A collection is
// made the first time a statement needs the engine after the wake-up it was due at — time does
// not move while a statement runs, so it sees exactly the rows of that moment. Collections are
// single-column (one row per column, histograms on each); CockroachDB's multi-column statistics
// on index prefixes are not modelled.
import type * as ast from '../../../sql/src/ast';
import type { Token } from '../../../sql/src/lexer';
import { quoteIdent } from '../../../sql/src/names';
import { OID } from '../wire/messages';
import { CLUSTER_SETTING_DEFAULTS } from './clusterSettings';
import type { ClusterContext, SqlSession } from './context';
import { SqlError, SQLSTATE } from './errors';
import { recordFinishedJob } from './jobs';
import { emptyResult, rowsResult, type QueryResult } from './result';
import { lookupTable, requireTable, tableColumns } from './tables';
import type { TableMeta } from './catalog';

/** One row of SHOW STATISTICS: one column's statistic from one collection. */
export interface ColumnStatistic {
  id: number;
  name: string;
  columns: string[];
  /** Simulated time (ms) of the collection. */
  createdAtMs: number;
  rowCount: number;
  distinctCount: number;
  nullCount: number;
  avgSize: number;
}

interface TableStatistics {
  collected: ColumnStatistic[];
  /** Rows written since the last collection (the refresher's mutation count). */
  mutations: number;
  /** Simulated time of the refresher wake-up that collects next; undefined when none is due. */
  dueAtMs: number | undefined;
}

const REFRESHER_FIRST_WAKE_MS = 1_000;
const REFRESH_INTERVAL_MS = 60_000;
const AUTO_NAME = '__auto__';
const KEEP_AUTOMATIC = 4;

const statisticsOf = new WeakMap<ClusterContext, Map<number, TableStatistics>>();
let lastStatisticId = 0;

function tableState(cluster: ClusterContext, table: TableMeta): TableStatistics {
  let all = statisticsOf.get(cluster);
  if (!all) {
    all = new Map();
    statisticsOf.set(cluster, all);
  }
  let state = all.get(table.id);
  if (!state) {
    state = { collected: [], mutations: 0, dueAtMs: undefined };
    all.set(table.id, state);
  }
  return state;
}

function setting(cluster: ClusterContext, name: string): string {
  return cluster.catalog.clusterSettings.get(name) ?? CLUSTER_SETTING_DEFAULTS.get(name) ?? '';
}

function autoEnabled(cluster: ClusterContext): boolean {
  return setting(cluster, 'sql.stats.automatic_collection.enabled') !== 'false';
}

/** The refresher's first wake-up at or after `ms`. */
export function nextRefresh(ms: number): number {
  if (ms <= REFRESHER_FIRST_WAKE_MS) return REFRESHER_FIRST_WAKE_MS;
  return REFRESHER_FIRST_WAKE_MS + Math.ceil((ms - REFRESHER_FIRST_WAKE_MS) / REFRESH_INTERVAL_MS) * REFRESH_INTERVAL_MS;
}

/** The newest full collection's row count and time, as EXPLAIN reads it; undefined: no statistics. */
export function newestStatistic(cluster: ClusterContext, table: TableMeta): ColumnStatistic | undefined {
  const collected = statisticsOf.get(cluster)?.get(table.id)?.collected ?? [];
  return collected.reduce<ColumnStatistic | undefined>(
    (newest, s) => (!newest || s.createdAtMs >= newest.createdAtMs ? s : newest),
    undefined,
  );
}

/** After a statement: a new table, or rows written, tell the refresher (as CockroachDB's NotifyMutation). */
export function noteStatementForStatistics(session: SqlSession, statement: ast.Statement | undefined, result: QueryResult): void {
  if (!statement || result.error) return;
  const cluster = session.cluster;
  if (statement.type === 'create-table') {
    const table = lookupTable(
      session,
      statement.name.parts.map((p) => p.value),
    );
    if (table) schedule(cluster, table, Number.MAX_SAFE_INTEGER);
    return;
  }
  if (statement.type !== 'other' || !statement.target) return;
  if (!['insert', 'upsert', 'update', 'delete'].includes(statement.kind)) return;
  const table = lookupTable(
    session,
    statement.target.parts.map((p) => p.value),
  );
  const count = Number(result.tag.split(' ').at(-1));
  if (table && Number.isFinite(count) && count > 0) schedule(cluster, table, count);
}

function schedule(cluster: ClusterContext, table: TableMeta, rows: number): void {
  const state = tableState(cluster, table);
  state.mutations = Math.min(Number.MAX_SAFE_INTEGER, state.mutations + rows);
  if (!autoEnabled(cluster) || state.dueAtMs !== undefined) return;
  const last = newestAuto(state) ?? state.collected.at(-1);
  const fraction = Number(setting(cluster, 'sql.stats.automatic_collection.fraction_stale_rows')) || 0;
  const minStale = Number(setting(cluster, 'sql.stats.automatic_collection.min_stale_rows')) || 0;
  const target = last ? last.rowCount * fraction + minStale : 0;
  if (last && state.mutations < target) return;
  state.dueAtMs = nextRefresh(cluster.clock.now());
}

function newestAuto(state: TableStatistics): ColumnStatistic | undefined {
  return state.collected.filter((s) => s.name === AUTO_NAME).at(-1);
}

/**
 * Before a statement outside a transaction: the automatic collections whose wake-up has passed
 * are made now, with the time they were due.
 */
export async function collectDueStatistics(session: SqlSession): Promise<void> {
  const cluster = session.cluster;
  noticeUntrackedTables(cluster);
  const all = statisticsOf.get(cluster);
  if (!all) return;
  const now = cluster.clock.now();
  for (const [id, state] of all) {
    if (state.dueAtMs === undefined || state.dueAtMs > now) continue;
    const dueAt = state.dueAtMs;
    state.dueAtMs = undefined;
    const table = [...cluster.catalog.tables.values()].find((t) => t.id === id);
    if (!table) {
      all.delete(id);
      continue;
    }
    if (!autoEnabled(cluster)) continue;
    // An automatic job that fails (the table dropped or changed under it) fails alone, as
    // CockroachDB's does: the statement that happened to come next is not its to answer for.
    try {
      await collect(cluster, table, AUTO_NAME, undefined, dueAt);
    } catch {
      continue;
    }
    recordFinishedJob(cluster, {
      type: 'AUTO CREATE STATS',
      description: `Table statistics refresh for ${table.database}.public.${table.name}`,
      statement: `CREATE STATISTICS ${AUTO_NAME} FROM [${table.id}] WITH OPTIONS THROTTLING 0.9 AS OF SYSTEM TIME '-30s'`,
      user: 'node',
      coordinator: session.nodeId,
      at: new Date(cluster.startedAt + dueAt),
    });
  }
}

const tablesSeen = new WeakMap<ClusterContext, number>();

/**
 * Tables the refresher has not heard of (restored from a store, made without a statement): as
 * CockroachDB's refresher does at start-up for tables without statistics, they are collected at
 * its next wake-up. Looked for only when the number of tables changed.
 */
function noticeUntrackedTables(cluster: ClusterContext): void {
  const count = cluster.catalog.tables.size;
  if (tablesSeen.get(cluster) === count) return;
  tablesSeen.set(cluster, count);
  const tracked = statisticsOf.get(cluster);
  for (const table of cluster.catalog.tables.values()) {
    if (!tracked?.has(table.id)) schedule(cluster, table, 0);
  }
}

/** Reads the table's statistics from the engine in one query, and lets the engine's planner see them too. */
async function collect(cluster: ClusterContext, table: TableMeta, name: string, only: string[] | undefined, atMs: number): Promise<void> {
  const { columns } = await tableColumns(cluster, table);
  const chosen = only ?? columns;
  const qualified = `${quoteIdent(table.database)}.${quoteIdent(table.name)}`;
  const measures = chosen.map((c, i) => {
    const col = quoteIdent(c);
    return `count(DISTINCT ${col}) AS d${i}, count(*) - count(${col}) AS n${i}, coalesce(sum(pg_column_size(${col})), 0) AS s${i}`;
  });
  const result = await cluster.engine.query<Record<string, number | string>>(
    `SELECT count(*) AS row_count${measures.map((m) => `, ${m}`).join('')} FROM ${qualified}`,
  );
  await cluster.engine.query(`ANALYZE ${qualified}`);
  const row = result.rows[0] ?? {};
  const rowCount = Number(row.row_count ?? 0);
  const state = tableState(cluster, table);
  state.mutations = 0;
  // As CockroachDB's DeleteOldStatsForColumns: before a new statistic on a column, the older ones
  // on it go, but for the newest few automatic ones (it keeps four automatic in all).
  for (const column of chosen) {
    const onColumn = state.collected.filter((s) => s.columns.length === 1 && s.columns[0] === column);
    const keptAuto = new Set(onColumn.filter((s) => s.name === AUTO_NAME).slice(-(KEEP_AUTOMATIC - 1)));
    state.collected = state.collected.filter((s) => !onColumn.includes(s) || keptAuto.has(s));
  }
  chosen.forEach((column, i) => {
    const nulls = Number(row[`n${i}`] ?? 0);
    const distinct = Number(row[`d${i}`] ?? 0) + (nulls > 0 ? 1 : 0);
    state.collected.push({
      id: ++lastStatisticId,
      name,
      columns: [column],
      createdAtMs: atMs,
      rowCount,
      distinctCount: distinct,
      nullCount: nulls,
      avgSize: rowCount === 0 ? 0 : Math.round(Number(row[`s${i}`] ?? 0) / rowCount),
    });
  });
}

/** CREATE STATISTICS name [ON cols] FROM t, ANALYZE t, SHOW STATISTICS FOR TABLE t; undefined for any other statement. */
export async function statisticsStatement(
  session: SqlSession,
  text: string,
  statement: ast.OtherStatement,
  tokens: readonly Token[],
): Promise<QueryResult | undefined> {
  if (statement.show?.subject === 'statistics') {
    const target = statement.show.target;
    if (target?.kind !== 'table') return undefined;
    return showStatistics(session, text, requireTable(session, target.name));
  }
  const first = word(tokens[0]);
  if (first === 'analyze') {
    const parts = nameAt(tokens, 1);
    const table = lookupTable(session, parts.names);
    if (!table) throw new SqlError(SQLSTATE.undefinedTable, `relation "${parts.names.join('.')}" does not exist`);
    await collect(session.cluster, table, AUTO_NAME, undefined, session.cluster.clock.now());
    manualJob(session, text);
    return emptyResult(text, 'ANALYZE');
  }
  if (first !== 'create' || word(tokens[1]) !== 'statistics') return undefined;
  const name = tokens[2]?.value ?? '';
  let i = 3;
  let columns: string[] | undefined;
  if (word(tokens[i]) === 'on') {
    columns = [];
    i++;
    while (tokens[i] && word(tokens[i]) !== 'from') {
      const t = tokens[i];
      if (t && (t.kind === 'ident' || t.kind === 'qident')) columns.push(t.kind === 'ident' ? t.value.toLowerCase() : t.value);
      i++;
    }
  }
  if (word(tokens[i]) !== 'from') throw new SqlError(SQLSTATE.syntax, 'at or near "EOF": syntax error');
  const parts = nameAt(tokens, i + 1);
  const table = lookupTable(session, parts.names);
  if (!table) throw new SqlError(SQLSTATE.undefinedTable, `relation "${parts.names.join('.')}" does not exist`);
  if (columns) {
    const known = (await tableColumns(session.cluster, table)).columns;
    const missing = columns.find((c) => !known.includes(c));
    if (missing !== undefined) throw new SqlError('42703', `column "${missing}" does not exist`);
    // CockroachDB collects a multi-column statistic for ON a, b; the simulator keeps one per column.
  }
  await collect(session.cluster, table, name, columns, session.cluster.clock.now());
  manualJob(session, text);
  return emptyResult(text, 'CREATE STATISTICS');
}

/** CREATE STATISTICS and ANALYZE run as a CREATE STATS job, finished when the statement returns. */
function manualJob(session: SqlSession, text: string): void {
  const cluster = session.cluster;
  recordFinishedJob(cluster, {
    type: 'CREATE STATS',
    description: text,
    statement: text,
    user: session.user,
    coordinator: session.nodeId,
    at: new Date(cluster.startedAt + cluster.clock.now()),
  });
}

function word(token: Token | undefined): string | undefined {
  return token?.kind === 'ident' ? token.value.toLowerCase() : undefined;
}

/** A dotted name starting at `from`. */
function nameAt(tokens: readonly Token[], from: number): { names: string[] } {
  const names: string[] = [];
  for (let i = from; i < tokens.length; i += 2) {
    const t = tokens[i];
    if (!t || (t.kind !== 'ident' && t.kind !== 'qident')) break;
    names.push(t.kind === 'ident' ? t.value.toLowerCase() : t.value);
    const dot = tokens[i + 1];
    if (!(dot?.kind === 'punct' || dot?.kind === 'op') || dot.value !== '.') break;
  }
  return { names };
}

const SHOW_STATISTICS_COLUMNS: (string | [string, number])[] = [
  'statistics_name',
  ['column_names', OID.textArray],
  ['created', OID.timestamp],
  ['row_count', OID.int8],
  ['distinct_count', OID.int8],
  ['null_count', OID.int8],
  ['avg_size', OID.int8],
  'partial_predicate',
  ['histogram_id', OID.int8],
  ['full_histogram_id', OID.int8],
];

function showStatistics(session: SqlSession, text: string, table: TableMeta): QueryResult {
  const cluster = session.cluster;
  const collected = [...(statisticsOf.get(cluster)?.get(table.id)?.collected ?? [])].sort(
    (a, b) => a.createdAtMs - b.createdAtMs || a.id - b.id,
  );
  const rows: (string | null)[][] = collected.map((s) => [
    s.name,
    `{${s.columns.join(',')}}`,
    timestampOf(cluster, s.createdAtMs),
    String(s.rowCount),
    String(s.distinctCount),
    String(s.nullCount),
    String(s.avgSize),
    null,
    String(s.id),
    null,
  ]);
  return rowsResult(text, SHOW_STATISTICS_COLUMNS, rows);
}

/** A simulated time as a TIMESTAMP (UTC, SHOW STATISTICS' `created`): the cluster's start plus the simulated time since. */
function timestampOf(cluster: ClusterContext, ms: number): string {
  return new Date(cluster.startedAt + ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** CockroachDB's humanized long duration: the largest unit that fits, rounded ("2 minutes", "1 hour", "5 days"). */
export function longDuration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ];
  const [size, unit] = units.find(([size]) => ms >= size) ?? [1_000, 'second'];
  const n = Math.round(Math.max(0, ms) / size);
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
