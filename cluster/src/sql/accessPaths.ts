// How a statement reaches each table it names, as CockroachDB's optimizer and DistSender would:
// which ranges it touches, which replicas serve them, and what that costs in network time from
// the gateway. Availability is checked on these ranges only (availability.ts), and EXPLAIN reads
// the same answer to print `locality-optimized search`, `used follower read` and the regions.
//
// API
//   planAccess(session, statement) → StatementAccess
//     statement: the statement's text, its tokens (ParsedDocument.tokens), its kind (ast
//     StatementKind), the table names the translation found (Translated.tables), the written
//     table (OtherStatement.target) and bound parameter values, if any.
//     For each table it names: a TableAccess with
//       path       — the access path (AccessPathKind below)
//       rangeIds   — the ranges it touches (the only ones that must be available)
//       regions    — the regions whose ranges it reads or writes (RBR: the partitions)
//       partitions — REGIONAL BY ROW partitions touched (partition names are region names)
//       index      — the index the path uses, when known (`t_pkey`, a unique index)
//       lookup     — for UPDATE / DELETE (path `write`): how the rows were found
//       localityOptimized — for a locality-optimized search: the local region, whether the row
//                    was found there, and the remote regions the fan-out reached (if it did)
//       followerRead — served by the nearest replica rather than the leaseholder
//       uniquenessChecks — for INSERT/UPSERT into REGIONAL BY ROW: the checks CockroachDB runs
//                    in other regions, with their latency
//       latencyMs  — the table's contribution: its KV round trips from the gateway
//     latencyMs of the statement: tables are read in parallel, so the slowest table's cost.
//
// The statement's shape is read from its tokens (no regular expressions over SQL): the WHERE
// clause's top-level conjuncts `col = value` and `col IN (values)` on the region column and on
// primary-key / unique columns, the INSERT column list and its VALUES rows, and AS OF SYSTEM TIME.
import type { StatementKind } from '../../../sql/src/ast';
import type { Token } from '../../../sql/src/lexer';
import { quoteIdent } from '../../../sql/src/names';
import type { ReadServer } from '../model/latency';
import { parseDuration } from '../model/duration';
import type { RangeState } from '../model/state';
import { aliasFollows, asOfClauses } from './asOfSyntax';
import type { TableMeta } from './catalog';
import type { SqlSession } from './context';
import { DEFAULT_REGION_COLUMN } from './regionalByRow';
import { isWord, tokensOf } from './rewrite';
import { insertedRows, updatedColumns, whereFilters, type ColumnFilter, type Constant } from './statementFilters';
import { lookupTable } from './tables';
import { followerReadLagMicros } from './timeTravel';
import { displayIndexNameSql } from './engineIndexNames';

/**
 * - `full-scan`: every range of the table's index (every partition of a REGIONAL BY ROW table).
 * - `partition-scan`: a REGIONAL BY ROW table filtered on its region column (= or IN): only those partitions.
 * - `locality-optimized-search`: a point lookup on a unique column of a REGIONAL BY ROW table
 *   without its region: the gateway's partition first, the other regions in parallel only when
 *   the row is not there.
 * - `point-lookup`: an equality on the whole primary key / a unique index (of a REGIONAL BY ROW
 *   table: with its region), served by its leaseholder.
 * - `global-read`: a present-time read of a GLOBAL table, served by the nearest replica.
 * - `follower-read`: AS OF SYSTEM TIME follower_read_timestamp(): the nearest replica.
 * - `bounded-staleness`: with_min_timestamp / with_max_staleness: the nearest replica.
 * - `write`: INSERT / UPSERT / UPDATE / DELETE: the leaseholder, then a Raft quorum (a GLOBAL
 *   table's write also waits out its future commit timestamp).
 * - `uniqueness-check`: (in TableAccess.uniquenessChecks) the reads an INSERT into a REGIONAL BY
 *   ROW table makes in the other regions to prove a unique value new.
 */
