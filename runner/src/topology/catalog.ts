// Databases and tables: SHOW DATABASES and SHOW TABLES FROM each database (rows per region
// partition of a REGIONAL BY ROW table are in partitionRows.ts).
import type { TopologyDatabase, TopologyTable } from '../../../protocol/src/topology';
import { reasonOf } from './failure';
import { quoteIdent } from '../../../sql/src/names';
import { parseLocalityText, parseTextArray } from './parse';
import type { Reader } from './reader';

export interface TableEntry {
  table: TopologyTable;
  /** The statement-ready name, `"db"."schema"."table"`. */
  sqlName: string;
  regionColumn?: string;
}

export interface DatabaseEntry {
  database: TopologyDatabase;
  tables: TableEntry[];
}

/** Databases shown only when someone put tables in them. */
const SCAFFOLDING = new Set(['defaultdb', 'postgres']);

function databaseOf(r: Record<string, string | null>): TopologyDatabase {
  const database: TopologyDatabase = { name: r.database_name ?? '', regions: parseTextArray(r.regions) };
  if (r.primary_region) database.primaryRegion = r.primary_region;
  if (r.secondary_region) database.secondaryRegion = r.secondary_region;
  if (r.survival_goal === 'zone' || r.survival_goal === 'region') database.survivalGoal = r.survival_goal;
  return database;
}

export async function readCatalog(reader: Reader, maxTables: number): Promise<DatabaseEntry[]> {
  const shown = await reader.read('SHOW DATABASES');
  if (!shown.ok) {
    reader.note(`databases: SHOW DATABASES failed (${reasonOf(shown.error)}); no databases, tables or ranges are shown`);
    return [];
  }
  const out: DatabaseEntry[] = [];
  for (const r of shown.rows) {
    const database = databaseOf(r);
    if (database.name === '' || database.name === 'system') continue;
    const listed = await reader.read(`SHOW TABLES FROM ${quoteIdent(database.name)}`);
    if (!listed.ok) {
      reader.note(`tables of ${database.name}: SHOW TABLES failed (${reasonOf(listed.error)}); its tables and ranges are not shown`);
      if (!SCAFFOLDING.has(database.name)) out.push({ database, tables: [] });
      continue;
    }
    // Views hold no ranges of their own; sequences are not what the view is about.
    const rows = listed.rows.filter((t) => t.type === undefined || t.type === 'table');
    if (rows.length === 0 && SCAFFOLDING.has(database.name)) continue;
    if (rows.length > maxTables) {
      reader.note(`${database.name} has ${rows.length} tables: only the first ${maxTables} and their ranges are shown`);
    }
    out.push({ database, tables: rows.slice(0, maxTables).map((t) => tableOf(database, t)) });
  }
  return out;
}

function tableOf(database: TopologyDatabase, r: Record<string, string | null>): TableEntry {
  const schema = r.schema_name ?? 'public';
  const name = r.table_name ?? '';
  const table: TopologyTable = { database: database.name, name: schema === 'public' ? name : `${schema}.${name}` };
  const entry: TableEntry = { table, sqlName: [database.name, schema, name].map(quoteIdent).join('.') };
  if (r.locality) {
    table.localityText = r.locality;
    const info = parseLocalityText(r.locality, database.primaryRegion);
    if (info.locality !== undefined) table.locality = info.locality;
    if (info.homeRegion !== undefined) table.homeRegion = info.homeRegion;
    if (info.regionColumn !== undefined) entry.regionColumn = info.regionColumn;
  }
  return entry;
}
