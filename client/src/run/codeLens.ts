// "Run" above each statement of a .sql file, and above each ```sql block of a Markdown lesson
// ("Run", "Run blocks above and this"); ```sh blocks with cockroach lines the simulated cluster
// can run get "Run on the simulated cluster"; a lesson's first line gets "Run Lesson from a
// Clean Cluster". In Restricted Mode nothing runs: each of those lenses offers to trust the folder.
import * as vscode from 'vscode';
import { TRUST_COMMAND, TRUST_TO_RUN } from './trust';
import { fencedBlocks, SHELL_BLOCK_LANGUAGES, SQL_BLOCK_LANGUAGES, type FencedBlock } from '../../../sql/src/fencedBlocks';
import { statementsIn } from '../../../runner/src/statements';

/** A shell block the simulated cluster can run: it has cockroach sql -e / node / workload lines. */
export function isRunnableShellBlock(block: FencedBlock): boolean {
  return (
    SHELL_BLOCK_LANGUAGES.has(block.language) &&
    /(^|\n)\s*\$?\s*(\.\/)?cockroach\s+(sql\s.*(-e|--execute)|node\s|workload\s)/.test(block.content)
  );
}

export class RunCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  private readonly trustGranted = vscode.workspace.onDidGrantWorkspaceTrust(() => {
    this.refresh();
  });

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    // A lesson notebook's cells run from the notebook's own ▷ buttons.
    if (document.uri.scheme === 'vscode-notebook-cell') return [];
    const lenses = this.runLenses(document);
    if (vscode.workspace.isTrusted) return lenses;
    // One lens per place a run lens would be, so the user sees why nothing is offered to run.
    const lines = [...new Set(lenses.map((lens) => lens.range.start.line))];
    return lines.map(
      (line) =>
        new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
          title: `$(shield) ${TRUST_TO_RUN}`,
          command: TRUST_COMMAND,
          tooltip: 'Restricted Mode: crdb-studio runs no SQL and no lesson step from a folder you have not trusted',
        }),
    );
  }

  private runLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const text = document.getText();
    if (document.languageId === 'markdown') {
      const lenses: vscode.CodeLens[] = [];
      const blocks = fencedBlocks(text);
      if (blocks.some((block) => SQL_BLOCK_LANGUAGES.has(block.language))) {
        lenses.push(
          new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
            title: '▷ Run Lesson from a Clean Cluster',
            command: 'crdbStudio.runLessonFromCleanCluster',
            arguments: [document.uri],
            tooltip: 'Reset the simulated cluster, then run every SQL block of the lesson in order',
          }),
        );
      }
      blocks.forEach((block, index) => {
        const range = new vscode.Range(block.fenceLine, 0, block.fenceLine, 0);
        if (SQL_BLOCK_LANGUAGES.has(block.language)) {
          lenses.push(
            new vscode.CodeLens(range, {
              title: '▷ Run',
              command: 'crdbStudio.runBlock',
              arguments: [document.uri, index],
              tooltip: 'Run this block',
            }),
          );
          lenses.push(
            new vscode.CodeLens(range, {
              title: 'Run blocks above and this',
              command: 'crdbStudio.runBlocksUpTo',
              arguments: [document.uri, index],
              tooltip: 'Run every SQL block from the top of the lesson down to this one, in order',
            }),
          );
        } else if (isRunnableShellBlock(block)) {
          lenses.push(
            new vscode.CodeLens(range, {
              title: '▷ Run on the simulated cluster',
              command: 'crdbStudio.runShellBlock',
              arguments: [document.uri, index],
              tooltip: 'Run the cockroach commands of this block on the simulated cluster',
            }),
          );
        }
      });
      return lenses;
    }
    return statementsIn(text).map((statement) => {
      const line = document.positionAt(statement.start).line;
      return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
        title: '▷ Run',
        command: 'crdbStudio.runStatement',
        arguments: [document.uri, statement.start],
        tooltip: 'Run this statement',
      });
    });
  }

  dispose(): void {
    this.trustGranted.dispose();
    this.changed.dispose();
  }
}
