// SHOW ZONE CONFIGURATION(S): a target's own zone configuration, or the one it inherits, printed
// as CockroachDB prints raw_config_sql.
import type * as ast from '../../../sql/src/ast';
import { quoteIdent } from '../../../sql/src/names';
import { rawConfigSql, withOverrides } from '../model/zoneConfigSql';
import type { TableMeta } from './catalog';
import type { ClusterContext, SqlSession } from './context';
import { rowsResult, type QueryResult } from './result';
import { allDatabases, requireDatabase, type Row } from './showHelpers';
import { hasOwnMultiRegionZone } from '../model/zoneConfig';
import { databaseZone, defaultRangeZone, regionsOf, zoneFor } from './spans';
import { requireTable } from './tables';
import { showPartitionZone } from './showPartitions';
import { discardedMultiRegionZone } from './multiRegionZones';

/** SHOW ZONE CONFIGURATION FOR RANGE | DATABASE | TABLE | INDEX | PARTITION …. */
export function showZone(session: SqlSession, sql: string, target: ast.ShowTarget): QueryResult {
  const cluster = session.cluster;
  const kind = target.kind;
  if (kind === 'range') {
    // Named ranges other than default (meta, liveness, system) show default's settings here.
    const name = target.name?.name.value ?? 'default';
    return rowsResult(sql, ['target', 'raw_config_sql'], [[`RANGE ${name}`, rawConfigSql(`RANGE ${name}`, defaultRangeZone(cluster))]]);
  }
  if (kind === 'database') {
    const db = requireDatabase(session, target.name?.name.value);
    // A database without a configuration of its own shows the one it inherits.
    const derived = db.primaryRegion !== undefined && !discardedMultiRegionZone(cluster.catalog, `database:${db.name}`);
    if (!derived && !cluster.catalog.zones.has(`database:${db.name}`)) {
      return rowsResult(sql, ['target', 'raw_config_sql'], [['RANGE default', rawConfigSql('RANGE default', defaultRangeZone(cluster))]]);
    }
    const label = `DATABASE ${quoteIdent(db.name)}`;
    return rowsResult(sql, ['target', 'raw_config_sql'], [[label, rawConfigSql(label, databaseZone(cluster, db))]]);
  }
  if (kind === 'table' || kind === 'object') {
    const table = requireTable(session, target.name);
    const db = cluster.catalog.databases.get(table.database);
    // An object without a zone configuration of its own shows the one it inherits.
    if (!hasOwnZone(cluster, table) && db) {
      const derived = db.primaryRegion !== undefined && !discardedMultiRegionZone(cluster.catalog, `database:${db.name}`);
      if (derived || cluster.catalog.zones.has(`database:${db.name}`)) {
        const label = `DATABASE ${quoteIdent(db.name)}`;
        return rowsResult(sql, ['target', 'raw_config_sql'], [[label, rawConfigSql(label, databaseZone(cluster, db))]]);
      }
      return rowsResult(sql, ['target', 'raw_config_sql'], [['RANGE default', rawConfigSql('RANGE default', defaultRangeZone(cluster))]]);
    }
    // A table's own configuration is named as the statement wrote it (CockroachDB's zone specifier).
    const label = `TABLE ${writtenName(target.name, table.name)}`;
    return rowsResult(sql, ['target', 'raw_config_sql'], [[label, rawConfigSql(label, zoneFor(cluster, table))]]);
  }
  if (kind === 'partition') {
    const explicit = showPartitionZone(session, sql, target);
    if (explicit === 'inherited') return showZone(session, sql, { ...target, kind: 'table' });
    if (explicit) return explicit;
    const partition = target.partition?.value ?? '';
    const table = requireTable(session, target.name);
    // A REGIONAL BY ROW partition's configuration discarded with the override: it inherits its table's.
    const index = target.index?.value ?? `${table.name}_pkey`;
    if (discardedMultiRegionZone(cluster.catalog, `partition:${table.database}.${table.name}@${index}#${partition}`)) {
      return showZone(session, sql, { ...target, kind: 'table' });
    }
    const label = `PARTITION ${quoteIdent(partition)} OF INDEX ${table.database}.public.${table.name}@${table.name}_pkey`;
    return rowsResult(sql, ['target', 'raw_config_sql'], [[label, rawConfigSql(label, zoneFor(cluster, table, partition))]]);
  }
  const table = requireTable(session, target.name);
  const index = target.index?.value ?? `${table.name}_pkey`;
  // An index without a configuration of its own shows its table's (or what that inherits).
  const settings = cluster.catalog.zones.get(`index:${table.database}.${table.name}@${index}`);
  if (!settings) return showZone(session, sql, { ...target, kind: 'table' });
  const label = `INDEX ${writtenName(target.name, table.name)}@${quoteIdent(index)}`;
  return rowsResult(sql, ['target', 'raw_config_sql'], [[label, rawConfigSql(label, withOverrides(zoneFor(cluster, table), settings))]]);
}

/** An object's name as written in the statement, each part quoted as CockroachDB quotes it. */
function writtenName(name: ast.QualifiedName | undefined, fallback: string): string {
  const parts = name?.parts.map((p) => quoteIdent(p.value)) ?? [];
  return parts.length > 0 ? parts.join('.') : quoteIdent(fallback);
}

/** A table has a zone configuration of its own: CONFIGURE ZONE, GLOBAL, or homed outside the primary region. */
function hasOwnZone(cluster: ClusterContext, table: TableMeta): boolean {
  if (cluster.catalog.zones.has(`table:${table.database}.${table.name}`)) return true;
  const db = cluster.catalog.databases.get(table.database);
  if (discardedMultiRegionZone(cluster.catalog, `table:${table.database}.${table.name}`)) return false;
  return db !== undefined && table.locality !== undefined && hasOwnMultiRegionZone(regionsOf(db), table.locality);
}

export function showAllZones(session: SqlSession, sql: string): QueryResult {
  const cluster = session.cluster;
  const rows: Row[] = [['RANGE default', rawConfigSql('RANGE default', defaultRangeZone(cluster))]];
  for (const db of allDatabases(cluster)) {
    const derived = db.primaryRegion !== undefined && !discardedMultiRegionZone(cluster.catalog, `database:${db.name}`);
    if (!derived && !cluster.catalog.zones.has(`database:${db.name}`)) continue;
    rows.push([`DATABASE ${quoteIdent(db.name)}`, rawConfigSql(`DATABASE ${quoteIdent(db.name)}`, databaseZone(cluster, db))]);
  }
  for (const table of cluster.catalog.tables.values()) {
    const db = cluster.catalog.databases.get(table.database);
    if (hasOwnZone(cluster, table)) {
      const label = `TABLE ${table.database}.public.${table.name}`;
      rows.push([label, rawConfigSql(label, zoneFor(cluster, table))]);
    }
    if (table.locality?.kind === 'regional-by-row' && db) {
      for (const index of table.indexes.values()) {
        for (const region of db.regions) {
          if (discardedMultiRegionZone(cluster.catalog, `partition:${table.database}.${table.name}@${index.name}#${region}`)) continue;
          const label = `PARTITION "${region}" OF INDEX ${table.database}.public.${table.name}@${index.name}`;
          rows.push([label, rawConfigSql(label, zoneFor(cluster, table, region))]);
        }
      }
    }
  }
  return rowsResult(sql, ['target', 'raw_config_sql'], rows);
}
