// Quick fixes for the findings under the cursor: the rules' own fixes first, then
// "Ignore <rule> for this statement". A fix that changes the type of a column that foreign keys
// reference also changes the referencing columns, in whichever workspace files define them.
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fixesFor, type LintFinding } from '../lint/engine';
import type { Edit } from '../lint/rule';
import type { EditsByUri } from './referencingColumns';

/** What code actions need of the workspace to carry a fix into other files. */
export interface FixScope {
  /** The edits a fix's edits (in the document's offsets) bring with them, per URI. */
  carry(edits: readonly Edit[]): EditsByUri;
  /** The text of another document of the workspace, to turn offsets into positions. */
  document(uri: string): TextDocument | undefined;
}

function overlaps(document: TextDocument, finding: LintFinding, range: Range): boolean {
  const start = document.offsetAt(range.start);
  const end = document.offsetAt(range.end);
  return finding.start <= end && finding.end >= start;
}

function textEdits(document: TextDocument, edits: readonly Edit[]): TextEdit[] {
  return edits.map((edit) => ({
    range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) },
    newText: edit.newText,
  }));
}

export function codeActions(
  document: TextDocument,
  findings: readonly LintFinding[],
  diagnostics: readonly Diagnostic[],
  range: Range,
  scope?: FixScope,
): CodeAction[] {
  const actions: CodeAction[] = [];
  findings.forEach((finding, index) => {
    if (!overlaps(document, finding, range)) return;
    const diagnostic = diagnostics[index];
    for (const fix of fixesFor(finding, document.getText())) {
      const changes: Record<string, TextEdit[]> = { [document.uri]: textEdits(document, fix.edits) };
      let title = fix.title;
      const carried = scope?.carry(fix.edits);
      let columns = 0;
      for (const [uri, edits] of carried ?? []) {
        const target = uri === document.uri ? document : scope?.document(uri);
        if (!target) continue;
        changes[uri] = [...(changes[uri] ?? []), ...textEdits(target, edits)];
        columns += edits.length;
      }
      if (columns > 0) title += `, and the ${columns === 1 ? 'column' : `${columns} columns`} referencing it`;
      const action: CodeAction = { title, kind: CodeActionKind.QuickFix, edit: { changes } };
      if (diagnostic) action.diagnostics = [diagnostic];
      if (fix.preferred) action.isPreferred = true;
      actions.push(action);
    }
  });
  return actions;
}