export type AccessPathKind =
  | 'full-scan'
  | 'partition-scan'
  | 'locality-optimized-search'
  | 'point-lookup'
  | 'global-read'
  | 'follower-read'
  | 'bounded-staleness'
  | 'write'
  | 'uniqueness-check';

export interface LocalityOptimizedSearch {
  /** The gateway's region, searched first. */
  localRegion: string;
  /** The row was in the local partition: the remote regions were not asked. */
  foundLocally: boolean;
  /** The regions the fan-out reached (empty when found locally). */
  remoteRegions: string[];
}

export interface UniquenessCheck {
  /** The unique constraint's columns (without the region column). */
  columns: string[];
  /** The index the check reads. */
  index: string;
  /** The regions it reads (all but the row's own). */
  regions: string[];
  rangeIds: number[];
  latencyMs: number;
}

export interface TableAccess {
  database: string;
  table: string;
  locality: 'regional-by-row' | 'regional-by-table' | 'global' | 'none';
  path: AccessPathKind;
  operation: 'read' | 'write';
  rangeIds: number[];
  regions: string[];
  partitions: string[];
  index: string | undefined;
  /** How an UPDATE / DELETE found its rows (a write's path is `write`); undefined otherwise. */
  lookup: AccessPathKind | undefined;
  localityOptimized: LocalityOptimizedSearch | undefined;
  followerRead: boolean;
  uniquenessChecks: UniquenessCheck[];
  latencyMs: number;
}

export interface StatementAccess {
  tables: TableAccess[];
  /** Every range any table's path touches (what must be available). */
  rangeIds: number[];
  /** Network time of the statement's KV work: the slowest table. */
  latencyMs: number;
}

export interface StatementShape {
  text: string;
  tokens: readonly Token[];
  kind: StatementKind;
  /** Table names the statement refers to, each its 1 to 3 parts as written (Translated.tables). */
  tables: readonly (readonly string[])[];
  /** INSERT / UPSERT / UPDATE / DELETE: the table written, as written (else the first table is). */
  target?: readonly string[];
  /** An extended-protocol statement's bound parameter values ($1 is the first), text format. */
  parameters?: readonly (string | null)[];
}

// ---- what the engine knows of a table's keys ------------------------------------------------------

interface UniqueKey {
  index: string;
  columns: string[];
  primary: boolean;
}

interface TableKeys {
  primaryIndex: string | undefined;
  /** Unique indexes without a predicate, the primary one first. */
  uniques: UniqueKey[];
  /** UUID columns whose default is gen_random_uuid(). */
  randomUuidDefaults: Set<string>;
  /** Stored computed columns (a computed region column makes uniqueness checks unnecessary). */
  computed: Set<string>;
}

/**
 * Keys read from the engine, per table, while its shape stays the same: what changes a table's
 * keys (an index created, dropped or made NOT VISIBLE, a locality or hidden column changed)
 * changes this stamp.
 */
const keysCache = new WeakMap<TableMeta, { stamp: string; keys: TableKeys }>();

function shapeStamp(table: TableMeta): string {
  const invisible = [...table.indexes.values()].filter((i) => i.notVisible).map((i) => i.name);
  return JSON.stringify([table.nextIndexId, [...table.indexes.keys()], invisible, [...table.hidden], table.locality ?? null]);
}

async function tableKeys(session: SqlSession, table: TableMeta): Promise<TableKeys> {
  const stamp = shapeStamp(table);
  const cached = keysCache.get(table);
  if (cached?.stamp === stamp) return cached.keys;
  const keys = await readTableKeys(session, table);
  if (keys === undefined) return { primaryIndex: undefined, uniques: [], randomUuidDefaults: new Set(), computed: new Set() };
  keysCache.set(table, { stamp, keys });
  return keys;
}

