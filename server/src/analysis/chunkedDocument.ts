// An open document's text as a list of chunks, each well below V8's regular object size (larger
// strings go to large-object space, which only a full mark-sweep frees). The editor's document
// (vscode-languageserver-textdocument) applies an edit by concatenation and reads the result at
// once, which copies the whole text on every keystroke: a 10,000-line file made ~380 KB of
// large-object garbage per edit and the server's RSS grew by hundreds of MB while typing. Here an
// edit copies only the chunks it touches, and the whole text is joined only when asked for (by
// the few features that need it, once per version).
import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { countBelow } from './sortedNumbers';

/** Chunk sizes in UTF-16 code units: at most 32 KB even as a two-byte string. */
const CHUNK_TARGET = 8 * 1024;
const CHUNK_MAX = 16 * 1024;
/** A chunk an edit left shorter than this is merged with a neighbour. */
const CHUNK_MIN = 1024;

/** Edits changedSince can look back over (at least). */
const JOURNAL_EDITS = 64;

const CR = 13;
const LF = 10;

/** Text that can be read in pieces: what the statement splitter needs of a document. */
export interface TextSource {
  readonly length: number;
  /** Characters [start, end), as String.prototype.slice with non-negative arguments. */
  slice(start: number, end: number): string;
  /** The whole text. */
  getText(): string;
}

/**
 * Offsets just after each line break inside `chunk` (a CR LF pair is one break). A chunk never
 * ends between a CR and its LF (see ChunkedDocument), so its breaks are its own.
 */
function breaksOf(chunk: string): number[] {
  const breaks: number[] = [];
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk.charCodeAt(i);
    if (c === LF) breaks.push(i + 1);
    else if (c === CR) {
      if (chunk.charCodeAt(i + 1) === LF) i++;
      breaks.push(i + 1);
    }
  }
  return breaks;
}

/** `text` cut into chunks near CHUNK_TARGET, never between a CR and what follows it. */
function split(text: string): string[] {
  if (text.length <= CHUNK_MAX) return [text];
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + CHUNK_TARGET);
    // The rest would make a short last chunk: it goes with this one.
    if (text.length - end < CHUNK_MIN) end = text.length;
    while (end < text.length && text.charCodeAt(end - 1) === CR) end++;
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks;
}

/** The index of the last value in ascending `list` that is <= `value` (0 when none is). */
function lastAtOrBelow(list: readonly number[], value: number): number {
  return Math.max(0, countBelow(list, value, true) - 1);
}

function wellFormed(range: Range): Range {
  const { start, end } = range;
  return start.line > end.line || (start.line === end.line && start.character > end.character) ? { start: end, end: start } : range;
}

/**
 * A TextDocument (the same answers as vscode-languageserver-textdocument's) whose text is kept in
 * chunks and edited in place. Invariant: no chunk but the last ends with a CR, so a CR LF pair is
 * never split between two chunks; chunks are empty only in an empty document.
 */
