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
