// Soak of the simulated cluster's session lifecycle (not part of npm test): the bank workload over
// the wire while nodes are shut down and restarted, clients vanish mid-statement, mid-transaction
// and while queued, a client sits idle in a transaction, and random bytes arrive on fresh sockets.
// Bounded in time, on 127.0.0.1 only. At the end: money conserved, every acknowledged transfer
// present (acknowledged writes lost must be 0), peak RSS, and SELECT 1 latency during and after.
// Usage (after `npx tsc -p tsconfig.json`): node bench/soak.mjs [minutes=10] [seed]
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { Client } = require('pg');
const { Simulator } = require(path.join(root, 'out/cluster/src/simulator.js'));
const { WireServer } = require(path.join(root, 'out/cluster/src/wire/server.js'));
const { initBank, runBank, checkBank } = require(path.join(root, 'out/cluster/src/workload/bank.js'));

const minutes = Number(process.argv[2] ?? 10);
const seed = Number(process.argv[3] ?? Math.floor(Math.random() * 2 ** 31));
const durationMs = minutes * 60_000;
const NODES = 5;
const WORKERS = 4;
const bank = { accounts: 100, initialBalance: 1000 };

let state = seed >>> 0 || 1;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (n) => Math.floor(random() * n);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const figures = {
  seed,
  minutes,
  transfers: 0,
  workerErrors: 0,
  retries: 0,
  disconnectsMidStatement: 0,
  abandonedWaits: 0,
  idleTransactions: 0,
  idleTransactionsAborted: 0,
  nodeKills: 0,
  nodeRestarts: 0,
  malformedConnections: 0,
  probes: 0,
  probeErrors: 0,
};
/** Transfer ids whose COMMIT the cluster acknowledged. */
const acknowledged = [];
const probeDuring = [];
const probeAfter = [];
/** Why probes failed, by SQLSTATE (40001: waited past the lock's wait bound). */
const probeErrorCodes = {};
let peakRssMiB = 0;
const stop = new AbortController();
const started = performance.now();
const elapsed = () => performance.now() - started;

const simulator = await Simulator.start({ nodes: NODES, time: 'real', seed });
const server = await WireServer.start(simulator, { host: '127.0.0.1', port: 0 });
const alive = new Set(Array.from({ length: NODES }, (_, i) => i + 1));

function connectTo(node, onSocket) {
  const client = new Client({ host: '127.0.0.1', port: server.port(node), user: 'root', database: 'defaultdb' });
  client.on('error', () => undefined);
  return client.connect().then(() => {
    onSocket?.(client.connection.stream);
    return client;
  });
}

const rss = setInterval(() => {
  peakRssMiB = Math.max(peakRssMiB, process.memoryUsage().rss / 2 ** 20);
}, 500);

const admin = await connectTo(1);
await initBank(admin, bank);

/** Statements of one admin command, retried while the engine is busy (40001). */
async function adminQuery(sql) {
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      return await admin.query(sql);
    } catch (error) {
      if (error.code !== '40001') throw error;
    }
  }
  throw new Error(`${sql}: still 40001 after 10 attempts`);
}

