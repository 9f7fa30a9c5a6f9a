// CockroachDB versions as the settings write them (v25.2), compared numerically, and the facts
// that differ between versions, each with the release where it changed. Rules phrase their
// messages from these, so a message names only what exists in the target version.
export interface CockroachVersion {
  major: number;
  minor: number;
}

/** Versions already read: rules compare against the same few SINCE texts for every statement. */
const parsedVersions = new Map<string, Readonly<CockroachVersion>>();

export function parseVersion(text: string): CockroachVersion {
  let version = parsedVersions.get(text);
  if (!version) {
    const match = /^v?(\d+)\.(\d+)/.exec(text.trim());
    version = Object.freeze({ major: Number(match?.[1] ?? 25), minor: Number(match?.[2] ?? 2) });
    // Bounded: configurations name a handful of versions, but a long editing session types many.
    if (parsedVersions.size < 256) parsedVersions.set(text, version);
  }
  return version;
}

/** a >= b */
export function atLeast(a: CockroachVersion, b: string): boolean {
  const other = parseVersion(b);
  return a.major > other.major || (a.major === other.major && a.minor >= other.minor);
}

export function formatVersion(version: CockroachVersion): string {
  return `v${version.major}.${version.minor}`;
}

/** The release where each version-dependent behaviour begins. */
export const SINCE = {
  /** uuid_generate_v4() and the other uuid-ossp functions are built in. */
  uuidOsspFunctions: 'v21.1',
  /** CREATE EXTENSION "uuid-ossp" is accepted and does nothing (the functions are built in). */
  uuidOsspExtension: 'v22.2',
  /** CREATE EXTENSION vector (pgvector's VECTOR type). */
  vectorExtension: 'v24.2',
  /** Interleaving off by default (sql.defaults.interleaved_tables.enabled): INTERLEAVE IN PARENT fails. */
  interleaveDisabled: 'v21.1',
  /** INTERLEAVE IN PARENT parsed, then ignored with a notice. */
  interleaveIgnored: 'v21.2',
  /** INTERLEAVE IN PARENT gone from the grammar: a syntax error. */
  interleaveSyntaxError: 'v22.1',
  /** READ COMMITTED (and the setting for REPEATABLE READ) exist; before, every level runs SERIALIZABLE. */
  weakIsolation: 'v23.2',
  /** sql.txn.read_committed_isolation.enabled is on by default; weak isolation needs a licence. */
  readCommittedByDefault: 'v24.1',
  /** REPEATABLE READ's setting is public as sql.txn.repeatable_read_isolation.enabled. */
  repeatableReadSetting: 'v24.3',
  /** ALTER COLUMN TYPE with a rewrite is generally available (no session variable). */
  alterColumnTypeGeneral: 'v25.1',
  /** autocommit_before_ddl on by default: a schema change commits the explicit transaction it is sent in first. */
  autocommitBeforeDdl: 'v25.1',
  /**
   * ALTER COLUMN TYPE that only needs the existing values checked (INT8 to INT4, a shorter
   * VARCHAR, a smaller DECIMAL precision) runs in the declarative schema changer, in place;
   * before, the legacy schema changer rewrote the column for it, as for a general conversion.
   */
  alterColumnTypeValidateInPlace: 'v24.3',
  /** CREATE EXTENSION exists (a no-op for postgis); before, the statement is a syntax error. */
  createExtension: 'v20.2',
  /** CREATE EXTENSION pg_trgm accepted (the trigram functions and operators are built in). */
  pgTrgmExtension: 'v22.2',
} as const;

export const READ_COMMITTED_SETTING = 'sql.txn.read_committed_isolation.enabled';
export const ALTER_COLUMN_TYPE_VARIABLE = 'enable_experimental_alter_column_type_general';

/** The cluster settings that decide which isolation levels a version runs, and their defaults. */
export interface IsolationSettings {
  /** Undefined before v23.2: every level runs SERIALIZABLE. */
  readCommitted?: { setting: string; onByDefault: boolean };
  repeatableRead?: { setting: string; onByDefault: false; publicSetting: boolean };
  /** From v24.1 the weak levels also need a licence on the cluster. */
  licenceRequired: boolean;
}

export function isolationSettings(version: CockroachVersion): IsolationSettings {
  if (!atLeast(version, SINCE.weakIsolation)) return { licenceRequired: false };
  const renamed = atLeast(version, SINCE.repeatableReadSetting);
  return {
    readCommitted: { setting: READ_COMMITTED_SETTING, onByDefault: atLeast(version, SINCE.readCommittedByDefault) },
    repeatableRead: {
      setting: renamed ? 'sql.txn.repeatable_read_isolation.enabled' : 'sql.txn.snapshot_isolation.enabled',
      onByDefault: false,
      publicSetting: renamed,
    },
    licenceRequired: atLeast(version, SINCE.readCommittedByDefault),
  };
}

export type RunningLevel = 'serializable' | 'repeatable read' | 'read committed';

/** What the cluster allows, for upgradeIsolation(). */
export interface ClusterIsolation {
  readCommittedEnabled: boolean;
  repeatableReadEnabled: boolean;
  licensed: boolean;
}

/**
 * The level a requested isolation level runs at, as CockroachDB's UpgradeToEnabledLevel decides
 * it: the weakest enabled level at least as strong as the one asked for. READ UNCOMMITTED asks
 * for READ COMMITTED; a weak level runs only when its setting is on (and, from v24.1, the
 * cluster has a licence), else the next stronger one is tried; SNAPSHOT is REPEATABLE READ.
 */
export function upgradeIsolation(
  level: 'serializable' | 'repeatable read' | 'read committed' | 'read uncommitted' | 'snapshot',
  version: CockroachVersion,
  cluster: ClusterIsolation,
): RunningLevel {
  const settings = isolationSettings(version);
  const licensed = cluster.licensed || !settings.licenceRequired;
  if (level === 'serializable') return 'serializable';
  if (level === 'read uncommitted' || level === 'read committed')
    if (settings.readCommitted && cluster.readCommittedEnabled && licensed) return 'read committed';
  if (settings.repeatableRead && cluster.repeatableReadEnabled && licensed) return 'repeatable read';
  return 'serializable';
}

/** The settings as a new cluster of that version has them, with a licence. */
export function defaultClusterIsolation(version: CockroachVersion): ClusterIsolation {
  const settings = isolationSettings(version);
  return { readCommittedEnabled: settings.readCommitted?.onByDefault ?? false, repeatableReadEnabled: false, licensed: true };
}
