// A document as a list of parsed statements. Between two versions of a document only the
// changed region is split again, and only statements whose text changed are parsed again:
// an edit costs about one statement, not the file.
import type { ParsedStatement } from '../../../sql/src/ast';
import type { Token } from '../../../sql/src/lexer';
import { parseDocument } from '../../../sql/src/parser';
import { scanStatementRanges, type TextRange } from '../../../sql/src/statementRanges';
import type { TextSource } from './chunkedDocument';
import type { ChangedSpan } from './editRegion';

/**
 * One statement of a document. Spans inside `parsed` and `comments` are relative to `offset`,
 * and index into `text`: either the statement's own source (from just after the previous
 * statement to its `;`, offset = where that starts), or the whole document (offset 0).
 */
export interface DocumentStatement {
  offset: number;
  text: string;
  parsed: ParsedStatement;
  /** Comments inside `text`, including those just before the statement. */
  comments: Token[];
}

interface CachedParse {
  statements: ParsedStatement[];
  comments: Token[];
}

interface Previous {
  /** The text, when it was given as a string (a TextSource changes in place: only its length is kept). */
  text: string | undefined;
  length: number;
  ranges: TextRange[];
  /** The statements of each range (a range holds one statement, rarely more or none). */
  statements: DocumentStatement[][];
}

/**
 * How the flat statement list changed from one call of documentStatements to the next: statements
 * [first, oldEnd) of the list of generation `from` became [first, newEnd) of generation `to`;
 * the others are the same objects (those after moved by newEnd - oldEnd places).
 */
export interface StatementChange {
  from: number;
  to: number;
  first: number;
  oldEnd: number;
  newEnd: number;
}

/** Stale parses the statement cache keeps before it sweeps them (see StatementCache.sweep). */
const STALE_PARSES = 256;

export class StatementCache {
  private entries = new Map<string, CachedParse>();
  previous: Previous | undefined;
  /** The flat statement list, kept up to date in place while every range holds one statement. */
  flat: DocumentStatement[] | undefined;
  /** Counts the lists documentStatements returned. */
  generation = 0;
  /** The last change of the flat list, when it is known without comparing the lists. */
  change: StatementChange | undefined;

  get(text: string): CachedParse {
    let entry = this.entries.get(text);
    if (!entry) {
      const document = parseDocument(text);
      entry = { statements: document.statements, comments: document.comments };
      this.entries.set(text, entry);
    }
    return entry;
  }

  /** How many parses are kept (those the document's statements use, and stale ones). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Drops parses no statement of the document uses any more, once STALE_PARSES of them pile up.
   * Each keystroke in a statement leaves the parse of its last text here (its tree and comments,
   * some KB): an allowance in proportion to the file (it was the file's statement count again)
   * let a 100,000-line file keep tens of thousands of them, while a fixed one still keeps the
   * parses an undo comes back to.
   */
  sweep(live: readonly DocumentStatement[][]): void {
    if (this.entries.size <= live.length + STALE_PARSES) return;
    const kept = new Map<string, CachedParse>();
    for (const group of live) {
      const text = group[0]?.text;
      const entry = text === undefined ? undefined : this.entries.get(text);
      if (text !== undefined && entry) kept.set(text, entry);
    }
    this.entries = kept;
  }
}

function statementsOf(text: string, range: TextRange, cache: StatementCache): DocumentStatement[] {
  return statementsFrom(text.slice(range.start, range.end), range.start, cache);
}

function statementsFrom(source: string, offset: number, cache: StatementCache): DocumentStatement[] {
  const { statements, comments } = cache.get(source);
  // Comments go with the first statement of the range (there is almost always one).
  return statements.map((parsed, index) => ({ offset, text: source, parsed, comments: index === 0 ? comments : [] }));
}

/**
 * A copy of `text` that holds on to nothing else: a slice of a longer string keeps all of it
 * alive, and a re-parsed statement's text lives in the parse cache long after its version.
 */
function ownCopy(text: string): string {
  return (' ' + text).slice(1);
}

/**
 * scanStatementRanges over a TextSource from `scanFrom`, reading a window past the change that
 * doubles until the scan stops on an old boundary (or reaches the end): the text before and
 * after is not read. Ranges are in the source's offsets.
 */
