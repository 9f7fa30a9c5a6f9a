// CockroachDB's privileges on databases, schemas, tables and types, and its ownership rules.
// What a user holds is kept in an engine table (crdb_internal.object_privileges, keyed by the
// engine object's oid), written in the transaction of the GRANT or REVOKE, so a rollback undoes
// it and a store keeps it. The privileges PostgreSQL itself enforces on rows (SELECT, INSERT,
// UPDATE, DELETE; DROP as TRUNCATE; a schema's CREATE and USAGE) are also granted in the engine,
// where the user's role meets them. Owners are the engine's owners. root and the members of admin
// hold every privilege; an owner holds every privilege on what it owns.
import type * as ast from '../../../sql/src/ast';
import { quoteIdent } from '../../../sql/src/names';
import { OID } from '../wire/messages';
import type { DatabaseMeta } from './catalog';
import type { ClusterContext, SqlSession } from './context';
import { notSimulated, SqlError, SQLSTATE } from './errors';
import { emptyResult, rowsResult, type QueryResult } from './result';
import { partsOf, resolveParts } from './tables';
import { ROOT } from './users';

const INSUFFICIENT_PRIVILEGE = '42501';
const INVALID_GRANT_OPERATION = '0LP01';
const PRIVILEGE_NOT_GRANTED = '01007';
const UNDEFINED_SCHEMA = '3F000';
const ADMIN = 'admin';
const PUBLIC = 'public';

type ObjectKind = 'database' | 'schema' | 'table' | 'type';

/** The privileges CockroachDB lets each kind of object carry (pkg/sql/privilege). */
const VALID: Record<ObjectKind, readonly string[]> = {
  database: ['ALL', 'BACKUP', 'CONNECT', 'CREATE', 'DROP', 'RESTORE', 'ZONECONFIG'],
  schema: ['ALL', 'CHANGEFEED', 'CREATE', 'USAGE'],
  table: ['ALL', 'BACKUP', 'CHANGEFEED', 'CREATE', 'DELETE', 'DROP', 'INSERT', 'SELECT', 'TRIGGER', 'UPDATE', 'ZONECONFIG'],
  type: ['ALL', 'USAGE'],
};

/** How CockroachDB names each kind in its messages. */
const DESCRIBED: Record<ObjectKind, string> = { database: 'database', schema: 'schema', table: 'relation', type: 'type' };

/** CockroachDB privileges the engine enforces itself, as the engine's privileges. */
const ENGINE_PRIVILEGES: Record<'table' | 'schema', Record<string, readonly string[]>> = {
  table: {
    ALL: ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'],
    SELECT: ['SELECT'],
    INSERT: ['INSERT'],
    UPDATE: ['UPDATE'],
    DELETE: ['DELETE'],
    DROP: ['TRUNCATE'],
  },
  schema: { ALL: ['USAGE', 'CREATE'], CREATE: ['CREATE'], USAGE: ['USAGE'] },
};

/** A database, schema, table (view, sequence) or type, as the engine holds it. */
interface PrivilegeObject {
  kind: ObjectKind;
  oid: number;
  database: string;
  schema: string;
  name: string;
  owner: string;
}

interface GrantRow {
  grantee: string;
  privilege: string;
  grantable: boolean;
}

const STORE = 'crdb_internal.object_privileges';

/** The engine table of privileges (made on first use, by the engine's superuser). */
async function ensureStore(cluster: ClusterContext): Promise<void> {
  await cluster.engine.query(
    `CREATE TABLE IF NOT EXISTS ${STORE} (object_kind text NOT NULL, object_oid oid NOT NULL, grantee text NOT NULL,
       privilege text NOT NULL, grantable bool NOT NULL, PRIMARY KEY (object_kind, object_oid, grantee, privilege))`,
  );
}

/** The engine's superuser owns what the simulator made (defaultdb, postgres): root, to CockroachDB. */
function userName(role: string): string {
  return role === 'postgres' ? ROOT : role;
}

// ---- resolving objects ---------------------------------------------------------------------

async function databaseObject(session: SqlSession, name: string): Promise<PrivilegeObject> {
  const found = session.cluster.catalog.databases.has(name)
    ? await session.cluster.engine.query<{ oid: number; owner: string }>(
        `SELECT oid, pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = $1`,
        [name],
      )
    : undefined;
  const row = found?.rows[0];
  if (!row) throw new SqlError(SQLSTATE.invalidCatalogName, `database "${name}" does not exist`);
  return { kind: 'database', oid: row.oid, database: name, schema: '', name, owner: userName(row.owner) };
}

async function schemaObject(session: SqlSession, name: ast.QualifiedName): Promise<PrivilegeObject> {
  const parts = partsOf(name);
  const database = parts.length > 1 ? (parts[0] ?? '') : session.database;
  const schema = parts[parts.length - 1] ?? '';
  if (schema !== 'public' || !session.cluster.catalog.databases.has(database))
    throw new SqlError(UNDEFINED_SCHEMA, `schema "${parts.join('.')}" does not exist`);
  const db = await databaseObject(session, database);
  return { ...db, kind: 'schema', schema, name: schema };
}

const RELATION_KINDS = "('r', 'p', 'v', 'm', 'S')";

async function tableObject(session: SqlSession, name: ast.QualifiedName): Promise<PrivilegeObject> {
  const resolved = resolveParts(session, partsOf(name));
  const found =
    resolved.schema === 'public' && session.cluster.catalog.databases.has(resolved.database)
      ? await session.cluster.engine.query<{ oid: number; owner: string }>(
          `SELECT c.oid, pg_get_userbyid(c.relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ${RELATION_KINDS}`,
          [resolved.database, resolved.name],
        )
      : undefined;
  const row = found?.rows[0];
  if (!row) throw new SqlError(SQLSTATE.undefinedTable, `relation "${partsOf(name).join('.')}" does not exist`);
  return { kind: 'table', oid: row.oid, database: resolved.database, schema: 'public', name: resolved.name, owner: userName(row.owner) };
}

