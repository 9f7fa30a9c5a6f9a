// SHOW RANGES [FROM DATABASE | TABLE | INDEX] [WITH DETAILS | TABLES | INDEXES], in CockroachDB's
// v23.2+ shapes, keys relative to the object shown.
import type { RangeState } from '../model/cluster';
import type { Simulator } from '../simulator';
import { OID } from '../wire/messages';
import { rowsResult, type QueryResult } from './result';
import type { Session } from './session';
import { localityText, requireDatabase, requireTable, textArray, unquote, type Row } from './showHelpers';

/**
 * Key order: segment by segment, numbers as numbers, and region names in the order of the
 * region enum (the order they were added to the database), as the encoded keys sort.
 */
export function compareKeys(a: string, b: string, regions: readonly string[] = []): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i] ?? '';
    const q = y[i] ?? '';
    if (p === q) continue;
    if (/^-?\d+$/.test(p) && /^-?\d+$/.test(q)) return Number(p) - Number(q);
    const rp = regions.indexOf(p.replace(/^"|"$/g, ''));
    const rq = regions.indexOf(q.replace(/^"|"$/g, ''));
    if (rp !== -1 && rq !== -1) return rp - rq;
    return p < q ? -1 : 1;
  }
  return x.length - y.length;
}

// ---- SHOW RANGES ----------------------------------------------------------------------------

export function nodeLocality(simulator: Simulator, id: number | undefined): string | null {
  const node = simulator.model.nodes().find((n) => n.id === id);
  return node ? localityText(node) : null;
}

export async function showRanges(
  session: Session,
  sql: string,
  kind: string | undefined,
  target: string | undefined,
  options: string,
): Promise<QueryResult> {
  const simulator = session.simulator;
  await simulator.refreshSpans();
  let ranges: readonly RangeState[] = simulator.model.ranges();
  let relative = '';
  let indexId: number | undefined;
  if (kind === 'database' || kind === undefined) {
    const db = requireDatabase(session, target === undefined ? undefined : unquote(target));
    ranges = ranges.filter((r) => r.database === db.name);
  } else if (kind === 'table') {
    const table = requireTable(session, target ?? '');
    ranges = ranges.filter((r) => r.database === table.database && r.table === table.name);
    relative = `/Table/${table.id}`;
  } else {
    const [tableName, index] = (target ?? '').split('@');
    const table = requireTable(session, tableName ?? '');
    const indexName = index ? unquote(index) : `${table.name}_pkey`;
    ranges = ranges.filter((r) => r.database === table.database && r.table === table.name && r.index === indexName);
    indexId = table.indexes.get(indexName)?.id ?? 1;
    relative = `/Table/${table.id}`;
  }
  const details = options.includes('details');
  const withTables = options.includes('tables');
  const withIndexes = options.includes('indexes');
  // Keys print relative to the table (or index) shown, as CockroachDB prints them.
  const tableId = Number(relative.slice('/Table/'.length));
  const pretty = (key: string): string => {
    if (!relative) return key;
    if (key === relative) return '…/<TableMin>';
    if (key === `/Table/${tableId + 1}`) return '…/<TableMax>';
    if (indexId !== undefined) {
      if (key === `${relative}/${indexId}`) return '…/<IndexMin>';
      if (key === `${relative}/${indexId + 1}`) return '…/<IndexMax>';
      if (key.startsWith(`${relative}/${indexId}/`)) return `…${key.slice(`${relative}/${indexId}`.length)}`;
    }
    if (key.startsWith(`${relative}/`)) return `…${key.slice(relative.length)}`;
    return key.startsWith('/Table/') && Number(key.split('/')[2]) < tableId ? `<before:${key}>` : `<after:${key}>`;
  };
  const columns: (string | [string, number])[] = ['start_key', 'end_key', ['range_id', OID.int8]];
  if (withTables || withIndexes) columns.push('table_name');
  if (withIndexes) columns.push('index_name');
  if (details) columns.push(['range_size_mb', OID.numeric], ['lease_holder', OID.int8], 'lease_holder_locality');
  columns.push(
    ['replicas', OID.int8Array],
    ['replica_localities', OID.textArray],
    ['voting_replicas', OID.int8Array],
    ['non_voting_replicas', OID.int8Array],
    ['learner_replicas', OID.int8Array],
    ['split_enforced_until', OID.timestamp],
  );
  if (details) columns.push(['range_size', OID.int8], ['span_stats', OID.jsonb]);
  const rows = [...ranges]
    .sort(
      (a, b) => compareKeys(a.startKey, b.startKey, simulator.catalog.databases.get(a.database ?? '')?.regions) || a.rangeId - b.rangeId,
    )
    .map((range) => {
      const replicas = [...range.replicas].sort((a, b) => a.nodeId - b.nodeId);
      const row: Row = [pretty(range.startKey), pretty(range.endKey), String(range.rangeId)];
      if (withTables || withIndexes) row.push(range.table ?? null);
      if (withIndexes) row.push(range.index ?? null);
      if (details)
        row.push(
          (range.sizeBytes / 1048576).toFixed(6),
          range.leaseholder === undefined ? null : String(range.leaseholder),
          nodeLocality(simulator, range.leaseholder),
        );
      row.push(
        textArray(replicas.map((r) => r.nodeId)),
        textArray(replicas.map((r) => nodeLocality(simulator, r.nodeId) ?? '')),
        textArray(replicas.filter((r) => r.type === 'voter').map((r) => r.nodeId)),
        textArray(replicas.filter((r) => r.type === 'non-voter').map((r) => r.nodeId)),
        '{}',
        null,
      );
      if (details)
        row.push(
          String(range.sizeBytes),
          JSON.stringify({ approximate_disk_bytes: range.sizeBytes, key_count: 0, live_bytes: range.sizeBytes }),
        );
      return row;
    });
  return rowsResult(sql, columns, rows);
}
