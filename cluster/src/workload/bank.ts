// The bank workload, like `cockroach workload run bank`: random transfers between accounts in
// explicit transactions, retried on CockroachDB's retryable errors (40001). It works over any
// SQL connection. Each acknowledged transfer is also recorded in bank.transfers inside its own
// transaction, so a check can prove that no acknowledged write was lost and money was never
// created or destroyed.

export interface SqlClient {
  query(sql: string): Promise<{ rows: Record<string, unknown>[] }>;
}

export interface BankOptions {
  accounts?: number;
  initialBalance?: number;
  durationMs?: number;
  /** Stop after this many transfers (tests), whatever the duration. */
  maxTransfers?: number;
  /** Deterministic account choice (a seed). */
  seed?: number;
  /** Called once per second with running figures. */
  onTick?: (tick: BankTick) => void;
  /** Stops the run early. */
  signal?: AbortSignal;
}

export interface BankTick {
  elapsedMs: number;
  transfers: number;
  errors: number;
  retries: number;
}

export interface BankResult extends BankTick {
  /** Transfer IDs the cluster acknowledged (COMMIT returned). */
  acknowledged: number[];
  latenciesMs: number[];
}

/**
 * The connection failed (an error without a SQLSTATE: the gateway died, the socket closed). It
 * carries what the run did until then, so a caller that reconnects keeps the acknowledged IDs.
 */
export class BankConnectionLost extends Error {
  override name = 'BankConnectionLost';
  constructor(
    override readonly cause: unknown,
    readonly result: BankResult,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export async function initBank(client: SqlClient, options: BankOptions = {}): Promise<void> {
  const accounts = options.accounts ?? 1000;
  const balance = options.initialBalance ?? 1000;
  await client.query('CREATE DATABASE IF NOT EXISTS bank');
  await client.query('DROP TABLE IF EXISTS bank.bank');
  await client.query('DROP TABLE IF EXISTS bank.transfers');
  await client.query('CREATE TABLE bank.bank (id INT8 PRIMARY KEY, balance INT8 NOT NULL, payload STRING, FAMILY (id, balance, payload))');
  await client.query('CREATE TABLE bank.transfers (id INT8 PRIMARY KEY, from_id INT8 NOT NULL, to_id INT8 NOT NULL, amount INT8 NOT NULL)');
  await client.query(
    `INSERT INTO bank.bank (id, balance, payload) SELECT i, ${balance}, 'initial' FROM generate_series(0, ${accounts - 1}) AS g(i)`,
  );
}

function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The error's SQLSTATE; undefined for a failed connection (whose socket error has a code too, like EPIPE). */
function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || 'syscall' in error) return undefined;
  return 'code' in error ? String(error.code) : undefined;
}

let transferIds = Date.now() * 1000;

/**
 * Runs transfers on one client until the duration, the transfer limit or the signal ends it.
 * Throws BankConnectionLost when the connection fails.
 */
export async function runBank(client: SqlClient, options: BankOptions = {}): Promise<BankResult> {
  const accounts = options.accounts ?? 1000;
  const durationMs = options.durationMs ?? 10_000;
  const next = random(options.seed ?? 1);
  const started = performance.now();
  const result: BankResult = { elapsedMs: 0, transfers: 0, errors: 0, retries: 0, acknowledged: [], latenciesMs: [] };
  let lastTick = started;
  while (performance.now() - started < durationMs && result.transfers < (options.maxTransfers ?? Infinity) && !options.signal?.aborted) {
    const from = Math.floor(next() * accounts);
    let to = Math.floor(next() * accounts);
    if (to === from) to = (to + 1) % accounts;
    const amount = 1 + Math.floor(next() * 100);
    const id = transferIds++;
    const begun = performance.now();
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query('BEGIN');
        await client.query(`SELECT id, balance FROM bank.bank WHERE id IN (${from}, ${to})`);
        await client.query(
          `UPDATE bank.bank SET balance = CASE id WHEN ${from} THEN balance - ${amount} ELSE balance + ${amount} END WHERE id IN (${from}, ${to})`,
        );
        await client.query(`INSERT INTO bank.transfers (id, from_id, to_id, amount) VALUES (${id}, ${from}, ${to}, ${amount})`);
        await client.query('COMMIT');
        result.acknowledged.push(id);
        result.transfers++;
        result.latenciesMs.push(performance.now() - begun);
        break;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        if (sqlState(error) === '40001' && attempt < 20) {
          result.retries++;
          continue;
        }
        // Unavailable ranges, dropped connections: counted, and the transfer is not acknowledged.
        result.errors++;
        if (sqlState(error) === undefined) {
          result.elapsedMs = performance.now() - started;
          throw new BankConnectionLost(error, result);
        }
        break;
      }
    }
    const now = performance.now();
    if (now - lastTick >= 1000) {
      lastTick = now;
      options.onTick?.({ elapsedMs: now - started, transfers: result.transfers, errors: result.errors, retries: result.retries });
    }
  }
  result.elapsedMs = performance.now() - started;
  return result;
}

export interface BankCheck {
  total: number;
  expectedTotal: number;
  missing: number[];
}

/** Money is conserved and every acknowledged transfer is there. */
export async function checkBank(client: SqlClient, acknowledged: readonly number[], options: BankOptions = {}): Promise<BankCheck> {
  const accounts = options.accounts ?? 1000;
  const balance = options.initialBalance ?? 1000;
  const total = await client.query('SELECT sum(balance)::INT8 AS total FROM bank.bank');
  const present = await client.query('SELECT id FROM bank.transfers');
  const ids = new Set(present.rows.map((r) => String(r.id)));
  return {
    total: Number(total.rows[0]?.total ?? 0),
    expectedTotal: accounts * balance,
    missing: acknowledged.filter((id) => !ids.has(String(id))),
  };
}

/** `cockroach workload`'s per-second line. */
export function formatTick(tick: BankTick, previous: BankTick | undefined): string {
  const seconds = tick.elapsedMs / 1000;
  const inst = tick.transfers - (previous?.transfers ?? 0);
  return `${seconds.toFixed(1).padStart(7)}s ${String(tick.errors).padStart(8)} ${inst.toFixed(1).padStart(14)} ${(tick.transfers / seconds).toFixed(1).padStart(13)}  transfer`;
}