async function typeObject(session: SqlSession, name: ast.QualifiedName): Promise<PrivilegeObject> {
  const resolved = resolveParts(session, partsOf(name));
  const found =
    resolved.schema === 'public'
      ? await session.cluster.engine.query<{ oid: number; owner: string }>(
          `SELECT t.oid, pg_get_userbyid(t.typowner) AS owner FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = $1 AND t.typname = $2 AND t.typtype IN ('e', 'd')`,
          [resolved.database, resolved.name],
        )
      : undefined;
  const row = found?.rows[0];
  if (!row) throw new SqlError(SQLSTATE.undefinedObject, `type "${partsOf(name).join('.')}" does not exist`);
  return { kind: 'type', oid: row.oid, database: resolved.database, schema: 'public', name: resolved.name, owner: userName(row.owner) };
}

/** Every table, view and sequence of a database's public schema. */
async function relationsOf(session: SqlSession, database: string): Promise<PrivilegeObject[]> {
  const found = await session.cluster.engine.query<{ oid: number; owner: string; relname: string }>(
    `SELECT c.oid, c.relname, pg_get_userbyid(c.relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ${RELATION_KINDS} ORDER BY c.relname`,
    [database],
  );
  return found.rows.map((r) => ({ kind: 'table', oid: r.oid, database, schema: 'public', name: r.relname, owner: userName(r.owner) }));
}

/** The user-visible types of a database (enums, and the multi-region enum). */
async function typesOf(session: SqlSession, database: string): Promise<PrivilegeObject[]> {
  const found = await session.cluster.engine.query<{ oid: number; owner: string; typname: string }>(
    `SELECT t.oid, t.typname, pg_get_userbyid(t.typowner) AS owner FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = $1 AND (t.typtype = 'e' OR t.typname = 'crdb_internal_region') ORDER BY t.typname`,
    [database],
  );
  return found.rows.map((r) => ({ kind: 'type', oid: r.oid, database, schema: 'public', name: r.typname, owner: userName(r.owner) }));
}

async function targetObjects(session: SqlSession, target: ast.PrivilegeTarget): Promise<PrivilegeObject[]> {
  const objects: PrivilegeObject[] = [];
  for (const name of target.names) {
    switch (target.kind) {
      case 'database':
        objects.push(await databaseObject(session, name.name.value));
        break;
      case 'schema':
        objects.push(await schemaObject(session, name));
        break;
      case 'type':
        objects.push(await typeObject(session, name));
        break;
      case 'table':
        objects.push(await tableObject(session, name));
        break;
      case 'all-tables-in-schema':
        objects.push(...(await relationsOf(session, (await schemaObject(session, name)).database)));
        break;
    }
  }
  return objects;
}

/** The catalog table `database`.`name` as a privilege object. */
function catalogTable(session: SqlSession, database: string, name: string): Promise<PrivilegeObject> {
  const part = (value: string): ast.Name => ({ start: 0, end: 0, value, quoted: true });
  return tableObject(session, { start: 0, end: 0, parts: [part(database), part('public'), part(name)], name: part(name) });
}

// ---- who holds what ------------------------------------------------------------------------

/** The roles `user` acts as: itself, every role it is a member of (directly or not), and public. */
async function rolesOf(cluster: ClusterContext, user: string): Promise<Set<string>> {
  const roles = new Set([user, PUBLIC]);
  for (const role of await ancestors(cluster, user)) roles.add(userName(role));
  return roles;
}

/** The roles `role` belongs to, directly or through others (by membership alone: pg_has_role answers true for superusers). */
async function ancestors(cluster: ClusterContext, role: string): Promise<string[]> {
  const found = await cluster.engine.query<{ rolname: string }>(
    `WITH RECURSIVE up(oid) AS (
       SELECT oid FROM pg_roles WHERE rolname = $1
       UNION SELECT m.roleid FROM pg_auth_members m JOIN up ON m.member = up.oid)
     SELECT r.rolname FROM up JOIN pg_roles r ON r.oid = up.oid WHERE r.rolname <> $1`,
    [role],
  );
  return found.rows.map((r) => r.rolname);
}

/** Whether `roles` hold every privilege: root, and admin's members. */
function isAdmin(user: string, roles: ReadonlySet<string>): boolean {
  return user === ROOT || roles.has(ADMIN) || roles.has(ROOT);
}

/** The privileges granted on `object` (root's and admin's ALL aside): what was granted, or CockroachDB's defaults. */
async function grantsOn(cluster: ClusterContext, object: PrivilegeObject): Promise<GrantRow[]> {
  await ensureStore(cluster);
  const stored = await cluster.engine.query<GrantRow>(
    `SELECT grantee, privilege, grantable FROM ${STORE} WHERE object_kind = $1 AND object_oid = $2`,
    [object.kind, object.oid],
  );
  if (stored.rows.length > 0) return stored.rows.filter((r) => r.grantee !== '');
  return defaultGrants(object);
}

/** What CockroachDB grants on a new object: public may connect to a database, use and create in the public schema, use types. */
function defaultGrants(object: PrivilegeObject): GrantRow[] {
  const rows: GrantRow[] = [];
  if (object.kind === 'database') rows.push({ grantee: PUBLIC, privilege: 'CONNECT', grantable: false });
  if (object.kind === 'schema')
    rows.push({ grantee: PUBLIC, privilege: 'CREATE', grantable: false }, { grantee: PUBLIC, privilege: 'USAGE', grantable: false });
  if (object.kind === 'type') rows.push({ grantee: PUBLIC, privilege: 'USAGE', grantable: false });
  return rows;
}

