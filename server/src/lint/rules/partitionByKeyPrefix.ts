// Flags PARTITION BY columns that are not a prefix of the partitioned index's columns (for the
// table, its primary key): CockroachDB rejects it.
//
//   CREATE TABLE accounts (id UUID, country STRING, PRIMARY KEY (id, country))
//     PARTITION BY LIST (country) (…);  -- error: country is not a prefix of (id, country)
import type * as ast from '../../../../sql/src/ast';
import { keyColumns } from '../../schema/model';
import { DOCS, type Rule, type RuleContext } from '../rule';

function checkPrefix(context: RuleContext, partitionBy: ast.PartitionBy | undefined, columns: string[], what: string): void {
  if (!partitionBy || partitionBy.columns.length === 0) return;
  const wanted = partitionBy.columns.map((c) => c.value);
  const isPrefix = wanted.every((name, i) => columns[i] === name);
  if (isPrefix) return;
  context.report(
    partitionBy,
    `PARTITION BY (${wanted.join(', ')}) must be a prefix of ${what} (${columns.join(', ') || 'the hidden rowid'}).`,
  );
}

export const partitionByKeyPrefix: Rule = {
  id: 'partition-by-key-prefix',
  defaultSeverity: 'error',
  title: 'PARTITION BY columns that are not a prefix of the key',
  description:
    'A partitioned index is split by its leading columns, so `PARTITION BY LIST/RANGE (cols)` requires `cols` to be a prefix of the index (of the primary key for the table).',
  docs: `${DOCS}partitioning`,
  statements: ['create-table', 'create-index', 'alter-table'],
  check(context) {
    const statement = context.statement;
    if (statement.type === 'create-table') {
      checkPrefix(context, statement.partitionBy, statement.primaryKey ? keyColumns(statement.primaryKey) : [], 'the primary key');
      for (const index of statement.indexes)
        checkPrefix(context, index.partitionBy, keyColumns(index), `index ${index.name?.value ?? ''}`.trim());
    } else if (statement.type === 'create-index') {
      checkPrefix(context, statement.index.partitionBy, keyColumns(statement.index), `index ${statement.index.name?.value ?? ''}`.trim());
    } else if (statement.type === 'alter-table') {
      const table = context.model.table(statement.name);
      for (const command of statement.commands) {
        if (command.kind === 'partition-by' && table) checkPrefix(context, command.partitionBy, table.primaryKey, 'the primary key');
      }
    }
  },
};
