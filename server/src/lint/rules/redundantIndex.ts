// Flags an index whose columns are a prefix of another index, of the primary key or of a
// UNIQUE constraint: every query it serves, the longer one serves too, and each index costs
// a write on every insert.
//
//   INDEX a (account_id), INDEX b (account_id, posted_at)  -- a is redundant
//
// A shape rule: judged on the indexes a migration file leaves, so a file that creates a
// replacement index and drops the old one is not flagged.
import type { IndexInfo } from '../../schema/model';
import { spanAt } from '../../schema/origins';
import { DOCS, type Rule } from '../rule';

function describe(index: IndexInfo): string {
  if (index.kind === 'primary') return `the primary key (${index.columns.join(', ')})`;
  const storing = index.storing && index.storing.length > 0 ? ` STORING (${index.storing.join(', ')})` : '';
  return `${index.name ?? 'an unnamed index'} (${index.columns.join(', ')})${storing}`;
}

/** Whether two indexes store the same columns (in any order). */
function sameStoring(a: IndexInfo, b: IndexInfo): boolean {
  const x = a.storing ?? [];
  const y = b.storing ?? [];
  return x.length === y.length && x.every((c) => y.includes(c));
}

function sameDirections(a: IndexInfo, b: IndexInfo, count: number): boolean {
  for (let i = 0; i < count; i++) if ((a.descending?.[i] ?? false) !== (b.descending?.[i] ?? false)) return false;
  return true;
}

/**
 * Whether `other` serves every query `index` serves. A hash-sharded index leads with its hidden
 * shard column (a hash of all its columns), so it covers only an identical hash-sharded index;
 * a partial, inverted, vector or explicitly partitioned index covers nothing.
 */
function covers(other: IndexInfo, index: IndexInfo): boolean {
  if (other.special) return false;
  const columns = index.columns;
  if (other.columns.length < columns.length) return false;
  if (!columns.every((c, i) => other.columns[i] === c) || !sameDirections(index, other, columns.length)) return false;
  if (index.hashSharded || other.hashSharded) {
    if (!(index.hashSharded && other.hashSharded && other.columns.length === columns.length)) return false;
  }
  // A UNIQUE index guarantees something a wider index does not.
  if (index.kind === 'unique' && !(other.kind !== 'index' && other.columns.length === columns.length)) return false;
  // An index that stores columns the other has not serves queries the other cannot (the primary index has them all).
  if (other.kind !== 'primary' && index.storing?.some((c) => !other.columns.includes(c) && !other.storing?.includes(c))) return false;
  return true;
}

export const redundantIndex: Rule = {
  id: 'redundant-index',
  defaultSeverity: 'warning',
  title: 'Redundant index (a prefix of another index, the primary key or a UNIQUE constraint)',
  description:
    'An index whose columns are a prefix of another index serves no query the other cannot, and every index costs a write on each insert and update. Drop it. ' +
    'Judged on the indexes a migration file leaves: an index it replaces and drops is not flagged.',
  docs: `${DOCS}schema-design-indexes#best-practices`,
  checkShape({ table, latest, report }) {
    const indexes = table.indexes;
    const primary = table.primaryIndex;
    indexes.forEach((index, position) => {
      if (index.special || index.kind === 'primary' || index.columns.length === 0) return;
      const covering = [primary, ...indexes].find((other, i) => {
        if (!other || other === index || !covers(other, index)) return false;
        // Of two identical indexes, the later one is the duplicate; one that also stores more covers the other wherever it is.
        const identical =
          other.columns.length === index.columns.length &&
          other.kind === index.kind &&
          other.hashSharded === index.hashSharded &&
          sameStoring(other, index);
        return !identical || i - 1 < position;
      });
      if (!covering) return;
      const at = latest(index.origin, index.renamedBy, covering.origin, covering.renamedBy);
      if (!at) return;
      report(
        at,
        spanAt(
          at,
          [index.origin, index.definition?.name ?? index.definition],
          [covering.origin, covering.definition?.name ?? covering.definition],
        ),
        `Index ${describe(index)} is redundant: ${describe(covering)} starts with the same columns.`,
      );
    });
  },
};