/** Writes `rows` as everything granted on `object` (a marker row records that the defaults were replaced). */
async function storeGrants(cluster: ClusterContext, object: PrivilegeObject, rows: readonly GrantRow[]): Promise<void> {
  await ensureStore(cluster);
  await cluster.engine.query(`DELETE FROM ${STORE} WHERE object_kind = $1 AND object_oid = $2`, [object.kind, object.oid]);
  for (const row of [{ grantee: '', privilege: '', grantable: false }, ...rows])
    await cluster.engine.query(`INSERT INTO ${STORE} VALUES ($1, $2, $3, $4, $5)`, [
      object.kind,
      object.oid,
      row.grantee,
      row.privilege,
      row.grantable,
    ]);
}

async function holds(session: SqlSession, object: PrivilegeObject, privilege: string, roles?: Set<string>): Promise<boolean> {
  return userHolds(session.cluster, session.user, object, privilege, roles);
}

async function userHolds(
  cluster: ClusterContext,
  user: string,
  object: PrivilegeObject,
  privilege: string,
  roles?: Set<string>,
): Promise<boolean> {
  const acting = roles ?? (await rolesOf(cluster, user));
  if (isAdmin(user, acting) || acting.has(object.owner)) return true;
  return (await grantsOn(cluster, object)).some((r) => acting.has(r.grantee) && (r.privilege === privilege || r.privilege === 'ALL'));
}

function ownsOrAdmin(session: SqlSession, object: PrivilegeObject, roles: Set<string>): boolean {
  return isAdmin(session.user, roles) || roles.has(object.owner);
}

// ---- checks other statements make ----------------------------------------------------------

/** CockroachDB's rule for multi-region changes: the owner, an admin, or CREATE on the object. */
async function requireOwnerOrCreate(session: SqlSession, object: PrivilegeObject, prefix = ''): Promise<void> {
  if (await holds(session, object, 'CREATE')) return;
  throw new SqlError(
    INSUFFICIENT_PRIVILEGE,
    `${prefix}user ${session.user} must be owner of ${object.name} or have CREATE privilege on ${DESCRIBED[object.kind]} ${object.name}`,
  );
}

/** Zone configurations: ZONECONFIG or CREATE on the database or table. */
async function requireZoneConfig(session: SqlSession, object: PrivilegeObject): Promise<void> {
  const roles = await rolesOf(session.cluster, session.user);
  if ((await holds(session, object, 'ZONECONFIG', roles)) || (await holds(session, object, 'CREATE', roles))) return;
  throw new SqlError(
    INSUFFICIENT_PRIVILEGE,
    `user ${session.user} does not have ZONECONFIG or CREATE privilege on ${DESCRIBED[object.kind]} ${object.name}`,
  );
}

async function requireAdmin(session: SqlSession, action: string): Promise<void> {
  if (isAdmin(session.user, await rolesOf(session.cluster, session.user))) return;
  throw new SqlError(INSUFFICIENT_PRIVILEGE, `only users with the admin role are allowed to ${action}`);
}

/** Zone configuration of a database, table, index, partition or range: who may set it. */
export async function checkConfigureZone(session: SqlSession, zone: ast.ConfigureZone): Promise<void> {
  const target = zone.target;
  if (!target) return;
  if (target.kind === 'range') return requireAdmin(session, 'alter system ranges');
  const name = target.name;
  if (!name) return;
  if (target.kind === 'database') {
    const db = session.cluster.catalog.databases.has(name.name.value) ? await databaseObject(session, name.name.value) : undefined;
    if (db) await requireZoneConfig(session, db);
    return;
  }
  // An index or partition's zone is its table's: `t@idx` names the table, `idx` alone is resolved by the handler.
  await refuseVirtualZone(session, name);
  const table = await tableObject(session, name).catch(() => undefined);
  if (table) await requireZoneConfig(session, table);
}

/** Schemas of virtual tables: public may read them, and no one (root neither) holds CREATE or ZONECONFIG. */
const VIRTUAL_SCHEMAS = new Set(['pg_catalog', 'information_schema', 'crdb_internal', 'pg_extension']);

