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

/** Ranges a block starts with: an edit moves the ranges after it in its block one by one, and the later blocks by their shift. */
const BLOCK = 256;

/**
 * Consecutive statement ranges of a document, moved together by an edit before them: with the
 * offsets of every range after an edit written, a keystroke at the top of a 100,000-line file
 * wrote ~60,000 numbers.
 */
class Block {
  /** How far the block's ranges moved since they were placed: added to their `local` offsets. */
  shift = 0;
  /** How many ranges are in it. */
  size = 0;
  constructor(readonly index: number) {}
}

/** The block of ranges no longer in the document: it never moves. */
const REMOVED = new Block(-1);

/** A statement range whose offsets are kept relative to its block's shift. */
class PlacedRange {
  constructor(
    public local: number,
    readonly length: number,
    public block: Block,
  ) {}

  get start(): number {
    return this.local + this.block.shift;
  }

  get end(): number {
    return this.local + this.block.shift + this.length;
  }
}

/** A statement of a range: its offset is its range's start (it moves with it). */
class PlacedStatement implements DocumentStatement {
  constructor(
    private readonly range: PlacedRange,
    readonly text: string,
    readonly parsed: ParsedStatement,
    readonly comments: Token[],
  ) {}

  get offset(): number {
    return this.range.local + this.range.block.shift;
  }
}

/** Ranges in new blocks of BLOCK each (a block an edit grew too large is split up so). */
function placeAll(ranges: readonly TextRange[]): { ranges: PlacedRange[]; blocks: Block[] } {
  const blocks: Block[] = [];
  const placed = new Array<PlacedRange>(ranges.length);
  for (let i = 0; i < ranges.length; i++) {
    const range = ranges[i] as TextRange;
    if (i % BLOCK === 0) blocks.push(new Block(blocks.length));
    const block = blocks[blocks.length - 1] as Block;
    block.size++;
    placed[i] = new PlacedRange(range.start, range.end - range.start, block);
  }
  return { ranges: placed, blocks };
}

/** The same ranges (their statements follow them) placed again in blocks of BLOCK. */
function reblock(ranges: readonly PlacedRange[]): Block[] {
  const starts = ranges.map((range) => range.start);
  const blocks: Block[] = [];
  for (let i = 0; i < ranges.length; i++) {
    if (i % BLOCK === 0) blocks.push(new Block(blocks.length));
    const block = blocks[blocks.length - 1] as Block;
    block.size++;
    const range = ranges[i] as PlacedRange;
    range.block = block;
    range.local = starts[i] as number;
  }
  return blocks;
}

interface Previous {
  /** The text, when it was given as a string (a TextSource changes in place: only its length is kept). */
  text: string | undefined;
  length: number;
  ranges: PlacedRange[];
  blocks: Block[];
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

function statementsOf(text: string, range: PlacedRange, cache: StatementCache): DocumentStatement[] {
  return statementsFrom(text.slice(range.start, range.end), range, cache);
}

function statementsFrom(source: string, range: PlacedRange, cache: StatementCache): DocumentStatement[] {
  const { statements, comments } = cache.get(source);
  // Comments go with the first statement of the range (there is almost always one).
  return statements.map((parsed, index) => new PlacedStatement(range, source, parsed, index === 0 ? comments : []));
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
  let size = Math.max(2048, 2 * (changedEnd - windowStart));
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
 * The document's statements, reusing those of the text the cache last saw. With a cache, the list
 * returned may be the one an earlier call returned, changed in place: a list is not kept across
 * calls, or is told apart from its next version by StatementCache.generation. `edits`, when given,
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
  let ranges: PlacedRange[];
  let blocks: Block[];
  let groups: DocumentStatement[][];
  const unchanged =
    previous !== undefined &&
    (edits
      ? (edits.changed === undefined || edits.changed.start === edits.changed.end) && previous.length === text.length
      : previous.text === text);
  if (previous && unchanged) {
    ranges = previous.ranges;
    blocks = previous.blocks;
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
    const scan: { ranges: TextRange[]; stoppedAt?: number; window?: string; windowStart?: number } =
      typeof text === 'string' ? scanStatementRanges(text, scanFrom, stop) : scanSource(text, scanFrom, changedEnd, stop);
    const oldRanges = previous.ranges;
    const removed = (scan.stoppedAt === undefined ? oldRanges.length : resume) - first;
    // The statements after the change keep their parse and move by `delta`, in place: those in the
    // block of the first of them one by one, the later blocks by their shift. An edit writes no
    // offsets and makes no garbage in proportion to the statements after it.
    blocks = previous.blocks;
    const next = oldRanges[first + removed];
    if (next && delta !== 0) {
      const block = next.block;
      for (let r = first + removed; r < oldRanges.length && (oldRanges[r] as PlacedRange).block === block; r++)
        (oldRanges[r] as PlacedRange).local += delta;
      for (let b = block.index + 1; b < blocks.length; b++) (blocks[b] as Block).shift += delta;
    }
    // The ranges the change removed keep the offsets they had (their statements may still be held).
    for (let r = first; r < first + removed; r++) {
      const range = oldRanges[r] as PlacedRange;
      range.block.size--;
      range.local = range.start;
      range.block = REMOVED;
    }
    // The new ranges join the block of the range before them (at the start, of the one after).
    let home = oldRanges[first - 1]?.block ?? next?.block ?? blocks[0];
    if (!home) {
      home = new Block(0);
      blocks = [home];
    }
    const homeBlock = home;
    homeBlock.size += scan.ranges.length;
    const placedRanges = scan.ranges.map((range) => new PlacedRange(range.start - homeBlock.shift, range.end - range.start, homeBlock));
    let added: DocumentStatement[][];
    if (typeof text === 'string') added = placedRanges.map((range) => statementsOf(text, range, cache));
    else {
      const window = scan.window ?? '';
      const windowStart = scan.windowStart ?? 0;
      added = scan.ranges.map((range, i) =>
        statementsFrom(ownCopy(window.slice(range.start - windowStart, range.end - windowStart)), placedRanges[i] as PlacedRange, cache),
      );
    }
    const oldGroups = previous.statements;
    let singles = cache.flat !== undefined && cache.flat.length === oldGroups.length;
    for (let g = first; singles && g < first + removed; g++) singles = oldGroups[g]?.length === 1;
    ranges = replaced(oldRanges, first, removed, placedRanges);
    groups = replaced(oldGroups, first, removed, added);
    // Edits that kept adding statements in one place: blocks of BLOCK again (a pass over the ranges, rarely).
    if (homeBlock.size > 4 * BLOCK) blocks = reblock(ranges);
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
  } else {
    const whole = typeof text === 'string' ? text : text.getText();
    ({ ranges, blocks } = placeAll(scanStatementRanges(whole, 0).ranges));
    groups = ranges.map((range) => statementsOf(whole, range, cache));
  }
  cache.previous = { text: typeof given === 'string' ? given : undefined, length: text.length, ranges, blocks, statements: groups };
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
    return statements;
  }
  cache.generation++;
  // The cache's own list, changed in place from call to call (see documentStatements): a copy of
  // it was a block of the file's length on every keystroke (at 100,000 lines, 240 KB in V8's
  // large-object space, freed only by a full collection).
  return cache.flat;
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
