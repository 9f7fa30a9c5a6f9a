// Flags isolation levels CockroachDB does not run as written on the target version:
// READ UNCOMMITTED is upgraded (to READ COMMITTED, or SERIALIZABLE where that is off),
// REPEATABLE READ runs as SERIALIZABLE unless a cluster setting enables it, and READ COMMITTED
// needs sql.txn.read_committed_isolation.enabled before v24.1 (it is on by default since).
//
//   BEGIN TRANSACTION ISOLATION LEVEL READ UNCOMMITTED;  -- flagged
import type * as ast from '../../../../sql/src/ast';
import { DOCS, type Rule } from '../rule';
import { atLeast, formatVersion } from '../version';

export const isolationLevel: Rule = {
  id: 'isolation-level',
  defaultSeverity: 'warning',
  title: 'Isolation level that CockroachDB silently changes',
  description:
    'SERIALIZABLE is the default and what CockroachDB always supports. READ UNCOMMITTED is upgraded to READ COMMITTED. READ COMMITTED exists from v23.2 and is enabled by default from v24.1 ' +
    '(`sql.txn.read_committed_isolation.enabled`); when disabled, such transactions run SERIALIZABLE. REPEATABLE READ runs as SERIALIZABLE unless `sql.txn.repeatable_read_isolation.enabled` is on.',
  docs: `${DOCS}transactions#isolation-levels`,
  check(context) {
    const statement = context.statement;
    if (statement.type !== 'begin' && statement.type !== 'set-transaction') return;
    const isolation: (ast.Span & { level: ast.IsolationLevel }) | undefined = statement.isolation;
    if (!isolation) return;
    const version = context.cockroachVersion;
    const target = formatVersion(version);
    const readCommittedAvailable = atLeast(version, 'v23.2');
    const readCommittedDefault = atLeast(version, 'v24.1');
    switch (isolation.level) {
      case 'read uncommitted':
        context.report(
          isolation,
          readCommittedAvailable
            ? `READ UNCOMMITTED is upgraded to READ COMMITTED${readCommittedDefault ? '' : ' (and to SERIALIZABLE unless sql.txn.read_committed_isolation.enabled is on)'} on CockroachDB ${target}: dirty reads never happen.`
            : `READ UNCOMMITTED runs as SERIALIZABLE on CockroachDB ${target}.`,
        );
        return;
      case 'repeatable read':
      case 'snapshot':
        context.report(
          isolation,
          `${isolation.level.toUpperCase()} runs as SERIALIZABLE on CockroachDB ${target} unless the cluster setting sql.txn.repeatable_read_isolation.enabled is on.`,
        );
        return;
      case 'read committed':
        if (!readCommittedAvailable)
          context.report(
            isolation,
            `READ COMMITTED does not exist before v23.2: on CockroachDB ${target} this transaction runs SERIALIZABLE.`,
          );
        else if (!readCommittedDefault)
          context.report(
            isolation,
            `READ COMMITTED is a preview on CockroachDB ${target}: unless sql.txn.read_committed_isolation.enabled is on, the transaction silently runs SERIALIZABLE.`,
          );
        return;
      default:
        return;
    }
  },
};
