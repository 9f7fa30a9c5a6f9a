// One live connection to one target, kept between runs like a SQL shell's: SET, USE and an open
// transaction carry over from one run to the next. Row-returning statements stream through a
// cursor a page at a time, so a huge result never sits in memory; errors come back in the
// outcome. When the connection itself dies the session says so (`alive`) and never re-runs the
// statement: whether it took effect is for the user to find out.
import * as net from 'node:net';
import * as path from 'node:path';
import * as pg from 'pg';
import Cursor from 'pg-cursor';
import { ConnectionError, classifyConnectionError } from './failures';
import type { ProfileConfig } from './profile';
import { producesRows } from './statements';
import { typeName } from './typeNames';
import type { Column, SqlErrorInfo, StatementOutcome } from './types';
import type { Notice } from '../../protocol/src/results';

export interface OpenOptions {
  /** Sets the session's statement_timeout, so a runaway statement ends on the server. */
  statementTimeoutMs?: number;
}

export interface RunOptions {
  /** Rows in the first page; `more(n)` fetches the rest. */
  pageSize: number;
  onNotice?: (notice: Notice) => void;
}

type Row = (string | null)[];

/** Thrown by `more()` when fetching further rows fails; the outcome's `error` is set too. */
export class StatementError extends Error {
  constructor(readonly info: SqlErrorInfo) {
    super(info.message);
    this.name = 'StatementError';
  }
}

// Values are shown exactly as the server printed them: no parsing into JS numbers or Dates,
// which would round DECIMALs and INT8s and shift timestamps. BOOL alone is spelled out: the wire's
// text form is PostgreSQL's t/f, while CockroachDB's own SQL shell prints true/false.
const BOOL_OID = 16;
const rawText = (value: string): string => value;
const boolText = (value: string): string => (value === 't' ? 'true' : value === 'f' ? 'false' : value);
const RAW_TYPES: pg.CustomTypesConfig = {
  getTypeParser: (oid: number) => (oid === BOOL_OID ? boolText : rawText),
};

const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

interface OpenCursor {
  close(): Promise<void>;
}

export class SqlSession {
  private dead = false;
  private closed = false;
  /** The server's last ReadyForQuery status: exact, unlike guessing from BEGIN/COMMIT tags. */
  private status: 'I' | 'T' | 'E' = 'I';
  private readyCount = 0;
  private readyWaiters: (() => void)[] = [];
  private lastTag: string | undefined;
  private noticeSink: ((notice: Notice) => void) | undefined;
  private openCursor: OpenCursor | undefined;
  /** The previous run: the next one starts after it, so their replies never interleave. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Statements or fetches on the wire now: what a cancel request would stop. */
  private inFlight = 0;
  /** What whileConnected waits on now: each rejects its wait when the connection is lost or closed. */
  private readonly lostListeners = new Set<(error: Error) => void>();

  private constructor(
    private readonly client: pg.Client,
    private readonly keys: BackendKeys,
  ) {
    const connection = client.connection;
    connection.on('readyForQuery', (message: { status?: string }) => {
      const status = message.status;
      if (status === 'I' || status === 'T' || status === 'E') this.status = status;
      this.readyCount++;
      this.wakeWaiters();
    });
    connection.on('commandComplete', (message: { text?: string }) => {
      this.lastTag = message.text;
    });
    client.on('notice', (notice) => {
      this.noticeSink?.({ severity: notice.severity ?? 'NOTICE', message: notice.message ?? '' });
    });
    client.on('end', () => {
      this.markDead(new Error('Connection terminated unexpectedly'));
    });
    // Without a listener, a socket error would crash the process; while connecting, node-postgres
    // hands errors to connect() instead.
    client.on('error', (error) => {
      this.markDead(error);
    });
  }

