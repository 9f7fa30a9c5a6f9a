// The simulated cluster as the editor sees it: started on demand in a process of its own (the
// SQL engine never runs in the extension host), stopped with the extension.
import * as vscode from 'vscode';
import { ClusterProcess } from '../../cluster/src/api/client';
import type { ClusterStartOptions } from '../../protocol/src/cluster';
import { SECTION } from './settings';

export class SimulatedCluster implements vscode.Disposable {
  private process: ClusterProcess | undefined;
  private starting: Promise<ClusterProcess> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when nodes or ranges change (debounced by the cluster). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly extensionPath: string,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  get url(): string | undefined {
    return this.process?.running ? this.process.ready.url : undefined;
  }

  /**
   * The running cluster, started first if need be (nine nodes in three regions, free ports), in
   * the store directory of the settings when one is set.
   */
  async ensureStarted(options: ClusterStartOptions = { global: true, port: 0 }): Promise<ClusterProcess> {
    if (this.process?.running) return this.process;
    const store = vscode.workspace.getConfiguration(SECTION).get<string>('simulatedCluster.storeDirectory', '').trim();
    if (store !== '' && options.store === undefined) options = { ...options, store };
    this.starting ??= (async () => {
      const entry = vscode.Uri.joinPath(vscode.Uri.file(this.extensionPath), 'dist', 'cluster', 'cluster.js').fsPath;
      this.output.info(`Starting the simulated cluster${options.store !== undefined ? ` (kept in ${options.store})` : ''}…`);
      try {
        const started = await ClusterProcess.start(entry, options);
        started.onChange(() => {
          this.changed.fire();
        });
        this.process = started;
        this.output.info(`Simulated cluster ready in ${started.ready.startMs.toFixed(0)} ms at ${started.ready.url}`);
        return started;
      } finally {
        this.starting = undefined;
      }
    })();
    return this.starting;
  }

  async stop(): Promise<void> {
    const running = this.process;
    this.process = undefined;
    if (running) {
      await running.stop();
      this.output.info('Simulated cluster stopped.');
    }
  }

  dispose(): void {
    void this.stop();
    this.changed.dispose();
  }
}
