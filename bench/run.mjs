// Running SQL from the editor (issue: run SQL), against a real PostgreSQL started for the run:
//   - time to the first rows of a 100,000-row result, ready for the results view (the runner's
//     first page, serialised as the view receives it), against psql fetching the same rows from
//     the same server (psql with FETCH_COUNT=500 streams; without it psql shows nothing until
//     every row has arrived)
//   - the memory the runner's process grows by while paging through all 100,000 rows
//   - the runner's overhead per statement over a bare `pg` query (SELECT 1)
// Usage: npm run bench (builds first; installs PostgreSQL with scripts/tools.sh postgres).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const out = (...parts) => path.join(root, 'out', ...parts);
const { startPostgres } = require(out('test', 'support', 'postgres.js'));
const { SqlSession } = require(out('runner', 'src', 'session.js'));
const { runWithRetry } = require(out('runner', 'src', 'retry.js'));
const { Client } = require('pg');
const runs = Number(process.argv[2] ?? 3);

const QUERY = `SELECT i, md5(i::text) AS hash, now() AS at FROM generate_series(1, 100000) AS g(i)`;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const server = await startPostgres();
const config = { host: server.host, port: server.port, user: server.user, password: server.password, database: 'postgres' };

/** ms until psql's first bytes of output, and until it exits. */
function psqlTimes(fetchCount) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first;
    const env = { ...process.env, PGPASSWORD: server.password };
    const args = [
      '-X',
      '-h',
      server.host,
      '-p',
      String(server.port),
      '-U',
      server.user,
      '-d',
      'postgres',
      ...(fetchCount ? ['-v', `FETCH_COUNT=${fetchCount}`] : []),
      '-c',
      QUERY,
    ];
    const child = spawn('psql', args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', () => {
      first ??= performance.now() - started;
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve({ first, total: performance.now() - started }) : reject(new Error(`psql exited ${code}`)),
    );
  });
}

try {
  const ours = [];
  const growth = [];
  for (let i = 0; i < runs; i++) {
    const session = await SqlSession.open(config, {});
    global.gc?.();
    const before = process.memoryUsage();
    const started = performance.now();
    const outcome = await runWithRetry(session, QUERY, { pageSize: 500, retries: 0 });
    // What the results view is sent for the first page.
    JSON.stringify({ type: 'statement', statement: { columns: outcome.columns, rows: outcome.rows, hasMore: outcome.hasMore } });
    ours.push(performance.now() - started);
    let rows = outcome.rows.length;
    let peak = 0;
    for (let more = outcome.hasMore; more;) {
      const page = await outcome.more(500);
      rows += page.rows.length;
      more = page.hasMore;
      peak = Math.max(peak, process.memoryUsage().heapUsed - before.heapUsed);
    }
    if (rows !== 100_000) throw new Error(`paged ${rows} rows, expected 100000`);
    growth.push(peak / 1048576);
    await session.close();
  }
  const psqlStreaming = [];
  const psqlDefault = [];
  for (let i = 0; i < runs; i++) {
    psqlStreaming.push((await psqlTimes(500)).first);
    psqlDefault.push((await psqlTimes(undefined)).first);
  }
  console.log(`100,000-row result, first rows ready (median of ${runs}):`);
  console.log(`  crdb-studio runner, first page of 500     ${median(ours).toFixed(1)} ms`);
  console.log(
    `  psql FETCH_COUNT=500, first output        ${median(psqlStreaming).toFixed(1)} ms  → crdb-studio / psql = ${(median(ours) / median(psqlStreaming)).toFixed(2)}`,
  );
  console.log(
    `  psql (default: all rows, then output)     ${median(psqlDefault).toFixed(1)} ms  → crdb-studio / psql = ${(median(ours) / median(psqlDefault)).toFixed(2)}`,
  );
  console.log(`  heap growth while paging through all 100,000 rows: at most ${Math.max(...growth).toFixed(1)} MiB`);

  // Overhead per statement over a bare pg query.
  const bare = new Client(config);
  await bare.connect();
  const session = await SqlSession.open(config, {});
  const bareTimes = [];
  const ourTimes = [];
  for (let i = 0; i < 300; i++) {
    let t = performance.now();
    await bare.query('SELECT 1');
    bareTimes.push(performance.now() - t);
    t = performance.now();
    const outcome = await runWithRetry(session, 'SELECT 1', { pageSize: 500, retries: 3 });
    await outcome.close();
    ourTimes.push(performance.now() - t);
  }
  await bare.end();
  await session.close();
  console.log(
    `run-statement overhead: SELECT 1 through the runner ${median(ourTimes).toFixed(3)} ms vs bare pg ${median(bareTimes).toFixed(3)} ms (median of 300) → +${(median(ourTimes) - median(bareTimes)).toFixed(3)} ms`,
  );
} finally {
  await server.stop();
}
