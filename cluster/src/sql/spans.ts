// The model's input: one span per table index, or per region partition of an index for a
// REGIONAL BY ROW table, with its size from the engine and the zone configuration CockroachDB
// would derive for it (multi-region rules first, then what CONFIGURE ZONE wrote).
import type { SpanInput } from '../model/cluster';
import {
  databaseZoneConfig,
  defaultZoneConfig,
  hasOwnMultiRegionZone,
  partitionZoneConfig,
  tableZoneConfig,
  type DatabaseRegions,
  type ZoneConfig,
} from '../model/zoneConfig';
import { withOverrides } from '../model/zoneConfigSql';
import type { TableLocalitySpec } from '../../../sql/src/locality';
import { quoteIdent } from '../../../sql/src/names';
import type { ClusterContext } from './context';
import type { DatabaseMeta, TableMeta } from './catalog';
import type { PartitioningMeta } from './partitioning';
import { rowsPerPartition } from './partitionRows';
import { discardedMultiRegionZone, tableZoneSource } from './multiRegionZones';
import { displayIndexNameSql } from './engineIndexNames';

interface IndexSize {
  name: string;
  bytes: number;
  primary: boolean;
}

export function regionsOf(db: DatabaseMeta): DatabaseRegions {
  const regions: DatabaseRegions = { name: db.name, regions: db.regions, survival: db.survival, placement: db.placement };
  if (db.primaryRegion !== undefined) regions.primaryRegion = db.primaryRegion;
  if (db.secondaryRegion !== undefined) regions.secondaryRegion = db.secondaryRegion;
  return regions;
}

/** RANGE default: CockroachDB's defaults, the simulator's lesson range size, CONFIGURE ZONE. */
export function defaultRangeZone(simulator: ClusterContext): ZoneConfig {
  let zone = defaultZoneConfig();
  if (simulator.rangeMaxBytes !== undefined)
    zone = { ...zone, rangeMaxBytes: simulator.rangeMaxBytes, rangeMinBytes: Math.min(zone.rangeMinBytes, simulator.rangeMaxBytes / 4) };
  const settings = simulator.catalog.zones.get('range:default');
  return settings ? withOverrides(zone, settings) : zone;
}

/** The zone configuration a table (or one of its partitions) gets, before index overrides. */
export function zoneFor(simulator: ClusterContext, table: TableMeta, partition?: string): ZoneConfig {
  const catalog = simulator.catalog;
  const db = catalog.databases.get(table.database);
  let zone = defaultRangeZone(simulator);
  if (db?.primaryRegion !== undefined) {
    const regions = regionsOf(db);
    const locality: TableLocalitySpec = table.locality ?? { kind: 'regional-by-table' };
    // A configuration discarded with override_multi_region_zone_config leaves what it inherits.
    const source = partition !== undefined ? 'own' : tableZoneSource(catalog, table, hasOwnMultiRegionZone(regions, locality));
    const derived =
      partition !== undefined
        ? partitionZoneConfig(regions, partition)
        : source === 'own'
          ? tableZoneConfig(regions, locality)
          : databaseZoneConfig(regions);
    if (source !== 'default') zone = { ...derived, rangeMaxBytes: zone.rangeMaxBytes, rangeMinBytes: zone.rangeMinBytes };
  }
  const overrides = [`database:${table.database}`, `table:${table.database}.${table.name}`];
  if (partition !== undefined) overrides.push(`table:${table.database}.${table.name}#${partition}`);
  for (const key of overrides) {
    const settings = catalog.zones.get(key);
    if (settings) zone = withOverrides(zone, settings);
  }
  return zone;
}

/**
 * The zone configuration of an explicit partition (PARTITION BY LIST / RANGE): the table's, then
 * what CONFIGURE ZONE wrote for the index, each enclosing partition, and the partition itself.
 */
export function explicitPartitionZone(simulator: ClusterContext, table: TableMeta, index: string, path: readonly string[]): ZoneConfig {
  let zone = zoneFor(simulator, table);
  const keys = [`index:${table.database}.${table.name}@${index}`, ...path.map((p) => partitionZoneKey(table, index, p))];
  for (const key of keys) {
    const settings = simulator.catalog.zones.get(key);
    if (settings) zone = withOverrides(zone, settings);
  }
  return zone;
}

/** Where CONFIGURE ZONE's settings for a partition of an index are kept in the catalog. */
export function partitionZoneKey(table: TableMeta, index: string, partition: string): string {
  return `partition:${table.database}.${table.name}@${index}#${partition}`;
}

/** The zone configuration of a database (SHOW ZONE CONFIGURATION FROM DATABASE). */
export function databaseZone(simulator: ClusterContext, db: DatabaseMeta): ZoneConfig {
  const derived = db.primaryRegion !== undefined && !discardedMultiRegionZone(simulator.catalog, `database:${db.name}`);
  const base = derived ? databaseZoneConfig(regionsOf(db)) : defaultZoneConfig();
  const settings = simulator.catalog.zones.get(`database:${db.name}`);
  return settings ? withOverrides(base, settings) : base;
}

