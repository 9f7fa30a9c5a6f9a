// A Markdown lesson as notebook cells and back, without the VS Code API (so it is tested in plain
// Node). Prose becomes markdown cells; ```sql blocks and shell blocks (the blocks the lesson
// runner runs) become code cells. Every cell keeps the exact text of the region it came from, so
// saving writes each untouched region back byte for byte (fences, info strings, indentation,
// blank lines, CRLF, a missing final newline) and only the cells the user edited are re-written.
import { fencedBlocks, SHELL_BLOCK_LANGUAGES, SQL_BLOCK_LANGUAGES } from '../../../sql/src/fencedBlocks';

export type LessonCellKind = 'markdown' | 'sql' | 'shell';

/** What a cell remembers of its region of the file (kept in the notebook cell's metadata). */
export interface LessonRegion {
  /** The region's original text: `lead`, the cell's own lines, `trail`. */
  raw: string;
  /** The cell's value as it was read: unchanged value, unchanged region. */
  value: string;
  kind: LessonCellKind;
  /** Blank lines before and after the cell's own lines (they separate it from its neighbours). */
  lead: string;
  trail: string;
  /** Code cells: the opening fence line and the closing one ('' when the block is unclosed), with line ends. */
  open?: string;
  close?: string;
  /** Code cells: the spaces before the fence (a block nested in a list item), put back on edited lines. */
  indent?: string;
}

export interface LessonCell {
  kind: LessonCellKind;
  value: string;
  /** Absent for a cell the user added. */
  region?: LessonRegion;
}

/** The line end the file uses (its first one), for lines written anew. */
export function lineEndOf(text: string): '\r\n' | '\n' {
  const at = text.indexOf('\n');
  return at > 0 && text[at - 1] === '\r' ? '\r\n' : '\n';
}

/** The kind of cell a fenced block becomes, or undefined when it stays part of the prose. */
export function cellKindOfBlock(language: string): LessonCellKind | undefined {
  if (SQL_BLOCK_LANGUAGES.has(language)) return 'sql';
  if (SHELL_BLOCK_LANGUAGES.has(language)) return 'shell';
  return undefined;
}

/**
 * The document's lines as fencedBlocks numbers them (split at \n and \r\n), each with its line
 * end, so that joining them gives the text back exactly.
 */
function rawLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (;;) {
    const at = text.indexOf('\n', start);
    if (at < 0) {
      lines.push(text.slice(start));
      return lines;
    }
    lines.push(text.slice(start, at + 1));
    start = at + 1;
  }
}

function withoutLineEnd(line: string): string {
  return line.endsWith('\r\n') ? line.slice(0, -2) : line.endsWith('\n') ? line.slice(0, -1) : line;
}

function isBlank(line: string): boolean {
  return withoutLineEnd(line).trim() === '';
}

function stripIndent(line: string, indent: number): string {
  let removed = 0;
  while (removed < indent && line[removed] === ' ') removed++;
  return line.slice(removed);
}

/** Cells of a lesson. Joining every cell's `region.raw` gives `text` back exactly. */
export function lessonCells(text: string): LessonCell[] {
  const lines = rawLines(text);
  const cells: LessonCell[] = [];
  /** Blank lines seen before the first cell: they lead it. */
  let pendingLead = '';
  let line = 0;

  const pushProse = (from: number, to: number): void => {
    if (from >= to) return;
    let first = from;
    while (first < to && isBlank(lines[first] ?? '')) first++;
    let last = to;
    while (last > first && isBlank(lines[last - 1] ?? '')) last--;
    const lead = lines.slice(from, first).join('');
    const trail = lines.slice(last, to).join('');
    if (first === last) {
      // Only blank lines: they separate the cells around them; the cell before keeps them.
      const previous = cells[cells.length - 1]?.region;
      if (previous) {
        previous.trail += lead;
        previous.raw += lead;
      } else pendingLead += lead;
      return;
    }
    const own = lines.slice(first, last).map(withoutLineEnd).join('\n');
    const raw = pendingLead + lead + lines.slice(first, last).join('') + trail;
    cells.push({
      kind: 'markdown',
      value: own,
      region: { raw, value: own, kind: 'markdown', lead: pendingLead + lead, trail },
    });
    pendingLead = '';
  };

  for (const block of fencedBlocks(text)) {
    const kind = cellKindOfBlock(block.language);
    if (!kind) continue;
    pushProse(line, block.fenceLine);
    const openLine = lines[block.fenceLine] ?? '';
    const indent = openLine.length - openLine.trimStart().length;
    // Unclosed (runs to the end of the file) when every line after the fence is content.
    const tail = lines.slice(block.fenceLine + 1, block.endLine + 1).map((l) => stripIndent(withoutLineEnd(l), indent));
    const closed = block.endLine > block.fenceLine && tail.join('\n') !== block.content;
    const close = closed ? (lines[block.endLine] ?? '') : '';
    const body = lines.slice(block.fenceLine + 1, closed ? block.endLine : block.endLine + 1).join('');
    const raw = pendingLead + openLine + body + close;
    cells.push({
      kind,
      value: block.content,
      region: { raw, value: block.content, kind, lead: pendingLead, trail: '', open: openLine, close, indent: ' '.repeat(indent) },
    });
    pendingLead = '';
    line = block.endLine + 1;
  }
  pushProse(line, lines.length);
  if (cells.length === 0)
    return [{ kind: 'markdown', value: '', region: { raw: text, value: '', kind: 'markdown', lead: text, trail: '' } }];
  // Blank lines at the very end with no cell before them cannot happen (they join the last cell).
  return cells;
}