/** The table's unique keys and column defaults, as the engine has them; undefined when it cannot say. */
async function readTableKeys(session: SqlSession, table: TableMeta): Promise<TableKeys | undefined> {
  const keys: TableKeys = { primaryIndex: undefined, uniques: [], randomUuidDefaults: new Set(), computed: new Set() };
  const engine = session.cluster.engine;
  try {
    const indexes = await engine.query<{ index: string; primary: boolean; columns: string[] }>(
      `SELECT ${displayIndexNameSql('ic.relname')} AS index, i.indisprimary AS primary,
              array(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(n, o)
                      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o) AS columns
         FROM pg_index i
         JOIN pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = $1 AND t.relname = $2 AND i.indisunique AND i.indpred IS NULL AND i.indisvalid
        ORDER BY i.indisprimary DESC, ic.relname`,
      [table.database, table.name],
    );
    for (const row of indexes.rows) {
      if (row.primary) keys.primaryIndex = row.index;
      keys.uniques.push({ index: row.index, columns: row.columns, primary: row.primary });
    }
    const columns = await engine.query<{ name: string; type: string; generated: string; def: string | null }>(
      `SELECT a.attname::text AS name, format_type(a.atttypid, NULL) AS type, a.attgenerated::text AS generated,
              pg_get_expr(d.adbin, d.adrelid) AS def
         FROM pg_attribute a
         JOIN pg_class t ON t.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = $1 AND t.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped`,
      [table.database, table.name],
    );
    for (const row of columns.rows) {
      if (row.generated === 's') keys.computed.add(row.name);
      else if (row.type === 'uuid' && row.def !== null && firstCall(row.def) === 'gen_random_uuid') keys.randomUuidDefaults.add(row.name);
    }
  } catch {
    // The engine could not say (a transaction already failed): no keys known, plain scans.
    return undefined;
  }
  return keys;
}

/** The function a default expression calls first: `gen_random_uuid()` → gen_random_uuid. */
function firstCall(expression: string): string | undefined {
  const tokens = tokensOf(expression);
  const at = tokens.findIndex((t) => t.kind === 'ident');
  const t = tokens[at];
  return t !== undefined && tokens[at + 1]?.value === '(' ? t.value : undefined;
}

// ---- how the statement reads ----------------------------------------------------------------

type ReadMode = 'present' | 'follower-read' | 'bounded-staleness';

const FOLLOWER_READ_FUNCTIONS = new Set(['follower_read_timestamp', 'experimental_follower_read_timestamp']);
const BOUNDED_STALENESS_FUNCTIONS = new Set(['with_min_timestamp', 'with_max_staleness']);

/**
 * A read below the closed timestamp is served by any replica (DistSender routes it to the nearest):
 * follower_read_timestamp(), a bounded-staleness function, or a fixed time at least as old as the
 * follower-read lag (`'-10s'`).
 */
function readMode(session: SqlSession, statement: StatementShape): ReadMode {
  const clause = asOfClauses(statement.text, statement.tokens).find((c) => c.depth === 0);
  if (clause === undefined) {
    const followerDefault = (session.vars.get('default_transaction_use_follower_reads') ?? 'off').toLowerCase();
    return followerDefault === 'on' || followerDefault === 'true' ? 'follower-read' : 'present';
  }
  const tokens = tokensOf(clause.expression);
  const first = tokens[0];
  if (first?.kind === 'ident' && FOLLOWER_READ_FUNCTIONS.has(first.value)) return 'follower-read';
  if (first?.kind === 'ident' && BOUNDED_STALENESS_FUNCTIONS.has(first.value)) return 'bounded-staleness';
  if (first?.kind === 'string' && first.value.trim().startsWith('-')) {
    const agoMs = parseDuration(first.value.trim().slice(1));
    if (agoMs !== undefined && agoMs * 1000 >= followerReadLagMicros(session)) return 'follower-read';
  }
  return 'present';
}

