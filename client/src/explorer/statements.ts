// The SQL the explorer's actions run, and which statements change the catalog it shows. Free of
// the VS Code API, so it is tested on its own.
import { lex } from '../../../sql/src/lexer';
import { qualifiedName, type TableRef } from '../../../runner/src/catalog/reader';

/** The first words of statements that change what the explorer (and completion) show. */
const CATALOG_CHANGING = new Set(['create', 'alter', 'drop', 'rename', 'truncate', 'comment', 'import', 'restore', 'use']);

/** True when one of the statements is DDL (or USE, which changes where unqualified names resolve). */
export function changesCatalog(statements: readonly string[]): boolean {
  return statements.some((statement) => {
    const first = lex(statement).tokens[0];
    return first?.kind === 'ident' && CATALOG_CHANGING.has(first.value);
  });
}

export function selectTop(ref: TableRef, rows = 100): string {
  return `SELECT * FROM ${qualifiedName(ref)} LIMIT ${rows}`;
}

export function showCreate(ref: TableRef): string {
  return `SHOW CREATE TABLE ${qualifiedName(ref)}`;
}

export function explainSelect(ref: TableRef): string {
  return `EXPLAIN SELECT * FROM ${qualifiedName(ref)} LIMIT 100`;
}
