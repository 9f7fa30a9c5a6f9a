// The simulated cluster: one engine holding the data, a catalog of what CockroachDB knows beyond
// PostgreSQL, and the placement model of nodes, ranges and leases. Sessions run statements
// against it; the wire server, the CLI and the extension all drive it through this class.
import type { PGlite } from '@electric-sql/pglite';
import type * as ast from '../../sql/src/ast';
import { CRDB_VERSION } from './engine/bootstrap';
import { openEngine } from './engine/engine';
import { ClusterModel, type ClusterEvent, type SpanInput } from './model/cluster';
import { SimClock } from './model/clock';
import { demoLocalities, type Locality } from './model/topology';
import { CLUSTER_SETTING_DEFAULTS } from './sql/clusterSettings';
import { Catalog, tableKey, type TableLocalityMeta, type TableMeta } from './sql/catalog';
import { SqlError, SQLSTATE } from './sql/errors';
import { EngineLock } from './sql/lock';
import { emptyResult, type QueryResult } from './sql/result';
import { Session, type SessionOptions } from './sql/session';
import { computeSpans, TableMeasurements } from './sql/spans';
import type { TableTranslation } from './sql/translate';
import { OID, queryMessage } from './wire/messages';
import { isWord, tokensOf } from './sql/rewrite';
import { fillCrdbInternal } from './sql/crdbInternal';

export interface SimulatorOptions {
  /** Number of nodes (default 9 with `global`, else 1, like `cockroach demo`). */
  nodes?: number;
  /** Three regions with demo's latencies, like `cockroach demo --global`. */
  global?: boolean;
  /** Explicit localities, instead of demo's. */
  localities?: Locality[];
  seed?: number;
  cacheDir?: string;
  /**
   * 'real': simulated time follows the wall clock (the demo server: failover takes seconds, as
   * on a real cluster). 'virtual': time moves only when the simulator moves it (lessons, tests).
   */
  time?: 'real' | 'virtual';
  /** A waiting session gives up after this long with a retryable error (default 5 s). */
  lockWaitMs?: number;
  /** The range size that splits, for lessons where splits should be visible (default 512 MiB). */
  rangeMaxBytes?: number;
  /**
   * Re-measures every table whenever the spans are refreshed, as the simulator did before it kept
   * measurements per table: only the bench's baseline sets it.
   */
  measureEveryTable?: boolean;
}

export class Simulator {
  readonly catalog = new Catalog();
  readonly clock: SimClock;
  readonly model: ClusterModel;
  private readonly lock: EngineLock;
  private activeSession: Session | undefined;
  /** Tables, indexes, localities or zone configurations changed: the ranges must be laid out again. */
  private layoutStale = true;
  /** Data changed: range sizes (and so splits) are out of date, which only introspection shows. */
  private sizesStale = true;
  /** Each table's sizes and rows per region, measured again only after a statement changes it. */
  readonly measurements = new TableMeasurements();
  private readonly measureEveryTable: boolean;
  private timer: NodeJS.Timeout | undefined;
  private readonly started = Date.now();
  readonly sessions = new Set<Session>();
  /** Each node's SQL address, set by the wire server that listens for it. */
  readonly addresses = new Map<number, string>();
  /** Called when a node joins (\demo add), so a wire server can listen for it. */
  onNodeAdded: ((nodeId: number) => void) | undefined;
  readonly rangeMaxBytes: number | undefined;
  readonly time: 'real' | 'virtual';

  private constructor(
    readonly engine: PGlite,
    options: SimulatorOptions,
  ) {
    this.clock = new SimClock();
    const localities =
      options.localities ??
      demoLocalities({ ...(options.nodes !== undefined ? { nodes: options.nodes } : {}), global: options.global ?? false });
    this.model = new ClusterModel({ localities, seed: options.seed ?? 1, clock: this.clock });
    this.lock = new EngineLock(options.lockWaitMs ?? 5000);
    this.rangeMaxBytes = options.rangeMaxBytes;
    this.time = options.time ?? 'virtual';
    this.measureEveryTable = options.measureEveryTable ?? false;
    this.catalog.clusterSettings.set('version', CRDB_VERSION.replace(/^v(\d+\.\d+).*/, '$1'));
    if (this.time === 'real') {
      const origin = performance.now();
      this.timer = setInterval(() => {
        this.model.advanceTo(performance.now() - origin);
      }, 100);
      this.timer.unref();
    }
  }

