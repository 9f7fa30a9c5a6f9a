// The SQL runner's contract: platform-free (no 'vscode'), used by the extension and testable
// against a real PostgreSQL and the simulated cluster.
import type { Notice } from '../../protocol/src/results';

/** A connection profile as the user writes it in settings (no password: that lives in SecretStorage). */
export interface ConnectionProfile {
  name: string;
  /** A full connection URL; when set, it wins over the fields below (a password in it is refused). */
  url?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  sslmode?: 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  /** Paths to PEM files. */
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  applicationName?: string;
}

/** Why a connection failed, in words a user can act on. */
export type ConnectionFailureKind = 'host' | 'refused' | 'timeout' | 'auth' | 'tls' | 'database' | 'profile' | 'dropped' | 'other';

export interface ConnectionFailure {
  kind: ConnectionFailureKind;
  message: string;
  hint?: string;
}

export interface SqlErrorInfo {
  code?: string;
  message: string;
  detail?: string;
  hint?: string;
  /** 1-based character position in the statement, as the server reported it. */
  position?: number;
}

export interface Column {
  name: string;
  /** PostgreSQL type OID, and the type name CockroachDB would print (INT8, STRING, …). */
  typeOid: number;
  type: string;
}

/** One statement's outcome. Rows come a page at a time; `more()` fetches the next page. */
export interface StatementOutcome {
  columns: Column[];
  rows: (string | null)[][];
  hasMore: boolean;
  /** Fetches up to `count` more rows (a cursor stays open until exhausted or closed). */
  more(count: number): Promise<{ rows: (string | null)[][]; hasMore: boolean }>;
  /** Closes the cursor, if one is open. */
  close(): Promise<void>;
  tag?: string;
  rowCount?: number;
  elapsedMs: number;
  notices: Notice[];
  error?: SqlErrorInfo;
  /** Set when the runner did something the user should know about (e.g. retried after 40001). */
  note?: string;
  /** The server's transaction status after the statement: idle, in a transaction, or in a failed one. */
  transaction: 'idle' | 'open' | 'failed';
}
