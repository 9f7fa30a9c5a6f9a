// Flags isolation levels CockroachDB does not run as written on the target version. Which level
// a transaction gets is CockroachDB's UpgradeToEnabledLevel (see upgradeIsolation in
// ../version.ts): before v23.2 every level runs SERIALIZABLE; from v23.2 READ COMMITTED runs when
// sql.txn.read_committed_isolation.enabled is on (off in v23.2, on by default from v24.1) and,
// from v24.1, the cluster has a licence — otherwise REPEATABLE READ when its setting is on
// (sql.txn.snapshot_isolation.enabled, public as sql.txn.repeatable_read_isolation.enabled from
// v24.3, off by default), else SERIALIZABLE.
//
//   BEGIN TRANSACTION ISOLATION LEVEL READ UNCOMMITTED;  -- flagged
//   BEGIN ISOLATION LEVEL READ COMMITTED;                -- flagged before v24.1 only
import type * as ast from '../../../../sql/src/ast';
import { DOCS, type Rule } from '../rule';
import {
  defaultClusterIsolation,
  formatVersion,
  isolationSettings,
  SINCE,
  upgradeIsolation,
  type CockroachVersion,
  type IsolationSettings,
} from '../version';

/** "X is on (on by default)" for the messages, with the licence where the version needs one. */
function readCommittedCondition(settings: IsolationSettings, target: string): string {
  const readCommitted = settings.readCommitted;
  if (!readCommitted) return '';
  const byDefault = readCommitted.onByDefault ? 'on by default' : `off by default in ${target}`;
  return `${readCommitted.setting} is on (${byDefault})${settings.licenceRequired ? ' and the cluster has a licence' : ''}`;
}

function repeatableReadCondition(settings: IsolationSettings): string {
  const repeatableRead = settings.repeatableRead;
  if (!repeatableRead) return '';
  const kind = repeatableRead.publicSetting ? 'the cluster setting' : 'the hidden cluster setting';
  return `${kind} ${repeatableRead.setting} is on (off by default)${settings.licenceRequired ? ' and the cluster has a licence' : ''}`;
}

/** The finding for a level on a version, or undefined when the level runs as written by default. */
export function isolationMessage(level: ast.IsolationLevel, version: CockroachVersion): string | undefined {
  if (level === 'serializable') return undefined;
  const target = formatVersion(version);
  const written = level.toUpperCase();
  const settings = isolationSettings(version);
  if (!settings.readCommitted)
    return level === 'read committed'
      ? `READ COMMITTED does not exist before ${SINCE.weakIsolation}: on CockroachDB ${target} the transaction runs SERIALIZABLE.`
      : `${written} runs as SERIALIZABLE on CockroachDB ${target}: weaker isolation levels arrive in ${SINCE.weakIsolation}.`;
  const toRepeatableRead = `to REPEATABLE READ when ${repeatableReadCondition(settings)}, else to SERIALIZABLE`;
  switch (level) {
    case 'read uncommitted':
      return `READ UNCOMMITTED is upgraded on CockroachDB ${target}: to READ COMMITTED when ${readCommittedCondition(settings, target)}, otherwise ${toRepeatableRead}. Dirty reads never happen.`;
    case 'read committed':
      // Runs as written on a new cluster from v24.1 (the setting is on; the licence is assumed).
      if (upgradeIsolation(level, version, defaultClusterIsolation(version)) === 'read committed') return undefined;
      return `READ COMMITTED is a preview in CockroachDB ${target}: unless ${readCommittedCondition(settings, target)}, the transaction is upgraded ${toRepeatableRead}.`;
    case 'repeatable read':
    case 'snapshot': {
      const rename =
        settings.repeatableRead && !settings.repeatableRead.publicSetting
          ? ` (the setting is public as sql.txn.repeatable_read_isolation.enabled from ${SINCE.repeatableReadSetting})`
          : '';
      return `${written} runs as SERIALIZABLE on CockroachDB ${target} unless ${repeatableReadCondition(settings)}${rename}.`;
    }
  }
}

export const isolationLevel: Rule = {
  id: 'isolation-level',
  defaultSeverity: 'warning',
  title: 'Isolation level that CockroachDB silently changes',
  description:
    'SERIALIZABLE is the default and always available. Before v23.2 every other level runs as SERIALIZABLE. ' +
    'From v23.2 a weaker level runs only when its cluster setting is on and, from v24.1, the cluster has a licence; otherwise the transaction is silently upgraded ' +
    'to the next stronger level that is allowed. READ UNCOMMITTED asks for READ COMMITTED. READ COMMITTED needs `sql.txn.read_committed_isolation.enabled` ' +
    '(off in v23.2, on by default from v24.1). REPEATABLE READ (also spelled SNAPSHOT) needs `sql.txn.repeatable_read_isolation.enabled` ' +
    '(`sql.txn.snapshot_isolation.enabled` before v24.3), off by default.',
  docs: `${DOCS}transactions#isolation-levels`,
  statements: ['begin', 'set-transaction'],
  check(context) {
    const statement = context.statement;
    if (statement.type !== 'begin' && statement.type !== 'set-transaction') return;
    const isolation = statement.isolation;
    if (!isolation) return;
    const message = isolationMessage(isolation.level, context.cockroachVersion);
    if (message) context.report(isolation, message);
  },
};
