// Flags a primary key whose first column grows with time: every insert lands in the table's
// last range, a hotspot that load-based splitting cannot fix. A migration tool's bookkeeping
// table (flyway_schema_history, goose_db_version, schema_migrations…) gets one row per migration:
// no hotspot, and not the project's to reshape.
//
//   CREATE TABLE events (id SERIAL PRIMARY KEY, kind STRING);          -- flagged
//   CREATE TABLE events (id UUID PRIMARY KEY DEFAULT gen_random_uuid()); -- fine
import type * as ast from '../../../../sql/src/ast';
import { sequentialReason } from '../facts';
import { migrationToolOwning } from '../migrationToolTables';
import { DOCS, type Edit, type Fix, type Rule } from '../rule';

function uuidFix(column: ast.Column): Fix | undefined {
  if (!column.type) return undefined;
  const edits: Edit[] = [{ start: column.type.start, end: column.type.end, newText: 'UUID' }];
  if (column.default) edits.push({ start: column.default.start, end: column.default.end, newText: 'gen_random_uuid()' });
  else if (column.identity && column.identity !== column.type)
    edits.push({ start: column.identity.start, end: column.identity.end, newText: 'DEFAULT gen_random_uuid()' });
  else edits.push({ start: column.type.end, end: column.type.end, newText: ' DEFAULT gen_random_uuid()' });
  return { title: `Make ${column.name.value} a UUID DEFAULT gen_random_uuid()`, edits, preferred: true };
}

export const sequentialPrimaryKey: Rule = {
  id: 'sequential-primary-key',
  defaultSeverity: 'warning',
  title: 'Primary key led by a sequential value (SERIAL, a sequence, unique_rowid(), IDENTITY, now())',
  description:
    'Values that grow with time send every insert to the last range of the table: one node takes all the writes, and load-based splitting cannot help. ' +
    'Use `UUID DEFAULT gen_random_uuid()`, a natural multi-column key, or hash-shard the key with `USING HASH`. ' +
    'Not flagged: the bookkeeping tables migration tools create under their default names (`flyway_schema_history`, `goose_db_version`, `schema_migrations`, `schema_migration`, `databasechangelog`, `django_migrations`, `_prisma_migrations`, `migrations`…), ' +
    'which get one row per applied migration.',
  docs: `${DOCS}performance-best-practices-overview#unique-id-best-practices`,
  statements: ['create-table'],
  check(context) {
    const statement = context.statement;
    if (statement.type !== 'create-table') return;
    const key = statement.primaryKey;
    if (!key || key.usingHash || migrationToolOwning(statement.name.name.value)) return;
    const first = key.columns[0]?.name?.value;
    const column = statement.columns.find((c) => c.name.value === first);
    if (!column) return;
    const reason = sequentialReason(column);
    if (!reason) return;
    const fixes: Fix[] = [];
    const uuid = uuidFix(column);
    if (uuid) fixes.push(uuid);
    fixes.push({
      title: 'Hash-shard the primary key (USING HASH)',
      edits: [{ start: key.columnsEnd, end: key.columnsEnd, newText: ' USING HASH' }],
    });
    context.report(
      column.name,
      `Primary key ${statement.name.name.value}(${first ?? ''}) starts with ${reason}: every insert goes to the same range, a write hotspot. Prefer UUID DEFAULT gen_random_uuid() or USING HASH.`,
      fixes,
    );
  },
};
