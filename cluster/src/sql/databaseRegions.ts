// CREATE DATABASE and ALTER DATABASE on a multi-region cluster: regions, survival goal, placement
// and secondary region, checked in CockroachDB's order with its messages and SQLSTATEs
// (pkg/sql/create_database.go, pkg/sql/alter_database.go, pkg/sql/region_util.go,
// pkg/ccl/multiregionccl/multiregion.go, pkg/sql/type_change.go). Every check runs before anything
// changes; a statement that fails leaves the catalog and the engine as they were.
import type * as ast from '../../../sql/src/ast';
import { quoteIdent, quoteLiteral } from '../../../sql/src/names';
import type { DatabaseMeta, TableMeta } from './catalog';
import type { SqlSession } from './context';
import { configureZone } from './ddl';
import { notSimulated, SqlError, SQLSTATE } from './errors';
import {
  checkDatabaseZoneNotModified as checkMultiRegionDatabaseZoneNotModified,
  resetDatabaseMultiRegionZone,
  resetTableMultiRegionZones,
} from './multiRegionZones';
import { emptyResult, notice, type QueryResult } from './result';

/** The zone configuration fields a multi-region database owns (zonepb.MultiRegionZoneConfigFields). */
const MULTI_REGION_ZONE_FIELDS = ['global_reads', 'num_replicas', 'num_voters', 'constraints', 'voter_constraints', 'lease_preferences'];

const INVALID_DATABASE_DEFINITION = '42P12';
const EXPERIMENTAL_FEATURE = 'XCEXP';
const DEPENDENT_OBJECTS_STILL_EXIST = '2BP01';
const UNDEFINED_PARAMETER = '42P02';
const INVALID_OBJECT_DEFINITION = '42P17';
/** CockroachDB's code for an error raised without one (errors.Newf). */
const UNCATEGORIZED = 'XXUUU';

/** The regions of the cluster's live nodes, sorted. */
function clusterRegions(session: SqlSession): string[] {
  return [...new Set(session.cluster.model.nodes().map((n) => n.locality.region))].sort();
}

/** sql.CheckClusterRegionIsLive. */
function checkRegionIsLive(session: SqlSession, region: string): void {
  const regions = clusterRegions(session);
  if (!regions.includes(region)) {
    throw new SqlError(SQLSTATE.invalidName, `region ${JSON.stringify(region)} does not exist`, `valid regions: ${regions.join(', ')}`);
  }
}

function databaseNamed(session: SqlSession, name: string): DatabaseMeta {
  const found = session.cluster.catalog.databases.get(name);
  if (!found) throw new SqlError(SQLSTATE.invalidCatalogName, `database "${name}" does not exist`);
  return found;
}

function survivalError(): SqlError {
  return new SqlError(
    SQLSTATE.invalidParameterValue,
    'at least 3 regions are required for surviving a region failure',
    'you must add additional regions to the database or change the survivability goal',
  );
}

function isOn(value: string | undefined): boolean {
  return value !== undefined && ['on', 'true', 'yes', '1'].includes(value.trim().toLowerCase());
}

