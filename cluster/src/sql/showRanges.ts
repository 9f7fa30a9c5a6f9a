// SHOW RANGES [FROM DATABASE | TABLE | INDEX] [WITH DETAILS | TABLES | INDEXES], in CockroachDB's
// v23.2+ shapes, keys relative to the object shown.
import type * as ast from '../../../sql/src/ast';
import { nodeLocalityText } from '../../../sql/src/locality';
import type { RangeState } from '../model/cluster';
import { OID } from '../wire/messages';
import type { ClusterContext, SqlSession } from './context';
import { rowsResult, type QueryResult } from './result';
import { requireDatabase, textArray, type Row } from './showHelpers';
import { requireTable } from './tables';

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

export function nodeLocality(cluster: ClusterContext, id: number | undefined): string | null {
  const node = cluster.model.nodes().find((n) => n.id === id);
  return node ? nodeLocalityText(node.locality) : null;
}

/** SHOW RANGES [FROM DATABASE d | TABLE t | INDEX t@i] [WITH …]. */
export async function showRanges(session: SqlSession, sql: string, show: ast.Show): Promise<QueryResult> {
  const cluster = session.cluster;
  await cluster.refreshSpans();
  let ranges: readonly RangeState[] = cluster.model.ranges();
  let relative = '';
  let indexId: number | undefined;
  const target = show.target;
  if (target === undefined || target.kind === 'database') {
    const db = requireDatabase(session, target?.name?.name.value);
    ranges = ranges.filter((r) => r.database === db.name);
  } else if (target.kind === 'table') {
    const table = requireTable(session, target.name);
    ranges = ranges.filter((r) => r.database === table.database && r.table === table.name);
    relative = `/Table/${table.id}`;
  } else {
    const table = requireTable(session, target.name);
    const indexName = target.index?.value ?? `${table.name}_pkey`;
    ranges = ranges.filter((r) => r.database === table.database && r.table === table.name && r.index === indexName);
    indexId = table.indexes.get(indexName)?.id ?? 1;
    relative = `/Table/${table.id}`;
  }
  const details = show.options.includes('details');
  const withTables = show.options.includes('tables');
  const withIndexes = show.options.includes('indexes');
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
    .sort((a, b) => compareKeys(a.startKey, b.startKey, cluster.catalog.databases.get(a.database ?? '')?.regions) || a.rangeId - b.rangeId)
    .map((range) => {
      const replicas = [...range.replicas].sort((a, b) => a.nodeId - b.nodeId);
      const row: Row = [pretty(range.startKey), pretty(range.endKey), String(range.rangeId)];
      if (withTables || withIndexes) row.push(range.table ?? null);
      if (withIndexes) row.push(range.index ?? null);
      if (details)
        row.push(
          (range.sizeBytes / 1048576).toFixed(6),
          range.leaseholder === undefined ? null : String(range.leaseholder),
          nodeLocality(cluster, range.leaseholder),
        );
      row.push(
        textArray(replicas.map((r) => r.nodeId)),
        textArray(replicas.map((r) => nodeLocality(cluster, r.nodeId) ?? '')),
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
