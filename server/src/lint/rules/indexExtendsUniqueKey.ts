// Flags an index that starts with all the columns of a unique key (the primary key or a UNIQUE
// constraint) and adds more: the leading columns already identify at most one row, so the
// columns after them never narrow a lookup.
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

/** The unique key whose columns are exactly the index's first columns, in any order, if one is. */
function leadingKey(index: IndexInfo, keys: IndexInfo[]): IndexInfo | undefined {
  return keys.find((key) => {
    if (key.columns.length >= index.columns.length) return false;
    const leading = new Set(index.columns.slice(0, key.columns.length));
    return key.columns.every((c) => leading.has(c));
  });
}

export const indexExtendsUniqueKey: Rule = {
  id: 'index-extends-unique-key',
  defaultSeverity: 'warning',
  title: 'Index that extends a unique key (its leading columns already identify the row)',
  description:
    'When an index starts with every column of the primary key or of a UNIQUE constraint, those columns already find at most one row: the columns after them never narrow a lookup. ' +
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
      const identifies = `${key.columns.length === 1 ? 'identifies' : 'identify'} the row, so ${rest} never narrows a lookup`;
      const why =
        key.kind === 'primary'
          ? `the primary key (${key.columns.join(', ')}) already ${identifies}, and the primary index holds ${rest} too: drop ${name}.`
          : `UNIQUE ${key.name ?? ''} (${key.columns.join(', ')}) already ${identifies}; ${rest} only carries values, which STORING (${rest}) on the unique index does with one index instead of two.`.replace(
              'UNIQUE  (',
              'UNIQUE (',
            );
      report(
        at,
        spanAt(at, [index.origin, index.definition?.name ?? index.definition], [keyOrigin, key.definition]),
        `Index ${name} (${index.columns.join(', ')}) extends a unique key: ${why}`,
      );
    }
  },
};