/** A client that records a transfer as acknowledged only when its COMMIT returned. */
function recording(client) {
  let last;
  return {
    async query(sql) {
      const result = await client.query(sql);
      const insert = /^INSERT INTO bank\.transfers \(id, from_id, to_id, amount\) VALUES \((\d+),/.exec(sql);
      if (insert) last = insert[1];
      if (sql === 'COMMIT' && last !== undefined) {
        acknowledged.push(last);
        last = undefined;
      } else if (sql === 'BEGIN' || sql === 'ROLLBACK') last = undefined;
      return result;
    },
  };
}

/** One bank worker: connects to a live node, runs short bursts, reconnects after any drop. */
async function worker(index) {
  const sockets = new Set();
  while (!stop.signal.aborted) {
    const node = [...alive][pick(alive.size)] ?? 1;
    let client;
    try {
      client = await connectTo(node, (socket) => sockets.add(socket));
    } catch {
      await sleep(200);
      continue;
    }
    const socket = client.connection.stream;
    // Sometimes the socket goes mid-burst, whatever the client is doing.
    const cut =
      random() < 0.3
        ? setTimeout(
            () => {
              figures.disconnectsMidStatement++;
              socket.destroy();
            },
            200 + pick(3000),
          )
        : undefined;
    try {
      const result = await runBank(recording(client), {
        ...bank,
        maxTransfers: 5 + pick(50),
        durationMs: 30_000,
        seed: seed + index * 7919 + pick(1e6),
        signal: stop.signal,
      });
      figures.transfers += result.transfers;
      figures.retries += result.retries;
      figures.workerErrors += result.errors;
    } catch {
      figures.workerErrors++;
    } finally {
      clearTimeout(cut);
      await client.end().catch(() => undefined);
      sockets.delete(socket);
    }
  }
}

/** Node chaos: one node at a time (never node 1, the admin's) is shut down, then restarted. */
async function chaos() {
  while (!stop.signal.aborted) {
    await sleep(4000 + pick(8000));
    if (stop.signal.aborted) break;
    const victim = 2 + pick(NODES - 1);
    try {
      await adminQuery(`\\demo shutdown ${victim}`);
      alive.delete(victim);
      figures.nodeKills++;
      await sleep(2000 + pick(6000));
      await adminQuery(`\\demo restart ${victim}`);
      alive.add(victim);
      figures.nodeRestarts++;
    } catch {
      // Refused (e.g. the node was already down): the next round tries again.
    }
  }
}

/** Clients that misbehave: idle in a transaction, or gone while their BEGIN waits. */
async function misbehave() {
  while (!stop.signal.aborted) {
    await sleep(2000 + pick(5000));
    if (stop.signal.aborted) break;
    const node = [...alive][pick(alive.size)] ?? 1;
    let client;
    try {
      client = await connectTo(node);
    } catch {
      continue;
    }
    try {
      if (random() < 0.5) {
        // Idle in a transaction that changes nothing, longer than the hold bound at times.
        figures.idleTransactions++;
        await client.query('BEGIN');
        await client.query('UPDATE bank.bank SET balance = balance WHERE id = 0');
        await sleep(pick(15_000));
        await client.query(random() < 0.5 ? 'COMMIT' : 'ROLLBACK');
      } else {
        // BEGIN sent, then the client vanishes while it may still be queued.
        figures.abandonedWaits++;
        void client.query('BEGIN').catch(() => undefined);
        await sleep(pick(500));
        client.connection.stream.destroy();
      }
    } catch (error) {
      if (error.code === '40001') figures.idleTransactionsAborted++;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** Random bytes on fresh sockets; sometimes after a well-formed startup packet. */
async function malformed() {
  while (!stop.signal.aborted) {
    await sleep(300 + pick(1500));
    const node = [...alive][pick(alive.size)] ?? 1;
    const socket = net.connect(server.port(node), '127.0.0.1');
    socket.on('error', () => undefined);
    socket.on('connect', () => {
      figures.malformedConnections++;
      if (random() < 0.5) {
        const params = Buffer.from('user\0root\0database\0defaultdb\0\0');
        const head = Buffer.alloc(8);
        head.writeInt32BE(8 + params.length, 0);
        head.writeInt32BE(0x00030000, 4);
        socket.write(Buffer.concat([head, params]));
      }
      socket.write(randomBytes(1 + pick(2048)));
      setTimeout(() => socket.destroy(), 50 + pick(1000));
    });
  }
}

/** SELECT 1 on a fresh connection through node 1, every second: its latency. */
async function probe(into) {
  const begun = performance.now();
  figures.probes++;
  let client;
  try {
    client = await connectTo(1);
    await client.query('SELECT 1');
    into.push(performance.now() - begun);
  } catch (error) {
    figures.probeErrors++;
    const code = error.code ?? 'no code';
    probeErrorCodes[code] = (probeErrorCodes[code] ?? 0) + 1;
  } finally {
    await client?.end().catch(() => undefined);
  }
}

async function probing() {
  while (!stop.signal.aborted) {
    await probe(probeDuring);
    await sleep(1000);
  }
}

const tasks = [...Array.from({ length: WORKERS }, (_, i) => worker(i)), chaos(), misbehave(), malformed(), probing()];
const report = setInterval(() => {
  console.log(
    `${(elapsed() / 1000).toFixed(0)}s transfers ${figures.transfers} acknowledged ${acknowledged.length} errors ${figures.workerErrors} kills ${figures.nodeKills} rss ${peakRssMiB.toFixed(0)} MiB`,
  );
}, 30_000);
await sleep(durationMs);
stop.abort();
// Bounded: whatever has not wound down a minute after the end is reported as wedged.
const wound = await Promise.race([Promise.all(tasks).then(() => true), sleep(60_000).then(() => false)]);
clearInterval(report);
for (const node of Array.from({ length: NODES }, (_, i) => i + 1))
  if (!alive.has(node)) await adminQuery(`\\demo restart ${node}`).catch(() => undefined);
for (let i = 0; i < 20; i++) await probe(probeAfter);
const check = await checkBank(admin, acknowledged.map(Number), bank);
clearInterval(rss);

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const ms = (v) => `${v.toFixed(1)} ms`;
const lost = check.missing.length;
console.log(JSON.stringify({ ...figures, probeErrorCodes, acknowledgedTransfers: acknowledged.length, wound }, null, 2));
console.log(`wall ${(elapsed() / 60_000).toFixed(1)} min, seed ${seed}`);
console.log(`transfers acknowledged: ${acknowledged.length}; worker errors: ${figures.workerErrors}; 40001 retries: ${figures.retries}`);
console.log(
  `bank invariant: total ${check.total}, expected ${check.expectedTotal} -> ${check.total === check.expectedTotal ? 'conserved' : 'VIOLATED'}`,
);
console.log(`acknowledged writes lost: ${lost}`);
console.log(`peak RSS: ${peakRssMiB.toFixed(0)} MiB`);
console.log(
  `SELECT 1 (fresh connection) during: p50 ${ms(quantile(probeDuring, 0.5))}, p99 ${ms(quantile(probeDuring, 0.99))}, max ${ms(Math.max(...probeDuring))} over ${probeDuring.length} probes (${figures.probeErrors} failed)`,
);
console.log(`SELECT 1 after: p50 ${ms(quantile(probeAfter, 0.5))}, max ${ms(Math.max(...probeAfter))} over ${probeAfter.length} probes`);
await admin.end().catch(() => undefined);
await server.close();
await simulator.close();
process.exit(lost === 0 && check.total === check.expectedTotal && wound && probeAfter.length === 20 ? 0 : 1);
