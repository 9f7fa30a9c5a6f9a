// The zone configurations of a multi-region database belong to its regions. CONFIGURE ZONE may not
// set their multi-region fields, nor discard what the regions wrote, unless the session says
// override_multi_region_zone_config (pkg/sql/set_zone_config.go,
// CheckZoneConfigChangePermittedForMultiRegion, blockDiscardOfZoneConfigForMultiRegionObject).
// What a user changed that way is then "modified": multi-region DDL that would overwrite it is
// refused without the override (validateZoneConfigForMultiRegion*WasNotModifiedByUser),
// crdb_internal.validate_multi_region_zone_configs() reports it, and the
// crdb_internal.reset_multi_region_zone_configs_for_* builtins write the regions' values again.
//
// The catalog keeps what users set on top of the configurations derived from the regions, so a
// multi-region field present in an override is a field the user modified. A REGIONAL BY ROW
// partition's configuration discarded under the override is remembered under a `missing:` key.
import type * as ast from '../../../sql/src/ast';
import type { Token } from '../../../sql/src/lexer';
import { quoteIdent, quoteLiteral } from '../../../sql/src/names';
import { databaseZoneConfig, defaultZoneConfig, type DatabaseRegions, type ZoneConfig } from '../model/zoneConfig';
import { withOverrides } from '../model/zoneConfigSql';
import type { Catalog, DatabaseMeta, TableMeta } from './catalog';
import type { SqlSession } from './context';
import { SqlError, SQLSTATE } from './errors';
import { OID } from '../wire/messages';
import { rowsResult, type QueryResult } from './result';

/** The zone configuration fields a multi-region database owns, in CockroachDB's order (zonepb.MultiRegionZoneConfigFields). */
export const MULTI_REGION_ZONE_FIELDS: readonly string[] = [
  'global_reads',
  'num_replicas',
  'num_voters',
  'constraints',
  'voter_constraints',
  'lease_preferences',
];

/** CockroachDB's code for an error raised without one (errors.Newf). */
const UNCATEGORIZED = 'XXUUU';
const INVALID_OBJECT_DEFINITION = '42P17';
const OVERRIDE_HINT = 'to override this error, SET override_multi_region_zone_config = true and reissue the command';
const OVERWRITE_HINT = 'to proceed with the overwrite, SET override_multi_region_zone_config = true, and reissue the statement';
const OVERWRITE_DETAIL = 'the attempted operation will overwrite a user modified field';
const RESET_HINT = 'use one of the crdb_internal.reset_multi_region_zone_configs_* builtins to reset the zone configuration';
/** Marks a REGIONAL BY ROW partition whose derived configuration was discarded. */
const MISSING = 'missing:';

function isOn(value: string | undefined): boolean {
  return value !== undefined && ['on', 'true', 'yes', '1'].includes(value.trim().toLowerCase());
}

function overriding(session: SqlSession): boolean {
  return isOn(session.vars.get('override_multi_region_zone_config'));
}

/** The table a zone key names (`table:d.t`, `table:d.t#p`, `index:d.t@i`, `partition:d.t@i#p`). */
function tableOfKey(catalog: Catalog, key: string): TableMeta | undefined {
  const body =
    key
      .slice(key.indexOf(':') + 1)
      .split('#')[0]
      ?.split('@')[0] ?? '';
  const dot = body.indexOf('.');
  return dot < 0 ? undefined : catalog.table(body.slice(0, dot), body.slice(dot + 1));
}

/** The multi-region database a table belongs to, when it is a multi-region table. */
function multiRegionDatabaseOf(catalog: Catalog, table: TableMeta | undefined): DatabaseMeta | undefined {
  const db = table && catalog.databases.get(table.database);
  return table?.locality && db?.primaryRegion !== undefined ? db : undefined;
}

/**
 * Whether the regions wrote the configuration a DISCARD targets: a database's, a GLOBAL table's or
 * a REGIONAL BY TABLE one's homed in a named region, a REGIONAL BY ROW table's partitions. Index
 * configurations never are.
 */
