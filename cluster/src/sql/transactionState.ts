// What the simulator keeps of a session's transaction beyond the engine's own state.
import type { TransactionStatus } from '../wire/messages';
import type { SqlSession } from './context';

/** What the simulator knows of a session's transaction beyond the engine's own state. */
export class TransactionState {
  /** The open transaction's fixed read time (AS OF SYSTEM TIME), µs since the epoch. */
  readAt: number | undefined;
  /** Refuses writes (a historical transaction). */
  readOnly = false;
  priority: string | undefined;
  /** A statement read or wrote data: the priority is fixed from then on. */
  running = false;
  /** RELEASE SAVEPOINT cockroach_restart committed the transaction; only COMMIT may follow. */
  commitWait = false;
  /** One request's statements share an implicit transaction: the read time its first historical read fixed. */
  requestReadAt: number | undefined;

  /** The transaction ended (or none was open): what belonged to it goes. */
  ended(): void {
    this.readAt = undefined;
    this.readOnly = false;
    this.priority = undefined;
    this.running = false;
    this.commitWait = false;
  }
}

/** A session as transaction statements see it. */
export interface TransactionSession extends SqlSession {
  status: TransactionStatus;
  readonly txn: TransactionState;
}

/** The read time every transaction of the session gets, if any: follower reads by default. */
export function sessionAsOfExpression(session: TransactionSession): string | undefined {
  const followerReads = (session.vars.get('default_transaction_use_follower_reads') ?? 'off').toLowerCase();
  return followerReads === 'on' || followerReads === 'true' ? 'follower_read_timestamp()' : undefined;
}
