// SHOW PARTITIONS FROM TABLE / DATABASE / INDEX, what SHOW CREATE TABLE adds after a table's
// statement (its zone configurations, or the warning that a partitioned table has none), and
// SHOW ZONE CONFIGURATION FROM PARTITION, all from the partitions the catalog keeps on indexes.
import type * as ast from '../../../sql/src/ast';
import { quoteIdent } from '../../../sql/src/names';
import { defaultZoneConfig, type ZoneConfig } from '../model/zoneConfig';
import { rawConfigSql, withOverrides, type ZoneVariable } from '../model/zoneConfigSql';
import type { TableMeta } from './catalog';
import type { ClusterContext, SqlSession } from './context';
import { SqlError, SQLSTATE } from './errors';
import { resolveIndex } from './partitionDdl';
import { flattenPartitions, partitionValueText } from './partitioning';
import { rowsResult, type QueryResult } from './result';
import { requireDatabase, type Row } from './showHelpers';
import { explicitPartitionZone, partitionZoneKey, zoneFor } from './spans';
import { requireTable } from './tables';
import { displayIndexNameSql } from './engineIndexNames';

const COLUMNS = [
  'database_name',
  'table_name',
  'partition_name',
  'parent_partition',
  'column_names',
  'index_name',
  'partition_value',
  'zone_config',
  'full_zone_config',
];

/** A zone's settings as SHOW PARTITIONS prints them: `name = value` lines without CONFIGURE ZONE's header and tabs. */
function settingsText(sql: string): string {
  return sql
    .split('\n')
    .slice(1)
    .map((line) => line.replace(/^\t/, ''))
    .join('\n');
}

/** The variables CONFIGURE ZONE set on a key, as rawConfigSql's `only`. */
function ownVariables(settings: ReadonlyMap<string, string>): ZoneVariable[] {
  return [...settings.keys()] as ZoneVariable[];
}

/** The zone variables a REGIONAL BY ROW partition sets itself (see SHOW ALL ZONE CONFIGURATIONS). */
const REGIONAL_PARTITION_VARIABLES: ZoneVariable[] = ['num_voters', 'voter_constraints', 'lease_preferences'];

/**
 * A REGIONAL BY ROW table's partitions: every index is implicitly partitioned by its region
 * column, one partition per region of the database, named after it.
 */
function regionalByRowRows(cluster: ClusterContext, table: TableMeta, onlyIndex?: string): Row[] {
  const db = cluster.catalog.databases.get(table.database);
  if (!db || table.locality?.kind !== 'regional-by-row') return [];
  const column = table.locality.as ?? 'crdb_region';
  const rows: Row[] = [];
  const indexes = [...table.indexes.values()].sort((a, b) => a.id - b.id);
  for (const index of indexes) {
    if (onlyIndex !== undefined && index.name !== onlyIndex) continue;
    for (const region of [...db.regions].sort()) {
      const overrides = cluster.catalog.zones.get(partitionZoneKey(table, index.name, region));
      const full = overrides ? withOverrides(zoneFor(cluster, table, region), overrides) : zoneFor(cluster, table, region);
      const own = [...new Set([...(overrides ? ownVariables(overrides) : []), ...REGIONAL_PARTITION_VARIABLES])];
      rows.push([
        table.database,
        table.name,
        region,
        null,
        column,
        `${table.name}@${index.name}`,
        `('${region.replace(/'/g, "''")}')`,
        settingsText(rawConfigSql('', full, { only: own })),
        settingsText(rawConfigSql('', full)),
      ]);
    }
  }
  return rows;
}

