// The simulated cluster on the PostgreSQL wire protocol: one listening port per node, like
// `cockroach demo` (26257, 26258, …), so psql, pg and the extension connect as to a real cluster,
// and the port a client picks is its gateway node. pg-gateway handles framing, SSL negotiation,
// the startup message and authentication; queries, in both protocols, go through a Session.
// (pg-gateway 0.3: 0.2.4 frames only the first of several pipelined messages, which breaks
// every parameterised query a `pg` client sends.)
import * as net from 'node:net';
import type { fromNodeSocket as FromNodeSocket } from 'pg-gateway/node' with { 'resolution-mode': 'import' };
import { lex } from '../../../sql/src/lexer';
import { CRDB_VERSION } from '../engine/bootstrap';
import type { Simulator } from '../simulator';
import type { Session } from '../sql/session';
import type { QueryResult } from '../sql/result';
import { encodeResult } from '../sql/result';
import { Login } from './login';
import { DEFAULT_MAX_MESSAGE, FrameGuard, MAX_AUTH_MESSAGE } from './frameGuard';
import {
  Backend,
  type BoundParameters,
  dataRow,
  encode,
  errorResponse,
  Frontend,
  parameterStatus,
  PayloadReader,
  readyForQuery,
  rowDescription,
  commandComplete,
  type ErrorFields,
  StartupCode,
} from './messages';

// pg-gateway's types are published for ES modules only; its CommonJS build is what runs here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fromNodeSocket } = require('pg-gateway/node') as { fromNodeSocket: typeof FromNodeSocket };

export interface ServeOptions {
  host?: string;
  /** Port of node 1; node N listens on port + N - 1. 0: free ports. */
  port?: number;
  /** The largest message a client may send once authenticated (CockroachDB's sql.conn.max_read_buffer_message_size). */
  maxMessageSize?: number;
  /** How long a client has from connecting to being authenticated (PostgreSQL's authentication_timeout). */
  startupTimeoutMs?: number;
  /** Client connections one node serves at once (CockroachDB's server.max_connections_per_gateway). */
  maxConnectionsPerNode?: number;
  /** Where one line per refused or broken connection goes; standard error by default. */
  log?: (line: string) => void;
  /** The clock replies wait by in real time (a test observes the waits through its own). */
  clock?: ReplyClock;
}

/** What a reply's real-time wait reads and waits on. */
export interface ReplyClock {
  now(): number;
  wait(ms: number): Promise<void>;
}