  static async start(options: SimulatorOptions = {}): Promise<Simulator> {
    const engine = await openEngine(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {});
    return new Simulator(engine, options);
  }

  /** Wall-clock time when the simulator started (for started_at columns). */
  get startedAt(): number {
    return this.started;
  }

  openSession(options: SessionOptions = {}): Session {
    const session = new Session(this, options);
    this.sessions.add(session);
    return session;
  }

  async closeSession(session: Session): Promise<void> {
    await session.close();
    this.sessions.delete(session);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.engine.close();
  }

  on(listener: (event: ClusterEvent) => void): () => void {
    return this.model.on(listener);
  }

  // ---- the engine, shared by sessions ------------------------------------------------------

  acquire(session: Session): Promise<void> {
    return this.lock.acquire(session);
  }

  release(session: Session): void {
    this.lock.release(session);
  }

  /** Sends a message to the engine as `session` (which must hold the lock). */
  async engineQuery(session: Session, message: Uint8Array): Promise<Uint8Array> {
    if (this.activeSession !== session) {
      this.activeSession = session;
      await this.engine.execProtocolRaw(queryMessage(`RESET ALL;\n${session.engineSetup()}`));
    }
    return this.engine.execProtocolRaw(message);
  }

  /** Re-applies a session's settings (after USE). */
  async applySession(session: Session): Promise<void> {
    if (this.activeSession === session) await this.engine.execProtocolRaw(queryMessage(session.engineSetup()));
  }

  sqlAddress(nodeId: number): string | undefined {
    return this.addresses.get(nodeId);
  }

  nodeAdded(nodeId: number): void {
    this.topologyChanged();
    this.onNodeAdded?.(nodeId);
  }

  // ---- names ----------------------------------------------------------------------------------

  /** The database a (possibly qualified) table name lives in. */
  databaseOf(session: Session, name: ast.QualifiedName): string {
    return this.databaseOfParts(
      session,
      name.parts.map((p) => p.value),
    );
  }

  /** `d.public.t` and `d.t` (d a database) name a database; `t` and `public.t` the session's. */
  databaseOfParts(session: Session, parts: readonly string[]): string {
    const first = parts[0];
    if (parts.length === 3 && first !== undefined) return first;
    if (parts.length === 2 && first !== undefined && first !== 'public' && this.catalog.databases.has(first)) return first;
    return session.database;
  }

  resolveTable(session: Session, name: ast.QualifiedName): TableMeta | undefined {
    return this.catalog.table(this.databaseOf(session, name), name.name.value);
  }

  /** The table an UPSERT / INSERT writes to. */
  tableNamedIn(session: Session, text: string): TableMeta | undefined {
    const tokens = tokensOf(text);
    const into = tokens.findIndex((t) => isWord(t, 'into'));
    const parts: string[] = [];
    for (let i = into + 1; i < tokens.length; i += 2) {
      const t = tokens[i];
      if (t?.kind !== 'ident' && t?.kind !== 'qident') break;
      parts.push(t.value);
      if (!(tokens[i + 1]?.kind === 'punct' && tokens[i + 1]?.value === '.')) break;
    }
    const name = parts[parts.length - 1];
    if (!name) return undefined;
    return this.catalog.table(this.databaseOfParts(session, parts), name);
  }

  async tableColumns(table: TableMeta): Promise<{ primaryKey: string[]; columns: string[] }> {
    const result = await this.engine.query<{ attname: string; pk: boolean }>(
      `SELECT a.attname, coalesce(a.attnum = ANY (i.indkey), false) AS pk
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
        WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        ORDER BY a.attnum`,
      [table.database, table.name],
    );
    return { primaryKey: result.rows.filter((r) => r.pk).map((r) => r.attname), columns: result.rows.map((r) => r.attname) };
  }

  async newestIndexName(table: TableMeta): Promise<string | undefined> {
    const result = await this.engine.query<{ relname: string }>(
      `SELECT ic.relname FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 ORDER BY ic.oid DESC LIMIT 1`,
      [table.database, table.name],
    );
    return result.rows[0]?.relname;
  }

