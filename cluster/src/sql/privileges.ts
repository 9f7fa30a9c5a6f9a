// The engine's privilege errors (42501) in CockroachDB's words. A user who is neither root nor an
// admin runs as its own engine role (see Simulator.asUser), so PostgreSQL checks its privileges;
// what it reports ("permission denied for table t", "must be owner of table t") names no
// privilege, which CockroachDB does: the privilege the statement needed is read from it.
import type * as ast from '../../../sql/src/ast';
import { lex } from '../../../sql/src/lexer';
import { parseDocument } from '../../../sql/src/parser';
import type { ErrorFields } from '../wire/messages';
import { notSimulated, SqlError } from './errors';

/** crdb_internal tables CockroachDB shows only to admins (filled by the simulator, granted to no one). */
const ADMIN_ONLY = new Set(['gossip_nodes', 'gossip_liveness', 'kv_node_status', 'ranges']);

const DENIED_RELATION = ['permission denied for table ', 'permission denied for view ', 'permission denied for sequence '];
const NOT_OWNER = ['must be owner of table ', 'must be owner of view ', 'must be owner of sequence '];
const DENIED_SCHEMA = 'permission denied for schema ';

/** `error` as CockroachDB words it for `user`, who ran `sql`. Errors of other kinds are returned as they are. */
export function cockroachPrivilegeError(user: string, sql: string, error: ErrorFields): ErrorFields {
  if (error.code !== '42501') return error;
  const message = error.message;
  // A database is a schema in the engine, where only CREATE is ever withheld (USAGE is public's).
  if (message.startsWith(DENIED_SCHEMA)) return { ...error, message: `user ${user} does not have CREATE privilege on schema public` };
  const prefix = [...DENIED_RELATION, ...NOT_OWNER].find((p) => message.startsWith(p));
  const table = prefix === undefined ? undefined : message.slice(prefix.length);
  if (table === undefined) return error;
  if (ADMIN_ONLY.has(table) && readsCrdbInternal(sql))
    return { ...error, message: `only users with the admin role are allowed to read crdb_internal.${table}` };
  const privilege = neededPrivilege(parseDocument(sql).statements[0]?.statement);
  return { ...error, message: `user ${user} does not have ${privilege} privilege on relation ${table}` };
}

function readsCrdbInternal(sql: string): boolean {
  return lex(sql).tokens.some((t) => t.kind === 'ident' && t.value === 'crdb_internal');
}

/** The privilege CockroachDB checks first for a statement on a table. */
function neededPrivilege(statement: ast.Statement | undefined): string {
  if (!statement) return 'SELECT';
  if (statement.type === 'create-index' || statement.type === 'alter-table') return 'CREATE';
  if (statement.type !== 'other') return 'SELECT';
  switch (statement.kind) {
    case 'insert':
    case 'upsert':
      return 'INSERT';
    case 'update':
      return 'UPDATE';
    case 'delete':
      return 'DELETE';
    case 'drop':
      return 'DROP';
    default:
      return 'SELECT';
  }
}

/**
 * SET ROLE and SET SESSION AUTHORIZATION to another role. A user that is neither root nor an
 * admin is refused (the engine would allow it: its login is its superuser). For root and admins
 * it is not simulated: each statement runs as the session's user (see Simulator.asUser), so the
 * switch would not outlast its statement and later ones would silently run as the user. Returning
 * to the user itself (NONE, DEFAULT, its own name) changes nothing and is accepted.
 */
export function roleSwitchError(name: string, value: string, user: string, privileged: boolean): SqlError | undefined {
  if (name !== 'role' && name !== 'authorization' && name !== 'session_authorization') return undefined;
  const target = value.toLowerCase();
  if (target === 'none' || target === 'default' || value === user) return undefined;
  if (!privileged) return new SqlError('42501', `permission denied to set role "${value}"`);
  return notSimulated(name === 'role' ? 'SET ROLE' : 'SET SESSION AUTHORIZATION');
}
