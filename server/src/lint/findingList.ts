// A lint session's findings as one list in file order (each statement's findings, its shape
// findings merged in by rule order: what findingsOf gives), kept from one lint to the next. After
// a sparse lint, only the places of the statements it visited are written, in a block copy of the
// last list, or spliced in where their number of findings (or of statements) changed: an edit
// does not walk every statement's findings. The list says which places may differ from the last one, and where the findings of
// the statements that reach into a span of the text are, so that the diagnostics encoder compares
// only those (see FindingsChange).
import type { ParsedStatement } from '../../../sql/src/ast';
import type { DocumentStatement } from '../analysis/statements';
import type { LintFinding } from './engine';

/**
 * A statement's own findings with the shape findings placed on it, in rule order; a stable sort,
 * so a rule's findings keep the order it reported them in.
 */
export function withShapeFindings(
  own: readonly LintFinding[],
  shapes: readonly LintFinding[] | undefined,
  rank: (finding: LintFinding) => number,
): readonly LintFinding[] {
  return shapes ? [...own, ...shapes].sort((a, b) => rank(a) - rank(b)) : own;
}

/**
 * How a findings list differs from the one before it (`from`): at most at the places `changed`
 * names; every other place holds the same finding object as the corresponding place of `from`
 * (the same place, unless `shift` says otherwise), of the same statement (whose offset may have moved).
 */
export interface FindingsChange {
  from: readonly LintFinding[];
  to: readonly LintFinding[];
  /** Places [start, end) as pairs of numbers. */
  changed: readonly number[];
  /**
   * When findings were added or removed: places [from, to) are new (and in `changed`), those from
   * `to` on were places `p - delta` of `from`, those before `from` the same places.
   */
  shift?: { from: number; to: number; delta: number };
  /** Places of findings whose span leaves their statement's text: `around` does not find them. */
  outliers: readonly number[];
  /** The places (pairs) of the findings of the statements that reach into [start, end] of the text. */
  around(start: number, end: number): number[];
}

/** Statements apart that an edit may change the number of findings of and the list still be spliced (else it is made again). */
const SPLICED_STATEMENTS = 256;

/** Statements [first, oldEnd) of the last list replaced by [first, newEnd) (the sparse lint's edited region). */
export interface StatementSplice {
  first: number;
  oldEnd: number;
  newEnd: number;
}

/** A shape finding, as far as the list needs it: the statement it is placed on. */
interface Shape {
  readonly parsed: ParsedStatement;
}

/** What a statement of the session holds: its own findings (anchored to it). */
interface Listed {
  findings: readonly LintFinding[];
}

