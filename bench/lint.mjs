// Lint speed and memory on a generated 10,000-line schema (~1,000 CREATE TABLE with indexes),
// against the peers in the same run (this machine is shared and noisy: read the ratios):
//   - whole-process `crdb-studio lint` vs `squawk` (squawk-cli) vs `postgrestools check`
//   - in-process full lint of the document, and re-lint after a one-character edit mid-file
//   - the language server's memory (RSS) with the document open
// Each figure is taken on two runtimes: Node 24, the current LTS and the Node of the VS Code
// host the language server runs in (code-server's here), and this machine's own `node`.
// Usage: npm run bench (installs the peers and Node 24, builds, then runs this with
// CRDB_PEERS_DIR and CRDB_NODE24 set)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const runs = Number(process.argv[2] ?? 5);

function schema() {
  const lines = [];
  for (let t = 0; lines.length < 10_000; t++) {
    lines.push(
      `CREATE TABLE table_${t} (`,
      `    id UUID NOT NULL DEFAULT gen_random_uuid(),`,
      `    account_id UUID NOT NULL,`,
      `    name VARCHAR(200) NOT NULL,`,
      `    amount DECIMAL(12, 2) NOT NULL DEFAULT 0,`,
      `    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),`,
      `    PRIMARY KEY (id)`,
      `);`,
      `CREATE INDEX table_${t}_by_account ON table_${t} (account_id, created_at);`,
      `CREATE INDEX table_${t}_by_time ON table_${t} (created_at);`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeProcess(command, args) {
  const times = [];
  let status;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    times.push(performance.now() - started);
    status = result.status;
    if (result.error) throw result.error;
  }
  return { ms: median(times), status };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-bench-'));
const file = path.join(dir, 'schema.sql');
const text = schema();
writeFileSync(file, text);
const tableCount = (text.match(/CREATE TABLE/g) ?? []).length;
console.log(`schema: ${text.split('\n').length - 1} lines, ${tableCount} CREATE TABLE, ${(text.length / 1024).toFixed(0)} KiB`);

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

for (const { name, node } of runtimes) {
  // Whole-process time, same file, same run; each peer through its npm bin, as users run it.
  const ours = timeProcess(node, [path.join(root, 'dist', 'cli', 'cli.js'), 'lint', '--format', 'json', file]);
  const squawk = timeProcess(node, [path.join(peers, 'node_modules', '.bin', 'squawk'), '--reporter', 'json', file]);
  const postgrestools = timeProcess(node, [path.join(peers, 'node_modules', '.bin', 'postgrestools'), 'check', file]);
  console.log(`${name}, whole process (median of ${runs}):`);
  console.log(`  crdb-studio lint      ${ours.ms.toFixed(0)} ms (exit ${ours.status})`);
  console.log(
    `  squawk                ${squawk.ms.toFixed(0)} ms (exit ${squawk.status})  → crdb-studio / squawk = ${(ours.ms / squawk.ms).toFixed(2)}`,
  );
  console.log(
    `  postgrestools check   ${postgrestools.ms.toFixed(0)} ms (exit ${postgrestools.status})  → crdb-studio / postgrestools = ${(ours.ms / postgrestools.ms).toFixed(2)}`,
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
