// The current target's catalog as the extension last sent it (a summary: databases, tables,
// columns, localities, row estimates), for completion and hover. The workspace's schema model
// wins for every table the files define; the live catalog adds the tables only the cluster has.
import type { CatalogDatabase, CatalogSnapshot, CatalogTable } from '../../../protocol/src/catalog';

export interface LiveTable {
  database: string;
  table: CatalogTable;
}

export class LiveCatalog {
  private current: CatalogSnapshot | undefined;

  set(snapshot: CatalogSnapshot | undefined): void {
    this.current = snapshot;
  }

  get snapshot(): CatalogSnapshot | undefined {
    return this.current;
  }

  database(name: string): CatalogDatabase | undefined {
    return this.current?.databases.find((d) => d.name === name);
  }

  /** Every table, with its database. */
  tables(): LiveTable[] {
    return (this.current?.databases ?? []).flatMap((d) => d.tables.map((table) => ({ database: d.name, table })));
  }

  /** A table by name: in `database` when given, else the session's database first, then any. */
  table(name: string, database?: string): LiveTable | undefined {
    if (database !== undefined) {
      const table = this.database(database)?.tables.find((t) => t.name === name);
      return table ? { database, table } : undefined;
    }
    const current = this.current?.currentDatabase;
    return (current !== undefined ? this.table(name, current) : undefined) ?? this.tables().find((t) => t.table.name === name);
  }
}

/** Hover text of a table only the cluster has: its columns, locality and row estimate. */
export function describeLiveTable(live: LiveTable, target: string): string {
  const { table } = live;
  const lines = [`**table ${live.database}.${table.schema === 'public' ? '' : `${table.schema}.`}${table.name}** — on ${target}`, ''];
  for (const column of table.columns ?? []) {
    if (column.hidden) continue;
    lines.push(`- \`${column.name}\` ${column.type}${column.nullable ? '' : ' NOT NULL'}`);
  }
  // One paragraph: Markdown would run two plain lines together anyway.
  const extra = liveFacts(table);
  if (extra.length > 0) lines.push('', extra.join(' · '));
  return lines.join('\n');
}

/** Locality and row estimate, as phrases for a hover (joined on one line by the caller). */
export function liveFacts(table: CatalogTable): string[] {
  const lines: string[] = [];
  if (table.locality) lines.push(`Locality: ${table.locality}`);
  if (table.estimatedRows !== undefined) lines.push(`Estimated rows: ${table.estimatedRows.toLocaleString('en-US')}`);
  return lines;
}
