// The language server as an editor meets it while the user types, over stdio, on the generated
// schema of bench/schema.mjs at 1,000 / 10,000 / 100,000 lines:
//   - CPU per edit (the server process's user + system time, from /proc, averaged over a run of
//     one-character edits, each followed by the diagnostics for that version) with the edit at
//     the top, in the middle and at the end of the file; the server is asked for diagnostics
//     (LSP 3.17 pull) when it offers that, else the bench waits for the ones it publishes
//   - RSS through 1,000 edits of the 10,000-line file (at the start, after every 250)
// Usage: node bench/languageServer.mjs [node] [edits per point]  (after `node esbuild.mjs`)
// Environment: BENCH_LS_SIZES=100000 (comma-separated line counts; `none` skips them),
// BENCH_LS_RSS=0 (skips the RSS run), BENCH_LS_SERVER (another server bundle),
// BENCH_LS_NODE_ARGS (e.g. --cpu-prof --cpu-prof-dir=<dir>, given to the server's node; VS Code's
// client starts the server with --max-semi-space-size=16, client/src/languageClient.ts: pass it
// here to measure the server as VS Code runs it, leave it out to measure it as Neovim does).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { schema } from './schema.mjs';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');

const node = process.argv[2] ?? process.execPath;
const editsPerPoint = Number(process.argv[3] ?? 40);
const CLOCK_TICKS = 100; // USER_HZ on Linux
const sizes = (process.env.BENCH_LS_SIZES ?? '1000,10000,100000')
  .split(',')
  .filter((n) => n !== 'none')
  .map(Number);
const serverPath = process.env.BENCH_LS_SERVER ?? path.join(root, 'dist', 'server', 'server.js');
const nodeArgs = (process.env.BENCH_LS_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');

/** The process's user + system CPU time in ms (resolution: one clock tick). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

function rssMiB(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

/** Line and character of `offset` in `text`. */
function positionAt(text, offset) {
  const before = text.lastIndexOf('\n', offset - 1);
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { line, character: offset - before - 1 };
}

async function startServer() {
  const server = spawn(node, [...nodeArgs, serverPath, '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    // The 100,000-line file is larger than the server analyses by default.
    env: { ...process.env, CRDB_STUDIO_MAX_ANALYSED_BYTES: String(16 * 1024 * 1024) },
  });
  const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  const waiting = new Map();
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    const resolve = waiting.get(params.version);
    if (resolve) {
      waiting.delete(params.version);
      resolve(params.diagnostics.length);
    }
  });
  // The bench pulls after every edit anyway: a request to pull again needs only an answer.
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  connection.listen();
  const { capabilities } = await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    // As VS Code's client: it pulls diagnostics, and can be asked to pull again (the server pulls
    // only from clients that can be asked; the others are sent diagnostics).
    capabilities: {
      textDocument: { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } },
      workspace: { diagnostics: { refreshSupport: true } },
    },
  });
  await connection.sendNotification('initialized', {});
  const pull = capabilities.diagnosticProvider !== undefined;
  let resultId;
  /** Diagnostics for `version`: pulled when the server offers it, else as published. */
  const diagnosticsFor = async (uri, version) => {
    if (!pull) return new Promise((resolve) => waiting.set(version, resolve));
    const report = await connection.sendRequest('textDocument/diagnostic', { textDocument: { uri }, previousResultId: resultId });
    resultId = report.resultId;
    return report.kind === 'full' ? report.items.length : 'unchanged';
  };
  const stop = async () => {
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    connection.dispose();
    await new Promise((resolve) => (server.exitCode === null ? server.once('exit', resolve) : resolve()));
  };
  return { server, connection, pull, diagnosticsFor, stop };
}

/** Opens the schema, then types and deletes a character at `where`, `edits` times. */
async function typing(lines, where, edits, onEdit) {
  const { server, connection, pull, diagnosticsFor, stop } = await startServer();
  const uri = 'file:///bench/schema.sql';
  const text = schema(lines);
  let version = 1;
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version, text } });
  const diagnostics = await diagnosticsFor(uri, version);
  const anchor =
    where === 'top'
      ? text.indexOf('amount DECIMAL')
      : where === 'middle'
        ? text.indexOf('amount DECIMAL', text.length >> 1)
        : text.lastIndexOf('amount DECIMAL');
  const at = positionAt(text, anchor);
  const after = { line: at.line, character: at.character + 1 };
  const started = cpuMs(server.pid);
  for (let i = 0; i < edits; i++) {
    // Type an x, then delete it: every edit is a real change, and the file stays the same size.
    const change = i % 2 === 0 ? { range: { start: at, end: at }, text: 'x' } : { range: { start: at, end: after }, text: '' };
    version++;
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
    await diagnosticsFor(uri, version);
    onEdit?.(i + 1, server.pid);
  }
  const perEdit = (cpuMs(server.pid) - started) / edits;
  await stop();
  return { perEdit, diagnostics, pull };
}

console.log(`language server (Node ${spawnVersion(node)}), CPU per one-character edit, mean of ${editsPerPoint}:`);
for (const lines of sizes) {
  const figures = [];
  let mode = '';
  let diagnostics = 0;
  for (const where of ['top', 'middle', 'end']) {
    const result = await typing(lines, where, editsPerPoint);
    figures.push(`${where} ${result.perEdit.toFixed(1)} ms`);
    mode = result.pull ? 'pulled' : 'published';
    diagnostics = result.diagnostics;
  }
  console.log(`  ${lines.toLocaleString('en')} lines (${diagnostics} diagnostics, ${mode}): ${figures.join(', ')}`);
}

if (process.env.BENCH_LS_RSS !== '0') {
  const rss = [];
  await typing(10_000, 'middle', 1_000, (edit, pid) => {
    if (edit === 1 || edit % 250 === 0) rss.push(`${edit}: ${rssMiB(pid).toFixed(0)}`);
  });
  console.log(`  RSS through 1,000 edits of the 10,000-line file (MiB after edit n): ${rss.join(', ')}`);
}

function spawnVersion(binary) {
  return require('node:child_process').spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
}
