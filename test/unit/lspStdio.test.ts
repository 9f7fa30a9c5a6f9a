// The language server as any LSP client meets it: spawned over stdio, spoken to in JSON-RPC.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { serverStatusMethod, settingsChangedMethod, type ServerStatus } from '../../server/src/protocol';
import { repoRoot } from '../support/tools';

interface PublishDiagnosticsParams {
  uri: string;
  version?: number;
  diagnostics: unknown[];
}

describe('language server over stdio', () => {
  let server: ChildProcess;
  let connection: MessageConnection;
  const published: PublishDiagnosticsParams[] = [];

  before(async () => {
    server = spawn(process.execPath, [path.join(repoRoot, 'dist', 'server', 'server.js'), '--stdio'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    if (!server.stdout || !server.stdin) throw new Error('no stdio');
    connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      published.push(params);
    });
    connection.listen();
    const result = await connection.sendRequest<{ serverInfo?: { name: string }; capabilities: { textDocumentSync?: unknown } }>(
      'initialize',
      {
        processId: process.pid,
        rootUri: null,
        capabilities: {},
        initializationOptions: { cockroachVersion: 'v24.1' },
      },
    );
    assert.equal(result.serverInfo?.name, 'crdb-studio');
    assert.ok(result.capabilities.textDocumentSync !== undefined, 'the server syncs documents');
    await connection.sendNotification('initialized', {});
  });

  after(async () => {
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    await new Promise((resolve) => server.once('exit', resolve));
    connection.dispose();
  });

  it('takes the target version from initializationOptions and later changes', async () => {
    assert.equal((await connection.sendRequest<ServerStatus>(serverStatusMethod)).cockroachVersion, 'v24.1');
    await connection.sendNotification(settingsChangedMethod, { cockroachVersion: '23.2.4' });
    assert.equal((await connection.sendRequest<ServerStatus>(serverStatusMethod)).cockroachVersion, 'v23.2');
  });

  it('publishes diagnostics for each opened and changed document, and clears them on close', async () => {
    const uri = 'file:///schema.sql';
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'sql', version: 1, text: 'CREATE TABLE t (' },
    });
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 16 }, end: { line: 0, character: 16 } }, text: 'id UUID PRIMARY KEY);' }],
    });
    assert.equal((await connection.sendRequest<ServerStatus>(serverStatusMethod)).openDocuments, 1);
    await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    assert.equal((await connection.sendRequest<ServerStatus>(serverStatusMethod)).openDocuments, 0);
    const forUri = published.filter((p) => p.uri === uri);
    assert.deepEqual(
      forUri.map((p) => p.version),
      [1, 2, undefined],
      'one publish per version, then an empty one on close',
    );
    assert.ok(
      forUri.every((p) => p.diagnostics.length === 0),
      'no rules yet, so no findings',
    );
  });

  it('survives a malformed settings notification', async () => {
    await connection.sendNotification(settingsChangedMethod, { cockroachVersion: 42 });
    await connection.sendNotification(settingsChangedMethod, null);
    assert.equal((await connection.sendRequest<ServerStatus>(serverStatusMethod)).cockroachVersion, 'v25.2');
  });
});
