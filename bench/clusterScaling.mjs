// The simulated cluster's costs as the work grows (issue 10, item 4): a statement has only the
// tables it changed measured again (a table's size and rows per region cost a scan of it).
//   (a) a script of N × (CREATE TABLE; INSERT one row), N = 10 / 100 / 1,000: total time, tables
//       measured, and the exponent of time against N (log-log slope between sizes)
//   (b) a one-row INSERT into a new tiny table, with a table of 10k / 100k / 1M rows elsewhere
// Each against the same work with every table re-measured at each refresh (the simulator's
// `measureEveryTable` option: the behaviour before), in the same run.
// Usage: npm run bench (builds first), or node bench/clusterScaling.mjs [max N for the baseline]
import { createRequire } from 'node:module';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { Simulator } = require(path.join(root, 'out', 'cluster', 'src', 'simulator.js'));
// Re-measuring every table costs N(N+1)/2 scans: past N = 100 the baseline takes many minutes.
const baselineMaxN = Number(process.argv[2] ?? 100);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The exponent k of time ∝ N^k between two sizes. */
function slope(n1, t1, n2, t2) {
  return Math.log(t2 / t1) / Math.log(n2 / n1);
}

async function run(session, sql) {
  const results = await session.execute(sql);
  const failed = results.find((r) => r.error);
  if (failed) throw new Error(`${sql.slice(0, 80)}: ${failed.error.message}`);
  return results;
}

// ---- (a) N × (CREATE TABLE; INSERT) ----------------------------------------------------------------
async function script(n, measureEveryTable) {
  const simulator = await Simulator.start({ nodes: 3, measureEveryTable });
  try {
    const session = simulator.openSession();
    await run(session, 'SELECT 1');
    const sql = Array.from(
      { length: n },
      (_, i) => `CREATE TABLE t${i} (id INT PRIMARY KEY, v INT); INSERT INTO t${i} VALUES (1, 1);`,
    ).join('\n');
    const before = simulator.measurements.count;
    const started = performance.now();
    await run(session, sql);
    return { ms: performance.now() - started, measured: simulator.measurements.count - before };
  } finally {
    await simulator.close();
  }
}

// The first simulator of a process pays for compiling and caching: not part of any figure.
await script(10, false);
console.log('(a) one script of N × (CREATE TABLE; INSERT one row)');
const sizes = [10, 100, 1000];
const after = [];
const before = [];
for (const n of sizes) {
  const now = await script(n, false);
  after.push(now);
  let line = `  N = ${String(n).padStart(4)}: ${now.ms.toFixed(0).padStart(6)} ms, ${now.measured} tables measured`;
  if (n <= baselineMaxN) {
    const old = await script(n, true);
    before.push(old);
    line += ` | every table re-measured: ${old.ms.toFixed(0)} ms, ${old.measured} measured (N(N+1)/2 = ${(n * (n + 1)) / 2}) → ${(old.ms / now.ms).toFixed(1)}× faster`;
  }
  console.log(line);
}
for (let i = 1; i < sizes.length; i++) {
  const pieces = [`N ${sizes[i - 1]} → ${sizes[i]}: time ∝ N^${slope(sizes[i - 1], after[i - 1].ms, sizes[i], after[i].ms).toFixed(2)}`];
  pieces.push(`tables measured ∝ N^${slope(sizes[i - 1], after[i - 1].measured, sizes[i], after[i].measured).toFixed(2)}`);
  if (before[i])
    pieces.push(`every table re-measured: time ∝ N^${slope(sizes[i - 1], before[i - 1].ms, sizes[i], before[i].ms).toFixed(2)}`);
  console.log(`  ${pieces.join(', ')}`);
}

// ---- (b) a one-row INSERT next to a large table ---------------------------------------------------
async function insertNextTo(rows, measureEveryTable) {
  const simulator = await Simulator.start({ nodes: 3, measureEveryTable });
  try {
    const session = simulator.openSession();
    await run(session, 'CREATE TABLE big (id INT PRIMARY KEY, v INT)');
    await run(session, `INSERT INTO big SELECT i, i FROM generate_series(1, ${rows}) AS g(i)`);
    await run(session, 'SHOW RANGES FROM TABLE big');
    const times = [];
    const measured = [];
    for (let i = 0; i < 9; i++) {
      await run(session, `CREATE TABLE tiny${i} (id INT PRIMARY KEY)`);
      const count = simulator.measurements.count;
      const started = performance.now();
      await run(session, `INSERT INTO tiny${i} VALUES (1)`);
      times.push(performance.now() - started);
      measured.push(simulator.measurements.count - count);
    }
    return { ms: median(times), measured: median(measured) };
  } finally {
    await simulator.close();
  }
}

await insertNextTo(1000, false);
console.log('(b) a one-row INSERT into a new tiny table, with a large table elsewhere (median of 9)');
const rowCounts = [10_000, 100_000, 1_000_000];
const tiny = [];
const tinyBefore = [];
for (const rows of rowCounts) {
  const now = await insertNextTo(rows, false);
  const old = await insertNextTo(rows, true);
  tiny.push(now);
  tinyBefore.push(old);
  console.log(
    `  ${String(rows).padStart(9)} rows elsewhere: ${now.ms.toFixed(1)} ms, ${now.measured} table(s) measured | every table re-measured: ${old.ms.toFixed(1)} ms, ${old.measured} measured → ${(old.ms / now.ms).toFixed(1)}× faster`,
  );
}
const last = rowCounts.length - 1;
console.log(
  `  10k → 1M rows elsewhere: time ∝ rows^${slope(rowCounts[0], tiny[0].ms, rowCounts[last], tiny[last].ms).toFixed(2)} (0: independent of the other table), every table re-measured: ∝ rows^${slope(rowCounts[0], tinyBefore[0].ms, rowCounts[last], tinyBefore[last].ms).toFixed(2)}`,
);
console.log('  (the second table measured is the previous tiny table, which its own INSERT left to be measured again)');
