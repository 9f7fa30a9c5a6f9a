// The engine is one PostgreSQL session shared by every client connection. A connection holds it
// for one request, or for as long as its explicit transaction is open; the others queue. A
// waiter that gives up gets CockroachDB's retryable error, as a conflicting transaction would.
// A holder that keeps the engine past the hold bound while others wait is told to give it up
// (its transaction is aborted, as CockroachDB aborts a transaction a conflicting one pushes), so
// one idle transaction cannot block every other session for as long as its client stays away.
import { SqlError, SQLSTATE } from './errors';

/** What the lock asks of a holder that kept the engine too long while others wait. */
export interface LockHolder {
  /** Ends the holder's transaction and releases the engine, once its running statement is done. */
  preempt(): void;
}

interface Waiter {
  owner: LockHolder;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

export interface LockLimits {
  /** A waiter gives up after this long (ms) with a retryable error. */
  waitMs: number;
  /** A holder is preempted once it has held this long (ms) while another session waits. */
  holdMs: number;
}

export class EngineLock {
  private owner: LockHolder | undefined;
  private heldSince = 0;
  private holdTimer: NodeJS.Timeout | undefined;
  private readonly queue: Waiter[] = [];

  constructor(private readonly limits: LockLimits) {}

  get holder(): LockHolder | undefined {
    return this.owner;
  }

  /** Whether `owner` is queued for the engine. */
  waiting(owner: LockHolder): boolean {
    return this.queue.some((w) => w.owner === owner);
  }

  async acquire(owner: LockHolder): Promise<void> {
    if (this.owner === owner) return;
    if (this.owner === undefined && this.queue.length === 0) {
      this.take(owner);
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { owner, resolve, reject, timer: undefined };
      waiter.timer = setTimeout(() => {
        this.leave(waiter);
        reject(
          new SqlError(
            SQLSTATE.serializationFailure,
            'restart transaction: TransactionRetryWithProtoRefreshError: TransactionRetryError: retry txn (RETRY_SERIALIZABLE - failed preemptive refresh due to a conflict: intent on key held by another transaction)',
            'See: https://www.cockroachlabs.com/docs/v25.2/transaction-retry-error-reference.html#retry_serializable',
            `the simulated cluster runs one transaction at a time and another session's transaction stayed open for ${this.limits.waitMs} ms`,
          ),
        );
      }, this.limits.waitMs);
      this.queue.push(waiter);
      this.watchHolder();
    });
  }

  /** Gives the engine to the next waiter, if `owner` holds it. */
  release(owner: LockHolder): void {
    if (this.owner !== owner) return;
    this.owner = undefined;
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    const next = this.queue.shift();
    if (!next) return;
    clearTimeout(next.timer);
    this.take(next.owner);
    next.resolve();
  }

  /** Takes `owner` out of the queue (its client went away): its acquire rejects with `reason`. */
  cancel(owner: LockHolder, reason: Error): void {
    for (const waiter of this.queue.filter((w) => w.owner === owner)) {
      this.leave(waiter);
      waiter.reject(reason);
    }
  }

  private take(owner: LockHolder): void {
    this.owner = owner;
    this.heldSince = Date.now();
    this.watchHolder();
  }

  private leave(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    const index = this.queue.indexOf(waiter);
    if (index !== -1) this.queue.splice(index, 1);
  }

  /** While someone waits, the holder is preempted when its hold reaches the bound. */
  private watchHolder(): void {
    const owner = this.owner;
    if (!owner || this.queue.length === 0 || this.holdTimer) return;
    const left = Math.max(0, this.heldSince + this.limits.holdMs - Date.now());
    this.holdTimer = setTimeout(() => {
      this.holdTimer = undefined;
      if (this.owner === owner && this.queue.length > 0) owner.preempt();
    }, left);
  }
}
