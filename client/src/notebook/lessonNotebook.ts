// "Open as CockroachDB Lesson": a Markdown lesson as a notebook. The serializer turns the file into
// cells (./lessonCells.ts) and back, byte for byte except the cells the user edited; the
// controller runs a cell's SQL or shell steps on the current target through the same checks and
// sessions as the ▷ Run lenses (RunController), and shows each statement's result under the cell.
import * as vscode from 'vscode';
import { fencedBlocks, SHELL_BLOCK_LANGUAGES } from '../../../sql/src/fencedBlocks';
import { configFileOf, shellSteps, writeFileCommand } from '../../../cluster/src/shell';
import { runWithRetry } from '../../../runner/src/retry';
import { statementsIn } from '../../../runner/src/statements';
import type { StatementOutcome } from '../../../runner/src/types';
import { LATENCY_NOTICE, type RunController, type RunStatement } from '../run/runController';
import { readRunSettings } from '../settings';
import type { SimulatedCluster } from '../simulatedCluster';
import {
  cellKindOfBlock,
  lessonCells,
  lessonText,
  lineEndOf,
  type LessonCell,
  type LessonCellKind,
  type LessonRegion,
} from './lessonCells';
import { resultHtml, resultText, type StatementResult } from './outputHtml';

export const LESSON_NOTEBOOK = 'crdb-studio-lesson';

const LANGUAGE: Record<LessonCellKind, string> = { markdown: 'markdown', sql: 'sql', shell: 'shellscript' };

export class LessonSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    let text: string;
    try {
      // The BOM stays in the text, so that it is written back.
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(content);
    } catch {
      throw new Error('crdb-studio: this file is not UTF-8 text, so it cannot be opened as a lesson (saving would change its bytes).');
    }
    const cells = lessonCells(text).map((cell) => {
      const data = new vscode.NotebookCellData(
        cell.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code,
        cell.value,
        LANGUAGE[cell.kind],
      );
      if (cell.region) data.metadata = { region: cell.region };
      return data;
    });
    const notebook = new vscode.NotebookData(cells);
    notebook.metadata = { eol: lineEndOf(text) };
    return notebook;
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const cells: LessonCell[] = data.cells.map((cell) => {
      const kind: LessonCellKind = cell.kind === vscode.NotebookCellKind.Markup ? 'markdown' : cell.languageId === 'sql' ? 'sql' : 'shell';
      const region = (cell.metadata as { region?: LessonRegion } | undefined)?.region;
      return region ? { kind, value: cell.value, region } : { kind, value: cell.value };
    });
    const eol = (data.metadata as { eol?: string } | undefined)?.eol === '\r\n' ? '\r\n' : '\n';
    return new TextEncoder().encode(lessonText(cells, eol));
  }
}

/** The statements a code cell runs, in order: SQL statements, or a shell block's steps. */
export function cellStatements(notebook: vscode.NotebookDocument, cell: vscode.NotebookCell): RunStatement[] {
  const text = cell.document.getText();
  if (cell.document.languageId === 'sql') return statementsIn(text).map((s) => ({ text: s.text, start: s.start }));
  // Files the lesson's prose names for a config block since the previous shell block are written
  // first, as the lesson runner and the ▷ Run lens write them.
  const lesson = lessonText(notebookCells(notebook));
  const blocks = fencedBlocks(lesson);
  const runnable = blocks.map((b, i) => ({ b, i })).filter(({ b }) => cellKindOfBlock(b.language) !== undefined);
  const codeIndex = notebook
    .getCells()
    .filter((c) => c.kind === vscode.NotebookCellKind.Code)
    .indexOf(cell);
  const at = runnable[codeIndex]?.i;
  const files: RunStatement[] = [];
  if (at !== undefined) {
    const markdownLines = lesson.split(/\r?\n/);
    for (let i = at - 1; i >= 0; i--) {
      const earlier = blocks[i];
      if (!earlier || SHELL_BLOCK_LANGUAGES.has(earlier.language)) break;
      const file = configFileOf(markdownLines, earlier, blocks[i - 1]);
      if (file !== undefined) files.unshift({ text: writeFileCommand(file, earlier.content), start: 0 });
    }
  }
  return [...files, ...shellSteps(text).map((step) => ({ text: step.kind === 'sql' ? `> ${step.text}` : step.text, start: step.offset }))];
}