const REAL_CLOCK: ReplyClock = {
  now: () => performance.now(),
  wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The limits a server applies, every option resolved. */
interface Limits {
  maxMessageSize: number;
  startupTimeoutMs: number;
  maxConnectionsPerNode: number;
  log: (line: string) => void;
  clock: ReplyClock;
}

// CockroachDB serves any number of connections by default; the simulated cluster shares one
// engine and one process among its nodes, so each takes PostgreSQL's default max_connections.
const DEFAULT_MAX_CONNECTIONS_PER_NODE = 100;
/** PostgreSQL's authentication_timeout default. */
const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;
/** A statement's parameters are numbered in 16 bits on the wire (CockroachDB's MaxPreparedStatementArgs). */
const MAX_PARAMETERS = 65_535;

interface Prepared {
  sql: string;
  paramTypes: number[];
  /** How many values a Bind must supply: the declared types or the highest $n, whichever is more. */
  paramCount: number;
}

interface Portal {
  sql: string;
  parameters: BoundParameters;
  result: QueryResult | undefined;
  sent: number;
  /** Its simulated latency was waited out (real time). */
  felt?: boolean;
}

/** The highest $n in a statement (the lexer's placeholders: not inside a string, a quoted name or a comment). */
function highestPlaceholder(sql: string): number {
  let highest = 0;
  for (const token of lex(sql).tokens) if (token.kind === 'placeholder') highest = Math.max(highest, Number(token.value.slice(1)));
  return highest;
}

type GatewayConnection = Awaited<ReturnType<typeof FromNodeSocket>>;

/** A startup packet's parameters are name/value strings ended by an empty name, the packet's last byte. */
function wellFormedStartup(packet: Buffer): boolean {
  let at = 8;
  for (;;) {
    const name = packet.indexOf(0, at);
    if (name === -1) return false;
    if (name === at) return name === packet.length - 1;
    const value = packet.indexOf(0, name + 1);
    if (value === -1) return false;
    at = value + 1;
  }
}

/** One client connection. */
class Connection {
  private session: Session | undefined;
  private readonly prepared = new Map<string, Prepared>();
  private readonly portals = new Map<string, Portal>();
  private failedUntilSync = false;
  /** Messages to send before the next reply. */
  private pending: Buffer[] = [];
  /** Replies gathered while handling one message. */
  private out: Buffer[] = [];
  /** pg-gateway's side of the connection, to take the socket back from it when refusing the client. */
  private gatewayConnection: GatewayConnection | undefined;
  private readonly startupTimer: NodeJS.Timeout;
  private authenticated = false;
  /** Its startup packet was accepted: it counts against the node's connection limit. */
  admitted = false;
  private refused = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly simulator: Simulator,
    private readonly nodeId: number,
    private readonly server: WireServer,
    private readonly limits: Limits,
  ) {
    const guard = new FrameGuard(() => (this.authenticated ? limits.maxMessageSize : MAX_AUTH_MESSAGE));
    socket.on('data', (chunk: Buffer) => {
      const error = this.refused ? undefined : guard.feed(chunk);
      if (error) this.refuse(error);
    });
    this.startupTimer = setTimeout(() => {
      this.refuse({ severity: 'FATAL', code: '57014', message: 'canceling authentication due to timeout' });
    }, limits.startupTimeoutMs);
    const login = new Login(simulator, socket.remoteAddress);
    void fromNodeSocket(socket, {
      serverVersion: '13.0.0',
      auth: login.auth,
      onStartup: (state) => {
        login.choose(state.clientParams?.user ?? '');
      },
      onAuthenticated: (state) => {
        this.authenticated = true;
        clearTimeout(this.startupTimer);
        this.start(state.clientParams ?? { user: 'root' });
      },
      onMessage: async (data, state) => {
        if (this.refused) return new Uint8Array(0);
        if (!state.hasStarted) return this.beforeStartup(Buffer.from(data));
        // Before authentication, and for Terminate, pg-gateway does the work.
        if (!state.isAuthenticated || data[0] === Frontend.Terminate) return undefined;
        const out = await this.onMessage(Buffer.from(data));
        return out.length > 0 ? Buffer.concat(out) : new Uint8Array(0);
      },
    }).then((connection) => {
      this.gatewayConnection = connection;
    });
    socket.on('close', () => void this.close());
    socket.on('error', () => void this.close());
  }

  /**
   * The untyped packets a client opens with, answered as PostgreSQL answers them. What pg-gateway
   * handles (SSLRequest, a well-formed startup packet) is left to it (undefined).
   */
  private beforeStartup(packet: Buffer): Uint8Array | undefined {
    const code = packet.length >= 8 ? packet.readUInt32BE(4) : 0;
    if (code === StartupCode.SSLRequest && packet.length === 8) return undefined;
    // No GSS encryption here: 'N', and the client goes on with its startup packet in the clear.
    if (code === StartupCode.GSSENCRequest && packet.length === 8) return Buffer.from('N', 'latin1');
    if (code === StartupCode.CancelRequest && packet.length === 16) {
      // Cancelling is not simulated; PostgreSQL closes a cancel request's connection without a reply.
      this.refuse(undefined);
      return new Uint8Array(0);
    }
    if (code !== StartupCode.Protocol3) {
      this.refuse({
        severity: 'FATAL',
        code: '08P01',
        message: `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}: server supports 3.0 to 3.0`,
      });
      return new Uint8Array(0);
    }
    if (!wellFormedStartup(packet)) {
      this.refuse({ severity: 'FATAL', code: '08P01', message: 'invalid startup packet layout: expected terminator as last byte' });
      return new Uint8Array(0);
    }
    if (this.server.admitted(this.nodeId) >= this.limits.maxConnectionsPerNode) {
      this.refuse({ severity: 'FATAL', code: '53300', message: 'sorry, too many clients already' });
      return new Uint8Array(0);
    }
    this.admitted = true;
    return undefined;
  }

  /**
   * Ends the connection with a FATAL error (none for a cancel request), logged in one line. What
   * the client still sends is read and dropped, not buffered, until the error has gone out.
   */
  private refuse(error: ErrorFields | undefined): void {
    if (this.refused || this.socket.destroyed) return;
    this.refused = true;
    clearTimeout(this.startupTimer);
    if (error)
      this.server.log(`node ${this.nodeId}: client ${this.socket.remoteAddress ?? ''}:${this.socket.remotePort ?? ''}: ${error.message}`);
    void this.gatewayConnection?.detach();
    this.socket.removeAllListeners('data');
    this.socket.resume();
    const socket = this.socket;
    const destroy = (): void => {
      socket.destroy();
    };
    // A client that does not read gets no more than a moment to take the error.
    setTimeout(destroy, 1000).unref();
    if (error) socket.end(errorResponse(error), destroy);
    else destroy();
  }

  get gateway(): number {
    return this.nodeId;
  }

  private send(chunks: Buffer | readonly Buffer[]): void {
    if (Buffer.isBuffer(chunks)) this.out.push(chunks);
    // One by one: spreading the replies of a query of 50,000 statements into push() overflows the stack.
    else for (const chunk of chunks) this.out.push(chunk);
  }

  private start(parameters: Record<string, string | undefined>): void {
    const user = parameters.user ?? 'root';
    const options: Parameters<Simulator['openSession']>[0] = {
      user,
      nodeId: this.nodeId,
      applicationName: parameters.application_name ?? '',
    };
    if (parameters.database) options.database = parameters.database;
    this.session = this.simulator.openSession(options);
    // The session ends itself (idle-in-transaction timeout): the client is told why, then dropped.
    this.session.onTerminated = (error) => {
      this.kill(error);
    };
    // pg-gateway has sent AuthenticationOk and ReadyForQuery; the status CockroachDB reports
    // goes out with the first reply (a server may send ParameterStatus at any time).
    const status: [string, string][] = [
      ['server_encoding', 'UTF8'],
      ['client_encoding', 'UTF8'],
      ['DateStyle', 'ISO, MDY'],
      ['IntervalStyle', 'postgres'],
      ['TimeZone', 'UTC'],
      ['integer_datetimes', 'on'],
      ['standard_conforming_strings', 'on'],
      ['is_superuser', user === 'root' ? 'on' : 'off'],
      ['session_authorization', user],
      ['application_name', parameters.application_name ?? ''],
      ['crdb_version', `CockroachDB CCL ${CRDB_VERSION} (simulated by crdb-studio)`],
    ];
    this.pending = status.map(([k, v]) => parameterStatus(k, v));
  }

  private async onMessage(data: Buffer): Promise<Buffer[]> {
    this.out = this.pending;
    this.pending = [];
    const session = this.session;
    if (!session) return this.out;
    const type = data[0] ?? 0;
    const payload = data.subarray(5);
    try {
      await this.handle(session, type, payload);
    } catch (error) {
      // A message shorter than its own fields say (the reader ran past its end) is the client's error.
      const truncated = error instanceof RangeError && (error as NodeJS.ErrnoException).code === 'ERR_OUT_OF_RANGE';
      this.send(
        errorResponse(
          truncated
            ? { code: '08P01', message: 'insufficient data left in message' }
            : { code: 'XX000', message: `internal error: ${error instanceof Error ? error.message : String(error)}` },
        ),
      );
      if (type === Frontend.Query) this.send(readyForQuery(session.status));
    }
    return this.out;
  }

  private async handle(session: Session, type: number, payload: Buffer): Promise<void> {
    if (type === Frontend.Query) {
      const sql = new PayloadReader(payload).cstring();
      // Each statement's result goes out as soon as it is known, as CockroachDB streams them: a
      // request of many statements shows progress, and the client reads while the rest run.
      let streamed = 0;
      const startedAt = this.limits.clock.now();
      const results = await session.execute(sql, undefined, (result) => {
        streamed++;
        this.send(encodeResult(result));
      });
      await this.feelLatency(startedAt, results);
      this.send([...(streamed === 0 ? results.flatMap(encodeResult) : []), readyForQuery(session.status)]);
      return;
    }
    if (type === Frontend.Sync) {
      this.failedUntilSync = false;
      this.portals.delete('');
      this.send(readyForQuery(session.status));
      return;
    }
    if (type === Frontend.Flush) return;
    if (this.failedUntilSync) return;
    const reader = new PayloadReader(payload);
    switch (type) {
      case Frontend.Parse: {
        const name = reader.cstring();
        const sql = reader.cstring();
        const count = reader.uint16();
        // Counted before anything is sized by it: `SELECT $1000000000` must not allocate for a billion.
        const paramCount = Math.max(count, highestPlaceholder(sql));
        if (paramCount > MAX_PARAMETERS) {
          this.fail({ code: '08P01', message: `more than ${MAX_PARAMETERS} arguments to prepared statement: ${paramCount}` });
          return;
        }
        const paramTypes: number[] = [];
        for (let i = 0; i < count; i++) paramTypes.push(reader.int32());
        this.prepared.set(name, { sql, paramTypes, paramCount });
        this.send(encode(Backend.ParseComplete));
        return;
      }
      case Frontend.Bind: {
        const portal = reader.cstring();
        const statementName = reader.cstring();
        const statement = this.prepared.get(statementName);
        if (!statement) {
          this.fail({ code: '26000', message: 'prepared statement does not exist' });
          return;
        }
        const formatCount = reader.uint16();
        const formats: number[] = [];
        for (let i = 0; i < formatCount; i++) formats.push(reader.int16());
        const valueCount = reader.uint16();
        if (formatCount > 1 && formatCount !== valueCount) {
          this.fail({ code: '08P01', message: `bind message has ${formatCount} parameter formats but ${valueCount} parameters` });
          return;
        }
        if (valueCount !== statement.paramCount) {
          this.fail({
            code: '08P01',
            message: `bind message supplies ${valueCount} parameters, but prepared statement "${statementName}" requires ${statement.paramCount}`,
          });
          return;
        }
        const values: (string | null)[] = [];
        for (let i = 0; i < valueCount; i++) {
          const length = reader.int32();
          if (length < 0) values.push(null);
          else values.push(reader.bytes(length).toString('utf8'));
        }
        const resultFormatCount = reader.uint16();
        const resultFormats: number[] = [];
        for (let i = 0; i < resultFormatCount; i++) resultFormats.push(reader.int16());
        if (formats.some((f) => f === 1) || resultFormats.some((f) => f === 1)) {
          this.fail({ code: '0A000', message: 'binary format is not supported by the simulated cluster; use text format' });
          return;
        }
        const parameters = { values, types: statement.paramTypes };
        this.portals.set(portal, { sql: statement.sql, parameters, result: undefined, sent: 0 });
        this.send(encode(Backend.BindComplete));
        return;
      }
      case Frontend.Describe: {
        const kind = String.fromCharCode(reader.byte());
        const name = reader.cstring();
        if (kind === 'S') {
          const statement = this.prepared.get(name);
          if (!statement) {
            this.fail({ code: '26000', message: `prepared statement "${name}" does not exist` });
            return;
          }
          const count = statement.paramCount;
          const types = Array.from({ length: count }, (_, i) => statement.paramTypes[i] ?? 25);
          const description = Buffer.alloc(2 + 4 * count);
          description.writeUInt16BE(count, 0);
          types.forEach((t, i) => description.writeInt32BE(t, 2 + 4 * i));
          this.send([encode(Backend.ParameterDescription, description), encode(Backend.NoData)]);
          return;
        }
        const portal = this.portals.get(name);
        if (!portal) {
          this.fail({ code: '34000', message: `portal "${name}" does not exist` });
          return;
        }
        portal.result ??= await this.run(session, portal.sql, portal.parameters);
        if (portal.result.error) {
          this.fail(portal.result.error);
          return;
        }
        this.send(portal.result.fields.length > 0 ? rowDescription(portal.result.fields) : encode(Backend.NoData));
        return;
      }
      case Frontend.Execute: {
        const name = reader.cstring();
        const maxRows = reader.int32();
        const portal = this.portals.get(name);
        if (!portal) {
          this.fail({ code: '34000', message: `portal "${name}" does not exist` });
          return;
        }
        const startedAt = this.limits.clock.now();
        const ran = portal.result === undefined;
        portal.result ??= await this.run(session, portal.sql, portal.parameters);
        const result = portal.result;
        // The statement's latency is felt once, before its first reply (Describe may have run it).
        if (portal.sent === 0 && !portal.felt) {
          portal.felt = true;
          await this.feelLatency(ran ? startedAt : this.limits.clock.now(), [result]);
        }
        if (result.error) {
          this.fail(result.error);
          return;
        }
        const end = maxRows > 0 ? Math.min(result.rows.length, portal.sent + maxRows) : result.rows.length;
        const chunks =
          result.notices.length > 0 && portal.sent === 0 ? encodeResult({ ...result, fields: [], rows: [], tag: '' }).slice(0, -1) : [];
        for (let i = portal.sent; i < end; i++) chunks.push(dataRow(result.rows[i] ?? []));
        portal.sent = end;
        if (end < result.rows.length) chunks.push(encode(Backend.PortalSuspended));
        else chunks.push(result.tag === '' ? encode(Backend.EmptyQueryResponse) : commandComplete(result.tag));
        this.send(chunks);
        return;
      }
      case Frontend.Close: {
        const kind = String.fromCharCode(reader.byte());
        const name = reader.cstring();
        if (kind === 'S') this.prepared.delete(name);
        else this.portals.delete(name);
        this.send(encode(Backend.CloseComplete));
        return;
      }
      default: {
        this.fail({ code: '08P01', message: `unsupported protocol message '${String.fromCharCode(type)}'` });
        return;
      }
    }
  }

  /**
   * In real time (the demo server), a reply leaves no sooner than the statements' simulated
   * latency after the request arrived — what `\timing` in psql then shows. Whatever part of it
   * already passed (the engine's work, a real wait for a failover) is not waited twice. The client
   * reads nothing until then: CommandComplete and ReadyForQuery go out together afterwards.
   */
  private async feelLatency(startedAt: number, results: readonly QueryResult[]): Promise<void> {
    if (this.simulator.time !== 'real') return;
    let total = 0;
    for (const result of results) total += result.latencyMs ?? 0;
    const remaining = total - (this.limits.clock.now() - startedAt);
    if (remaining > 0) await this.limits.clock.wait(remaining);
  }

  /** Runs one bound statement (the extended protocol carries exactly one). */
  private async run(session: Session, sql: string, parameters: BoundParameters): Promise<QueryResult> {
    const results = await session.execute(sql, parameters);
    return results.find((r) => r.error) ?? results[results.length - 1] ?? { statement: sql, fields: [], rows: [], tag: '', notices: [] };
  }

  private fail(error: ErrorFields): void {
    this.failedUntilSync = true;
    this.send(errorResponse(error));
  }

  async close(): Promise<void> {
    clearTimeout(this.startupTimer);
    const session = this.session;
    this.session = undefined;
    this.server.forget(this);
    if (session) await this.simulator.closeSession(session);
  }

  /** Drops the connection (its node went down, or its session ended), telling the client why. */
  kill(error: ErrorFields = { severity: 'FATAL', code: '57P01', message: 'server is shutting down' }): void {
    if (!this.socket.destroyed) this.socket.end(errorResponse(error));
    this.socket.destroy();
  }
}

