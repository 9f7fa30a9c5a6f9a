// The run commands: statement at the cursor, selection, file, a lesson's blocks, EXPLAIN, cancel,
// choosing the target. Each builds a RunRequest from the document and hands it to the controller.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fencedBlocks, SHELL_BLOCK_LANGUAGES, SQL_BLOCK_LANGUAGES, type FencedBlock } from '../../../sql/src/fencedBlocks';
import { configFileOf, shellSteps, writeFileCommand } from '../../../cluster/src/shell';
import { statementAt, statementsIn } from '../../../runner/src/statements';
import type { RunSummary } from '../../../protocol/src/results';
import { ResetRefused, type SimulatedCluster } from '../simulatedCluster';
import { walkthroughEvent } from '../walkthrough';
import type { RunController, RunRequest, RunStatement } from './runController';
import { SIMULATED_ID, type Targets } from './targets';
import { trustedToRun } from './trust';

/**
 * The document a Run command is about: the one it was given, else the active editor's, else the
 * active tab's (a command run right after a file was opened can reach the extension before the
 * editor does); with none, the user is told, as a command that does nothing looks broken.
 */
async function documentFor(uri: unknown): Promise<vscode.TextDocument | undefined> {
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  const editor = vscode.window.activeTextEditor;
  if (editor) return editor.document;
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (tab instanceof vscode.TabInputText) return vscode.workspace.openTextDocument(tab.uri);
  void vscode.window.showInformationMessage('crdb-studio: open a .sql file or a Markdown lesson to run it.');
  return undefined;
}

function label(document: vscode.TextDocument, offset: number): string {
  return `${path.basename(document.fileName)}:${document.positionAt(offset).line + 1}`;
}

function sqlRequest(document: vscode.TextDocument, statements: RunStatement[], source: string): RunRequest {
  return { source, document, statements, kind: 'sql' };
}

/** Offset in the document of a block's first content line. */
function blockStart(document: vscode.TextDocument, block: FencedBlock): number {
  return document.offsetAt(new vscode.Position(block.contentStartLine, 0));
}

function blockStatements(document: vscode.TextDocument, block: FencedBlock): RunStatement[] {
  const start = blockStart(document, block);
  return statementsIn(block.content).map((s) => ({ text: s.text, start: start + s.start }));
}

/** A lesson's run that reached its end ticks the walkthrough's "run a lesson" step. */
function lessonRan(document: vscode.TextDocument, summary: RunSummary | undefined): RunSummary | undefined {
  if (document.languageId === 'markdown' && summary?.status === 'done') walkthroughEvent('lessonRun');
  return summary;
}

