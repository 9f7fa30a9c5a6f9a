// The simulated cluster: one engine holding the data, a catalog of what CockroachDB knows beyond
// PostgreSQL, and the placement model of nodes, ranges and leases. Sessions run statements
// against it; the wire server, the CLI and the extension all drive it through this class.
import type { PGlite } from '@electric-sql/pglite';
import { CRDB_VERSION } from './engine/bootstrap';
import { openEngine } from './engine/engine';
import { ClusterModel, type ClusterEvent, type SpanInput } from './model/cluster';
import { SimClock } from './model/clock';
import type { NodeLocality } from '../../sql/src/locality';
import { quoteIdent } from '../../sql/src/names';
import { demoLocalities } from './model/topology';
import { Catalog, type TableMeta } from './sql/catalog';
import type { ClusterContext, SqlSession } from './sql/context';
import { EngineLock } from './sql/lock';
import { decodeEngineOutput } from './sql/result';
import { Session, type SessionOptions } from './sql/session';
import { computeSpans, TableMeasurements } from './sql/spans';
import { isPrivileged, knownUsers } from './sql/users';
import { queryMessage } from './wire/messages';

export interface SimulatorOptions {
  /** Number of nodes (default 9 with `global`, else 1, like `cockroach demo`). */
  nodes?: number;
  /** Three regions with demo's latencies, like `cockroach demo --global`. */
  global?: boolean;
  /** Explicit localities, instead of demo's. */
  localities?: NodeLocality[];
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

export class Simulator implements ClusterContext {
  readonly catalog = new Catalog();
  readonly clock: SimClock;
  readonly model: ClusterModel;
  private readonly lock: EngineLock;
  private activeSession: SqlSession | undefined;
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

  acquire(session: SqlSession): Promise<void> {
    return this.lock.acquire(session);
  }

  release(session: SqlSession): void {
    this.lock.release(session);
  }

  /** Sends a message to the engine as `session` (which must hold the lock). */
  async engineQuery(session: SqlSession, message: Uint8Array): Promise<Uint8Array> {
    if (this.activeSession !== session) {
      this.activeSession = session;
      await this.engine.execProtocolRaw(queryMessage(`RESET ALL;\n${session.engineSetup()}`));
    }
    return this.asUser(session, message);
  }

  /**
   * Runs a session's message with its user's privileges: a user who is neither root nor a member
   * of admin runs as its own engine role, and the engine is the superuser again before anything
   * else (the simulator's own introspection) uses it.
   */
  private async asUser(session: SqlSession, message: Uint8Array): Promise<Uint8Array> {
    if (isPrivileged(await knownUsers(this.catalog, this.engine), session.user)) return this.engine.execProtocolRaw(message);
    const become = await this.engine.execProtocolRaw(queryMessage(`SET SESSION AUTHORIZATION ${quoteIdent(session.user)}`));
    // In an aborted transaction the SET is refused as well; only COMMIT or ROLLBACK run there.
    const refused = decodeEngineOutput('', become).results.find((r) => r.error)?.error;
    if (refused && refused.code !== '25P02') return become;
    try {
      return await this.engine.execProtocolRaw(message);
    } finally {
      // By name: PGlite's single-user engine keeps no login user for RESET to return to.
      await this.engine.execProtocolRaw(queryMessage('SET SESSION AUTHORIZATION postgres'));
    }
  }

  /** Re-applies a session's settings (after USE). */
  async applySession(session: SqlSession): Promise<void> {
    if (this.activeSession === session) await this.engine.execProtocolRaw(queryMessage(session.engineSetup()));
  }

  sqlAddress(nodeId: number): string | undefined {
    return this.addresses.get(nodeId);
  }

  nodeAdded(nodeId: number): void {
    this.topologyChanged();
    this.onNodeAdded?.(nodeId);
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
}
