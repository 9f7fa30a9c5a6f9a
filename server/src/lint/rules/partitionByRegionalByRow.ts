// Flags an explicit PARTITION BY on a REGIONAL BY ROW table: such tables are partitioned by
// region implicitly, and CockroachDB rejects partitioning them by hand.
//
//   CREATE TABLE reviews (id UUID PRIMARY KEY) LOCALITY REGIONAL BY ROW
//     PARTITION BY LIST (id) (…);  -- error
import { DOCS, type Rule } from '../rule';

export const partitionByRegionalByRow: Rule = {
  id: 'partition-by-regional-by-row',
  defaultSeverity: 'error',
  title: 'Explicit PARTITION BY on a REGIONAL BY ROW table',
  description:
    'A `REGIONAL BY ROW` table is partitioned by its `crdb_region` column implicitly, one partition per region; partitioning it by hand is not allowed.',
  docs: `${DOCS}table-localities#regional-by-row-tables`,
  statements: ['create-table', 'create-index', 'alter-table'],
  check(context) {
    const statement = context.statement;
    if (statement.type === 'create-table' && statement.locality?.kind === 'regional-by-row') {
      const explicit = [statement.partitionBy, ...statement.indexes.map((i) => i.partitionBy)].filter(
        (p) => p !== undefined && p.method !== 'nothing',
      );
      for (const partitionBy of explicit) {
        if (partitionBy)
          context.report(
            partitionBy,
            `Table ${statement.name.name.value} is REGIONAL BY ROW: it is partitioned by region implicitly and cannot be partitioned by hand.`,
          );
      }
    } else if (
      statement.type === 'create-index' &&
      context.model.table(statement.table)?.locality === 'regional-by-row' &&
      statement.index.partitionBy
    ) {
      context.report(
        statement.index.partitionBy,
        `Table ${statement.table.name.value} is REGIONAL BY ROW: its indexes are partitioned by region implicitly.`,
      );
    } else if (statement.type === 'alter-table' && context.model.table(statement.name)?.locality === 'regional-by-row') {
      for (const command of statement.commands) {
        if (command.kind === 'partition-by')
          context.report(command.partitionBy, `Table ${statement.name.name.value} is REGIONAL BY ROW: it cannot be partitioned by hand.`);
      }
    }
  },
};