/** A cluster setting's value as written: a quoted identifier or string loses its quotes. */
function settingText(value: string | undefined): string {
  const text = (value ?? '').trim();
  if (text.startsWith('"') && text.endsWith('"') && text.length >= 2) return text.slice(1, -1).replace(/""/g, '"');
  if (text.startsWith("'") && text.endsWith("'") && text.length >= 2) return text.slice(1, -1).replace(/''/g, "'");
  return text;
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

/** What a multi-region statement may change, kept to put back when it fails half-way. */
function snapshot(session: SqlSession, db: DatabaseMeta): () => void {
  const catalog = session.cluster.catalog;
  const saved = { ...db, regions: [...db.regions] };
  const localities = catalog.tablesOf(db.name).map((t) => [t, t.locality] as const);
  const zones = new Map([...catalog.zones].map(([k, v]) => [k, new Map(v)]));
  return () => {
    Object.assign(db, saved);
    if (saved.primaryRegion === undefined) delete db.primaryRegion;
    if (saved.secondaryRegion === undefined) delete db.secondaryRegion;
    for (const [table, locality] of localities) {
      if (locality === undefined) delete table.locality;
      else table.locality = locality;
    }
    catalog.zones.clear();
    for (const [k, v] of zones) catalog.zones.set(k, v);
  };
}

// ---------------------------------------------------------------------------------------------
// CREATE DATABASE

export async function createDatabase(session: SqlSession, text: string, statement: ast.CreateDatabase): Promise<QueryResult> {
  const catalog = session.cluster.catalog;
  const name = statement.name.value;
  if (!name) throw new SqlError(SQLSTATE.syntax, 'at or near "EOF": syntax error');
  const primary = statement.primaryRegion?.value;
  const secondary = statement.secondaryRegion?.value;
  const survival = statement.survival?.goal;
  // planner.CreateDatabase: the statement's own consistency, before the catalog is read.
  if (survival !== undefined && primary === undefined)
    throw new SqlError(INVALID_DATABASE_DEFINITION, 'PRIMARY REGION must be specified when using SURVIVE');
  if (statement.placement !== undefined) {
    if (!isOn(session.vars.get('enable_multiregion_placement_policy'))) {
      throw new SqlError(
        EXPERIMENTAL_FEATURE,
        'PLACEMENT requires that the session setting enable_multiregion_placement_policy is enabled',
        'to use PLACEMENT, enable the session setting with SET enable_multiregion_placement_policy = true or enable the cluster setting sql.defaults.multiregion_placement_policy.enabled',
      );
    }
    if (primary === undefined) throw new SqlError(INVALID_DATABASE_DEFINITION, 'PRIMARY REGION must be specified when using PLACEMENT');
    if (statement.placement === 'restricted' && survival === 'region')
      throw new SqlError(INVALID_DATABASE_DEFINITION, 'PLACEMENT RESTRICTED can only be used with SURVIVE ZONE FAILURE');
  }
  if (primary === undefined && secondary !== undefined)
    throw new SqlError(INVALID_DATABASE_DEFINITION, 'PRIMARY REGION must be specified when using SECONDARY REGION');
  if (primary !== undefined && secondary === primary)
    throw new SqlError(INVALID_DATABASE_DEFINITION, 'SECONDARY REGION can not be the same as the PRIMARY REGION');
  if (catalog.databases.has(name)) {
    if (statement.ifNotExists) return emptyResult(text, 'CREATE DATABASE');
    throw new SqlError(SQLSTATE.duplicateDatabase, `database "${name}" already exists`);
  }

  // maybeInitializeMultiRegionMetadata: sql.defaults.primary_region when nothing is said.
  const notices: string[] = [];
  let primaryRegion = primary;
  const listed = statement.regions.map((r) => r.value);
  if (primaryRegion === undefined && listed.length === 0) {
    const fallback = settingText(catalog.clusterSettings.get('sql.defaults.primary_region'));
    if (fallback !== '') {
      primaryRegion = fallback;
      notices.push(`defaulting to 'WITH PRIMARY REGION "${fallback}"' as no primary region was specified`);
    }
  }
  const regions = regionsOf(session, primaryRegion, listed, secondary, survival ?? 'zone');

  // Every user may use a new database and create in it, as on CockroachDB (public's CONNECT, and
  // USAGE and CREATE on its public schema).
  const schema = quoteIdent(name);
  const result = await session.runEngine(text, `CREATE SCHEMA ${schema};\nGRANT USAGE, CREATE ON SCHEMA ${schema} TO PUBLIC`, []);
  if (result.error) return result;
  const db = catalog.addDatabase(name);
  if (primaryRegion !== undefined) {
    db.regions = regions;
    db.primaryRegion = primaryRegion;
    if (secondary !== undefined) db.secondaryRegion = secondary;
    db.survival = survival ?? 'zone';
    db.placement = statement.placement ?? 'default';
    try {
      await syncRegions(session, db);
    } catch (error) {
      // Nothing of a failed CREATE DATABASE stays: neither the catalog's entry nor the engine's schema.
      catalog.databases.delete(name);
      await session.runEngine(text, `DROP SCHEMA IF EXISTS ${schema} CASCADE`, []);
      throw error;
    }
  }
  session.cluster.topologyChanged();
  for (const n of notices) result.notices.push(notice(n));
  result.tag = 'CREATE DATABASE';
  return result;
}

/** multiregionccl.initializeMultiRegionMetadata: the database's regions, sorted, or why not. */
function regionsOf(
  session: SqlSession,
  primary: string | undefined,
  listed: readonly string[],
  secondary: string | undefined,
  survival: 'zone' | 'region',
): string[] {
  if (primary === undefined && listed.length === 0) return [];
  if (primary !== undefined) checkRegionIsLive(session, primary);
  const seen = new Set<string>();
  if (listed.length > 0) {
    if (primary === undefined) throw new SqlError(INVALID_DATABASE_DEFINITION, 'PRIMARY REGION must be specified if REGIONS are specified');
    for (const region of listed) {
      checkRegionIsLive(session, region);
      if (seen.has(region)) throw new SqlError(SQLSTATE.invalidName, `region ${JSON.stringify(region)} defined multiple times`);
      seen.add(region);
    }
  }
  const regions = [...seen];
  if (primary !== undefined && !seen.has(primary)) regions.push(primary);
  if (secondary !== undefined && !regions.includes(secondary)) {
    // CockroachDB adds it without asking whether nodes have it; the simulator places replicas on
    // nodes, so a region without any is refused here as an unknown region.
    checkRegionIsLive(session, secondary);
    regions.push(secondary);
  }
  regions.sort();
  if (survival === 'region' && regions.length < 3) throw survivalError();
  return regions;
}

// ---------------------------------------------------------------------------------------------
// ALTER DATABASE

export async function alterDatabase(session: SqlSession, text: string, statement: ast.AlterDatabase): Promise<QueryResult> {
  const action = statement.action;
  if (!action) throw new SqlError(SQLSTATE.syntax, 'at or near "EOF": syntax error');
  if (action.kind === 'configure-zone') {
    return configureZone(session, text, {
      ...action.zone,
      target: { start: 0, end: 0, kind: 'database', name: { start: 0, end: 0, parts: [statement.name], name: statement.name } },
    });
  }
  if (action.kind === 'rename') throw notSimulated('ALTER DATABASE … RENAME TO');
  if (action.kind === 'other') throw notSimulated(`ALTER DATABASE … ${action.keyword.toUpperCase()}`);
  if (action.kind === 'placement' && !isOn(session.vars.get('enable_multiregion_placement_policy'))) {
    throw new SqlError(
      EXPERIMENTAL_FEATURE,
      'ALTER DATABASE PLACEMENT requires that the session setting enable_multiregion_placement_policy is enabled',
      'to enable, enable the session setting or the cluster setting sql.defaults.multiregion_placement_policy.enabled',
    );
  }
  // The system database exists on every cluster but is not in the simulator's catalog; on a
  // cluster (not a virtual cluster) CockroachDB refuses to give it regions.
  if (statement.name.value === 'system' && !session.cluster.catalog.databases.has('system')) {
    throw new SqlError(SQLSTATE.featureNotSupported, 'modifying the regions of system database is not supported');
  }
  const db = databaseNamed(session, statement.name.value);
  const restore = snapshot(session, db);
  const notices: string[] = [];
  try {
    const skipped = await applyAction(session, db, action, notices);
    if (!skipped) session.cluster.topologyChanged();
  } catch (error) {
    restore();
    throw error;
  }
  const result = emptyResult(text, 'ALTER DATABASE');
  for (const n of notices) result.notices.push(notice(n));
  return result;
}

type RegionAction = Exclude<ast.AlterDatabaseAction, { kind: 'configure-zone' | 'rename' | 'other' }>;

/** Runs one ALTER DATABASE action; true when it did nothing (an IF [NOT] EXISTS skip). */
async function applyAction(session: SqlSession, db: DatabaseMeta, action: RegionAction, notices: string[]): Promise<boolean> {
  switch (action.kind) {
    case 'primary-region':
      return setPrimaryRegion(session, db, action.region.value);
    case 'add-region':
      return addRegion(session, db, action.region.value, action.ifNotExists, notices);
    case 'drop-region':
      return dropRegion(session, db, action.region.value, action.ifExists, notices);
    case 'survive':
      return setSurvival(session, db, action.survival.goal);
    case 'placement':
      return setPlacement(session, db, action.policy);
    case 'secondary-region':
      return action.region
        ? setSecondaryRegion(session, db, action.region.value)
        : dropSecondaryRegion(session, db, action.ifExists, notices);
    default:
      return Promise.resolve(true);
  }
}

function settingOn(session: SqlSession, name: string): boolean {
  return isOn(session.vars.get(name));
}

/**
 * validateZoneConfigForMultiRegionDatabaseWasNotModifiedByUser: a multi-region change rewrites the
 * database's zone configuration, so one a user changed by hand (with
 * override_multi_region_zone_config) is refused unless the session overrides again.
 */
function checkDatabaseZoneNotModified(session: SqlSession, db: DatabaseMeta): void {
  checkMultiRegionDatabaseZoneNotModified(session, db);
}

/** The database's own multi-region zone fields go back to what its regions say. */
function resetDatabaseZone(session: SqlSession, db: DatabaseMeta): void {
  resetDatabaseMultiRegionZone(session, db);
}

/**
 * refreshZoneConfigsForTables: the multi-region fields of the tables' own zone configurations
 * (and of their partitions') are written again from the database's regions, dropping what a user
 * set there.
 */
function refreshTableZones(session: SqlSession, db: DatabaseMeta, which: 'all' | 'global' | 'regional-and-global'): void {
  for (const table of session.cluster.catalog.tablesOf(db.name)) {
    const kind = table.locality?.kind;
    if (which === 'global' && kind !== 'global') continue;
    if (which === 'regional-and-global' && kind === 'regional-by-row') continue;
    resetTableZones(session, table);
  }
}

function resetTableZones(session: SqlSession, table: TableMeta): void {
  resetTableMultiRegionZones(session, table);
}

async function setPrimaryRegion(session: SqlSession, db: DatabaseMeta, region: string): Promise<boolean> {
  const catalog = session.cluster.catalog;
  if (db.primaryRegion === undefined) {
    // setInitialPrimaryRegion: the database becomes multi-region with this one region.
    checkRegionIsLive(session, region);
    checkInitialZones(session, db);
    const tables = catalog.tablesOf(db.name);
    for (const table of tables) checkCanConvertTable(db, table);
    db.primaryRegion = region;
    db.regions = [region];
    db.survival = 'zone';
    db.placement = 'default';
    delete db.secondaryRegion;
    resetDatabaseZone(session, db);
    // Existing tables become REGIONAL BY TABLE IN PRIMARY REGION.
    for (const table of tables) {
      table.locality ??= { kind: 'regional-by-table' };
      resetTableZones(session, table);
    }
    await syncRegions(session, db);
    return false;
  }
  checkDatabaseZoneNotModified(session, db);
  if (!db.regions.includes(region)) {
    throw new SqlError(
      SQLSTATE.invalidName,
      `region ${quoteIdent(region)} has not been added to the database`,
      `you must add the region to the database before setting it as primary region, using ALTER DATABASE ${quoteIdent(db.name)} ADD REGION ${quoteIdent(region)}`,
    );
  }
  if (db.secondaryRegion !== undefined && region === db.secondaryRegion) {
    throw new SqlError(
      INVALID_DATABASE_DEFINITION,
      `region ${quoteIdent(region)} is currently the secondary region`,
      `you must drop the secondary region using ALTER DATABASE ${quoteIdent(db.name)} DROP SECONDARY REGION`,
    );
  }
  db.primaryRegion = region;
  resetDatabaseZone(session, db);
  // Under REGION survival the database's regions act as one super region: regional tables homed
  // in the primary region are written again, as GLOBAL tables are under PLACEMENT RESTRICTED.
  if (db.survival === 'region') refreshTableZones(session, db, 'regional-and-global');
  else if (db.placement === 'restricted') refreshTableZones(session, db, 'global');
  await syncRegions(session, db);
  return false;
}

/** checkCanConvertTableToMultiRegion: a table partitioned by hand cannot become a multi-region table. */
function checkCanConvertTable(db: DatabaseMeta, table: TableMeta): void {
  const indexes = [...table.indexes.values()].sort((a, b) => a.id - b.id);
  const isPrimary = (name: string): boolean => name === `${table.name}_pkey` || name === 'primary';
  const refuse = (detail: string): SqlError =>
    new SqlError(
      SQLSTATE.objectNotInPrerequisiteState,
      `cannot convert database ${quoteIdent(db.name)} to a multi-region database`,
      undefined,
      detail,
    );
  const primary = indexes.find((i) => isPrimary(i.name)) ?? indexes[0];
  const partitioned = indexes.find((i) => i.partitioning);
  if (primary?.partitioning || (table.partitions && !partitioned)) {
    throw refuse(`cannot convert table ${quoteIdent(table.name)} to a multi-region table as it is partitioned`);
  }
  if (partitioned) {
    throw refuse(
      `cannot convert table ${quoteIdent(table.name)} to a multi-region table as it has index/constraint ${quoteIdent(partitioned.name)} with partitioning`,
    );
  }
}

/** The zone configurations setting the initial primary region would overwrite (zoneConfigForMultiRegionValidatorSetInitialRegion). */
function checkInitialZones(session: SqlSession, db: DatabaseMeta): void {
  if (settingOn(session, 'override_multi_region_zone_config')) return;
  const zones = session.cluster.catalog.zones;
  // CockroachDB words a field it would overwrite "the the initial PRIMARY REGION", an extra index configuration "the initial".
  const check = (key: string, what: string, article = 'the the'): void => {
    const settings = zones.get(key);
    const field = MULTI_REGION_ZONE_FIELDS.find((f) => settings?.has(f));
    if (field === undefined) return;
    throw new SqlError(
      INVALID_OBJECT_DEFINITION,
      `zone configuration for ${what} has field "${field}" set which will be overwritten when setting ${article} initial PRIMARY REGION`,
      'discard the zone config using CONFIGURE ZONE DISCARD before continuing or use SET override_multi_region_zone_config = true to force the change',
    );
  };
  check(`database:${db.name}`, `database ${db.name}`);
  for (const table of session.cluster.catalog.tablesOf(db.name)) {
    check(`table:${db.name}.${table.name}`, `table ${table.name}`);
    for (const key of zones.keys()) {
      if (key.startsWith(`index:${db.name}.${table.name}@`)) check(key, `index ${table.name}@${key.slice(key.indexOf('@') + 1)}`, 'the');
    }
  }
}

async function addRegion(session: SqlSession, db: DatabaseMeta, region: string, ifNotExists: boolean, notices: string[]): Promise<boolean> {
  // A database needs its primary region before any other: said before the region is looked at.
  if (db.primaryRegion === undefined) {
    throw new SqlError(
      INVALID_DATABASE_DEFINITION,
      `cannot add region ${quoteIdent(region)} to database ${quoteIdent(db.name)}`,
      `you must add a PRIMARY REGION first using ALTER DATABASE ${quoteIdent(db.name)} PRIMARY REGION ${quoteIdent(region)}`,
    );
  }
  checkDatabaseZoneNotModified(session, db);
  checkRegionIsLive(session, region);
  if (db.regions.includes(region)) {
    if (ifNotExists) {
      notices.push(`region ${JSON.stringify(region)} already exists; skipping`);
      return true;
    }
    throw new SqlError(SQLSTATE.duplicateObject, `region ${JSON.stringify(region)} already added to database`);
  }
  db.regions = [...db.regions, region].sort();
  resetDatabaseZone(session, db);
  refreshTableZones(session, db, 'all');
  await syncRegions(session, db);
  return false;
}

async function dropRegion(session: SqlSession, db: DatabaseMeta, region: string, ifExists: boolean, notices: string[]): Promise<boolean> {
  const catalog = session.cluster.catalog;
  if (db.primaryRegion === undefined) {
    if (ifExists) {
      notices.push(`region ${JSON.stringify(region)} is not defined on the database; skipping`);
      return true;
    }
    throw new SqlError(INVALID_DATABASE_DEFINITION, 'database has no regions to drop');
  }
  checkDatabaseZoneNotModified(session, db);
  if (db.secondaryRegion !== undefined && db.secondaryRegion === region) {
    throw new SqlError(
      INVALID_DATABASE_DEFINITION,
      `cannot drop region ${JSON.stringify(region)}`,
      `You must designate another region as the secondary region using ALTER DATABASE ${quoteIdent(db.name)} SECONDARY REGION <region name> or remove the secondary region using ALTER DATABASE ${quoteIdent(db.name)} DROP SECONDARY REGION in order to drop region ${JSON.stringify(region)}`,
    );
  }
  const removingPrimary = region === db.primaryRegion;
  if (removingPrimary) {
    if (db.regions.length !== 1) {
      throw new SqlError(
        INVALID_DATABASE_DEFINITION,
        `cannot drop region ${JSON.stringify(region)}`,
        `You must designate another region as the primary region using ALTER DATABASE ${quoteIdent(db.name)} PRIMARY REGION <region name> or remove all other regions before attempting to drop region ${JSON.stringify(region)}`,
      );
    }
    if (!isOn(catalog.clusterSettings.get('sql.multiregion.drop_primary_region.enabled') ?? 'true')) {
      throw new SqlError(INVALID_DATABASE_DEFINITION, 'databases in this cluster must have at least 1 region');
    }
    // The region enum goes with the last region: no table may still use it.
    const users = catalog
      .tablesOf(db.name)
      .filter(
        (t) => t.locality?.kind === 'regional-by-row' || (t.locality?.kind === 'regional-by-table' && t.locality.region !== undefined),
      );
    const columnUsers = await tablesUsingRegionType(session, db);
    const dependents = [...new Set([...users.map((t) => t.name), ...columnUsers])].sort();
    if (dependents.length > 0) {
      throw new SqlError(
        DEPENDENT_OBJECTS_STILL_EXIST,
        `error removing primary region from database ${db.name}: cannot drop type "crdb_internal_region" because other objects ([${dependents.map((t) => `${quoteIdent(db.name)}.public.${quoteIdent(t)}`).join(' ')}]) still depend on it`,
      );
    }
  }
  // multiregion.CanDropRegion: what survives the drop must still satisfy the survival goal.
  if (db.survival === 'region' && db.regions.length - 1 < 3) throw survivalError();
  if (removingPrimary) {
    delete db.primaryRegion;
    delete db.secondaryRegion;
    db.regions = [];
    db.survival = 'zone';
    db.placement = 'default';
    resetDatabaseZone(session, db);
    for (const table of catalog.tablesOf(db.name)) {
      delete table.locality;
      resetTableZones(session, table);
    }
    await syncRegions(session, db);
    return false;
  }
  if (!db.regions.includes(region)) {
    if (ifExists) {
      notices.push(`region ${JSON.stringify(region)} is not defined on the database; skipping`);
      return true;
    }
    throw new SqlError(SQLSTATE.undefinedObject, `region ${JSON.stringify(region)} has not been added to the database`);
  }
  // The type schema changer: no row may still be homed in the region, no table homed there.
  await checkRegionUnused(session, db, region);
  db.regions = db.regions.filter((r) => r !== region);
  resetDatabaseZone(session, db);
  refreshTableZones(session, db, 'all');
  await syncRegions(session, db);
  return false;
}

/** The engine's columns of a table typed as the database's region enum. */
async function regionColumns(session: SqlSession, table: TableMeta): Promise<{ all: { name: string; type: string }[]; region: string[] }> {
  const result = await session.cluster.engine.query<{ name: string; type: string; is_region: boolean }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            (t.typname = 'crdb_internal_region' AND tn.nspname = $1) AS is_region
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = t.typnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [table.database, table.name],
  );
  return {
    all: result.rows.map((r) => ({ name: r.name, type: r.type })),
    region: result.rows.filter((r) => r.is_region).map((r) => r.name),
  };
}

