// Document and range formatting over LSP, so every client (VS Code, Neovim…) formats the same:
// a .sql file's statements, or in a Markdown lesson the statements of its ```sql blocks only
// (the prose and the other blocks are never touched).
import type { FormattingOptions, Range, TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fencedBlocks, SQL_BLOCK_LANGUAGES } from '../../../sql/src/fencedBlocks';
import { formatEdits, type FormatEdit, type KeywordCase } from '../../../sql/src/format/format';
import { isMarkdown } from '../markdown';

export interface FormattingRequest {
  document: TextDocument;
  options: FormattingOptions;
  keywordCase: KeywordCase;
  /** Only the statements this range touches. */
  range?: Range;
}

export function formattingEdits(request: FormattingRequest): TextEdit[] {
  const { document, options, keywordCase } = request;
  const text = document.getText();
  const indent = !options.insertSpaces ? '\t' : ' '.repeat(Math.max(1, Math.min(8, options.tabSize || 2)));
  const settings = { keywordCase, indent };
  const range = request.range && { start: document.offsetAt(request.range.start), end: document.offsetAt(request.range.end) };
  const edits: FormatEdit[] = [];
  if (isMarkdown(document.uri, document.languageId)) {
    const lineStarts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    for (const block of fencedBlocks(text)) {
      if (!SQL_BLOCK_LANGUAGES.has(block.language)) continue;
      const start = lineStarts[block.contentStartLine];
      // An indented block (inside a list item) or CRLF lines: its content is not the document's own
      // characters, so offsets into it would not map back; such a block is left as it is.
      if (start === undefined || text.slice(start, start + block.content.length) !== block.content) continue;
      const within = range && { start: range.start - start, end: range.end - start };
      if (within && (within.end < 0 || within.start > block.content.length)) continue;
      for (const edit of formatEdits(block.content, settings, within))
        edits.push({ start: edit.start + start, end: edit.end + start, newText: edit.newText });
    }
  } else {
    edits.push(...formatEdits(text, settings, range));
  }
  return edits.map((edit) => ({
    range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) },
    newText: edit.newText,
  }));
}
