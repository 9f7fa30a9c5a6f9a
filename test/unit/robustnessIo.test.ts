// Robustness at the edges the user does not control: links that loop, glob typos, garbage on the
// language server's stdin, huge workspace files. Each gets a clear behaviour, never a hang.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { serverStatusMethod, type ServerStatus } from '../../protocol/src/languageServer';
import { spawnLanguageServer, stopLanguageServer, type LanguageServer } from '../support/languageServer';
import { PATIENCE_MS, until } from '../support/patience';
import { repoRoot } from '../support/tools';

const CLI = path.join(repoRoot, 'dist', 'cli', 'cli.js');

function cli(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('crdb-studio lint: globs over links and bad patterns', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-links-'));
  const ws = path.join(dir, 'ws');
  mkdirSync(path.join(ws, 'sub'), { recursive: true });
  writeFileSync(path.join(ws, 'a.sql'), 'CREATE TABLE a (id INT8 PRIMARY KEY);\n');
  writeFileSync(path.join(ws, 'sub', 'b.sql'), 'CREATE TABLE b (id INT8 PRIMARY KEY);\n');
  // Two links back to the folder itself: walked naively, the tree never ends.
  symlinkSync(ws, path.join(ws, 'self1'), 'dir');
  symlinkSync('..', path.join(ws, 'sub', 'up'), 'dir');
  // A file linked under a second name is still one file.
  symlinkSync(path.join(ws, 'a.sql'), path.join(ws, 'sub', 'a-again.sql'));

  it('follows links but lints each real file once, and says which loops it skipped', () => {
    const run = cli(dir, 'lint', '--format', 'json', 'ws/**/*.sql');
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), []);
    const files = cli(dir, 'lint', 'ws/**/*.sql');
    assert.match(files.stdout, /2 files/, files.stdout);
    const skipped = run.stderr.split('\n').filter((line) => line.includes('skipping'));
    assert.deepEqual(
      skipped.map((line) => line.replace(/^crdb-studio: skipping (\S+): .*$/, '$1')),
      [path.join('ws', 'self1'), path.join('ws', 'sub', 'up')],
      run.stderr,
    );
    assert.equal(new Set(skipped).size, skipped.length, 'each loop is said once');
  });

  it('an invalid character class is a usage error (exit 2), not an internal one', () => {
    const run = cli(dir, 'lint', 'ws/[z-a].sql');
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /^crdb-studio: invalid pattern 'ws\/\[z-a\]\.sql': the range z-a/);
    assert.doesNotMatch(run.stderr, /internal error|\n\s+at /);
  });
});