export class WireServer {
  private readonly servers = new Map<number, net.Server>();
  private readonly connections = new Set<Connection>();
  private readonly unsubscribe: () => void;

  private constructor(
    readonly simulator: Simulator,
    private readonly host: string,
    private readonly limits: Limits,
  ) {
    // A node that dies takes its SQL connections with it; one that comes back listens again.
    this.unsubscribe = simulator.on((event) => {
      if (event.type !== 'node') return;
      if (event.node.liveness === 'dead' || event.node.liveness === 'decommissioned') {
        for (const connection of this.connections) if (connection.gateway === event.node.id) connection.kill();
      }
    });
    simulator.onNodeAdded = (nodeId) => void this.listen(nodeId, 0);
  }

  static async start(simulator: Simulator, options: ServeOptions = {}): Promise<WireServer> {
    const server = new WireServer(simulator, options.host ?? '127.0.0.1', {
      maxMessageSize: options.maxMessageSize ?? DEFAULT_MAX_MESSAGE,
      startupTimeoutMs: options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS,
      maxConnectionsPerNode: options.maxConnectionsPerNode ?? DEFAULT_MAX_CONNECTIONS_PER_NODE,
      clock: options.clock ?? REAL_CLOCK,
      log:
        options.log ??
        ((line) => {
          process.stderr.write(`crdb-studio wire: ${line}\n`);
        }),
    });
    const base = options.port ?? 26257;
    for (const node of simulator.model.nodes()) await server.listen(node.id, base === 0 ? 0 : base + node.id - 1);
    return server;
  }

