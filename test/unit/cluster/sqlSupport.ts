// Helpers for tests of the simulated cluster's SQL: run statements in a session, read rows by
// column, expect CockroachDB's errors.
import * as assert from 'node:assert/strict';
import type { QueryResult } from '../../../cluster/src/sql/result';
import type { Session } from '../../../cluster/src/sql/session';

/** Runs one statement; fails the test on an error. Returns rows as objects. */
export async function rows(session: Session, sql: string): Promise<Record<string, string | null>[]> {
  const result = await one(session, sql);
  assert.equal(result.error, undefined, `${sql}\n→ ${result.error?.code ?? ''} ${result.error?.message ?? ''}`);
  return result.rows.map((row) => Object.fromEntries(result.fields.map((f, i) => [f.name, row[i] ?? null])));
}

export async function one(session: Session, sql: string): Promise<QueryResult> {
  const results = await session.execute(sql);
  const result = results.find((r) => r.error) ?? results[results.length - 1];
  assert.ok(result, `no result for ${sql}`);
  return result;
}

/** Runs statements in order, failing on the first error. */
export async function exec(session: Session, ...statements: string[]): Promise<void> {
  for (const sql of statements) await rows(session, sql);
}

/** Expects the statement to fail with this SQLSTATE; returns the error for more checks. */
export async function fails(session: Session, sql: string, code: string): Promise<NonNullable<QueryResult['error']>> {
  const result = await one(session, sql);
  assert.ok(result.error, `expected ${sql} to fail with ${code}`);
  assert.equal(result.error.code, code, `${sql}\n→ ${result.error.message}`);
  return result.error;
}

/** The integer a zone configuration's raw_config_sql sets for a variable. */
export function zoneNumber(rawConfigSql: string | null | undefined, variable: string): number | undefined {
  const match = new RegExp(`${variable.replace('.', '\\.')} = (\\d+)`).exec(rawConfigSql ?? '');
  return match ? Number(match[1]) : undefined;
}
