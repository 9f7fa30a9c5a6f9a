// SHOW ZONE CONFIGURATION(S): a target's own zone configuration, or the one it inherits, printed
// as CockroachDB prints raw_config_sql.
import { rawConfigSql } from '../model/zoneConfig';
import type { TableMeta } from './catalog';
import { SqlError, SQLSTATE } from './errors';
import { rowsResult, type QueryResult } from './result';
import type { Session } from './session';
import { allDatabases, requireDatabase, requireTable, unquote, type Row } from './showHelpers';
import { databaseZone, defaultRangeZone, zoneFor } from './spans';
import type { Simulator } from '../simulator';

export function showZone(session: Session, sql: string, kind: string, target: string): QueryResult {
  const simulator = session.simulator;
  if (kind === 'range') {
    const name = unquote(target);
    const zone = name === 'default' ? defaultRangeZone(simulator) : defaultRangeZone(simulator);
    return rowsResult(sql, ['target', 'raw_config_sql'], [[`RANGE ${name}`, rawConfigSql(`RANGE ${name}`, zone)]]);
  }
  if (kind === 'database') {
    const db = requireDatabase(session, unquote(target));
    const label = `DATABASE ${db.name}`;
    return rowsResult(sql, ['target', 'raw_config_sql'], [[label, rawConfigSql(label, databaseZone(simulator, db))]]);
  }
  if (kind === 'table') {
    const table = requireTable(session, target);
    const db = simulator.catalog.databases.get(table.database);
    // An object without a zone configuration of its own shows the one it inherits.
    if (!hasOwnZone(simulator, table) && db) {
      if (db.primaryRegion !== undefined || simulator.catalog.zones.has(`database:${db.name}`)) {
        const label = `DATABASE ${db.name}`;
        return rowsResult(sql, ['target', 'raw_config_sql'], [[label, rawConfigSql(label, databaseZone(simulator, db))]]);
      }
      return rowsResult(sql, ['target', 'raw_config_sql'], [['RANGE default', rawConfigSql('RANGE default', defaultRangeZone(simulator))]]);
    }
    const label = `TABLE ${table.database}.public.${table.name}`;
    return rowsResult(sql, ['target', 'raw_config_sql'], [[label, rawConfigSql(label, zoneFor(simulator, table))]]);
  }
  if (kind === 'partition') {
    const m = /^(\S+)\s+of\s+(?:table|index)\s+(\S+)$/i.exec(target);
    if (!m) throw new SqlError(SQLSTATE.syntax, `at or near "${target}": syntax error`);
    const partition = unquote(m[1] ?? '');
    const table = requireTable(session, (m[2] ?? '').split('@')[0] ?? '');
    const label = `PARTITION ${partition} OF INDEX ${table.database}.public.${table.name}@${table.name}_pkey`;
    return rowsResult(sql, ['target', 'raw_config_sql'], [[label, rawConfigSql(label, zoneFor(simulator, table, partition))]]);
  }
  const [tableName, index] = target.split('@');
  const table = requireTable(session, tableName ?? '');
  const label = `INDEX ${table.database}.public.${table.name}@${index ?? `${table.name}_pkey`}`;
  return rowsResult(sql, ['target', 'raw_config_sql'], [[label, rawConfigSql(label, zoneFor(simulator, table))]]);
}

/** A table has a zone configuration of its own: CONFIGURE ZONE, GLOBAL, or homed outside the primary region. */
function hasOwnZone(simulator: Simulator, table: TableMeta): boolean {
  if (simulator.catalog.zones.has(`table:${table.database}.${table.name}`)) return true;
  const locality = table.locality;
  return locality?.kind === 'global' || (locality?.kind === 'regional-by-table' && locality.region !== undefined);
}

export function showAllZones(session: Session, sql: string): QueryResult {
  const simulator = session.simulator;
  const rows: Row[] = [['RANGE default', rawConfigSql('RANGE default', defaultRangeZone(simulator))]];
  for (const db of allDatabases(simulator)) {
    if (db.primaryRegion === undefined && !simulator.catalog.zones.has(`database:${db.name}`)) continue;
    rows.push([`DATABASE ${db.name}`, rawConfigSql(`DATABASE ${db.name}`, databaseZone(simulator, db))]);
  }
  for (const table of simulator.catalog.tables.values()) {
    const db = simulator.catalog.databases.get(table.database);
    if (hasOwnZone(simulator, table)) {
      const label = `TABLE ${table.database}.public.${table.name}`;
      rows.push([label, rawConfigSql(label, zoneFor(simulator, table))]);
    }
    if (table.locality?.kind === 'regional-by-row' && db) {
      for (const index of table.indexes.values()) {
        for (const region of db.regions) {
          const label = `PARTITION "${region}" OF INDEX ${table.database}.public.${table.name}@${index.name}`;
          rows.push([label, rawConfigSql(label, zoneFor(simulator, table, region))]);
        }
      }
    }
  }
  return rowsResult(sql, ['target', 'raw_config_sql'], rows);
}
