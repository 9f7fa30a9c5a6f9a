// The engine's privilege errors (42501) in CockroachDB's words. A user who is neither root nor an
// admin runs as its own engine role (see Simulator.asUser), so PostgreSQL checks its privileges;
// what it reports ("permission denied for table t", "must be owner of table t") names no
// privilege, which CockroachDB does: the privilege the statement needed is read from it.
import type * as ast from '../../../sql/src/ast';
import { lex } from '../../../sql/src/lexer';
import { parseDocument } from '../../../sql/src/parser';
import type { ErrorFields } from '../wire/messages';
import { SqlError } from './errors';

/** crdb_internal tables CockroachDB shows only to admins (filled by the simulator, granted to no one). */
const ADMIN_ONLY = new Set(['gossip_nodes', 'gossip_liveness', 'kv_node_status', 'ranges']);

const DENIED_TABLE = 'permission denied for table ';
const NOT_OWNER = 'must be owner of table ';

/** `error` as CockroachDB words it for `user`, who ran `sql`. Errors of other kinds are returned as they are. */
export function cockroachPrivilegeError(user: string, sql: string, error: ErrorFields): ErrorFields {
  if (error.code !== '42501') return error;
  const message = error.message;
  const table = message.startsWith(DENIED_TABLE)
    ? message.slice(DENIED_TABLE.length)
    : message.startsWith(NOT_OWNER)
      ? message.slice(NOT_OWNER.length)
      : undefined;
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
 * SET ROLE and SET SESSION AUTHORIZATION by a user that is neither root nor an admin: refused.
 * The engine would allow them (its login is its superuser), and they would undo the user's role.
 */
export function roleSwitchError(name: string, value: string): SqlError | undefined {
  if (name !== 'role' && name !== 'authorization' && name !== 'session_authorization') return undefined;
  return new SqlError('42501', `permission denied to set role "${value}"`);
}