/** The statement EXPLAIN ANALYZE runs: its kind. */
function effectiveKind(statement: StatementShape): StatementKind {
  if (statement.kind !== 'explain') return statement.kind;
  for (const t of statement.tokens) {
    if (isWord(t, 'select', 'with', 'values', 'table')) return 'select';
    if (isWord(t, 'insert', 'upsert', 'update', 'delete')) return t.value as StatementKind;
  }
  return 'select';
}

// ---- planning ---------------------------------------------------------------------------------

interface Planner {
  session: SqlSession;
  gatewayRegion: string;
  mode: ReadMode;
  statement: StatementShape;
  /** Filters that name no table (usable only when the statement names one table). */
  singleTable: boolean;
}

function localityOf(table: TableMeta): TableAccess['locality'] {
  return table.locality?.kind ?? 'none';
}

function regionColumn(table: TableMeta): string {
  return table.locality?.kind === 'regional-by-row' ? (table.locality.as ?? DEFAULT_REGION_COLUMN) : DEFAULT_REGION_COLUMN;
}

/** The name (or alias) a column qualifier must have to mean `table`. */
function namesOf(tokens: readonly Token[], table: TableMeta): Set<string> {
  const names = new Set([table.name]);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!(t?.kind === 'ident' || t?.kind === 'qident') || t.value !== table.name || tokens[i + 1]?.value === '.') continue;
    if (!aliasFollows(tokens, i + 1)) continue;
    const alias = isWord(tokens[i + 1], 'as') ? tokens[i + 2] : tokens[i + 1];
    if (alias?.kind === 'ident' || alias?.kind === 'qident') names.add(alias.value);
  }
  return names;
}

/** The statement's filters on `table`'s columns: column → constants. */
function filtersOn(planner: Planner, table: TableMeta, filters: readonly ColumnFilter[]): Map<string, Constant[]> {
  const names = namesOf(planner.statement.tokens, table);
  const out = new Map<string, Constant[]>();
  for (const f of filters) {
    if (f.qualifier === undefined ? !planner.singleTable : !names.has(f.qualifier)) continue;
    out.set(f.column, f.values);
  }
  return out;
}

function knownValues(values: readonly Constant[] | undefined): string[] | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const texts: string[] = [];
  for (const v of values) {
    if (v.kind !== 'value') return undefined;
    texts.push(v.text);
  }
  return [...new Set(texts)];
}

/** The first unique key (primary first) whose every column (the region column aside) has an equality filter. */
function keyMatched(keys: TableKeys, filters: Map<string, Constant[]>, regionCol: string | undefined): UniqueKey | undefined {
  return keys.uniques.find((u) => {
    const columns = u.columns.filter((c) => c !== regionCol);
    return columns.length > 0 && columns.every((c) => filters.has(c));
  });
}

function rangesOf(
  all: readonly RangeState[],
  indexes: ReadonlySet<string> | undefined,
  regions: readonly string[] | undefined,
): RangeState[] {
  return all.filter(
    (r) =>
      (indexes === undefined || (r.index !== undefined && indexes.has(r.index))) &&
      (regions === undefined || (r.partition !== undefined && regions.includes(r.partition))),
  );
}

function ids(ranges: readonly RangeState[]): number[] {
  return ranges.map((r) => r.rangeId);
}

/** A statement that writes the whole table (DDL the simulator passes through, a non-partitioned INSERT): every range, as a write. */
function wholeTableWrite(
  planner: Planner,
  all: readonly RangeState[],
  index: string | undefined,
  global: boolean,
): Pick<TableAccess, 'path' | 'operation' | 'rangeIds' | 'regions' | 'partitions' | 'index' | 'latencyMs'> {
  return {
    path: 'write',
    operation: 'write',
    rangeIds: ids(all),
    regions: regionsOf(planner, all),
    partitions: partitionsOf(all),
    index,
    latencyMs: latency(planner, all, 'write', global),
  };
}

