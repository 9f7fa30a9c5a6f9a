// Quick fixes for the findings under the cursor: the rules' own fixes first, then
// "Ignore <rule> for this statement".
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fixesFor, type LintFinding } from '../lint/engine';

function overlaps(document: TextDocument, finding: LintFinding, range: Range): boolean {
  const start = document.offsetAt(range.start);
  const end = document.offsetAt(range.end);
  return finding.start <= end && finding.end >= start;
}

export function codeActions(
  document: TextDocument,
  findings: readonly LintFinding[],
  diagnostics: readonly Diagnostic[],
  range: Range,
): CodeAction[] {
  const actions: CodeAction[] = [];
  findings.forEach((finding, index) => {
    if (!overlaps(document, finding, range)) return;
    const diagnostic = diagnostics[index];
    for (const fix of fixesFor(finding, document.getText())) {
      const action: CodeAction = {
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        edit: {
          changes: {
            [document.uri]: fix.edits.map((edit) => ({
              range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) },
              newText: edit.newText,
            })),
          },
        },
      };
      if (diagnostic) action.diagnostics = [diagnostic];
      if (fix.preferred) action.isPreferred = true;
      actions.push(action);
    }
  });
  return actions;
}
