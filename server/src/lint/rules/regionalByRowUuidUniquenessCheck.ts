// Flags a REGIONAL BY ROW table whose UUID key (the primary key, or a UNIQUE column) has no
// DEFAULT gen_random_uuid(): its unique index is partitioned by region, so every insert (and
// every update of the key) first checks the other regions for the value — a cross-region read.
// CockroachDB skips that check only for a column set by gen_random_uuid(), while the setting
// sql.optimizer.uniqueness_checks_for_gen_random_uuid.enabled stays at its default, false.
//
//   CREATE TABLE users (id UUID PRIMARY KEY, name STRING) LOCALITY REGIONAL BY ROW;  -- flagged
//   CREATE TABLE users (id UUID PRIMARY KEY DEFAULT gen_random_uuid()) LOCALITY REGIONAL BY ROW;  -- fine
import type { ColumnInfo, IndexInfo, Origin } from '../../schema/model';
import { spanAt } from '../../schema/origins';
import { DOCS, type Fix, type Rule } from '../rule';

/** Defaults that make a random version-4 UUID, like gen_random_uuid() but not recognised by the optimizer. */
const OTHER_RANDOM_UUIDS = new Set(['uuid_generate_v4', 'uuid_v4']);

function defaultFix(column: ColumnInfo, at: Origin): Fix | undefined {
  const definition = column.definition;
  // Only on the definition itself, and only when nothing else computes the value.
  if (column.origin !== at || column.alteredBy || definition.computed || definition.identity || !definition.type) return undefined;
  const current = definition.default;
  if (current) {
    if (!current.call || !OTHER_RANDOM_UUIDS.has(current.call)) return undefined;
    return {
      title: `Use DEFAULT gen_random_uuid() for ${column.name}`,
      edits: [{ start: current.start, end: current.end, newText: 'gen_random_uuid()' }],
      preferred: true,
    };
  }
  const end = definition.type.end;
  return {
    title: `Add DEFAULT gen_random_uuid() to ${column.name}`,
    edits: [{ start: end, end, newText: ' DEFAULT gen_random_uuid()' }],
    preferred: true,
  };
}

export const regionalByRowUuidUniquenessCheck: Rule = {
  id: 'regional-by-row-uuid-uniqueness-check',
  defaultSeverity: 'warning',
  title: 'UUID key of a REGIONAL BY ROW table without DEFAULT gen_random_uuid() (a uniqueness check in every region per insert)',
  description:
    'The indexes of a `REGIONAL BY ROW` table are partitioned by region, so a unique key that does not include the region column is enforced by a uniqueness check: ' +
    'every insert, and every update of the key, reads the other regions first. CockroachDB skips the check for a UUID column set by `gen_random_uuid()` ' +
    '(unless `sql.optimizer.uniqueness_checks_for_gen_random_uuid.enabled` is on). Give the key `DEFAULT gen_random_uuid()` and let the database generate it.',
  docs: `${DOCS}alter-table#using-default-gen_random_uuid-in-regional-by-row-tables`,
  checkShape({ table, latest, report }) {
    if (table.locality !== 'regional-by-row') return;
    const asColumn = table.localityOrigin.parsed.statement;
    let regionColumn = 'crdb_region';
    const locality =
      asColumn.type === 'create-table'
        ? asColumn.locality
        : asColumn.type === 'alter-table'
          ? asColumn.commands.flatMap((c) => (c.kind === 'set-locality' ? [c.locality] : [])).pop()
          : undefined;
    if (locality?.kind === 'regional-by-row' && locality.as) regionColumn = locality.as.value;
    // A region computed from the key keeps the key unique by itself: no check is planned.
    if (table.columns.get(regionColumn)?.definition.computed) return;
    const keys: IndexInfo[] = [];
    if (table.primaryIndex) keys.push(table.primaryIndex);
    for (const index of table.indexes) if (index.kind === 'unique' && !index.special) keys.push(index);
    const seen = new Set<string>();
    for (const key of keys) {
      const name = key.columns.length === 1 ? key.columns[0] : undefined;
      if (name === undefined || name === regionColumn || seen.has(name)) continue;
      const column = table.columns.get(name);
      if (column?.type !== 'uuid' || column.default?.call === 'gen_random_uuid') continue;
      seen.add(name);
      const keyOrigin = key.kind === 'primary' ? table.keyOrigin : key.origin;
      const at = latest(column.origin, column.alteredBy, keyOrigin, table.localityOrigin);
      if (!at) continue;
      const fix = defaultFix(column, at);
      const what = key.kind === 'primary' ? 'primary key column' : 'UNIQUE column';
      report(
        at,
        spanAt(at, [column.origin, column.definition.name], [keyOrigin, key.definition]),
        `Table ${table.name} is REGIONAL BY ROW and its ${what} ${name} is a UUID without DEFAULT gen_random_uuid(): every insert checks that ${name} is unique in every region (a cross-region read). ` +
          `CockroachDB skips the check only when the value comes from gen_random_uuid(): give ${name} DEFAULT gen_random_uuid() and leave it out of INSERTs.`,
        fix ? [fix] : [],
      );
    }
  },
};
