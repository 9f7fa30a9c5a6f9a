// The language server as any LSP client meets it: spawned over stdio, spoken to in JSON-RPC.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import type { CodeAction, CompletionItem, Diagnostic, Hover, TextEdit } from 'vscode-languageserver-protocol';
import { serverStatusMethod, settingsChangedMethod, type ServerStatus } from '../../protocol/src/languageServer';
import { until } from '../support/patience';
import { spawnLanguageServer, stopLanguageServer, type LanguageServer } from '../support/languageServer';

function applyEdits(text: string, edits: TextEdit[]): string {
  const offset = (line: number, character: number): number => {
    let index = 0;
    for (let l = 0; l < line; l++) index = text.indexOf('\n', index) + 1;
    return index + character;
  };
  const sorted = [...edits].sort(
    (a, b) => offset(b.range.start.line, b.range.start.character) - offset(a.range.start.line, a.range.start.character),
  );
  let result = text;
  for (const edit of sorted) {
    result =
      result.slice(0, offset(edit.range.start.line, edit.range.start.character)) +
      edit.newText +
      result.slice(offset(edit.range.end.line, edit.range.end.character));
  }
  return result;
}

interface PublishDiagnosticsParams {
  uri: string;
  version?: number;
  diagnostics: unknown[];
}

// A workspace with a migration the open files build on.
const workspace = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-lsp-'));
writeFileSync(path.join(workspace, '001_database.sql'), 'CREATE DATABASE shop PRIMARY REGION "us-east1" REGIONS "us-west1";\n');
writeFileSync(path.join(workspace, '.crdb-studio.json'), '{ "rules": { "password-literal": "loud" } }\n');

