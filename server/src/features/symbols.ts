// Outline of a .sql file: databases, tables (with columns and indexes), indexes, sequences.
//
// A Markdown lesson gets none: its outline is its headings, which the editor's own Markdown
// support already gives (VS Code's built-in Markdown extension, and any Markdown language server
// elsewhere). The editor shows each provider's symbols as a group of its own, so tables from here
// would stand beside the headings as a second, flat list cut off from the sections that create
// them, and repeating the headings here would list each of them twice.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentStatement } from '../analysis/statements';
import { isMarkdown } from '../markdown';
import type * as ast from '../../../sql/src/ast';

function range(
  document: TextDocument,
  offset: number,
  span: ast.Span,
): { start: { line: number; character: number }; end: { line: number; character: number } } {
  return { start: document.positionAt(offset + span.start), end: document.positionAt(offset + span.end) };
}

export function documentSymbols(document: TextDocument, statements: readonly DocumentStatement[]): DocumentSymbol[] {
  const symbols: DocumentSymbol[] = [];
  if (isMarkdown(document.uri, document.languageId)) return symbols;
  for (const { parsed, offset } of statements) {
    const statement = parsed.statement;
    const whole = range(document, offset, parsed);
    if (statement.type === 'create-table' && statement.name.name.value) {
      const children: DocumentSymbol[] = statement.columns.map((column) => ({
        name: column.name.value,
        detail: column.type?.name.toUpperCase() ?? '',
        kind: SymbolKind.Field,
        range: range(document, offset, column),
        selectionRange: range(document, offset, column.name),
      }));
      for (const index of statement.indexes) {
        children.push({
          name: index.name?.value ?? `(${index.columns.map((c) => c.name?.value ?? '…').join(', ')})`,
          detail: index.kind === 'unique' ? 'unique index' : 'index',
          kind: SymbolKind.Key,
          range: range(document, offset, index),
          selectionRange: range(document, offset, index.name ?? index),
        });
      }
      symbols.push({
        name: statement.name.parts.map((p) => p.value).join('.'),
        detail: statement.locality ? statement.locality.kind.replace(/-/g, ' ') : 'table',
        kind: SymbolKind.Class,
        range: whole,
        selectionRange: range(document, offset, statement.name),
        children,
      });
    } else if (statement.type === 'create-index') {
      symbols.push({
        name: statement.index.name?.value ?? `index on ${statement.table.name.value}`,
        detail: `on ${statement.table.name.value}`,
        kind: SymbolKind.Key,
        range: whole,
        selectionRange: range(document, offset, statement.index.name ?? statement.table),
      });
    } else if (statement.type === 'create-database' && statement.name.value) {
      symbols.push({
        name: statement.name.value,
        detail: statement.primaryRegion ? `primary region ${statement.primaryRegion.value}` : 'database',
        kind: SymbolKind.Namespace,
        range: whole,
        selectionRange: range(document, offset, statement.name),
      });
    } else if (statement.type === 'create-sequence') {
      symbols.push({
        name: statement.name.name.value,
        detail: 'sequence',
        kind: SymbolKind.Number,
        range: whole,
        selectionRange: range(document, offset, statement.name),
      });
    }
  }
  return symbols;
}
