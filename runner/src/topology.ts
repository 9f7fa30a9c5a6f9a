// The topology view's introspection adapter: a TopologyModel built only from CockroachDB's own
// introspection statements, so the same code reads a real cluster and the simulated one. Each
// statement the server refuses leaves a sentence in `missing`; a lost connection is thrown.
import { parseNodeLocality, type NodeLocality } from '../../sql/src/locality';
import type { TopologyModel, TopologyRange } from '../../protocol/src/topology';
import { readCatalog, type DatabaseEntry } from './topology/catalog';
import { mergeRegions, readNodes, readRegions } from './topology/cluster';
import { codeOf, isSystemic, reasonOf } from './topology/failure';
import { partitionsOfRanges } from './topology/parse';
import { estimatePartitionRows, type PartitionRows } from './topology/partitionRows';
import { rangeFromRow } from './topology/ranges';
import { readLatency } from './topology/latency';
import { Reader, type QueryFn } from './topology/reader';
import { readGatewayNode, readServerSentence } from './topology/server';

export type { QueryFn } from './topology/reader';
export type { QueryResult } from './topology/parse';

/** Past this many tables in a database, the rest (and their ranges) are left out, and `missing` says so. */
export const MAX_TABLES_PER_DATABASE = 200;

export interface ReadTopologyOptions {
  target: string;
  simulated: boolean;
  /**
   * The table the view has selected: a REGIONAL BY ROW one gets its rows per region, from
   * `counted` when the user had them counted, else estimated from statistics (never a scan).
   */
  focus?: { database?: string; table?: string };
  /** Rows per region counted on the user's request, by `rowCountKey(database, table)`. */
  counted?: ReadonlyMap<string, PartitionRows>;
  maxTablesPerDatabase?: number;
}

const RANGES_NEED = 'needs the admin role or the ZONECONFIG privilege';

export function rowCountKey(database: string, table: string): string {
  return `${database}\u0000${table}`;
}

export async function readTopology(query: QueryFn, options: ReadTopologyOptions): Promise<TopologyModel> {
  const reader = new Reader(query);
  const readAt = Date.now();
  const notCockroachDb = await readServerSentence(reader);
  if (notCockroachDb !== undefined) {
    // Nothing else applies: no ranges, regions or node liveness to read, and no holes to list.
    return {
      readAt,
      target: options.target,
      simulated: options.simulated,
      regions: [],
      nodes: [],
      databases: [],
      tables: [],
      ranges: [],
      missing: [],
      notCockroachDb,
    };
  }
  const regions = await readRegions(reader);
  const nodesRead = await readNodes(reader);
  const catalog = await readCatalog(reader, options.maxTablesPerDatabase ?? MAX_TABLES_PER_DATABASE);
  const { ranges, localities } = await readRanges(reader, catalog, nodesRead?.live);

  const focus = options.focus;
  if (focus?.database !== undefined && focus.table !== undefined) {
    const db = catalog.find((d) => d.database.name === focus.database);
    const entry = db?.tables.find((t) => t.table.name === focus.table);
    if (db && entry?.table.locality === 'regional-by-row') {
      const rows =
        options.counted?.get(rowCountKey(db.database.name, entry.table.name)) ??
        (await estimatePartitionRows(reader, entry.table, db.database, ranges));
      if (rows !== undefined) Object.assign(entry.table, rows);
    }
  }

  const nodes = nodesRead?.nodes ?? [];
  const gatewayNodeId = await readGatewayNode(reader);
  const latency = await readLatency(reader, nodes);
  return {
    readAt,
    target: options.target,
    simulated: options.simulated,
    regions: mergeRegions(regions, [...(nodesRead?.nodes ?? []).map((n) => parseNodeLocality(n.locality)), ...localities]),
    nodes: nodesRead?.nodes ?? [],
    databases: catalog.map((d) => d.database),
    tables: catalog.flatMap((d) => d.tables.map((t) => t.table)),
    ranges,
    missing: reader.missing,
    latency,
    ...(gatewayNodeId === undefined ? {} : { gatewayNodeId }),
  };
}

/**
 * SHOW RANGES FROM TABLE … WITH DETAILS, table by table: FROM DATABASE … WITH TABLES changed its
 * columns in v23.2 and is not everywhere, while the per-table form reads the same on v23.1+ and,
 * without DETAILS, on v22.2. A range two tables share is listed once, under the first.
 */
async function readRanges(
  reader: Reader,
  catalog: readonly DatabaseEntry[],
  live: ReadonlySet<number> | undefined,
): Promise<{ ranges: TopologyRange[]; localities: NodeLocality[] }> {
  const out: TopologyRange[] = [];
  const localities: NodeLocality[] = [];
  const seen = new Set<number>();
  let details = true;
  for (const { database, tables } of catalog) {
    const failed = new Map<string, string[]>();
    for (const entry of tables) {
      const sql = `SHOW RANGES FROM TABLE ${entry.sqlName}`;
      let result = await reader.read(details ? `${sql} WITH DETAILS` : sql);
      if (!result.ok && details && codeOf(result.error) === '42601') {
        // Before v23.1 SHOW RANGES had no options and always showed the leaseholder.
        details = false;
        result = await reader.read(sql);
      }
      if (!result.ok) {
        if (isSystemic(result.error)) {
          reader.note(`ranges: SHOW RANGES is not available (${reasonOf(result.error, RANGES_NEED)}); no ranges are shown`);
          return { ranges: out, localities };
        }
        const reason = reasonOf(result.error, RANGES_NEED);
        failed.set(reason, [...(failed.get(reason) ?? []), entry.table.name]);
        continue;
      }
      const rows = result.rows.flatMap((r) => rangeFromRow(r, { database: database.name, table: entry.table.name }, live) ?? []);
      if (entry.table.locality === 'regional-by-row') {
        const partitions = partitionsOfRanges(
          rows.map((r) => r.range),
          database.regions,
        );
        rows.forEach((r, i) => {
          const partition = partitions[i];
          if (partition !== undefined) r.range.partition = partition;
        });
      }
      for (const { range, localities: where } of rows) {
        localities.push(...where);
        if (seen.has(range.rangeId)) continue;
        seen.add(range.rangeId);
        out.push(range);
      }
    }
    for (const [reason, names] of failed) {
      const list = names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
      reader.note(`ranges of ${database.name} (${list}): SHOW RANGES failed (${reason})`);
    }
  }
  return { ranges: out, localities };
}
