// Runs SQL from the editor on the current target: one live session per target (so SET, USE and
// open transactions persist like a shell), results to the results view, errors back onto the
// source as diagnostics, confirmation before destructive statements on a real cluster.
import * as vscode from 'vscode';
import { shellOutcomeOf } from '../../../cluster/src/shell';
import { connectWithPassword } from '../../../runner/src/credentials';
import { errorLocation } from '../../../runner/src/position';
import { clientConfig } from '../../../runner/src/profile';
import { runWithRetry } from '../../../runner/src/retry';
import { SqlSession } from '../../../runner/src/session';
import { destructiveReason } from '../../../runner/src/statements';
import type { ConnectionFailure, StatementOutcome } from '../../../runner/src/types';
import type { RunSummary, StatementView } from '../../../protocol/src/results';
import { tabulateShellOutcome } from '../notebook/shellTable';
import { readRunSettings } from '../settings';
import type { SimulatedCluster } from '../simulatedCluster';
import { ResultsPanel } from './resultsPanel';
import { rangesAfterChanges } from './staleDiagnostics';
import { describe, SIMULATED_ID, type Target, type Targets } from './targets';
import { trustedToRun } from './trust';

export interface RunStatement {
  /** The text sent to the server. */
  text: string;
  /** Offset of the statement in the document. */
  start: number;
  /** Characters at the start of `text` that are not in the document (an added `EXPLAIN `). */
  prefixLength?: number;
}

export interface RunRequest {
  /** What the run is called in the view, e.g. `schema.sql:12` or `lesson.md: block 3`. */
  source: string;
  document: vscode.TextDocument;
  statements: RunStatement[];
  /** `shell`: `cockroach …` lines of a lesson, run on the simulated cluster. */
  kind: 'sql' | 'shell';
}

export interface FinishedRun {
  target: Target;
  statements: readonly string[];
  summary: RunSummary;
}

interface ActiveRun {
  summary: RunSummary;
  request: RunRequest;
  session: SqlSession | undefined;
  cancelled: boolean;
}

let runCounter = 0;

/** Read through a call: a cancel arrives while a statement runs, after the last check. */
function isCancelled(run: ActiveRun): boolean {
  return run.cancelled;
}
export const LATENCY_NOTICE = /^simulated latency ([\d.]+) ms$/;

/** A run's SQL for the history (shown by its first line, searched whole), cut to stay small. */
function runSql(statements: readonly RunStatement[]): string {
  const sql = statements.map((s) => s.text).join(';\n');
  return sql.length > 4000 ? `${sql.slice(0, 3999)}…` : sql;
}

/** A new run's summary, under a fresh id: a run that connected and one that could not start alike. */
function newRunSummary(request: RunRequest, target: Target): RunSummary {
  return {
    runId: `run-${++runCounter}`,
    target: target.label,
    source: request.source,
    sql: runSql(request.statements),
    startedAt: Date.now(),
    statements: request.statements.length,
    status: 'running',
  };
}

export class RunController implements vscode.Disposable {
  private readonly sessions = new Map<string, SqlSession>();
  /** Sessions a reset of the simulated cluster closed: a run on one says why it stopped. */
  private readonly closedByReset = new WeakSet<SqlSession>();
  private readonly runs = new Map<string, ActiveRun>();
  readonly panel: ResultsPanel;
  readonly diagnostics = vscode.languages.createDiagnosticCollection('crdb-studio-run');
  private readonly finished = new vscode.EventEmitter<FinishedRun>();
  /** Fires after every run (the schema explorer refreshes after DDL). */
  readonly onDidFinishRun = this.finished.event;
  /** Statements whose cursor is open, per target: the next statement there closes it. */
  private readonly openCursor = new Map<string, { id: string; outcome: StatementOutcome }>();
  /** Why the last interactive connection failed, for the results view. */
  private connectFailure: string | undefined;
  /** An edit to the text a run error points at clears that error. */
  private readonly editWatch = vscode.workspace.onDidChangeTextDocument((event) => {
    this.clearEditedDiagnostics(event);
  });