function writtenByRegions(catalog: Catalog, key: string): boolean {
  if (key.startsWith('database:')) return catalog.databases.get(key.slice('database:'.length))?.primaryRegion !== undefined;
  const table = tableOfKey(catalog, key);
  const db = multiRegionDatabaseOf(catalog, table);
  if (!db || !table?.locality) return false;
  if (key.startsWith('partition:')) return table.locality.kind === 'regional-by-row';
  if (key.startsWith('table:') && !key.includes('#')) {
    if (table.locality.kind === 'global') return true;
    return table.locality.kind === 'regional-by-table' && table.locality.region !== undefined;
  }
  return false;
}

/** The names a CONFIGURE ZONE sets, those copied from the parent included. */
function settingNames(zone: ast.ConfigureZone): string[] {
  return [...zone.settings.map((s) => s.name.toLowerCase()), ...(zone.copyFromParent ?? []).map((n) => n.toLowerCase())];
}

/**
 * Refuses a CONFIGURE ZONE on a multi-region database, table, index or partition that would set a
 * field the regions own, or discard a configuration the regions wrote. `key` is the catalog's key
 * for the target (see zoneKey).
 */
export function checkMultiRegionZoneChange(session: SqlSession, key: string, zone: ast.ConfigureZone): void {
  if (overriding(session)) return;
  const catalog = session.cluster.catalog;
  if (key.startsWith('database:')) {
    if (catalog.databases.get(key.slice('database:'.length))?.primaryRegion === undefined) return;
  } else if (key.startsWith('table:') || key.startsWith('index:') || key.startsWith('partition:')) {
    if (!multiRegionDatabaseOf(catalog, tableOfKey(catalog, key))) return;
  } else return;
  if (zone.discard) {
    if (!writtenByRegions(catalog, key)) return;
    throw new SqlError(
      UNCATEGORIZED,
      'attempting to discard the zone configuration of a multi-region entity',
      OVERRIDE_HINT,
      'discarding a multi-region zone configuration may result in sub-optimal performance or behavior',
    );
  }
  const field = settingNames(zone).find((name) => MULTI_REGION_ZONE_FIELDS.includes(name));
  if (field !== undefined) {
    throw new SqlError(
      UNCATEGORIZED,
      `attempting to modify protected field "${field}" of a multi-region zone configuration`,
      OVERRIDE_HINT,
    );
  }
}

/**
 * After a CONFIGURE ZONE: a configuration the regions wrote (a GLOBAL or homed table's, a REGIONAL
 * BY ROW partition's) discarded with the override is missing from then on; configuring it again
 * brings it back.
 */
export function recordZoneChange(session: SqlSession, key: string, zone: ast.ConfigureZone): void {
  const catalog = session.cluster.catalog;
  if (zone.discard && !key.startsWith('index:') && writtenByRegions(catalog, key)) {
    catalog.zones.set(MISSING + key, new Map());
  } else if (!zone.discard) catalog.zones.delete(MISSING + key);
}

/** Where a table's zone configurations differ from what its regions say, as zonepb's DiffWithZone reports it. */
interface Mismatch {
  kind: 'field' | 'missing' | 'extra';
  what: string;
  field: string;
}

const ZONE_PROPERTY: Partial<Record<string, keyof ZoneConfig>> = {
  global_reads: 'globalReads',
  num_replicas: 'numReplicas',
  num_voters: 'numVoters',
  constraints: 'constraints',
  voter_constraints: 'voterConstraints',
  lease_preferences: 'leasePreferences',
};