async function tablesUsingRegionType(session: SqlSession, db: DatabaseMeta): Promise<string[]> {
  const users: string[] = [];
  for (const table of session.cluster.catalog.tablesOf(db.name))
    if ((await regionColumns(session, table)).region.length > 0) users.push(table.name);
  return users;
}

const BARE_TYPES = /^(smallint|integer|bigint|real|double precision|numeric.*|boolean)$/;

/** canRemoveEnumValueFromTable, for each table of the database in descriptor order. */
async function checkRegionUnused(session: SqlSession, db: DatabaseMeta, region: string): Promise<void> {
  const tables = [...session.cluster.catalog.tablesOf(db.name)].sort((a, b) => a.id - b.id);
  for (const table of tables) {
    const { all, region: used } = await regionColumns(session, table);
    if (used.length > 0) {
      const name = `${quoteIdent(table.database)}.${quoteIdent(table.name)}`;
      const where = used.map((c) => `${quoteIdent(c)}::text = $1`).join(' OR ');
      const row = await session.cluster.engine.query<Record<string, string | null>>(
        `SELECT ${all.map((c) => `${quoteIdent(c.name)}::text AS ${quoteIdent(c.name)}`).join(', ')} FROM ${name} WHERE ${where} LIMIT 1`,
        [region],
      );
      const found = row.rows[0];
      if (found) {
        const labeled = all
          .map((c) => {
            const value = found[c.name];
            if (value === null || value === undefined) return `${c.name}=NULL`;
            return `${c.name}=${BARE_TYPES.test(c.type) ? value : quoteLiteral(value)}`;
          })
          .join(', ');
        throw new SqlError(
          DEPENDENT_OBJECTS_STILL_EXIST,
          `could not remove enum value ${JSON.stringify(region)} as it is being used by ${JSON.stringify(table.name)} in row: ${labeled}`,
        );
      }
    }
    if (table.locality?.kind === 'regional-by-table' && table.locality.region === region) {
      throw new SqlError(
        UNCATEGORIZED,
        `could not remove enum value ${JSON.stringify(region)} as it is the home region for table ${JSON.stringify(table.name)}`,
      );
    }
  }
}

