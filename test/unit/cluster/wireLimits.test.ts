// The simulated cluster's wire server against clients that misbehave, byte by byte on raw
// sockets: what each one gets back, and that the other clients are still served.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { Simulator } from '../../../cluster/src/simulator';
import {
  Backend,
  cstring,
  encode,
  Frontend,
  int32,
  parseDataRow,
  parseErrorFields,
  StartupCode,
  uint16,
} from '../../../cluster/src/wire/messages';
import { WireServer } from '../../../cluster/src/wire/server';
import { PATIENCE_MS, until } from '../../support/patience';

interface Received {
  type: number;
  payload: Buffer;
}

/** A client on a raw socket: it writes bytes and reads what the server answers, message by message. */
class RawClient {
  private buffer = Buffer.alloc(0);
  closed = false;
  private readonly changed = new Set<() => void>();

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        resolve(new RawClient(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Connects and completes a startup as root. */
  static async login(port: number): Promise<RawClient> {
    const client = await RawClient.connect(port);
    client.send(startupPacket());
    await client.until(Backend.ReadyForQuery);
    return client;
  }

  private notify(): void {
    for (const listener of [...this.changed]) listener();
  }

  private wait<T>(probe: () => T | undefined, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const value = probe();
        if (value !== undefined) {
          this.changed.delete(check);
          clearTimeout(timer);
          resolve(value);
        } else if (this.closed) {
          this.changed.delete(check);
          clearTimeout(timer);
          reject(new Error(`connection closed while waiting for ${what}`));
        }
      };
      const timer = setTimeout(() => {
        this.changed.delete(check);
        reject(new Error(`no ${what}`));
      }, PATIENCE_MS);
      this.changed.add(check);
      check();
    });
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next raw byte (the answer to an SSL or GSS encryption request). */
  byte(): Promise<number> {
    return this.wait(() => {
      const value = this.buffer[0];
      if (value === undefined) return undefined;
      this.buffer = this.buffer.subarray(1);
      return value;
    }, 'byte');
  }

  /** The next message. */
  message(): Promise<Received> {
    return this.wait(() => {
      if (this.buffer.length < 5) return undefined;
      const end = 1 + this.buffer.readUInt32BE(1);
      if (this.buffer.length < end) return undefined;
      const message = { type: this.buffer[0] ?? 0, payload: Buffer.from(this.buffer.subarray(5, end)) };
      this.buffer = this.buffer.subarray(end);
      return message;
    }, 'message');
  }

  /** Messages up to and including the first of `type`. */
  async until(type: number): Promise<Received[]> {
    const messages: Received[] = [];
    for (;;) {
      const message = await this.message();
      messages.push(message);
      if (message.type === type) return messages;
    }
  }

  /** Resolves once the server has closed the connection. */
  closedByServer(): Promise<true> {
    return this.wait(() => (this.closed ? true : undefined), 'close');
  }

  async query(sql: string): Promise<Received[]> {
    this.send(encode(Frontend.Query, cstring(sql)));
    return this.until(Backend.ReadyForQuery);
  }

  end(): Promise<void> {
    this.socket.end();
    return this.closed ? Promise.resolve() : this.closedByServer().then(() => undefined);
  }
}

function startupPacket(parameters: Record<string, string> = { user: 'root', database: 'defaultdb' }): Buffer {
  const body = Buffer.concat([...Object.entries(parameters).flatMap(([k, v]) => [cstring(k), cstring(v)]), Buffer.from([0])]);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.writeUInt32BE(StartupCode.Protocol3, 4);
  return Buffer.concat([header, body]);
}

function request(code: number, extra = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + extra.length, 0);
  header.writeUInt32BE(code, 4);
  return Buffer.concat([header, extra]);
}

function parse(sql: string, name = ''): Buffer {
  return encode(Frontend.Parse, [cstring(name), cstring(sql), uint16(0)]);
}

