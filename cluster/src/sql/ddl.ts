// Database, region, locality and zone statements: CockroachDB's rules and errors, kept in the
// catalog (and, where rows depend on them, in the engine: one schema per database, and a
// crdb_internal_region domain listing a multi-region database's regions).
import type * as ast from '../../../sql/src/ast';
import type { TableLocalitySpec } from '../../../sql/src/locality';
import { quoteIdent, quoteLiteral } from '../../../sql/src/names';
import type { DatabaseMeta } from './catalog';
import type { SqlSession } from './context';
import { SqlError, SQLSTATE } from './errors';
import { validateZoneSettings } from './zoneValues';
import { zoneSettings } from '../model/zoneConfigSql';
import { defaultRangeZone } from './spans';
import { checkMultiRegionZoneChange, checkTableZoneNotModified, recordZoneChange, resetTableMultiRegionZones } from './multiRegionZones';
import { emptyResult, type QueryResult } from './result';
import { alterToRegionalByRow, checkCreateRegionColumn } from './regionalByRow';
import { resolveParts, resolveTable } from './tables';
import { explicitPartitionZoneKeys } from './showPartitions';

function database(session: SqlSession, name: string): DatabaseMeta {
  const found = session.cluster.catalog.databases.get(name);
  if (!found) throw new SqlError(SQLSTATE.invalidCatalogName, `database "${name}" does not exist`);
  return found;
}

export async function dropDatabase(session: SqlSession, text: string, drop: ast.Drop): Promise<QueryResult> {
  const written = drop.names[0]?.name;
  if (!written) throw new SqlError(SQLSTATE.syntax, 'at or near "EOF": syntax error');
  const name = written.parts.map((p) => p.value).join('.');
  const catalog = session.cluster.catalog;
  if (!catalog.databases.has(name)) {
    if (drop.ifExists) return emptyResult(text, 'DROP DATABASE');
    throw new SqlError(SQLSTATE.invalidCatalogName, `database "${name}" does not exist`);
  }
  const tables = catalog.tablesOf(name);
  if (drop.behavior === 'restrict' && tables.length > 0) {
    throw new SqlError('2BP01', `database "${name}" is not empty and RESTRICT was specified`);
  }
  const result = await session.runEngine(
    text,
    `DROP SCHEMA ${quoteIdent(name)} CASCADE; DELETE FROM crdb_internal.database_regions WHERE database = ${quoteLiteral(name)}`,
    [],
  );
  if (result.error) return result;
  for (const table of tables) catalog.dropTable(name, table.name);
  catalog.databases.delete(name);
  for (const key of [...catalog.zones.keys()]) if (key === `database:${name}`) catalog.zones.delete(key);
  if (session.database === name) session.database = '';
  session.cluster.topologyChanged();
  result.tag = 'DROP DATABASE';
  return result;
}

/** The locality a CREATE TABLE gives its table, checked as CockroachDB checks it. */
export function tableLocalityOnCreate(
  session: SqlSession,
  databaseName: string,
  statement: ast.CreateTable,
): TableLocalitySpec | undefined {
  const db = database(session, databaseName);
  const locality = statement.locality;
  if (locality && !db.primaryRegion) throw notMultiRegion('cannot set LOCALITY on a table in a database that is not multi-region enabled');
  // Any PARTITION BY clause, NOTHING included; an index written UNIQUE is a UNIQUE constraint to CockroachDB.
  const partitionedIndex = statement.indexes.find((i) => i.kind !== 'primary' && i.partitionBy);
  if (db.primaryRegion && (statement.partitionBy || partitionedIndex)) {
    throw new SqlError(
      SQLSTATE.featureNotSupported,
      statement.partitionBy
        ? 'multi-region tables containing PARTITION BY are not supported'
        : `multi-region tables with an ${partitionedIndex?.kind === 'unique' ? 'UNIQUE constraint' : 'INDEX'} containing PARTITION BY are not supported`,
    );
  }
  if (!locality) return db.primaryRegion ? { kind: 'regional-by-table' } : undefined;
  return checkLocality(session, db, locality, statement.columns, statement.name.name.value);
}

function notMultiRegion(message: string): SqlError {
  return new SqlError(
    SQLSTATE.invalidTableDefinition,
    message,
    'database must first be multi-region enabled using ALTER DATABASE ... SET PRIMARY REGION <region>',
  );
}

function checkLocality(
  session: SqlSession,
  db: DatabaseMeta,
  locality: ast.Locality,
  columns: readonly ast.Column[] | undefined,
  table: string,
): TableLocalitySpec {
  if (locality.kind === 'global') return { kind: 'global' };
  if (locality.kind === 'regional-by-table') {
    const region = locality.region?.value;
    if (region === undefined || locality.inPrimaryRegion) return { kind: 'regional-by-table' };
    if (!db.regions.includes(region)) {
      const id = session.cluster.catalog.table(db.name, table)?.id ?? session.cluster.catalog.peekId();
      throw new SqlError(
        SQLSTATE.invalidTableDefinition,
        `relation "${table}" (${id}): invalid locality config: region "${region}" has not been added to database "${db.name}"`,
        `available regions: ${[...db.regions].sort().join(', ')}`,
      );
    }
    return { kind: 'regional-by-table', region };
  }
  const as = locality.as?.value;
  if (columns) return checkCreateRegionColumn(db, columns, as);
  return as === undefined ? { kind: 'regional-by-row' } : { kind: 'regional-by-row', as };
}

