// Runs inside code-server's extension host, with the real `vscode` API.
import * as assert from 'node:assert/strict';
import { Client } from 'pg';
import * as vscode from 'vscode';
import { figures } from './figures';
import { PATIENCE_MS, until } from '../support/patience';
import { extension, openFile } from './support';
import type { CrdbStudioApi } from '../../client/src/extension';
import { LIBRARY_SETTINGS, READ_SETTINGS, readServerSettings, SECTION } from '../../client/src/settings';

interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string }[];
    views?: Record<string, { id: string }[]>;
    configuration: { properties: Record<string, { default?: unknown }> };
    grammars: { path: string; language?: string; scopeName: string }[];
  };
}

/** Commands VS Code itself adds for every contributed view. */
const VIEW_COMMAND_SUFFIXES = ['focus', 'resetViewLocation', 'toggleVisibility', 'removeView', 'open'];

function manifest(): Manifest {
  return extension().packageJSON as Manifest;
}

function crdbDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'crdb-studio');
}

async function openSchema(): Promise<vscode.TextDocument> {
  const [file] = await vscode.workspace.findFiles('**/*.sql', undefined, 1);
  assert.ok(file, 'the examples workspace has .sql files');
  const document = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(document);
  return document;
}

describe('crdb-studio in a real VS Code host', () => {
  let api: CrdbStudioApi;

  describe('activation', () => {
    it('activates in a workspace with .sql or .md files (so the target shows at once), or when one opens', () => {
      assert.deepEqual([...manifest().activationEvents].sort(), [
        'onLanguage:markdown',
        'onLanguage:sql',
        'workspaceContains:**/*.md',
        'workspaceContains:**/*.sql',
      ]);
    });

    it('is active in the examples workspace and starts the language server', async () => {
      const started = Date.now();
      const document = await openSchema();
      assert.equal(document.languageId, 'sql');
      api = await until(() => (extension().isActive ? extension().exports : undefined), 'activation');
      await until(() => api.languageClient.running || undefined, 'the language server to run');
      figures.push(
        `activation ${api.activationMs.toFixed(0)} ms inside activate() (to language server ready), ${Date.now() - started} ms from opening the file`,
      );
      assert.equal(api.languageClient.serverInfo?.name, 'crdb-studio');
      assert.equal(api.languageClient.serverInfo.version, (manifest() as unknown as { version: string }).version);
    });

    it('shows the server state and target version in the status bar for SQL editors', () => {
      assert.match(api.statusItem.text, /\$\(database\) CockroachDB v\d+\.\d+/);
    });
  });

  describe('manifest and code agree', () => {
    it('registers every command the manifest declares, and no undeclared crdbStudio command', async () => {
      // VS Code registers commands of its own for each contributed view: `<view id>.focus` and the like.
      const views = Object.values(manifest().contributes.views ?? {}).flatMap((list) => list.map((view) => view.id));
      const byVsCode = (id: string): boolean =>
        views.some((view) => id === view || VIEW_COMMAND_SUFFIXES.some((suffix) => id === `${view}.${suffix}`));
      const registered = new Set((await vscode.commands.getCommands(true)).filter((id) => id.startsWith(`${SECTION}.`) && !byVsCode(id)));
      const declared = new Set(manifest().contributes.commands.map((c) => c.command));
      assert.ok(declared.size > 0);
      assert.deepEqual([...registered].sort(), [...declared].sort());
    });

    it('reads every declared setting, and declares every setting it reads', () => {
      const declared = Object.keys(manifest().contributes.configuration.properties).sort();
      const read = [...READ_SETTINGS, ...LIBRARY_SETTINGS].map((key) => `${SECTION}.${key}`).sort();
      assert.deepEqual(declared, read);
    });

    it('contributes the CockroachDB grammar to the sql language and injects it into Markdown', async () => {
      const grammars = manifest().contributes.grammars;
      assert.ok(grammars.some((g) => g.language === 'sql' && g.scopeName === 'source.sql.cockroachdb'));
      assert.ok(grammars.some((g) => g.scopeName === 'markdown.cockroachdb-sql.codeblock'));
      for (const grammar of grammars) {
        const stat = await vscode.workspace.fs.stat(vscode.Uri.joinPath(extension().extensionUri, grammar.path));
        assert.ok(stat.size > 0, `${grammar.path} ships with the extension`);
      }
    });
  });

  describe('settings reach the language server', () => {
    const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(SECTION);
    after(async () => {
      await config().update('cockroachVersion', undefined, vscode.ConfigurationTarget.Workspace);
    });

    it('uses the manifest default when nothing is set', async () => {
      const declaredDefault = manifest().contributes.configuration.properties[`${SECTION}.cockroachVersion`]?.default;
      assert.equal(readServerSettings().cockroachVersion, declaredDefault);
      assert.equal((await api.languageClient.status())?.cockroachVersion, declaredDefault);
    });

    it('forwards a changed cockroachVersion to the server and the status bar', async () => {
      await config().update('cockroachVersion', '23.2', vscode.ConfigurationTarget.Workspace);
      await until(
        async () => ((await api.languageClient.status())?.cockroachVersion === 'v23.2' ? true : undefined),
        'the server to see v23.2',
      );
      assert.match(api.statusItem.text, /CockroachDB v23\.2/);
    });

    it('falls back to the default for a malformed version instead of failing', async () => {
      await config().update('cockroachVersion', 'latest', vscode.ConfigurationTarget.Workspace);
      const fallback = manifest().contributes.configuration.properties[`${SECTION}.cockroachVersion`]?.default;
      await until(
        async () => ((await api.languageClient.status())?.cockroachVersion === fallback ? true : undefined),
        'the server to fall back',
      );
    });

    it('names the language client after the settings section, so trace.server is honoured', () => {
      assert.equal(api.languageClient.id, SECTION);
    });
  });

  describe('language server lifecycle', () => {
    it('tracks open SQL documents', async () => {
      await openSchema();
      const status = await api.languageClient.status();
      assert.ok(status && status.openDocuments >= 1, `server sees open documents: ${JSON.stringify(status)}`);
    });

    it('publishes no diagnostics for the recommended schema', async () => {
      const document = await openFile('00-recommended.sql');
      // Quiet because it is clean, not because it was not linted yet: a table without a primary
      // key added to it shows a finding, which goes once the file is reverted.
      const editor = await vscode.window.showTextDocument(document);
      await editor.edit((edit) => {
        edit.insert(new vscode.Position(document.lineCount, 0), '\nCREATE TABLE no_key_yet (note STRING);\n');
      });
      await until(
        () => crdbDiagnostics(document.uri).find((d) => d.message.includes('has no primary key')),
        'a finding on the added table',
      );
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await until(() => crdbDiagnostics(document.uri).length === 0, 'the file to be quiet again');
      assert.equal(document.isDirty, false, 'the file is as it was');
      assert.deepEqual(crdbDiagnostics(document.uri), []);
    });

    it('publishes CockroachDB findings with their rule and documentation link', async () => {
      const document = await openFile('01-sequential-keys.sql');
      const diagnostics = await until(
        () => (crdbDiagnostics(document.uri).length >= 5 ? crdbDiagnostics(document.uri) : undefined),
        'diagnostics',
      );
      const codes = diagnostics.map((d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code)));
      for (const rule of ['sequential-primary-key', 'sequential-index', 'missing-primary-key'])
        assert.ok(codes.includes(rule), `${rule} in ${codes.join(', ')}`);
      const first = diagnostics.find((d) => typeof d.code === 'object' && d.code.value === 'sequential-primary-key');
      assert.ok(first && typeof first.code === 'object');
      assert.match(first.code.target.toString(), /^https:\/\/www\.cockroachlabs\.com\/docs\//);
      assert.equal(document.getText(first.range), 'id');
    });

    it('applies a quick fix that removes the finding', async () => {
      const document = await openFile('01-sequential-keys.sql');
      const target = await until(
        () => crdbDiagnostics(document.uri).find((d) => d.message.startsWith('Primary key events(id)')),
        'the events finding',
      );
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        document.uri,
        target.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const fix = actions.find((a) => a.isPreferred);
      assert.ok(fix?.edit, `a preferred quick fix among ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.match(document.lineAt(target.range.start.line).text, /id UUID DEFAULT gen_random_uuid\(\) PRIMARY KEY/);
      await until(
        () => (crdbDiagnostics(document.uri).some((d) => d.message.startsWith('Primary key events(id)')) ? undefined : true),
        'the finding to go',
      );
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });

    it('honours crdbStudio.rules from the settings', async () => {
      const document = await openFile('01-sequential-keys.sql');
      const config = vscode.workspace.getConfiguration(SECTION);
      await until(() => crdbDiagnostics(document.uri).find((d) => d.message.includes('has no primary key')), 'missing-primary-key');
      await config.update('rules', { 'missing-primary-key': 'off' }, vscode.ConfigurationTarget.Workspace);
      try {
        await until(
          () => (crdbDiagnostics(document.uri).some((d) => d.message.includes('has no primary key')) ? undefined : true),
          'the rule to be off',
        );
      } finally {
        await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });

    it('restarts on command and answers again', async () => {
      await vscode.commands.executeCommand('crdbStudio.restartLanguageServer');
      await until(() => api.languageClient.running || undefined, 'the restarted server');
      const status = await api.languageClient.status();
      assert.equal(status?.serverVersion, api.languageClient.serverInfo?.version);
    });

    it('starts the simulated cluster in a process of its own, serves SQL, and stops it', async function () {
      this.timeout(2 * PATIENCE_MS);
      const url = await vscode.commands.executeCommand<string | undefined>('crdbStudio.startSimulatedCluster');
      assert.ok(url, 'the command returns the cluster URL');
      assert.equal(api.simulatedCluster.url, url);
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        const regions = await client.query<{ region: string }>('SHOW REGIONS FROM CLUSTER');
        assert.deepEqual(
          regions.rows.map((r) => r.region),
          ['europe-west1', 'us-east1', 'us-west1'],
        );
      } finally {
        await client.end();
      }
      figures.push(
        `simulated cluster started from the editor in ${(await api.simulatedCluster.ensureStarted()).ready.startMs.toFixed(0)} ms`,
      );
      await vscode.commands.executeCommand('crdbStudio.stopSimulatedCluster');
      assert.equal(api.simulatedCluster.url, undefined);
      const refused = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
      refused.on('error', () => undefined);
      await assert.rejects(refused.connect());
    });

    it('opens the Getting Started panel', async () => {
      await vscode.commands.executeCommand('crdbStudio.showWelcome');
      const tab = await until(
        () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((t) => t.label === 'crdb-studio: Getting Started'),
        'the Getting Started tab',
      );
      assert.ok(tab.input instanceof vscode.TabInputWebview);
    });
  });
});