describe('language server over stdio', () => {
  let server: LanguageServer;
  let connection: MessageConnection;
  const published: PublishDiagnosticsParams[] = [];

  before(async () => {
    server = spawnLanguageServer();
    connection = server.connection;
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      published.push(params);
    });
    connection.listen();
    const result = await connection.sendRequest<{ serverInfo?: { name: string }; capabilities: { textDocumentSync?: unknown } }>(
      'initialize',
      {
        processId: process.pid,
        rootUri: pathToFileURL(workspace).toString(),
        capabilities: {},
        initializationOptions: { cockroachVersion: 'v24.1' },
      },
    );
    assert.equal(result.serverInfo?.name, 'crdb-studio');
    assert.ok(result.capabilities.textDocumentSync !== undefined, 'the server syncs documents');
    await connection.sendNotification('initialized', {});
  });

  after(async () => {
    await stopLanguageServer(server);
  });

  it('takes the target version from initializationOptions and later changes', async () => {
    assert.equal((await connection.sendRequest<ServerStatus>(serverStatusMethod)).cockroachVersion, 'v24.1');
    await connection.sendNotification(settingsChangedMethod, { cockroachVersion: '23.2.4' });
    assert.equal((await connection.sendRequest<ServerStatus>(serverStatusMethod)).cockroachVersion, 'v23.2');
  });

  it('publishes diagnostics for a half-typed statement, then for the finished one, and clears them on close', async () => {
    const uri = 'file:///schema.sql';
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'sql', version: 1, text: 'CREATE TABLE t (' },
    });
    const first = await until(() => published.find((p) => p.uri === uri && p.version === 1), `diagnostics for ${uri}`);
    assert.equal(first.diagnostics.length, 1);
    assert.equal((first.diagnostics[0] as { code?: string }).code, 'syntax-error');
    assert.match((first.diagnostics[0] as { message: string }).message, /expected a column definition/);

    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 16 }, end: { line: 0, character: 16 } }, text: 'id SERIAL PRIMARY KEY);' }],
    });
    const second = await until(() => published.find((p) => p.uri === uri && p.version === 2), `diagnostics for ${uri}`);
    assert.deepEqual(
      second.diagnostics.map((d) => (d as { code?: string }).code),
      ['sequential-primary-key'],
    );
    assert.equal((await connection.sendRequest<ServerStatus>(serverStatusMethod)).openDocuments, 1);

    await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    const cleared = await until(() => published.find((p) => p.uri === uri && p.version === undefined), `diagnostics for ${uri}`);
    assert.deepEqual(cleared.diagnostics, []);
    assert.equal((await connection.sendRequest<ServerStatus>(serverStatusMethod)).openDocuments, 0);
  });

  it('offers quick fixes that, applied, remove the finding', async () => {
    const uri = 'file:///fix.sql';
    const text = 'CREATE TABLE events (id SERIAL PRIMARY KEY, kind STRING);\n';
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
    const diagnostics = (await until(() => published.find((p) => p.uri === uri && p.version === 1), `diagnostics for ${uri}`))
      .diagnostics as Diagnostic[];
    const actions = await connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0]?.range,
      context: { diagnostics },
    });
    assert.deepEqual(
      actions.map((a) => a.title),
      [
        'Make id a UUID DEFAULT gen_random_uuid()',
        'Hash-shard the primary key (USING HASH)',
        'Ignore sequential-primary-key for this statement',
      ],
    );
    const preferred = actions.find((a) => a.isPreferred);
    const edits = preferred?.edit?.changes?.[uri] ?? [];
    const fixed = applyEdits(text, edits);
    assert.equal(fixed, 'CREATE TABLE events (id UUID DEFAULT gen_random_uuid() PRIMARY KEY, kind STRING);\n');
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
    assert.deepEqual(
      (await until(() => published.find((p) => p.uri === uri && p.version === 2), `diagnostics for ${uri}`)).diagnostics,
      [],
    );
  });

  it('answers hover on a keyword, a rule finding and a table', async () => {
    const uri = 'file:///hover.sql';
    const text =
      'CREATE TABLE users (id UUID PRIMARY KEY, name STRING) LOCALITY GLOBAL;\nSELECT * FROM users;\nALTER TABLE users CONFIGURE ZONE USING num_replicas = 5;';
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
    await until(() => published.find((p) => p.uri === uri), `diagnostics for ${uri}`);
    const onLocality = await connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 58 },
    });
    assert.match(JSON.stringify(onLocality?.contents), /table-localities/);
    const onTable = await connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 1, character: 16 },
    });
    assert.match(JSON.stringify(onTable?.contents), /table defaultdb\.users/);
    assert.match(JSON.stringify(onTable?.contents), /`name` STRING/);
    assert.match(JSON.stringify(onTable?.contents), /Zone: num_replicas = 5/);
  });

  it('completes table names, columns and localities from the schema', async () => {
    const uri = 'file:///complete.sql';
    const text = 'CREATE TABLE users (id UUID PRIMARY KEY, name STRING) LOCALITY ;\nSELECT users. FROM users;';
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
    const locality = await connection.sendRequest<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri },
      position: { line: 0, character: 63 },
    });
    assert.ok(locality.some((item) => item.label === 'REGIONAL BY ROW'));
    const columns = await connection.sendRequest<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri },
      position: { line: 1, character: 13 },
    });
    assert.deepEqual(columns.map((item) => item.label).sort(), ['id', 'name']);
  });

  it('completes with the schema above the cursor and hovers with the whole file, in any order', async () => {
    const uri = 'file:///above.sql';
    const text = 'CREATE TABLE items (id UUID PRIMARY KEY);\nSELECT items. FROM items;\nALTER TABLE items ADD COLUMN price DECIMAL;\n';
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
    const columnsAbove = async (): Promise<string[]> =>
      (
        await connection.sendRequest<CompletionItem[]>('textDocument/completion', {
          textDocument: { uri },
          position: { line: 1, character: 13 },
        })
      ).map((item) => item.label);
    assert.deepEqual(await columnsAbove(), ['id']);
    const onTable = await connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 2, character: 14 },
    });
    assert.match(JSON.stringify(onTable?.contents), /`price` DECIMAL/);
    assert.deepEqual(await columnsAbove(), ['id']);
  });

  it('goes to the definition of a table, across the workspace', async () => {
    const uri = 'file:///definition.sql';
    const text = 'CREATE TABLE accounts (id UUID PRIMARY KEY);\nSELECT * FROM accounts;';
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
    const location = await connection.sendRequest<{ uri: string; range: { start: { line: number; character: number } } } | null>(
      'textDocument/definition',
      {
        textDocument: { uri },
        position: { line: 1, character: 17 },
      },
    );
    assert.equal(location?.uri, uri);
    assert.deepEqual(location.range.start, { line: 0, character: 13 });
  });

  it('knows the schema that the earlier migrations of the workspace build', async () => {
    const uri = pathToFileURL(path.join(workspace, '002_carts.sql')).toString();
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'sql', version: 1, text: 'CREATE TABLE shop.carts (id UUID PRIMARY KEY);\n' },
    });
    const diagnostics = (await until(() => published.find((p) => p.uri === uri), `diagnostics for ${uri}`)).diagnostics as Diagnostic[];
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['missing-locality'],
    );
    assert.match(JSON.stringify(diagnostics[0]?.message), /multi-region database shop/);
  });

  it('shows problems of .crdb-studio.json on the file', async () => {
    const uri = pathToFileURL(path.join(workspace, '.crdb-studio.json')).toString();
    const problems = (await until(() => published.find((p) => p.uri === uri), `diagnostics for ${uri}`)).diagnostics as Diagnostic[];
    assert.equal(problems.length, 1);
    assert.match(
      JSON.stringify(problems[0]?.message),
      /rule \\"password-literal\\": \\"loud\\" is not one of error, warning, info, hint, off/,
    );
  });

  it('survives a malformed settings notification', async () => {
    await connection.sendNotification(settingsChangedMethod, { cockroachVersion: 42 });
    await connection.sendNotification(settingsChangedMethod, null);
    assert.equal((await connection.sendRequest<ServerStatus>(serverStatusMethod)).cockroachVersion, 'v25.2');
  });
});
