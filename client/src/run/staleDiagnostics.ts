// A run's error stays on the line that failed only while that text is as it ran: once the user
// edits it, the error speaks of text that is gone. Diagnostics an edit touches are dropped; the
// others move with the text around them, as the editor moves everything else. Plain positions,
// no vscode, so it is tested in Node.

export interface Position {
  line: number;
  character: number;
}

export interface Span {
  start: Position;
  end: Position;
}

/** One edit: the range replaced, as it was before the edit, and the text put there. */
export interface TextChange {
  range: Span;
  text: string;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/**
 * Each range after the changes (applied in order, as an editor reports them), or undefined for
 * a range a change touched: overlapped, or met at either end (typing at a word's edge edits it).
 */
export function rangesAfterChanges(ranges: readonly Span[], changes: readonly TextChange[]): (Span | undefined)[] {
  let current: (Span | undefined)[] = ranges.slice();
  for (const change of changes) current = current.map((range) => range && afterChange(range, change));
  return current;
}

function afterChange(range: Span, change: TextChange): Span | undefined {
  const { start, end } = change.range;
  if (before(range.end, start)) return range; // wholly before the edit
  if (!before(end, range.start)) return undefined; // touches it
  const lines = change.text.split(/\r\n|\r|\n/);
  const added = lines.length - 1;
  const lastLine = lines[lines.length - 1] ?? '';
  const newEnd: Position = { line: start.line + added, character: added === 0 ? start.character + lastLine.length : lastLine.length };
  const move = (p: Position): Position =>
    p.line === end.line
      ? { line: newEnd.line, character: newEnd.character + (p.character - end.character) }
      : { line: p.line + (newEnd.line - end.line), character: p.character };
  return { start: move(range.start), end: move(range.end) };
}
