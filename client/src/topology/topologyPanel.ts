// The topology view's host side: reads the current target's topology with CockroachDB's own
// introspection statements on a connection of its own (never the user's session), refreshes it
// live — on the simulated cluster's change events, else by polling with backoff — and carries
// the view's controls to the simulated cluster.
import * as vscode from 'vscode';
import type { SqlSession } from '../../../runner/src/session';
import { readTopology, type QueryFn } from '../../../runner/src/topology';
import { isTopologyToHost, type TopologyControl, type TopologyToHost, type TopologyToWebview } from '../../../protocol/src/topology';
import type { RunController } from '../run/runController';
import type { Targets } from '../run/targets';
import type { SimulatedCluster } from '../simulatedCluster';
import { webviewHtml, webviewOptions } from '../webviewHtml';

const SIMULATED_POLL_MS = 2000;
const CLUSTER_POLL_MS = 5000;
const MAX_BACKOFF_MS = 60_000;

/** A session's rows as the topology reader wants them; SQL errors thrown with their SQLSTATE. */
function queryOf(session: SqlSession): QueryFn {
  return async (sql) => {
    const outcome = await session.run(sql, { pageSize: 100_000 });
    await outcome.close();
    if (outcome.error) throw Object.assign(new Error(outcome.error.message), { code: outcome.error.code });
    return { columns: outcome.columns.map((c) => c.name), rows: outcome.rows };
  };
}

export class TopologyPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private timer: NodeJS.Timeout | undefined;
  private backoff = 0;
  private reading = false;
  private again = false;
  private focus: { database?: string; table?: string } = {};
  private readonly subscriptions: { dispose(): unknown }[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly runs: RunController,
    private readonly targets: Targets,
    private readonly cluster: SimulatedCluster,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      cluster.onDidChange(() => {
        if (this.targets.current().simulated) this.refreshSoon(0);
      }),
      targets.onDidChange(() => {
        this.post({ type: 'controls', enabled: this.targets.current().simulated });
        this.refreshSoon(0);
      }),
    );
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      'crdbStudio.topology',
      'crdb-studio: Topology',
      vscode.ViewColumn.Active,
      webviewOptions(this.extensionUri),
    );
    panel.webview.html = webviewHtml(
      panel.webview,
      this.extensionUri,
      'topology',
      'crdb-studio: Topology',
      '<main id="app" aria-label="Cluster topology"></main>',
      ['topology.css'],
    );
    panel.webview.onDidReceiveMessage((message: unknown) => {
      if (isTopologyToHost(message)) void this.onMessage(message);
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
      if (this.timer) clearTimeout(this.timer);
    });
    this.panel = panel;
  }

  get visible(): boolean {
    return this.panel !== undefined;
  }

  private post(message: TopologyToWebview): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(message);
  }

  private async onMessage(message: TopologyToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post({ type: 'controls', enabled: this.targets.current().simulated });
        this.refreshSoon(0);
        return;
      case 'refresh':
        this.refreshSoon(0);
        return;
      case 'focus':
        this.focus = {
          ...(message.database !== undefined ? { database: message.database } : {}),
          ...(message.table !== undefined ? { table: message.table } : {}),
        };
        this.refreshSoon(0);
        return;
      case 'control':
        return this.control(message.control);
    }
  }

  private async control(control: TopologyControl): Promise<void> {
    if (!this.targets.current().simulated) {
      this.post({ type: 'control-result', ok: false, message: 'Controls act on the simulated cluster only.' });
      return;
    }
    try {
      const cluster = await this.cluster.ensureStarted();
      await cluster.control(control);
      this.post({ type: 'control-result', ok: true });
      this.output.info(`Topology control: ${JSON.stringify(control)}`);
    } catch (error) {
      this.post({ type: 'control-result', ok: false, message: error instanceof Error ? error.message : String(error) });
    }
    this.refreshSoon(0);
  }

  /** Reads again after `delayMs` (one read at a time; a request during a read runs right after it). */
  refreshSoon(delayMs: number): void {
    if (!this.panel) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delayMs);
  }

  /** Reads the topology now and schedules the next read. Returns the model, for tests. */
  async refresh(): Promise<TopologyToWebview | undefined> {
    if (!this.panel) return undefined;
    this.reading = true;
    const target = this.targets.current();
    let sent: TopologyToWebview | undefined;
    try {
      const session = await this.runs.sessionFor(target, 'topology');
      if (!session) throw new Error(`not connected to ${target.label}`);
      const model = await readTopology(queryOf(session), { target: target.label, simulated: target.simulated, focus: this.focus });
      sent = { type: 'model', model };
      this.backoff = 0;
    } catch (error) {
      sent = {
        type: 'error',
        message: `Cannot read the topology of ${target.label}: ${error instanceof Error ? error.message : String(error)}`,
      };
      this.backoff = Math.min(MAX_BACKOFF_MS, Math.max(CLUSTER_POLL_MS, this.backoff * 2));
    } finally {
      this.reading = false;
    }
    this.post(sent);
    const next = this.again ? 0 : this.backoff > 0 ? this.backoff : target.simulated ? SIMULATED_POLL_MS : CLUSTER_POLL_MS;
    this.again = false;
    this.refreshSoon(next);
    return sent;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.panel?.dispose();
  }
}
