// The simulated cluster's figures (issue: simulated cluster), in one run:
//   - `crdb-studio demo --global` from spawn to answering a query (target ≤ 1 s; a real
//     `cockroach demo --global` takes tens of seconds), and its RSS (target ≤ 400 MB)
//   - bank workload transactions/s through the wire protocol, against the same transfers on a
//     bare PGlite in this process (the engine underneath, without the simulator)
//   - simulated failover after killing a leaseholder's node, against CockroachDB's documented
//     bound (about 6–7 s; pkg/base/config.go), over many seeds, and once in real time
//   - the cluster model's own cost: setSpans + failover with 9 nodes × 5,000 ranges
// Usage: npm run bench (builds first), or node bench/cluster.mjs [runs]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { Client } = require('pg');
const runs = Number(process.argv[2] ?? 3);
const cli = path.join(root, 'dist', 'cli', 'cli.js');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function rssMiB(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

/** Spawns the demo; resolves when a query through node 1 has been answered. */
async function startDemo() {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, 'demo', '--global', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /\(sql\)\s+(postgresql:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`demo exited (${code})`)));
  });
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query('SELECT 1');
  const ms = performance.now() - started;
  return { child, url, client, ms };
}

async function stopDemo(demo) {
  await demo.client.end().catch(() => {});
  await new Promise((resolve) => {
    demo.child.once('exit', resolve);
    demo.child.kill('SIGINT');
  });
}

// ---- start-up and memory -------------------------------------------------------------------
const starts = [];
let rss = 0;
for (let i = 0; i < runs; i++) {
  const demo = await startDemo();
  starts.push(demo.ms);
  rss = Math.max(rss, rssMiB(demo.child.pid));
  await stopDemo(demo);
}
console.log(`crdb-studio demo --global → first query answered: median ${median(starts).toFixed(0)} ms of ${runs} (target ≤ 1000 ms)`);
console.log(`  its RSS after the query: ${rss.toFixed(0)} MiB (target ≤ 400 MB)`);

// ---- bank: through the wire vs PGlite direct --------------------------------------------------
const { initBank, runBank } = require(path.join(root, 'out', 'cluster', 'src', 'workload', 'bank.js'));
const seconds = 5;
const demo = await startDemo();
await initBank(demo.client, { accounts: 1000 });
const wire = await runBank(demo.client, { accounts: 1000, durationMs: seconds * 1000 });
const wireRss = rssMiB(demo.child.pid);
await stopDemo(demo);

const { PGlite } = await import('@electric-sql/pglite');
const db = await PGlite.create({ postgresqlconf: ['shared_buffers=8MB'] });
await db.exec(`CREATE TABLE bank (id INT8 PRIMARY KEY, balance INT8 NOT NULL, payload TEXT);
  CREATE TABLE transfers (id INT8 PRIMARY KEY, from_id INT8 NOT NULL, to_id INT8 NOT NULL, amount INT8 NOT NULL);
  INSERT INTO bank SELECT i, 1000, 'initial' FROM generate_series(0, 999) AS g(i);`);
// The same statements runBank sends, on the engine alone (schema-qualified names dropped).
const direct = await runBank(
  {
    query: async (sql) => ({ rows: (await db.query(sql.replaceAll('bank.bank', 'bank').replaceAll('bank.transfers', 'transfers'))).rows }),
  },
  { accounts: 1000, durationMs: seconds * 1000 },
);
await db.close();
const wireRate = wire.transfers / (wire.elapsedMs / 1000);
const directRate = direct.transfers / (direct.elapsedMs / 1000);
console.log(
  `bank, one client, ${seconds} s: through the wire ${wireRate.toFixed(0)} transfers/s, PGlite direct ${directRate.toFixed(0)}/s → wire / direct = ${(wireRate / directRate).toFixed(2)} (demo RSS after: ${wireRss.toFixed(0)} MiB)`,
);

