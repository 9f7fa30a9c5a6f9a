// Flags `REGIONAL BY ROW AS col` where col is missing or not of type crdb_internal_region:
// CockroachDB rejects it.
//
//   CREATE TABLE orders (id UUID PRIMARY KEY, region STRING NOT NULL) LOCALITY REGIONAL BY ROW AS region;  -- error
import type * as ast from '../../../../sql/src/ast';
import { isRegionType, localityOf, tableColumn } from '../facts';
import { DOCS, type Fix, type Rule } from '../rule';

export const regionalByRowAsType: Rule = {
  id: 'regional-by-row-as-type',
  defaultSeverity: 'error',
  title: 'REGIONAL BY ROW AS a column that is not crdb_internal_region',
  description:
    '`LOCALITY REGIONAL BY ROW AS col` needs `col` to exist and be of type `crdb_internal_region` (usually `NOT NULL`, with a default such as `gateway_region()::crdb_internal_region`).',
  docs: `${DOCS}alter-table#set-the-table-locality-to-regional-by-row`,
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
    if (statement.type === 'create-table' && column.type) {
      fixes.push({
        title: `Make ${column.name.value} a crdb_internal_region`,
        edits: [{ start: column.type.start, end: column.type.end, newText: 'crdb_internal_region' }],
        preferred: true,
      });
    }
    context.report(
      locality.as,
      `REGIONAL BY ROW AS ${locality.as.value}: the column is ${column.type?.name.toUpperCase() ?? 'untyped'}, but it must be of type crdb_internal_region.`,
      fixes,
    );
  },
};