export async function alterTableLocality(
  session: SqlSession,
  text: string,
  statement: ast.AlterTable,
  locality: ast.Locality,
): Promise<QueryResult> {
  const cluster = session.cluster;
  const table = resolveTable(session, statement.name);
  if (!table && statement.ifExists) return emptyResult(text, 'ALTER TABLE SET LOCALITY');
  if (!table)
    throw new SqlError(SQLSTATE.undefinedTable, `relation "${statement.name.parts.map((p) => p.value).join('.')}" does not exist`);
  const db = database(session, table.database);
  if (!db.primaryRegion) throw notMultiRegion("cannot alter a table's LOCALITY if its database is not multi-region enabled");
  const next = checkLocality(session, db, locality, undefined, table.name);
  checkTableZoneNotModified(session, table);
  if (next.kind === 'regional-by-row') {
    if (table.partitions)
      throw new SqlError(SQLSTATE.featureNotSupported, 'cannot set a table to REGIONAL BY ROW when it is explicitly partitioned');
    const change = await alterToRegionalByRow(session, table, db, next.as);
    if (change === 'unchanged') return emptyResult(text, 'ALTER TABLE SET LOCALITY');
    if (change.sql.length > 0) {
      const added = await session.runEngine(text, change.sql.join(';\n'), []);
      if (added.error) return added;
    }
    if (change.hidden) table.hidden.add(change.hidden);
  }
  table.locality = next;
  resetTableMultiRegionZones(session, table);
  cluster.topologyChanged();
  // Rows are counted by the REGIONAL BY ROW column, which may be new.
  cluster.dataChanged([table]);
  return emptyResult(text, 'ALTER TABLE SET LOCALITY');
}

const ZONE_VARIABLES = new Set([
  'range_min_bytes',
  'range_max_bytes',
  'gc.ttlseconds',
  'num_replicas',
  'num_voters',
  'constraints',
  'voter_constraints',
  'lease_preferences',
  'global_reads',
]);

/** The catalog key a zone target is kept under: `database:d`, `table:d.t`, `index:d.t@i`, `partition:d.t@i#p`, `range:default`. */
export function zoneKey(session: SqlSession, target: ast.ZoneTarget): string {
  const parts = target.name?.parts.map((p) => p.value) ?? [];
  switch (target.kind) {
    case 'database':
      return `database:${parts[0] ?? session.database}`;
    case 'range':
      return `range:${parts[0] ?? 'default'}`;
    case 'table': {
      const { database: db, name } = resolveParts(session, parts);
      return `table:${db}.${name}${target.partition ? `#${target.partition.value}` : ''}`;
    }
    case 'index':
    case 'partition': {
      // `t@i`, or an index named alone (`ALTER INDEX i …`: its table is not looked up).
      const { database: db, name } = resolveParts(session, parts);
      return `${target.kind}:${db}.${name}@${target.index?.value ?? ''}${target.partition ? `#${target.partition.value}` : ''}`;
    }
  }
}

/** CONFIGURE ZONE reports the zone configuration row it wrote: cockroach sql prints `CONFIGURE ZONE 1`. */
const CONFIGURE_ZONE_TAG = 'CONFIGURE ZONE 1';

export function configureZone(session: SqlSession, text: string, zone: ast.ConfigureZone, partitionKey?: string): QueryResult {
  const target = zone.target;
  if (!target) throw new SqlError(SQLSTATE.syntax, 'at or near "configure": syntax error');
  // A partition written with PARTITION BY: its index's partition (or, OF INDEX t@*, every index's).
  const partitionKeys = partitionKey === undefined && target.kind === 'partition' ? explicitPartitionZoneKeys(session, target) : undefined;
  if (partitionKeys) return partitionKeys.map((k) => configureZone(session, text, zone, k))[0] ?? emptyResult(text, CONFIGURE_ZONE_TAG);
  const key = partitionKey ?? zoneKey(session, target);
  const catalog = session.cluster.catalog;
  if (key.startsWith('database:') && !catalog.databases.has(key.slice(9)))
    throw new SqlError(SQLSTATE.invalidCatalogName, `database "${key.slice(9)}" does not exist`);
  if (key.startsWith('table:')) {
    const [db, table] = key.slice(6).split('#')[0]?.split('.') ?? [];
    if (!catalog.table(db ?? '', table ?? '')) throw new SqlError(SQLSTATE.undefinedTable, `relation "${table ?? ''}" does not exist`);
  }
  checkMultiRegionZoneChange(session, key, zone);
  if (zone.discard) catalog.zones.delete(key);
  // USING DEFAULT: RANGE default goes back to the built-in configuration; any other target takes
  // RANGE default's current one as its own.
  else if (zone.useDefault) {
    if (key === 'range:default') catalog.zones.delete(key);
    else catalog.zones.set(key, zoneSettings(defaultRangeZone(session.cluster)));
  } else {
    const settings = new Map(catalog.zones.get(key) ?? []);
    for (const setting of zone.settings) {
      const name = setting.name.toLowerCase();
      if (!ZONE_VARIABLES.has(name)) throw new SqlError(SQLSTATE.invalidParameterValue, `unsupported zone config parameter: "${name}"`);
      if (setting.value.word === 'default' && setting.value.string === undefined) settings.delete(name);
      else settings.set(name, setting.value.string ?? setting.value.text.trim());
    }
    const replicas = Number(settings.get('num_replicas') ?? NaN);
    const voters = Number(settings.get('num_voters') ?? NaN);
    if (!Number.isNaN(replicas) && replicas < 1) throw new SqlError(SQLSTATE.invalidParameterValue, `at least one replica is required`);
    if (!Number.isNaN(replicas) && !Number.isNaN(voters) && voters > replicas) {
      throw new SqlError(SQLSTATE.invalidParameterValue, `num_voters cannot be greater than num_replicas`);
    }
    validateZoneSettings(settings);
    catalog.zones.set(key, settings);
  }
  recordZoneChange(session, key, zone);
  session.cluster.topologyChanged();
  return emptyResult(text, CONFIGURE_ZONE_TAG);
}
