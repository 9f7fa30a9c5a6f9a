// The results view's host side: one panel for every run, typed messages both ways, rows paged on
// demand from the statement's open cursor (a 100,000-row result never sits in the host at once).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import * as vscode from 'vscode';
import type { StatementOutcome } from '../../../runner/src/types';
import { csvRow } from '../../../protocol/src/csv';
import {
  isResultsToHost,
  type ResultsToHost,
  type ResultsToWebview,
  type RunSummary,
  type StatementView,
} from '../../../protocol/src/results';
import { webviewHtml, webviewOptions } from '../webviewHtml';

const KEPT_RUNS = 20;

interface RunRecord {
  summary: RunSummary;
  statements: StatementView[];
  uri: vscode.Uri | undefined;
}

/** What the panel asks of whoever runs SQL. */
export interface RunActions {
  rerun(runId: string): void;
  cancel(runId: string): void;
  pageSize(): number;
}

export class ResultsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private readonly queue: ResultsToWebview[] = [];
  private readonly runs: RunRecord[] = [];
  /** Open cursors, by statement id: what "load more" and export read from. */
  private readonly outcomes = new Map<string, StatementOutcome>();
  private shownRun: string | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly actions: RunActions,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Shows the panel (created on first use) beside the editor, without taking focus. */
  reveal(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      'crdbStudio.results',
      'crdb-studio: Results',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(this.extensionUri),
    );
    panel.webview.html = webviewHtml(
      panel.webview,
      this.extensionUri,
      'results',
      'crdb-studio: Results',
      '<main id="results" aria-label="Query results"></main>',
      ['results.css'],
    );
    panel.webview.onDidReceiveMessage((message: unknown) => {
      if (isResultsToHost(message)) void this.onMessage(message);
    });
    panel.onDidDispose(() => {
      this.log.info(`Results view closed (${this.queue.length} updates not shown).`);
      this.panel = undefined;
      this.ready = false;
    });
    this.panel = panel;
    this.log.info('Results view opened.');
  }

  get visible(): boolean {
    return this.panel !== undefined;
  }

  private post(message: ResultsToWebview): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(message);
    else this.queue.push(message);
  }

  startRun(summary: RunSummary, uri: vscode.Uri | undefined): void {
    this.reveal();
    this.runs.unshift({ summary, statements: [], uri });
    for (const dropped of this.runs.splice(KEPT_RUNS)) for (const s of dropped.statements) this.forgetOutcome(s.id);
    this.shownRun = summary.runId;
    this.post({ type: 'run-started', run: summary });
    this.postHistory();
  }

  finishRun(summary: RunSummary): void {
    const run = this.find(summary.runId);
    if (run) run.summary = summary;
    this.post({ type: 'run-finished', run: summary });
    this.postHistory();
  }

  /** A statement's (new or updated) result; `outcome` keeps its cursor for more rows. */
  statement(view: StatementView, outcome?: StatementOutcome): void {
    const run = this.find(view.runId);
    if (run) {
      const index = run.statements.findIndex((s) => s.id === view.id);
      if (index === -1) run.statements.push(view);
      else run.statements[index] = view;
    }
    if (outcome && view.hasMore) this.outcomes.set(view.id, outcome);
    this.post({ type: 'statement', statement: view });
  }

  /** A cursor closed (its connection ran something else): no more rows for that statement. */
  cursorClosed(id: string): void {
    this.outcomes.delete(id);
    const view = this.findStatement(id);
    if (view?.hasMore) {
      view.hasMore = false;
      view.note = [view.note, 'The rest of the rows were not kept: the connection ran another statement.'].filter(Boolean).join(' ');
      this.post({ type: 'statement', statement: view });
    }
  }

  private forgetOutcome(id: string): void {
    const outcome = this.outcomes.get(id);
    this.outcomes.delete(id);
    void outcome?.close();
  }

  private find(runId: string): RunRecord | undefined {
    return this.runs.find((r) => r.summary.runId === runId);
  }

  private findStatement(id: string): StatementView | undefined {
    for (const run of this.runs) for (const s of run.statements) if (s.id === id) return s;
    return undefined;
  }

  private postHistory(): void {
    this.post({ type: 'history', runs: this.runs.map((r) => r.summary) });
  }

  private async onMessage(message: ResultsToHost): Promise<void> {
    switch (message.type) {
      case 'ready': {
        this.log.info(`Results view ready (${this.queue.length} updates waiting).`);
        this.ready = true;
        for (const queued of this.queue.splice(0)) void this.panel?.webview.postMessage(queued);
        const shown = this.shownRun ? this.find(this.shownRun) : undefined;
        if (shown)
          void this.panel?.webview.postMessage({
            type: 'show-run',
            runId: shown.summary.runId,
            statements: shown.statements,
          } satisfies ResultsToWebview);
        return;
      }
      case 'load-more':
        return this.loadMore(message.id);
      case 'cancel':
        this.actions.cancel(message.runId);
        return;
      case 'rerun':
        this.actions.rerun(message.runId);
        return;
      case 'open-run': {
        const run = this.find(message.runId);
        if (!run) return;
        this.shownRun = run.summary.runId;
        this.post({ type: 'show-run', runId: run.summary.runId, statements: run.statements });
        return;
      }
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        return;
      case 'export':
        return this.export(message.id, message.format);
      case 'reveal':
        return this.revealSource(message.id);
    }
  }

  private async loadMore(id: string): Promise<void> {
    const outcome = this.outcomes.get(id);
    const view = this.findStatement(id);
    if (!outcome || !view) return;
    const page = await outcome.more(this.actions.pageSize());
    view.rows.push(...page.rows);
    view.hasMore = page.hasMore;
    view.rowCount = view.rows.length;
    if (!page.hasMore) this.outcomes.delete(id);
    this.post({ type: 'rows', id, rows: page.rows, hasMore: page.hasMore, rowCount: view.rows.length });
  }

  /** Writes every row — those loaded and the rest of the cursor — without holding them all. */
  private async export(id: string, format: 'csv' | 'json'): Promise<void> {
    const view = this.findStatement(id);
    if (!view) return;
    const target = await vscode.window.showSaveDialog({
      title: 'Export rows',
      filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      defaultUri: vscode.Uri.file(`result-${view.index + 1}.${format}`),
    });
    if (!target) return;
    const out = createWriteStream(target.fsPath);
    const names = view.columns.map((c) => c.name);
    let first = true;
    const write = async (rows: (string | null)[][]): Promise<void> => {
      for (const row of rows) {
        let line: string;
        if (format === 'csv') line = `${csvRow(row)}\n`;
        else {
          line = `${first ? '' : ',\n'}${JSON.stringify(Object.fromEntries(names.map((n, i) => [n, row[i] ?? null])))}`;
          first = false;
        }
        if (!out.write(line)) await once(out, 'drain');
      }
    };
    out.write(format === 'csv' ? `${csvRow(names)}\n` : '[\n');
    await write(view.rows);
    const outcome = this.outcomes.get(id);
    let written = view.rows.length;
    if (outcome) {
      for (let more = true; more;) {
        const page = await outcome.more(5000);
        await write(page.rows);
        written += page.rows.length;
        more = page.hasMore;
      }
      this.cursorClosed(id);
    }
    if (format === 'json') out.write('\n]\n');
    out.end();
    await once(out, 'finish');
    void vscode.window.showInformationMessage(
      `crdb-studio: exported ${written} row${written === 1 ? '' : 's'} to ${vscode.workspace.asRelativePath(target)}`,
    );
  }

  private async revealSource(id: string): Promise<void> {
    const run = this.runs.find((r) => r.statements.some((s) => s.id === id));
    const view = this.findStatement(id);
    if (!run?.uri || !view) return;
    const line = Math.max(0, (view.error?.line ?? view.line) - 1);
    const column = Math.max(0, (view.error?.column ?? 1) - 1);
    const editor = await vscode.window.showTextDocument(run.uri, { viewColumn: vscode.ViewColumn.One });
    const position = new vscode.Position(line, column);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** The statements of the run shown, for tests and for re-runs. */
  runRecord(runId: string): { summary: RunSummary; statements: StatementView[] } | undefined {
    return this.find(runId);
  }

  /** The newest run's statements (one still running included), for tests. */
  newestRun(): { summary: RunSummary; statements: StatementView[] } | undefined {
    return this.runs[0];
  }

  dispose(): void {
    for (const id of [...this.outcomes.keys()]) this.forgetOutcome(id);
    this.panel?.dispose();
  }
}
