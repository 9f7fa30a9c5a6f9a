// Line and column of a document offset, for the CLI's findings: the same positions as an LSP
// TextDocument's positionAt (lines end at \n, \r\n or \r; UTF-16 columns; an offset between \r
// and \n counts as the end of its line), without loading the document library at start-up.

export interface LinePosition {
  /** 0-based. */
  line: number;
  /** 0-based, in UTF-16 code units. */
  character: number;
}

function isLineEnd(code: number): boolean {
  return code === 13 || code === 10;
}

export class LineIndex {
  /** Where each line starts. */
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    if (!text.includes('\r')) {
      // Only \n ends lines: found by the native search, not character by character.
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (!isLineEnd(code)) continue;
      if (code === 13 && text.charCodeAt(i + 1) === 10) i++;
      this.starts.push(i + 1);
    }
  }

  positionAt(offset: number): LinePosition {
    const at = Math.max(Math.min(offset, this.text.length), 0);
    // The last line starting at or before `at`.
    let low = 0;
    let high = this.starts.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.starts[middle] ?? 0) > at) high = middle;
      else low = middle + 1;
    }
    const line = low - 1;
    const lineStart = this.starts[line] ?? 0;
    let end = at;
    while (end > lineStart && isLineEnd(this.text.charCodeAt(end - 1))) end--;
    return { line, character: end - lineStart };
  }
}
