// Flags `REGIONAL BY ROW AS col` where col is missing or not of type crdb_internal_region:
// CockroachDB rejects it.
//
//   CREATE TABLE orders (id UUID PRIMARY KEY, region STRING NOT NULL) LOCALITY REGIONAL BY ROW AS region;  -- error
//
// A STRING column's values can home the rows all the same: a column of type crdb_internal_region
// computed from it (`AS (region::crdb_internal_region) STORED`; a string to enum cast is
// immutable, so a computed column may use it) keeps the application's column as it is.
import type * as ast from '../../../../sql/src/ast';
import { quoteIdent } from '../../../../sql/src/names';
import { isRegionType, localityOf, tableColumn } from '../facts';
import { DOCS, type Fix, type Rule, type RuleContext } from '../rule';

const STRING_TYPES = new Set(['string', 'text', 'varchar', 'char', 'character', 'character varying', 'bpchar', 'name']);

/** The name of the computed region column: crdb_region, CockroachDB's own, unless it is taken. */
function regionColumnName(source: string, taken: (name: string) => boolean): string {
  if (!taken('crdb_region')) return 'crdb_region';
  let name = `crdb_region_${source}`;
  for (let n = 2; taken(name); n++) name = `crdb_region_${source}_${n}`;
  return name;
}

function computedDefinition(name: string, source: ast.Name): string {
  return `${quoteIdent(name)} crdb_internal_region NOT NULL AS (${quoteIdent(source.value)}::crdb_internal_region) STORED`;
}

/** The whitespace before `offset` on its line, when nothing else precedes it there. */
function indentBefore(text: string, offset: number): string | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return before.trim() === '' ? before : undefined;
}

function computedColumnFix(context: RuleContext, column: ast.Column, as: ast.Name): Fix | undefined {
  if (!column.type || column.type.array || !STRING_TYPES.has(column.type.name)) return undefined;
  const statement = context.statement;
  const title = (name: string): string => `Add ${name} crdb_internal_region computed from ${column.name.value}, and home rows by it`;
  if (statement.type === 'create-table') {
    const name = regionColumnName(column.name.value, (n) => statement.columns.some((c) => c.name.value === n));
    // The new column goes right after the STRING column, on a line of its own if that one has one.
    const text = context.statements[context.index]?.text ?? '';
    const indent = indentBefore(text, column.start);
    const separator = indent === undefined ? ', ' : `,\n${indent}`;
    return {
      title: title(name),
      edits: [
        { start: column.end, end: column.end, newText: `${separator}${computedDefinition(name, column.name)}` },
        { start: as.start, end: as.end, newText: quoteIdent(name) },
      ],
      preferred: true,
    };
  }
  if (statement.type !== 'alter-table') return undefined;
  // The table exists: the column is added (and backfilled) by a statement of its own first.
  const table = context.model.table(statement.name);
  const name = regionColumnName(column.name.value, (n) => table?.columns.has(n) === true);
  const tableName = context.statements[context.index]?.text.slice(statement.name.start, statement.name.end) ?? statement.name.name.value;
  const start = context.parsed.start;
  const text = context.statements[context.index]?.text ?? '';
  const indent = indentBefore(text, start) ?? '';
  return {
    title: title(name),
    edits: [
      { start, end: start, newText: `ALTER TABLE ${tableName} ADD COLUMN ${computedDefinition(name, column.name)};\n${indent}` },
      { start: as.start, end: as.end, newText: quoteIdent(name) },
    ],
    preferred: true,
  };
}

export const regionalByRowAsType: Rule = {
  id: 'regional-by-row-as-type',
  defaultSeverity: 'error',
  title: 'REGIONAL BY ROW AS a column that is not crdb_internal_region',
  description:
    '`LOCALITY REGIONAL BY ROW AS col` needs `col` to exist and be of type `crdb_internal_region` (usually `NOT NULL`, with a default such as `gateway_region()::crdb_internal_region`). ' +
    'A STRING column can home the rows through a column computed from it: `crdb_region crdb_internal_region NOT NULL AS (col::crdb_internal_region) STORED`.',
  docs: `${DOCS}alter-table#set-the-table-locality-to-regional-by-row`,
  statements: ['create-table', 'alter-table'],
  check(context) {
    const statement = context.statement;
    const target = localityOf(statement);
    const locality = target?.locality;
    if (!target || locality?.kind !== 'regional-by-row' || !locality.as) return;
    const as = locality.as.value;
    const table = target.table.name.value;
    const column: ast.Column | undefined =
      statement.type === 'create-table'
        ? statement.columns.find((c) => c.name.value === as)
        : tableColumn(context.model.table(target.table), as);
    if (column && isRegionType(column.type?.name)) return;
    if (!column) {
      context.report(locality.as, `REGIONAL BY ROW AS ${locality.as.value}: table ${table} has no column ${locality.as.value}.`);
      return;
    }
    const fixes: Fix[] = [];
    const computed = computedColumnFix(context, column, locality.as);
    if (computed) fixes.push(computed);
    if (statement.type === 'create-table' && column.type) {
      fixes.push({
        title: `Make ${column.name.value} a crdb_internal_region`,
        edits: [{ start: column.type.start, end: column.type.end, newText: 'crdb_internal_region' }],
        preferred: !computed,
      });
    }
    context.report(
      locality.as,
      `REGIONAL BY ROW AS ${locality.as.value}: the column is ${column.type?.name.toUpperCase() ?? 'untyped'}, but it must be of type crdb_internal_region.`,
      fixes,
    );
  },
};