/** SURVIVE and PLACEMENT need a multi-region database. */
function requireRegions(db: DatabaseMeta, what: string): void {
  if (db.primaryRegion !== undefined) return;
  throw new SqlError(
    SQLSTATE.invalidName,
    `database must have associated regions before ${what} can be set`,
    `you must first add a primary region to the database using ALTER DATABASE ${quoteIdent(db.name)} PRIMARY REGION <region_name>`,
  );
}

function regionSurvivalWithRestrictedPlacement(): SqlError {
  return new SqlError(
    SQLSTATE.invalidParameterValue,
    'a region-survivable database cannot also have a restricted placement policy',
    undefined,
    'PLACEMENT RESTRICTED may only be used with SURVIVE ZONE FAILURE',
  );
}

function setSurvival(session: SqlSession, db: DatabaseMeta, goal: 'zone' | 'region'): boolean {
  requireRegions(db, 'a survival goal');
  if (goal === 'region' && db.placement === 'restricted') throw regionSurvivalWithRestrictedPlacement();
  checkDatabaseZoneNotModified(session, db);
  if (goal === 'region' && db.regions.length < 3) throw survivalError();
  db.survival = goal;
  resetDatabaseZone(session, db);
  refreshTableZones(session, db, 'all');
  return false;
}

function setPlacement(session: SqlSession, db: DatabaseMeta, policy: 'default' | 'restricted'): boolean {
  requireRegions(db, 'a placement policy');
  if (policy === 'restricted' && db.survival === 'region') throw regionSurvivalWithRestrictedPlacement();
  checkDatabaseZoneNotModified(session, db);
  db.placement = policy;
  resetDatabaseZone(session, db);
  // GLOBAL tables inherit the database's config under DEFAULT and carry their own under RESTRICTED.
  refreshTableZones(session, db, 'global');
  return false;
}

