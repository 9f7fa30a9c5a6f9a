// Where a text changed since some earlier version of it, gathered from the edits themselves (the
// ranges of LSP incremental changes) so that finding the change costs nothing in proportion to
// the text: no comparison of the old and new text from both ends.
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

/**
 * The span [start, end) of the current text outside which it equals the earlier version: the
 * first `start` characters are the same, and so are the last `length - end` characters.
 */
export interface ChangedSpan {
  start: number;
  end: number;
}

export class EditRegion {
  private span: ChangedSpan | undefined;

  /**
   * One edit of the current text: characters [start, end) were replaced by `insertedLength`
   * characters. Edits are told in the order they were made, each in the offsets of the text
   * just before it.
   */
  replace(start: number, end: number, insertedLength: number): void {
    const span = this.span;
    const delta = insertedLength - (end - start);
    if (!span) {
      this.span = { start, end: start + insertedLength };
      return;
    }
    // The span grows to cover the edit; what lay after both moves by the edit's delta.
    this.span = { start: Math.min(span.start, start), end: Math.max(span.end, end) + delta };
  }

  /** The changed span, or undefined when nothing changed since the region was started. */
  get changed(): ChangedSpan | undefined {
    return this.span && { ...this.span };
  }
}

/**
 * TextDocument.update, telling `onEdit` of each change (as offsets of the text just before it)
 * before making it.
 */
export function updateTelling(
  document: TextDocument,
  changes: readonly TextDocumentContentChangeEvent[],
  version: number,
  onEdit: (start: number, end: number, insertedLength: number) => void,
): TextDocument {
  for (const change of changes) {
    if ('range' in change) {
      // A range may come with its ends swapped (the update then swaps them back).
      const from = document.offsetAt(change.range.start);
      const to = document.offsetAt(change.range.end);
      onEdit(Math.min(from, to), Math.max(from, to), change.text.length);
    } else onEdit(0, document.getText().length, change.text.length);
    TextDocument.update(document, [change], version);
  }
  return changes.length === 0 ? TextDocument.update(document, [], version) : document;
}