function latency(planner: Planner, ranges: readonly RangeState[], kind: 'read' | 'write', globalReads?: boolean): number {
  if (ranges.length === 0) return 0;
  const readServer: ReadServer = kind === 'read' && planner.mode !== 'present' ? 'nearest-replica' : 'leaseholder';
  return planner.session.cluster.model.latencyMs(planner.session.nodeId, ids(ranges), kind, {
    readServer,
    ...(globalReads === undefined ? {} : { globalReads }),
  });
}

/** Whether every requested key has a row in `region` (what decides whether the search fans out). */
async function allFoundIn(
  session: SqlSession,
  table: TableMeta,
  regionCol: string,
  key: readonly string[],
  values: readonly (readonly string[])[],
  region: string,
): Promise<boolean> {
  // One text parameter per value: nothing in a value can make the query fail (inside the user's
  // transaction a failing query would abort it).
  const parameters: string[] = [];
  const placeholder = (value: string): string => {
    parameters.push(value);
    return `$${parameters.length}`;
  };
  const conditions = key.map((c, k) => `(${quoteIdent(c)})::text IN (${(values[k] ?? []).map(placeholder).join(', ')})`);
  const sql = `SELECT count(*)::int AS n FROM (SELECT DISTINCT ${key.map((c) => `(${quoteIdent(c)})::text`).join(', ')}
                 FROM ${quoteIdent(table.database)}.${quoteIdent(table.name)}
                WHERE ${conditions.join(' AND ')} AND (${quoteIdent(regionCol)})::text = ${placeholder(region)}) AS found`;
  const wanted = values.reduce((n, v) => n * v.length, 1);
  try {
    const result = await session.cluster.engine.query<{ n: number }>(sql, parameters);
    return (result.rows[0]?.n ?? 0) >= wanted;
  } catch {
    return false;
  }
}

/** The optimizer plans a locality-optimized search only for scans of at most this many keys. */
const LOCALITY_OPTIMIZED_MAX_KEYS = 10_000;

interface Located {
  path: AccessPathKind;
  index: string | undefined;
  /** REGIONAL BY ROW: the partitions (regions) reached; undefined: the whole table. */
  regions: string[] | undefined;
  ranges: RangeState[];
  localityOptimized: LocalityOptimizedSearch | undefined;
  latencyMs: number;
}