  private listen(nodeId: number, port: number): Promise<void> {
    const server = net.createServer((socket) => {
      const node = this.simulator.model.nodes().find((n) => n.id === nodeId);
      if (!node || node.liveness === 'dead' || node.liveness === 'decommissioned') {
        socket.destroy();
        return;
      }
      // Clients still in their startup count too, up to twice the limit (PostgreSQL's postmaster
      // does the same): past that a client is refused before it has sent anything.
      if (this.open(nodeId) >= 2 * this.limits.maxConnectionsPerNode) {
        socket.on('error', () => undefined);
        socket.end(errorResponse({ severity: 'FATAL', code: '53300', message: 'sorry, too many clients already' }), () => {
          socket.destroy();
        });
        this.log(`node ${nodeId}: client ${socket.remoteAddress ?? ''}:${socket.remotePort ?? ''}: sorry, too many clients already`);
        return;
      }
      this.connections.add(new Connection(socket, this.simulator, nodeId, this, this.limits));
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        const address = server.address();
        if (address && typeof address === 'object') this.simulator.addresses.set(nodeId, `${this.host}:${address.port}`);
        this.servers.set(nodeId, server);
        resolve();
      });
    });
  }

  /** The SQL port of a node. */
  port(nodeId = 1): number {
    const address = this.servers.get(nodeId)?.address();
    return address && typeof address === 'object' ? address.port : 0;
  }

  log(line: string): void {
    this.limits.log(line);
  }

  /** Connections to a node, in their startup or past it. */
  private open(nodeId: number): number {
    let count = 0;
    for (const connection of this.connections) if (connection.gateway === nodeId) count++;
    return count;
  }

  /** Connections to a node whose startup packet was accepted. */
  admitted(nodeId: number): number {
    let count = 0;
    for (const connection of this.connections) if (connection.gateway === nodeId && connection.admitted) count++;
    return count;
  }

  forget(connection: Connection): void {
    this.connections.delete(connection);
  }

  async close(): Promise<void> {
    this.unsubscribe();
    for (const connection of this.connections) connection.kill();
    await Promise.all(
      [...this.servers.values()].map(
        (s) =>
          new Promise<void>((resolve) =>
            s.close(() => {
              resolve();
            }),
          ),
      ),
    );
  }
}
