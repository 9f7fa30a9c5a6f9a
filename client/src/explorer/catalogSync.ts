// Keeps the language server told about the current target's catalog (a summary: names, columns,
// types, localities, row estimates), so completion after `db.` and hover on a table know what the
// connected cluster has. It never connects on its own: it reads a target once the explorer has
// (the user expanded it), again after DDL ran on it and when it becomes the current target.
// Until the explorer is used it does nothing, so runs and lessons cost no background reads.
import * as vscode from 'vscode';
import type { CatalogSnapshot } from '../../../protocol/src/catalog';
import { CatalogReader } from '../../../runner/src/catalog/reader';
import type { RunController } from '../run/runController';
import type { Target, Targets } from '../run/targets';
import type { ExplorerProvider } from './explorerProvider';
import { changesCatalog } from './statements';

/** Tables whose columns go into the summary; the rest are sent by name only. */
export const SUMMARY_COLUMN_TABLES = 500;

export interface CatalogSink {
  sendCatalog(snapshot: CatalogSnapshot | null): void;
}

export class CatalogSync implements vscode.Disposable {
  private readonly subscriptions: { dispose(): unknown }[] = [];
  /** Targets the explorer connected to: only those are read. */
  private readonly reachable = new Set<string>();
  private reading: AbortController | undefined;
  private last: CatalogSnapshot | null = null;

  constructor(
    private readonly explorer: ExplorerProvider,
    runs: RunController,
    private readonly targets: Targets,
    private readonly sink: CatalogSink,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      explorer.onDidConnect((target) => {
        const first = !this.reachable.has(target.id);
        this.reachable.add(target.id);
        if (first && target.id === this.targets.current().id) void this.refresh();
      }),
      runs.onDidFinishRun((run) => {
        if (this.reachable.has(run.target.id) && run.target.id === this.targets.current().id && changesCatalog(run.statements))
          void this.refresh();
      }),
      targets.onDidChange((target) => {
        this.last = null;
        this.sink.sendCatalog(null);
        if (this.reachable.has(target.id)) void this.refresh();
      }),
    );
  }

  /** The last summary sent (for a restarted language server). */
  get snapshot(): CatalogSnapshot | null {
    return this.last;
  }

  /** Reads the current target's summary and sends it; a newer read cancels an older one. */
  async refresh(): Promise<CatalogSnapshot | null> {
    this.reading?.abort();
    const reading = new AbortController();
    this.reading = reading;
    const target: Target = this.targets.current();
    try {
      const reader = new CatalogReader(this.explorer.connection(target).queryFor(reading.signal));
      const snapshot = await reader.snapshot(target.label, { maxColumnTables: SUMMARY_COLUMN_TABLES });
      if (reading.signal.aborted) return null;
      this.last = snapshot;
      this.sink.sendCatalog(snapshot);
      const tables = snapshot.databases.reduce((n, d) => n + d.tables.length, 0);
      this.output.info(`Catalog of ${target.label} for completion and hover: ${snapshot.databases.length} databases, ${tables} tables.`);
      return snapshot;
    } catch (error) {
      if (!reading.signal.aborted)
        this.output.warn(`Catalog of ${target.label} not read: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    } finally {
      if (this.reading === reading) this.reading = undefined;
    }
  }

  dispose(): void {
    this.reading?.abort();
    for (const s of this.subscriptions) s.dispose();
  }
}