  constructor(
    extensionUri: vscode.Uri,
    private readonly targets: Targets,
    private readonly cluster: SimulatedCluster,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.panel = new ResultsPanel(
      extensionUri,
      {
        rerun: (runId) => {
          const run = this.runs.get(runId);
          if (run) void this.run(run.request);
        },
        cancel: (runId) => void this.cancel(runId),
        pageSize: () => readRunSettings().pageSize,
      },
      output,
    );
    // A reset cluster is a new process: drop the sessions on the old one; the next run reconnects.
    // Marked first: a statement running as the old cluster stops fails before the reset is done.
    cluster.onWillReset(() => {
      for (const [, session] of this.simulatedSessions()) this.closedByReset.add(session);
    });
    cluster.onDidReset(() => {
      for (const [key, session] of this.simulatedSessions()) {
        this.sessions.delete(key);
        void session.close();
      }
      this.openCursor.delete(SIMULATED_ID);
    });
  }

  /** The open sessions on the simulated cluster (runs, the topology view's, the explorer's). */
  private simulatedSessions(): [string, SqlSession][] {
    return [...this.sessions].filter(([key]) => key === SIMULATED_ID || key.startsWith(`${SIMULATED_ID}#`));
  }

  /**
   * The session for a target, connecting first; undefined (the user was told why) when it cannot.
   * `purpose` keeps connections apart: the topology view and the schema explorer read on connections of their own, never
   * inside the user's session or transaction, and never pops up dialogs while it polls.
   */
  async sessionFor(target: Target, purpose: 'run' | 'topology' | 'explorer' = 'run'): Promise<SqlSession | undefined> {
    const key = purpose === 'run' ? target.id : `${target.id}#${purpose}`;
    const interactive = purpose === 'run';
    const existing = this.sessions.get(key);
    if (existing?.alive) return existing;
    this.sessions.delete(key);
    const settings = readRunSettings();
    const options = settings.statementTimeoutSeconds > 0 ? { statementTimeoutMs: settings.statementTimeoutSeconds * 1000 } : {};
    let askFirst = false;
    for (;;) {
      try {
        let session: SqlSession | undefined;
        if (target.simulated) {
          const cluster = await this.cluster.ensureStarted();
          session = await SqlSession.open(
            clientConfig({ name: target.label, url: cluster.ready.url, applicationName: 'crdb-studio' }, undefined),
            options,
          );
        } else {
          const profile = target.profile;
          if (!profile) return undefined;
          // A password is asked for only when the server wants one (an insecure cluster never does),
          // and stored only once it worked. The topology view never asks: it polls in the background.
          session = await connectWithPassword(
            this.targets.passwords,
            profile,
            {
              open: (password) => SqlSession.open(clientConfig({ applicationName: 'crdb-studio', ...profile }, password), options),
              // The explorer asks too: it reads only when the user expands a node.
              ask: (failure) =>
                interactive || purpose === 'explorer' ? this.targets.askPassword(profile, failure) : Promise.resolve(undefined),
            },
            askFirst,
          );
          if (!session) return undefined;
        }
        // The simulated cluster then reports each statement's simulated latency in a NOTICE.
        if (target.simulated && interactive) await (await session.run(`SET crdb_studio_report_latency = 'on'`, { pageSize: 1 })).close();
        this.sessions.set(key, session);
        this.output.info(`Connected to ${target.simulated ? 'the simulated cluster' : describe(target.profile)}.`);
        return session;
      } catch (error) {
        const failure = (error as { failure?: ConnectionFailure }).failure;
        if (!interactive) throw error;
        askFirst = false;
        const message = failure
          ? `${failure.message}${failure.hint ? ` (${failure.hint})` : ''}`
          : error instanceof Error
            ? error.message
            : String(error);
        this.output.error(`Cannot connect to ${target.label}: ${message}`);
        this.connectFailure = message;
        const actions = ['Retry', ...(failure?.kind === 'auth' ? ['Enter Password'] : []), 'Edit Connections', 'Choose Target'];
        const choice = await vscode.window.showErrorMessage(`crdb-studio: cannot connect to ${target.label}: ${message}`, ...actions);
        if (choice === 'Retry') continue;
        if (choice === 'Enter Password' && target.profile) {
          askFirst = true;
          continue;
        }
        if (choice === 'Edit Connections') void vscode.commands.executeCommand('workbench.action.openSettings', 'crdbStudio.connections');
        if (choice === 'Choose Target') void this.targets.select();
        return undefined;
      }
    }
  }

