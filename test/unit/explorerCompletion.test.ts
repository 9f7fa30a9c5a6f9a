// Completion and hover from the live catalog, through the language server over stdio: the
// extension sends the current target's catalog summary (crdbStudio/catalogChanged), and the
// server merges it with the workspace's schema model — `db.` lists that database's tables, `t.` and
// `alias.` a table's columns, FROM offers the cluster's tables, a table's hover shows its locality
// and row estimate; the workspace's own definition wins for a table it defines.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import type { CompletionItem, Hover } from 'vscode-languageserver';
import { catalogChangedMethod, type CatalogSnapshot } from '../../protocol/src/catalog';
import { spawnLanguageServer, stopLanguageServer, type LanguageServer } from '../support/languageServer';

const SNAPSHOT: CatalogSnapshot = {
  target: 'Simulated cluster',
  dialect: 'cockroach',
  currentDatabase: 'defaultdb',
  databases: [
    { name: 'defaultdb', regions: [], tables: [] },
    {
      name: 'movr',
      regions: ['europe-west1', 'us-east1', 'us-west1'],
      primaryRegion: 'us-east1',
      survivalGoal: 'zone',
      tables: [
        {
          schema: 'public',
          name: 'rides',
          type: 'table',
          locality: 'REGIONAL BY ROW',
          estimatedRows: 12500,
          columns: [
            { name: 'id', type: 'UUID', nullable: false },
            { name: 'city', type: 'STRING', nullable: false },
            { name: 'revenue', type: 'DECIMAL(10,2)', nullable: true },
            { name: 'crdb_region', type: 'public.crdb_internal_region', nullable: false, hidden: true },
          ],
        },
        { schema: 'public', name: 'promo_codes', type: 'table', locality: 'GLOBAL', estimatedRows: 3, columns: [] },
        // Defined by the workspace too: the workspace's columns win.
        {
          schema: 'public',
          name: 'users',
          type: 'table',
          locality: 'REGIONAL BY ROW',
          estimatedRows: 40,
          columns: [{ name: 'stale', type: 'INT8', nullable: true }],
        },
      ],
    },
  ],
};

const workspace = mkdtempSync(path.join(os.tmpdir(), 'crdb-explorer-completion-'));
/** The workspace's schema, written before the query in each document (the schema flows down a file). */
const SCHEMA = 'CREATE DATABASE movr;\nCREATE TABLE movr.users (id UUID PRIMARY KEY, email STRING);\n';

describe('explorer: completion and hover from the live catalog', () => {
  let server: LanguageServer;
  let connection: MessageConnection;
  let version = 0;

  before(async () => {
    server = spawnLanguageServer();
    connection = server.connection;
    connection.listen();
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(workspace).toString(), capabilities: {} });
    await connection.sendNotification('initialized', {});
  });
  after(async () => {
    await stopLanguageServer(server);
  });

  /** Opens `text` (a `|` marks the cursor) and asks for completion there. */
  async function complete(text: string): Promise<CompletionItem[]> {
    const offset = text.indexOf('|');
    const source = SCHEMA + text.replace('|', '');
    const uri = pathToFileURL(path.join(workspace, `query${++version}.sql`)).toString();
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: source } });
    return connection.sendRequest<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri },
      position: { line: 2, character: offset },
    });
  }

  async function hoverText(text: string, word: string): Promise<string> {
    const uri = pathToFileURL(path.join(workspace, `hover${++version}.sql`)).toString();
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'sql', version: 1, text: SCHEMA + text },
    });
    const result = await connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 2, character: text.indexOf(word) + 1 },
    });
    const contents = result?.contents;
    return contents && typeof contents === 'object' && 'value' in contents ? contents.value : '';
  }

  const labels = (items: CompletionItem[]): string[] => items.map((i) => i.label);

  it('knows only the workspace’s tables before a catalog arrives', async () => {
    const tables = labels(await complete('SELECT * FROM movr.|'));
    assert.deepEqual(tables, ['users']);
  });

  it('lists a database’s tables after `db.`, the workspace’s and the cluster’s, once each', async () => {
    await connection.sendNotification(catalogChangedMethod, SNAPSHOT);
    const items = await complete('SELECT * FROM movr.|');
    assert.deepEqual(labels(items).sort(), ['promo_codes', 'rides', 'users']);
    assert.match(items.find((i) => i.label === 'rides')?.detail ?? '', /table in movr · REGIONAL BY ROW \(Simulated cluster\)/);
    // A database only the cluster has.
    assert.deepEqual(labels(await complete('SELECT * FROM defaultdb.|')), []);
  });

  it('offers the cluster’s tables in FROM and JOIN positions', async () => {
    const items = labels(await complete('SELECT * FROM |'));
    for (const table of ['rides', 'promo_codes', 'users']) assert.ok(items.includes(table), `${table} in ${items.join(', ')}`);
    assert.ok(labels(await complete('SELECT * FROM movr.users u JOIN |')).includes('rides'));
  });

  it('lists columns after `t.` and `alias.`; the workspace’s definition wins', async () => {
    assert.deepEqual(labels(await complete('SELECT rides.| FROM movr.rides')), ['id', 'city', 'revenue', 'crdb_region']);
    assert.deepEqual(labels(await complete('SELECT r.| FROM movr.rides AS r')), ['id', 'city', 'revenue', 'crdb_region']);
    assert.deepEqual(labels(await complete('SELECT u.| FROM movr.users u')), ['id', 'email']);
  });

  it('hovers a cluster table with its locality and row estimate', async () => {
    const text = await hoverText('SELECT * FROM movr.rides;', 'rides');
    assert.match(text, /\*\*table movr\.rides\*\* — on Simulated cluster/);
    assert.match(text, /- `revenue` DECIMAL\(10,2\)/);
    assert.doesNotMatch(text, /crdb_region/, 'hidden columns are left out');
    assert.match(text, /Locality: REGIONAL BY ROW/);
    assert.match(text, /Estimated rows: 12,500/);
    const users = await hoverText('SELECT * FROM movr.users;', 'users');
    assert.match(users, /\*\*table movr\.users\*\*/);
    assert.match(users, /`email` STRING/);
    assert.match(users, /On Simulated cluster: Locality: REGIONAL BY ROW · Estimated rows: 40/);
  });

  it('forgets the catalog when told the target has none, and ignores a malformed one', async () => {
    await connection.sendNotification(catalogChangedMethod, { target: 'x', databases: 'nope' });
    assert.deepEqual(labels(await complete('SELECT * FROM movr.|')), ['users']);
    await connection.sendNotification(catalogChangedMethod, SNAPSHOT);
    assert.equal(labels(await complete('SELECT * FROM movr.|')).length, 3);
    await connection.sendNotification(catalogChangedMethod, null);
    assert.deepEqual(labels(await complete('SELECT * FROM movr.|')), ['users']);
  });
});