describe('language server over stdio: garbage and bad Content-Length', () => {
  let server: LanguageServer;
  let connection: MessageConnection;

  before(async () => {
    server = spawnLanguageServer();
    connection = server.connection;
    connection.listen();
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    await connection.sendNotification('initialized', {});
  });

  after(async () => {
    await stopLanguageServer(server);
  });

  const raw = (bytes: string): Promise<void> =>
    new Promise((resolve, reject) => {
      server.process.stdin.write(bytes, (error) => {
        if (error) reject(error);
        else resolve();
      });
    });

  const cases: [string, string][] = [
    ['a garbage line and a blank line', 'hello, this is not JSON-RPC\r\n\r\n'],
    ['garbage with no header end, run into the next header', 'random bytes \x00\x01 with no blank line'],
    ['a Content-Length that is not a number', 'Content-Length: abc\r\n\r\n{}'],
    ['a header without Content-Length', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}'],
    ['a Content-Length longer than the body', 'Content-Length: 100000\r\n\r\n{"jsonrpc":"2.0","method":"x"}'],
    ['a Content-Length shorter than the body', 'Content-Length: 5\r\n\r\n{"jsonrpc":"2.0","method":"initialized","params":{}}'],
  ];
  for (const [name, garbage] of cases) {
    it(`keeps answering after ${name}`, async () => {
      const skippedBefore = server.stderr().split('skipped').length;
      await raw(garbage);
      const status = await connection.sendRequest<ServerStatus>(serverStatusMethod);
      assert.equal(typeof status.ruleCount, 'number');
      assert.ok(status.ruleCount > 0);
      if (name !== 'a Content-Length shorter than the body')
        await until(() => server.stderr().split('skipped').length > skippedBefore, 'the skip said on stderr');
    });
  }

  it('says what it skipped in one line each, without a stack trace', () => {
    assert.match(server.stderr(), /^crdb-studio: skipped \d+ bytes of input that were not a well-formed LSP message \(/m);
    assert.doesNotMatch(server.stderr(), /\n\s+at /);
  });
});

describe('language server: files too large to analyse', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-huge-'));
  // 24 MB of inserts on disk, written a megabyte at a time; first in file-name order, so every
  // other file's analysis would have to read it.
  const big = path.join(dir, '000_data.sql');
  const megabyte = 'INSERT INTO t VALUES (1, $$x$$);\n'.repeat(Math.ceil((1024 * 1024) / 33));
  writeFileSync(big, 'CREATE TABLE hidden (id INT8 PRIMARY KEY);\n');
  for (let i = 0; i < 24; i++) appendFileSync(big, megabyte);
  writeFileSync(path.join(dir, '001_schema.sql'), 'CREATE TABLE accounts (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), balance INT8);\n');
  const useUri = pathToFileURL(path.join(dir, '002_use.sql')).toString();
  const openedBigUri = pathToFileURL(path.join(dir, '003_opened.sql')).toString();

  let server: LanguageServer;
  let connection: MessageConnection;
  const logged: string[] = [];
  const published = new Map<string, unknown[]>();

  before(async () => {
    server = spawnLanguageServer();
    connection = server.connection;
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      logged.push(params.message);
    });
    connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: unknown[] }) => {
      published.set(params.uri, params.diagnostics);
    });
    connection.listen();
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).toString(), capabilities: {} });
    await connection.sendNotification('initialized', {});
  });

  after(async () => {
    await stopLanguageServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('skips a huge file on disk, says so once, and keeps serving the others', async () => {
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: {
        uri: useUri,
        languageId: 'sql',
        version: 1,
        text: 'CREATE TABLE ledger (id INT8 PRIMARY KEY);\nSELECT balance FROM accounts;\n',
      },
    });
    await until(() => published.has(useUri), 'diagnostics for the small file');
    const symbols = await connection.sendRequest<{ name: string }[]>('textDocument/documentSymbol', { textDocument: { uri: useUri } });
    assert.ok(symbols.length > 0, 'the small file is analysed');
    const hover = await connection.sendRequest<{ contents: unknown } | null>('textDocument/hover', {
      textDocument: { uri: useUri },
      position: { line: 1, character: 22 },
    });
    assert.match(JSON.stringify(hover?.contents), /accounts/, 'the schema of the earlier small file reaches it');
    const skipped = logged.filter((message) => message.includes('000_data.sql'));
    assert.equal(skipped.length, 1, logged.join('\n'));
    assert.match(skipped[0] ?? '', /not analysing .*000_data\.sql \(24\.\d MB, over the 2 MB limit\)/);
  });

  it('skips a huge open document the same way, with no diagnostics for it', async () => {
    const text = 'CREATE TABLE t (id SERIAL PRIMARY KEY);\n' + megabyte.repeat(3);
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: openedBigUri, languageId: 'sql', version: 1, text } });
    await until(() => logged.some((message) => message.includes('003_opened.sql')), 'the open document reported as skipped');
    const symbols = await connection.sendRequest<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: openedBigUri } });
    assert.deepEqual(symbols, []);
    const status = await connection.sendRequest<ServerStatus>(serverStatusMethod);
    assert.equal(status.openDocuments, 2);
    assert.equal(published.get(openedBigUri)?.length ?? 0, 0, 'SERIAL in the skipped file is not reported');
  });
});

describe('crdb-studio workload: the demo dies under it', function () {
  this.timeout(PATIENCE_MS);

  it('says the connection was lost in one line, exits 1 with a summary, and never prints the password', async () => {
    const demo = spawn(process.execPath, [CLI, 'demo', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let demoOut = '';
      demo.stdout.on('data', (chunk: Buffer) => (demoOut += chunk.toString()));
      const url = await until(
        () => (demoOut.includes('Press Ctrl-C') ? /\(sql\)\s+(postgresql:\/\/\S+)/.exec(demoOut)?.[1] : undefined),
        'the demo',
      );
      const withPassword = url.replace('root@', 'root:hunter2@');
      const run = spawn(process.execPath, [CLI, 'workload', 'bank', '--duration', '5s', '--accounts', '50', '--init', withPassword]);
      let stdout = '';
      let stderr = '';
      run.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => run.once('exit', resolve));
      await until(() => /transfer\n/.test(stdout), 'the first per-second line');
      demo.kill('SIGKILL');
      const code = await exited;
      assert.equal(code, 1, stdout + stderr);
      assert.equal(stderr.match(/lost the connection/g)?.length, 1, stderr);
      assert.match(stderr, /^crdb-studio: lost the connection to postgresql:\/\/root:\*\*\*\*@127\.0\.0\.1:\d+\/defaultdb/m);
      assert.match(stderr, /^crdb-studio: workload stopped: no connection to postgresql:\/\/root:\*\*\*\*@/m);
      assert.match(stdout, /total balance not checked: no connection; acknowledged transfers: [1-9]/);
      assert.doesNotMatch(stdout + stderr, /hunter2/);
      assert.doesNotMatch(stderr, /internal error|\n\s+at /);
    } finally {
      demo.kill('SIGKILL');
    }
  });

  it('a connection it cannot make is a one-line usage error with the password redacted', () => {
    const run = cli(repoRoot, 'workload', 'bank', '--duration', '1s', 'postgresql://root:hunter2@127.0.0.1:1/defaultdb?sslmode=disable');
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /^crdb-studio: cannot connect to postgresql:\/\/root:\*\*\*\*@127\.0\.0\.1:1\/defaultdb/);
    assert.doesNotMatch(run.stdout + run.stderr, /hunter2/);
  });
});