  /**
   * The target statements would run on now, once the user agreed where that needs asking (an
   * untrusted workspace and a real cluster, destructive statements on a real cluster); undefined
   * when they run nowhere (the user was told why). The notebook controller asks the same.
   */
  async admit(kind: RunRequest['kind'], statements: readonly RunStatement[]): Promise<Target | undefined> {
    const target = this.targets.current();
    if (statements.length === 0) {
      void vscode.window.showInformationMessage('crdb-studio: no SQL statement to run here.');
      return undefined;
    }
    if (kind === 'shell' && !target.simulated) {
      void vscode.window.showWarningMessage(
        'crdb-studio: cockroach shell lines run on the simulated cluster only; choose it as the target to run them.',
      );
      return undefined;
    }
    // Restricted Mode: nothing from the workspace runs, on any target (./trust.ts says why).
    if (!trustedToRun()) return undefined;
    const settings = readRunSettings();
    if (!target.simulated && settings.confirmDestructive && kind === 'sql') {
      const reasons = statements.map((s) => destructiveReason(s.text)).filter((r): r is string => r !== undefined);
      if (reasons.length > 0) {
        const choice = await vscode.window.showWarningMessage(
          `Run ${reasons.length === 1 ? 'a destructive statement' : `${reasons.length} destructive statements`} on ${target.label}?`,
          { modal: true, detail: `${reasons.join('\n')}\n\n(crdbStudio.run.confirmDestructive turns this question off.)` },
          'Run',
        );
        if (choice !== 'Run') return undefined;
      }
    }
    return target;
  }

  /** Runs a request's statements in order; stops at the first error, as a shell does. */
  async run(request: RunRequest): Promise<RunSummary | undefined> {
    const target = await this.admit(request.kind, request.statements);
    if (!target) return undefined;
    this.output.info(`Running ${request.source}: ${request.statements.length} statement(s) on ${target.label}.`);
    const settings = readRunSettings();
    this.connectFailure = undefined;
    const session = await this.sessionFor(target);
    if (!session) {
      this.showNotConnected(request, target);
      return undefined;
    }
    const summary = newRunSummary(request, target);
    const runId = summary.runId;
    const active: ActiveRun = { summary, request, session, cancelled: false };
    this.runs.set(runId, active);
    this.diagnostics.delete(request.document.uri);
    this.panel.startRun(summary, request.document.uri);
    const problems: vscode.Diagnostic[] = [];
    let status: RunSummary['status'] = 'done';
    for (const [index, statement] of request.statements.entries()) {
      const id = `${runId}-${index}`;
      const line = request.document.positionAt(statement.start).line + 1;
      const view: StatementView = {
        id,
        runId,
        index,
        statement: statement.text,
        line,
        status: 'running',
        columns: [],
        rows: [],
        hasMore: false,
        notices: [],
      };
      if (active.cancelled) {
        this.panel.statement({ ...view, status: 'cancelled', note: 'Not run: the run was cancelled.' });
        continue;
      }
      this.panel.statement(view);
      this.closeOpenCursor(target.id);
      const outcome =
        request.kind === 'shell'
          ? await this.runShell(session, statement.text)
          : await runWithRetry(session, statement.text, {
              pageSize: settings.pageSize,
              retries: settings.retryImplicitTransactions ? 3 : 0,
            });
      const done = this.toView(view, outcome, request, statement);
      if (isCancelled(active) && done.error?.code === '57014') done.status = 'cancelled';
      this.panel.statement(done, outcome);
      if (done.hasMore) this.openCursor.set(target.id, { id, outcome });
      if (done.error) {
        status = done.status === 'cancelled' ? 'cancelled' : 'error';
        if (done.status === 'error') problems.push(this.diagnostic(request, statement, outcome));
        // A reset marks its sessions before it stops the cluster: the error a reset causes can
        // arrive before the connection is seen to close.
        const reset = this.closedByReset.has(session);
        if (reset || !session.alive) {
          this.sessions.delete(target.id);
          done.note = reset
            ? 'The simulated cluster was reset while this ran (Reset Simulated Cluster, or a lesson run from a clean cluster); the statement was not re-run. The next run connects to the new, empty cluster.'
            : 'The connection dropped; the statement was not re-run. The next run reconnects.';
          this.panel.statement(done);
        }
        for (const [rest, skipped] of request.statements.entries()) {
          if (rest <= index) continue;
          const skippedLine = request.document.positionAt(skipped.start).line + 1;
          this.panel.statement({
            id: `${runId}-${rest}`,
            runId,
            index: rest,
            statement: skipped.text,
            line: skippedLine,
            status: 'cancelled',
            columns: [],
            rows: [],
            hasMore: false,
            notices: [],
            note: 'Not run: an earlier statement failed.',
          });
        }
        break;
      }
    }
    this.diagnostics.set(request.document.uri, problems);
    summary.status = isCancelled(active) ? 'cancelled' : status;
    active.session = undefined;
    this.panel.finishRun(summary);
    this.finished.fire({ target, statements: request.statements.map((s) => s.text), summary });
    return summary;
  }

