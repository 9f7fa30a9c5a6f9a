// Flags ALTER TABLE … ADD COLUMN … NOT NULL with no DEFAULT (and not computed, not an identity or
// SERIAL column). CockroachDB backfills the new column with NULL in every existing row, so the
// schema change fails on a table that has rows; and once it succeeds, application code that
// does not know the column yet fails on every INSERT. A table the same file created just before
// (with no rows written since) is left alone.
//
//   ALTER TABLE users ADD COLUMN tenant_id UUID NOT NULL;  -- warning
import type * as ast from '../../../../sql/src/ast';
import { createdInDocument } from '../facts';
import { DOCS, type Rule } from '../rule';

const SERIAL_TYPES = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

function needsValue(column: ast.Column): boolean {
  return column.notNull && !column.default && !column.computed && !column.identity && !SERIAL_TYPES.has(column.type?.name ?? '');
}

export const notNullColumnWithoutDefault: Rule = {
  id: 'not-null-column-without-default',
  defaultSeverity: 'warning',
  title: 'ADD COLUMN … NOT NULL without a DEFAULT',
  description:
    'Adding a column fills it in every existing row with its DEFAULT, or NULL when it has none. A `NOT NULL` column without a default therefore ' +
    'makes the schema change fail on any table that has rows, and after it succeeds, application code that does not write the column yet fails on INSERT. ' +
    'Give the column a DEFAULT, or add it nullable, backfill it, and `ALTER COLUMN … SET NOT NULL` once every writer sets it.',
  docs: `${DOCS}alter-table#add-column`,
  statements: ['alter-table'],
  check(context) {
    const statement = context.statement;
    if (statement.type !== 'alter-table') return;
    const added = statement.commands.filter((c) => c.kind === 'add-column' && needsValue(c.column));
    if (added.length === 0) return;
    if (createdInDocument(context.model, context.model.table(statement.name), context.uri, true)) return;
    for (const command of added) {
      if (command.kind !== 'add-column') continue;
      const name = command.column.name.value;
      context.report(
        command,
        `${name} is NOT NULL without a DEFAULT: adding it fails if ${statement.name.name.value} has rows (each row would get NULL), and INSERTs that do not set ${name} fail once it exists. Give it a DEFAULT, or add it nullable, backfill, then SET NOT NULL.`,
      );
    }
  },
};