function setSecondaryRegion(session: SqlSession, db: DatabaseMeta, region: string): boolean {
  if (db.primaryRegion === undefined) {
    throw new SqlError(
      INVALID_DATABASE_DEFINITION,
      'database must be multi-region to support a secondary region',
      `you must first add a primary region to the database using ALTER DATABASE ${quoteIdent(db.name)} PRIMARY REGION <region_name>`,
    );
  }
  if (db.secondaryRegion === region) return true;
  if (!db.regions.includes(region)) {
    throw new SqlError(
      INVALID_DATABASE_DEFINITION,
      `region ${quoteIdent(region)} has not been added to the database`,
      `you must add the region to the database before setting it as secondary region, using ALTER DATABASE ${quoteIdent(db.name)} ADD REGION ${quoteIdent(region)}`,
    );
  }
  if (region === db.primaryRegion)
    throw new SqlError(INVALID_DATABASE_DEFINITION, 'the secondary region cannot be the same as the current primary region');
  db.secondaryRegion = region;
  resetDatabaseZone(session, db);
  refreshTableZones(session, db, 'all');
  return false;
}

function dropSecondaryRegion(session: SqlSession, db: DatabaseMeta, ifExists: boolean, notices: string[]): boolean {
  if (db.primaryRegion === undefined) {
    throw new SqlError(
      INVALID_DATABASE_DEFINITION,
      'database must be multi-region to support a secondary region',
      `you must first add a primary region to the database using ALTER DATABASE ${quoteIdent(db.name)} PRIMARY REGION <region_name>`,
    );
  }
  if (db.secondaryRegion === undefined) {
    if (ifExists) {
      notices.push('No secondary region is defined on the database; skipping');
      return true;
    }
    throw new SqlError(UNDEFINED_PARAMETER, `database ${db.name} doesn't have a secondary region defined`);
  }
  delete db.secondaryRegion;
  resetDatabaseZone(session, db);
  refreshTableZones(session, db, 'all');
  return false;
}
