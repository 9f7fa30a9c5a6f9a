// Lint speed and memory on generated schemas of 1,000 / 10,000 / 100,000 lines (CREATE TABLE
// with indexes, bench/schema.mjs), against the peers in the same run (this machine is shared and
// noisy: read the ratios):
//   - start-up: `crdb-studio --version` against `node -e 0` (with the CLI's code cache made)
//   - whole-process `crdb-studio lint` vs `squawk` (squawk-cli) vs `postgrestools check`, runs
//     interleaved; wall time, and user + system CPU time where /usr/bin/time can tell it; the
//     ratio to squawk with a 95% interval (BENCH_RUNS=31 npm run bench for one worth reading)
//   - in-process full lint of the 10,000-line document, and re-lint after a one-character edit
//   - the language server's memory (RSS) with the 10,000-line document open
// Each figure is taken on two runtimes: Node 24, the current LTS and the Node of the VS Code
// host the language server runs in (code-server's here), and this machine's own `node`.
// Usage: npm run bench (installs the peers and Node 24, builds, then runs this with
// CRDB_PEERS_DIR and CRDB_NODE24 set)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { schema } from './schema.mjs';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const runs = Number(process.argv[2] ?? 5);
const SIZES = [1_000, 10_000, 100_000];

/** The values in a random order (Fisher-Yates). */
function shuffled(values) {
  const result = [...values];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);

/** One run: wall ms, and CPU ms (user + system, children included) when /usr/bin/time is there. */
function runOnce(command, args, env = process.env) {
  const started = performance.now();
  const options = { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env };
  const result = hasTime ? spawnSync(TIME, ['-f', '%U %S', command, ...args], options) : spawnSync(command, args, options);
  const ms = performance.now() - started;
  if (result.error) throw result.error;
  const [user, system] = hasTime ? (result.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number) : [NaN, NaN];
  return { ms, cpu: ((user ?? NaN) + (system ?? NaN)) * 1000, status: result.status };
}

/**
 * Medians over `runs` rounds, the commands ([command, args, env?]) taking turns within each round
 * in an order drawn anew for each: no command always runs right after the same other one (a run
 * right after one that had the processor's caches and clock to itself can be slower).
 */
function timeTogether(commands) {
  const samples = commands.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const c of shuffled(commands.map((_, index) => index))) {
      const [command, args, env] = commands[c];
      samples[c].push(runOnce(command, args, env));
    }
  }
  return samples.map((list) => ({
    ms: median(list.map((s) => s.ms)),
    cpu: median(list.map((s) => s.cpu)),
    status: list.at(-1)?.status,
    walls: list.map((s) => s.ms),
  }));
}

/**
 * How far the ratio of two commands' median wall times can be trusted on a noisy machine: a 95%
 * interval, by resampling the rounds (bootstrap; the two commands' runs of a round stay together).
 * Read it with BENCH_RUNS of 21 or more: five rounds say little.
 */
function ratioInterval(a, b, resamples = 2000) {
  const ratios = [];
  for (let r = 0; r < resamples; r++) {
    const picked = a.walls.map(() => Math.floor(Math.random() * a.walls.length));
    ratios.push(median(picked.map((i) => a.walls[i])) / median(picked.map((i) => b.walls[i])));
  }
  ratios.sort((x, y) => x - y);
  const at = (q) => ratios[Math.min(ratios.length - 1, Math.floor(q * ratios.length))].toFixed(2);
  return `95% interval ${at(0.025)}–${at(0.975)}`;
}

const cpuText = (figure) => (Number.isNaN(figure.cpu) ? '' : `, CPU ${figure.cpu.toFixed(0)} ms`);

const dir = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-bench-'));
const files = new Map(SIZES.map((lines) => [lines, path.join(dir, `schema-${lines}.sql`)]));
for (const [lines, file] of files) writeFileSync(file, schema(lines));
const file = files.get(10_000);
const text = readFileSync(file, 'utf8');
console.log(
  `schemas: ${SIZES.map((lines) => `${lines.toLocaleString('en')} lines (${(readFileSync(files.get(lines)).length / 1024).toFixed(0)} KiB)`).join(', ')}`,
);

const peers = process.env.CRDB_PEERS_DIR;
const node24 = process.env.CRDB_NODE24;
if (!peers || !node24) throw new Error('CRDB_PEERS_DIR or CRDB_NODE24 is not set: run the benchmark with `npm run bench`');
const runtimes = [
  { name: `Node ${spawnSync(node24, ['--version'], { encoding: 'utf8' }).stdout.trim()} (VS Code host)`, node: node24 },
  { name: `Node ${process.version} (this machine)`, node: process.execPath },
];