/** Resets the simulated cluster; false (the user was told why) when it cannot. */
async function resetCluster(cluster: SimulatedCluster): Promise<boolean> {
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'crdb-studio: resetting the simulated cluster…' },
      () => cluster.resetSimulatedCluster(),
    );
    return true;
  } catch (error) {
    if (error instanceof ResetRefused) {
      const choice = await vscode.window.showWarningMessage(`crdb-studio: ${error.message}`, 'Open Setting');
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'crdbStudio.simulatedCluster.storeDirectory');
    } else {
      void vscode.window.showErrorMessage(
        `crdb-studio: the simulated cluster did not restart: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return false;
  }
}

/** Every SQL block of a lesson, in order: the run-all path of the lesson's CodeLens. */
function lessonRequest(document: vscode.TextDocument): RunRequest {
  const statements = fencedBlocks(document.getText())
    .filter((b) => SQL_BLOCK_LANGUAGES.has(b.language))
    .flatMap((b) => blockStatements(document, b));
  return sqlRequest(document, statements, `${path.basename(document.fileName)} (all SQL blocks)`);
}

export function runCommands(
  controller: RunController,
  targets: Targets,
  cluster: SimulatedCluster,
): Record<string, (...args: unknown[]) => unknown> {
  const explain = async (analyze: boolean): Promise<unknown> => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return undefined;
    const statement = statementAt(editor.document.getText(), editor.document.offsetAt(editor.selection.active));
    if (!statement) return undefined;
    const prefix = analyze ? 'EXPLAIN ANALYZE ' : 'EXPLAIN ';
    return controller.run(
      sqlRequest(
        editor.document,
        [{ text: prefix + statement.text, start: statement.start, prefixLength: prefix.length }],
        `${prefix.trim()} ${label(editor.document, statement.start)}`,
      ),
    );
  };
  return {
    /** At the cursor, or at an offset (CodeLens). */
    'crdbStudio.runStatement': async (uri?: unknown, offset?: unknown) => {
      const document = await documentFor(uri);
      if (!document) return undefined;
      const editor = vscode.window.activeTextEditor;
      const at = typeof offset === 'number' ? offset : editor?.document === document ? document.offsetAt(editor.selection.active) : 0;
      const statement = statementAt(document.getText(), at);
      if (!statement) {
        void vscode.window.showInformationMessage('crdb-studio: no SQL statement at the cursor.');
        return undefined;
      }
      return controller.run(sqlRequest(document, [{ text: statement.text, start: statement.start }], label(document, statement.start)));
    },
    'crdbStudio.runSelection': async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return undefined;
      const document = editor.document;
      if (editor.selection.isEmpty) return vscode.commands.executeCommand('crdbStudio.runStatement');
      const from = document.offsetAt(editor.selection.start);
      const to = document.offsetAt(editor.selection.end);
      const statements = statementsIn(document.getText(), from, to).map((s) => ({ text: s.text, start: s.start }));
      return controller.run(sqlRequest(document, statements, `${label(document, from)} (selection)`));
    },
    'crdbStudio.runFile': async (uri?: unknown) => {
      const document = await documentFor(uri);
      if (!document) return undefined;
      if (document.languageId === 'markdown') return lessonRan(document, await controller.run(lessonRequest(document)));
      const statements = statementsIn(document.getText()).map((s) => ({ text: s.text, start: s.start }));
      return controller.run(sqlRequest(document, statements, path.basename(document.fileName)));
    },
    'crdbStudio.runBlock': async (uri?: unknown, index?: unknown) => {
      const document = await documentFor(uri);
      const block = document ? fencedBlocks(document.getText())[Number(index)] : undefined;
      if (!document || !block) return undefined;
      return controller.run(
        sqlRequest(document, blockStatements(document, block), `${path.basename(document.fileName)}:${block.fenceLine + 1} (block)`),
      );
    },
    'crdbStudio.runBlocksUpTo': async (uri?: unknown, index?: unknown) => {
      const document = await documentFor(uri);
      if (!document) return undefined;
      const blocks = fencedBlocks(document.getText())
        .slice(0, Number(index) + 1)
        .filter((b) => SQL_BLOCK_LANGUAGES.has(b.language));
      const last = blocks[blocks.length - 1];
      const summary = await controller.run(
        sqlRequest(
          document,
          blocks.flatMap((b) => blockStatements(document, b)),
          `${path.basename(document.fileName)}: blocks 1–${last ? last.fenceLine + 1 : ''}`,
        ),
      );
      return lessonRan(document, summary);
    },
    /** Resets the simulated cluster, then runs every SQL block of the lesson on it. */
    'crdbStudio.runLessonFromCleanCluster': async (uri?: unknown) => {
      const document = await documentFor(uri);
      if (!document) return undefined;
      if (document.languageId !== 'markdown') {
        void vscode.window.showInformationMessage('crdb-studio: open a Markdown lesson to run it from a clean cluster.');
        return undefined;
      }
      if (!trustedToRun()) return undefined;
      if (!targets.current().simulated) {
        const use = 'Use the Simulated Cluster';
        const choice = await vscode.window.showInformationMessage(
          `crdb-studio: a lesson runs from a clean cluster on the simulated cluster only; SQL runs on ${targets.current().label} now.`,
          use,
        );
        if (choice !== use) return undefined;
        await targets.setCurrent(SIMULATED_ID);
      }
      if (!(await resetCluster(cluster))) return undefined;
      return lessonRan(document, await controller.run(lessonRequest(document)));
    },
    'crdbStudio.resetSimulatedCluster': async () => {
      const reset = await resetCluster(cluster);
      if (reset) void vscode.window.showInformationMessage('crdb-studio: the simulated cluster was reset; it is empty, every node live.');
      return reset;
    },
    'crdbStudio.runShellBlock': async (uri?: unknown, index?: unknown) => {
      const document = await documentFor(uri);
      const blocks = document ? fencedBlocks(document.getText()) : [];
      const block = blocks[Number(index)];
      if (!document || !block) return undefined;
      const start = blockStart(document, block);
      // Files the lesson asks for since the previous shell block (a config block the prose names
      // as a file) are written first, as `crdb-studio lesson` writes them.
      const markdownLines = document.getText().split(/\r?\n/);
      const files: RunStatement[] = [];
      for (let i = Number(index) - 1; i >= 0; i--) {
        const earlier = blocks[i];
        if (!earlier || SHELL_BLOCK_LANGUAGES.has(earlier.language)) break;
        const file = configFileOf(markdownLines, earlier, blocks[i - 1]);
        if (file !== undefined) files.unshift({ text: writeFileCommand(file, earlier.content), start: blockStart(document, earlier) });
      }
      // Every command of the block runs in the cluster's lab, in order; SQL typed at a
      // `cockroach sql` prompt keeps its `>` so the lab types it into that prompt.
      const lines: RunStatement[] = [
        ...files,
        ...shellSteps(block.content).map((step) => ({
          text: step.kind === 'sql' ? `> ${step.text}` : step.text,
          start: start + step.offset,
        })),
      ];
      return controller.run({
        source: `${path.basename(document.fileName)}:${block.fenceLine + 1} (shell)`,
        document,
        statements: lines,
        kind: 'shell',
      });
    },
    'crdbStudio.explainStatement': () => explain(false),
    'crdbStudio.explainAnalyzeStatement': () => explain(true),
    'crdbStudio.cancelRun': () => controller.cancel(),
    'crdbStudio.selectTarget': () => targets.select(),
    'crdbStudio.showResults': () => {
      controller.panel.reveal();
    },
    'crdbStudio.forgetPassword': async () => {
      const target = targets.current();
      if (!target.profile) {
        void vscode.window.showInformationMessage('crdb-studio: the simulated cluster has no password.');
        return;
      }
      await targets.forgetPassword(target.profile);
      void vscode.window.showInformationMessage(
        `crdb-studio: the password for ${target.label} is forgotten; the next connection asks for it.`,
      );
    },
  };
}