  async registerTable(
    database: string,
    statement: ast.CreateTable,
    locality: TableLocalityMeta | undefined,
    translated: TableTranslation,
  ): Promise<void> {
    const table = this.catalog.addTable(database, statement.name.name.value);
    if (locality) table.locality = locality;
    for (const column of translated.hidden) table.hidden.add(column);
    table.indexes.set(`${table.name}_pkey`, { name: `${table.name}_pkey`, id: 1 });
    const indexes = await this.engine.query<{ relname: string; primary: boolean }>(
      `SELECT ic.relname, i.indisprimary AS primary FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 ORDER BY ic.oid`,
      [database, table.name],
    );
    for (const index of indexes.rows) {
      if (index.primary) continue;
      const sharded = translated.hashSharded.find((h) => h.index === index.relname);
      table.indexes.set(index.relname, {
        name: index.relname,
        id: table.nextIndexId++,
        ...(sharded ? { hashBuckets: sharded.buckets } : {}),
      });
    }
    const primarySharding = translated.hashSharded.find((h) => h.index === undefined);
    const primary = table.indexes.get(`${table.name}_pkey`);
    if (primarySharding && primary) primary.hashBuckets = primarySharding.buckets;
    if (statement.partitionBy && statement.partitionBy.method === 'list') {
      table.partitions = {
        column: statement.partitionBy.columns[0]?.value ?? '',
        names: statement.partitionBy.partitions.map((p) => p.value),
      };
    }
    this.topologyChanged();
  }

  renameTable(table: TableMeta, to: string): void {
    this.catalog.tables.delete(tableKey(table.database, table.name));
    table.name = to;
    this.catalog.tables.set(tableKey(table.database, to), table);
  }

  forgetDroppedTables(text: string, session: Session): void {
    const tokens = tokensOf(text);
    let i = tokens.findIndex((t) => isWord(t, 'table')) + 1;
    if (isWord(tokens[i], 'if') && isWord(tokens[i + 1], 'exists')) i += 2;
    while (i < tokens.length) {
      const parts: string[] = [];
      while (tokens[i]?.kind === 'ident' || tokens[i]?.kind === 'qident') {
        parts.push(tokens[i]?.value ?? '');
        if (!(tokens[i + 1]?.kind === 'punct' && tokens[i + 1]?.value === '.')) break;
        i += 2;
      }
      const name = parts[parts.length - 1];
      if (name) {
        this.catalog.dropTable(this.databaseOfParts(session, parts), name);
      }
      i++;
      if (!(tokens[i]?.kind === 'punct' && tokens[i]?.value === ',')) break;
      i++;
    }
  }

  // ---- results ---------------------------------------------------------------------------------

  /**
   * CockroachDB hides rowid, crdb_region and NOT VISIBLE columns from `SELECT *`: drop such a
   * column from a result unless the statement names it.
   */
  hideColumns(result: QueryResult, statement: string): void {
    // An integer expression is INT8 in CockroachDB (PostgreSQL makes `1` an int4); the text is the same.
    for (const field of result.fields) if (field.typeOid === OID.int4 && (field.tableOid ?? 0) === 0) field.typeOid = OID.int8;
    if (result.fields.length === 0 || !result.fields.some((f) => (f.tableOid ?? 0) !== 0)) return;
    const hiddenNames = new Set<string>();
    for (const table of this.catalog.tables.values()) for (const column of table.hidden) hiddenNames.add(column);
    if (!result.fields.some((f) => hiddenNames.has(f.name))) return;
    const named = new Set(
      tokensOf(statement)
        .filter((t) => t.kind === 'ident' || t.kind === 'qident')
        .map((t) => t.value),
    );
    const drop = result.fields.map((f) => (f.tableOid ?? 0) !== 0 && hiddenNames.has(f.name) && !named.has(f.name));
    if (!drop.includes(true)) return;
    result.fields = result.fields.filter((_, i) => !drop[i]);
    result.rows = result.rows.map((row) => row.filter((_, i) => !drop[i]));
  }

  // ---- cluster settings ---------------------------------------------------------------------

  setClusterSetting(statement: string, name: string, value: string): QueryResult {
    const key = name.toLowerCase();
    if (key === 'version') throw new SqlError(SQLSTATE.invalidParameterValue, 'cannot change the version of the simulated cluster');
    if (!CLUSTER_SETTING_DEFAULTS.has(key)) throw new SqlError('42P02', `unknown cluster setting '${key}'`);
    if (key === 'server.time_until_store_dead') {
      const ms = parseDuration(value);
      if (ms === undefined) throw new SqlError(SQLSTATE.invalidParameterValue, `invalid duration: "${value}"`);
      if (ms < 75_000)
        throw new SqlError(SQLSTATE.invalidParameterValue, `cannot set server.time_until_store_dead to less than 1m15s: ${value}`);
      this.model.settings.timeUntilStoreDeadMs = ms;
    }
    this.catalog.clusterSettings.set(key, value);
    return emptyResult(statement, 'SET CLUSTER SETTING');
  }

