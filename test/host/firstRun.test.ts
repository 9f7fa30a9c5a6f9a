// Inside code-server's real extension host: resetting the simulated cluster, running a lesson
// from a clean cluster again and again, and the walkthrough's hook on quick fixes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CrdbStudioApi } from '../../client/src/extension';
import type { RunSummary } from '../../protocol/src/results';
import { PATIENCE_MS, until } from '../support/patience';
import { extension, openFile } from './support';

describe('first run: reset, a lesson from a clean cluster, the walkthrough', function () {
  this.timeout(3 * PATIENCE_MS);
  let api: CrdbStudioApi;

  before(async () => {
    api = await until(() => (extension().isActive ? extension().exports : undefined), 'activation');
    await api.targets.setCurrent('simulated');
  });

  after(async () => {
    // Leave the cluster as the next suites expect to find it: empty, every node live.
    await vscode.commands.executeCommand('crdbStudio.resetSimulatedCluster');
  });

  function errorsOf(summary: RunSummary | undefined): string[] {
    assert.ok(summary, 'the run happened');
    const record = api.runs.panel.runRecord(summary.runId);
    return (record?.statements ?? []).flatMap((s) => (s.error ? [s.error.message] : []));
  }

  it('a lesson run twice fails with "already exists"; run from a clean cluster it passes every time', async () => {
    const lesson = await openFile('02-node-failure.md');
    const first = await vscode.commands.executeCommand<RunSummary>('crdbStudio.runLessonFromCleanCluster', lesson.uri);
    assert.equal(first.status, 'done', errorsOf(first).join('\n'));
    // The problem a reset solves: the same lesson again on the same cluster.
    const again = await vscode.commands.executeCommand<RunSummary>('crdbStudio.runFile', lesson.uri);
    assert.equal(again.status, 'error');
    assert.match(errorsOf(again)[0] ?? '', /database "bank" already exists/);
    const clean = await vscode.commands.executeCommand<RunSummary>('crdbStudio.runLessonFromCleanCluster', lesson.uri);
    assert.equal(clean.status, 'done', errorsOf(clean).join('\n'));
    assert.deepEqual(errorsOf(clean), []);
  });

  it('Reset Simulated Cluster leaves an empty cluster with the same nine nodes, and runs reconnect to it', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'sql', content: 'CREATE DATABASE before_reset;\n' });
    const created = await vscode.commands.executeCommand<RunSummary>('crdbStudio.runFile', document.uri);
    assert.equal(created.status, 'done');
    const urlBefore = api.simulatedCluster.url;
    assert.equal(await vscode.commands.executeCommand<boolean>('crdbStudio.resetSimulatedCluster'), true);
    assert.ok(api.simulatedCluster.url, 'a cluster runs after the reset');
    assert.notEqual(api.simulatedCluster.url, urlBefore, 'it is a new cluster, on new ports');
    const list = await vscode.workspace.openTextDocument({
      language: 'sql',
      content: 'SELECT database_name FROM [SHOW DATABASES] ORDER BY 1;\n',
    });
    const shown = await vscode.commands.executeCommand<RunSummary>('crdbStudio.runFile', list.uri);
    assert.equal(shown.status, 'done', errorsOf(shown).join('\n'));
    const rows = api.runs.panel.runRecord(shown.runId)?.statements[0]?.rows ?? [];
    assert.deepEqual(
      rows.map((r) => r[0]),
      ['defaultdb', 'postgres', 'system'],
      'only the databases a new cluster has',
    );
    const nodes = await vscode.commands.executeCommand<RunSummary>(
      'crdbStudio.runFile',
      (
        await vscode.workspace.openTextDocument({
          language: 'sql',
          content: 'SELECT count(*) FROM crdb_internal.gossip_nodes WHERE is_live;\n',
        })
      ).uri,
    );
    assert.deepEqual(api.runs.panel.runRecord(nodes.runId)?.statements[0]?.rows, [['9']]);
  });

  it('a run the reset interrupts says the cluster was reset, not only that the connection dropped', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'sql', content: 'SELECT pg_sleep(3);\nSELECT 1;\n' });
    const running = vscode.commands.executeCommand<RunSummary>('crdbStudio.runFile', document.uri);
    await until(() => {
      const run = api.runs.panel.newestRun();
      return run?.summary.status === 'running' && run.statements[0]?.status === 'running' ? true : undefined;
    }, 'the sleep to be running');
    assert.equal(await vscode.commands.executeCommand<boolean>('crdbStudio.resetSimulatedCluster'), true);
    const summary = await running;
    assert.equal(summary.status, 'error');
    const statements = api.runs.panel.runRecord(summary.runId)?.statements ?? [];
    assert.match(statements[0]?.note ?? '', /The simulated cluster was reset while this ran/);
    assert.equal(statements[1]?.status, 'cancelled', 'the rest is not run');
  });

  it('every quick fix carries the command that tells the walkthrough a fix was applied', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'sql',
      content: 'CREATE TABLE events (\n    id SERIAL PRIMARY KEY,\n    kind STRING NOT NULL\n);\n',
    });
    await vscode.window.showTextDocument(document);
    const diagnostics = await until(() => {
      const found = vscode.languages
        .getDiagnostics(document.uri)
        .filter((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'sequential-primary-key');
      return found.length > 0 ? found : undefined;
    }, 'the sequential-primary-key finding');
    const range = diagnostics[0]?.range;
    assert.ok(range);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, range);
    const fixes = actions.filter((a) => a.edit !== undefined);
    assert.ok(fixes.length >= 2, 'the rule offers its fixes');
    for (const fix of fixes) assert.equal(fix.command?.command, 'crdbStudio.quickFixApplied', fix.title);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