  /**
   * Connects; a failure throws a ConnectionError whose `failure` says what to fix. With
   * `tlsOptional` (sslmode prefer) a server that refuses TLS is asked again in plaintext, as libpq
   * does; a TLS handshake that fails is reported, never retried without encryption.
   */
  static async open(profileConfig: ProfileConfig, options: OpenOptions = {}): Promise<SqlSession> {
    const { tlsOptional, ...config } = profileConfig;
    let connected: { client: pg.Client; keys: BackendKeys };
    try {
      connected = await connectClient(config);
    } catch (error) {
      if (tlsOptional !== true || config.ssl === false || config.ssl === undefined || !refusesTls(error)) {
        throw new ConnectionError(classifyConnectionError(error, config));
      }
      try {
        connected = await connectClient({ ...config, ssl: false });
      } catch (plainError) {
        throw new ConnectionError(classifyConnectionError(plainError, config));
      }
    }
    const { client, keys } = connected;
    const session = new SqlSession(client, keys);
    if (options.statementTimeoutMs !== undefined) {
      const ms = Math.max(0, Math.round(options.statementTimeoutMs));
      try {
        await client.query(`SET statement_timeout = ${ms}`);
      } catch (error) {
        await session.close();
        throw new ConnectionError(classifyConnectionError(error, config));
      }
    }
    return session;
  }

  get alive(): boolean {
    return !this.dead && !this.closed;
  }

  /** The transaction state after the last statement the server finished. */
  get transaction(): StatementOutcome['transaction'] {
    if (!this.alive) return 'idle';
    return this.status === 'T' ? 'open' : this.status === 'E' ? 'failed' : 'idle';
  }

  /** The server process serving this session (PostgreSQL's pg_backend_pid()). */
  get backendPid(): number | undefined {
    return this.keys.processID;
  }

