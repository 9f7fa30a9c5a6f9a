// Findings as LSP diagnostics: severity, rule code with its documentation link, source.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LintFinding } from '../lint/engine';
import type { FindingsChange } from '../lint/findingList';
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

/** A document that can say where it changed since an earlier edit of it (ChunkedDocument). */
interface EditJournal {
  readonly edits: number;
  changedSince(mark: number): { start: number; end: number } | null | undefined;
}

function hasJournal(document: TextDocument): document is TextDocument & EditJournal {
  return 'changedSince' in document && typeof document.changedSince === 'function';
}

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
  /** How many findings the last encode compared with their diagnostics (all of them, unless told how the list changed). */
  lastCompared = 0;
  /** How many diagnostics the last encode copied with another index or moved by whole lines (not encoded anew). */
  lastCopied = 0;
  /** What the diagnostics were encoded from: the findings, the document, its edit count and line count then. */
  private findings: readonly LintFinding[] | undefined;
  private document: TextDocument | undefined;
  private mark = 0;
  private lineCount = 0;

  /**
   * The diagnostics for `findings` on `document`: the previous list when nothing changed. Given
   * how the findings changed since the list last encoded (`change`), and where the document
   * changed since (its edit journal), only the findings that may say something new are compared:
   * those at the places the lint changed, and those that lie on the lines the text changed on.
   */
  encode(document: TextDocument, findings: readonly LintFinding[], change?: FindingsChange): Diagnostic[] {
    const diagnostics = this.encodeChanges(document, findings, change) ?? this.encodeAll(document, findings);
    this.findings = findings;
    this.document = document;
    this.mark = hasJournal(document) ? document.edits : 0;
    this.lineCount = document.lineCount;
    return diagnostics;
  }

  /**
   * Undefined when the change is not known. The positions of a finding that is the same object
   * are the same while the document has as many lines as before and the finding lies before the
   * changed span or from the line after it on: those are not compared.
   */
  private encodeChanges(document: TextDocument, findings: readonly LintFinding[], change?: FindingsChange): Diagnostic[] | undefined {
    const previous = this.diagnostics;
    if (
      !change ||
      change.to !== findings ||
      change.from !== this.findings ||
      document !== this.document ||
      !hasJournal(document) ||
      findings.length !== previous.length + (change.shift?.delta ?? 0)
    )
      return undefined;
    const span = document.changedSince(this.mark);
    const lines = document.lineCount - this.lineCount;
    if (span === undefined || (span === null && lines !== 0)) return undefined;
    let next: Diagnostic[] | undefined;
    let copied = 0;
    const shift = change.shift;
    const delta = shift?.delta ?? 0;
    if (delta !== 0 || lines !== 0) {
      // Findings added or removed, or lines: a diagnostic the comparisons below do not reach says
      // the same, under another index, or (past the change) as many lines further: a copy with
      // those, not a new encoding. (Such a finding lies wholly before the changed span or wholly
      // from the line after it: its start tells which.)
      const moved = (old: Diagnostic, finding: LintFinding, index: number): Diagnostic => {
        const past = lines !== 0 && span !== null && finding.start >= span.start;
        if (!past && index === (old.data as { index: number }).index) return old;
        copied++;
        const diagnostic = { ...old, data: { index } };
        if (past) {
          const { start, end } = old.range;
          diagnostic.range = {
            start: { line: start.line + lines, character: start.character },
            end: { line: end.line + lines, character: end.character },
          };
        }
        return diagnostic;
      };
      const spliceFrom = shift && delta !== 0 ? shift.from : findings.length;
      const spliceTo = shift && delta !== 0 ? shift.to : findings.length;
      next = new Array<Diagnostic>(findings.length);
      for (let i = 0; i < spliceFrom; i++) next[i] = moved(previous[i] as Diagnostic, findings[i] as LintFinding, i);
      for (let i = spliceTo; i < findings.length; i++) next[i] = moved(previous[i - delta] as Diagnostic, findings[i] as LintFinding, i);
    }
    const base = next ?? previous;
    let built = 0;
    let compared = 0;
    const compare = (i: number): void => {
      compared++;
      const finding = findings[i] as LintFinding;
      const old = base[i];
      if (old && says(document, old, finding, i)) return;
      next ??= previous.slice();
      next[i] = toDiagnostic(document, finding, i);
      built++;
    };
    const places = (pairs: readonly number[]): void => {
      for (let p = 0; p + 1 < pairs.length; p += 2) for (let i = pairs[p] as number; i < (pairs[p + 1] as number); i++) compare(i);
    };
    places(change.changed);
    for (const i of change.outliers) compare(i);
    // From the changed span's start to the start of the line after its end.
    if (span) places(change.around(span.start, document.offsetAt({ line: document.positionAt(span.end).line + 1, character: 0 })));
    this.lastBuilt = built;
    this.lastCompared = compared;
    this.lastCopied = copied;
    if (next === undefined || (built === 0 && copied === 0 && delta === 0)) return previous;
    this.diagnostics = next;
    this.resultId = ++lastResultId;
    return next;
  }

  private encodeAll(document: TextDocument, findings: readonly LintFinding[]): Diagnostic[] {
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
    this.lastCompared = findings.length;
    this.lastCopied = 0;
    if (next === undefined) return previous;
    this.diagnostics = next;
    this.resultId = ++lastResultId;
    return next;
  }
}
