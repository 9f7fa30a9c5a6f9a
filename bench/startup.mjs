// Startup figures for the extension as a user meets it:
//   - `npm start` (scripts/start.sh, tools already installed) until its URL answers, median of N
//   - the size of the packaged .vsix
// Activation time inside the real host is printed by the host suite (`figure: activation …`).
// Usage: node bench/startup.mjs [runs]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 3);

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function timeStart() {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-bench-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn('bash', [path.join(root, 'scripts', 'start.sh')], {
    env: { ...process.env, PORT: String(port), CRDB_START_PROFILE: profile },
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /^(http:\/\/\S+)$/m.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`start.sh exited with ${code}`)));
  });
  const response = await fetch(url);
  const elapsed = performance.now() - started;
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  await exited;
  rmSync(profile, { recursive: true, force: true });
  return elapsed;
}

const times = [];
for (let i = 0; i < runs; i++) times.push(await timeStart());
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(
  `npm start → URL answering (tools installed): median ${(median / 1000).toFixed(2)} s over ${runs} runs [${times.map((t) => (t / 1000).toFixed(2)).join(', ')}]`,
);
try {
  console.log(`.vsix size: ${(statSync(path.join(root, 'dist', 'crdb-studio.vsix')).size / 1024).toFixed(1)} KiB (npm run package)`);
} catch {
  console.log('.vsix size: not built (run npm run package first)');
}
