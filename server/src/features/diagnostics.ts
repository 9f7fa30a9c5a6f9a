// Findings as LSP diagnostics: severity, rule code with its documentation link, source.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LintFinding } from '../lint/engine';
import type { Severity } from '../lint/rule';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(document: TextDocument, finding: LintFinding, index: number): Diagnostic {
  const diagnostic: Diagnostic = {
    range: { start: document.positionAt(finding.start), end: document.positionAt(Math.max(finding.end, finding.start)) },
    severity: SEVERITY[finding.severity],
    source: 'crdb-studio',
    code: finding.rule,
    message: finding.message,
    // Links the diagnostic back to its finding (and fixes) for code actions.
    data: { index },
  };
  if (finding.docs) diagnostic.codeDescription = { href: finding.docs };
  return diagnostic;
}

/** Whether `diagnostic` already says what `finding` (the index-th) would, at the same place. */
function says(document: TextDocument, diagnostic: Diagnostic, finding: LintFinding, index: number): boolean {
  if (
    diagnostic.message !== finding.message ||
    diagnostic.code !== finding.rule ||
    diagnostic.severity !== SEVERITY[finding.severity] ||
    diagnostic.codeDescription?.href !== finding.docs ||
    (diagnostic.data as { index: number }).index !== index
  )
    return false;
  const { start, end } = diagnostic.range;
  return isPositionOf(document, start, finding.start) && isPositionOf(document, end, Math.max(finding.end, finding.start));
}

/**
 * Whether `document.positionAt(offset)` is `position`, found from the line's start instead of a
 * search through every line's (constant time: an edit shifts the offsets of every finding after
 * it, and this runs for each of them).
 */
function isPositionOf(document: TextDocument, position: { line: number; character: number }, offset: number): boolean {
  const { line, character } = position;
  if (line >= document.lineCount) return false;
  const lineStart = document.offsetAt({ line, character: 0 });
  if (lineStart + character !== offset) return false;
  const nextLine = line + 1 < document.lineCount ? document.offsetAt({ line: line + 1, character: 0 }) : Number.POSITIVE_INFINITY;
  if (offset >= nextLine) return false;
  // positionAt puts an offset inside a line break (between CR and LF) before it: compare those the
  // slow way. Only the line's last character can be the LF of a CR LF (an offset just after any
  // other break starts the next line), so only there, without reading the text.
  if (character > 0 && offset === nextLine - 1) {
    const at = document.positionAt(offset);
    return at.line === line && at.character === character;
  }
  // The text's length, without reading the text: offsetAt past the last line answers it.
  return nextLine !== Number.POSITIVE_INFINITY || offset <= document.offsetAt({ line: document.lineCount, character: 0 });
}

let lastResultId = 0;

/**
 * A document's diagnostics from one lint to the next. A keystroke moves the findings after it by
 * an offset but rarely by a line or a column: the diagnostics that still say the same thing at
 * the same place are the previous objects, and when all of them are, the previous list itself,
 * which the server then need not send again (an `unchanged` pull report).
 */
export class DiagnosticsEncoder {
  private diagnostics: Diagnostic[] = [];
  /**
   * Identifies `diagnostics`: it changes whenever the list says something new, and is never one
   * another encoder gave (a document closed and opened again must not match what a client kept).
   */
  resultId = ++lastResultId;
  /** How many diagnostics the last encode had to build anew (what an edit cost in encoding). */
  lastBuilt = 0;

  /** The diagnostics for `findings` on `document`: the previous list when nothing changed. */
  encode(document: TextDocument, findings: readonly LintFinding[]): Diagnostic[] {
    const previous = this.diagnostics;
    let next: Diagnostic[] | undefined = findings.length === previous.length ? undefined : [];
    let built = 0;
    for (let i = 0; i < findings.length; i++) {
      const finding = findings[i] as LintFinding;
      const old = previous[i];
      const same = old !== undefined && says(document, old, finding, i);
      if (!same && next === undefined) next = previous.slice(0, i);
      if (next === undefined) continue;
      if (same) next.push(old);
      else {
        next.push(toDiagnostic(document, finding, i));
        built++;
      }
    }
    this.lastBuilt = built;
    if (next === undefined) return previous;
    this.diagnostics = next;
    this.resultId = ++lastResultId;
    return next;
  }
}
