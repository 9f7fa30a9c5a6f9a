// Result columns as CockroachDB shows them: hidden columns (rowid, crdb_region, NOT VISIBLE
// ones) left out of `SELECT *`, and integer expressions typed INT8.
import { lex } from '../../../sql/src/lexer';
import { OID } from '../wire/messages';
import type { Catalog } from './catalog';
import type { QueryResult } from './result';
import { starRange } from './starColumns';

/**
 * Drops from `result` each hidden column `statement` does not name. An integer expression is INT8 in CockroachDB (PostgreSQL makes `1` an int4);
 * the text is the same.
 */
export function showAsCockroachDB(catalog: Catalog, result: QueryResult, statement: string): void {
  for (const field of result.fields) if (field.typeOid === OID.int4 && (field.tableOid ?? 0) === 0) field.typeOid = OID.int8;
  if (result.fields.length === 0 || !result.fields.some((f) => (f.tableOid ?? 0) !== 0)) return;
  const hiddenNames = new Set<string>();
  for (const table of catalog.tables.values()) for (const column of table.hidden) hiddenNames.add(column);
  if (!result.fields.some((f) => hiddenNames.has(f.name))) return;
  // Hidden columns are left out of what `*` expands to, and kept where the list names them.
  const star = starRange(statement, result.fields.length);
  if (star) {
    const fromStar = result.fields.map((f, i) => i >= star.start && i < star.end && (f.tableOid ?? 0) !== 0 && hiddenNames.has(f.name));
    if (!fromStar.includes(true)) return;
    result.fields = result.fields.filter((_, i) => !fromStar[i]);
    result.rows = result.rows.map((row) => row.filter((_, i) => !fromStar[i]));
    return;
  }
  const named = new Set(
    lex(statement)
      .tokens.filter((t) => t.kind === 'ident' || t.kind === 'qident')
      .map((t) => t.value),
  );
  const drop = result.fields.map((f) => (f.tableOid ?? 0) !== 0 && hiddenNames.has(f.name) && !named.has(f.name));
  if (!drop.includes(true)) return;
  result.fields = result.fields.filter((_, i) => !drop[i]);
  result.rows = result.rows.map((row) => row.filter((_, i) => !drop[i]));
}
