// Which partition of an explicitly partitioned index each row falls in, counted by the engine: one
// CASE expression whose branches are the partitions' conditions, most specific first (a LIST value
// with fewer DEFAULTs wins, as CockroachDB matches the longest key prefix). What the conditions
// cannot express (descending keys, collated strings) is counted as not known.
import { quoteIdent } from '../../../sql/src/names';
import type { TableMeta } from './catalog';
import type { ClusterContext } from './context';
import type { PartitioningMeta, PartitionMeta } from './partitioning';

interface Branch {
  condition: string;
  /** The partition's path (parent names first), joined with '.'; '' for rows of no leaf. */
  leaf: string;
}

/** A partition datum as an SQL literal the engine reads, or undefined when it cannot. */
function literal(datum: string): string | undefined {
  return datum.includes(' COLLATE ') || datum.startsWith("e'") ? undefined : datum;
}

/** `col = v AND …` for a LIST tuple up to its first DEFAULT; its specificity is how many columns it fixes. */
function tupleCondition(columns: readonly string[], tuple: readonly string[]): { condition: string; specificity: number } | undefined {
  const parts: string[] = [];
  for (const [i, datum] of tuple.entries()) {
    if (datum === 'DEFAULT') break;
    const column = quoteIdent(columns[i] ?? '');
    if (datum === 'NULL') parts.push(`${column} IS NULL`);
    else {
      const value = literal(datum);
      if (value === undefined) return undefined;
      parts.push(`${column} = ${value}`);
    }
  }
  return { condition: parts.length === 0 ? 'true' : parts.join(' AND '), specificity: parts.length };
}

/** `(a, b) >= (1, 2)` for a RANGE bound, cut at its first MINVALUE / MAXVALUE. */
function boundCondition(columns: readonly string[], bound: readonly string[], lower: boolean): string | undefined {
  const prefix: string[] = [];
  let special: string | undefined;
  for (const datum of bound) {
    if (datum === 'MINVALUE' || datum === 'MAXVALUE') {
      special = datum;
      break;
    }
    const value = literal(datum);
    if (value === undefined || datum === 'NULL') return undefined;
    prefix.push(value);
  }
  if (prefix.length === 0) return special === (lower ? 'MINVALUE' : 'MAXVALUE') ? 'true' : 'false';
  const keys = `(${columns
    .slice(0, prefix.length)
    .map((c) => quoteIdent(c))
    .join(', ')})`;
  const values = `(${prefix.join(', ')})`;
  // Past a MAXVALUE the prefix's keys are all below the bound; at a MINVALUE (or a full key) they start it.
  const operator = lower ? (special === 'MAXVALUE' ? '>' : '>=') : special === 'MAXVALUE' ? '<=' : '<';
  return `${keys} ${operator} ${values}`;
}

function branches(
  partitioning: PartitioningMeta,
  columnsBefore: readonly string[],
  within: string,
  path: readonly string[],
): Branch[] | undefined {
  const columns = [...columnsBefore, ...partitioning.columns];
  const own = partitioning.columns;
  const candidates: { partition: PartitionMeta; condition: string; specificity: number }[] = [];
  for (const partition of partitioning.partitions) {
    if (partition.values) {
      for (const tuple of partition.values) {
        const matched = tupleCondition(own, tuple);
        if (!matched) return undefined;
        candidates.push({ partition, ...matched });
      }
    } else {
      const from = boundCondition(own, partition.from ?? [], true);
      const to = boundCondition(own, partition.to ?? [], false);
      if (from === undefined || to === undefined) return undefined;
      candidates.push({ partition, condition: `${from} AND ${to}`, specificity: own.length });
    }
  }
  candidates.sort((a, b) => b.specificity - a.specificity);
  const result: Branch[] = [];
  for (const candidate of candidates) {
    const condition = `${within} AND (${candidate.condition})`;
    const leafPath = [...path, candidate.partition.name];
    if (candidate.partition.subpartitioning) {
      const inner = branches(candidate.partition.subpartitioning, columns, condition, leafPath);
      if (!inner) return undefined;
      // Rows of the partition that no subpartition holds stay in the partition's own keys.
      result.push(...inner, { condition, leaf: '' });
    } else result.push({ condition, leaf: leafPath.join('.') });
  }
  return result;
}

/**
 * Rows per leaf partition of an index (keys: the partition's path joined with '.'; '' for the rest
 * of the index), or undefined when the partitions' conditions cannot be written for the engine.
 */
export async function rowsPerPartition(
  cluster: ClusterContext,
  table: TableMeta,
  partitioning: PartitioningMeta,
  descending: boolean,
): Promise<Map<string, number> | undefined> {
  if (descending) return undefined;
  const all = branches(partitioning, [], 'true', []);
  if (!all) return undefined;
  const cases = all.map((b) => `WHEN ${b.condition} THEN ${b.leaf === '' ? "''" : `'${b.leaf.replace(/'/g, "''")}'`}`).join(' ');
  const name = `${quoteIdent(table.database)}.${quoteIdent(table.name)}`;
  try {
    const result = await cluster.engine.query<{ leaf: string; n: number }>(
      `SELECT CASE ${cases} ELSE '' END AS leaf, count(*)::float8 AS n FROM ${name} GROUP BY 1`,
    );
    return new Map(result.rows.map((r) => [r.leaf, r.n]));
  } catch {
    return undefined;
  }
}
