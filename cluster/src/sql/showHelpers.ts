// What the SHOW statements share: CockroachDB's text formats (arrays, booleans, localities) and
// resolving the database or table a statement names.
import type { SimNode } from '../model/topology';
import type { Simulator } from '../simulator';
import type { DatabaseMeta, TableMeta } from './catalog';
import { SqlError, SQLSTATE } from './errors';
import type { Session } from './session';

export type Row = (string | null)[];

/** CockroachDB's array text format: {a,b} with quotes where needed. */
export function textArray(values: readonly (string | number)[]): string {
  return `{${values.map((v) => (typeof v === 'number' || /^[A-Za-z0-9_.-]+$/.test(v) ? String(v) : `"${v.replace(/(["\\])/g, '\\$1')}"`)).join(',')}}`;
}

/** A boolean in PostgreSQL's text format. */
export function bool(value: boolean): string {
  return value ? 't' : 'f';
}

export function localityText(node: SimNode): string {
  return `region=${node.locality.region},az=${node.locality.zone}`;
}

export function survivalText(db: DatabaseMeta): string | null {
  if (db.primaryRegion === undefined) return null;
  return db.survival === 'region' ? 'region' : 'zone';
}

export function regionZones(simulator: Simulator): Map<string, string[]> {
  const zones = new Map<string, string[]>();
  for (const node of simulator.model.nodes()) {
    const list = zones.get(node.locality.region) ?? [];
    if (!list.includes(node.locality.zone)) list.push(node.locality.zone);
    zones.set(node.locality.region, list);
  }
  for (const list of zones.values()) list.sort();
  return new Map([...zones].sort(([a], [b]) => a.localeCompare(b)));
}

export function allDatabases(simulator: Simulator): DatabaseMeta[] {
  return [...simulator.catalog.databases.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function requireDatabase(session: Session, name: string | undefined): DatabaseMeta {
  const key = name ?? session.database;
  const db = session.simulator.catalog.databases.get(key);
  if (!db) throw new SqlError(SQLSTATE.invalidCatalogName, `database "${key}" does not exist`);
  return db;
}

export function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name.toLowerCase();
}

/** Resolves `t`, `d.t` or `d.public.t` to a table the catalog knows. */
export function requireTable(session: Session, written: string): TableMeta {
  const parts = written.split('.').map(unquote);
  const name = parts[parts.length - 1] ?? '';
  const table = session.simulator.catalog.table(session.simulator.databaseOfParts(session, parts), name);
  if (!table) throw new SqlError(SQLSTATE.undefinedTable, `relation "${written}" does not exist`);
  return table;
}