/** The indexes the engine has for a table (a column's DROP takes its indexes with it there first). */
async function engineIndexNames(cluster: ClusterContext, table: TableMeta): Promise<Set<string>> {
  const result = await cluster.engine.query<{ name: string }>(
    `SELECT ${displayIndexNameSql('ic.relname')} AS name FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
    [table.database, table.name],
  );
  return new Set([`${table.name}_pkey`, ...result.rows.map((r) => r.name)]);
}

async function partitionRows(cluster: ClusterContext, table: TableMeta, onlyIndex?: string): Promise<Row[]> {
  if (table.locality?.kind === 'regional-by-row') return regionalByRowRows(cluster, table, onlyIndex);
  const rows: Row[] = [];
  const existing = await engineIndexNames(cluster, table);
  for (const index of table.indexes.values()) {
    if (!index.partitioning || !existing.has(index.name) || (onlyIndex !== undefined && index.name !== onlyIndex)) continue;
    const paths = new Map<string, string[]>();
    for (const { partition, parent, columns } of flattenPartitions(index.partitioning)) {
      const path = [...(parent === null ? [] : (paths.get(parent) ?? [])), partition.name];
      paths.set(partition.name, path);
      const own = cluster.catalog.zones.get(partitionZoneKey(table, index.name, partition.name));
      const full = explicitPartitionZone(cluster, table, index.name, path);
      rows.push([
        table.database,
        table.name,
        partition.name,
        parent,
        columns.slice(columns.length - (partition.values?.[0]?.length ?? partition.from?.length ?? 0)).join(', '),
        `${table.name}@${index.name}`,
        partitionValueText(partition),
        own ? settingsText(rawConfigSql('', withOverrides(full, own), { only: ownVariables(own) })) : null,
        settingsText(rawConfigSql('', full)),
      ]);
    }
  }
  return rows;
}

export async function showPartitions(
  session: SqlSession,
  sql: string,
  target: ast.ShowTarget | undefined,
): Promise<QueryResult | undefined> {
  const cluster = session.cluster;
  if (target?.kind === 'database') {
    const db = requireDatabase(session, target.name?.name.value);
    const rows: Row[] = [];
    for (const table of cluster.catalog.tablesOf(db.name)) rows.push(...(await partitionRows(cluster, table)));
    rows.sort((a, b) => String(a[1]).localeCompare(String(b[1])) || String(a[2]).localeCompare(String(b[2])));
    return rowsResult(sql, COLUMNS, rows);
  }
  if (target?.kind === 'table') return rowsResult(sql, COLUMNS, await partitionRows(cluster, requireTable(session, target.name)));
  if (target?.kind === 'index') {
    const { table, index } = resolveIndex(session, {
      start: 0,
      end: 0,
      kind: 'index',
      ...(target.name ? { name: target.name } : {}),
      ...(target.index ? { index: target.index } : {}),
    });
    return rowsResult(sql, COLUMNS, await partitionRows(cluster, table, index));
  }
  return undefined;
}

/**
 * What SHOW CREATE TABLE prints after a table outside a multi-region database: its zone
 * configurations (table, indexes, partitions, each as CONFIGURE ZONE with what it sets), or a
 * warning when the table is partitioned and has none.
 */
export function createStatementSuffix(cluster: ClusterContext, table: TableMeta): string {
  if (cluster.catalog.isMultiRegion(table.database)) return '';
  const zones: { partition: string | null; index: string | null; sql: string }[] = [];
  const name = `${table.database}.public.${table.name}`;
  const add = (key: string, partition: string | null, index: string | null, target: string): void => {
    const settings = cluster.catalog.zones.get(key);
    if (!settings) return;
    const zone: ZoneConfig = withOverrides(defaultZoneConfig(), settings);
    zones.push({ partition, index, sql: rawConfigSql(target, zone, { only: ownVariables(settings) }) });
  };
  add(`table:${table.database}.${table.name}`, null, null, `TABLE ${name}`);
  let partitioned = false;
  for (const index of table.indexes.values()) {
    add(`index:${table.database}.${table.name}@${index.name}`, null, index.name, `INDEX ${name}@${index.name}`);
    if (!index.partitioning) continue;
    partitioned = true;
    for (const { partition } of flattenPartitions(index.partitioning))
      add(
        partitionZoneKey(table, index.name, partition.name),
        partition.name,
        index.name,
        `PARTITION ${partition.name} OF INDEX ${name}@${index.name}`,
      );
  }
  // ORDER BY partition_name, index_name: NULLs first.
  const order = (a: string | null, b: string | null): number => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
  zones.sort((a, b) => order(a.partition, b.partition) || order(a.index, b.index));
  if (zones.length > 0) return `;\n${zones.map((z) => z.sql).join(';\n')}`;
  return partitioned ? '\n-- Warning: Partitioned table with no zone configurations.' : '';
}

/**
 * ALTER PARTITION p OF TABLE t / OF INDEX t@i / OF INDEX t@*: the catalog keys of the partitions
 * it configures, or CockroachDB's error when there is no such partition.
 */
export function partitionZoneKeys(session: SqlSession, target: ast.ZoneTarget): string[] {
  const partition = target.partition?.value ?? '';
  const table = requireTable(session, target.name);
  const holders = [...table.indexes.values()].filter(
    (i) => i.partitioning && flattenPartitions(i.partitioning).some((p) => p.partition.name === partition),
  );
  if (target.index) {
    const index = table.indexes.get(target.index.value);
    if (!index) throw new SqlError(SQLSTATE.undefinedObject, `index "${target.index.value}" does not exist`);
    if (!holders.includes(index)) throw new SqlError('XXUUU', `partition "${partition}" does not exist on index "${index.name}"`);
    return [partitionZoneKey(table, index.name, partition)];
  }
  if (holders.length === 0) throw new SqlError('XXUUU', `partition "${partition}" does not exist on table "${table.name}"`);
  if (target.allIndexes) return holders.map((i) => partitionZoneKey(table, i.name, partition));
  const primary = holders.find((i) => i.name === `${table.name}_pkey`);
  if (primary) return [partitionZoneKey(table, primary.name, partition)];
  if (holders.length > 1) throw new SqlError('XXUUU', `partition "${partition}" exists on multiple indexes of table "${table.name}"`);
  return holders.map((i) => partitionZoneKey(table, i.name, partition));
}

/** SHOW ZONE CONFIGURATION FROM PARTITION p OF TABLE t / OF INDEX t@i, for an explicit partition. */
export function showPartitionZone(session: SqlSession, sql: string, target: ast.ShowTarget): QueryResult | 'inherited' | undefined {
  const table = requireTable(session, target.name);
  const partition = target.partition?.value ?? '';
  const index = [...table.indexes.values()].find(
    (i) =>
      (target.index === undefined || i.name === target.index.value) &&
      i.partitioning &&
      flattenPartitions(i.partitioning).some((p) => p.partition.name === partition),
  );
  if (!index?.partitioning) return undefined;
  const path: string[] = [];
  const parents = new Map(flattenPartitions(index.partitioning).map((p) => [p.partition.name, p.parent]));
  for (let at: string | null | undefined = partition; at; at = parents.get(at)) path.unshift(at);
  // Without a zone configuration of its own (or its parents'), a partition shows the one it inherits.
  if (!path.some((p) => session.cluster.catalog.zones.has(partitionZoneKey(table, index.name, p)))) return 'inherited';
  const label = `PARTITION ${quoteIdent(partition)} OF INDEX ${table.database}.public.${table.name}@${index.name}`;
  return rowsResult(
    sql,
    ['target', 'raw_config_sql'],
    [[label, rawConfigSql(label, explicitPartitionZone(session.cluster, table, index.name, path))]],
  );
}

/** The keys ALTER PARTITION … CONFIGURE ZONE writes for a table that is not REGIONAL BY ROW (undefined for one that is). */
export function explicitPartitionZoneKeys(session: SqlSession, target: ast.ZoneTarget): string[] | undefined {
  const table = target.name ? requireTableOrUndefined(session, target.name) : undefined;
  // Tables of a multi-region database are partitioned by their locality only (their zone rules apply).
  if (!table || session.cluster.catalog.isMultiRegion(table.database)) return undefined;
  return partitionZoneKeys(session, target);
}

function requireTableOrUndefined(session: SqlSession, name: ast.QualifiedName): TableMeta | undefined {
  try {
    return requireTable(session, name);
  } catch {
    return undefined;
  }
}
