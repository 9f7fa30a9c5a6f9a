// The explorer's statements on one target: one at a time on a connection of its own (never the
// user's session or transaction), each tied to the tree node that asked. Collapsing the node or
// refreshing the tree aborts its read; the statement then on the wire is cancelled on the server
// (the cancel request), and reads still queued never start.
import type { SqlSession } from '../../../runner/src/session';
import type { CatalogQuery } from '../../../runner/src/catalog/reader';

/** Thrown into a read its node no longer wants. */
export class ReadCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'ReadCancelled';
  }
}

const MAX_ROWS = 100_000;

/** Read through a call: the signal aborts while a statement runs, after the last check. */
function aborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

export class ExplorerConnection {
  private queue: Promise<unknown> = Promise.resolve();
  private running: AbortSignal | undefined;

  constructor(private readonly session: () => Promise<SqlSession>) {}

  /** A CatalogQuery whose statements stop when `signal` aborts. */
  queryFor(signal: AbortSignal): CatalogQuery {
    return (sql) => {
      const turn = this.queue.then(() => this.runNow(sql, signal));
      this.queue = turn.catch(() => undefined);
      return turn;
    };
  }

  private async runNow(sql: string, signal: AbortSignal): Promise<{ columns: string[]; rows: (string | null)[][] }> {
    if (aborted(signal)) throw new ReadCancelled();
    const session = await this.session();
    if (aborted(signal)) throw new ReadCancelled();
    const onAbort = (): void => {
      if (this.running === signal) void session.cancel();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    this.running = signal;
    try {
      const outcome = await session.run(sql, { pageSize: MAX_ROWS });
      await outcome.close();
      if (aborted(signal)) throw new ReadCancelled();
      if (outcome.error) throw Object.assign(new Error(outcome.error.message), { code: outcome.error.code });
      return { columns: outcome.columns.map((c) => c.name), rows: outcome.rows };
    } finally {
      this.running = undefined;
      signal.removeEventListener('abort', onAbort);
    }
  }
}
