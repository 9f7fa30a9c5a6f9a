// What the SQL layer needs from the cluster it runs on, and from the session a statement runs
// in. The simulator and the session implement these; statement handlers see only them, so the
// SQL layer never imports the simulator (the direction is simulator → sql → model).
import type { PGlite } from '@electric-sql/pglite';
import type { SimClock } from '../model/clock';
import type { ClusterModel } from '../model/cluster';
import type { ControlTarget } from '../model/control';
import type { Catalog, TableMeta } from './catalog';
import type { LockHolder } from './lock';
import type { QueryResult } from './result';

export interface ClusterContext extends ControlTarget {
  /** What CockroachDB knows beyond PostgreSQL: databases, tables, localities, zones, settings. */
  readonly catalog: Catalog;
  /** The PostgreSQL engine holding the data (one schema per database). */
  readonly engine: PGlite;
  /** Nodes, ranges, replicas and leases. */
  readonly model: ClusterModel;
  readonly clock: SimClock;
  /** 'virtual': simulated time moves only when the simulator moves it; 'real': with the wall clock. */
  readonly time: 'real' | 'virtual';
  /** The range size that splits, when a lesson lowers it. */
  readonly rangeMaxBytes: number | undefined;
  /** Wall-clock time when the cluster started. */
  readonly startedAt: number;

  /** Takes the shared engine for `session` (queues behind another session's transaction). */
  acquire(session: SqlSession): Promise<void>;
  release(session: SqlSession): void;
  /** Takes `session` out of the engine's queue (its client went away): its acquire rejects with `reason`. */
  abandonWait(session: SqlSession, reason: Error): void;
  /** Sends a wire message to the engine as `session`, which must hold it (else it rejects). */
  engineQuery(session: SqlSession, message: Uint8Array): Promise<Uint8Array>;
  /** Re-applies a session's settings to the engine (after USE). */
  applySession(session: SqlSession): Promise<void>;
  sqlAddress(nodeId: number): string | undefined;

  /** Brings the model's ranges up to date with the tables (and, unless told not to, their sizes). */
  refreshSpans(options?: { sizes: boolean }): Promise<void>;
  /**
   * Runs a statement that changes the catalog, as `session` (idle, holding the engine): with a
   * store, in one engine transaction with the catalog's record, committed only if it succeeds;
   * without one, simply runs it. `onlyAddsTables`: the statement changes the catalog only by
   * adding tables (CREATE TABLE), so a failure is undone by removing them.
   */
  durably(session: SqlSession, run: () => Promise<QueryResult>, onlyAddsTables?: boolean): Promise<QueryResult>;
  /**
   * With a store, records the catalog and topology in the engine when they changed (by the caller,
   * which holds the engine); `inTransaction`: inside the caller's transaction, just before its COMMIT.
   */
  saveMetadata(options?: { inTransaction: boolean }): Promise<void>;
  /** Tables whose data changed ('all' when which is not known): their sizes are measured again. */
  dataChanged(tables: Iterable<TableMeta> | 'all'): void;
  /** Runs a `\!` shell command in the cluster's lab (absent: the statement is refused). */
  runShell?(session: SqlSession, statement: string): Promise<QueryResult>;
  /** The open client sessions (SHOW SESSIONS). */
  readonly sessions?: ReadonlySet<SqlSession>;
}

/** One client connection's state, as statement handlers read and change it. */
export interface SqlSession extends LockHolder {
  readonly cluster: ClusterContext;
  /** The current database (a schema in the engine). */
  database: string;
  readonly user: string;
  /** The gateway node. */
  nodeId: number;
  /** The running transaction's isolation level. */
  isolation: string;
  /** The simulated latency of the last statement, in ms. */
  lastLatencyMs: number;
  /** Session variables CockroachDB has and PostgreSQL does not. */
  readonly vars: Map<string, string>;
  /** The simulator checked this statement's CockroachDB privileges itself: the engine runs it as its superuser. */
  readonly systemWork?: boolean;
  /** Runs SQL on the engine as this session; `statement` is what the user wrote. */
  runEngine(statement: string, sql: string, notices: readonly string[]): Promise<QueryResult>;
  /** The engine settings that make the engine this session's (search_path, gateway, …). */
  engineSetup(): string;
  /** What SHOW SESSIONS tells of it. */
  readonly id?: number;
  readonly applicationName?: string;
  readonly connectedAt?: Date;
  readonly closed?: boolean;
}