/** How a read (or an UPDATE / DELETE's search for its rows) reaches `table`. */
async function locate(
  planner: Planner,
  table: TableMeta,
  all: readonly RangeState[],
  keys: TableKeys,
  filters: Map<string, Constant[]>,
): Promise<Located> {
  const rbr = table.locality?.kind === 'regional-by-row';
  const regionCol = rbr ? regionColumn(table) : undefined;
  const dbRegions = planner.session.cluster.catalog.databases.get(table.database)?.regions ?? [];
  const key = keyMatched(keys, filters, regionCol);
  const index = key?.index ?? keys.primaryIndex;
  // A lookup through a secondary unique index joins back to the primary index for other columns.
  const indexes = index === undefined ? undefined : new Set([index, ...(keys.primaryIndex === undefined ? [] : [keys.primaryIndex])]);
  const indexRanges = (regions: readonly string[] | undefined): RangeState[] => {
    const found = rangesOf(all, indexes, regions);
    return found.length > 0 || indexes === undefined ? found : rangesOf(all, undefined, regions);
  };
  const global = table.locality?.kind === 'global' ? true : undefined;
  const historical = planner.mode !== 'present';
  const mode = planner.mode;
  const readPath = (path: AccessPathKind): AccessPathKind => (mode !== 'present' ? mode : global === true ? 'global-read' : path);

  if (rbr && regionCol !== undefined) {
    const wantedRegions = knownValues(filters.get(regionCol))?.filter((r) => dbRegions.includes(r));
    if (wantedRegions !== undefined) {
      const ranges = indexRanges(wantedRegions);
      return {
        path: readPath(key ? 'point-lookup' : 'partition-scan'),
        index,
        regions: wantedRegions,
        ranges,
        localityOptimized: undefined,
        latencyMs: latency(planner, ranges, 'read'),
      };
    }
    const keyColumns = key?.columns.filter((c) => c !== regionCol) ?? [];
    const keyCount = keyColumns.reduce((n, c) => n * (filters.get(c)?.length ?? 1), 1);
    if (
      key !== undefined &&
      !historical &&
      keyCount <= LOCALITY_OPTIMIZED_MAX_KEYS &&
      dbRegions.includes(planner.gatewayRegion) &&
      dbRegions.length > 1
    ) {
      // Locality-optimized search: the local partition first; the others, in parallel, only when
      // some requested key is not there.
      const local = indexRanges([planner.gatewayRegion]);
      const columns = keyColumns;
      const values = columns.map((c) => knownValues(filters.get(c)));
      const complete = values.every((v): v is string[] => v !== undefined);
      const foundLocally = complete && (await allFoundIn(planner.session, table, regionCol, columns, values, planner.gatewayRegion));
      const localMs = latency(planner, local, 'read');
      if (foundLocally)
        return {
          path: 'locality-optimized-search',
          index,
          regions: [planner.gatewayRegion],
          ranges: local,
          localityOptimized: { localRegion: planner.gatewayRegion, foundLocally: true, remoteRegions: [] },
          latencyMs: localMs,
        };
      const remoteRegions = dbRegions.filter((r) => r !== planner.gatewayRegion);
      const remote = indexRanges(remoteRegions);
      return {
        path: 'locality-optimized-search',
        index,
        regions: [...dbRegions],
        ranges: [...local, ...remote],
        localityOptimized: { localRegion: planner.gatewayRegion, foundLocally: false, remoteRegions },
        latencyMs: localMs + latency(planner, remote, 'read'),
      };
    }
    const ranges = indexRanges(undefined);
    return {
      path: readPath(key ? 'point-lookup' : 'full-scan'),
      index,
      regions: [...dbRegions],
      ranges,
      localityOptimized: undefined,
      latencyMs: latency(planner, ranges, 'read'),
    };
  }
  const ranges = indexRanges(undefined);
  return {
    path: readPath(key ? 'point-lookup' : 'full-scan'),
    index,
    regions: undefined,
    ranges,
    localityOptimized: undefined,
    latencyMs: latency(planner, ranges, 'read', global),
  };
}

/** The regions the rows an INSERT / UPSERT writes into a REGIONAL BY ROW table live in; undefined: not known. */
function insertedRegions(
  planner: Planner,
  table: TableMeta,
  dbRegions: readonly string[],
  primary: string | undefined,
): string[] | undefined {
  const { columns, rows } = insertedRows(planner.statement.tokens, planner.statement.parameters);
  const regionCol = regionColumn(table);
  // The column's default: default_to_database_primary_region(gateway_region()).
  const fallback = dbRegions.includes(planner.gatewayRegion) ? planner.gatewayRegion : primary;
  const at = columns?.indexOf(regionCol) ?? -1;
  if (at < 0) return fallback === undefined ? undefined : [fallback];
  if (rows === undefined) return undefined;
  const regions = new Set<string>();
  for (const row of rows) {
    const value = row[at];
    if (value?.kind !== 'value' || !dbRegions.includes(value.text)) return undefined;
    regions.add(value.text);
  }
  return [...regions];
}

/**
 * The uniqueness checks a write into a REGIONAL BY ROW table runs: a unique constraint that does
 * not include the region column is enforced by no index (each partition only knows its own rows),
 * so CockroachDB reads the other regions for the new value — unless its value is a fresh
 * gen_random_uuid() (assumed unique), or the region column is computed from the key.
 */
