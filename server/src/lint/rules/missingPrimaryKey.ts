// Flags a table left without a primary key: CockroachDB adds a hidden
// `rowid INT8 NOT VISIBLE DEFAULT unique_rowid()` key, sequential and useless to queries.
//
//   CREATE TABLE page_views (url STRING, viewed_at TIMESTAMPTZ);  -- flagged
//
// A shape rule: an ALTER TABLE … ADD PRIMARY KEY later in the same file settles it.
import { DOCS, type Fix, type Rule } from '../rule';

export const missingPrimaryKey: Rule = {
  id: 'missing-primary-key',
  defaultSeverity: 'warning',
  title: 'Table without a primary key',
  description:
    'Without a primary key CockroachDB adds a hidden `rowid INT8 NOT VISIBLE DEFAULT unique_rowid()` column as the key: ' +
    'rows are ordered by insertion time (a write hotspot) and no query can use the key. Declare a primary key.',
  docs: `${DOCS}primary-key`,
  checkShape({ table, inFile, report }) {
    if (table.primaryIndex) return;
    const at = table.keyOrigin;
    if (!inFile(at)) return;
    const statement = at.parsed.statement;
    if (statement.type === 'create-table') {
      if (statement.asSelect || statement.columns.length === 0) return;
      const open = statement.columns[0]?.start;
      const fixes: Fix[] =
        open !== undefined && !table.columns.has('id')
          ? [
              {
                title: 'Add an id UUID PRIMARY KEY DEFAULT gen_random_uuid() column',
                edits: [{ start: open, end: open, newText: 'id UUID PRIMARY KEY DEFAULT gen_random_uuid(),\n    ' }],
              },
            ]
          : [];
      report(
        at,
        statement.name,
        `Table ${table.name} has no primary key: CockroachDB adds a hidden rowid key ordered by insertion time.`,
        fixes,
      );
    } else {
      // The key was dropped (DROP CONSTRAINT) and not added again in this file.
      report(
        at,
        { start: at.parsed.start, end: at.parsed.end },
        `Table ${table.name} is left without a primary key: CockroachDB keys it by a hidden rowid ordered by insertion time. Add the new key in the same transaction (ADD CONSTRAINT … PRIMARY KEY).`,
      );
    }
  },
};
