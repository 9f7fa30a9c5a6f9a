// CockroachDB's users on the simulated cluster. Each user is a role in the engine (CREATE USER and
// CREATE ROLE run there as written, and PostgreSQL keeps only a SCRAM-SHA-256 verifier of a
// password); this module keeps a copy of who may log in, with which verifier, and who belongs to
// admin, read again after each statement that changes roles, so a login never waits for the
// engine. `root` is the engine's superuser and is trusted from the local machine, as in
// `cockroach demo`.
import type { PGlite } from '@electric-sql/pglite';
import { createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { quoteIdent } from '../../../sql/src/names';
import type { Catalog, UserMeta } from './catalog';

export const ROOT = 'root';

/**
 * Whether the role in `column` belongs to admin (directly, or through other roles), by membership
 * alone: pg_has_role answers true for every engine superuser, which admin's members are made.
 */
function inAdmin(column: string): string {
  return `EXISTS (WITH RECURSIVE up(oid) AS (SELECT ${column} UNION SELECT m.roleid FROM pg_auth_members m JOIN up ON m.member = up.oid)
                  SELECT 1 FROM up JOIN pg_roles a ON a.oid = up.oid WHERE a.rolname = 'admin')`;
}

/** The engine's roles as CockroachDB users (its own postgres and pg_* roles are not users). */
export async function readUsers(engine: PGlite): Promise<Map<string, UserMeta>> {
  const result = await engine.query<{ rolname: string; rolcanlogin: boolean; rolpassword: string | null; admin: boolean }>(
    `SELECT rolname, rolcanlogin, rolpassword, ${inAdmin('pg_authid.oid')} AS admin
       FROM pg_authid WHERE rolname NOT LIKE 'pg\\_%' AND rolname <> 'postgres'`,
  );
  return new Map(
    result.rows.map((row) => [
      row.rolname,
      { name: row.rolname, canLogin: row.rolcanlogin, verifier: row.rolpassword ?? undefined, admin: row.admin },
    ]),
  );
}

const ROLE_STATEMENTS = ['create user', 'create role', 'alter user', 'alter role', 'drop user', 'drop role', 'grant', 'revoke'];

/** Whether a statement (the parser's leading keywords) may change users, passwords or role membership. */
export function changesRoles(keywords: string): boolean {
  return ROLE_STATEMENTS.some((prefix) => keywords === prefix || keywords.startsWith(`${prefix} `));
}

/** Whether `user` runs with every privilege: root, and the members of admin. */
export function isPrivileged(users: ReadonlyMap<string, UserMeta>, user: string): boolean {
  return user === ROOT || users.get(user)?.admin === true;
}

/** Whether `password` logs `user` in: a user that may log in, with a password set, and this one. */
export function passwordMatches(users: ReadonlyMap<string, UserMeta>, user: string, password: string): boolean {
  const meta = users.get(user);
  if (!meta?.canLogin || meta.verifier === undefined || password === '') return false;
  return verify(meta.verifier, user, password);
}

/** Checks a password against PostgreSQL's stored verifier, as the server does for a cleartext password. */
function verify(verifier: string, user: string, password: string): boolean {
  if (verifier.startsWith('md5'))
    return same(
      verifier,
      `md5${createHash('md5')
        .update(password + user)
        .digest('hex')}`,
    );
  // SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>, base64 (RFC 5803).
  const [mechanism, parameters, keys] = verifier.split('$');
  const [iterations, salt] = (parameters ?? '').split(':');
  const [storedKey] = (keys ?? '').split(':');
  if (mechanism !== 'SCRAM-SHA-256' || !iterations || !salt || !storedKey) return false;
  const salted = pbkdf2Sync(password.normalize('NFKC'), Buffer.from(salt, 'base64'), Number(iterations), 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  return same(createHash('sha256').update(clientKey).digest('base64'), storedKey);
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Reads the users again from the engine (after a statement that may have changed them). The
 * members of admin become the engine's superusers, and the others stop being: a session runs as
 * its user's role, and admin's privileges are every privilege.
 */
export async function refreshUsers(catalog: Catalog, engine: PGlite): Promise<void> {
  const drift = await engine.query<{ rolname: string; admin: boolean }>(
    `SELECT rolname, admin FROM (SELECT rolname, rolsuper, ${inAdmin('r.oid')} AS admin FROM pg_roles r) roles
      WHERE rolname NOT LIKE 'pg\\_%' AND rolname <> 'postgres' AND rolsuper <> admin`,
  );
  for (const role of drift.rows) await engine.exec(`ALTER ROLE ${quoteIdent(role.rolname)} ${role.admin ? 'SUPERUSER' : 'NOSUPERUSER'}`);
  const users = await readUsers(engine);
  catalog.users.clear();
  for (const [name, user] of users) catalog.users.set(name, user);
  catalog.usersRead = true;
}

/** The users, read from the engine the first time they are needed. */
export async function knownUsers(catalog: Catalog, engine: PGlite): Promise<ReadonlyMap<string, UserMeta>> {
  if (!catalog.usersRead) await refreshUsers(catalog, engine);
  return catalog.users;
}