  /** Runs one statement; calls made while another runs wait their turn, as in a shell. */
  run(statement: string, options: RunOptions): Promise<StatementOutcome> {
    const turn = this.queue.then(() => this.runNow(statement, options));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async runNow(statement: string, options: RunOptions): Promise<StatementOutcome> {
    await this.closeOpenCursor();
    const started = performance.now();
    const notices: Notice[] = [];
    if (!this.alive) {
      return this.outcome({ error: { code: '08003', message: 'the connection is closed; reconnect to run statements' } }, notices, started);
    }
    this.noticeSink = (notice) => {
      notices.push(notice);
      options.onNotice?.(notice);
    };
    this.lastTag = undefined;
    const readyBefore = this.readyCount;
    const pageSize = Math.max(1, Math.floor(options.pageSize));
    this.inFlight++;
    try {
      return producesRows(statement)
        ? await this.runCursor(statement, pageSize, notices, started)
        : await this.runPlain(statement, pageSize, notices, started);
    } catch (error) {
      const info = this.absorb(error);
      await this.settled(readyBefore);
      const outcome = this.outcome({ error: info }, notices, started);
      if (this.dead) {
        outcome.note =
          'The connection was lost while this statement ran. It was not run again: check whether it took effect. Session settings and any open transaction are gone; reconnect to continue.';
      }
      return outcome;
    } finally {
      this.inFlight--;
    }
  }

  /** Asks the server to cancel the running statement; false when nothing is running. */
  async cancel(): Promise<boolean> {
    const { processID, secretKey } = this.keys;
    if (!this.alive || this.inFlight === 0 || processID === undefined || secretKey === undefined) return false;
    return sendCancelRequest(this.client.host, this.client.port, processID, secretKey);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // A statement still on the wire ends now, with an error, rather than when the server answers.
    this.connectionLost(new Error('the connection was closed while this statement ran'));
    try {
      await this.closeOpenCursor();
    } finally {
      this.closed = true;
      if (this.dead) this.client.connection.stream.destroy();
      else await this.client.end();
      this.wakeWaiters();
    }
  }

  private async runPlain(statement: string, pageSize: number, notices: Notice[], started: number): Promise<StatementOutcome> {
    const results = (await this.whileConnected(this.client.query({ text: statement, rowMode: 'array' }))) as unknown as
      pg.QueryArrayResult<Row> | pg.QueryArrayResult<Row>[];
    // Several statements in one text answer with one result each; the last one is what the user sees.
    const result = Array.isArray(results) ? results[results.length - 1] : results;
    const rows = result?.rows ?? [];
    let served = Math.min(pageSize, rows.length);
    const outcome = this.outcome(
      {
        columns: columnsOf(result?.fields ?? []),
        rows: rows.slice(0, served),
        hasMore: served < rows.length,
        tag: this.lastTag,
        rowCount: result?.rowCount ?? undefined,
      },
      notices,
      started,
    );
    // These rows are in memory already: paging them only keeps the view's contract the same.
    outcome.more = (count) => {
      const page = rows.slice(served, served + Math.max(0, count));
      served += page.length;
      outcome.hasMore = served < rows.length;
      return Promise.resolve({ rows: page, hasMore: outcome.hasMore });
    };
    return outcome;
  }

  private async runCursor(statement: string, pageSize: number, notices: Notice[], started: number): Promise<StatementOutcome> {
    const cursor = this.client.query(new Cursor<Row>(statement, undefined, { rowMode: 'array', types: RAW_TYPES }));
    // One row more than asked tells whether there is more without another round trip; that
    // look-ahead row waits in `pending` for the next page.
    const first = await this.whileConnected(readRows(cursor, pageSize + 1));
    let pending = first.rows.slice(pageSize);
    let done = pending.length === 0;
    let fetched = Math.min(pageSize, first.rows.length);
    const outcome = this.outcome(
      {
        columns: columnsOf(first.result.fields),
        rows: first.rows.slice(0, pageSize),
        hasMore: !done,
        tag: done ? withRowCount(this.lastTag, fetched) : undefined,
        rowCount: done ? fetched : undefined,
      },
      notices,
      started,
    );
    if (done) return outcome;

    // Until it is exhausted or closed, the open portal keeps the server's (implicit)
    // transaction open, so `transaction` reports the state as of the last finished statement.
    const finish = (): void => {
      done = true;
      pending = [];
      outcome.hasMore = false;
      if (this.openCursor === handle) this.openCursor = undefined;
    };
    const handle: OpenCursor = {
      close: async () => {
        if (done) return;
        finish();
        if (this.alive) await cursor.close();
        outcome.transaction = this.transaction;
      },
    };
    this.openCursor = handle;
    outcome.close = () => handle.close();
    outcome.more = async (count) => {
      const wanted = Math.floor(count);
      if (done || !(wanted > 0)) return { rows: [], hasMore: !done };
      const ask = wanted + 1 - pending.length;
      const readyBefore = this.readyCount;
      let next: Row[];
      this.inFlight++;
      try {
        next = (await this.whileConnected(readRows(cursor, ask))).rows;
      } catch (error) {
        finish();
        const info = this.absorb(error);
        await this.settled(readyBefore);
        outcome.error = info;
        outcome.transaction = this.transaction;
        throw new StatementError(info);
      } finally {
        this.inFlight--;
      }
      const rows = pending.concat(next);
      const page = rows.slice(0, wanted);
      pending = rows.slice(wanted);
      fetched += page.length;
      if (next.length < ask) {
        // The server finished the statement (and sent ReadyForQuery) before this read returned.
        finish();
        outcome.tag = withRowCount(this.lastTag, fetched);
        outcome.rowCount = fetched;
      }
      outcome.transaction = this.transaction;
      return { rows: page, hasMore: !done };
    };
    return outcome;
  }

  /** The error as the user sees it; a dead connection marks the session dropped. */
  private absorb(error: unknown): SqlErrorInfo {
    const fatal = !(error instanceof pg.DatabaseError) || error.severity === 'FATAL' || error.severity === 'PANIC';
    if (fatal) this.markDead();
    return errorInfo(error);
  }

  /** After an error the server still sends ReadyForQuery, and only it tells the transaction state. */
  private async settled(readyBefore: number): Promise<void> {
    while (this.alive && this.readyCount === readyBefore) {
      await new Promise<void>((resolve) => this.readyWaiters.push(resolve));
    }
  }

  private wakeWaiters(): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const wake of waiters) wake();
  }

  private markDead(error: Error = new Error('Connection terminated unexpectedly')): void {
    this.dead = true;
    this.openCursor = undefined;
    this.connectionLost(error);
    this.wakeWaiters();
  }

  private connectionLost(error: Error): void {
    const listeners = [...this.lostListeners];
    this.lostListeners.clear();
    for (const listener of listeners) listener(error);
  }

  /**
   * `work` (a query or a cursor read on this connection), or the error that ended the connection
   * first: node-postgres leaves a cursor read waiting forever when the connection ends in the
   * middle of a statement (a server shutting down after it answered, or a close from this side).
   */
  private whileConnected<T>(work: Promise<T>): Promise<T> {
    // A listener per wait, removed when the work settles (a race with one long-lived promise would
    // keep every page read through it alive).
    return new Promise<T>((resolve, reject) => {
      this.lostListeners.add(reject);
      work.then(
        (value) => {
          this.lostListeners.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          this.lostListeners.delete(reject);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  private async closeOpenCursor(): Promise<void> {
    const open = this.openCursor;
    this.openCursor = undefined;
    if (!open) return;
    try {
      await open.close();
    } catch {
      // A cursor that cannot close has lost its connection: `alive` says so already.
    }
  }

  private outcome(fields: Partial<StatementOutcome>, notices: Notice[], started: number): StatementOutcome {
    return {
      columns: [],
      rows: [],
      hasMore: false,
      more: () => Promise.resolve({ rows: [], hasMore: false }),
      close: () => Promise.resolve(),
      ...fields,
      elapsedMs: performance.now() - started,
      notices,
      transaction: this.transaction,
    };
  }
}

interface BackendKeys {
  processID?: number;
  secretKey?: number;
}

/** One connection attempt; the raw error when it fails, its socket closed. */
async function connectClient(config: pg.ClientConfig): Promise<{ client: pg.Client; keys: BackendKeys }> {
  const client = new pg.Client({ connectionTimeoutMillis: DEFAULT_CONNECT_TIMEOUT_MS, ...config, types: RAW_TYPES });
  const keys: BackendKeys = {};
  // The cancel request needs the key the server sends once, at startup.
  client.connection.on('backendKeyData', (message: { processID: number; secretKey: number }) => {
    keys.processID = message.processID;
    keys.secretKey = message.secretKey;
  });
  try {
    await client.connect();
  } catch (error) {
    client.connection.stream.destroy();
    throw error;
  }
  return { client, keys };
}

/** node-postgres's error when the server answers the SSLRequest with 'N'. */
function refusesTls(error: unknown): boolean {
  return error instanceof Error && error.message === 'The server does not support SSL connections';
}

function readRows(cursor: Cursor<Row>, count: number): Promise<{ rows: Row[]; result: pg.QueryResult }> {
  return new Promise((resolve, reject) => {
    cursor.read(count, (error, rows, result) => {
      if (error) reject(error);
      else resolve({ rows, result });
    });
  });
}

/** A portal read in pieces ends with a tag counting the last piece only; the user wants the total. */
function withRowCount(tag: string | undefined, total: number): string | undefined {
  return tag?.replace(/ \d+$/, ` ${total}`);
}

function columnsOf(fields: readonly pg.FieldDef[]): Column[] {
  return fields.map((field) => ({ name: field.name, typeOid: field.dataTypeID, type: typeName(field.dataTypeID) }));
}

function errorInfo(error: unknown): SqlErrorInfo {
  if (error instanceof pg.DatabaseError) {
    const info: SqlErrorInfo = { message: error.message };
    if (error.code !== undefined) info.code = error.code;
    if (error.detail !== undefined) info.detail = error.detail;
    if (error.hint !== undefined) info.hint = error.hint;
    const position = Number(error.position);
    if (error.position !== undefined && Number.isInteger(position) && position > 0) info.position = position;
    return info;
  }
  // Not from the server: the connection broke (SQLSTATE class 08, connection exception).
  return { code: '08006', message: error instanceof Error ? error.message : String(error) };
}

/** PostgreSQL's CancelRequest: a new connection carrying the session's process ID and key. */
function sendCancelRequest(host: string, port: number, processID: number, secretKey: number): Promise<boolean> {
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(80877102, 4);
  packet.writeInt32BE(processID | 0, 8);
  packet.writeInt32BE(secretKey | 0, 12);
  return new Promise((resolve) => {
    const socket = host.startsWith('/') ? net.connect(path.join(host, `.s.PGSQL.${port}`)) : net.connect(port, host);
    let sent = false;
    socket.once('connect', () => {
      socket.end(packet, () => (sent = true));
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
    // The server closes the connection once it has read the request.
    socket.once('close', () => {
      resolve(sent);
    });
  });
}