  // ---- topology ----------------------------------------------------------------------------------

  /** Marks the layout (tables, indexes, localities, zones, nodes) as changed. */
  topologyChanged(): void {
    this.layoutStale = true;
  }

  /**
   * Marks tables whose data or indexes a statement changed: they, and only they, are measured
   * again before introspection shows sizes. 'all' when the statement could have touched any.
   */
  dataChanged(tables: Iterable<TableMeta> | 'all'): void {
    this.sizesStale = true;
    if (tables === 'all') this.measurements.forgetAll();
    else for (const table of tables) this.measurements.forget(table);
  }

  /**
   * The catalog tables a statement names (its translation's list, which holds a write's
   * targets), or 'all' when a name is not one (a function, a view, a CTE): what such a
   * statement writes is not known.
   */
  tablesNamed(session: Session, names: readonly string[]): TableMeta[] | 'all' {
    const tables: TableMeta[] = [];
    for (const written of names) {
      const parts = written.split('.');
      const table = this.catalog.table(this.databaseOfParts(session, parts), parts[parts.length - 1] ?? '');
      if (!table) return 'all';
      tables.push(table);
    }
    return tables;
  }

  /**
   * Brings the model's spans up to date with the engine's tables and, for introspection, their
   * sizes. Measuring a table costs a scan of it, so only tables never measured or changed since
   * are measured; statements that only need to know which ranges a table has (availability,
   * latency) wait for sizes only when the layout changed too.
   */
  async refreshSpans(options: { sizes: boolean } = { sizes: true }): Promise<void> {
    if (!this.layoutStale && !(options.sizes && this.sizesStale)) return;
    this.layoutStale = false;
    this.sizesStale = false;
    if (this.measureEveryTable) this.measurements.forgetAll();
    const spans: SpanInput[] = await computeSpans(this, this.measurements);
    this.model.setSpans(spans);
  }

  async fillCrdbInternal(): Promise<void> {
    await this.refreshSpans();
    await fillCrdbInternal(this);
  }

  /**
   * Before a statement touches tables: their ranges must be available. While a failover is under
   * way the statement waits for it (in simulated time); a range that lost quorum fails it.
   * Returns the statement's simulated latency.
   */
  async checkRanges(session: Session, tables: readonly string[], kind: 'read' | 'write'): Promise<number> {
    if (tables.length === 0) return 0;
    await this.refreshSpans({ sizes: false });
    const rangeIds: number[] = [];
    let global = false;
    for (const written of tables) {
      const parts = written.split('.');
      const name = parts[parts.length - 1] ?? '';
      const table = this.catalog.table(this.databaseOfParts(session, parts), name);
      if (!table) continue;
      if (table.locality?.kind === 'global') global = true;
      for (const range of this.model.ranges())
        if (range.database === table.database && range.table === table.name) rangeIds.push(range.rangeId);
    }
    if (rangeIds.length === 0) return 0;
    let waited = 0;
    for (let attempt = 0; attempt < 3; attempt++) {
      const check = this.model.checkAvailable(rangeIds);
      if (check.ok) break;
      if (check.availableAt === undefined) throw new SqlError(SQLSTATE.rangeUnavailable, check.message);
      const wait = Math.max(0, check.availableAt - this.clock.now());
      if (this.time === 'virtual') this.model.advanceTo(check.availableAt);
      else await new Promise((resolve) => setTimeout(resolve, Math.min(wait + 50, 10_000)));
      waited += wait;
    }
    const final = this.model.checkAvailable(rangeIds);
    if (!final.ok) throw new SqlError(SQLSTATE.rangeUnavailable, final.message);
    return waited + this.model.latencyMs(session.nodeId, rangeIds, kind, { globalReads: global });
  }
}

/** CockroachDB duration strings: '1m15s', '90s', '5m0s', '00:01:30', or a bare number of seconds. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().replace(/^'|'$/g, '');
  const clock = /^(\d+):(\d{2}):(\d{2})$/.exec(trimmed);
  if (clock) return ((Number(clock[1]) * 60 + Number(clock[2])) * 60 + Number(clock[3])) * 1000;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  let matched = false;
  for (const part of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    total += Number(part[1]) * (units[part[2] ?? 's'] ?? 1000);
    matched = true;
  }
  if (matched) return total;
  return /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : undefined;
}
