// Database, region, locality and zone statements: CockroachDB's rules and errors, kept in the
// catalog (and, where rows depend on them, in the engine: one schema per database, and a
// crdb_internal_region domain listing a multi-region database's regions).
import type * as ast from '../../../sql/src/ast';
import type { TableLocalitySpec } from '../../../sql/src/locality';
import { quoteIdent, quoteLiteral } from '../../../sql/src/names';
import type { DatabaseMeta } from './catalog';
import type { SqlSession } from './context';
import { notSimulated, SqlError, SQLSTATE } from './errors';
import { validateZoneSettings } from './zoneValues';
import { emptyResult, notice, type QueryResult } from './result';
import { alterToRegionalByRow, checkCreateRegionColumn } from './regionalByRow';
import { resolveParts, resolveTable } from './tables';
import { explicitPartitionZoneKeys } from './showPartitions';

const INVALID_DATABASE_DEFINITION = '42P12';

function clusterRegions(session: SqlSession): string[] {
  return [...new Set(session.cluster.model.nodes().map((n) => n.locality.region))].sort();
}

function checkClusterRegion(session: SqlSession, region: string): void {
  const regions = clusterRegions(session);
  if (!regions.includes(region)) {
    throw new SqlError(
      SQLSTATE.invalidName,
      `region "${region}" does not exist`,
      regions.length > 0
        ? `valid regions: ${regions.join(', ')}`
        : 'regions must be defined at node startup, e.g. cockroach start --locality=region=<name>',
    );
  }
}

function database(session: SqlSession, name: string): DatabaseMeta {
  const found = session.cluster.catalog.databases.get(name);
  if (!found) throw new SqlError(SQLSTATE.invalidCatalogName, `database "${name}" does not exist`);
  return found;
}

/** The engine's copy of a database's regions: the domain REGIONAL BY ROW columns use, and the table defaults read. */
async function syncRegions(session: SqlSession, db: DatabaseMeta): Promise<void> {
  const schema = quoteIdent(db.name);
  const values = db.regions.map(quoteLiteral).join(', ');
  const statements = [
    `DELETE FROM crdb_internal.database_regions WHERE database = ${quoteLiteral(db.name)}`,
    ...db.regions.map(
      (r) => `INSERT INTO crdb_internal.database_regions VALUES (${quoteLiteral(db.name)}, ${quoteLiteral(r)}, ${r === db.primaryRegion})`,
    ),
  ];
  const exists = await session.cluster.engine.query(
    `SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 AND t.typname = 'crdb_internal_region'`,
    [db.name],
  );
  if (exists.rows.length === 0 && db.regions.length > 0) {
    statements.push(`CREATE DOMAIN ${schema}.crdb_internal_region AS text CONSTRAINT valid_region CHECK (VALUE IN (${values}))`);
  } else if (exists.rows.length > 0) {
    statements.push(`ALTER DOMAIN ${schema}.crdb_internal_region DROP CONSTRAINT valid_region`);
    statements.push(`ALTER DOMAIN ${schema}.crdb_internal_region ADD CONSTRAINT valid_region CHECK (VALUE IN (${values || "''"}))`);
  }
  const result = await session.runEngine('', statements.join(';\n'), []);
  if (result.error) throw new SqlError(result.error.code, result.error.message, result.error.hint, result.error.detail);
}

export async function createDatabase(session: SqlSession, text: string, statement: ast.CreateDatabase): Promise<QueryResult> {
  const catalog = session.cluster.catalog;
  const name = statement.name.value;
  if (!name) throw new SqlError(SQLSTATE.syntax, 'at or near "EOF": syntax error');
  if (catalog.databases.has(name)) {
    if (statement.ifNotExists) return emptyResult(text, 'CREATE DATABASE');
    throw new SqlError(SQLSTATE.duplicateDatabase, `database "${name}" already exists`);
  }
  const regions = [...(statement.primaryRegion ? [statement.primaryRegion.value] : []), ...statement.regions.map((r) => r.value)];
  for (const region of regions) checkClusterRegion(session, region);
  if (statement.regions.length > 0 && !statement.primaryRegion) {
    throw new SqlError(INVALID_DATABASE_DEFINITION, 'PRIMARY REGION must be specified if REGIONS are specified');
  }
  if (statement.survival && !statement.primaryRegion)
    throw new SqlError(INVALID_DATABASE_DEFINITION, 'PRIMARY REGION must be specified when using SURVIVE');
  const twice = regions.find((r, i) => regions.indexOf(r) !== i);
  if (twice !== undefined) throw new SqlError(SQLSTATE.invalidName, `region "${twice}" defined multiple times`);
  const survival = statement.survival?.goal ?? 'zone';
  const unique = [...new Set(regions)];
  if (survival === 'region' && unique.length < 3) throw regionSurvivalError();
  // Every user may use a new database and create in it, as on CockroachDB (public's CONNECT, and
  // USAGE and CREATE on its public schema).
  const schema = quoteIdent(name);
  const result = await session.runEngine(text, `CREATE SCHEMA ${schema};\nGRANT USAGE, CREATE ON SCHEMA ${schema} TO PUBLIC`, []);
  if (result.error) return result;
  const db = catalog.addDatabase(name);
  db.regions = unique;
  if (statement.primaryRegion) db.primaryRegion = statement.primaryRegion.value;
  if (statement.secondaryRegion) db.secondaryRegion = statement.secondaryRegion.value;
  db.survival = survival;
  if (db.regions.length > 0) await syncRegions(session, db);
  session.cluster.topologyChanged();
  return emptyResult(text, 'CREATE DATABASE');
}

