// The schema explorer's cost of expanding a database, and how it grows with the number of tables:
// a database of N tables (100, 1,000, 10,000) on the simulated cluster, over its wire protocol as
// the extension reads it. Timed, median of `runs`:
//   - explorer: expanding the database node (the catalog reader's SHOW TABLES FROM, parsed into
//     nodes with locality and row estimate), and then one table's Columns (SHOW COLUMNS)
//   - peer: a plain SELECT of information_schema.tables on the same connection — what a
//     PostgreSQL-only tool would read (without localities)
// and the same two on a real PostgreSQL with N tables (the explorer's information_schema fallback).
// Setting up also measures CREATE TABLE on the simulated cluster as the tables accumulate: the
// cost per table of the first and of the last batch, in wall-clock time and in this process's CPU
// time (the simulated cluster runs in it; CPU time is steadier on a busy machine), and the growth
// exponent of that cost against the number of tables (0: it does not grow).
// Needs out/ (npx tsc -p tsconfig.json). Usage: node bench/explorer.mjs [runs] [sizes, e.g. 1000,10000]
import { createRequire } from 'node:module';
import * as path from 'node:path';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { Simulator } = require(path.join(root, 'out', 'cluster', 'src', 'simulator.js'));
const { WireServer } = require(path.join(root, 'out', 'cluster', 'src', 'wire', 'server.js'));
const { CatalogReader } = require(path.join(root, 'out', 'runner', 'src', 'catalog', 'reader.js'));
const { startPostgres } = require(path.join(root, 'out', 'test', 'support', 'postgres.js'));

const runs = Number(process.argv[2] ?? 5);
const sizes = (process.argv[3] ?? '1000,10000').split(',').map(Number);

function queryOf(client) {
  return async (sql) => {
    const result = await client.query({ text: sql, rowMode: 'array', types: { getTypeParser: () => (v) => v } });
    return { columns: result.fields.map((f) => f.name), rows: result.rows };
  };
}

async function median(fn) {
  await fn(); // warm-up: the first read plans the statement and fills caches
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * CREATE TABLE statements, sent in batches (one round trip per batch). Returns each batch's cost
 * per table: wall-clock and CPU milliseconds, with the number of tables there were before it.
 */
async function createTables(client, count) {
  const batch = 200;
  const costs = [];
  for (let i = 0; i < count; i += batch) {
    const statements = [];
    for (let j = i; j < Math.min(count, i + batch); j++) statements.push(`CREATE TABLE t${j} (id INT PRIMARY KEY, v TEXT)`);
    const started = performance.now();
    const cpu = process.cpuUsage();
    await client.query(statements.join(';\n'));
    const used = process.cpuUsage(cpu);
    costs.push({
      before: i,
      wall: (performance.now() - started) / statements.length,
      cpu: (used.user + used.system) / 1000 / statements.length,
    });
  }
  return costs;
}

/** How CREATE TABLE's cost grew from the first batch to the last (exponent against the table count). */
function createGrowth(costs) {
  const first = costs[0];
  const last = costs[costs.length - 1];
  const exponent = (key) =>
    costs.length < 2 ? 'n/a' : (Math.log(last[key] / first[key]) / Math.log((last.before + batchMid(costs)) / batchMid(costs))).toFixed(2);
  return `CREATE TABLE per table: first batch ${fmt(first.wall)} (cpu ${fmt(first.cpu)}), last batch at ${last.before} tables ${fmt(last.wall)} (cpu ${fmt(last.cpu)}); growth exponent wall ${exponent('wall')}, cpu ${exponent('cpu')}`;
}

/** The table count in the middle of the first batch (the cost's reference point). */
function batchMid(costs) {
  return (costs[1]?.before ?? 200) / 2;
}

/** The peer: every table information_schema lists, as a PostgreSQL-only tool reads it. */
const PEER_SQL = "SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE table_type = 'BASE TABLE'";

const fmt = (ms) => `${ms.toFixed(1)} ms`;
const rows = [];

async function measure(label, client, database, peerSql) {
  const reader = new CatalogReader(queryOf(client));
  await reader.dialect();
  let tables = [];
  const expand = await median(async () => {
    tables = await reader.tables(database);
  });
  const first = tables[0];
  const columns = await median(() => reader.columns({ database, schema: first.schema, name: first.name }));
  let peerRows = 0;
  const peer = await median(async () => {
    peerRows = (await client.query(peerSql)).rows.length;
  });
  rows.push({ label, tables: tables.length, expand, columns, peer, peerRows });
  console.log(
    `${label.padEnd(22)} ${String(tables.length).padStart(6)} tables  expand ${fmt(expand).padStart(10)}  columns ${fmt(columns).padStart(9)}  peer ${fmt(peer).padStart(10)} (${peerRows} rows)  ratio ${(expand / peer).toFixed(2)}`,
  );
}

for (const size of sizes) {
  const sim = await Simulator.start({ global: true });
  const server = await WireServer.start(sim, { port: 0 });
  const client = new pg.Client({ host: '127.0.0.1', port: server.port(1), user: 'root', database: 'defaultdb' });
  await client.connect();
  await client.query(
    process.env.BENCH_MULTI_REGION
      ? 'CREATE DATABASE bench PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1"'
      : 'CREATE DATABASE bench',
  );
  await client.query('USE bench');
  const created = performance.now();
  const costs = await createTables(client, size);
  console.log(`simulated: ${size} tables created in ${((performance.now() - created) / 1000).toFixed(1)} s; ${createGrowth(costs)}`);
  await measure('simulated cluster', client, 'bench', PEER_SQL);
  await client.end();
  await server.close();
  await sim.close();

  const postgres = await startPostgres();
  const pgClient = new pg.Client({
    host: postgres.host,
    port: postgres.port,
    user: postgres.user,
    password: postgres.password,
    database: 'postgres',
  });
  await pgClient.connect();
  await createTables(pgClient, size);
  await measure('PostgreSQL (fallback)', pgClient, 'postgres', PEER_SQL);
  await pgClient.end();
  await postgres.stop();
}

// Growth: the exponent of time against tables between the smallest and the largest size.
const growth = (key, label) => {
  const of = rows.filter((r) => r.label === label);
  if (of.length < 2) return '';
  const a = of[0];
  const b = of[of.length - 1];
  return (Math.log(b[key] / a[key]) / Math.log(b.tables / a.tables)).toFixed(2);
};
for (const label of ['simulated cluster', 'PostgreSQL (fallback)'])
  console.log(
    `${label}: growth exponent expand ${growth('expand', label)}, peer ${growth('peer', label)}, columns ${growth('columns', label)}`,
  );
