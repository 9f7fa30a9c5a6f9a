// Flags CREATE TABLE without a primary key: CockroachDB adds a hidden
// `rowid INT8 NOT VISIBLE DEFAULT unique_rowid()` key, sequential and useless to queries.
//
//   CREATE TABLE page_views (url STRING, viewed_at TIMESTAMPTZ);  -- flagged
import { DOCS, type Rule } from '../rule';

export const missingPrimaryKey: Rule = {
  id: 'missing-primary-key',
  defaultSeverity: 'warning',
  title: 'Table without a primary key',
  description:
    'Without a primary key CockroachDB adds a hidden `rowid INT8 NOT VISIBLE DEFAULT unique_rowid()` column as the key: ' +
    'rows are ordered by insertion time (a write hotspot) and no query can use the key. Declare a primary key.',
  docs: `${DOCS}primary-key`,
  check(context) {
    const statement = context.statement;
    if (statement.type !== 'create-table' || statement.primaryKey || statement.asSelect || statement.columns.length === 0) return;
    const open = statement.columns[0]?.start;
    const fixes =
      open !== undefined && !statement.columns.some((c) => c.name.value === 'id')
        ? [
            {
              title: 'Add an id UUID PRIMARY KEY DEFAULT gen_random_uuid() column',
              edits: [{ start: open, end: open, newText: 'id UUID PRIMARY KEY DEFAULT gen_random_uuid(),\n    ' }],
            },
          ]
        : [];
    context.report(
      statement.name,
      `Table ${statement.name.name.value} has no primary key: CockroachDB adds a hidden rowid key ordered by insertion time.`,
      fixes,
    );
  },
};