async function indexSizes(simulator: ClusterContext, table: TableMeta): Promise<IndexSize[]> {
  const result = await simulator.engine.query<{ name: string; bytes: number; primary: boolean }>(
    `SELECT ${displayIndexNameSql('ic.relname')} AS name, i.indisprimary AS primary,
            (CASE WHEN i.indisprimary THEN pg_table_size(c.oid) ELSE pg_relation_size(ic.oid) END)::float8 AS bytes
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
      WHERE i.indrelid = to_regclass($1) ORDER BY i.indisprimary DESC, ic.oid`,
    // By oid (looked up once), not joined by name over every relation: measuring each new table
    // after thousands were created cost more with each one.
    [`${quoteIdent(table.database)}.${quoteIdent(table.name)}`],
  );
  return result.rows;
}

async function rowsPerRegion(simulator: ClusterContext, table: TableMeta): Promise<Map<string, number>> {
  const column = table.locality?.kind === 'regional-by-row' ? (table.locality.as ?? 'crdb_region') : undefined;
  const name = `${quoteIdent(table.database)}.${quoteIdent(table.name)}`;
  const counts = new Map<string, number>();
  if (column === undefined) {
    const result = await simulator.engine.query<{ n: number }>(`SELECT count(*)::float8 AS n FROM ${name}`);
    counts.set('', result.rows[0]?.n ?? 0);
    return counts;
  }
  const result = await simulator.engine.query<{ region: string; n: number }>(
    `SELECT ${quoteIdent(column)}::text AS region, count(*)::float8 AS n FROM ${name} GROUP BY 1`,
  );
  for (const row of result.rows) counts.set(row.region, row.n);
  return counts;
}

/** A key value as CockroachDB pretty-prints it: numbers bare, everything else quoted. */
function prettyValue(value: unknown): string {
  const text = String(value);
  return /^-?\d+(\.\d+)?$/.test(text) ? text : JSON.stringify(text);
}

/**
 * Up to 64 primary key values, evenly spaced through the table, as key suffixes after
 * /Table/<id> (e.g. `/1/"seattle"`): the split points a large table's ranges start at.
 */
async function sampleBoundaries(simulator: ClusterContext, table: TableMeta, rows: number): Promise<string[]> {
  const name = `${quoteIdent(table.database)}.${quoteIdent(table.name)}`;
  const key = await simulator.engine.query<{ attname: string }>(
    `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`,
    [name],
  );
  const columns = key.rows.map((r) => quoteIdent(r.attname));
  if (columns.length === 0) return [];
  const step = Math.max(1, Math.ceil(rows / 64));
  const sample = await simulator.engine.query<Record<string, unknown>>(
    `SELECT ${columns.join(', ')} FROM (SELECT ${columns.join(', ')}, row_number() OVER (ORDER BY ${columns.join(', ')}) AS n FROM ${name}) s
      WHERE n % ${step} = 1 AND n > 1 ORDER BY ${columns.join(', ')}`,
  );
  return sample.rows.map((row) => `/1/${Object.values(row).map(prettyValue).join('/')}`);
}

interface Measurement {
  sizes: IndexSize[];
  counts: Map<string, number>;
  totalRows: number;
  /** Rows per partition of each explicitly partitioned index (see partitionRows.ts); undefined: not known. */
  partitionCounts?: Map<string, Map<string, number> | undefined>;
  /** Sampled split points, once a span of the table outgrew its range size. */
  boundaries?: string[];
}

/**
 * What measuring each table found: its index sizes and rows per region, which cost a scan of the
 * table. Kept until a statement changes that table's data, indexes or REGIONAL BY ROW column
 * (what a measurement depends on; zones and a database's regions are applied when the spans are
 * built), so a write re-measures what it wrote and nothing else. Keyed by the catalog entry: a
 * dropped table's measurement goes with it.
 */
export class TableMeasurements {
  private measured = new WeakMap<TableMeta, Measurement>();
  /** How many times a table has been measured (the tests and the bench count them). */
  count = 0;
  /** Called with each table measured, for tests that check which. */
  onMeasured: ((table: TableMeta) => void) | undefined;

  forget(table: TableMeta): void {
    this.measured.delete(table);
  }

  forgetAll(): void {
    this.measured = new WeakMap();
  }

  async of(simulator: ClusterContext, table: TableMeta): Promise<Measurement> {
    const known = this.measured.get(table);
    if (known) return known;
    const [sizes, counts] = await Promise.all([indexSizes(simulator, table), rowsPerRegion(simulator, table)]);
    const measurement: Measurement = { sizes, counts, totalRows: [...counts.values()].reduce((a, b) => a + b, 0) };
    if (table.locality?.kind !== 'regional-by-row') {
      for (const index of table.indexes.values()) {
        if (!index.partitioning) continue;
        measurement.partitionCounts ??= new Map();
        measurement.partitionCounts.set(
          index.name,
          await rowsPerPartition(simulator, table, index.partitioning, index.partitioning.descendingKey === true),
        );
      }
    }
    this.count++;
    this.onMeasured?.(table);
    this.measured.set(table, measurement);
    return measurement;
  }
}

