// Database, region, locality and zone statements: CockroachDB's rules and errors, kept in the
// catalog (and, where rows depend on them, in the engine: one schema per database, and a
// crdb_internal_region domain listing a multi-region database's regions).
import type * as ast from '../../../sql/src/ast';
import { quoteIdent, quoteLiteral, type DatabaseMeta, type TableLocalityMeta } from './catalog';
import { notSimulated, SqlError, SQLSTATE } from './errors';
import { emptyResult, notice, type QueryResult } from './result';
import type { Session } from './session';

const INVALID_DATABASE_DEFINITION = '42P12';

function clusterRegions(session: Session): string[] {
  return [...new Set(session.simulator.model.nodes().map((n) => n.locality.region))].sort();
}

function checkClusterRegion(session: Session, region: string): void {
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

function database(session: Session, name: string): DatabaseMeta {
  const found = session.simulator.catalog.databases.get(name);
  if (!found) throw new SqlError(SQLSTATE.invalidCatalogName, `database "${name}" does not exist`);
  return found;
}

/** The engine's copy of a database's regions: the domain REGIONAL BY ROW columns use, and the table defaults read. */
async function syncRegions(session: Session, db: DatabaseMeta): Promise<void> {
  const schema = quoteIdent(db.name);
  const values = db.regions.map(quoteLiteral).join(', ');
  const statements = [
    `DELETE FROM crdb_internal.database_regions WHERE database = ${quoteLiteral(db.name)}`,
    ...db.regions.map(
      (r) => `INSERT INTO crdb_internal.database_regions VALUES (${quoteLiteral(db.name)}, ${quoteLiteral(r)}, ${r === db.primaryRegion})`,
    ),
  ];
  const exists = await session.simulator.engine.query(
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

export async function createDatabase(session: Session, text: string, statement: ast.CreateDatabase): Promise<QueryResult> {
  const catalog = session.simulator.catalog;
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
  const result = await session.runEngine(text, `CREATE SCHEMA ${quoteIdent(name)}`, []);
  if (result.error) return result;
  const db = catalog.addDatabase(name);
  db.regions = unique;
  if (statement.primaryRegion) db.primaryRegion = statement.primaryRegion.value;
  if (statement.secondaryRegion) db.secondaryRegion = statement.secondaryRegion.value;
  db.survival = survival;
  if (db.regions.length > 0) await syncRegions(session, db);
  session.simulator.topologyChanged();
  return emptyResult(text, 'CREATE DATABASE');
}

function regionSurvivalError(): SqlError {
  return new SqlError(
    SQLSTATE.invalidParameterValue,
    'at least 3 regions are required for surviving a region failure',
    'you must add additional regions to the database or change the survivability goal',
  );
}

/** A region name as CockroachDB prints a tree.Name: quoted only when it must be. */
function nameText(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export async function alterDatabase(session: Session, text: string, statement: ast.AlterDatabase): Promise<QueryResult> {
  const action = statement.action;
  if (!action) throw new SqlError(SQLSTATE.syntax, 'at or near "EOF": syntax error');
  const db = database(session, statement.name.value);
  const simulator = session.simulator;
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
        for (const table of simulator.catalog.tablesOf(db.name)) table.locality ??= { kind: 'regional-by-table' };
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
          `cannot add region ${nameText(region)} to database ${nameText(db.name)}`,
          `you must add a PRIMARY REGION first using ALTER DATABASE ${nameText(db.name)} PRIMARY REGION ${nameText(region)}`,
        );
      }
      if (db.regions.includes(region)) {
        if (/\bif\s+not\s+exists\b/i.test(text)) {
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
        if (/\bif\s+exists\b/i.test(text)) {
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
        for (const table of simulator.catalog.tablesOf(db.name)) delete table.locality;
      }
      for (const table of simulator.catalog.tablesOf(db.name)) {
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
          if (/\bif\s+exists\b/i.test(text)) {
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
    case 'other':
      if (/\bplacement\s+restricted\b/i.test(text)) db.placement = 'restricted';
      else if (/\bplacement\s+default\b/i.test(text)) db.placement = 'default';
      else throw notSimulated(`ALTER DATABASE … ${action.keyword.toUpperCase()}`);
      break;
  }
  simulator.topologyChanged();
  const result = emptyResult(text, 'ALTER DATABASE');
  for (const n of notices) result.notices.push(notice(n));
  return result;
}

export async function dropDatabase(session: Session, text: string): Promise<QueryResult> {
  const match = /^\s*drop\s+database\s+(if\s+exists\s+)?("(?:[^"]|"")+"|[^\s;]+)(\s+(cascade|restrict))?/i.exec(text);
  if (!match) throw new SqlError(SQLSTATE.syntax, 'at or near "EOF": syntax error');
  const raw = match[2] ?? '';
  const name = raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw.toLowerCase();
  const catalog = session.simulator.catalog;
  if (!catalog.databases.has(name)) {
    if (match[1]) return emptyResult(text, 'DROP DATABASE');
    throw new SqlError(SQLSTATE.invalidCatalogName, `database "${name}" does not exist`);
  }
  const tables = catalog.tablesOf(name);
  if (match[4]?.toLowerCase() === 'restrict' && tables.length > 0) {
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
  session.simulator.topologyChanged();
  result.tag = 'DROP DATABASE';
  return result;
}

/** The locality a CREATE TABLE gives its table, checked as CockroachDB checks it. */
export function tableLocalityOnCreate(session: Session, databaseName: string, statement: ast.CreateTable): TableLocalityMeta | undefined {
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
  session: Session,
  db: DatabaseMeta,
  locality: ast.Locality,
  columns: readonly ast.Column[] | undefined,
  table: string,
): TableLocalityMeta {
  if (locality.kind === 'global') return { kind: 'global' };
  if (locality.kind === 'regional-by-table') {
    const region = locality.region?.value;
    if (region === undefined || locality.inPrimaryRegion) return { kind: 'regional-by-table' };
    if (!db.regions.includes(region)) {
      const id = session.simulator.catalog.table(db.name, table)?.id ?? session.simulator.catalog.peekId();
      throw new SqlError(
        SQLSTATE.invalidTableDefinition,
        `relation "${table}" (${id}): invalid locality config: region "${region}" has not been added to database "${db.name}"`,
        `available regions: ${[...db.regions].sort().join(', ')}`,
      );
    }
    return { kind: 'regional-by-table', region };
  }
  const as = locality.as?.value;
  if (as !== undefined && columns) {
    const column = columns.find((c) => c.name.value === as);
    if (!column) throw new SqlError('42703', `column ${as} in REGIONAL BY ROW AS does not exist`);
    if (column.type?.name !== 'crdb_internal_region') {
      throw new SqlError(
        SQLSTATE.invalidTableDefinition,
        `cannot use column ${as} which has type ${(column.type?.name ?? 'unknown').toUpperCase()} in REGIONAL BY ROW`,
        undefined,
        'REGIONAL BY ROW AS must reference a column of type crdb_internal_region',
      );
    }
  }
  return as === undefined ? { kind: 'regional-by-row' } : { kind: 'regional-by-row', as };
}

export async function alterTableLocality(
  session: Session,
  text: string,
  statement: ast.AlterTable,
  locality: ast.Locality,
): Promise<QueryResult> {
  const simulator = session.simulator;
  const table = simulator.resolveTable(session, statement.name);
  if (!table)
    throw new SqlError(SQLSTATE.undefinedTable, `relation "${statement.name.parts.map((p) => p.value).join('.')}" does not exist`);
  const db = database(session, table.database);
  if (!db.primaryRegion) throw notMultiRegion("cannot alter a table's LOCALITY if its database is not multi-region enabled");
  const next = checkLocality(session, db, locality, undefined, table.name);
  if (next.kind === 'regional-by-row') {
    if (table.partitions)
      throw new SqlError(SQLSTATE.featureNotSupported, 'cannot set a table to REGIONAL BY ROW when it is explicitly partitioned');
    const column = next.as ?? 'crdb_region';
    const { columns } = await simulator.tableColumns(table);
    if (!columns.includes(column)) {
      if (next.as !== undefined) throw new SqlError('42703', `column ${column} in REGIONAL BY ROW AS does not exist`);
      const added = await session.runEngine(
        text,
        `ALTER TABLE ${quoteIdent(table.database)}.${quoteIdent(table.name)} ADD COLUMN crdb_region ${quoteIdent(table.database)}.crdb_internal_region NOT NULL DEFAULT default_to_database_primary_region(gateway_region())`,
        [],
      );
      if (added.error) return added;
      table.hidden.add('crdb_region');
    }
  }
  table.locality = next;
  simulator.topologyChanged();
  // Rows are counted by the REGIONAL BY ROW column, which may be new.
  simulator.dataChanged([table]);
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
export function zoneKey(session: Session, target: ast.ZoneTarget): string {
  const parts = target.name?.parts.map((p) => p.value) ?? [];
  switch (target.kind) {
    case 'database':
      return `database:${parts[0] ?? session.database}`;
    case 'range':
      return `range:${parts[0] ?? 'default'}`;
    case 'table': {
      const name = parts[parts.length - 1] ?? '';
      const db = session.simulator.databaseOfParts(session, parts);
      return `table:${db}.${name}${target.partition ? `#${target.partition.value}` : ''}`;
    }
    case 'index':
    case 'partition': {
      const joined = parts.join('.');
      const [tablePart, indexPart] = joined.includes('@') ? joined.split('@') : [joined, ''];
      return `${target.kind === 'partition' ? 'partition' : 'index'}:${session.database}.${tablePart ?? ''}@${indexPart ?? ''}${target.partition ? `#${target.partition.value}` : ''}`;
    }
  }
}

export function configureZone(session: Session, text: string, zone: ast.ConfigureZone): QueryResult {
  const target = zone.target;
  if (!target) throw new SqlError(SQLSTATE.syntax, 'at or near "configure": syntax error');
  const key = zoneKey(session, target);
  const catalog = session.simulator.catalog;
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
      const value = setting.value.text.trim();
      if (/^default$/i.test(value)) settings.delete(name);
      else settings.set(name, value.replace(/^'(.*)'$/s, '$1'));
    }
    const replicas = Number(settings.get('num_replicas') ?? NaN);
    const voters = Number(settings.get('num_voters') ?? NaN);
    if (!Number.isNaN(replicas) && replicas < 1) throw new SqlError(SQLSTATE.invalidParameterValue, `at least one replica is required`);
    if (!Number.isNaN(replicas) && !Number.isNaN(voters) && voters > replicas) {
      throw new SqlError(SQLSTATE.invalidParameterValue, `num_voters cannot be greater than num_replicas`);
    }
    catalog.zones.set(key, settings);
  }
  session.simulator.topologyChanged();
  return emptyResult(text, 'CONFIGURE ZONE');
}