/** The index of the first statement whose text ends at or after `offset` (ends ascend). */
function firstEndingAtOrAfter(statements: readonly DocumentStatement[], offset: number): number {
  let low = 0;
  let high = statements.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const statement = statements[middle] as DocumentStatement;
    if (statement.offset + statement.text.length < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Whether two lists hold the same items in the same order (a shape pass makes a new list of the same findings). */
function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether the finding's span lies inside its statement's text (then `around` finds it). */
function inside(finding: LintFinding, statement: DocumentStatement | undefined): boolean {
  if (!statement) return false;
  const start = finding.start;
  const end = Math.max(finding.end, start);
  return start >= statement.offset && end <= statement.offset + statement.text.length;
}

export class FindingList {
  private findings: LintFinding[] = [];
  /** Where each statement's findings start in `findings`, and the list's length last. */
  private starts: number[] = [0];
  private statements: readonly DocumentStatement[] = [];
  /** The shape findings the list was made with, and the statements they were placed on. */
  private shapes: readonly Shape[] = [];
  private placed: ReadonlyMap<number, readonly LintFinding[]> | undefined;
  private outliers: number[] = [];
  /** How the list last returned differs from the one before, when it was patched (not rebuilt). */
  change: FindingsChange | undefined;
  /** Statements whose findings the last update listed (all of them when it rebuilt the list). */
  lastListed = 0;

  /**
   * The findings of `applied` (parallel to `statements`) with `shapes` placed on theirs by `place`
   * (anchored, per statement index, with `rank` ordering a statement's findings by rule). With
   * `visited` (the statements a sparse lint may have changed, `spliced` those it replaced), the
   * last list with those statements' places written again or spliced in; else a new list.
   */
  update(
    statements: readonly DocumentStatement[],
    applied: readonly Listed[],
    shapes: readonly Shape[],
    visited: readonly number[] | undefined,
    place: () => ReadonlyMap<number, readonly LintFinding[]> | undefined,
    rank: (finding: LintFinding) => number,
    indexOf: (parsed: ParsedStatement) => number | undefined,
    spliced?: StatementSplice,
  ): LintFinding[] {
    let placed = this.placed;
    const moved = spliced ? spliced.newEnd - spliced.oldEnd : 0;
    if (visited && applied.length + 1 === this.starts.length + moved) {
      // The statements to list again: those the lint visited, and those a shape finding came to or left.
      let dirty = visited;
      if (!sameItems(shapes, this.shapes)) {
        placed = place();
        const marked = new Set(visited);
        const before = new Set(this.shapes);
        const now = new Set(shapes);
        const mark = (shape: Shape): void => {
          const at = indexOf(shape.parsed);
          if (at !== undefined && at < applied.length) marked.add(at);
        };
        for (const shape of this.shapes) if (!now.has(shape)) mark(shape);
        for (const shape of shapes) if (!before.has(shape)) mark(shape);
        dirty = [...marked];
      }
      // Shape findings are anchored to their statement object (a statement split again is a new
      // one), and placed by statement index (which moves when statements come or go).
      if (placed === this.placed && (moved !== 0 || dirty.some((at) => placed?.has(at)))) placed = place();
      const listOf = (at: number): readonly LintFinding[] => withShapeFindings((applied[at] as Listed).findings, placed?.get(at), rank);
      const patched = this.patch(statements, dirty, listOf, spliced);
      if (patched) {
        this.shapes = shapes;
        this.placed = placed;
        return patched;
      }
    }
    this.rebuild(statements, applied, shapes, placed === this.placed ? place() : placed, rank);
    return this.findings;
  }

  /**
   * The last list with the findings of the `dirty` statements (listOf, in the new numbering)
   * written again, or undefined when it must be made anew. `spliced`: the statements [first,
   * oldEnd) were replaced by [first, newEnd) (all dirty); those after moved by the difference.
   */
  private patch(
    statements: readonly DocumentStatement[],
    dirty: readonly number[],
    listOf: (at: number) => readonly LintFinding[],
    spliced: StatementSplice | undefined,
  ): LintFinding[] | undefined {
    const starts = this.starts;
    const moved = spliced ? spliced.newEnd - spliced.oldEnd : 0;
    /** A statement's index in the last list (one the splice replaced has none). */
    const oldIndex = (at: number): number => (!spliced || at < spliced.first ? at : at - moved);
    const lists = new Map<number, readonly LintFinding[]>();
    for (const at of dirty) lists.set(at, listOf(at));
    // Statements [low, high) of the new numbering are spliced in for [low, high - moved) of the
    // last: those the edit replaced, and those whose number of findings changed (a syntax error
    // typed, a finding gone), if they are near one another.
    let low = -1;
    let high = -1;
    if (spliced && (spliced.oldEnd > spliced.first || spliced.newEnd > spliced.first)) {
      low = spliced.first;
      high = spliced.newEnd;
    }
    for (const [at, list] of lists) {
      if (spliced && at >= spliced.first && at < spliced.newEnd) continue;
      const old = oldIndex(at);
      if (list.length === (starts[old + 1] as number) - (starts[old] as number)) continue;
      if (low === -1 || at < low) low = at;
      if (at + 1 > high) high = at + 1;
    }
    if (low !== -1 && high - low > SPLICED_STATEMENTS) return undefined;
    const from = this.findings;
    const changed: number[] = [];
    let outliers = this.outliers;
    let findings: LintFinding[];
    let shift: FindingsChange['shift'];
    let inPlace = dirty;
    if (low === -1) findings = dirty.length === 0 ? from : from.slice();
    else {
      const spliceStart = starts[low] as number;
      const spliceEnd = starts[high - moved] as number;
      const added: LintFinding[] = [];
      const newStarts: number[] = [];
      for (let at = low; at < high; at++) {
        newStarts.push(spliceStart + added.length);
        // A statement the lint did not visit keeps its findings (shape findings included).
        const list = lists.get(at);
        if (list) for (const finding of list) added.push(finding);
        else {
          const old = oldIndex(at);
          for (let place = starts[old] as number; place < (starts[old + 1] as number); place++) added.push(from[place] as LintFinding);
        }
      }
      const delta = added.length - (spliceEnd - spliceStart);
      if (moved === 0) for (let at = low; at < high; at++) starts[at] = newStarts[at - low] as number;
      else starts.splice(low, high - moved - low, ...newStarts);
      // The statements after move by the difference: a pass over numbers, not over findings.
      if (delta !== 0) for (let at = high; at < starts.length; at++) starts[at] = (starts[at] as number) + delta;
      findings = from.slice(0, spliceStart).concat(added, from.slice(spliceEnd));
      const spliceTo = spliceStart + added.length;
      shift = { from: spliceStart, to: spliceTo, delta };
      if (added.length > 0) changed.push(spliceStart, spliceTo);
      outliers = outliers
        .filter((place) => place < spliceStart || place >= spliceEnd)
        .map((place) => (place >= spliceEnd ? place + delta : place));
      for (let at = low; at < high; at++) {
        const statement = statements[at];
        for (let place = starts[at] as number; place < (starts[at + 1] as number); place++)
          if (!inside(findings[place] as LintFinding, statement)) outliers.push(place);
      }
      inPlace = dirty.filter((at) => at < low || at >= high);
    }
    for (const at of inPlace) {
      const start = starts[at] as number;
      const own = lists.get(at) ?? [];
      if (own.length === 0) continue;
      for (let k = 0; k < own.length; k++) findings[start + k] = own[k] as LintFinding;
      changed.push(start, start + own.length);
      // This statement's outliers found again (its places are its own: the count is the same).
      outliers = outliers.filter((place) => place < start || place >= start + own.length);
      const statement = statements[at];
      for (let k = 0; k < own.length; k++) if (!inside(own[k] as LintFinding, statement)) outliers.push(start + k);
    }
    this.findings = findings;
    this.statements = statements;
    this.outliers = outliers;
    this.lastListed = dirty.length;
    this.change = { from, to: findings, changed, outliers, shift, around: (start, end) => this.around(start, end, findings) };
    return findings;
  }

  private rebuild(
    statements: readonly DocumentStatement[],
    applied: readonly Listed[],
    shapes: readonly Shape[],
    placed: ReadonlyMap<number, readonly LintFinding[]> | undefined,
    rank: (finding: LintFinding) => number,
  ): void {
    const findings: LintFinding[] = [];
    const starts = new Array<number>(applied.length + 1);
    const outliers: number[] = [];
    for (let index = 0; index < applied.length; index++) {
      starts[index] = findings.length;
      const all = withShapeFindings((applied[index] as Listed).findings, placed?.get(index), rank);
      const statement = statements[index];
      for (let k = 0; k < all.length; k++) {
        const finding = all[k] as LintFinding;
        if (!inside(finding, statement)) outliers.push(findings.length);
        findings.push(finding);
      }
    }
    starts[applied.length] = findings.length;
    this.findings = findings;
    this.starts = starts;
    this.statements = statements;
    this.shapes = shapes;
    this.placed = placed;
    this.outliers = outliers;
    this.lastListed = applied.length;
    this.change = undefined;
  }

  /** See FindingsChange.around: a binary search, then the statements that reach into the span. */
  private around(start: number, end: number, list: readonly LintFinding[]): number[] {
    // Asked of a list since replaced: every place.
    if (list !== this.findings) return [0, list.length];
    const statements = this.statements;
    const first = firstEndingAtOrAfter(statements, start);
    let last = first;
    while (last < statements.length && (statements[last] as DocumentStatement).offset <= end) last++;
    return last > first ? [this.starts[first] as number, this.starts[last] as number] : [];
  }
}
