// crdb-studio extension entry: the only code that talks to the VS Code API.
import * as vscode from 'vscode';
import { CrdbLanguageClient } from './languageClient';
import { ServerStatusItem } from './statusBar';
import { WelcomePanel } from './welcome';

/** What activate() returns: used by the extension's own host tests and by other extensions. */
export interface CrdbStudioApi {
  readonly languageClient: CrdbLanguageClient;
  readonly statusItem: ServerStatusItem;
  /** Milliseconds from activate() being called to the language server answering initialize. */
  readonly activationMs: number;
}

const SHOWS_STATUS = new Set(['sql', 'markdown']);
let activeClient: CrdbLanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<CrdbStudioApi> {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('crdb-studio', { log: true });
  const languageClient = new CrdbLanguageClient(context.extensionPath, output);
  activeClient = languageClient;
  const statusItem = new ServerStatusItem(languageClient);
  context.subscriptions.push(output, languageClient, statusItem);

  const commands: Record<string, () => unknown> = {
    'crdbStudio.restartLanguageServer': async () => {
      await languageClient.restart();
      output.info('Language server restarted.');
    },
    'crdbStudio.showOutput': () => {
      output.show(true);
    },
    'crdbStudio.showWelcome': () => WelcomePanel.show(context),
  };
  for (const [id, handler] of Object.entries(commands)) context.subscriptions.push(vscode.commands.registerCommand(id, handler));

  const syncStatusVisibility = (editor: vscode.TextEditor | undefined): void => {
    statusItem.setVisible(editor !== undefined && SHOWS_STATUS.has(editor.document.languageId));
  };
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(syncStatusVisibility));
  syncStatusVisibility(vscode.window.activeTextEditor);

  try {
    await languageClient.start();
  } catch (error) {
    output.error(`The language server failed to start: ${String(error)}`);
    void vscode.window
      .showErrorMessage('crdb-studio: the language server failed to start. See the crdb-studio output for details.', 'Show Output')
      .then((choice) => {
        if (choice) output.show();
      });
  }
  statusItem.update();
  const activationMs = performance.now() - started;
  output.info(`Activated in ${activationMs.toFixed(0)} ms.`);
  return { languageClient, statusItem, activationMs };
}

export function deactivate(): Promise<void> | undefined {
  // Stop the server before the host exits, so it is not left orphaned.
  return activeClient?.stop();
}
