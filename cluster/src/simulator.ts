// The simulated cluster: one engine holding the data, a catalog of what CockroachDB knows beyond
// PostgreSQL, and the placement model of nodes, ranges and leases. Sessions run statements
// against it; the wire server, the CLI and the extension all drive it through this class.
import type { PGlite } from '@electric-sql/pglite';
import { CRDB_VERSION } from './engine/bootstrap';
import { openEngine } from './engine/engine';
import { METADATA_FORMAT, readMetadata, writeMetadataSql, type SavedCluster } from './engine/metadata';
import { ClusterModel, type ClusterEvent, type SpanInput } from './model/cluster';
import { SimClock } from './model/clock';
import type { NodeLocality } from '../../sql/src/locality';
import { quoteIdent } from '../../sql/src/names';
import { demoLocalities } from './model/topology';
import { Lab } from './lab/lab';
import { LAB_PROGRAMS } from './lab/programs';
import { runShellStatement } from './lab/statement';
import { Catalog, restoreCatalog, saveCatalog, type SavedCatalog, type TableMeta } from './sql/catalog';
import type { ClusterContext, SqlSession } from './sql/context';
import { EngineLock, type LockHolder } from './sql/lock';
import { decodeEngineOutput, type QueryResult } from './sql/result';
import { Session, type SessionOptions } from './sql/session';
import { computeSpans, TableMeasurements } from './sql/spans';
import { isPrivileged } from './sql/users';
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
   * A directory that keeps the data, schema and cluster model across restarts (created when
   * missing; an existing one is reopened with the topology it had). Without it, in memory.
   */
  store?: string;
  /**
   * 'real': simulated time follows the wall clock (the demo server: failover takes seconds, as
   * on a real cluster). 'virtual': time moves only when the simulator moves it (lessons, tests).
   */
  time?: 'real' | 'virtual';
  /** A waiting session gives up after this long with a retryable error (default 5 s). */
  lockWaitMs?: number;
  /**
   * A session that has held the engine this long while others wait has its transaction aborted
   * (default 10 s), so one idle transaction cannot block the cluster.
   */
  lockHoldMs?: number;
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
  /** The engine's session authorization between statements; undefined when not known. */
  private engineRole: string | undefined = 'postgres';
  /** Whether the engine is inside a transaction block (as its last ReadyForQuery said). */
  private inEngineTransaction = false;
  /** A role was set inside the open engine transaction (its ROLLBACK would undo it). */
  private roleSetInTransaction = false;
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
  /** The terminal that lessons' shell blocks and `\!` statements run in (lab/lab.ts). */
  readonly lab: Lab = new Lab(this, LAB_PROGRAMS);
  /** Called when a node joins (\demo add), so a wire server can listen for it. */
  onNodeAdded: ((nodeId: number) => void) | undefined;
  readonly rangeMaxBytes: number | undefined;
  readonly time: 'real' | 'virtual';
  /** The store directory, when the cluster keeps its data (see SimulatorOptions.store). */
  readonly store: string | undefined;
  private readonly seed: number;
  /** The metadata last committed to the store, as written. */
  private savedState: string | undefined;
  /** Holds the engine while the simulator writes the metadata itself (after a control, on close). */
  private readonly writer = {
    preempt: (): void => undefined,
  };

  private constructor(
    readonly engine: PGlite,
    options: SimulatorOptions,
    saved: SavedCluster | undefined,
  ) {
    this.clock = new SimClock();
    const localities =
      saved?.nodes.map((n) => n.locality) ??
      options.localities ??
      demoLocalities({ ...(options.nodes !== undefined ? { nodes: options.nodes } : {}), global: options.global ?? false });
    this.seed = saved?.seed ?? options.seed ?? 1;
    this.store = options.store;
    this.model = new ClusterModel({ localities, seed: this.seed, clock: this.clock });
    // Nodes come back as a restarted demo's do, all running; membership is kept.
    saved?.nodes.forEach((node, i) => {
      if (node.membership !== 'active') this.model.decommissionNode(this.model.nodes()[i]?.id ?? 0);
    });
    this.lock = new EngineLock({ waitMs: options.lockWaitMs ?? 5000, holdMs: options.lockHoldMs ?? 10_000 });
    this.rangeMaxBytes = options.rangeMaxBytes;
    this.time = options.time ?? 'virtual';
    this.measureEveryTable = options.measureEveryTable ?? false;
    if (saved) restoreCatalog(this.catalog, saved.catalog);
    else this.catalog.clusterSettings.set('version', CRDB_VERSION.replace(/^v(\d+\.\d+).*/, '$1'));
    if (this.time === 'real') {
      const origin = performance.now();
      this.timer = setInterval(() => {
        this.model.advanceTo(performance.now() - origin);
      }, 100);
      this.timer.unref();
    }
  }

  static async start(options: SimulatorOptions = {}): Promise<Simulator> {
    const engine = await openEngine({
      ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
      ...(options.store !== undefined ? { storeDir: options.store } : {}),
    });
    if (options.store === undefined) return new Simulator(engine, options, undefined);
    try {
      const saved = await readMetadata(engine);
      const simulator = new Simulator(engine, options, saved);
      // A new store records the topology it was started with at once.
      await simulator.persist();
      return simulator;
    } catch (error) {
      await engine.close();
      throw error;
    }
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
    await this.persist().catch(() => undefined);
    await this.engine.close();
  }

  // ---- the store ------------------------------------------------------------------------------

  /** What the store keeps beyond the engine's tables, serialized. */
  private metadata(): string {
    const saved: SavedCluster = {
      format: METADATA_FORMAT,
      seed: this.seed,
      nodes: this.model.nodes().map((n) => ({
        locality: n.locality,
        membership: n.liveness === 'decommissioning' || n.liveness === 'decommissioned' ? n.liveness : 'active',
      })),
      catalog: saveCatalog(this.catalog),
    };
    return JSON.stringify(saved);
  }

  async saveMetadata(options: { inTransaction: boolean } = { inTransaction: false }): Promise<void> {
    if (this.store === undefined) return;
    const state = this.metadata();
    if (state === this.savedState) return;
    await this.engine.exec(writeMetadataSql(state));
    // Inside a transaction it counts once the COMMIT succeeds; until then it is written again after.
    if (!options.inTransaction) this.savedState = state;
  }

  /**
   * A catalog-changing statement outside a transaction runs in one engine transaction with the
   * catalog's snapshot: if it fails anywhere, the engine rolls back and the catalog is put back, so
   * no later statement sees half of it. With a store, its record commits in the same transaction.
   */
  async durably(session: SqlSession, run: () => Promise<QueryResult>, onlyAddsTables = false): Promise<QueryResult> {
    // A statement that only adds tables is undone by removing them (see Catalog.startAdditions);
    // any other keeps a copy of the catalog to put back.
    const before = onlyAddsTables ? 'additions' : structuredClone(saveCatalog(this.catalog));
    if (before === 'additions') this.catalog.startAdditions();
    try {
      return await this.durablyFrom(session, run, before);
    } finally {
      this.catalog.stopAdditions();
    }
  }

  private async durablyFrom(
    session: SqlSession,
    run: () => Promise<QueryResult>,
    before: SavedCatalog | 'additions',
  ): Promise<QueryResult> {
    await this.engineQuery(session, queryMessage('BEGIN'));
    let result: QueryResult;
    try {
      result = await run();
      if (result.error) {
        await this.abandon(before);
        return result;
      }
      if (this.store === undefined) {
        await this.engine.exec('COMMIT');
        return result;
      }
      const state = this.metadata();
      await this.engine.exec(`${writeMetadataSql(state)};\nCOMMIT`);
      this.savedState = state;
      return result;
    } catch (error) {
      await this.abandon(before);
      throw error;
    }
  }

  /** A catalog-changing statement failed: its engine transaction and whatever it changed in the catalog are undone. */
  private async abandon(before: SavedCatalog | 'additions'): Promise<void> {
    await this.engine.exec('ROLLBACK').catch(() => undefined);
    // The rollback restores the session's role as the transaction began (the user's): the simulator's own again.
    await this.engine.exec('SET SESSION AUTHORIZATION postgres').catch(() => undefined);
    this.engineRole = 'postgres';
    this.inEngineTransaction = false;
    this.roleSetInTransaction = false;
    const nextId = this.catalog.peekId();
    if (before === 'additions') this.catalog.undoAdditions();
    else restoreCatalog(this.catalog, before);
    this.catalog.resetId(nextId);
    this.measurements.forgetAll();
    this.topologyChanged();
  }

  /**
   * Records the metadata when no session is in the middle of a statement (after a control from the
   * editor, on close). Behind a long transaction it gives up: the next statement records it.
   */
  async persist(): Promise<void> {
    if (this.store === undefined) return;
    await this.lock.acquire(this.writer);
    try {
      await this.saveMetadata();
    } finally {
      this.lock.release(this.writer);
    }
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

  abandonWait(session: SqlSession, reason: Error): void {
    this.lock.cancel(session, reason);
  }

  /** Whether `session` is queued for the engine (behind another session's transaction). */
  waitsForEngine(session: SqlSession): boolean {
    return this.lock.waiting(session);
  }

  /** Sends a message to the engine as `session`, which must hold the lock: no other session's statement runs in its transaction. */
  async engineQuery(session: SqlSession, message: Uint8Array): Promise<Uint8Array> {
    if (this.lock.holder !== session) throw new Error('a session that does not hold the engine tried to use it');
    if (this.activeSession !== session) {
      this.activeSession = session;
      await this.engine.execProtocolRaw(queryMessage(`RESET ALL;\n${session.engineSetup()}`));
      // RESET ALL may have reset the role as well.
      this.engineRole = undefined;
    }
    return this.asUser(session, message);
  }

  /**
   * Runs a session's message as its user's engine role, so current_user and session_user are the
   * user and PostgreSQL checks the privileges it enforces (root and admin's members are engine
   * superusers: see users.ts). While the simulator runs work whose CockroachDB privileges it
   * checked itself (session.systemWork), the engine stays its own superuser. The engine is the
   * superuser again before anything else (the simulator's own introspection) uses it.
   */
  private async asUser(session: SqlSession, message: Uint8Array): Promise<Uint8Array> {
    const role = session.systemWork ? 'postgres' : session.user;
    // The engine's superusers (root, admin's members, the simulator's own role) may stay the
    // engine's role after their statement: the simulator's own queries run as a superuser either
    // way. Switching only when the role changes saves two engine round trips a statement.
    if (role === 'postgres' || isPrivileged(this.catalog.users, role)) {
      if (this.engineRole !== role) {
        const become = await this.engine.execProtocolRaw(queryMessage(`SET SESSION AUTHORIZATION ${quoteIdent(role)}`));
        const refused = decodeEngineOutput('', become).results.find((r) => r.error)?.error;
        if (refused && refused.code !== '25P02') return become;
        this.engineRole = refused ? undefined : role;
        if (this.inEngineTransaction) this.roleSetInTransaction = true;
      }
      return this.track(await this.engine.execProtocolRaw(message));
    }
    const become = await this.engine.execProtocolRaw(queryMessage(`SET SESSION AUTHORIZATION ${quoteIdent(role)}`));
    // In an aborted transaction the SET is refused as well; only COMMIT or ROLLBACK run there.
    const refused = decodeEngineOutput('', become).results.find((r) => r.error)?.error;
    if (refused && refused.code !== '25P02') return become;
    try {
      return this.track(await this.engine.execProtocolRaw(message));
    } finally {
      // By name: PGlite's single-user engine keeps no login user for RESET to return to.
      await this.engine.execProtocolRaw(queryMessage('SET SESSION AUTHORIZATION postgres'));
      this.engineRole = this.inEngineTransaction ? undefined : 'postgres';
    }
  }

  /**
   * Follows the engine's transaction status from a message's last ReadyForQuery. A role set
   * inside a transaction is undone by its ROLLBACK: once it ends, the role is not known.
   */
  private track(output: Uint8Array): Uint8Array {
    const n = output.length;
    if (n >= 6 && output[n - 6] === 0x5a) {
      const inTransaction = output[n - 1] !== 0x49; // 'I'
      if (this.inEngineTransaction && !inTransaction && this.roleSetInTransaction) this.engineRole = undefined;
      if (!inTransaction) this.roleSetInTransaction = false;
      this.inEngineTransaction = inTransaction;
    }
    return output;
  }

  /** Re-applies a session's settings (after USE). */
  async applySession(session: SqlSession): Promise<void> {
    if (this.activeSession === session && this.lock.holder === session)
      await this.engine.execProtocolRaw(queryMessage(session.engineSetup()));
  }

  sqlAddress(nodeId: number): string | undefined {
    return this.addresses.get(nodeId);
  }

  /** A `\!` statement: the command runs in the cluster's lab, its output comes back as rows. */
  runShell(_session: SqlSession, statement: string): Promise<QueryResult> {
    return runShellStatement(this.lab, statement);
  }

  /**
   * Replaces the nodes with new ones at `localities` (ids 1…n), as a lab's `cockroach start` or
   * `cockroach demo` builds a cluster of its own shape; the data stays, ranges are laid out anew.
   */
  resetTopology(localities: readonly NodeLocality[]): void {
    this.model.replaceNodes(localities);
    this.addresses.clear();
    this.topologyChanged();
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

  /**
   * refreshSpans for a caller outside any session (the editor's snapshot request): it queues for
   * the engine like a session, so its queries never run inside another session's transaction.
   */
  async refreshSpansOutsideSessions(): Promise<void> {
    const holder: LockHolder = { preempt: () => undefined };
    await this.lock.acquire(holder);
    try {
      await this.refreshSpans();
    } finally {
      this.lock.release(holder);
    }
  }
}
