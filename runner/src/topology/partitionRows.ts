// Rows per region partition of a REGIONAL BY ROW table, without scanning it on every reading.
// Counting is a full scan (SELECT region, count(*) … GROUP BY), so it runs only when the user asks
// for it; each reading instead estimates from what CockroachDB keeps anyway: the table's newest
// statistics (SHOW STATISTICS: its row count, read from system.table_statistics, no scan) shared
// out by the byte sizes of each partition's ranges (SHOW RANGES … WITH DETAILS, already read).
// The view says which of the two a figure is, and when it was had.
import type { RowCountSource, TopologyDatabase, TopologyRange, TopologyTable } from '../../../protocol/src/topology';
import { quoteIdent } from '../../../sql/src/names';
import { reasonOf } from './failure';
import { parseInteger, parseLocalityText, parseTimestamp } from './parse';
import { Reader, type QueryFn } from './reader';
import { tableSqlName } from './rowLocation';

export interface PartitionRows {
  partitions: { region: string; rows: number }[];
  rowsFrom: RowCountSource;
}

/** Every database region in its order, then regions only the figures name (sorted). */
function inRegionOrder(database: TopologyDatabase, counts: ReadonlyMap<string, number>): { region: string; rows: number }[] {
  const extra = [...counts.keys()].filter((r) => !database.regions.includes(r)).sort();
  return [...database.regions, ...extra].map((region) => ({ region, rows: counts.get(region) ?? 0 }));
}

/** The statement that counts a REGIONAL BY ROW table's rows per region (a full scan). */
export function countRowsSql(table: TopologyTable, database: TopologyDatabase): string {
  const column = parseLocalityText(table.localityText, database.primaryRegion).regionColumn ?? 'crdb_region';
  return `SELECT ${quoteIdent(column)}::STRING AS region, count(*) FROM ${tableSqlName(table.database, table.name)} GROUP BY 1`;
}

export class RowCountError extends Error {}

/** Counts the rows per region now: only on the user's request. `now` stamps the count. */
export async function countPartitionRows(
  query: QueryFn,
  table: TopologyTable,
  database: TopologyDatabase,
  now: () => number = Date.now,
): Promise<PartitionRows> {
  const sql = countRowsSql(table, database);
  const counted = await new Reader(query).read(sql);
  if (!counted.ok)
    throw new RowCountError(
      `Counting the rows of ${table.database}.${table.name} failed: ${reasonOf(counted.error, 'needs SELECT on the table')}`,
    );
  const counts = new Map<string, number>();
  for (const r of counted.rows) if (r.region !== null && r.region !== undefined) counts.set(r.region, parseInteger(r.count) ?? 0);
  return { partitions: inRegionOrder(database, counts), rowsFrom: { how: 'counted', at: now() } };
}

/**
 * The newest statistics' row count shared out by partition bytes. Undefined (with a note in
 * `missing` when a statement was refused) when there are no statistics, or no range of the table
 * could be placed in a partition or sized — a real cluster prints the region enum's bytes in keys,
 * so its ranges' partitions may be unknown; the user can still count on request.
 */
export async function estimatePartitionRows(
  reader: Reader,
  table: TopologyTable,
  database: TopologyDatabase,
  ranges: readonly TopologyRange[],
): Promise<PartitionRows | undefined> {
  const bytes = new Map<string, number>();
  let sized = false;
  for (const r of ranges) {
    if (r.database !== table.database || r.table !== table.name || r.partition === undefined) continue;
    if (r.sizeBytes !== undefined) sized = true;
    bytes.set(r.partition, (bytes.get(r.partition) ?? 0) + (r.sizeBytes ?? 0));
  }
  if (!sized) return undefined;
  const shown = await reader.read(`SHOW STATISTICS FOR TABLE ${tableSqlName(table.database, table.name)}`);
  if (!shown.ok) {
    reader.note(
      `rows per region of ${table.database}.${table.name}: SHOW STATISTICS failed (${reasonOf(shown.error)}); they are counted only on request`,
    );
    return undefined;
  }
  // Every column's statistic of one collection has the table's row count: take the newest.
  let newest: { at: number; rows: number } | undefined;
  for (const s of shown.rows) {
    const at = parseTimestamp(s.created);
    const rows = parseInteger(s.row_count);
    if (at !== undefined && rows !== undefined && (newest === undefined || at > newest.at)) newest = { at, rows };
  }
  if (newest === undefined) return undefined;
  const total = [...bytes.values()].reduce((a, b) => a + b, 0);
  const counts = new Map<string, number>();
  for (const [region, b] of bytes) counts.set(region, total === 0 ? 0 : Math.round((newest.rows * b) / total));
  return { partitions: inRegionOrder(database, counts), rowsFrom: { how: 'estimated', at: newest.at } };
}