function notebookCells(notebook: vscode.NotebookDocument): LessonCell[] {
  return notebook.getCells().map((cell) => {
    const kind: LessonCellKind =
      cell.kind === vscode.NotebookCellKind.Markup ? 'markdown' : cell.document.languageId === 'sql' ? 'sql' : 'shell';
    const region = (cell.metadata as { region?: LessonRegion } | undefined)?.region;
    const value = cell.document.getText();
    return region ? { kind, value, region } : { kind, value };
  });
}

function toResult(statement: string, outcome: StatementOutcome, shell: boolean): StatementResult {
  const result: StatementResult = {
    statement,
    columns: outcome.columns.map((c) => ({ name: c.name, type: c.type })),
    rows: outcome.rows,
    hasMore: outcome.hasMore,
    notices: outcome.notices.filter((n) => !LATENCY_NOTICE.test(n.message)),
    shell,
    elapsedMs: outcome.elapsedMs,
  };
  if (outcome.tag !== undefined) result.tag = outcome.tag;
  if (outcome.rowCount !== undefined) result.rowCount = outcome.rowCount;
  if (outcome.note !== undefined) result.note = outcome.note;
  const latency = outcome.notices.map((n) => LATENCY_NOTICE.exec(n.message)?.[1]).find((v) => v !== undefined);
  if (latency !== undefined) result.simulatedLatencyMs = Number(latency);
  if (outcome.error) {
    result.error = { message: outcome.error.message };
    if (outcome.error.code !== undefined) result.error.code = outcome.error.code;
    if (outcome.error.detail !== undefined) result.error.detail = outcome.error.detail;
    if (outcome.error.hint !== undefined) result.error.hint = outcome.error.hint;
  }
  return result;
}

function output(result: StatementResult, showStatement: boolean): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput(
    [
      vscode.NotebookCellOutputItem.text(resultHtml(result, showStatement), 'text/html'),
      vscode.NotebookCellOutputItem.text(resultText(result), 'text/plain'),
    ],
    { statement: result.statement, error: result.error !== undefined },
  );
}

function message(text: string): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(text, 'text/plain')]);
}

const CONTROLLER_ID = 'crdb-studio-lesson-runner';
/** publisher.name in package.json: the notebook.selectKernel command names a kernel by both. */
const EXTENSION_ID = 'crdb-studio.crdb-studio';

export class LessonController implements vscode.Disposable {
  private readonly controller: vscode.NotebookController;
  private order = 0;