function scanSource(
  source: TextSource,
  scanFrom: number,
  changedEnd: number,
  stop: (end: number) => boolean,
): { ranges: TextRange[]; stoppedAt?: number; window: string; windowStart: number } {
  // Two characters before: the scanner looks back at them (a line start, an E'' prefix).
  const windowStart = Math.max(0, scanFrom - 2);
  let size = Math.max(8192, 2 * (changedEnd - windowStart));
  for (;;) {
    const windowEnd = Math.min(source.length, windowStart + size);
    const window = source.slice(windowStart, windowEnd);
    const scan = scanStatementRanges(window, scanFrom - windowStart, (end) => stop(end + windowStart));
    if (scan.stoppedAt !== undefined || windowEnd === source.length) {
      const ranges = scan.ranges.map((range) => ({ start: range.start + windowStart, end: range.end + windowStart }));
      return { ranges, stoppedAt: scan.stoppedAt === undefined ? undefined : scan.stoppedAt + windowStart, window, windowStart };
    }
    size *= 2;
  }
}

const CHUNK = 2048;

/** Length of the common start: whole chunks compared natively, then characters. */
function commonPrefix(a: string, b: string, limit: number): number {
  let n = 0;
  while (n + CHUNK <= limit && a.slice(n, n + CHUNK) === b.slice(n, n + CHUNK)) n += CHUNK;
  while (n < limit && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

/** Length of the common end, at most `limit`. */
function commonSuffix(a: string, b: string, limit: number): number {
  let n = 0;
  while (n + CHUNK <= limit && a.slice(a.length - n - CHUNK, a.length - n) === b.slice(b.length - n - CHUNK, b.length - n)) n += CHUNK;
  while (n < limit && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

function firstIndexEndingAtOrAfter(ranges: readonly TextRange[], position: number): number {
  let low = 0;
  let high = ranges.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((ranges[middle]?.end ?? 0) < position) low = middle + 1;
    else high = middle;
  }
  return low;
}

function indexStartingAt(ranges: readonly TextRange[], position: number): number {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const start = ranges[middle]?.start ?? 0;
    if (start === position) return middle;
    if (start < position) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** `list` with `count` items from `start` replaced by `items`: in place, unless that is many arguments. */
function replaced<T>(list: T[], start: number, count: number, items: T[]): T[] {
  if (items.length < 10_000) {
    list.splice(start, count, ...items);
    return list;
  }
  return list.slice(0, start).concat(items, list.slice(start + count));
}

/**
 * The document's statements, reusing those of the text the cache last saw. `edits`, when given,
 * says where the text changed since that text (from the editor's edits): then the texts are not
 * compared to find it, which would cost time in proportion to the whole text.
 */
export function documentStatements(
  given: string | TextSource,
  cache = new StatementCache(),
  edits?: { changed: ChangedSpan | undefined },
): DocumentStatement[] {
  // A TextSource is read in pieces only where the edits say it changed; else it is read whole
  // (without the edits, a text kept only as its length cannot be compared with).
  const cached = cache.previous;
  const previous = cached && (cached.text !== undefined || edits) ? cached : undefined;
  const text = typeof given === 'string' || !previous ? (typeof given === 'string' ? given : given.getText()) : given;
  let ranges: TextRange[];
  let groups: DocumentStatement[][];
  const unchanged =
    previous !== undefined &&
    (edits
      ? (edits.changed === undefined || edits.changed.start === edits.changed.end) && previous.length === text.length
      : previous.text === text);
  if (previous && unchanged) {
    ranges = previous.ranges;
    groups = previous.statements;
  } else if (previous) {
    // The changed region: what lies between the common prefix and the common suffix.
    const old = previous.text;
    const shortest = Math.min(previous.length, text.length);
    const prefix =
      edits?.changed || old === undefined || typeof text !== 'string'
        ? Math.min(edits?.changed?.start ?? 0, shortest)
        : commonPrefix(old, text, shortest);
    const suffix =
      edits?.changed || old === undefined || typeof text !== 'string'
        ? Math.min(text.length - (edits?.changed?.end ?? text.length), shortest - prefix)
        : commonSuffix(old, text, shortest - prefix);
    const delta = text.length - previous.length;
    const first = firstIndexEndingAtOrAfter(previous.ranges, prefix);
    // Where the statement before ends: a clean state even when the change falls in a gap of
    // comments or lone semicolons before the next statement.
    const scanFrom = first > 0 ? (previous.ranges[first - 1]?.end ?? 0) : 0;
    const changedEnd = text.length - suffix;
    let resume = -1;
    // Split again from the first touched statement until a new boundary, past the change,
    // falls where an old boundary was: from there on the old statements still hold.
    const stop = (end: number): boolean => {
      if (end <= changedEnd) return false;
      resume = indexStartingAt(previous.ranges, end - delta);
      return resume !== -1;
    };
    let added: DocumentStatement[][];
    let scan: { ranges: TextRange[]; stoppedAt?: number };
    if (typeof text === 'string') {
      scan = scanStatementRanges(text, scanFrom, stop);
      added = scan.ranges.map((range) => statementsOf(text, range, cache));
    } else {
      const scanned = scanSource(text, scanFrom, changedEnd, stop);
      scan = scanned;
      const { window, windowStart } = scanned;
      added = scan.ranges.map((range) =>
        statementsFrom(ownCopy(window.slice(range.start - windowStart, range.end - windowStart)), range.start, cache),
      );
    }
    // The statements after the change keep their parse and move by `delta`: moved in place,
    // not copied, so an edit makes no garbage in proportion to the statements after it (the
    // previous version's lists are this cache's own, and the lists returned are new arrays).
    const removed = (scan.stoppedAt === undefined ? previous.ranges.length : resume) - first;
    const oldGroups = previous.statements;
    let singles = cache.flat !== undefined && cache.flat.length === oldGroups.length;
    for (let g = first; singles && g < first + removed; g++) singles = oldGroups[g]?.length === 1;
    ranges = replaced(previous.ranges, first, removed, scan.ranges);
    groups = replaced(oldGroups, first, removed, added);
    // While every range holds one statement, the flat list is the ranges' list: changed in place.
    if (singles && cache.flat && added.every((group) => group.length === 1)) {
      cache.flat = replaced(
        cache.flat,
        first,
        removed,
        added.map((group) => group[0] as DocumentStatement),
      );
      const from = cache.generation;
      cache.change = { from, to: from + 1, first, oldEnd: first + removed, newEnd: first + added.length };
    } else cache.flat = undefined;
    if (delta !== 0) {
      for (let r = first + scan.ranges.length; r < ranges.length; r++) {
        const range = ranges[r] as TextRange;
        range.start += delta;
        range.end += delta;
        // An index loop: this runs for every statement after the edit, and an iterator here was
        // not always optimised away (on Node 24 it allocated ~100 bytes a statement).
        const group = groups[r] as DocumentStatement[];
        for (let k = 0; k < group.length; k++) (group[k] as DocumentStatement).offset += delta;
      }
    }
  } else {
    const whole = typeof text === 'string' ? text : text.getText();
    ranges = scanStatementRanges(whole, 0).ranges;
    groups = ranges.map((range) => statementsOf(whole, range, cache));
  }
  cache.previous = { text: typeof given === 'string' ? given : undefined, length: text.length, ranges, statements: groups };
  cache.sweep(groups);
  if (unchanged && cache.flat) {
    const from = cache.generation;
    cache.change = { from, to: from + 1, first: 0, oldEnd: 0, newEnd: 0 };
  } else if (!cache.flat || !cache.change || cache.change.from !== cache.generation) {
    // Nearly every group is one statement: a plain loop, faster than flat() here.
    const statements: DocumentStatement[] = [];
    let singles = true;
    for (const group of groups) {
      if (group.length === 1) statements.push(group[0] as DocumentStatement);
      else {
        singles = false;
        for (const statement of group) statements.push(statement);
      }
    }
    cache.flat = singles ? statements : undefined;
    cache.change = undefined;
    cache.generation++;
    return singles ? statements.slice() : statements;
  }
  cache.generation++;
  // A copy (a block copy, not a walk): a list handed out stays as it was.
  return cache.flat.slice();
}

/**
 * A one-off parse of a whole document (the CLI): nothing to reuse later, so no cache. Each
 * statement is lexed on its own, as in the editor, so its tokens die young instead of a whole
 * file's tokens living through the parse.
 */
export function documentStatementsOnce(text: string): DocumentStatement[] {
  const result: DocumentStatement[] = [];
  for (const range of scanStatementRanges(text, 0).ranges) {
    const source = text.slice(range.start, range.end);
    const { statements, comments } = parseDocument(source);
    statements.forEach((parsed, index) =>
      result.push({ offset: range.start, text: source, parsed, comments: index === 0 ? comments : [] }),
    );
  }
  return result;
}