export async function computeSpans(simulator: ClusterContext, measurements: TableMeasurements): Promise<SpanInput[]> {
  const spans: SpanInput[] = [];
  for (const table of simulator.catalog.tables.values()) {
    const db = simulator.catalog.databases.get(table.database);
    if (!db) continue;
    const measurement = await measurements.of(simulator, table);
    const { sizes, counts, totalRows } = measurement;
    const partitions = table.locality?.kind === 'regional-by-row' ? db.regions : [undefined];
    for (const size of sizes) {
      const meta = table.indexes.get(size.primary ? `${table.name}_pkey` : size.name);
      const indexName = size.primary ? `${table.name}_pkey` : size.name;
      const indexId = size.primary ? 1 : (meta?.id ?? 2);
      if (meta?.partitioning && table.locality?.kind !== 'regional-by-row') {
        const partitionCounts = measurement.partitionCounts?.get(indexName);
        spans.push(
          ...explicitPartitionSpans(simulator, table, indexName, indexId, meta.partitioning, size.bytes, totalRows, partitionCounts),
        );
        continue;
      }
      for (const partition of partitions) {
        const rows = partition === undefined ? totalRows : (counts.get(partition) ?? 0);
        const share = totalRows === 0 ? (partition === undefined ? 1 : 1 / partitions.length) : rows / totalRows;
        const span: SpanInput = {
          key: `${table.database}.public.${table.name}@${indexName}${partition === undefined ? '' : `#${partition}`}`,
          database: table.database,
          table: table.name,
          index: indexName,
          tableId: table.id,
          indexId,
          sizeBytes: Math.round(size.bytes * share),
          rows,
          zone: zoneFor(simulator, table, partition),
        };
        if (partition !== undefined) span.partition = partition;
        else if (size.primary && span.sizeBytes > span.zone.rangeMaxBytes)
          span.boundaries = measurement.boundaries ??= await sampleBoundaries(simulator, table, rows);
        spans.push(span);
      }
    }
  }
  return spans;
}

/**
 * An explicitly partitioned index: one span per partition without subpartitions, placed by its own
 * zone configuration (the table's, overridden by its index's and its partitions'), and one for the
 * keys no partition holds. The index's size is shared by the rows each holds (evenly when the
 * rows could not be matched to partitions).
 */
function explicitPartitionSpans(
  simulator: ClusterContext,
  table: TableMeta,
  index: string,
  indexId: number,
  partitioning: PartitioningMeta,
  bytes: number,
  rows: number,
  counts?: Map<string, number>,
): SpanInput[] {
  const leaves: { path: string[]; key: string }[] = [];
  const pretty = (v: string): string => `/${v.startsWith("'") ? JSON.stringify(v.slice(1, -1).replace(/''/g, "'")) : v}`;
  const walk = (p: PartitioningMeta, path: string[], prefix: string): void => {
    // A partition's keys start at its first value; a DEFAULT partition's just past its siblings'.
    const starts = p.partitions.map((partition) => {
      const first = partition.values?.[0] ?? partition.from ?? [];
      const fixed = first.slice(0, first.includes('DEFAULT') ? first.indexOf('DEFAULT') : first.length);
      return { partition, fixed, key: `${prefix}${fixed.map(pretty).join('')}` };
    });
    const siblings = starts.filter((s) => s.fixed.length > 0).map((s) => s.key);
    const last = siblings.sort().pop();
    for (const { partition, fixed, key: start } of starts) {
      const key = fixed.length > 0 ? start : last !== undefined ? `${last}/PrefixEnd` : prefix;
      if (partition.subpartitioning) walk(partition.subpartitioning, [...path, partition.name], key);
      else leaves.push({ path: [...path, partition.name], key });
    }
  };
  walk(partitioning, [], '');
  const count = leaves.length + 1;
  const base = `${table.database}.public.${table.name}@${index}`;
  const share = (leaf: string): { rows: number; sizeBytes: number } => {
    if (!counts || rows === 0) return { rows: Math.round(rows / count), sizeBytes: Math.round(bytes / count) };
    const held = counts.get(leaf) ?? 0;
    return { rows: held, sizeBytes: Math.round((bytes * held) / rows) };
  };
  const span = (key: string, zone: ZoneConfig, partition?: { name: string; key: string }, leaf = ''): SpanInput => ({
    key,
    database: table.database,
    table: table.name,
    index,
    tableId: table.id,
    indexId,
    ...share(leaf),
    zone,
    ...(partition ? { partition: partition.name, partitionKey: partition.key } : {}),
  });
  const indexZone = explicitPartitionZone(simulator, table, index, []);
  return [
    span(base, indexZone),
    ...leaves.map((leaf) => {
      const name = leaf.path[leaf.path.length - 1] ?? '';
      const zone = explicitPartitionZone(simulator, table, index, leaf.path);
      return span(`${base}#${leaf.path.join('.')}`, zone, { name, key: leaf.key }, leaf.path.join('.'));
    }),
  ];
}
