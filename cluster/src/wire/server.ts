// The simulated cluster on the PostgreSQL wire protocol: one listening port per node, like
// `cockroach demo` (26257, 26258, …), so psql, pg and the extension connect as to a real cluster,
// and the port a client picks is its gateway node. pg-gateway handles framing, SSL negotiation,
// the startup message and authentication; queries, in both protocols, go through a Session.
// (pg-gateway 0.3: 0.2.4 frames only the first of several pipelined messages, which breaks
// every parameterised query a `pg` client sends.)
import * as net from 'node:net';
import type { fromNodeSocket as FromNodeSocket } from 'pg-gateway/node' with { 'resolution-mode': 'import' };
import { lex } from '../../../sql/src/lexer';
import { quoteLiteral } from '../../../sql/src/names';
import { CRDB_VERSION } from '../engine/bootstrap';
import type { Simulator } from '../simulator';
import type { Session } from '../sql/session';
import type { QueryResult } from '../sql/result';
import { encodeResult } from '../sql/result';
import {
  Backend,
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
} from './messages';

// pg-gateway's types are published for ES modules only; its CommonJS build is what runs here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fromNodeSocket } = require('pg-gateway/node') as { fromNodeSocket: typeof FromNodeSocket };

export interface ServeOptions {
  host?: string;
  /** Port of node 1; node N listens on port + N - 1. 0: free ports. */
  port?: number;
}

interface Prepared {
  sql: string;
  paramTypes: number[];
}

interface Portal {
  sql: string;
  result: QueryResult | undefined;
  sent: number;
}

/** Replaces $1… with the bound values as SQL literals (text format parameters). */
export function bindParameters(sql: string, values: readonly (string | null)[]): string {
  // The lexer's placeholders: a `$1` inside a string, a quoted name or a comment is not one.
  let bound = '';
  let at = 0;
  for (const token of lex(sql).tokens) {
    if (token.kind !== 'placeholder') continue;
    const value = values[Number(token.value.slice(1)) - 1];
    bound += sql.slice(at, token.start) + (value === null || value === undefined ? 'NULL' : quoteLiteral(value));
    at = token.end;
  }
  return bound + sql.slice(at);
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

  constructor(
    private readonly socket: net.Socket,
    private readonly simulator: Simulator,
    private readonly nodeId: number,
    private readonly server: WireServer,
  ) {
    void fromNodeSocket(socket, {
      serverVersion: '13.0.0',
      auth: { method: 'trust' },
      onAuthenticated: (state) => {
        this.start(state.clientParams ?? { user: 'root' });
      },
      onMessage: async (data, state) => {
        // Before authentication, and for Terminate, pg-gateway does the work.
        if (!state.isAuthenticated || data[0] === Frontend.Terminate) return undefined;
        const out = await this.onMessage(Buffer.from(data));
        return out.length > 0 ? Buffer.concat(out) : new Uint8Array(0);
      },
    });
    socket.on('close', () => void this.close());
    socket.on('error', () => void this.close());
  }

  get gateway(): number {
    return this.nodeId;
  }

  private send(chunks: Buffer | readonly Buffer[]): void {
    if (Buffer.isBuffer(chunks)) this.out.push(chunks);
    else this.out.push(...chunks);
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
      this.send(errorResponse({ code: 'XX000', message: `internal error: ${error instanceof Error ? error.message : String(error)}` }));
      if (type === Frontend.Query) this.send(readyForQuery(session.status));
    }
    return this.out;
  }

  private async handle(session: Session, type: number, payload: Buffer): Promise<void> {
    if (type === Frontend.Query) {
      const sql = new PayloadReader(payload).cstring();
      const results = await session.execute(sql);
      this.send([...results.flatMap(encodeResult), readyForQuery(session.status)]);
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
        const count = reader.int16();
        const paramTypes: number[] = [];
        for (let i = 0; i < count; i++) paramTypes.push(reader.int32());
        this.prepared.set(name, { sql, paramTypes });
        this.send(encode(Backend.ParseComplete));
        return;
      }
      case Frontend.Bind: {
        const portal = reader.cstring();
        const statement = this.prepared.get(reader.cstring());
        if (!statement) {
          this.fail({ code: '26000', message: 'prepared statement does not exist' });
          return;
        }
        const formatCount = reader.int16();
        const formats: number[] = [];
        for (let i = 0; i < formatCount; i++) formats.push(reader.int16());
        const valueCount = reader.int16();
        const values: (string | null)[] = [];
        for (let i = 0; i < valueCount; i++) {
          const length = reader.int32();
          if (length < 0) values.push(null);
          else values.push(reader.bytes(length).toString('utf8'));
        }
        const resultFormatCount = reader.int16();
        const resultFormats: number[] = [];
        for (let i = 0; i < resultFormatCount; i++) resultFormats.push(reader.int16());
        if (formats.some((f) => f === 1) || resultFormats.some((f) => f === 1)) {
          this.fail({ code: '0A000', message: 'binary format is not supported by the simulated cluster; use text format' });
          return;
        }
        this.portals.set(portal, { sql: bindParameters(statement.sql, values), result: undefined, sent: 0 });
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
          const count = lex(statement.sql)
            .tokens.filter((t) => t.kind === 'placeholder')
            .reduce((max, p) => Math.max(max, Number(p.value.slice(1))), 0);
          const types = Array.from({ length: count }, (_, i) => statement.paramTypes[i] ?? 25);
          const description = Buffer.alloc(2 + 4 * count);
          description.writeInt16BE(count, 0);
          types.forEach((t, i) => description.writeInt32BE(t, 2 + 4 * i));
          this.send([encode(Backend.ParameterDescription, description), encode(Backend.NoData)]);
          return;
        }
        const portal = this.portals.get(name);
        if (!portal) {
          this.fail({ code: '34000', message: `portal "${name}" does not exist` });
          return;
        }
        portal.result ??= await this.run(session, portal.sql);
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
        portal.result ??= await this.run(session, portal.sql);
        const result = portal.result;
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

  /** Runs one bound statement (the extended protocol carries exactly one). */
  private async run(session: Session, sql: string): Promise<QueryResult> {
    const results = await session.execute(sql);
    return results.find((r) => r.error) ?? results[results.length - 1] ?? { statement: sql, fields: [], rows: [], tag: '', notices: [] };
  }

  private fail(error: ErrorFields): void {
    this.failedUntilSync = true;
    this.send(errorResponse(error));
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    this.server.forget(this);
    if (session) await this.simulator.closeSession(session);
  }

  /** Drops the connection (its node went down). */
  kill(): void {
    if (!this.socket.destroyed) this.socket.end(errorResponse({ severity: 'FATAL', code: '57P01', message: 'server is shutting down' }));
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
    const server = new WireServer(simulator, options.host ?? '127.0.0.1');
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
      this.connections.add(new Connection(socket, this.simulator, nodeId, this));
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