  /** Closes the cursor a statement left open on the target's session (more rows on demand). */
  closeOpenCursor(targetId: string): void {
    const open = this.openCursor.get(targetId);
    if (!open) return;
    this.openCursor.delete(targetId);
    void open.outcome.close();
    this.panel.cursorClosed(open.id);
  }

  private toView(view: StatementView, outcome: StatementOutcome, request: RunRequest, statement: RunStatement): StatementView {
    const done: StatementView = {
      ...view,
      status: outcome.error ? 'error' : 'done',
      columns: outcome.columns.map((c) => ({ name: c.name, type: c.type })),
      rows: outcome.rows,
      hasMore: outcome.hasMore,
      elapsedMs: outcome.elapsedMs,
      notices: outcome.notices.filter((n) => !LATENCY_NOTICE.test(n.message)),
    };
    if (outcome.tag !== undefined) done.tag = outcome.tag;
    if (outcome.rowCount !== undefined) done.rowCount = outcome.rowCount;
    if (outcome.note !== undefined) done.note = outcome.note;
    const latency = outcome.notices.map((n) => LATENCY_NOTICE.exec(n.message)?.[1]).find((v) => v !== undefined);
    if (latency !== undefined) done.simulatedLatencyMs = Number(latency);
    if (outcome.error) {
      const at = errorLocation(request.document.getText(), statement.start, statement.text, outcome.error.position, statement.prefixLength);
      done.error = { message: outcome.error.message, line: at.line, column: at.column };
      if (outcome.error.code !== undefined) done.error.code = outcome.error.code;
      if (outcome.error.detail !== undefined) done.error.detail = outcome.error.detail;
      if (outcome.error.hint !== undefined) done.error.hint = outcome.error.hint;
    }
    return done;
  }

  private diagnostic(request: RunRequest, statement: RunStatement, outcome: StatementOutcome): vscode.Diagnostic {
    const error = outcome.error;
    const at = errorLocation(request.document.getText(), statement.start, statement.text, error?.position, statement.prefixLength);
    const start = new vscode.Position(at.line - 1, at.column - 1);
    const end = request.document.positionAt(statement.start + statement.text.length - (statement.prefixLength ?? 0));
    const range = new vscode.Range(
      start,
      error?.position === undefined ? end : (request.document.getWordRangeAtPosition(start)?.end ?? end),
    );
    const diagnostic = new vscode.Diagnostic(
      range,
      `${error?.message ?? 'error'}${error?.hint ? `\nHINT: ${error.hint}` : ''}`,
      vscode.DiagnosticSeverity.Error,
    );
    diagnostic.source = 'crdb-studio (run)';
    if (error?.code) diagnostic.code = error.code;
    return diagnostic;
  }

