// The engine is one PostgreSQL session shared by every client connection. A connection holds it
// for one request, or for as long as its explicit transaction is open; the others queue. A
// waiter that gives up gets CockroachDB's retryable error, as a conflicting transaction would.
import { SqlError, SQLSTATE } from './errors';

interface Waiter {
  owner: object;
  resolve: () => void;
  timer: NodeJS.Timeout | undefined;
}

export class EngineLock {
  private owner: object | undefined;
  private readonly queue: Waiter[] = [];

  constructor(private readonly waitLimitMs: number) {}

  get holder(): object | undefined {
    return this.owner;
  }

  async acquire(owner: object): Promise<void> {
    if (this.owner === owner) return;
    if (this.owner === undefined && this.queue.length === 0) {
      this.owner = owner;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { owner, resolve, timer: undefined };
      waiter.timer = setTimeout(() => {
        const index = this.queue.indexOf(waiter);
        if (index !== -1) this.queue.splice(index, 1);
        reject(
          new SqlError(
            SQLSTATE.serializationFailure,
            'restart transaction: TransactionRetryWithProtoRefreshError: TransactionRetryError: retry txn (RETRY_SERIALIZABLE - failed preemptive refresh due to a conflict: intent on key held by another transaction)',
            'See: https://www.cockroachlabs.com/docs/v25.2/transaction-retry-error-reference.html#retry_serializable',
            `the simulated cluster runs one transaction at a time and another session's transaction stayed open for ${this.waitLimitMs} ms`,
          ),
        );
      }, this.waitLimitMs);
      this.queue.push(waiter);
    });
  }

  release(owner: object): void {
    if (this.owner !== owner) return;
    const next = this.queue.shift();
    this.owner = next?.owner;
    if (next) {
      clearTimeout(next.timer);
      next.resolve();
    }
  }
}