function regionSurvivalError(): SqlError {
  return new SqlError(
    SQLSTATE.invalidParameterValue,
    'at least 3 regions are required for surviving a region failure',
    'you must add additional regions to the database or change the survivability goal',
  );
}

export async function alterDatabase(session: SqlSession, text: string, statement: ast.AlterDatabase): Promise<QueryResult> {
  const action = statement.action;
  if (!action) throw new SqlError(SQLSTATE.syntax, 'at or near "EOF": syntax error');
  const db = database(session, statement.name.value);
  const cluster = session.cluster;
  const notices: string[] = [];
  switch (action.kind) {
    case 'primary-region': {
      const region = action.region.value;
      checkClusterRegion(session, region);
      const wasMultiRegion = db.primaryRegion !== undefined;
      if (wasMultiRegion && !db.regions.includes(region)) {
        throw new SqlError(
          SQLSTATE.invalidName,
          `region "${region}" has not been added to the database`,
          `you must add the region to the database before setting it as primary region, using ALTER DATABASE ${db.name} ADD REGION "${region}"`,
        );
      }
      if (region === db.secondaryRegion) {
        throw new SqlError(
          INVALID_DATABASE_DEFINITION,
          `region "${region}" is currently the secondary region`,
          `you must drop the secondary region using ALTER DATABASE ${db.name} DROP SECONDARY REGION`,
        );
      }
      db.primaryRegion = region;
      if (!db.regions.includes(region)) db.regions.push(region);
      if (!wasMultiRegion) {
        // Existing tables become REGIONAL BY TABLE IN PRIMARY REGION.
        for (const table of cluster.catalog.tablesOf(db.name)) table.locality ??= { kind: 'regional-by-table' };
      }
      await syncRegions(session, db);
      break;
    }
    case 'add-region': {
      const region = action.region.value;
      checkClusterRegion(session, region);
      if (!db.primaryRegion) {
        throw new SqlError(
          INVALID_DATABASE_DEFINITION,
          `cannot add region ${quoteIdent(region)} to database ${quoteIdent(db.name)}`,
          `you must add a PRIMARY REGION first using ALTER DATABASE ${quoteIdent(db.name)} PRIMARY REGION ${quoteIdent(region)}`,
        );
      }
      if (db.regions.includes(region)) {
        if (action.ifNotExists) {
          notices.push(`region "${region}" already exists; skipping`);
          break;
        }
        throw new SqlError(SQLSTATE.duplicateObject, `region "${region}" already added to database`);
      }
      db.regions.push(region);
      await syncRegions(session, db);
      break;
    }
    case 'drop-region': {
      const region = action.region.value;
      if (!db.primaryRegion) throw new SqlError(INVALID_DATABASE_DEFINITION, 'database has no regions to drop');
      if (!db.regions.includes(region)) {
        if (action.ifExists) {
          notices.push(`region "${region}" is not defined on the database; skipping`);
          break;
        }
        throw new SqlError(SQLSTATE.undefinedObject, `region "${region}" has not been added to the database`);
      }
      if (region === db.primaryRegion && db.regions.length > 1) {
        throw new SqlError(
          INVALID_DATABASE_DEFINITION,
          `cannot drop region "${region}"`,
          `You must designate another region as the primary region using ALTER DATABASE ${db.name} PRIMARY REGION <region name> or remove all other regions before attempting to drop region "${region}"`,
        );
      }
      if (region === db.secondaryRegion) {
        throw new SqlError(
          INVALID_DATABASE_DEFINITION,
          `cannot drop region "${region}"`,
          `You must designate another region as the secondary region using ALTER DATABASE ${db.name} SECONDARY REGION <region name> or remove the secondary region using ALTER DATABASE ${db.name} DROP SECONDARY REGION in order to drop region "${region}"`,
        );
      }
      if (db.survival === 'region' && db.regions.length <= 3) throw regionSurvivalError();
      db.regions = db.regions.filter((r) => r !== region);
      if (db.secondaryRegion === region) delete db.secondaryRegion;
      if (region === db.primaryRegion) {
        delete db.primaryRegion;
        for (const table of cluster.catalog.tablesOf(db.name)) delete table.locality;
      }
      for (const table of cluster.catalog.tablesOf(db.name)) {
        if (table.locality?.kind === 'regional-by-table' && table.locality.region === region) {
          throw new SqlError(
            SQLSTATE.objectNotInPrerequisiteState,
            `could not remove enum value "${region}" as it is the home region for table "${table.name}"`,
          );
        }
      }
      await syncRegions(session, db);
      break;
    }
    case 'survive': {
      if (!db.primaryRegion) {
        throw new SqlError(
          SQLSTATE.invalidName,
          'database must have associated regions before a survival goal can be set',
          `you must first add a primary region to the database using ALTER DATABASE ${db.name} PRIMARY REGION <region_name>`,
        );
      }
      if (action.survival.goal === 'region' && db.regions.length < 3) throw regionSurvivalError();
      if (action.survival.goal === 'region' && db.placement === 'restricted') {
        throw new SqlError(
          SQLSTATE.invalidParameterValue,
          'a region-survivable database cannot also have a restricted placement policy',
          undefined,
          'PLACEMENT RESTRICTED may only be used with SURVIVE ZONE FAILURE',
        );
      }
      db.survival = action.survival.goal;
      break;
    }
    case 'secondary-region': {
      if (!action.region) {
        if (db.secondaryRegion === undefined) {
          if (action.ifExists) {
            notices.push('No secondary region is defined on the database; skipping');
            break;
          }
          throw new SqlError('42P02', `database ${db.name} doesn't have a secondary region defined`);
        }
        delete db.secondaryRegion;
        break;
      }
      const region = action.region.value;
      if (!db.primaryRegion) {
        throw new SqlError(
          INVALID_DATABASE_DEFINITION,
          'database must be multi-region to support a secondary region',
          `you must first add a primary region to the database using ALTER DATABASE ${db.name} PRIMARY REGION <region_name>`,
        );
      }
      if (!db.regions.includes(region)) {
        throw new SqlError(
          INVALID_DATABASE_DEFINITION,
          `region "${region}" has not been added to the database`,
          `you must add the region to the database before setting it as secondary region, using ALTER DATABASE ${db.name} ADD REGION "${region}"`,
        );
      }
      if (region === db.primaryRegion)
        throw new SqlError(INVALID_DATABASE_DEFINITION, 'the secondary region cannot be the same as the current primary region');
      db.secondaryRegion = region;
      break;
    }
    case 'configure-zone':
      return configureZone(session, text, {
        ...action.zone,
        target: { start: 0, end: 0, kind: 'database', name: { start: 0, end: 0, parts: [statement.name], name: statement.name } },
      });
    case 'rename':
      throw notSimulated('ALTER DATABASE … RENAME TO');
    case 'placement':
      db.placement = action.policy;
      break;
    case 'other':
      throw notSimulated(`ALTER DATABASE … ${action.keyword.toUpperCase()}`);
  }
  cluster.topologyChanged();
  const result = emptyResult(text, 'ALTER DATABASE');
  for (const n of notices) result.notices.push(notice(n));
  return result;
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
  if (db.primaryRegion && (statement.partitionBy || statement.indexes.some((i) => i.partitionBy))) {
    throw new SqlError(
      SQLSTATE.featureNotSupported,
      statement.partitionBy
        ? 'multi-region tables containing PARTITION BY are not supported'
        : 'multi-region tables with an INDEX containing PARTITION BY are not supported',
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

export function configureZone(session: SqlSession, text: string, zone: ast.ConfigureZone, partitionKey?: string): QueryResult {
  const target = zone.target;
  if (!target) throw new SqlError(SQLSTATE.syntax, 'at or near "configure": syntax error');
  // A partition written with PARTITION BY: its index's partition (or, OF INDEX t@*, every index's).
  const partitionKeys = partitionKey === undefined && target.kind === 'partition' ? explicitPartitionZoneKeys(session, target) : undefined;
  if (partitionKeys) return partitionKeys.map((k) => configureZone(session, text, zone, k))[0] ?? emptyResult(text, 'CONFIGURE ZONE');
  const key = partitionKey ?? zoneKey(session, target);
  const catalog = session.cluster.catalog;
  if (key.startsWith('database:') && !catalog.databases.has(key.slice(9)))
    throw new SqlError(SQLSTATE.invalidCatalogName, `database "${key.slice(9)}" does not exist`);
  if (key.startsWith('table:')) {
    const [db, table] = key.slice(6).split('#')[0]?.split('.') ?? [];
    if (!catalog.table(db ?? '', table ?? '')) throw new SqlError(SQLSTATE.undefinedTable, `relation "${table ?? ''}" does not exist`);
  }
  if (zone.discard) catalog.zones.delete(key);
  else {
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
  session.cluster.topologyChanged();
  return emptyResult(text, 'CONFIGURE ZONE');
}
