// Runs inside code-server's extension host, with the real `vscode` API.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { figures } from './figures';
import type { CrdbStudioApi } from '../../client/src/extension';
import { LIBRARY_SETTINGS, READ_SETTINGS, readServerSettings, SECTION } from '../../client/src/settings';

const EXTENSION_ID = 'crdb-studio.crdb-studio';

interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string }[];
    configuration: { properties: Record<string, { default?: unknown }> };
    grammars: { path: string; language?: string; scopeName: string }[];
  };
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function extension(): vscode.Extension<CrdbStudioApi> {
  const found = vscode.extensions.getExtension<CrdbStudioApi>(EXTENSION_ID);
  assert.ok(found, `${EXTENSION_ID} is installed in the host`);
  return found;
}

function manifest(): Manifest {
  return extension().packageJSON as Manifest;
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
    it('stays inactive until a SQL or Markdown file (or a command) needs it', () => {
      assert.equal(extension().isActive, false, 'nothing SQL is open yet');
      assert.deepEqual([...manifest().activationEvents].sort(), ['onLanguage:markdown', 'onLanguage:sql']);
    });

    it('activates when a .sql file opens and starts the language server', async () => {
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
      const registered = new Set((await vscode.commands.getCommands(true)).filter((id) => id.startsWith(`${SECTION}.`)));
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

    it('publishes (empty) diagnostics for an open SQL file', async () => {
      const document = await openSchema();
      const diagnostics = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'crdb-studio');
      assert.deepEqual(diagnostics, [], 'no rules are enabled yet, so no crdb-studio diagnostics');
    });

    it('restarts on command and answers again', async () => {
      await vscode.commands.executeCommand('crdbStudio.restartLanguageServer');
      await until(() => api.languageClient.running || undefined, 'the restarted server');
      const status = await api.languageClient.status();
      assert.equal(status?.serverVersion, api.languageClient.serverInfo?.version);
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