export class ChunkedDocument implements TextDocument, TextSource {
  private chunks: string[] = [];
  /** Where each chunk starts in the text. */
  private starts: number[] = [];
  /** Per chunk, the offsets (relative to it) just after its line breaks. */
  private breaks: number[][] = [];
  /** Per chunk, the line breaks in the chunks before it. */
  private breaksBefore: number[] = [];
  private total = 0;
  /** Line breaks in the whole text. */
  private breakCount = 0;
  /**
   * The chunks the last offset and line look-ups landed in: the diagnostics encoder and the
   * features walk findings in document order, so the next look-up is mostly in the same chunk.
   */
  private offsetChunk = 0;
  private lineChunk = 0;
  private whole: string | undefined;
  private currentVersion: number;
  /** How many times the whole text was joined from the chunks (what reading it all cost, counted). */
  joins = 0;
  /**
   * The last edits (start, end, inserted length, each in the offsets of the text just before it),
   * numbered by `edits`: what changedSince reads. Cleared when the whole text is replaced.
   */
  private journal: number[] = [];
  private journalFrom = 0;
  /** How many edits (replacements of a range, or of the whole text) the document has had. */
  edits = 0;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    version: number,
    text: string,
  ) {
    this.currentVersion = version;
    this.reset(text);
  }

  get version(): number {
    return this.currentVersion;
  }

  get length(): number {
    return this.total;
  }

  get lineCount(): number {
    return 1 + this.breakCount;
  }

  private reset(text: string): void {
    this.chunks = split(text);
    this.breaks = this.chunks.map(breaksOf);
    this.starts = new Array<number>(this.chunks.length);
    this.breaksBefore = new Array<number>(this.chunks.length);
    this.whole = text;
    this.renumber(0);
  }

  /** Recomputes the chunk starts and line counts from chunk `from` on. */
  private renumber(from: number): void {
    let offset = from === 0 ? 0 : (this.starts[from - 1] as number) + (this.chunks[from - 1] as string).length;
    let lines = from === 0 ? 0 : (this.breaksBefore[from - 1] as number) + (this.breaks[from - 1] as number[]).length;
    this.starts.length = this.chunks.length;
    this.breaksBefore.length = this.chunks.length;
    for (let i = from; i < this.chunks.length; i++) {
      this.starts[i] = offset;
      this.breaksBefore[i] = lines;
      offset += (this.chunks[i] as string).length;
      lines += (this.breaks[i] as number[]).length;
    }
    this.total = offset;
    this.breakCount = lines;
  }

  /**
   * Applies the editor's changes in order (as TextDocument.update does); `onEdit` is told each
   * one as offsets of the text just before it, before it is made.
   */
  update(
    changes: readonly TextDocumentContentChangeEvent[],
    version: number,
    onEdit?: (start: number, end: number, insertedLength: number) => void,
  ): void {
    for (const change of changes) {
      if ('range' in change) {
        const range = wellFormed(change.range);
        const start = this.offsetAt(range.start);
        const end = this.offsetAt(range.end);
        onEdit?.(start, end, change.text.length);
        this.replace(start, end, change.text);
        this.record(start, end, change.text.length);
      } else {
        onEdit?.(0, this.total, change.text.length);
        this.reset(change.text);
        this.edits++;
        this.journal = [];
        this.journalFrom = this.edits;
      }
    }
    this.currentVersion = version;
  }

  private record(start: number, end: number, inserted: number): void {
    this.edits++;
    if (this.journal.length >= 3 * JOURNAL_EDITS) {
      // A block of old edits dropped at once (not one a keystroke: a shift of the whole journal).
      this.journal = this.journal.slice(3 * (JOURNAL_EDITS >> 1));
      this.journalFrom += JOURNAL_EDITS >> 1;
    }
    this.journal.push(start, end, inserted);
  }

  /**
   * The span of the current text outside which it equals the text as it was after edit `mark`
   * (see ChangedSpan: `null` when nothing changed), or undefined when that is no longer known
   * (older than the journal, or the whole text was replaced since).
   */
  changedSince(mark: number): { start: number; end: number } | null | undefined {
    if (mark < this.journalFrom || mark > this.edits) return undefined;
    let span: { start: number; end: number } | null = null;
    const journal = this.journal;
    for (let i = 3 * (mark - this.journalFrom); i < journal.length; i += 3) {
      const start = journal[i] as number;
      const end = journal[i + 1] as number;
      const inserted = journal[i + 2] as number;
      // As EditRegion: the span grows to cover the edit; what lay after both moves by its delta.
      span = span
        ? { start: Math.min(span.start, start), end: Math.max(span.end, end) + inserted - (end - start) }
        : { start, end: start + inserted };
    }
    return span;
  }

  /** Characters [start, end) replaced by `text`: only the chunks they fall in are made again. */
  private replace(start: number, end: number, text: string): void {
    this.whole = undefined;
    const chunks = this.chunks;
    let first = this.chunkAt(start);
    let last = end > start ? this.chunkAt(end - 1) : first;
    if (last < first) last = first;
    let joined =
      (chunks[first] as string).slice(0, start - (this.starts[first] as number)) +
      text +
      (chunks[last] as string).slice(end - (this.starts[last] as number));
    if (joined.length < CHUNK_MIN && chunks.length > last - first + 1) {
      if (last + 1 < chunks.length) joined += chunks[++last] as string;
      else joined = (chunks[--first] as string) + joined;
    }
    // A chunk that now ends with a CR takes the next one in: its LF may follow.
    while (last + 1 < chunks.length && joined.charCodeAt(joined.length - 1) === CR) joined += chunks[++last] as string;
    const pieces = split(joined);
    const count = last - first + 1;
    chunks.splice(first, count, ...pieces);
    this.breaks.splice(first, count, ...pieces.map(breaksOf));
    this.renumber(first);
  }

  /** The chunk holding offset `offset` (the last chunk for the text's end). */
  private chunkAt(offset: number): number {
    const starts = this.starts;
    const last = this.offsetChunk;
    if (last < starts.length && (starts[last] as number) <= offset && (last + 1 === starts.length || offset < (starts[last + 1] as number)))
      return last;
    this.offsetChunk = lastAtOrBelow(starts, offset);
    return this.offsetChunk;
  }

  getText(range?: Range): string {
    if (range) return this.slice(this.offsetAt(range.start), this.offsetAt(range.end));
    if (this.whole === undefined) {
      this.whole = this.chunks.join('');
      this.joins++;
    }
    return this.whole;
  }

  /** Characters [start, end), clamped to the text (swapped when start > end, as substring does). */
  slice(start: number, end: number): string {
    let from = Math.max(0, Math.min(start, this.total));
    let to = Math.max(0, Math.min(end, this.total));
    if (from > to) [from, to] = [to, from];
    if (this.whole !== undefined) return this.whole.slice(from, to);
    if (from === to) return '';
    const first = this.chunkAt(from);
    const last = this.chunkAt(to - 1);
    const firstStart = this.starts[first] as number;
    if (first === last) return (this.chunks[first] as string).slice(from - firstStart, to - firstStart);
    const parts = [(this.chunks[first] as string).slice(from - firstStart)];
    for (let i = first + 1; i < last; i++) parts.push(this.chunks[i] as string);
    parts.push((this.chunks[last] as string).slice(0, to - (this.starts[last] as number)));
    return parts.join('');
  }

  /** The UTF-16 code unit at `offset` (NaN outside the text). */
  charCodeAt(offset: number): number {
    if (offset < 0 || offset >= this.total) return Number.NaN;
    const chunk = this.chunkAt(offset);
    return (this.chunks[chunk] as string).charCodeAt(offset - (this.starts[chunk] as number));
  }

  /** Where line `line` starts (0 < line < lineCount). */
  private lineStart(line: number): number {
    if (line <= 0) return 0;
    // The chunk holding the line's break: the last one with fewer than `line` breaks before it.
    let chunk = this.lineChunk;
    const before = this.breaksBefore[chunk];
    if (before === undefined || before >= line || line > before + (this.breaks[chunk] as number[]).length) {
      chunk = lastAtOrBelow(this.breaksBefore, line - 1);
      this.lineChunk = chunk;
    }
    return (this.starts[chunk] as number) + ((this.breaks[chunk] as number[])[line - 1 - (this.breaksBefore[chunk] as number)] as number);
  }

  private ensureBeforeEOL(offset: number, lineOffset: number): number {
    while (offset > lineOffset) {
      const c = this.charCodeAt(offset - 1);
      if (c !== CR && c !== LF) break;
      offset--;
    }
    return offset;
  }

  positionAt(offset: number): Position {
    const at = Math.max(Math.min(offset, this.total), 0);
    const chunk = this.chunkAt(at);
    const line =
      (this.breaksBefore[chunk] as number) + countBelow(this.breaks[chunk] as number[], at - (this.starts[chunk] as number), true);
    const lineOffset = this.lineStart(line);
    return { line, character: this.ensureBeforeEOL(at, lineOffset) - lineOffset };
  }

  offsetAt(position: Position): number {
    const lineCount = this.lineCount;
    if (position.line >= lineCount) return this.total;
    if (position.line < 0) return 0;
    const lineOffset = this.lineStart(position.line);
    if (position.character <= 0) return lineOffset;
    const nextLineOffset = position.line + 1 < lineCount ? this.lineStart(position.line + 1) : this.total;
    return this.ensureBeforeEOL(Math.min(lineOffset + position.character, nextLineOffset), lineOffset);
  }

  getLineRange(line: number): Range {
    const lineCount = this.lineCount;
    if (line >= lineCount) {
      const lastLine = lineCount - 1;
      return { start: { line: lastLine, character: 0 }, end: { line: lastLine, character: this.total - this.lineStart(lastLine) } };
    }
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const startOffset = this.lineStart(line);
    const nextLineOffset = line + 1 < lineCount ? this.lineStart(line + 1) : this.total;
    return { start: { line, character: 0 }, end: { line, character: this.ensureBeforeEOL(nextLineOffset, startOffset) - startOffset } };
  }

  getEOLCharacters(line: number): string {
    const lineCount = this.lineCount;
    if (line >= lineCount || line < 0) return '';
    const nextLineOffset = line + 1 < lineCount ? this.lineStart(line + 1) : this.total;
    return this.slice(this.ensureBeforeEOL(nextLineOffset, this.lineStart(line)), nextLineOffset);
  }
}
