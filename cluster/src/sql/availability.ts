// Before a statement runs, the ranges its access path touches (accessPaths.ts) must be available —
// only those: a query filtered to a live region's partition answers while another region is down.
//
// How an unavailable range is waited for, as CockroachDB does it:
// - A range whose leaseholder is unreachable but that still has quorum is failing over: requests
//   wait until a new lease is in place (the model says when), then proceed.
// - A range that lost quorum cannot serve anything. Requests to it hang in Raft until the replica's
//   circuit breaker trips — after `kv.replica_circuit_breaker.slow_replication_threshold` (1m by
//   default) of a stuck proposal — and then fail with "replica unavailable: … lost quorum" (XXUUU);
//   while it stays tripped, later requests fail at once. CockroachDB would hang forever with the
//   breaker disabled (threshold 0); the simulator never hangs: it then gives up after the default
//   threshold with the same error.
// - statement_timeout bounds every wait: when it comes first the statement fails with 57014
//   "query execution canceled due to statement timeout".
// In virtual time (lessons, tests) the simulated clock jumps by the wait; in real time (the demo
// server) the statement really waits, re-checking as the cluster heals.
import { parseDuration } from '../model/duration';
import type { ClusterModel } from '../model/cluster';
import { planAccess, type StatementAccess, type StatementShape } from './accessPaths';
import type { SqlSession } from './context';
import { SqlError, SQLSTATE } from './errors';

/** kv.replica_circuit_breaker.slow_replication_threshold's default, and the bound when it is disabled. */
export const DEFAULT_BREAKER_THRESHOLD_MS = 60_000;
/** How often a statement waiting in real time looks again. */
const REAL_TIME_POLL_MS = 100;
/** A wait that makes no progress this many times is a model fault, never a hang. */
const MAX_WAIT_STEPS = 100_000;

export const STATEMENT_TIMEOUT_MESSAGE = 'query execution canceled due to statement timeout';
/** SQLSTATE query_canceled, which CockroachDB returns for a statement timeout. */
const QUERY_CANCELED = '57014';

/** Ranges whose circuit breaker tripped, with when: they fail requests at once until they recover. */
const trippedBreakers = new WeakMap<ClusterModel, Map<number, number>>();

function breakersOf(model: ClusterModel): Map<number, number> {
  let breakers = trippedBreakers.get(model);
  if (breakers === undefined) {
    breakers = new Map();
    trippedBreakers.set(model, breakers);
  }
  return breakers;
}

export interface CheckedStatement {
  access: StatementAccess;
  /** Time spent waiting for ranges, ms. */
  waitedMs: number;
  /** The statement's simulated latency: its waits plus its KV round trips. */
  latencyMs: number;
}

/** Plans the statement's access paths, waits for the ranges they touch, and returns its latency. */
export async function checkRanges(session: SqlSession, statement: StatementShape): Promise<CheckedStatement> {
  if (statement.tables.length === 0) return { access: { tables: [], rangeIds: [], latencyMs: 0 }, waitedMs: 0, latencyMs: 0 };
  await session.cluster.refreshSpans({ sizes: false });
  let access = await planAccess(session, statement);
  const waitedMs = await waitForRanges(session, access.rangeIds);
  // A failover moved leases while the statement waited: its round trips go to the new holders.
  if (waitedMs > 0) access = await planAccess(session, statement);
  return { access, waitedMs, latencyMs: waitedMs + access.latencyMs };
}

/** The session's statement_timeout in ms (0: none), as the engine holds it. */
async function statementTimeoutMs(session: SqlSession): Promise<number> {
  try {
    const result = await session.cluster.engine.query<{ setting: string }>(
      `SELECT setting FROM pg_settings WHERE name = 'statement_timeout'`,
    );
    const ms = Number(result.rows[0]?.setting ?? '0');
    return Number.isFinite(ms) && ms > 0 ? ms : 0;
  } catch {
    return 0;
  }
}

function breakerThresholdMs(session: SqlSession): number {
  const value = session.cluster.catalog.clusterSettings.get('kv.replica_circuit_breaker.slow_replication_threshold');
  const ms = value === undefined ? undefined : parseDuration(value);
  return ms === undefined || ms <= 0 ? DEFAULT_BREAKER_THRESHOLD_MS : ms;
}

/** Waits until `rangeIds` can serve requests; returns how long, or throws CockroachDB's error. */
export async function waitForRanges(session: SqlSession, rangeIds: readonly number[]): Promise<number> {
  if (rangeIds.length === 0) return 0;
  const cluster = session.cluster;
  const model = cluster.model;
  const breakers = breakersOf(model);
  // Time waited so far: simulated in virtual time; in real time the wall clock's (the model's
  // clock follows it only in steps).
  const started = cluster.clock.now();
  const wallStarted = performance.now();
  const elapsed = (): number => (cluster.time === 'virtual' ? cluster.clock.now() - started : performance.now() - wallStarted);
  let deadline: number | undefined | null = null;
  /** How long into the wait each range without quorum was first found so. */
  const stuckSince = new Map<number, number>();
  for (let step = 0; step < MAX_WAIT_STEPS; step++) {
    for (const id of rangeIds) if (model.range(id)?.available === true) breakers.delete(id);
    const check = model.checkAvailable(rangeIds);
    // Ranges found available at once were not waited for: in real time the wall clock would
    // otherwise count this check's own run (or a GC pause during it) as latency.
    if (check.ok) return step === 0 ? 0 : elapsed();
    const waited = elapsed();
    let until: number;
    if (check.availableAt !== undefined) until = waited + Math.max(0, check.availableAt - cluster.clock.now());
    else {
      if (breakers.has(check.rangeId)) throw new SqlError(SQLSTATE.rangeUnavailable, check.message);
      const since = stuckSince.get(check.rangeId) ?? waited;
      stuckSince.set(check.rangeId, since);
      until = since + breakerThresholdMs(session);
      if (waited >= until) {
        breakers.set(check.rangeId, cluster.clock.now());
        throw new SqlError(SQLSTATE.rangeUnavailable, check.message);
      }
    }
    if (deadline === null) {
      const timeoutMs = await statementTimeoutMs(session);
      deadline = timeoutMs > 0 ? timeoutMs : undefined;
    }
    if (deadline !== undefined && waited >= deadline) throw new SqlError(QUERY_CANCELED, STATEMENT_TIMEOUT_MESSAGE);
    const target = Math.max(Math.min(until, deadline ?? Infinity), waited + 1);
    if (cluster.time === 'virtual') model.advanceTo(started + target);
    else await new Promise((resolve) => setTimeout(resolve, Math.min(REAL_TIME_POLL_MS, target - waited)));
  }
  throw new SqlError(SQLSTATE.rangeUnavailable, `r${rangeIds[0] ?? 0} did not become available`);
}
