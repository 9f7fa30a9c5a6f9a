// The topology view's host side: reads the current target's topology with CockroachDB's own
// introspection statements on a connection of its own (never the user's session), refreshes it
// live — on the simulated cluster's change events, else by polling with backoff — and carries
// the view's controls to the simulated cluster. The page gets what it draws, not the model: a
// snapshot of the view first, then diffs between versions (it asks again when it misses one).
import * as vscode from 'vscode';
import { rttMs } from '../../../cluster/src/model/topology';
import type { SqlSession } from '../../../runner/src/session';
import { readTopology, rowCountKey, type QueryFn } from '../../../runner/src/topology';
import { countPartitionRows, type PartitionRows } from '../../../runner/src/topology/partitionRows';
import {
  isTopologyToHost,
  type RegionLatency,
  type TopologyControl,
  type TopologyModel,
  type TopologySelection,
  type TopologyToHost,
  type TopologyToWebview,
  type TopologyView,
} from '../../../protocol/src/topology';
import { buildView, diffViews, nodeRangesPage, resolveSelection } from '../../../protocol/src/topologyView';
import type { RunController } from '../run/runController';
import type { Targets } from '../run/targets';
import type { SimulatedCluster } from '../simulatedCluster';
import { isTopologyStoryToHost, type TopologyStoryToWebview } from '../../../protocol/src/topologyStory';
import { TopologyStoryHost } from './story';
import { walkthroughEvent } from '../walkthrough';
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

/** What one reading gave, for tests: the whole model, or why there is none. */
export type TopologyRead = { type: 'model'; model: TopologyModel } | { type: 'error'; message: string };

/** The simulated cluster's latency table for every pair of the model's regions. */
function simulatedLatencies(model: TopologyModel): RegionLatency[] {
  const names = model.regions.map((r) => r.name).filter((n) => n !== '');
  const links: RegionLatency[] = [];
  for (let i = 0; i < names.length; i++)
    for (let j = i + 1; j < names.length; j++) {
      const [from, to] = [names[i] as string, names[j] as string].sort();
      links.push({ from: from as string, to: to as string, rttMs: rttMs(from as string, to as string) });
    }
  return links;
}

