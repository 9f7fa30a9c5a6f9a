// The isolation level CockroachDB runs for the one a statement asks for.
import type * as ast from '../../../sql/src/ast';

/**
 * The isolation level CockroachDB runs when asked for one (v25.2 defaults): READ UNCOMMITTED
 * runs as READ COMMITTED, which needs sql.txn.read_committed_isolation.enabled (on by default);
 * REPEATABLE READ / SNAPSHOT need sql.txn.repeatable_read_isolation.enabled (off by default).
 * What is not enabled runs as SERIALIZABLE, silently, as CockroachDB does.
 */
export function effectiveIsolation(level: ast.IsolationLevel, settings: ReadonlyMap<string, string>): string {
  const readCommitted = settings.get('sql.txn.read_committed_isolation.enabled') !== 'false';
  const repeatableRead = settings.get('sql.txn.repeatable_read_isolation.enabled') === 'true';
  if ((level === 'read uncommitted' || level === 'read committed') && readCommitted) return 'read committed';
  if (level !== 'serializable' && repeatableRead) return 'repeatable read';
  return 'serializable';
}
