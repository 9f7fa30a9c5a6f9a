// CREATE TEMPORARY TABLE as CockroachDB allows it: only with experimental_enable_temp_tables on,
// and without a LOCALITY (a temporary table lives in the session's own schema, outside the
// database's multi-region layout). The engine keeps it in its own temporary schema; the catalog
// does not record it, so nothing else (ranges, localities, zones) ever looks for it.
import type * as ast from '../../../sql/src/ast';
import type { SqlSession } from './context';
import { notSimulated, SqlError, SQLSTATE } from './errors';

export function checkTemporaryTable(session: SqlSession, statement: ast.CreateTable): void {
  const enabled = (session.vars.get('experimental_enable_temp_tables') ?? 'off').toLowerCase();
  if (!['on', 'true', 'yes', '1'].includes(enabled)) {
    throw new SqlError(
      SQLSTATE.featureNotSupported,
      'temporary tables are only supported experimentally',
      "You can enable temporary tables by running `SET experimental_enable_temp_tables = 'on'`.",
    );
  }
  if (statement.locality) throw notSimulated('LOCALITY on a temporary table');
}