/** A zone configuration on a virtual table: refused as CockroachDB refuses it, for want of the privileges. */
async function refuseVirtualZone(session: SqlSession, name: ast.QualifiedName): Promise<void> {
  const resolved = resolveParts(session, partsOf(name));
  if (!VIRTUAL_SCHEMAS.has(resolved.schema)) return;
  const found = await session.cluster.engine.query(
    `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
    [resolved.schema, resolved.name],
  );
  if (found.rows.length > 0)
    throw new SqlError(
      INSUFFICIENT_PRIVILEGE,
      `user ${session.user} does not have ZONECONFIG or CREATE privilege on relation ${resolved.name}`,
    );
}

/**
 * ALTER DATABASE: CockroachDB's checkPrivilegesForMultiRegionOp on the database, then on the
 * tables the change rewrites: every table when the database becomes (or stops being)
 * multi-region, the REGIONAL BY ROW tables when a region is added or dropped (repartitioned).
 */
export async function checkAlterDatabase(session: SqlSession, statement: ast.AlterDatabase): Promise<void> {
  const action = statement.action;
  const db = session.cluster.catalog.databases.get(statement.name.value);
  if (!action || !db) return;
  switch (action.kind) {
    case 'configure-zone':
      return requireZoneConfig(session, await databaseObject(session, db.name));
    case 'primary-region':
    case 'add-region':
    case 'drop-region':
    case 'survive':
    case 'secondary-region':
    case 'placement':
      break;
    default:
      return;
  }
  await requireOwnerOrCreate(session, await databaseObject(session, db.name));
  const tables = session.cluster.catalog.tablesOf(db.name);
  if ((action.kind === 'primary-region' && !db.primaryRegion) || (action.kind === 'drop-region' && isLastRegion(db, action.region.value))) {
    for (const table of tables) await requireOwnerOrCreate(session, await catalogTable(session, db.name, table.name));
  } else if (action.kind === 'add-region' || action.kind === 'drop-region') {
    for (const table of tables.filter((t) => t.locality?.kind === 'regional-by-row'))
      await requireOwnerOrCreate(session, await catalogTable(session, db.name, table.name), 'cannot repartition regional by row table: ');
  }
}

function isLastRegion(db: DatabaseMeta, region: string): boolean {
  return db.regions.length === 1 && db.regions[0] === region;
}

/**
 * ALTER TABLE: SET LOCALITY needs ownership or CREATE (the multi-region rule), CONFIGURE ZONE
 * needs ZONECONFIG or CREATE, anything else CREATE. A table that does not exist is left to the
 * statement's own error.
 */
export async function checkAlterTable(session: SqlSession, statement: ast.AlterTable): Promise<void> {
  if (statement.commands.some((c) => c.kind === 'configure-zone')) await refuseVirtualZone(session, statement.name);
  const table = await tableObject(session, statement.name).catch(() => undefined);
  if (!table) return;
  for (const command of statement.commands) {
    if (command.kind === 'owner') continue;
    if (command.kind === 'set-locality') await requireOwnerOrCreate(session, table);
    else if (command.kind === 'configure-zone') await requireZoneConfig(session, table);
    else await requireCreate(session, table);
  }
}

/** CREATE INDEX and other schema changes of a table: CREATE on it. */
export async function checkCreateOnTable(session: SqlSession, name: ast.QualifiedName): Promise<void> {
  const table = await tableObject(session, name).catch(() => undefined);
  if (table) await requireCreate(session, table);
}

async function requireCreate(session: SqlSession, object: PrivilegeObject): Promise<void> {
  if (await holds(session, object, 'CREATE')) return;
  throw new SqlError(
    INSUFFICIENT_PRIVILEGE,
    `user ${session.user} does not have CREATE privilege on ${DESCRIBED[object.kind]} ${object.name}`,
  );
}

// ---- ALTER … OWNER TO ----------------------------------------------------------------------

/**
 * ALTER DATABASE / TABLE … OWNER TO: the new owner must exist; an admin may give anything away,
 * anyone else must own the object and be a member of the new owner; a table's new owner must be
 * able to create in its schema.
 */
export async function alterOwner(
  session: SqlSession,
  text: string,
  kind: 'database' | 'table',
  name: ast.QualifiedName,
  owner: ast.Name,
): Promise<QueryResult> {
  const object = kind === 'database' ? await databaseObject(session, name.name.value) : await tableObject(session, name);
  const newOwner = owner.value;
  const cluster = session.cluster;
  if (!(await roleExists(cluster, newOwner))) throw undefinedRole(newOwner);
  const roles = await rolesOf(cluster, session.user);
  if (!isAdmin(session.user, roles)) {
    if (!roles.has(object.owner)) throw new SqlError(INSUFFICIENT_PRIVILEGE, `must be owner of ${kind} ${quoteIdent(object.name)}`);
    if (!roles.has(newOwner)) throw new SqlError(INSUFFICIENT_PRIVILEGE, `must be member of role ${JSON.stringify(newOwner)}`);
  }
  if (kind === 'table') {
    const schema = await schemaObject(session, qualified(object.database, 'public'));
    if (!(await userHolds(cluster, newOwner, schema, 'CREATE')))
      throw new SqlError(INSUFFICIENT_PRIVILEGE, `user ${newOwner} does not have CREATE privilege on schema public`);
  }
  const engineOwner = newOwner === ROOT ? 'root' : newOwner;
  const target =
    kind === 'database' ? `SCHEMA ${quoteIdent(object.database)}` : `TABLE ${quoteIdent(object.database)}.${quoteIdent(object.name)}`;
  await cluster.engine.query(`ALTER ${target} OWNER TO ${quoteIdent(engineOwner)}`);
  return emptyResult(text, kind === 'database' ? 'ALTER DATABASE OWNER' : 'ALTER TABLE OWNER');
}

function qualified(...parts: string[]): ast.QualifiedName {
  const names = parts.map((value) => ({ start: 0, end: 0, value, quoted: true }));
  const last = names[names.length - 1] ?? { start: 0, end: 0, value: '', quoted: true };
  return { start: 0, end: 0, parts: names, name: last };
}

async function roleExists(cluster: ClusterContext, name: string): Promise<boolean> {
  if (name === PUBLIC) return true;
  const found = await cluster.engine.query(
    `SELECT 1 FROM pg_roles WHERE rolname = $1 AND rolname <> 'postgres' AND rolname NOT LIKE 'pg\\_%'`,
    [name],
  );
  return found.rows.length > 0;
}

function undefinedRole(name: string): SqlError {
  return new SqlError(SQLSTATE.undefinedObject, `role/user ${JSON.stringify(name)} does not exist`);
}

// ---- GRANT / REVOKE ------------------------------------------------------------------------

/** GRANT / REVOKE privileges on objects, as CockroachDB checks and records them. Role membership runs on the engine. */
export async function grantOrRevoke(session: SqlSession, text: string, grant: ast.Grant): Promise<QueryResult> {
  const verb = grant.revoke ? 'REVOKE' : 'GRANT';
  const cluster = session.cluster;
  if (!grant.on) {
    for (const grantee of grant.grantees) if (!(await roleExists(cluster, grantee.value))) throw undefinedRole(grantee.value);
    return grantRoles(session, text, grant);
  }
  for (const grantee of grant.grantees)
    if (!(await roleExists(cluster, grantee.value)))
      throw new SqlError(SQLSTATE.undefinedObject, `user or role ${JSON.stringify(grantee.value)} does not exist`);
  // ALL stands alone in CockroachDB's grammar.
  const all = grant.names.find((n) => n.value === 'all');
  if (all && grant.names.length > 1)
    throw new SqlError(SQLSTATE.syntax, `at or near "${grant.names[grant.names.length - 1]?.value ?? 'all'}": syntax error`);
  const objects = await targetObjects(session, grant.on);
  const privileges = [...new Set(grant.names.map((n) => n.value.toUpperCase()))];
  const fixed = grant.grantees.find((g) => g.value === ROOT || g.value === ADMIN);
  const object = objects[0];
  if (grant.revoke && fixed && object)
    throw new SqlError(
      INSUFFICIENT_PRIVILEGE,
      `user ${fixed.value} must have exactly ALL privileges on ${object.kind === 'table' ? 'table' : object.kind} ${JSON.stringify(object.name)}`,
    );
  const roles = await rolesOf(cluster, session.user);
  for (const object of objects) {
    for (const privilege of privileges)
      if (!VALID[object.kind].includes(privilege))
        throw new SqlError(INVALID_GRANT_OPERATION, `invalid privilege type ${privilege} for ${object.kind}`);
    const current = await grantsOn(cluster, object);
    if (!ownsOrAdmin(session, object, roles)) {
      const grantable = (p: string): boolean =>
        current.some((r) => roles.has(r.grantee) && r.grantable && (r.privilege === p || r.privilege === 'ALL'));
      if (!privileges.every(grantable))
        throw new SqlError(
          PRIVILEGE_NOT_GRANTED,
          `user ${session.user} missing WITH GRANT OPTION privilege on one or more of ${[...privileges].sort().join(', ')}`,
        );
    }
    let next = current;
    for (const grantee of grant.grantees.map((g) => g.value))
      next = grant.revoke
        ? revoked(next, object.kind, grantee, privileges, grant.option)
        : granted(next, grantee, privileges, grant.option);
    await storeGrants(cluster, object, next);
    await mirrorToEngine(session, object, grant, privileges);
  }
  return emptyResult(text, verb);
}

function granted(rows: readonly GrantRow[], grantee: string, privileges: readonly string[], grantable: boolean): GrantRow[] {
  const mine = rows.filter((r) => r.grantee === grantee);
  const others = rows.filter((r) => r.grantee !== grantee);
  const held = new Map(mine.map((r) => [r.privilege, r.grantable]));
  if (privileges.includes('ALL')) {
    const wasGrantable = held.get('ALL') ?? false;
    held.clear();
    held.set('ALL', grantable || wasGrantable);
  } else if (!held.has('ALL')) for (const p of privileges) held.set(p, grantable || (held.get(p) ?? false));
  else if (grantable) {
    // ALL already held: only the grant option is new, for these privileges.
    for (const p of privileges) held.set(p, true);
  }
  return [...others, ...[...held].map(([privilege, g]) => ({ grantee, privilege, grantable: g }))];
}

function revoked(
  rows: readonly GrantRow[],
  kind: ObjectKind,
  grantee: string,
  privileges: readonly string[],
  optionOnly: boolean,
): GrantRow[] {
  const mine = rows.filter((r) => r.grantee === grantee);
  const others = rows.filter((r) => r.grantee !== grantee);
  const held = new Map(mine.map((r) => [r.privilege, r.grantable]));
  if (optionOnly) {
    for (const p of held.keys()) if (privileges.includes('ALL') || privileges.includes(p)) held.set(p, false);
  } else if (privileges.includes('ALL')) held.clear();
  else {
    if (held.has('ALL')) {
      // ALL less some privileges: the rest, one by one.
      const grantable = held.get('ALL') ?? false;
      held.delete('ALL');
      for (const p of VALID[kind]) if (p !== 'ALL') held.set(p, grantable);
    }
    for (const p of privileges) held.delete(p);
  }
  return [...others, ...[...held].map(([privilege, g]) => ({ grantee, privilege, grantable: g }))];
}

/** The privileges PostgreSQL enforces, granted or revoked in the engine too. */
async function mirrorToEngine(
  session: SqlSession,
  object: PrivilegeObject,
  grant: ast.Grant,
  privileges: readonly string[],
): Promise<void> {
  // The grant option is CockroachDB's alone: the engine's privileges change only with the privileges.
  if ((grant.revoke && grant.option) || (object.kind !== 'table' && object.kind !== 'schema')) return;
  const map = ENGINE_PRIVILEGES[object.kind];
  const engine = [...new Set(privileges.flatMap((p) => map[p] ?? []))];
  if (engine.length === 0) return;
  const target =
    object.kind === 'table' ? `TABLE ${quoteIdent(object.database)}.${quoteIdent(object.name)}` : `SCHEMA ${quoteIdent(object.database)}`;
  const grantees = grant.grantees.map((g) => (g.value === PUBLIC ? 'PUBLIC' : quoteIdent(g.value))).join(', ');
  await session.cluster.engine.query(
    grant.revoke ? `REVOKE ${engine.join(', ')} ON ${target} FROM ${grantees}` : `GRANT ${engine.join(', ')} ON ${target} TO ${grantees}`,
  );
}

/** GRANT / REVOKE role TO | FROM members: the engine keeps membership; an admin or a role's admin may grant it. */
async function grantRoles(session: SqlSession, text: string, grant: ast.Grant): Promise<QueryResult> {
  const cluster = session.cluster;
  for (const role of grant.names) if (!(await roleExists(cluster, role.value))) throw undefinedRole(role.value);
  const roles = await rolesOf(cluster, session.user);
  if (!isAdmin(session.user, roles)) {
    for (const role of grant.names) {
      const admin = await cluster.engine.query(
        `SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
          WHERE r.rolname = $1 AND u.rolname = $2 AND m.admin_option`,
        [role.value, session.user],
      );
      if (admin.rows.length === 0)
        throw new SqlError(INSUFFICIENT_PRIVILEGE, `${session.user} must have admin option on role ${JSON.stringify(role.value)}`);
    }
  }
  // A role that already belongs to the member would make membership circular.
  for (const role of grant.names)
    for (const member of grant.grantees) {
      if (grant.revoke) break;
      if (role.value === member.value || (await ancestors(cluster, role.value)).includes(member.value))
        throw new SqlError('42P17', `making ${member.value} a member of ${role.value} would create a cycle`);
    }
  const names = grant.names.map((n) => quoteIdent(n.value)).join(', ');
  const members = grant.grantees.map((n) => quoteIdent(n.value)).join(', ');
  const sql = grant.revoke
    ? `REVOKE ${grant.option ? 'ADMIN OPTION FOR ' : ''}${names} FROM ${members}`
    : `GRANT ${names} TO ${members}${grant.option ? ' WITH ADMIN OPTION' : ''}`;
  // Through the session: membership (and so admin) is read again once its transaction ends.
  const result = await session.runEngine(text, sql, []);
  if (!result.error) result.tag = grant.revoke ? 'REVOKE' : 'GRANT';
  return result;
}

// ---- SHOW GRANTS ---------------------------------------------------------------------------

/** SHOW GRANTS [ON …] [FOR users], with CockroachDB's columns for each kind of object. */
export async function showGrants(session: SqlSession, sql: string, show: ast.Show): Promise<QueryResult> {
  if (show.trailing) throw notSimulated('this form of SHOW GRANTS');
  const cluster = session.cluster;
  if (show.grantsOnRoles) return showRoleGrants(cluster, sql, show.grantsOnRoles, show.grantsFor);
  const target = show.grantsOn;
  let wanted: Set<string> | undefined;
  if (show.grantsFor) {
    wanted = new Set();
    for (const user of show.grantsFor) {
      if (!(await roleExists(cluster, user.value))) throw undefinedRole(user.value);
      for (const role of await rolesOf(cluster, user.value)) if (role !== PUBLIC || user.value === PUBLIC) wanted.add(role);
    }
  }
  const objects = target ? await targetObjects(session, target) : await objectsOfDatabase(session);
  const grantable = [['is_grantable', OID.bool]] as [string, number][];
  const rows: (string | null)[][] = [];
  for (const object of objects) {
    for (const grant of await shownGrants(cluster, object)) {
      if (wanted && !wanted.has(grant.grantee)) continue;
      const tail = [grant.grantee, grant.privilege, grant.grantable ? 't' : 'f'];
      if (!target) {
        const schema = object.kind === 'database' ? null : object.schema;
        rows.push([object.database, schema, object.name, object.kind, ...tail]);
      } else if (object.kind === 'database') rows.push([object.database, ...tail]);
      else if (object.kind === 'schema') rows.push([object.database, object.schema, ...tail]);
      else rows.push([object.database, object.schema, object.name, ...tail]);
    }
  }
  const common = ['grantee', 'privilege_type', ...grantable];
  const columns: (string | [string, number])[] = !target
    ? ['database_name', 'schema_name', 'object_name', 'object_type', ...common]
    : target.kind === 'database'
      ? ['database_name', ...common]
      : target.kind === 'schema'
        ? ['database_name', 'schema_name', ...common]
        : ['database_name', 'schema_name', target.kind === 'type' ? 'type_name' : 'table_name', ...common];
  return rowsResult(sql, columns, rows);
}

/**
 * What SHOW GRANTS lists for an object: root's and admin's ALL, the owner's ALL, then what was
 * granted; the owner and its members may grant what they hold, as CockroachDB shows.
 */
async function shownGrants(cluster: ClusterContext, object: PrivilegeObject): Promise<GrantRow[]> {
  const rows: GrantRow[] = [];
  for (const row of await grantsOn(cluster, object)) {
    if (row.grantee === ROOT || row.grantee === ADMIN || row.grantee === object.owner) continue;
    const ownerMember = row.grantee !== PUBLIC && (await ancestors(cluster, row.grantee)).includes(object.owner);
    rows.push({ ...row, grantable: row.grantable || ownerMember });
  }
  rows.push({ grantee: ADMIN, privilege: 'ALL', grantable: true }, { grantee: ROOT, privilege: 'ALL', grantable: true });
  if (object.owner !== ROOT && object.owner !== ADMIN && object.kind !== 'schema')
    rows.push({ grantee: object.owner, privilege: 'ALL', grantable: true });
  return rows.sort((a, b) => compare(a.grantee, b.grantee) || compare(a.privilege, b.privilege));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The current database, its public schema, its tables and its types. */
async function objectsOfDatabase(session: SqlSession): Promise<PrivilegeObject[]> {
  const db = await databaseObject(session, session.database);
  return [
    db,
    { ...db, kind: 'schema', schema: 'public', name: 'public' },
    ...(await relationsOf(session, db.database)),
    ...(await typesOf(session, db.database)),
  ];
}

// ---- entry points for the session ------------------------------------------------------------

/**
 * Checks what CockroachDB requires of the user before the DDL the simulator runs for it (ALTER
 * DATABASE, ALTER TABLE, CREATE INDEX, CONFIGURE ZONE); true when it did, and the engine then
 * runs the statement as its superuser (PostgreSQL would ask for ownership where CockroachDB
 * accepts a privilege).
 */
export async function checkStatementPrivileges(session: SqlSession, statement: ast.Statement): Promise<boolean> {
  switch (statement.type) {
    case 'create-database':
      await checkCreateDatabase(session);
      return true;
    case 'alter-database':
      await checkAlterDatabase(session, statement);
      return true;
    case 'alter-table':
      await checkAlterTable(session, statement);
      return true;
    case 'create-index':
      await checkCreateOnTable(session, statement.table);
      return true;
    case 'configure-zone':
      await checkConfigureZone(session, statement.zone);
      return true;
    case 'other':
      return statement.drop ? checkDrop(session, statement.drop) : false;
    default:
      return false;
  }
}

const DROPPED_RELATIONS = new Set(['table', 'view', 'materialized view', 'sequence']);

/**
 * DROP TABLE / VIEW / SEQUENCE / DATABASE need CockroachDB's DROP privilege (on a database, on
 * its tables too); true when checked (PostgreSQL would ask for ownership). DROP USER / ROLE is
 * refused while the role owns objects or holds privileges, as CockroachDB refuses it.
 */
async function checkDrop(session: SqlSession, drop: ast.Drop): Promise<boolean> {
  if (drop.object === 'user' || drop.object === 'role') {
    for (const { name } of drop.names) await refuseDependentRole(session, name.name.value);
    return false;
  }
  const database = drop.object === 'database';
  if (!database && !DROPPED_RELATIONS.has(drop.object)) return false;
  for (const { name } of drop.names) {
    const object = await (database ? databaseObject(session, name.parts.map((p) => p.value).join('.')) : tableObject(session, name)).catch(
      () => undefined,
    );
    if (!object) continue;
    await requirePrivilege(session, object, 'DROP');
    if (database) for (const relation of await relationsOf(session, object.database)) await requirePrivilege(session, relation, 'DROP');
  }
  return true;
}

async function requirePrivilege(session: SqlSession, object: PrivilegeObject, privilege: string): Promise<void> {
  if (await holds(session, object, privilege)) return;
  throw new SqlError(
    INSUFFICIENT_PRIVILEGE,
    `user ${session.user} does not have ${privilege} privilege on ${DESCRIBED[object.kind]} ${object.name}`,
  );
}

/** A role that owns databases or tables, or holds privileges on them, cannot be dropped: what depends on it is listed. */
async function refuseDependentRole(session: SqlSession, role: string): Promise<void> {
  const cluster = session.cluster;
  if (!(await roleExists(cluster, role))) return;
  await ensureStore(cluster);
  const dependents = await cluster.engine.query<{ what: string }>(
    `SELECT 'owner of database ' || n.nspname AS what FROM pg_namespace n WHERE pg_get_userbyid(n.nspowner) = $1 AND n.nspname = ANY ($2)
     UNION ALL
     SELECT 'owner of table ' || n.nspname || '.public.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE pg_get_userbyid(c.relowner) = $1 AND n.nspname = ANY ($2) AND c.relkind IN ${RELATION_KINDS}
     UNION ALL
     SELECT DISTINCT 'privileges for ' || CASE p.object_kind WHEN 'table' THEN 'table ' || n.nspname || '.public.' || c.relname
                                                             WHEN 'type' THEN 'type ' || tn.nspname || '.public.' || t.typname
                                                             WHEN 'schema' THEN 'schema ' || pn.nspname || '.public'
                                                             ELSE 'database ' || pn.nspname END
       FROM ${STORE} p
       LEFT JOIN pg_class c ON p.object_kind = 'table' AND c.oid = p.object_oid LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_type t ON p.object_kind = 'type' AND t.oid = p.object_oid LEFT JOIN pg_namespace tn ON tn.oid = t.typnamespace
       LEFT JOIN pg_namespace pn ON p.object_kind IN ('database', 'schema') AND pn.oid = p.object_oid
      WHERE p.grantee = $1 AND coalesce(c.oid, t.oid, pn.oid) IS NOT NULL`,
    [role, [...cluster.catalog.databases.keys()]],
  );
  if (dependents.rows.length === 0) return;
  const what = dependents.rows.map((r) => r.what).join('\n');
  throw new SqlError('2BP01', `role ${role} cannot be dropped because some objects depend on it\n${what}`);
}

/** Statements on privileges whose CockroachDB meaning the simulator does not keep: refused rather than half done. */
const UNSIMULATED = ['alter default privileges', 'drop owned'];

/** CREATE USER / ROLE [IF NOT EXISTS] and ALTER DATABASE / TABLE … OWNER TO; undefined for any other statement. */
export async function answerRoleStatement(session: SqlSession, text: string, statement: ast.Statement): Promise<QueryResult | undefined> {
  if (statement.type === 'create-role' && !statement.alter) return createRole(session, text, statement);
  const unsimulated =
    statement.type === 'other' && UNSIMULATED.find((w) => statement.keywords === w || statement.keywords.startsWith(`${w} `));
  if (unsimulated) throw notSimulated(unsimulated.toUpperCase());
  if (statement.type === 'alter-database' && statement.action?.kind === 'owner') {
    const name = statement.name;
    return alterOwner(session, text, 'database', { start: name.start, end: name.end, parts: [name], name }, statement.action.owner);
  }
  if (statement.type !== 'alter-table') return undefined;
  const owner = statement.commands.find((c) => c.kind === 'owner');
  if (owner?.kind !== 'owner') return undefined;
  if (statement.commands.length > 1) throw notSimulated('ALTER TABLE … OWNER TO with other changes');
  return alterOwner(session, text, 'table', statement.name, owner.owner);
}

/** SHOW ROLES / SHOW USERS: CockroachDB's columns; the engine's own superuser is not a user. */
export async function showRoles(cluster: ClusterContext, sql: string): Promise<QueryResult> {
  const roles = await cluster.engine.query<{
    rolname: string;
    canlogin: boolean;
    createdb: boolean;
    createrole: boolean;
    member_of: string;
  }>(
    `SELECT r.rolname, r.rolcanlogin AS canlogin, r.rolcreatedb AS createdb, r.rolcreaterole AS createrole,
            coalesce((SELECT array_agg(g.rolname ORDER BY g.rolname)::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                       WHERE m.member = r.oid), '{}') AS member_of
       FROM pg_roles r WHERE r.rolname NOT LIKE 'pg\\_%' AND r.rolname <> 'postgres' ORDER BY 1`,
  );
  const options = (r: { rolname: string; canlogin: boolean; createdb: boolean; createrole: boolean }): string => {
    const held = [
      ...(r.createdb ? ['CREATEDB'] : []),
      ...(r.createrole ? ['CREATEROLE'] : []),
      ...(r.canlogin || r.rolname === ADMIN ? [] : ['NOLOGIN']),
    ];
    return `{${held.join(',')}}`;
  };
  return rowsResult(
    sql,
    ['username', ['options', OID.textArray], ['member_of', OID.textArray]],
    roles.rows.map((r) => [r.rolname, options(r), r.member_of]),
  );
}

/** CREATE USER / ROLE: CockroachDB's IF NOT EXISTS and message for a name taken; the engine makes the role. */
async function createRole(session: SqlSession, text: string, statement: ast.CreateRole): Promise<QueryResult> {
  const name = statement.name.value;
  if (name === PUBLIC || (await roleExists(session.cluster, name))) {
    if (statement.ifNotExists) return emptyResult(text, 'CREATE ROLE');
    throw new SqlError(SQLSTATE.duplicateObject, `a role/user named ${name} already exists`);
  }
  const sql = statement.ifNotExists ? text.slice(0, statement.ifNotExists.start) + text.slice(statement.ifNotExists.end) : text;
  const result = await session.runEngine(text, sql, []);
  if (!result.error) result.tag = 'CREATE ROLE';
  return result;
}

/** CREATE DATABASE: admins, and users with CREATEDB. */
async function checkCreateDatabase(session: SqlSession): Promise<void> {
  const cluster = session.cluster;
  if (isAdmin(session.user, await rolesOf(cluster, session.user))) return;
  const found = await cluster.engine.query<{ createdb: boolean }>(`SELECT rolcreatedb AS createdb FROM pg_roles WHERE rolname = $1`, [
    session.user,
  ]);
  if (!found.rows[0]?.createdb) throw new SqlError(INSUFFICIENT_PRIVILEGE, 'permission denied to create database');
}

/** A database the simulator created for a user (as the engine's superuser) is the user's. */
export async function ownCreatedDatabase(session: SqlSession, statement: ast.CreateDatabase, result: QueryResult): Promise<QueryResult> {
  if (result.error || session.user === ROOT) return result;
  const db = await databaseObject(session, statement.name.value).catch(() => undefined);
  if (db?.owner === ROOT)
    await session.cluster.engine.query(`ALTER SCHEMA ${quoteIdent(db.database)} OWNER TO ${quoteIdent(session.user)}`);
  return result;
}

/** SHOW GRANTS ON ROLE [roles] [FOR members]: who belongs to which role, and with ADMIN OPTION. */
async function showRoleGrants(
  cluster: ClusterContext,
  sql: string,
  roles: readonly ast.Name[],
  members: readonly ast.Name[] | undefined,
): Promise<QueryResult> {
  for (const name of [...roles, ...(members ?? [])]) if (!(await roleExists(cluster, name.value))) throw undefinedRole(name.value);
  const found = await cluster.engine.query<{ role: string; member: string; admin: boolean }>(
    `SELECT r.rolname AS role, u.rolname AS member, m.admin_option AS admin FROM pg_auth_members m
       JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
      WHERE u.rolname <> 'postgres' AND r.rolname NOT LIKE 'pg\\_%' ORDER BY 1, 2`,
  );
  const roleSet = new Set(roles.map((r) => r.value));
  const memberSet = new Set((members ?? []).map((m) => m.value));
  const rows = found.rows
    .filter((r) => (roleSet.size === 0 || roleSet.has(r.role)) && (memberSet.size === 0 || memberSet.has(r.member)))
    .map((r) => [r.role, r.member, r.admin ? 't' : 'f']);
  return rowsResult(sql, ['role_name', 'member', ['is_admin', OID.bool]], rows);
}

/** The owner of each database (SHOW DATABASES). */
export async function databaseOwners(cluster: ClusterContext): Promise<Map<string, string>> {
  const found = await cluster.engine.query<{ nspname: string; owner: string }>(
    `SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = ANY ($1)`,
    [[...cluster.catalog.databases.keys()]],
  );
  return new Map(found.rows.map((r) => [r.nspname, userName(r.owner)]));
}