function uniquenessChecks(
  planner: Planner,
  table: TableMeta,
  all: readonly RangeState[],
  keys: TableKeys,
  written: { columns: string[] | undefined; rows: Constant[][] | undefined; update: boolean },
  rowRegions: readonly string[] | undefined,
  dbRegions: readonly string[],
): UniquenessCheck[] {
  const regionCol = regionColumn(table);
  if (keys.computed.has(regionCol)) return [];
  const checks: UniquenessCheck[] = [];
  const others = dbRegions.filter((r) => rowRegions === undefined || rowRegions.length !== 1 || r !== rowRegions[0]);
  for (const unique of keys.uniques) {
    if (unique.columns.includes(regionCol)) continue;
    const randomUuid = unique.columns.some((c) => {
      const at = written.columns?.indexOf(c) ?? -1;
      if (written.update) return false;
      if (written.columns !== undefined && at < 0) return keys.randomUuidDefaults.has(c);
      if (written.rows === undefined || at < 0) return false;
      return written.rows.every((row) => {
        const v = row[at];
        return v?.kind === 'call' && v.name === 'gen_random_uuid';
      });
    });
    if (randomUuid) continue;
    if (written.update && !unique.columns.some((c) => written.columns?.includes(c))) continue;
    const ranges = rangesOf(all, new Set([unique.index]), others);
    checks.push({
      columns: unique.columns,
      index: unique.index,
      regions: others,
      rangeIds: ids(ranges),
      latencyMs: latency(planner, ranges, 'read'),
    });
  }
  return checks;
}

async function planTable(
  planner: Planner,
  table: TableMeta,
  all: RangeState[],
  written: boolean,
  kind: StatementKind,
): Promise<TableAccess> {
  const base = {
    database: table.database,
    table: table.name,
    locality: localityOf(table),
    followerRead: false,
    uniquenessChecks: [] as UniquenessCheck[],
    localityOptimized: undefined,
    lookup: undefined,
  };
  const isDml = kind === 'select' || kind === 'insert' || kind === 'upsert' || kind === 'update' || kind === 'delete';
  const global = table.locality?.kind === 'global';
  if (!isDml) {
    // DDL and whatever else the simulator passes through: the whole table, as a write.
    return { ...base, ...wholeTableWrite(planner, all, undefined, global) };
  }
  const rbr = table.locality?.kind === 'regional-by-row';
  const keys = await tableKeys(planner.session, table);
  const filters = filtersOn(planner, table, whereFilters(planner.statement.tokens, planner.statement.parameters));
  if (!written) {
    const located = await locate(planner, table, all, keys, filters);
    return {
      ...base,
      path: located.path,
      operation: 'read',
      rangeIds: ids(located.ranges),
      regions: located.regions ?? regionsOf(planner, located.ranges),
      partitions: rbr ? (located.regions ?? []) : partitionsOf(located.ranges),
      index: located.index,
      localityOptimized: located.localityOptimized,
      followerRead: located.path === 'follower-read' || located.path === 'bounded-staleness',
      latencyMs: located.latencyMs,
    };
  }
  const dbRegions = planner.session.cluster.catalog.databases.get(table.database)?.regions ?? [];
  const primaryRegion = planner.session.cluster.catalog.databases.get(table.database)?.primaryRegion;
  if (kind === 'insert' || kind === 'upsert') {
    if (!rbr) {
      return { ...base, ...wholeTableWrite(planner, all, keys.primaryIndex, global) };
    }
    const regions = insertedRegions(planner, table, dbRegions, primaryRegion);
    const ranges = rangesOf(all, undefined, regions);
    const { columns, rows } = insertedRows(planner.statement.tokens, planner.statement.parameters);
    const checks = uniquenessChecks(planner, table, all, keys, { columns, rows, update: false }, regions, dbRegions);
    const writeMs = latency(planner, ranges, 'write');
    return {
      ...base,
      path: 'write',
      operation: 'write',
      rangeIds: [...new Set([...ids(ranges), ...checks.flatMap((c) => c.rangeIds)])],
      regions: regions ?? [...dbRegions],
      partitions: regions ?? [...dbRegions],
      index: keys.primaryIndex,
      uniquenessChecks: checks,
      // The checks read after the rows are written, before the statement commits.
      latencyMs: writeMs + Math.max(0, ...checks.map((c) => c.latencyMs)),
    };
  }
  // UPDATE / DELETE: find the rows, then write them where they live.
  const located = await locate({ ...planner, mode: 'present' }, table, all, keys, filters);
  const ranges = rbr ? rangesOf(all, undefined, located.regions) : all;
  const checks =
    rbr && kind === 'update'
      ? uniquenessChecks(
          planner,
          table,
          all,
          keys,
          { columns: updatedColumns(planner.statement.tokens), rows: undefined, update: true },
          located.regions,
          dbRegions,
        )
      : [];
  // A search that had to leave the gateway's region costs its round trips before the write.
  const searchMs = located.localityOptimized !== undefined && !located.localityOptimized.foundLocally ? located.latencyMs : 0;
  return {
    ...base,
    path: 'write',
    lookup: located.path,
    operation: 'write',
    rangeIds: [...new Set([...ids(ranges), ...ids(located.ranges), ...checks.flatMap((c) => c.rangeIds)])],
    regions: located.regions ?? regionsOf(planner, ranges),
    partitions: rbr ? (located.regions ?? [...dbRegions]) : partitionsOf(ranges),
    index: located.index,
    localityOptimized: located.localityOptimized,
    uniquenessChecks: checks,
    latencyMs: searchMs + latency(planner, ranges, 'write', global) + Math.max(0, ...checks.map((c) => c.latencyMs)),
  };
}