// In-process: full lint, and re-lint after a one-character edit in the middle, each in a fresh
// process so that neither pays for the other's garbage.
function inProcess(node, mode) {
  const result = spawnSync(node, [path.join(root, 'bench', 'inProcess.mjs'), mode, file, String(runs)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`bench/inProcess.mjs ${mode} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

const cli = path.join(root, 'dist', 'cli', 'cli.js');
const ratio = (a, b) => `${(a.ms / b.ms).toFixed(2)}${Number.isNaN(a.cpu) ? '' : ` (CPU ${(a.cpu / b.cpu).toFixed(2)})`}`;
for (const { name, node } of runtimes) {
  // The crdb-studio command keeps a V8 code cache of its bundle in the user's cache directory,
  // made by the first lint on each Node (cli/src/codeCache.ts), one file for small lints and one
  // for the others where V8 has Maglev (cli/src/tiering.ts): an untimed lint of each size first,
  // so that the runs below are a user's second run and after, as in a project's CI or a
  // pre-commit hook.
  for (const schemaFile of files.values()) runOnce(node, [cli, 'lint', '--format', 'json', schemaFile]);
  const [bare, version] = timeTogether([
    [node, ['-e', '0']],
    [node, [cli, '--version']],
  ]);
  console.log(`${name} (medians of ${runs}, runs interleaved):`);
  console.log(
    `  start-up: crdb-studio --version ${version.ms.toFixed(0)} ms${cpuText(version)}, node -e 0 ${bare.ms.toFixed(0)} ms${cpuText(bare)} → ${ratio(version, bare)}`,
  );
  // Whole-process time, same file, same run; each peer through its npm bin, as users run it.
  for (const [lines, schemaFile] of files) {
    const [ours, squawk, postgrestools] = timeTogether([
      [node, [cli, 'lint', '--format', 'json', schemaFile]],
      [node, [path.join(peers, 'node_modules', '.bin', 'squawk'), '--reporter', 'json', schemaFile]],
      [node, [path.join(peers, 'node_modules', '.bin', 'postgrestools'), 'check', schemaFile]],
    ]);
    console.log(
      `  ${lines.toLocaleString('en').padStart(7)} lines: crdb-studio lint ${ours.ms.toFixed(0)} ms${cpuText(ours)} (exit ${ours.status}); ` +
        `squawk ${squawk.ms.toFixed(0)} ms${cpuText(squawk)} → crdb-studio / squawk = ${ratio(ours, squawk)} [${ratioInterval(ours, squawk)}]; ` +
        `postgrestools check ${postgrestools.ms.toFixed(0)} ms → crdb-studio / postgrestools = ${ratio(ours, postgrestools)}`,
    );
  }
  // What the code cache saves: the same lint with it turned off.
  const [uncached, cached] = timeTogether([
    [node, [cli, 'lint', '--format', 'json', files.get(1_000)], { ...process.env, CRDB_STUDIO_CODE_CACHE: 'off' }],
    [node, [cli, 'lint', '--format', 'json', files.get(1_000)]],
  ]);
  console.log(
    `  code cache, 1,000 lines: lint ${cached.ms.toFixed(0)} ms${cpuText(cached)}, without the cache ${uncached.ms.toFixed(0)} ms${cpuText(uncached)} → ${ratio(cached, uncached)}`,
  );
  const full = inProcess(node, 'full');
  const edit = inProcess(node, 'edit');
  console.log(
    `  in process: full lint ${full.ms.toFixed(1)} ms (${full.findings} findings), re-lint after a one-character edit ${edit.ms.toFixed(2)} ms`,
  );
}

// The server's memory with the document open.
const server = spawn(node24, [path.join(root, 'dist', 'server', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');
const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
const published = new Promise((resolve) =>
  connection.onNotification('textDocument/publishDiagnostics', (params) => resolve(params.diagnostics.length)),
);
connection.listen();
await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
await connection.sendNotification('initialized', {});
await connection.sendNotification('textDocument/didOpen', {
  textDocument: { uri: 'file:///schema.sql', languageId: 'sql', version: 1, text },
});
const diagnostics = await published;
const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0);
console.log(
  `language server (${runtimes[0]?.name}) with the document open: RSS ${(rssKiB / 1024).toFixed(0)} MiB (${diagnostics} diagnostics published)`,
);
await connection.sendRequest('shutdown');
await connection.sendNotification('exit');
connection.dispose();
rmSync(dir, { recursive: true, force: true });