// ---- failover -----------------------------------------------------------------------------------
const { ClusterModel } = require(path.join(root, 'out', 'cluster', 'src', 'model', 'cluster.js'));
const { demoLocalities } = require(path.join(root, 'out', 'cluster', 'src', 'model', 'topology.js'));
const { defaultZoneConfig, tableZoneConfig } = require(path.join(root, 'out', 'cluster', 'src', 'model', 'zoneConfig.js'));
const failovers = [];
for (let seed = 1; seed <= 100; seed++) {
  const model = new ClusterModel({ localities: demoLocalities({ global: true }), seed });
  model.setSpans([
    {
      key: 'db.public.t@t_pkey',
      database: 'db',
      table: 't',
      index: 't_pkey',
      tableId: 104,
      indexId: 1,
      sizeBytes: 1024,
      rows: 10,
      zone: defaultZoneConfig(),
    },
  ]);
  const range = model.ranges().find((r) => r.table === 't');
  const victim = range.leaseholder;
  const killedAt = model.clock.now();
  model.killNode(victim);
  let at = killedAt;
  while (!model.checkAvailable([range.rangeId]).ok && at - killedAt < 60_000) {
    at += 10;
    model.advanceTo(at);
  }
  failovers.push(at - killedAt);
}
failovers.sort((a, b) => a - b);
console.log(
  `simulated failover after killing a leaseholder's node (100 seeds): min ${(failovers[0] / 1000).toFixed(2)} s, median ${(median(failovers) / 1000).toFixed(2)} s, max ${(failovers[failovers.length - 1] / 1000).toFixed(2)} s (CockroachDB: bounded at about 6–7 s, typically a few seconds)`,
);

// The model's own cost: placing 5,000 regional tables on 9 nodes, then failing node 1 over (the
// budget the model tests used to assert: best of two runs after a warm-up, target < 100 ms).
const { MAX_FAILOVER_MS } = require(path.join(root, 'out', 'cluster', 'src', 'model', 'timing.js'));
const movr = { name: 'movr', regions: ['us-east1', 'us-west1', 'europe-west1'], primaryRegion: 'us-east1', survival: 'zone' };
const manySpans = Array.from({ length: 5000 }, (_, i) => ({
  key: `movr.public.t${104 + i}@primary`,
  table: `t${104 + i}`,
  tableId: 104 + i,
  indexId: 1,
  sizeBytes: 1024,
  rows: 10,
  zone: tableZoneConfig(movr, { kind: 'regional-by-table', region: movr.regions[i % 3] }),
}));
const placeAndFailOver = () => {
  const model = new ClusterModel({ localities: demoLocalities({ global: true }), seed: 53 });
  const started = performance.now();
  model.setSpans(manySpans);
  model.killNode(1);
  model.advance(MAX_FAILOVER_MS);
  return performance.now() - started;
};
placeAndFailOver(); // warm up the JIT
console.log(
  `cluster model, 9 nodes × 5,000 ranges: setSpans + failover of node 1 took ${Math.min(placeAndFailOver(), placeAndFailOver()).toFixed(1)} ms (best of 2; target < 100 ms)`,
);

// Real time, through the demo: kill the leaseholder of a table, time the next statement.
const live = await startDemo();
await live.client.query('CREATE TABLE t (id INT PRIMARY KEY, v INT)');
await live.client.query('INSERT INTO t VALUES (1, 1)');
const ranges = await live.client.query('SHOW RANGES FROM TABLE t WITH DETAILS');
const leaseholder = Number(ranges.rows[0].lease_holder);
if (leaseholder === 1) {
  console.log('real-time failover: the leaseholder is the gateway node; skipped in this run (seeded placement)');
} else {
  await live.client.query(`\\demo shutdown ${leaseholder}`);
  const started = performance.now();
  await live.client.query('UPDATE t SET v = v + 1 WHERE id = 1');
  console.log(`real-time failover through crdb-studio demo: the next write waited ${((performance.now() - started) / 1000).toFixed(2)} s`);
}
await stopDemo(live);
