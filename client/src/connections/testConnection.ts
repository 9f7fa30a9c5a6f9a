// Test Connection: connect with a profile as the run commands would, ask `SELECT version()`, and
// say what answered. CockroachDB names itself in version() ("CockroachDB CCL v25.2.1 (…)"); a
// server that does not is PostgreSQL or another PostgreSQL-wire database, where crdb-studio's
// CockroachDB statements (SHOW RANGES, zone configurations) will not work.
import { failureOf } from '../../../runner/src/failures';
import { clientConfig, describeProfile } from '../../../runner/src/profile';
import { SqlSession } from '../../../runner/src/session';
import type { ConnectionFailure, ConnectionProfile } from '../../../runner/src/types';

export type ConnectionTest =
  | { ok: true; cockroachVersion: string; version: string; message: string }
  | { ok: true; cockroachVersion: undefined; version: string; message: string }
  | { ok: false; failure: ConnectionFailure; message: string };

/** `v25.2.1` from a CockroachDB version() string; undefined when it is not CockroachDB's. */
export function cockroachVersionOf(version: string): string | undefined {
  const words = version.trim().split(/\s+/);
  if (words[0] !== 'CockroachDB') return undefined;
  // "CockroachDB CCL v25.2.1 (…)" — the edition word is optional in old builds.
  return words.slice(1, 3).find((word) => /^v\d+\.\d+/.test(word));
}

export async function testConnection(profile: ConnectionProfile, password: string | undefined): Promise<ConnectionTest> {
  const where = describeProfile(profile);
  let session: SqlSession;
  try {
    session = await SqlSession.open(clientConfig({ applicationName: 'crdb-studio', ...profile }, password));
  } catch (error) {
    const failure = failureOf(error) ?? { kind: 'other', message: error instanceof Error ? error.message : String(error) };
    return { ok: false, failure, message: `${failure.message}${failure.hint ? ` (${failure.hint})` : ''}` };
  }
  try {
    const outcome = await session.run('SELECT version()', { pageSize: 1 });
    await outcome.close();
    if (outcome.error) {
      const failure: ConnectionFailure = { kind: 'other', message: `connected, but SELECT version() failed: ${outcome.error.message}` };
      return { ok: false, failure, message: failure.message };
    }
    const version = outcome.rows[0]?.[0] ?? '';
    const cockroachVersion = cockroachVersionOf(version);
    if (cockroachVersion !== undefined) {
      return { ok: true, cockroachVersion, version, message: `Connected to ${where}: CockroachDB ${cockroachVersion}.` };
    }
    return {
      ok: true,
      cockroachVersion: undefined,
      version,
      message: `Connected to ${where}, but it is not CockroachDB (${version.split(' on ')[0] ?? version}): SQL runs, CockroachDB's own statements will not.`,
    };
  } finally {
    await session.close();
  }
}
