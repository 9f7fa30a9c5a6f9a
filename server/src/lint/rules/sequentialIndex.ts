// Flags a secondary index whose first column grows with time (a timestamp defaulting to now(),
// a sequence, unique_rowid()) and is not hash-sharded: its inserts all land on one range. Not on
// a migration tool's bookkeeping table (one row per migration: no hotspot).
//
//   CREATE INDEX ON events (created_at);             -- flagged (created_at DEFAULT now())
//   CREATE INDEX ON events (created_at) USING HASH;  -- fine
import type { SchemaModel } from '../../schema/model';
import type * as ast from '../../../../sql/src/ast';
import { sequentialReason, tableColumn } from '../facts';
import { migrationToolOwning } from '../migrationToolTables';
import { DOCS, type Rule, type RuleContext } from '../rule';

function check(context: RuleContext, index: ast.IndexDef, columns: (name: string) => ast.Column | undefined, tableName: string): void {
  if (index.kind === 'primary' || index.usingHash || index.inverted || index.vector || migrationToolOwning(tableName)) return;
  const first = index.columns[0]?.name;
  if (!first) return;
  const column = columns(first.value);
  if (!column) return;
  const reason = sequentialReason(column);
  if (!reason) return;
  // Descending, the newest values sort first: the hotspot is at the index's other end.
  const end = index.columns[0]?.descending ? 'first' : 'last';
  context.report(
    first,
    `Index ${index.name?.value ?? `on ${tableName}`} starts with ${first.value}, ${reason}: its inserts all go to the ${end} range. Hash-shard it with USING HASH.`,
    [
      {
        title: 'Hash-shard the index (USING HASH)',
        edits: [{ start: index.columnsEnd, end: index.columnsEnd, newText: ' USING HASH' }],
        preferred: true,
      },
    ],
  );
}

function modelColumns(model: SchemaModel, table: ast.QualifiedName): (name: string) => ast.Column | undefined {
  const info = model.table(table);
  return (name) => tableColumn(info, name);
}

export const sequentialIndex: Rule = {
  id: 'sequential-index',
  defaultSeverity: 'warning',
  title: 'Index led by a monotonically increasing column without USING HASH',
  description:
    'An index whose first column increases with time (a timestamp defaulting to `now()`, a sequence, `unique_rowid()`) receives every new entry at its end: one range takes all the writes. ' +
    'A hash-sharded index (`USING HASH`, 16 buckets by default) spreads them; its shard column is virtual since v22.1. ' +
    'Not flagged: the bookkeeping tables migration tools create under their default names (`flyway_schema_history`, `goose_db_version`, `schema_migrations`…), which get one row per applied migration.',
  docs: `${DOCS}hash-sharded-indexes`,
  statements: ['create-table', 'create-index'],
  check(context) {
    const statement = context.statement;
    if (statement.type === 'create-table') {
      for (const index of statement.indexes)
        check(context, index, (name) => statement.columns.find((c) => c.name.value === name), statement.name.name.value);
    } else if (statement.type === 'create-index') {
      check(context, statement.index, modelColumns(context.model, statement.table), statement.table.name.value);
    }
  },
};
