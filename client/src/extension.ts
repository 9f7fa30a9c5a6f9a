// crdb-studio extension entry: the only code that talks to the VS Code API.
import * as vscode from 'vscode';
import { createExplorer, type Explorer } from './explorer/explorer';
import { addConnection } from './connections/addConnection';
import { CrdbLanguageClient } from './languageClient';
import { registerLessonNotebooks } from './notebook/lessonNotebook';
import { RunCodeLensProvider } from './run/codeLens';
import { runCommands } from './run/runCommands';
import { RunController } from './run/runController';
import { Targets } from './run/targets';
import { SimulatedCluster } from './simulatedCluster';
import { TopologyPanel } from './topology/topologyPanel';
import { ServerStatusItem } from './statusBar';
import { registerWalkthrough } from './walkthrough';
import { WelcomePanel } from './welcome';

/** What activate() returns: used by the extension's own host tests and by other extensions. */
export interface CrdbStudioApi {
  readonly languageClient: CrdbLanguageClient;
  readonly statusItem: ServerStatusItem;
  readonly simulatedCluster: SimulatedCluster;
  readonly runs: RunController;
  readonly targets: Targets;
  readonly topology: TopologyPanel;
  /** The schema explorer (view crdbStudio.explorer) and the catalog summary it keeps the server told of. */
  readonly explorer: Explorer;
  /** Milliseconds from activate() being called to the language server answering initialize. */
  readonly activationMs: number;
}

const SHOWS_STATUS = new Set(['sql', 'markdown']);
let activeClient: CrdbLanguageClient | undefined;
let activeCluster: SimulatedCluster | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<CrdbStudioApi> {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('crdb-studio', { log: true });
  const languageClient = new CrdbLanguageClient(context.extensionPath, output);
  activeClient = languageClient;
  const statusItem = new ServerStatusItem(languageClient);
  const simulatedCluster = new SimulatedCluster(context.extensionPath, output);
  activeCluster = simulatedCluster;
  const targets = new Targets(context, output);
  const runs = new RunController(context.extensionUri, targets, simulatedCluster, output);
  const codeLenses = new RunCodeLensProvider();
  const topology = new TopologyPanel(context.extensionUri, runs, targets, simulatedCluster, output);
  const { explorer, commands: explorerCommands } = createExplorer(runs, targets, languageClient, output);
  context.subscriptions.push(
    output,
    languageClient,
    statusItem,
    simulatedCluster,
    targets,
    runs,
    codeLenses,
    topology,
    explorer,
    vscode.languages.registerCodeLensProvider([{ language: 'sql' }, { language: 'markdown' }], codeLenses),
    ...registerLessonNotebooks(runs, simulatedCluster),
  );

  const commands: Record<string, (...args: unknown[]) => unknown> = {
    ...runCommands(runs, targets, simulatedCluster),
    ...explorerCommands,
    'crdbStudio.restartLanguageServer': async () => {
      await languageClient.restart();
      output.info('Language server restarted.');
    },
    'crdbStudio.showOutput': () => {
      output.show(true);
    },
    'crdbStudio.showWelcome': () => WelcomePanel.show(context),
    // Returns the cluster's URL, for other extensions and the host tests.
    'crdbStudio.startSimulatedCluster': async () => {
      try {
        const cluster = await simulatedCluster.ensureStarted();
        void vscode.window
          .showInformationMessage(`crdb-studio: simulated cluster running at ${cluster.ready.url}`, 'Copy URL')
          .then((choice) => {
            if (choice) void vscode.env.clipboard.writeText(cluster.ready.url);
          });
        return cluster.ready.url;
      } catch (error) {
        output.error(String(error));
        void vscode.window.showErrorMessage(
          `crdb-studio: the simulated cluster did not start: ${error instanceof Error ? error.message : String(error)}`,
        );
        return undefined;
      }
    },
    'crdbStudio.stopSimulatedCluster': () => simulatedCluster.stop(),
    'crdbStudio.addConnection': () => addConnection(targets),
    'crdbStudio.showTopology': () => {
      topology.show();
    },
  };
  for (const [id, handler] of Object.entries(commands)) context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  registerWalkthrough(context);

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
  return { languageClient, statusItem, simulatedCluster, runs, targets, topology, explorer, activationMs };
}

export async function deactivate(): Promise<void> {
  // Stop the server and the cluster before the host exits, so neither is left orphaned.
  await Promise.all([activeClient?.stop(), activeCluster?.stop()]);
}