/** A zone field's value in a form that compares equal when CockroachDB's would (map constraints in any order). */
function canonical(value: ZoneConfig[keyof ZoneConfig]): string {
  if (typeof value === 'object' && !Array.isArray(value)) {
    return JSON.stringify(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
  }
  return JSON.stringify(value);
}

/**
 * The first multi-region field a user set on a configuration. `expected` is what the regions
 * write there and `compared` the fields they write: setting one of those to the value they write
 * modifies nothing (zonepb's DiffWithZone compares values); any other field set is a difference.
 */
function modifiedField(catalog: Catalog, key: string, expected?: ZoneConfig, compared: readonly string[] = []): string | undefined {
  const settings = catalog.zones.get(key);
  if (!settings) return undefined;
  return MULTI_REGION_ZONE_FIELDS.find((field) => {
    if (!settings.has(field)) return false;
    if (!expected || !compared.includes(field)) return true;
    const written = withOverrides(expected, settings);
    const property = ZONE_PROPERTY[field];
    return property === undefined || canonical(written[property]) !== canonical(expected[property]);
  });
}

function regionsOfDatabase(db: DatabaseMeta): DatabaseRegions {
  const regions: DatabaseRegions = { name: db.name, regions: db.regions, survival: db.survival, placement: db.placement };
  if (db.primaryRegion !== undefined) regions.primaryRegion = db.primaryRegion;
  if (db.secondaryRegion !== undefined) regions.secondaryRegion = db.secondaryRegion;
  return regions;
}

function databaseMismatch(catalog: Catalog, db: DatabaseMeta): Mismatch | undefined {
  // A discarded database configuration lacks num_replicas first (global_reads is never set there).
  const discarded = catalog.zones.has(`${MISSING}database:${db.name}`) ? 'num_replicas' : undefined;
  // The regions write every field but global_reads on a database.
  const compared = MULTI_REGION_ZONE_FIELDS.filter((f) => f !== 'global_reads');
  const field = discarded ?? modifiedField(catalog, `database:${db.name}`, databaseZoneConfig(regionsOfDatabase(db)), compared);
  return field === undefined ? undefined : { kind: 'field', what: `database ${quoteIdent(db.name)}`, field };
}

function partitionName(table: TableMeta, index: string, partition: string): string {
  return `partition ${quoteIdent(partition)} of ${quoteIdent(table.name)}@${quoteIdent(index)}`;
}

/** The first difference in a table's configuration: its own fields, then its partitions', then configurations the regions do not write. */
function tableMismatch(catalog: Catalog, db: DatabaseMeta, table: TableMeta): Mismatch | undefined {
  const prefix = `${db.name}.${table.name}`;
  // A discarded table configuration lacks the first field the regions write there.
  const discarded = catalog.zones.has(`${MISSING}table:${prefix}`)
    ? table.locality?.kind === 'global'
      ? 'global_reads'
      : 'num_voters'
    : undefined;
  // A GLOBAL table's configuration says global_reads = true.
  const global = table.locality?.kind === 'global' ? { ...defaultZoneConfig(), globalReads: true } : undefined;
  const own = discarded ?? modifiedField(catalog, `table:${prefix}`, global, ['global_reads']);
  if (own !== undefined) return { kind: 'field', what: `table ${quoteIdent(table.name)}`, field: own };
  const expected = new Set<string>();
  if (table.locality?.kind === 'regional-by-row') {
    const indexes = [...table.indexes.values()].sort((a, b) => a.id - b.id);
    for (const index of indexes) {
      for (const region of db.regions) {
        const key = `partition:${prefix}@${index.name}#${region}`;
        expected.add(key);
        if (catalog.zones.has(MISSING + key)) return { kind: 'missing', what: partitionName(table, index.name, region), field: '' };
        // ALTER PARTITION … OF TABLE writes the primary index's partition.
        const ofTable = index.name === `${table.name}_pkey` ? modifiedField(catalog, `table:${prefix}#${region}`) : undefined;
        const field = modifiedField(catalog, key) ?? ofTable;
        if (field !== undefined) return { kind: 'field', what: partitionName(table, index.name, region), field };
      }
    }
  }
  for (const key of catalog.zones.keys()) {
    const isIndex = key.startsWith(`index:${prefix}@`);
    if (!isIndex && !key.startsWith(`partition:${prefix}@`)) continue;
    if (expected.has(key)) continue;
    const field = modifiedField(catalog, key);
    if (field === undefined) continue;
    const [index = '', partition] = key.slice(key.indexOf('@') + 1).split('#');
    const what = partition === undefined ? `index ${quoteIdent(table.name)}@${quoteIdent(index)}` : partitionName(table, index, partition);
    return { kind: 'extra', what, field };
  }
  return undefined;
}

function modifiedByUserError(mismatch: Mismatch): SqlError {
  const message =
    mismatch.kind === 'field'
      ? `attempting to update zone configuration for ${mismatch.what} which contains modified field "${mismatch.field}"`
      : mismatch.kind === 'missing'
        ? `attempting to update zone config which is missing an expected zone configuration for ${mismatch.what}`
        : `attempting to update zone config which contains an extra zone configuration for ${mismatch.what} with field ${mismatch.field} populated`;
  return new SqlError(INVALID_OBJECT_DEFINITION, message, OVERWRITE_HINT, OVERWRITE_DETAIL);
}

function validationMessage(mismatch: Mismatch): string {
  if (mismatch.kind === 'field') return `zone configuration for ${mismatch.what} contains incorrectly configured field "${mismatch.field}"`;
  if (mismatch.kind === 'missing') return `missing zone configuration for ${mismatch.what}`;
  return `extraneous zone configuration for ${mismatch.what} with field ${mismatch.field} populated`;
}

/**
 * validateZoneConfigForMultiRegionTableWasNotModifiedByUser: changing a table's locality rewrites
 * its zone configurations, so one a user changed (with the override) is refused unless the session
 * overrides again.
 */
export function checkTableZoneNotModified(session: SqlSession, table: TableMeta): void {
  if (overriding(session)) return;
  const catalog = session.cluster.catalog;
  const db = multiRegionDatabaseOf(catalog, table);
  const mismatch = db && tableMismatch(catalog, db, table);
  if (mismatch) throw modifiedByUserError(mismatch);
}

/**
 * validateZoneConfigForMultiRegionDatabaseWasNotModifiedByUser: a region change rewrites the
 * database's zone configuration, so one a user changed or discarded (with the override) is refused
 * unless the session overrides again.
 */
export function checkDatabaseZoneNotModified(session: SqlSession, db: DatabaseMeta): void {
  if (overriding(session)) return;
  const mismatch = databaseMismatch(session.cluster.catalog, db);
  if (mismatch) throw modifiedByUserError(mismatch);
}

/** The database's multi-region fields written again from its regions (a discarded configuration comes back). */
export function resetDatabaseMultiRegionZone(session: SqlSession, db: DatabaseMeta): void {
  session.cluster.catalog.zones.delete(`${MISSING}database:${db.name}`);
  resetZone(session.cluster.catalog, `database:${db.name}`);
}

/**
 * Whether the configuration the regions wrote for a target (its catalog key: `database:d`,
 * `table:d.t`, `partition:d.t@i#p`) was discarded with the override: the target inherits instead.
 */
export function discardedMultiRegionZone(catalog: Catalog, key: string): boolean {
  return catalog.zones.has(MISSING + key);
}

/**
 * Where a multi-region table's configuration comes from once discards count: the one its regions
 * derive for it (`own`: GLOBAL, homed elsewhere, or the database's when it has none of its own),
 * its database's (its own was discarded), or RANGE default (the database's was discarded too).
 */
export function tableZoneSource(catalog: Catalog, table: TableMeta, hasOwnDerived: boolean): 'own' | 'database' | 'default' {
  const databaseDiscarded = catalog.zones.has(`${MISSING}database:${table.database}`);
  if (hasOwnDerived && !catalog.zones.has(`${MISSING}table:${table.database}.${table.name}`)) return 'own';
  return databaseDiscarded ? 'default' : 'database';
}

/** Drops what users set on the multi-region fields of a configuration (and the key when nothing is left). */
function resetZone(catalog: Catalog, key: string): void {
  const settings = catalog.zones.get(key);
  if (!settings) return;
  for (const field of MULTI_REGION_ZONE_FIELDS) settings.delete(field);
  if (settings.size === 0) catalog.zones.delete(key);
}

/**
 * A table's multi-region fields written again from its regions: its own configuration's, its
 * indexes' and partitions' (ApplyZoneConfigForMultiRegionTable clears them on every subzone), and
 * the REGIONAL BY ROW partitions discarded come back.
 */
export function resetTableMultiRegionZones(session: SqlSession, table: TableMeta): void {
  const catalog = session.cluster.catalog;
  const prefix = `${table.database}.${table.name}`;
  for (const key of [...catalog.zones.keys()]) {
    if (key === `${MISSING}table:${prefix}` || key.startsWith(`${MISSING}partition:${prefix}@`)) catalog.zones.delete(key);
    else if (key === `table:${prefix}` || [`table:${prefix}#`, `index:${prefix}@`, `partition:${prefix}@`].some((p) => key.startsWith(p))) {
      resetZone(catalog, key);
    }
  }
}

/**
 * What crdb_internal.validate_multi_region_zone_configs() finds wrong in the current database,
 * the database's own configuration first, then its tables' in the order they were created (the
 * override does not silence it).
 */
function zoneProblems(session: SqlSession): string[] {
  const catalog = session.cluster.catalog;
  const db = catalog.databases.get(session.database);
  if (db?.primaryRegion === undefined) return [];
  const problems: string[] = [];
  const own = databaseMismatch(catalog, db);
  if (own) problems.push(validationMessage(own));
  const tables = catalog.tablesOf(db.name).sort((a, b) => a.id - b.id);
  for (const table of tables) {
    const mismatch = table.locality ? tableMismatch(catalog, db, table) : undefined;
    if (mismatch) problems.push(validationMessage(mismatch));
  }
  return problems;
}

/** Writes the current database's zone configuration problems where the validation builtin reads them. */
export async function fillZoneConfigProblems(session: SqlSession): Promise<void> {
  const rows = zoneProblems(session).map(
    (message, i) => `(${i}, ${quoteLiteral(INVALID_OBJECT_DEFINITION)}, ${quoteLiteral(message)}, ${quoteLiteral(RESET_HINT)})`,
  );
  const statements = ['DELETE FROM crdb_internal.zone_config_problems'];
  if (rows.length > 0) statements.push(`INSERT INTO crdb_internal.zone_config_problems VALUES ${rows.join(', ')}`);
  await session.cluster.engine.exec(statements.join(';\n'));
}

const RESET_BUILTINS = ['reset_multi_region_zone_configs_for_table', 'reset_multi_region_zone_configs_for_database'];

/**
 * `SELECT crdb_internal.reset_multi_region_zone_configs_for_table(<id>)` (or `…_for_database`),
 * read from the statement's tokens: the builtin rewrites catalog state the engine does not hold, so
 * it runs here. Undefined for any other statement (other forms reach the engine's stand-in, which
 * fails with 0A000).
 */
export function resetMultiRegionZoneBuiltin(session: SqlSession, text: string, tokens: readonly Token[]): QueryResult | undefined {
  const words = tokens.filter((t) => t.kind !== 'comment' && !(t.kind === 'punct' && t.value === ';'));
  const [select, schema, dot, name, open, id, close, ...rest] = words;
  if (rest.length > 0 || !select || !schema || !name || !id) return undefined;
  if (select.kind !== 'ident' || select.value.toLowerCase() !== 'select') return undefined;
  if (schema.value.toLowerCase() !== 'crdb_internal' || dot?.value !== '.' || open?.value !== '(' || close?.value !== ')') return undefined;
  const builtin = name.value.toLowerCase();
  if (!RESET_BUILTINS.includes(builtin) || id.kind !== 'number' || !/^\d+$/.test(id.value)) return undefined;
  const objectId = Number(id.value);
  const catalog = session.cluster.catalog;
  const column = `crdb_internal.${builtin}`;
  if (builtin === 'reset_multi_region_zone_configs_for_table') {
    const table = [...catalog.tables.values()].find((t) => t.id === objectId);
    if (!table) {
      throw new SqlError(
        SQLSTATE.undefinedTable,
        `${column}(): error resolving referenced table ID ${objectId}: relation "[${objectId}]" does not exist`,
      );
    }
    // A table that is not multi-region keeps what it has.
    if (multiRegionDatabaseOf(catalog, table)) resetTableMultiRegionZones(session, table);
  } else {
    const db = [...catalog.databases.values()].find((d) => d.id === objectId);
    if (!db) throw new SqlError(SQLSTATE.invalidCatalogName, `${column}(): database "[${objectId}]" does not exist`);
    if (db.primaryRegion !== undefined) resetDatabaseMultiRegionZone(session, db);
  }
  session.cluster.topologyChanged();
  return { ...rowsResult(text, [[column, OID.bool]], [['t']]), tag: 'SELECT 1' };
}
