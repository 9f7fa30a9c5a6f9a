// What the schema explorer writes beside each node: the words a CockroachDB user reads a schema
// by (regions and survival goal of a database, a table's locality, a column's type and
// nullability, an index's kind). Free of the VS Code API, so it is tested on its own.
import type { CatalogColumn, CatalogDatabase, CatalogTable } from '../../../protocol/src/catalog';
import type { CatalogIndex, CatalogPartition, CatalogRegion } from '../../../runner/src/catalog/reader';

export interface Described {
  label: string;
  description?: string;
  tooltip?: string;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** `movr — 3 regions, primary us-east1, survive zone`; a database without regions: just its name. */
export function describeDatabase(database: CatalogDatabase): Described {
  if (database.regions.length === 0) return { label: database.name };
  const parts = [plural(database.regions.length, 'region')];
  if (database.primaryRegion) parts.push(`primary ${database.primaryRegion}`);
  if (database.secondaryRegion) parts.push(`secondary ${database.secondaryRegion}`);
  if (database.survivalGoal) parts.push(`survive ${database.survivalGoal}`);
  return {
    label: database.name,
    description: parts.join(', '),
    tooltip: [
      `Database ${database.name}`,
      `Regions: ${database.regions.join(', ')}`,
      ...(database.primaryRegion ? [`Primary region: ${database.primaryRegion}`] : []),
      ...(database.secondaryRegion ? [`Secondary region: ${database.secondaryRegion}`] : []),
      ...(database.survivalGoal ? [`Survival goal: SURVIVE ${database.survivalGoal.toUpperCase()} FAILURE`] : []),
    ].join('\n'),
  };
}

export function describeRegion(region: CatalogRegion): Described {
  const role = region.primary ? 'primary' : region.secondary ? 'secondary' : '';
  const zones = region.zones.length > 0 ? `zones ${region.zones.join(', ')}` : '';
  const description = [role, zones].filter((s) => s !== '').join(' · ');
  return description === '' ? { label: region.name } : { label: region.name, description };
}

/** A table's locality as its badge: `REGIONAL BY ROW`, `GLOBAL`, `REGIONAL BY TABLE IN "us-west1"`. */
export function describeTable(table: CatalogTable): Described {
  const label = table.schema === 'public' ? table.name : `${table.schema}.${table.name}`;
  const parts: string[] = [];
  if (table.type !== 'table') parts.push(table.type);
  if (table.locality) parts.push(table.locality);
  if (table.estimatedRows !== undefined) parts.push(`~${plural(table.estimatedRows, 'row')}`);
  const tooltip = [
    `${table.type === 'table' ? 'Table' : table.type} ${label}`,
    ...(table.locality ? [`Locality: ${table.locality}`] : []),
    ...(table.estimatedRows !== undefined ? [`Estimated rows: ${table.estimatedRows}`] : []),
  ].join('\n');
  return parts.length > 0 ? { label, description: parts.join(' · '), tooltip } : { label, tooltip };
}

/** `STRING NOT NULL · hidden`, `INT8 · computed: (id * 2)`. */
export function describeColumn(column: CatalogColumn): Described {
  const parts = [column.nullable ? column.type : `${column.type} NOT NULL`];
  if (column.hidden) parts.push('hidden');
  if (column.computed) parts.push(`computed: ${column.computed}`);
  const tooltip = [
    `${column.name} ${column.type}${column.nullable ? ' NULL' : ' NOT NULL'}`,
    ...(column.default ? [`DEFAULT ${column.default}`] : []),
    ...(column.computed ? [`AS ${column.computed}`] : []),
    ...(column.hidden ? ['NOT VISIBLE: SELECT * leaves it out'] : []),
  ].join('\n');
  return { label: column.name, description: parts.join(' · '), tooltip };
}

/** `(email) STORING (name)`, `unique (name) WHERE …`, `(ts) USING HASH`. */
export function describeIndex(index: CatalogIndex): Described {
  const kind = index.primary ? 'primary key' : index.unique ? 'unique' : '';
  let shape = `(${index.columns.join(', ')})`;
  if (index.hashSharded) shape += index.bucketCount !== undefined ? ` USING HASH (${index.bucketCount} buckets)` : ' USING HASH';
  if (index.storing.length > 0) shape += ` STORING (${index.storing.join(', ')})`;
  if (index.predicate) shape += ` WHERE ${index.predicate}`;
  if (index.notVisible) shape += ' NOT VISIBLE';
  const description = kind === '' ? shape : `${kind} ${shape}`;
  const flags = [
    index.primary ? 'primary' : index.unique ? 'unique' : 'secondary',
    ...(index.hashSharded ? ['hash-sharded'] : []),
    ...(index.storing.length > 0 ? ['storing'] : []),
    ...(index.predicate ? ['partial'] : []),
  ];
  return { label: index.name, description, tooltip: `Index ${index.name}: ${flags.join(', ')}\n${shape}` };
}

export function describePartition(partition: CatalogPartition): Described {
  const tooltip = [`Partition ${partition.name} of ${partition.index}`, `VALUES IN ${partition.values}`];
  if (partition.zoneConfig) tooltip.push('', partition.zoneConfig);
  return { label: partition.name, description: `${partition.index} · ${partition.values}`, tooltip: tooltip.join('\n') };
}

/** The lines of `ALTER … CONFIGURE ZONE USING a = 1, b = 2`: one per variable. */
export function zoneLines(rawConfigSql: string): string[] {
  const using = rawConfigSql.indexOf('USING');
  const body = using >= 0 ? rawConfigSql.slice(using + 'USING'.length) : rawConfigSql;
  const lines: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of body) {
    if (ch === "'") quoted = !quoted;
    if (!quoted && (ch === '[' || ch === '{')) depth++;
    if (!quoted && (ch === ']' || ch === '}')) depth--;
    if (ch === ',' && !quoted && depth === 0) {
      lines.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim() !== '') lines.push(current.trim());
  return lines.filter((l) => l !== '');
}

/** The message of an error as one line, for an error node. */
export function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? `${message} (SQLSTATE ${code})` : message;
}