  constructor(
    private readonly runs: RunController,
    private readonly cluster: SimulatedCluster,
  ) {
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, LESSON_NOTEBOOK, 'CockroachDB (crdb-studio)');
    this.controller.supportedLanguages = ['sql', 'shellscript'];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'the current target: the simulated cluster, or the connected cluster';
    this.controller.executeHandler = async (cells) => {
      await this.execute(cells);
    };
    this.controller.onDidChangeSelectedNotebooks(({ notebook, selected }) => {
      if (selected) this.selected.add(notebook);
      else this.selected.delete(notebook);
    });
  }

  /** Notebooks whose kernel is this controller: VS Code lets a controller run only their cells. */
  private readonly selected = new Set<vscode.NotebookDocument>();

  /** Makes this controller the notebook's kernel, as picking it in the kernel picker does. */
  private async select(notebook: vscode.NotebookDocument): Promise<void> {
    if (this.selected.has(notebook)) return;
    this.controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
    const editor = vscode.window.visibleNotebookEditors.find((e) => e.notebook === notebook);
    await vscode.commands.executeCommand('notebook.selectKernel', { notebookEditor: editor, id: CONTROLLER_ID, extension: EXTENSION_ID });
  }

  /** Runs cells in order; a cell that fails stops the ones after it, as a lesson stops. */
  async execute(cells: readonly vscode.NotebookCell[]): Promise<boolean> {
    let skipRest = false;
    for (const cell of cells) {
      if (cell.kind !== vscode.NotebookCellKind.Code) continue;
      const execution = this.controller.createNotebookCellExecution(cell);
      execution.executionOrder = ++this.order;
      execution.start(Date.now());
      if (skipRest) {
        await execution.replaceOutput(message('Not run: an earlier cell failed.'));
        execution.end(undefined);
        continue;
      }
      const ok = await this.runCell(cell, execution);
      execution.end(ok, Date.now());
      if (!ok) skipRest = true;
    }
    return !skipRest;
  }

  private async runCell(cell: vscode.NotebookCell, execution: vscode.NotebookCellExecution): Promise<boolean> {
    await execution.clearOutput();
    const kind = cell.document.languageId === 'sql' ? 'sql' : 'shell';
    const statements = cellStatements(cell.notebook, cell);
    if (statements.length === 0) return true;
    const target = await this.runs.admit(kind, statements);
    if (!target) {
      await execution.replaceOutput(message('Not run (see the message above).'));
      return false;
    }
    const session = await this.runs.sessionFor(target);
    if (!session) {
      await execution.replaceOutput(message(`Not run: no connection to ${target.label}.`));
      return false;
    }
    const cancel = execution.token.onCancellationRequested(() => {
      void session.cancel();
    });
    const settings = readRunSettings();
    try {
      for (const statement of statements) {
        if (execution.token.isCancellationRequested) return false;
        this.runs.closeOpenCursor(target.id);
        const outcome =
          kind === 'shell'
            ? await this.runs.runShell(session, statement.text)
            : await runWithRetry(session, statement.text, {
                pageSize: settings.pageSize,
                retries: settings.retryImplicitTransactions ? 3 : 0,
              });
        // The notebook shows the first page; a cursor left open would block the session.
        await outcome.close();
        const result = toResult(statement.text, outcome, kind === 'shell');
        await execution.appendOutput(output(result, statements.length > 1));
        if (result.error) return false;
      }
      return true;
    } finally {
      cancel.dispose();
    }
  }

  /** Resets the simulated cluster, then runs every cell of the notebook from the top. */
  async runAllOnCleanCluster(notebook: vscode.NotebookDocument | undefined): Promise<boolean | undefined> {
    if (!notebook || notebook.notebookType !== LESSON_NOTEBOOK) {
      void vscode.window.showInformationMessage('crdb-studio: open a lesson as a notebook first ("Open as CockroachDB Lesson").');
      return undefined;
    }
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'crdb-studio: starting a clean simulated cluster…' },
        () => this.cluster.resetSimulatedCluster(),
      );
    } catch (error) {
      void vscode.window.showErrorMessage(`crdb-studio: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    await this.select(notebook);
    return this.execute(notebook.getCells());
  }

  dispose(): void {
    this.controller.dispose();
  }
}

/** Registers the serializer, the controller and the lesson notebook's commands. */
export function registerLessonNotebooks(runs: RunController, cluster: SimulatedCluster): { dispose(): unknown }[] {
  const controller = new LessonController(runs, cluster);
  return [
    vscode.workspace.registerNotebookSerializer(LESSON_NOTEBOOK, new LessonSerializer(), { transientOutputs: true }),
    controller,
    vscode.commands.registerCommand('crdbStudio.openAsLesson', async (uri?: unknown) => {
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      const target =
        uri instanceof vscode.Uri
          ? uri
          : (vscode.window.activeTextEditor?.document.uri ?? (tab instanceof vscode.TabInputText ? tab.uri : undefined));
      if (!target) {
        void vscode.window.showInformationMessage('crdb-studio: choose a Markdown lesson to open as a notebook.');
        return;
      }
      await vscode.commands.executeCommand('vscode.openWith', target, LESSON_NOTEBOOK);
    }),
    vscode.commands.registerCommand('crdbStudio.runLessonNotebookOnCleanCluster', () =>
      controller.runAllOnCleanCluster(vscode.window.activeNotebookEditor?.notebook),
    ),
  ];
}
