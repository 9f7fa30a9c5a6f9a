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
  private readonly reset = new vscode.EventEmitter<void>();
  /** Fires when the cluster was reset: sessions on the old one are gone. */
  readonly onDidReset = this.reset.event;
  private readonly resetting = new vscode.EventEmitter<void>();
  /** Fires as a reset begins, before the old cluster stops: what runs on it is about to fail. */
  readonly onWillReset = this.resetting.event;
  /** The options of the last start, so a reset brings back the same topology. */
  private lastOptions: ClusterStartOptions | undefined;

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
    const store = storeDirectory();
    if (store !== '' && options.store === undefined) options = { ...options, store };
    this.lastOptions = options;
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

  /**
   * Throws the simulated cluster away and starts a new, empty one with the same topology, so a
   * lesson can run again from the start (CREATE DATABASE … no longer fails with "already
   * exists"). An in-memory cluster only: one kept in a store directory is the user's data, and a
   * reset refuses rather than delete it.
   */
  async resetSimulatedCluster(): Promise<ClusterProcess> {
    const store = storeDirectory();
    if (store !== '') throw new ResetRefused(store);
    await this.starting?.catch(() => undefined);
    const options = this.lastOptions;
    this.resetting.fire();
    await this.stop();
    this.reset.fire();
    this.output.info('Simulated cluster reset: starting an empty one.');
    const { store: _kept, ...inMemory } = options ?? { global: true, port: 0 };
    return this.ensureStarted(inMemory);
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
    this.reset.dispose();
    this.resetting.dispose();
  }
}

/** A reset asked of a cluster whose data lives in a store directory. */
export class ResetRefused extends Error {
  constructor(readonly store: string) {
    super(
      `the simulated cluster keeps its data in ${store} (crdbStudio.simulatedCluster.storeDirectory); a reset would delete it. Clear the setting (or delete the directory yourself) to start from a clean cluster.`,
    );
  }
}

function storeDirectory(): string {
  return vscode.workspace.getConfiguration(SECTION).get<string>('simulatedCluster.storeDirectory', '').trim();
}