function bind(values: readonly (string | null)[], statement = ''): Buffer {
  const parts = [cstring(''), cstring(statement), uint16(0), uint16(values.length)];
  for (const value of values) {
    if (value === null) parts.push(int32(-1));
    else parts.push(int32(Buffer.byteLength(value)), Buffer.from(value));
  }
  parts.push(uint16(0));
  return encode(Frontend.Bind, parts);
}

const execute = (): Buffer => encode(Frontend.Execute, [cstring(''), int32(0)]);
const sync = (): Buffer => encode(Frontend.Sync);

function errorOf(messages: readonly Received[]): Record<string, string> | undefined {
  const error = messages.find((m) => m.type === Backend.ErrorResponse);
  return error && parseErrorFields(error.payload);
}

function rowsOf(messages: readonly Received[]): (string | null)[][] {
  return messages.filter((m) => m.type === Backend.DataRow).map((m) => parseDataRow(m.payload));
}

/** Another client is still served: SELECT 1 answers 1. */
async function stillServed(port: number): Promise<void> {
  const other = await RawClient.login(port);
  assert.deepEqual(rowsOf(await other.query('SELECT 1')), [['1']]);
  await other.end();
}

describe('simulated cluster: wire protocol limits', function () {
  this.timeout(4 * PATIENCE_MS);
  const MAX_MESSAGE = 4 * 1024 * 1024;
  const LIMIT = 3;
  let simulator: Simulator;
  let server: WireServer;
  let port: number;
  const logged: string[] = [];
  const consoleErrors: unknown[][] = [];
  const consoleError = console.error;

  before(async () => {
    simulator = await Simulator.start({ nodes: 3 });
    server = await WireServer.start(simulator, {
      port: 0,
      maxMessageSize: MAX_MESSAGE,
      // Short, so the slow client below is dropped soon; the others log in well within it.
      startupTimeoutMs: 3000,
      maxConnectionsPerNode: LIMIT,
      log: (line) => logged.push(line),
    });
    port = server.port(1);
    // pg-gateway prints what it cannot handle (a stack trace) with console.error.
    console.error = (...args: unknown[]) => consoleErrors.push(args);
  });
  after(async () => {
    console.error = consoleError;
    await server.close();
    await simulator.close();
  });
  beforeEach(() => {
    logged.length = 0;
  });
  afterEach(() => {
    assert.deepEqual(consoleErrors, [], 'nothing printed to the console');
  });

  it('refuses a statement numbering a parameter past 65,535 before sizing anything by it', async () => {
    const client = await RawClient.login(port);
    const heapBefore = process.memoryUsage().heapUsed;
    for (const sql of ['SELECT $1000000000', 'SELECT $100000000']) {
      client.send(Buffer.concat([parse(sql, 's'), encode(Frontend.Describe, [Buffer.from('S'), cstring('s')]), sync()]));
      const error = errorOf(await client.until(Backend.ReadyForQuery));
      assert.equal(error?.C, '08P01');
      assert.match(error.M ?? '', /^more than 65535 arguments to prepared statement: 100+$/);
    }
    // A billion OIDs would be gigabytes; the refusal costs nothing like it.
    assert.ok(process.memoryUsage().heapUsed - heapBefore < 256 * 1024 * 1024);
    await stillServed(port);
    await client.end();
  });

  it('passes bound values to the engine as parameters, verbatim, whatever the string settings', async () => {
    const client = await RawClient.login(port);
    assert.equal(errorOf(await client.query('CREATE TABLE victim (id INT PRIMARY KEY, s STRING)')), undefined);
    const hostile = "\\'; DROP TABLE victim; --";
    for (const [id, setting] of [
      ['1', 'on'],
      ['2', 'off'],
    ] as const) {
      assert.equal(errorOf(await client.query(`SET standard_conforming_strings = ${setting}`)), undefined);
      client.send(Buffer.concat([parse('INSERT INTO victim (id, s) VALUES ($1, $2)'), bind([id, hostile]), execute(), sync()]));
      assert.equal(errorOf(await client.until(Backend.ReadyForQuery)), undefined);
    }
    client.send(Buffer.concat([parse('SELECT s, $1::STRING IS NULL FROM victim WHERE id = $2'), bind([null, '2']), execute(), sync()]));
    assert.deepEqual(rowsOf(await client.until(Backend.ReadyForQuery)), [[hostile, 't']]);
    assert.equal(errorOf(await client.query('SET standard_conforming_strings = on')), undefined);
    assert.deepEqual(rowsOf(await client.query('SELECT id, s FROM victim ORDER BY id')), [
      ['1', hostile],
      ['2', hostile],
    ]);
    await client.query('DROP TABLE victim');
    await client.end();
  });

  it('answers a Bind with the wrong number of values with a protocol error', async () => {
    const client = await RawClient.login(port);
    for (const values of [['1'], ['1', '2', '3']]) {
      client.send(Buffer.concat([parse('SELECT $1::INT + $2::INT'), bind(values), execute(), sync()]));
      const messages = await client.until(Backend.ReadyForQuery);
      assert.equal(errorOf(messages)?.C, '08P01');
      assert.equal(errorOf(messages)?.M, `bind message supplies ${values.length} parameters, but prepared statement "" requires 2`);
      assert.deepEqual(rowsOf(messages), []);
    }
    client.send(Buffer.concat([parse('SELECT $1::INT + $2::INT'), bind(['1', '2']), execute(), sync()]));
    assert.deepEqual(rowsOf(await client.until(Backend.ReadyForQuery)), [['3']]);
    await client.end();
  });

  it('closes a connection whose startup packet is too long, after its first bytes', async () => {
    const client = await RawClient.connect(port);
    const header = Buffer.alloc(8);
    header.writeUInt32BE(256 * 1024 * 1024, 0);
    header.writeUInt32BE(StartupCode.Protocol3, 4);
    client.send(header);
    const error = parseErrorFields((await client.message()).payload);
    assert.deepEqual([error.S, error.C, error.M], ['FATAL', '08P01', 'invalid length of startup packet']);
    await client.closedByServer();
    assert.equal(logged.length, 1);
    await stillServed(port);
  });

  it('closes an authenticated connection announcing a message past the maximum size', async () => {
    const client = await RawClient.login(port);
    const header = Buffer.alloc(5);
    header[0] = Frontend.Query;
    header.writeUInt32BE(4 + 2 * MAX_MESSAGE, 1);
    client.send(Buffer.concat([header, Buffer.alloc(64 * 1024, 0x20)]));
    const error = errorOf(await client.until(Backend.ErrorResponse));
    assert.deepEqual(
      [error?.S, error?.C, error?.M],
      ['FATAL', '08P01', 'message size 8 MiB bigger than maximum allowed message size 4 MiB'],
    );
    await client.closedByServer();
    // A message within the limit is read as ever.
    const other = await RawClient.login(port);
    const big = `SELECT length('${'x'.repeat(MAX_MESSAGE / 2)}')`;
    assert.deepEqual(rowsOf(await other.query(big)), [[String(MAX_MESSAGE / 2)]]);
    await other.end();
  });

  it('closes a connection that has not completed its startup within the startup timeout', async () => {
    const client = await RawClient.connect(port);
    // Two bytes of a startup packet, and nothing more.
    client.send(startupPacket().subarray(0, 2));
    const error = parseErrorFields((await client.message()).payload);
    assert.deepEqual([error.S, error.C, error.M], ['FATAL', '57014', 'canceling authentication due to timeout']);
    await client.closedByServer();
  });

  it('answers a client past the connection limit with too many connections', async () => {
    const node = server.port(2);
    const clients = [];
    for (let i = 0; i < LIMIT; i++) clients.push(await RawClient.login(node));
    const refused = await RawClient.connect(node);
    refused.send(startupPacket());
    const error = parseErrorFields((await refused.message()).payload);
    assert.deepEqual([error.S, error.C, error.M], ['FATAL', '53300', 'sorry, too many clients already']);
    await refused.closedByServer();
    // Once one leaves, the next gets in.
    await clients.pop()?.end();
    await until(() => server.admitted(2) < LIMIT, 'a connection to be released');
    clients.push(await RawClient.login(node));
    for (const client of clients) await client.end();
  });

  it('runs a query of 52,000 statements in order, without exhausting the stack', async () => {
    const client = await RawClient.login(port);
    await client.query('CREATE TABLE batch (n INT PRIMARY KEY)');
    const count = 52_000;
    const statements = Array.from({ length: count }, (_, i) => `INSERT INTO batch VALUES (${i})`);
    const messages = await client.query(statements.join(';'));
    assert.equal(errorOf(messages), undefined);
    assert.equal(messages.filter((m) => m.type === Backend.CommandComplete).length, count);
    assert.deepEqual(rowsOf(await client.query('SELECT count(*), min(n), max(n) FROM batch')), [[String(count), '0', String(count - 1)]]);
    await client.query('DROP TABLE batch');
    await client.end();
  });

  it("answers a GSS encryption request with 'N', and the startup that follows goes on", async () => {
    const client = await RawClient.connect(port);
    client.send(request(StartupCode.GSSENCRequest));
    assert.equal(String.fromCharCode(await client.byte()), 'N');
    client.send(startupPacket());
    await client.until(Backend.ReadyForQuery);
    assert.deepEqual(rowsOf(await client.query('SELECT 1')), [['1']]);
    await client.end();
  });

  it('closes a connection that opens with garbage, in one log line and no stack trace', async () => {
    const http = await RawClient.connect(port);
    http.send(Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'));
    const error = parseErrorFields((await http.message()).payload);
    assert.deepEqual([error.S, error.C, error.M], ['FATAL', '08P01', 'invalid length of startup packet']);
    await http.closedByServer();
    assert.equal(logged.length, 1);
    assert.match(logged[0] ?? '', /invalid length of startup packet$/);

    const version = await RawClient.connect(port);
    version.send(request(0x00020000, Buffer.from('user\0root\0\0')));
    assert.equal(parseErrorFields((await version.message()).payload).M, 'unsupported frontend protocol 2.0: server supports 3.0 to 3.0');
    await version.closedByServer();

    const unterminated = await RawClient.connect(port);
    unterminated.send(request(StartupCode.Protocol3, Buffer.from('user\0root')));
    assert.equal(parseErrorFields((await unterminated.message()).payload).C, '08P01');
    await unterminated.closedByServer();
    assert.equal(logged.length, 3);

    // After the startup, a message shorter than its fields is a protocol error, and the connection goes on.
    const client = await RawClient.login(port);
    client.send(
      Buffer.concat([parse('SELECT $1::INT'), encode(Frontend.Bind, [cstring(''), cstring(''), uint16(0), uint16(1), int32(8)]), sync()]),
    );
    const messages = await client.until(Backend.ReadyForQuery);
    assert.deepEqual([errorOf(messages)?.C, errorOf(messages)?.M], ['08P01', 'insufficient data left in message']);
    assert.deepEqual(rowsOf(await client.query('SELECT 1')), [['1']]);
    await client.end();
  });

  it('closes a cancel request without an answer (cancelling is not simulated)', async () => {
    const client = await RawClient.connect(port);
    client.send(request(StartupCode.CancelRequest, Buffer.alloc(8)));
    await client.closedByServer();
    assert.equal(
      await Promise.race([
        client.message().then(
          () => 'message',
          () => 'none',
        ),
      ]),
      'none',
    );
    await stillServed(port);
  });
});