/** The info string a new or re-typed code cell's fence gets. */
const FENCE_LANGUAGE: Record<Exclude<LessonCellKind, 'markdown'>, string> = { sql: 'sql', shell: 'sh' };

/** A fence for `value` that no line of it can close early (CommonMark: a longer fence). */
function fenceFor(value: string): string {
  let longest = 2;
  for (const match of value.matchAll(/^ {0,3}(`{3,})/gm)) longest = Math.max(longest, match[1]?.length ?? 0);
  return '`'.repeat(longest + 1);
}

/** The text of one cell as written back: its original region when untouched, fresh text otherwise. */
function cellText(cell: LessonCell, eol: string): string {
  const region = cell.region;
  if (region && region.kind === cell.kind && region.value === cell.value) return region.raw;
  const lines = cell.value === '' ? [] : cell.value.split(/\r?\n/);
  if (cell.kind === 'markdown') {
    const own = lines.join(eol);
    if (!region) return own === '' ? '' : own + eol;
    // An edited prose cell keeps the blank lines around it, and its last line's end.
    const ended = region.trail !== '' || /\n$/.test(region.raw);
    return region.lead + own + (ended && own !== '' ? eol : '') + region.trail;
  }
  const indent = region?.indent ?? '';
  const indented = lines.map((l) => (l === '' ? '' : indent + l));
  if (region?.kind === cell.kind && region.open !== undefined) {
    // Same kind of block, new content: the original fences stay, unless the content would close them.
    const fence = /^ *(`{3,}|~{3,})/.exec(region.open)?.[1] ?? '```';
    const closes = lines.some((l) => new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(l));
    if (!closes) {
      const close = region.close ?? '';
      // An unclosed block runs to the end of the file: its value is all of it, line ends included.
      const body = close === '' ? indented.join(eol) : indented.map((l) => l + eol).join('');
      // A fence on the file's last line had no line end; content after it needs one.
      const open = body !== '' && !region.open.endsWith('\n') ? region.open + eol : region.open;
      return region.lead + open + body + close + region.trail;
    }
  }
  const body = indented.map((l) => l + eol).join('');
  const fence = fenceFor(cell.value);
  const language = FENCE_LANGUAGE[cell.kind];
  const block = `${indent}${fence}${language}${eol}${body}${indent}${fence}${eol}`;
  return region ? region.lead + block + region.trail : block;
}

/**
 * The lesson's text from its cells. Untouched cells give back their original regions; a cell the
 * user added is separated from its neighbours by a blank line, so it reads back as its own cell.
 */
export function lessonText(cells: readonly LessonCell[], eol: '\r\n' | '\n' = '\n'): string {
  let out = '';
  cells.forEach((cell, index) => {
    let text = cellText(cell, eol);
    if (text === '') return;
    const added = !cell.region || cell.region.kind !== cell.kind;
    // A file whose last line had no line end, followed now by more: that line gets one.
    if (out !== '' && !out.endsWith('\n')) out += eol;
    if (added) {
      // A cell the user added stands apart from its neighbours by a blank line, so it reads back
      // as a cell of its own.
      if (out !== '' && !/\n[ \t]*\r?\n$/.test(out)) out += eol;
      if (index < cells.length - 1 && !/\n[ \t]*\r?\n$/.test(text)) text += eol;
    }
    out += text;
  });
  return out;
}
