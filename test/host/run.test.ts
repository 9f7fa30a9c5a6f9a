// Running SQL from the editor, inside code-server's real extension host: the simulated cluster
// (the default target), a lesson's blocks, and a real PostgreSQL started by the e2e harness
// (its address in $CRDB_TEST_PG).
import * as assert from 'node:assert/strict';
import { Client } from 'pg';
import * as vscode from 'vscode';
import type { CrdbStudioApi } from '../../client/src/extension';
import type { RunSummary } from '../../protocol/src/results';
import { figures } from './figures';
import { PATIENCE_MS, until } from '../support/patience';
import { extension, openFile } from './support';

interface Pg {
  host: string;
  port: number;
  user: string;
  password: string;
}

async function sqlDocument(content: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language: 'sql', content });
  await vscode.window.showTextDocument(document);
  return document;
}

describe('running SQL from the editor', function () {
  this.timeout(2 * PATIENCE_MS);
  let api: CrdbStudioApi;
  const pg = JSON.parse(process.env.CRDB_TEST_PG ?? 'null') as Pg | null;

  before(async () => {
    api = await until(() => (extension().isActive ? extension().exports : undefined), 'activation');
  });

  function statements(summary: RunSummary | undefined) {
    assert.ok(summary, 'the run happened');
    const record = api.runs.panel.runRecord(summary.runId);
    assert.ok(record);
    return record.statements;
  }

  it('runs a file on the simulated cluster by default, one result per statement', async () => {
    assert.equal(api.targets.current().id, 'simulated');
    const document = await sqlDocument(
      [
        'CREATE DATABASE IF NOT EXISTS editor;',
        'USE editor;',
        'CREATE TABLE IF NOT EXISTS kv (k INT PRIMARY KEY, v STRING);',
        "UPSERT INTO kv VALUES (1, 'one'), (2, 'two');",
        'SELECT k, v FROM kv ORDER BY k;',
      ].join('\n'),
    );
    const summary = await vscode.commands.executeCommand<RunSummary>('crdbStudio.runFile', document.uri);
    const results = statements(summary);
    assert.equal(summary.status, 'done');
    assert.equal(results.length, 5);
    const select = results[4];
    assert.ok(select);
    assert.deepEqual(select.columns, [
      { name: 'k', type: 'INT8' },
      { name: 'v', type: 'STRING' },
    ]);
    assert.deepEqual(select.rows, [
      ['1', 'one'],
      ['2', 'two'],
    ]);
    assert.equal(select.line, 5);
    assert.ok((select.simulatedLatencyMs ?? -1) >= 0, 'the simulated cluster reports its latency');
    assert.ok(api.runs.panel.visible, 'the results view is open');
  });

  it('keeps session state between runs, like a shell (USE, SET)', async () => {
    const document = await sqlDocument('SELECT count(*) AS n FROM kv;');
    const results = statements(await vscode.commands.executeCommand<RunSummary>('crdbStudio.runStatement', document.uri, 0));
    assert.deepEqual(results[0]?.rows, [['2']]);
  });

  it('puts an error on the statement, with its SQLSTATE, and skips what follows', async () => {
    const document = await sqlDocument('SELECT 1;\nSELECT nosuchcolumn FROM kv;\nSELECT 3;');
    const summary = await vscode.commands.executeCommand<RunSummary>('crdbStudio.runFile', document.uri);
    const results = statements(summary);
    assert.equal(summary.status, 'error');
    const failed = results[1];
    assert.ok(failed?.error);
    assert.equal(failed.error.code, '42703');
    assert.equal(failed.error.line, 2);
    assert.equal(results[2]?.status, 'cancelled');
    const diagnostic = await until(
      () => vscode.languages.getDiagnostics(document.uri).find((d) => d.source === 'crdb-studio (run)'),
      'the run diagnostic',
    );
    assert.equal(diagnostic.code, '42703');
    assert.equal(diagnostic.range.start.line, 1);
    assert.ok(diagnostic.range.start.character > 0, 'at the position the server reported');
  });

  it('runs a lesson’s SQL block and its cockroach shell block on the simulated cluster', async () => {
    const lesson = await openFile('02-node-failure.md');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', lesson.uri);
    const titles = lenses.map((l) => l.command?.title);
    assert.ok(
      titles.includes('▷ Run') && titles.includes('Run blocks above and this') && titles.includes('▷ Run on the simulated cluster'),
    );
    const runBlock = lenses.find((l) => l.command?.command === 'crdbStudio.runBlock');
    const args = (runBlock?.command?.arguments ?? []) as unknown[];
    const sql = statements(await vscode.commands.executeCommand<RunSummary>('crdbStudio.runBlocksUpTo', ...args));
    assert.ok(
      sql.length >= 4 && sql.every((s) => s.status === 'done'),
      sql.map((s) => `${s.statement}: ${s.error?.message ?? s.status}`).join('\n'),
    );
    const shell = lenses.find(
      (l) => l.command?.command === 'crdbStudio.runShellBlock' && l.range.start.line > (runBlock?.range.start.line ?? 0) + 20,
    );
    const output = statements(
      await vscode.commands.executeCommand<RunSummary>('crdbStudio.runShellBlock', ...((shell?.command?.arguments ?? []) as unknown[])),
    );
    // `cockroach node status --ranges` is read back as CockroachDB's table: one row per node of the
    // nine-node demo, with the --ranges columns beside the liveness ones.
    const status = output.find((s) => s.columns.some((c) => c.name === 'replicas_leaders'));
    assert.ok(status, output.map((s) => s.columns.map((c) => c.name).join(', ')).join('\n'));
    assert.ok(status.columns.some((c) => c.name === 'is_live'));
    assert.deepEqual(
      status.rows.map((r) => r[0]),
      ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
    );
  });

  describe('a real PostgreSQL target', () => {
    before(async function () {
      assert.ok(pg, 'the e2e harness passes a PostgreSQL in CRDB_TEST_PG');
      await vscode.workspace.getConfiguration('crdbStudio').update(
        'connections',
        [
          { name: 'local-pg', host: pg.host, port: pg.port, user: pg.user, database: 'postgres', sslmode: 'disable' },
          { name: 'nowhere', host: '127.0.0.1', port: 1, user: 'root' },
        ],
        vscode.ConfigurationTarget.Workspace,
      );
      await api.targets.storePassword('local-pg', pg.password);
      await api.targets.setCurrent('profile:local-pg');
      await vscode.workspace.getConfiguration('crdbStudio').update('run.confirmDestructive', false, vscode.ConfigurationTarget.Workspace);
    });
    after(async () => {
      await api.targets.setCurrent('simulated');
      await vscode.workspace.getConfiguration('crdbStudio').update('connections', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace
        .getConfiguration('crdbStudio')
        .update('run.confirmDestructive', undefined, vscode.ConfigurationTarget.Workspace);
    });

    it('pages a 100,000-row result without holding it in the extension host', async () => {
      const document = await sqlDocument('SELECT i, md5(i::text) AS hash FROM generate_series(1, 100000) AS g(i);');
      const before = process.memoryUsage().heapUsed;
      const started = performance.now();
      const results = statements(await vscode.commands.executeCommand<RunSummary>('crdbStudio.runStatement', document.uri, 0));
      const firstPage = performance.now() - started;
      const after = process.memoryUsage().heapUsed;
      const paged = results[0];
      assert.ok(paged);
      assert.equal(paged.rows.length, 500);
      assert.equal(paged.hasMore, true);
      figures.push(
        `100,000-row result: first page in ${firstPage.toFixed(0)} ms, extension host heap +${((after - before) / 1048576).toFixed(1)} MiB`,
      );
    });

    it('reports a dropped connection, does not re-run the statement, and reconnects on the next run', async () => {
      const document = await sqlDocument(
        'CREATE TABLE IF NOT EXISTS dropped (n INT);\nINSERT INTO dropped VALUES (1);\nSELECT pg_sleep(30);',
      );
      const run = vscode.commands.executeCommand<RunSummary>('crdbStudio.runFile', document.uri);
      const killer = new Client({ ...pg, database: 'postgres' });
      await killer.connect();
      try {
        await until(
          async () =>
            (await killer.query(`SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%'`)).rows.length > 0
              ? true
              : undefined,
          'the sleeping statement',
        );
        await killer.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%'`);
        const results = statements(await run);
        const killed = results[2];
        assert.ok(killed);
        assert.equal(killed.status, 'error');
        assert.match(killed.note ?? '', /not re-run/);
        const count = await killer.query<{ n: string }>('SELECT count(*)::text AS n FROM dropped');
        assert.equal(count.rows[0]?.n, '1', 'the INSERT ran once');
      } finally {
        await killer.end();
      }
      const again = statements(
        await vscode.commands.executeCommand<RunSummary>('crdbStudio.runStatement', (await sqlDocument('SELECT 42 AS answer;')).uri, 0),
      );
      assert.deepEqual(again[0]?.rows, [['42']]);
    });

    it('cancels a running statement', async () => {
      const document = await sqlDocument('SELECT pg_sleep(30);');
      const run = vscode.commands.executeCommand<RunSummary>('crdbStudio.runStatement', document.uri, 0);
      const watcher = new Client({ ...pg, database: 'postgres' });
      await watcher.connect();
      try {
        await until(
          async () =>
            (await watcher.query(`SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'SELECT pg_sleep(30)%'`)).rows
              .length > 0,
          'the sleeping statement',
        );
      } finally {
        await watcher.end();
      }
      await vscode.commands.executeCommand('crdbStudio.cancelRun');
      const summary = await run;
      assert.equal(summary.status, 'cancelled');
      assert.equal(statements(summary)[0]?.error?.code, '57014');
    });
  });
});
