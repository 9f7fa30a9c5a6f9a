// Flags an index whose first columns are a unique key (the primary key or a UNIQUE constraint),
// in the key's order, followed by more: the key's own index already serves every seek and order
// the longer one does (the key identifies at most one row, so the columns after it never narrow
// a lookup). The order matters: (nid, sid, kid, created_at) beside UNIQUE (sid, kid, nid) serves
// lookups by nid, or nid and sid, that the unique index cannot — it is not flagged.
//
//   CREATE TABLE x (id UUID PRIMARY KEY, nid INT8);
//   CREATE INDEX x_id_nid_idx ON x (id, nid);   -- flagged: the primary key already finds the row, with nid in it
import type { IndexInfo } from '../../schema/model';
import { spanAt } from '../../schema/origins';
import { DOCS, type Rule } from '../rule';

/** A key that identifies rows: not partial, not hash-sharded (those do not keep the columns' order). */
function usableKey(index: IndexInfo | undefined): index is IndexInfo {
  return index !== undefined && index.kind !== 'index' && !index.special && !index.hashSharded && index.columns.length > 0;
}

/** Whether the index's key columns are written DESC where the key's are (or everywhere they are not: a reverse scan). */
function sameOrder(index: IndexInfo, key: IndexInfo): boolean {
  const descending = (info: IndexInfo, i: number): boolean => info.descending?.[i] === true;
  const same = key.columns.every((_, i) => descending(index, i) === descending(key, i));
  const reversed = key.columns.every((_, i) => descending(index, i) !== descending(key, i));
  return same || reversed;
}

/** The unique key whose columns are the index's first columns, in the same order, if one is. */
function leadingKey(index: IndexInfo, keys: IndexInfo[]): IndexInfo | undefined {
  return keys.find(
    (key) => key.columns.length < index.columns.length && key.columns.every((c, i) => index.columns[i] === c) && sameOrder(index, key),
  );
}

export const indexExtendsUniqueKey: Rule = {
  id: 'index-extends-unique-key',
  defaultSeverity: 'warning',
  title: 'Index that extends a unique key (its leading columns already identify the row)',
  description:
    'When an index starts with the columns of the primary key or of a UNIQUE constraint, in the same order, those columns already find at most one row: the columns after them never narrow a lookup, ' +
    "and the key's own index serves every seek and sort the longer one does. (Key columns in another order are not flagged: such an index serves prefixes the key's index cannot.) " +
    'Extending the primary key gives nothing the primary index (which holds every column) does not; extending a UNIQUE key only carries values, ' +
    'which `STORING` on the unique index does with one index instead of two. Each index costs a write on every insert.',
  docs: `${DOCS}schema-design-indexes#best-practices`,
  checkShape({ table, latest, report }) {
    const keys: IndexInfo[] = [];
    if (usableKey(table.primaryIndex)) keys.push(table.primaryIndex);
    for (const index of table.indexes) if (usableKey(index)) keys.push(index);
    if (keys.length === 0) return;
    for (const index of table.indexes) {
      // STORING, partial, inverted, hash-sharded and UNIQUE indexes (a foreign key may need the
      // wider unique key) are made on purpose.
      if (index.kind !== 'index' || index.special || index.hashSharded || (index.storing?.length ?? 0) > 0) continue;
      const key = leadingKey(index, keys);
      if (!key) continue;
      const keyOrigin = key.kind === 'primary' ? table.keyOrigin : key.origin;
      const at = latest(index.origin, index.renamedBy, keyOrigin);
      if (!at) continue;
      const rest = index.columns.slice(key.columns.length).join(', ');
      const name = index.name ?? 'an unnamed index';
      const identifies = `identifies the row, so ${rest} never narrows a lookup`;
      const why =
        key.kind === 'primary'
          ? `the primary key (${key.columns.join(', ')}) already ${identifies}, and the primary index holds ${rest} too: drop ${name}.`
          : `${key.name ? `UNIQUE ${key.name}` : 'a UNIQUE constraint'} (${key.columns.join(', ')}) already ${identifies}; ${rest} only carries values, which STORING (${rest}) on the unique index does with one index instead of two.`;
      report(
        at,
        spanAt(at, [index.origin, index.definition?.name ?? index.definition], [keyOrigin, key.definition]),
        `Index ${name} (${index.columns.join(', ')}) extends a unique key: ${why}`,
      );
    }
  },
};
