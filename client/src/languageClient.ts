// Starts and restarts the crdb-studio language server, and keeps it told about settings.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { catalogChangedMethod, type CatalogSnapshot } from '../../protocol/src/catalog';
import { serverStatusMethod, settingsChangedMethod, type ServerStatus } from '../../protocol/src/languageServer';
import { affectsServerSettings, readServerSettings, SECTION } from './settings';
import { QUICK_FIX_APPLIED_COMMAND } from './walkthrough';

export class CrdbLanguageClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private readonly stateEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly subscriptions: { dispose(): unknown }[] = [this.stateEmitter];

  constructor(
    private readonly extensionPath: string,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!affectsServerSettings(event)) return;
        void this.client?.sendNotification(settingsChangedMethod, readServerSettings());
        this.stateEmitter.fire();
      }),
    );
  }

  /** The client id; the library reads `<id>.trace.server`. */
  readonly id = SECTION;

  get running(): boolean {
    return this.client?.state === State.Running;
  }

  get serverInfo(): { name: string; version?: string } | undefined {
    return this.client?.initializeResult?.serverInfo;
  }

  private catalog: CatalogSnapshot | null = null;

  /** The current target's catalog summary, for completion and hover; sent again after a restart. */
  sendCatalog(snapshot: CatalogSnapshot | null): void {
    this.catalog = snapshot;
    if (this.running) void this.client?.sendNotification(catalogChangedMethod, snapshot);
  }

  async start(): Promise<void> {
    const module = path.join(this.extensionPath, 'dist', 'server', 'server.js');
    // V8 grows the young generation of a server that holds a large file to its maximum (2 x 32 MB
    // on Node 24), and a long session of typing touches all of it: ~30 MB of the server's RSS
    // that a 16 MB cap saves (bench/languageServer.mjs, 10,000 lines, 1,000 edits on Node 24:
    // ~155 -> ~128 MiB), with no measurable cost per edit. Node 20's default is this already.
    const execArgv = ['--max-semi-space-size=16'];
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc, options: { execArgv } },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: [...execArgv, '--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'sql' },
        { scheme: 'untitled', language: 'sql' },
        // Lessons: the server lints their SQL blocks.
        { scheme: 'file', language: 'markdown' },
        { scheme: 'untitled', language: 'markdown' },
      ],
      initializationOptions: readServerSettings(),
      outputChannel: this.output,
      middleware: {
        // A quick fix is a plain edit; the command VS Code runs after it tells the walkthrough a fix was applied.
        provideCodeActions: async (document, range, context, token, next) =>
          (await next(document, range, context, token))?.map((action) => {
            if (action instanceof vscode.CodeAction && action.edit && !action.command)
              action.command = { title: 'Quick fix applied', command: QUICK_FIX_APPLIED_COMMAND };
            return action;
          }),
      },
    };
    const client = new LanguageClient(this.id, 'crdb-studio Language Server', serverOptions, clientOptions);
    client.onDidChangeState(() => {
      this.stateEmitter.fire();
    });
    this.client = client;
    await client.start();
    if (this.catalog) void client.sendNotification(catalogChangedMethod, this.catalog);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async status(): Promise<ServerStatus | undefined> {
    if (!this.client || !this.running) return undefined;
    return this.client.sendRequest<ServerStatus>(serverStatusMethod);
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client?.needsStop()) await client.stop();
  }

  dispose(): void {
    void this.stop();
    this.subscriptions.forEach((s) => s.dispose());
  }
}
