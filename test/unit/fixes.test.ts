// Fixes that keep the schema valid: applied, the SQL still lints clean and runs on the simulated
// cluster. "Make id a UUID" changes the columns that reference the key, in every file of the
// workspace; REGIONAL BY ROW AS a STRING column gets a computed crdb_internal_region column.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Simulator } from '../../cluster/src/simulator';
import type { Session } from '../../cluster/src/sql/session';
import { documentStatementsOnce } from '../../server/src/analysis/statements';
import { carryTypeChanges } from '../../server/src/features/referencingColumns';
import { fixesFor, LintSequence, type LintFinding } from '../../server/src/lint/engine';
import type { Fix } from '../../server/src/lint/rule';
import { until } from '../support/patience';
import { spawnLanguageServer, stopLanguageServer, type LanguageServer } from '../support/languageServer';

function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const document = TextDocument.create('file:///x.sql', 'sql', 1, text);
  return TextDocument.applyEdits(document, [...edits]);
}

function applyFix(text: string, fix: Fix): string {
  let result = text;
  for (const edit of [...fix.edits].sort((a, b) => b.start - a.start))
    result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

/** Lints files in order as the CLI does: the findings of each, by rule. */
function lint(...texts: string[]): LintFinding[][] {
  const sequence = new LintSequence();
  return texts.map((text, i) => sequence.lint({ uri: `file:///${i}.sql`, text, statements: documentStatementsOnce(text) }));
}

/** Runs a file's statements one by one; the first error, or undefined when all ran. */
async function run(session: Session, text: string): Promise<string | undefined> {
  for (const { text: source, parsed } of documentStatementsOnce(text)) {
    const sql = source.slice(parsed.start, parsed.end);
    for (const result of await session.execute(sql)) if (result.error) return `${result.error.code} ${result.error.message} (in ${sql})`;
  }
  return undefined;
}

const USERS = [
  'CREATE TABLE users (id SERIAL PRIMARY KEY, name STRING NOT NULL);',
  'CREATE TABLE sessions (',
  '  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),',
  '  user_id INT8 NOT NULL REFERENCES users (id),',
  '  INDEX (user_id)',
  ');',
  '',
].join('\n');
const ORDERS = [
  'CREATE TABLE orders (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), buyer INT8, FOREIGN KEY (buyer) REFERENCES users);',
  'CREATE TABLE audit (id UUID PRIMARY KEY DEFAULT gen_random_uuid());',
  'ALTER TABLE audit ADD COLUMN actor INT8;',
  'ALTER TABLE audit ADD CONSTRAINT audit_actor FOREIGN KEY (actor) REFERENCES users (id);',
  'CREATE TABLE notes (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), n INT8);',
  '',
].join('\n');

describe('fixes that keep the schema valid', function () {
  let simulator: Simulator;
  before(async () => {
    simulator = await Simulator.start({ global: true });
  });
  after(async () => {
    await simulator.close();
  });

  /** A fresh database for one run, so runs do not see each other's tables. */
  let databases = 0;
  async function freshSession(multiRegion = false): Promise<Session> {
    const session = simulator.openSession();
    const name = `fixes${++databases}`;
    const created = await session.execute(
      `CREATE DATABASE ${name}${multiRegion ? ' PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1"' : ''}`,
    );
    assert.equal(created[0]?.error, undefined);
    await session.execute(`USE ${name}`);
    return session;
  }

  describe('Make id a UUID, in the editor', () => {
    const workspace = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-fixes-'));
    const usersFile = path.join(workspace, '001_users.sql');
    const ordersFile = path.join(workspace, '002_orders.sql');
    writeFileSync(usersFile, USERS);
    writeFileSync(ordersFile, ORDERS);
    const usersUri = pathToFileURL(usersFile).toString();
    const ordersUri = pathToFileURL(ordersFile).toString();
    let server: LanguageServer;
    let action: CodeAction | undefined;

    before(async () => {
      server = spawnLanguageServer();
      const published: { uri: string; diagnostics: Diagnostic[] }[] = [];
      server.connection.onNotification('textDocument/publishDiagnostics', (params: (typeof published)[number]) => {
        published.push(params);
      });
      server.connection.listen();
      await server.connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(workspace).toString(),
        capabilities: {},
      });
      await server.connection.sendNotification('initialized', {});
      await server.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri: usersUri, languageId: 'sql', version: 1, text: USERS },
      });
      const { diagnostics } = await until(() => published.find((p) => p.uri === usersUri), 'diagnostics of 001_users.sql');
      const actions = await server.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: usersUri },
        range: diagnostics.find((d) => d.code === 'sequential-primary-key')?.range,
        context: { diagnostics },
      });
      action = actions.find((a) => a.isPreferred);
    });
    after(async () => {
      await stopLanguageServer(server);
    });

    it('changes the key and every column that references it, across the workspace’s files', () => {
      assert.equal(action?.title, 'Make id a UUID DEFAULT gen_random_uuid(), and the 3 columns referencing it');
      const changes = action.edit?.changes ?? {};
      assert.deepEqual(Object.keys(changes).sort(), [usersUri, ordersUri].sort());
      const users = applyTextEdits(USERS, changes[usersUri] ?? []);
      const orders = applyTextEdits(ORDERS, changes[ordersUri] ?? []);
      assert.match(users, /^CREATE TABLE users \(id UUID DEFAULT gen_random_uuid\(\) PRIMARY KEY, name STRING NOT NULL\);/);
      assert.match(users, /user_id UUID NOT NULL REFERENCES users \(id\)/);
      assert.match(orders, /buyer UUID, FOREIGN KEY \(buyer\) REFERENCES users\)/);
      assert.match(orders, /ALTER TABLE audit ADD COLUMN actor UUID;/);
      assert.match(orders, /n INT8\);/, 'a column no foreign key ties to the key keeps its type');
      assert.equal(readFileSync(ordersFile, 'utf8'), ORDERS, 'the server changes nothing itself: the client applies the edit');
    });

    it('leaves SQL that lints clean and runs on the simulated cluster; without the referencing columns it would not', async () => {
      const changes = action?.edit?.changes ?? {};
      const users = applyTextEdits(USERS, changes[usersUri] ?? []);
      const orders = applyTextEdits(ORDERS, changes[ordersUri] ?? []);
      const findings = lint(users, orders);
      assert.deepEqual(
        findings.flat().map((f) => f.rule),
        [],
      );
      const session = await freshSession();
      assert.equal(await run(session, users), undefined);
      assert.equal(await run(session, orders), undefined);
      assert.equal(await run(session, "INSERT INTO users (name) VALUES ('ada') RETURNING id"), undefined);

      // The key's own edits alone: the foreign keys no longer match, as CockroachDB says.
      const alone = applyTextEdits(USERS, (changes[usersUri] ?? []).slice(0, 2));
      const other = await freshSession();
      assert.match((await run(other, alone)) ?? '', /^42804 type of "user_id" \(INT8\) does not match foreign key "users"\."id" \(UUID\)/);
    });
  });

  describe('carrying a type change', () => {
    const files = (texts: string[]): { uri: string; text: string; statements: ReturnType<typeof documentStatementsOnce> }[] =>
      texts.map((text, i) => ({ uri: `file:///${i}.sql`, text, statements: documentStatementsOnce(text) }));

    it('follows references of references, self-references and qualified names, once each', () => {
      const text = [
        'CREATE DATABASE app;',
        'CREATE TABLE app.accounts (id INT8 PRIMARY KEY, parent INT8 REFERENCES app.accounts);',
        'CREATE TABLE app.profiles (account INT8 PRIMARY KEY REFERENCES app.accounts (id));',
        'USE app;',
        'CREATE TABLE badges (id UUID PRIMARY KEY, profile INT8 REFERENCES profiles (account));',
        'CREATE TABLE accounts (id INT8 PRIMARY KEY);',
        'CREATE TABLE other (id UUID PRIMARY KEY, account INT8 REFERENCES defaultdb.accounts (id));',
      ].join('\n');
      const start = text.indexOf('INT8');
      const carried = carryTypeChanges(files([text]), 'file:///0.sql', [{ start, end: start + 4, newText: 'UUID' }]);
      const edits = carried.get('file:///0.sql') ?? [];
      const changed = applyFix(text, { title: '', edits });
      assert.deepEqual(changed.split('\n').slice(1), [
        'CREATE TABLE app.accounts (id INT8 PRIMARY KEY, parent UUID REFERENCES app.accounts);',
        'CREATE TABLE app.profiles (account UUID PRIMARY KEY REFERENCES app.accounts (id));',
        'USE app;',
        'CREATE TABLE badges (id UUID PRIMARY KEY, profile UUID REFERENCES profiles (account));',
        'CREATE TABLE accounts (id INT8 PRIMARY KEY);',
        'CREATE TABLE other (id UUID PRIMARY KEY, account INT8 REFERENCES defaultdb.accounts (id));',
      ]);
    });

    it('follows a table renamed after the retyped column, for foreign keys naming it before and after the rename', () => {
      const schema =
        'CREATE TABLE users (id INT8 PRIMARY KEY, name STRING);\nCREATE TABLE orders (id UUID PRIMARY KEY, user_id INT8 REFERENCES users (id));';
      const later = [
        'ALTER TABLE users RENAME TO accounts;',
        'CREATE TABLE invoices (id UUID PRIMARY KEY, account_id INT8 REFERENCES accounts);',
        'ALTER TABLE invoices RENAME COLUMN account_id TO payer;',
        'CREATE TABLE notes (id UUID PRIMARY KEY, invoice INT8);',
      ].join('\n');
      const start = schema.indexOf('INT8');
      const carried = carryTypeChanges(files([schema, later]), 'file:///0.sql', [{ start, end: start + 4, newText: 'UUID' }]);
      assert.equal(
        applyFix(schema, { title: '', edits: carried.get('file:///0.sql') ?? [] }).split('\n')[1],
        'CREATE TABLE orders (id UUID PRIMARY KEY, user_id UUID REFERENCES users (id));',
      );
      assert.equal(
        applyFix(later, { title: '', edits: carried.get('file:///1.sql') ?? [] }).split('\n')[1],
        'CREATE TABLE invoices (id UUID PRIMARY KEY, account_id UUID REFERENCES accounts);',
      );
      assert.equal(carried.get('file:///1.sql')?.length, 1);
    });

    it('leaves alone the foreign keys of a table that replaced the retyped one under its name', () => {
      const text = [
        'CREATE TABLE users (id INT8 PRIMARY KEY);',
        'CREATE TABLE orders (id UUID PRIMARY KEY, user_id INT8 REFERENCES users (id));',
        'DROP TABLE users CASCADE;',
        'CREATE TABLE users (id INT8 PRIMARY KEY);',
        'CREATE TABLE carts (id UUID PRIMARY KEY, user_id INT8 REFERENCES users (id));',
      ].join('\n');
      const start = text.indexOf('INT8');
      const edits =
        carryTypeChanges(files([text]), 'file:///0.sql', [{ start, end: start + 4, newText: 'UUID' }]).get('file:///0.sql') ?? [];
      const changed = applyFix(text, { title: '', edits }).split('\n');
      assert.equal(changed[1], 'CREATE TABLE orders (id UUID PRIMARY KEY, user_id UUID REFERENCES users (id));');
      assert.equal(changed[4], 'CREATE TABLE carts (id UUID PRIMARY KEY, user_id INT8 REFERENCES users (id));');
    });

    it('carries nothing for an edit that retypes no referenced column, or no column at all', () => {
      const text = 'CREATE TABLE t (id INT8 PRIMARY KEY, n INT8);\nCREATE TABLE u (id UUID PRIMARY KEY, t_id INT8 REFERENCES t);';
      const n = text.indexOf('n INT8') + 2;
      assert.equal(carryTypeChanges(files([text]), 'file:///0.sql', [{ start: n, end: n + 4, newText: 'UUID' }]).size, 0);
      assert.equal(carryTypeChanges(files([text]), 'file:///0.sql', [{ start: 0, end: 0, newText: '-- x\n' }]).size, 0);
      assert.equal(carryTypeChanges(files(['']), 'file:///0.sql', []).size, 0);
    });
  });

  describe('REGIONAL BY ROW AS a STRING column', () => {
    const DATABASE = 'CREATE DATABASE shop PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1";\nUSE shop;\n';

    function fixes(text: string): Fix[] {
      const sequence = new LintSequence();
      const findings = sequence.lint({ uri: 'file:///rbr.sql', text, statements: documentStatementsOnce(text) });
      const finding = findings.find((f) => f.rule === 'regional-by-row-as-type');
      assert.ok(finding, 'the finding');
      return fixesFor(finding, text).filter((f) => !f.title.startsWith('Ignore '));
    }

    it('CREATE TABLE: a computed crdb_internal_region column (preferred), or the column converted; both run', async () => {
      const text = `${DATABASE}CREATE TABLE orders (\n  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),\n  region STRING NOT NULL\n) LOCALITY REGIONAL BY ROW AS region;\n`;
      const [computed, converted] = fixes(text);
      assert.equal(computed?.preferred, true);
      const fixed = applyFix(text, computed);
      assert.match(
        fixed,
        /region STRING NOT NULL,\n {2}crdb_region crdb_internal_region NOT NULL AS \(region::crdb_internal_region\) STORED\n\) LOCALITY REGIONAL BY ROW AS crdb_region;/,
      );
      assert.deepEqual(lint(fixed).flat(), []);
      const session = simulator.openSession();
      assert.equal(await run(session, fixed), undefined);
      assert.equal(await run(session, "INSERT INTO orders (region) VALUES ('us-west1')"), undefined);
      const placed = await session.execute('SELECT crdb_region::STRING AS r FROM orders');
      assert.deepEqual(placed[0]?.rows, [['us-west1']]);

      assert.ok(converted);
      const other = applyFix(text.replaceAll('shop', 'shop2'), fixes(text.replaceAll('shop', 'shop2'))[1] ?? converted);
      assert.match(other, /region crdb_internal_region NOT NULL\n\) LOCALITY REGIONAL BY ROW AS region;/);
      assert.deepEqual(lint(other).flat(), []);
      assert.equal(await run(simulator.openSession(), other), undefined);
    });

    it('ALTER TABLE … SET LOCALITY: the column is added first, computed from the existing rows', async () => {
      const text = `${DATABASE.replaceAll('shop', 'shop3')}CREATE TABLE items (id UUID PRIMARY KEY, r STRING);\nINSERT INTO items VALUES (gen_random_uuid(), 'europe-west1');\nALTER TABLE items SET LOCALITY REGIONAL BY ROW AS r;\n`;
      const [computed] = fixes(text);
      assert.ok(computed);
      const fixed = applyFix(text, computed);
      assert.match(
        fixed,
        /\nALTER TABLE items ADD COLUMN crdb_region crdb_internal_region NOT NULL AS \(r::crdb_internal_region\) STORED;\nALTER TABLE items SET LOCALITY REGIONAL BY ROW AS crdb_region;\n$/,
      );
      assert.deepEqual(lint(fixed).flat(), []);
      const session = simulator.openSession();
      assert.equal(await run(session, fixed), undefined);
      const placed = await session.execute('SELECT crdb_region::STRING AS r FROM items');
      assert.deepEqual(placed[0]?.rows, [['europe-west1']]);
      // As written, the cluster refuses it, as CockroachDB does.
      assert.match((await run(simulator.openSession(), text.replaceAll('shop3', 'shop4'))) ?? '', /^42P16 cannot use column r/);
    });
  });
});