export class TopologyPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private timer: NodeJS.Timeout | undefined;
  private backoff = 0;
  private reading = false;
  private again = false;
  private selection: TopologySelection = {};
  private model: TopologyModel | undefined;
  /** The view the page was last sent (a diff is made from it); undefined until a snapshot goes out. */
  private sent: TopologyView | undefined;
  private version = 0;
  /** Rows per region the user had counted (a scan, so never on a poll), by rowCountKey; per target. */
  private readonly counted = new Map<string, PartitionRows>();
  private readonly subscriptions: { dispose(): unknown }[] = [];
  /** Events, timeline, survival goals, what-if and row location (topology story). */
  readonly story = new TopologyStoryHost(
    (message: TopologyStoryToWebview) => {
      if (this.panel && this.ready) void this.panel.webview.postMessage(message);
    },
    async () => {
      const session = await this.runs.sessionFor(this.targets.current(), 'topology');
      if (!session) throw new Error(`not connected to ${this.targets.current().label}`);
      return queryOf(session);
    },
  );

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
        this.counted.clear();
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
      ['topology.css', 'topology-story.css'],
    );
    panel.webview.onDidReceiveMessage((message: unknown) => {
      if (isTopologyToHost(message)) void this.onMessage(message);
      else if (isTopologyStoryToHost(message)) void this.story.onMessage(message);
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
      this.sent = undefined;
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
        this.sent = undefined;
        this.post({ type: 'controls', enabled: this.targets.current().simulated });
        this.story.resend();
        this.refreshSoon(0);
        return;
      case 'refresh':
        this.refreshSoon(0);
        return;
      case 'resync':
        this.sent = undefined;
        this.publish();
        return;
      case 'focus': {
        const { type: _type, ...selection } = message;
        // A single range is answered as the range within its group, as the last reading has it.
        const next = resolveSelection(this.model, selection);
        const tableChanged = next.database !== this.selection.database || next.table !== this.selection.table;
        this.selection = next;
        // The selection's ranges come from the last reading at once; a new table's row counts need a read.
        this.publish();
        if (tableChanged) this.refreshSoon(0);
        return;
      }
      case 'control':
        return this.control(message.control);
      case 'count-rows':
        return this.countRows(message.database, message.table);
      case 'node-ranges':
        // From the last reading: the density view holds per-node counts only.
        if (this.model)
          this.post({ type: 'node-ranges', page: nodeRangesPage(this.model, this.selection, message.nodeId, message.offset) });
        return;
    }
  }

  /** Counts a REGIONAL BY ROW table's rows per region once, because the user asked; kept until asked again. */
  private async countRows(database: string, table: string): Promise<void> {
    const reply = (ok: boolean, message?: string): void => {
      this.post({ type: 'rows-counted', database, table, ok, ...(message === undefined ? {} : { message }) });
    };
    const db = this.model?.databases.find((d) => d.name === database);
    const entry = this.model?.tables.find((t) => t.database === database && t.name === table);
    if (!db || entry?.locality !== 'regional-by-row') {
      reply(false, `${database}.${table} is not a REGIONAL BY ROW table of the last reading.`);
      return;
    }
    try {
      const session = await this.runs.sessionFor(this.targets.current(), 'topology');
      if (!session) throw new Error(`not connected to ${this.targets.current().label}`);
      this.counted.set(rowCountKey(database, table), await countPartitionRows(queryOf(session), entry, db));
      reply(true);
    } catch (error) {
      reply(false, error instanceof Error ? error.message : String(error));
    }
    this.refreshSoon(0);
  }

  private async control(control: TopologyControl): Promise<void> {
    if (!this.targets.current().simulated) {
      this.post({ type: 'control-result', ok: false, message: 'Controls act on the simulated cluster only.' });
      return;
    }
    try {
      const cluster = await this.cluster.ensureStarted();
      await cluster.control(control);
      // The walkthrough's step is the user failing a node or region here, not any node a lesson stops.
      if (control.action === 'kill' || control.action === 'partition') walkthroughEvent('nodeKilled');
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

  /** Sends the page what changed since its version (the whole view when it has none). */
  private publish(): void {
    if (!this.model || !this.panel || !this.ready) return;
    const view = buildView(this.model, this.selection, ++this.version);
    const previous = this.sent;
    this.sent = view;
    if (previous && previous.head.target === view.head.target) this.post({ type: 'diff', diff: diffViews(previous, view) });
    else this.post({ type: 'snapshot', view });
  }

  /** What only the simulated cluster knows: its latency table and which regions are partitioned. */
  private async simulatedExtras(model: TopologyModel): Promise<TopologyModel> {
    const out: TopologyModel = { ...model, latency: { source: 'simulated', links: simulatedLatencies(model) } };
    try {
      const snapshot = await (await this.cluster.ensureStarted()).snapshot();
      // The timeline tells the simulated cluster's story in its own time (its clock moves with its events).
      out.simulatedTimeMs = snapshot.time;
      const isolated = new Set(snapshot.nodes.filter((n) => n.isolated).map((n) => n.id));
      const draining = new Set(snapshot.nodes.filter((n) => n.draining).map((n) => n.id));
      out.nodes = model.nodes.map((n) => ({
        ...n,
        ...(isolated.has(n.id) ? { partitioned: true } : {}),
        ...(draining.has(n.id) ? { draining: true } : {}),
      }));
      const regions = new Set(model.nodes.filter((n) => isolated.has(n.id)).map((n) => n.region));
      // A region is partitioned when all its nodes are cut off (the control partitions whole regions).
      out.partitionedRegions = [...regions]
        .filter((r) => model.nodes.filter((n) => n.region === r).every((n) => isolated.has(n.id)))
        .sort();
    } catch (error) {
      this.output.warn(
        `Topology: the simulated cluster's partitions could not be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return out;
  }

  /** Reads the topology now, sends the page what changed, and schedules the next read. Returns what was read, for tests. */
  async refresh(): Promise<TopologyRead | undefined> {
    if (!this.panel) return undefined;
    this.reading = true;
    const target = this.targets.current();
    let read: TopologyRead;
    try {
      const session = await this.runs.sessionFor(target, 'topology');
      if (!session) throw new Error(`not connected to ${target.label}`);
      let model = await readTopology(queryOf(session), {
        target: target.label,
        simulated: target.simulated,
        focus: this.selection,
        counted: this.counted,
      });
      if (target.simulated && model.notCockroachDb === undefined) model = await this.simulatedExtras(model);
      read = { type: 'model', model };
      this.backoff = 0;
    } catch (error) {
      read = {
        type: 'error',
        message: `Cannot read the topology of ${target.label}: ${error instanceof Error ? error.message : String(error)}`,
      };
      this.backoff = Math.min(MAX_BACKOFF_MS, Math.max(CLUSTER_POLL_MS, this.backoff * 2));
    } finally {
      this.reading = false;
    }
    if (read.type === 'model') {
      this.model = read.model;
      this.publish();
      this.story.observe(read.model);
    } else this.post(read);
    const next = this.again ? 0 : this.backoff > 0 ? this.backoff : target.simulated ? SIMULATED_POLL_MS : CLUSTER_POLL_MS;
    this.again = false;
    this.refreshSoon(next);
    return read;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.panel?.dispose();
  }
}
