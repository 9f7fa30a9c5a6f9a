// Hints at a column that names a region on a table that is not REGIONAL BY ROW: the column
// does not decide where the row lives.
//
//   CREATE TABLE customers (id UUID PRIMARY KEY, home_region STRING) LOCALITY REGIONAL BY TABLE;  -- hint
//
// A shape rule: a SET LOCALITY REGIONAL BY ROW later in the same file settles it.
import { spanAt } from '../../schema/origins';
import { isRegionType } from '../facts';
import { DOCS, type Fix, type Rule } from '../rule';

const REGION_NAME = /(^|_)region$/;

export const regionColumnNotRegionalByRow: Rule = {
  id: 'region-column-not-regional-by-row',
  defaultSeverity: 'hint',
  title: 'Region-like column on a table that is not REGIONAL BY ROW',
  description:
    'A column that names a region does not place the row there. In a multi-region database, `LOCALITY REGIONAL BY ROW` homes each row in the region of its ' +
    '`crdb_region` column (or `REGIONAL BY ROW AS` a column of type `crdb_internal_region`).',
  docs: `${DOCS}table-localities#regional-by-row-tables`,
  checkShape({ table, database, latest, report }) {
    if (table.locality === 'regional-by-row' || !database?.primaryRegion) return;
    let column;
    for (const candidate of table.columns.values())
      if (isRegionType(candidate.type) || REGION_NAME.test(candidate.name)) {
        column = candidate;
        break;
      }
    if (!column) return;
    const at = latest(table.localityOrigin, column.origin, column.alteredBy);
    if (!at) return;
    const statement = at.parsed.statement;
    const fixes: Fix[] =
      at === column.origin &&
      at === table.localityOrigin &&
      statement.type === 'create-table' &&
      !statement.locality &&
      isRegionType(column.type)
        ? [
            {
              title: `Make the table REGIONAL BY ROW AS ${column.name}`,
              edits: [{ start: at.parsed.end, end: at.parsed.end, newText: ` LOCALITY REGIONAL BY ROW AS ${column.name}` }],
            },
          ]
        : [];
    report(
      at,
      spanAt(at, [column.origin, column.definition.name]),
      `Column ${column.name} names a region, but table ${table.name} is not REGIONAL BY ROW: its rows do not live in that region.`,
      fixes,
    );
  },
};
