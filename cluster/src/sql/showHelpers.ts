// What the SHOW statements share: CockroachDB's text formats (arrays, booleans) and the
// databases and regions they list.
import type { DatabaseMeta } from './catalog';
import type { ClusterContext, SqlSession } from './context';
import { SqlError, SQLSTATE } from './errors';

export type Row = (string | null)[];

/** CockroachDB's array text format: {a,b} with quotes where needed. */
export function textArray(values: readonly (string | number)[]): string {
  return `{${values.map((v) => (typeof v === 'number' || /^[A-Za-z0-9_.-]+$/.test(v) ? String(v) : `"${v.replace(/(["\\])/g, '\\$1')}"`)).join(',')}}`;
}

/** A boolean in PostgreSQL's text format. */
export function bool(value: boolean): string {
  return value ? 't' : 'f';
}

export function survivalText(db: DatabaseMeta): string | null {
  if (db.primaryRegion === undefined) return null;
  return db.survival === 'region' ? 'region' : 'zone';
}

export function regionZones(cluster: ClusterContext): Map<string, string[]> {
  const zones = new Map<string, string[]>();
  for (const node of cluster.model.nodes()) {
    const list = zones.get(node.locality.region) ?? [];
    if (!list.includes(node.locality.zone)) list.push(node.locality.zone);
    zones.set(node.locality.region, list);
  }
  for (const list of zones.values()) list.sort();
  return new Map([...zones].sort(([a], [b]) => a.localeCompare(b)));
}

export function allDatabases(cluster: ClusterContext): DatabaseMeta[] {
  return [...cluster.catalog.databases.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The database named, or the session's when none is. */
export function requireDatabase(session: SqlSession, name: string | undefined): DatabaseMeta {
  const key = name ?? session.database;
  const db = session.cluster.catalog.databases.get(key);
  if (!db) throw new SqlError(SQLSTATE.invalidCatalogName, `database "${key}" does not exist`);
  return db;
}
