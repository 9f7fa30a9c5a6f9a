// Hints at a column that names a region on a table that is not REGIONAL BY ROW: the column
// does not decide where the row lives.
//
//   CREATE TABLE customers (id UUID PRIMARY KEY, home_region STRING) LOCALITY REGIONAL BY TABLE;  -- hint
import type * as ast from '../../../../sql/src/ast';
import { isRegionType } from '../facts';
import { DOCS, type Rule } from '../rule';

const REGION_NAME = /(^|_)region$/;

export const regionColumnNotRegionalByRow: Rule = {
  id: 'region-column-not-regional-by-row',
  defaultSeverity: 'hint',
  title: 'Region-like column on a table that is not REGIONAL BY ROW',
  description:
    'A column that names a region does not place the row there. In a multi-region database, `LOCALITY REGIONAL BY ROW` homes each row in the region of its ' +
    '`crdb_region` column (or `REGIONAL BY ROW AS` a column of type `crdb_internal_region`).',
  docs: `${DOCS}table-localities#regional-by-row-tables`,
  check(context) {
    const statement = context.statement;
    if (statement.type !== 'create-table' || statement.locality?.kind === 'regional-by-row') return;
    const database = context.model.databaseFor(statement.name);
    if (!database?.primaryRegion) return;
    const column: ast.Column | undefined = statement.columns.find((c) => isRegionType(c.type?.name) || REGION_NAME.test(c.name.value));
    if (!column) return;
    const fixes =
      isRegionType(column.type?.name) && !statement.locality
        ? [
            {
              title: `Make the table REGIONAL BY ROW AS ${column.name.value}`,
              edits: [{ start: context.parsed.end, end: context.parsed.end, newText: ` LOCALITY REGIONAL BY ROW AS ${column.name.value}` }],
            },
          ]
        : [];
    context.report(
      column.name,
      `Column ${column.name.value} names a region, but table ${statement.name.name.value} is not REGIONAL BY ROW: its rows do not live in that region.`,
      fixes,
    );
  },
};