  /**
   * A shell step of a lesson on the simulated cluster: sent as a `\\!` statement, run in the
   * cluster's lab (the same terminal `crdb-studio lesson` uses), its output a one-column result.
   */
  async runShell(session: SqlSession, text: string): Promise<StatementOutcome> {
    const outcome = await session.run(`\\! ${text}`, { pageSize: 10_000 });
    const kind = shellOutcomeOf(outcome.tag ?? '');
    if (kind === 'not-simulated') outcome.note = 'Not simulated: the lab has no stand-in for this command.';
    else if (kind === 'host') outcome.note = 'Host step: assumed done; the simulated cluster stands in for the machine.';
    if (outcome.error?.detail) outcome.error = { ...outcome.error, message: `${outcome.error.detail}\n${outcome.error.message}` };
    // `cockroach node status` and `cockroach sql -e` print a table: shown as one, with its real row count.
    return tabulateShellOutcome(text, outcome);
  }

  /**
   * A run that could not connect, in the results view as a failed run: its statements not run,
   * the first one with the reason, so the view never goes on showing the last run's "Done".
   */
  private showNotConnected(request: RunRequest, target: Target): void {
    const summary = newRunSummary(request, target);
    const runId = summary.runId;
    this.runs.set(runId, { summary, request, session: undefined, cancelled: false });
    this.panel.startRun(summary, request.document.uri);
    const reason = this.connectFailure ?? 'no connection was made';
    for (const [index, statement] of request.statements.entries()) {
      const view: StatementView = {
        id: `${runId}-${index}`,
        runId,
        index,
        statement: statement.text,
        line: request.document.positionAt(statement.start).line + 1,
        status: index === 0 ? 'error' : 'cancelled',
        columns: [],
        rows: [],
        hasMore: false,
        notices: [],
        note: `Not run: could not connect to ${target.label}.`,
      };
      if (index === 0) view.error = { message: `cannot connect to ${target.label}: ${reason}` };
      this.panel.statement(view);
    }
    this.panel.finishRun({ ...summary, status: 'error' });
  }

  /** Drops the run errors an edit touched and moves the others with the text. */
  private clearEditedDiagnostics(event: vscode.TextDocumentChangeEvent): void {
    const current = this.diagnostics.get(event.document.uri);
    if (!current || current.length === 0 || event.contentChanges.length === 0) return;
    const moved = rangesAfterChanges(
      current.map((d) => d.range),
      event.contentChanges.map((c) => ({ range: c.range, text: c.text })),
    );
    if (moved.every((range, i) => range === current[i]?.range)) return;
    const kept = current.flatMap((diagnostic, i) => {
      const range = moved[i];
      if (!range) return [];
      const copy = new vscode.Diagnostic(
        new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character),
        diagnostic.message,
        diagnostic.severity,
      );
      copy.source = diagnostic.source;
      copy.code = diagnostic.code;
      return [copy];
    });
    this.diagnostics.set(event.document.uri, kept);
  }

  /** Cancels the run's statement in flight (the server's cancel request) and skips the rest. */
  async cancel(runId?: string): Promise<void> {
    const run = runId ? this.runs.get(runId) : [...this.runs.values()].reverse().find((r) => r.session !== undefined);
    if (!run?.session) return;
    run.cancelled = true;
    await run.session.cancel();
  }

  dispose(): void {
    this.editWatch.dispose();
    this.finished.dispose();
    this.panel.dispose();
    this.diagnostics.dispose();
    for (const session of this.sessions.values()) void session.close();
    this.sessions.clear();
  }
}