function partitionsOf(ranges: readonly RangeState[]): string[] {
  return [...new Set(ranges.flatMap((r) => (r.partition === undefined ? [] : [r.partition])))];
}

/** The regions of the leaseholders (present-time reads and writes) of `ranges`. */
function regionsOf(planner: Planner, ranges: readonly RangeState[]): string[] {
  const model = planner.session.cluster.model;
  const regions = new Set<string>();
  for (const r of ranges) {
    const holder = r.leaseholder === undefined ? undefined : model.node(r.leaseholder);
    if (holder) regions.add(holder.locality.region);
  }
  return [...regions];
}

/** The access path of each table `statement` names, from `session`'s gateway. */
export async function planAccess(session: SqlSession, statement: StatementShape): Promise<StatementAccess> {
  const model = session.cluster.model;
  const kind = effectiveKind(statement);
  const named: { table: TableMeta; parts: readonly string[] }[] = [];
  for (const parts of statement.tables) {
    const table = lookupTable(session, parts);
    if (table && !named.some((n) => n.table === table)) named.push({ table, parts });
  }
  if (named.length === 0) return { tables: [], rangeIds: [], latencyMs: 0 };
  const planner: Planner = {
    session,
    gatewayRegion: model.node(session.nodeId)?.locality.region ?? '',
    mode: kind === 'select' ? readMode(session, statement) : 'present',
    statement,
    singleTable: named.length === 1,
  };
  const writes = kind === 'insert' || kind === 'upsert' || kind === 'update' || kind === 'delete';
  const target = writes ? (statement.target ? lookupTable(session, statement.target) : named[0]?.table) : undefined;
  const tables: TableAccess[] = [];
  for (const { table } of named) {
    const all = model.ranges().filter((r) => r.database === table.database && r.table === table.name);
    if (all.length === 0) continue;
    tables.push(await planTable(planner, table, all, table === target, table === target || !writes ? kind : 'select'));
  }
  const rangeIds = [...new Set(tables.flatMap((t) => t.rangeIds))];
  return { tables, rangeIds, latencyMs: Math.max(0, ...tables.map((t) => t.latencyMs)) };
}
