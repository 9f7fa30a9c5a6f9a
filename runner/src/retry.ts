// CockroachDB asks clients to retry transactions that fail with SQLSTATE 40001. A statement run
// on its own is its own transaction, so running it again is safe and is what any client does.
// Inside an explicit transaction the earlier statements are part of what must be retried, and
// only the user knows them: the runner says what happened and how to retry, and re-runs nothing.
import type { RunOptions, SqlSession } from './session';
import type { StatementOutcome } from './types';

export const RETRYABLE = '40001';

export interface RetryOptions extends RunOptions {
  /** How many times to run the statement again after a 40001 (0: never). */
  retries: number;
  /** First backoff; it doubles on each retry, with jitter (default 50 ms). */
  backoffMs?: number;
}

export const IN_TRANSACTION_NOTE =
  'The transaction hit a retryable error (40001), so CockroachDB aborted it; crdb-studio re-runs nothing inside an explicit transaction. ' +
  'Run ROLLBACK, then run the whole transaction again. If it began with SAVEPOINT cockroach_restart, ' +
  'run ROLLBACK TO SAVEPOINT cockroach_restart instead and run its statements again from there.';

export async function runWithRetry(session: SqlSession, statement: string, options: RetryOptions): Promise<StatementOutcome> {
  const inTransaction = session.transaction !== 'idle';
  let outcome = await session.run(statement, options);
  if (outcome.error?.code !== RETRYABLE) return outcome;
  if (inTransaction) {
    outcome.note = IN_TRANSACTION_NOTE;
    return outcome;
  }
  const retries = Math.max(0, Math.floor(options.retries));
  let retried = 0;
  while (outcome.error?.code === RETRYABLE && retried < retries && session.alive) {
    await delay(backoff(options.backoffMs ?? 50, retried));
    retried++;
    await outcome.close();
    outcome = await session.run(statement, options);
  }
  if (retried > 0) {
    const still = outcome.error?.code === RETRYABLE ? '; it still failed' : '';
    outcome.note = `retried ${retried} time(s) after a retryable 40001 error${still}`;
  }
  return outcome;
}

function backoff(base: number, attempt: number): number {
  const ceiling = Math.min(base * 2 ** attempt, 2000);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
