// The "Add Connection…" command: the form (./form.ts) in quick inputs, then the profile written to
// the chosen settings without a password, the password (if one was given and the test worked
// with it) to the editor's secret storage, and the new connection made the target.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { Targets } from '../run/targets';
import { SECTION } from '../settings';
import { walkthroughEvent } from '../walkthrough';
import { runConnectionForm, type ConnectionFormUi, type ConnectionFormResult } from './form';
import { quickInputUi } from './quickInput';
import { testConnection } from './testConnection';

export async function addConnection(targets: Targets, ui: ConnectionFormUi = quickInputUi): Promise<ConnectionFormResult | undefined> {
  const result = await runConnectionForm(ui, {
    existingNames: targets.list().flatMap((target) => (target.profile ? [target.profile.name] : [])),
    // Workspace settings of an untrusted folder are not read for connections: do not write there.
    workspaceScope: vscode.workspace.workspaceFolders !== undefined && vscode.workspace.isTrusted,
    homeDir: os.homedir(),
    fileExists: (file) => fs.existsSync(file),
    test: async (profile, password) => {
      const test = await testConnection(profile, password);
      if (test.ok) walkthroughEvent('connected');
      return test;
    },
  });
  if (!result) return undefined;
  const config = vscode.workspace.getConfiguration(SECTION);
  const inspected = config.inspect<unknown[]>('connections');
  const scope = result.scope === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const current = (result.scope === 'workspace' ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
  await config.update('connections', [...(Array.isArray(current) ? current : []), result.profile], scope);
  // Kept only once it worked, as for a password typed at the first run.
  if (result.password !== undefined && result.test?.ok === true) await targets.passwords.remember(result.profile, result.password);
  await targets.setCurrent(`profile:${result.profile.name}`);
  void vscode.window.showInformationMessage(
    `crdb-studio: saved "${result.profile.name}" to ${result.scope} settings; SQL now runs on it (the status bar switches back).`,
  );
  return result;
}
