// Hover: the rule behind a finding, a table's columns and locality from the schema model, and
// CockroachDB keywords, types and functions.
import type { Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentStatement } from '../analysis/statements';
import type { LintFinding } from '../lint/engine';
import { rulesById } from '../lint/rules';
import type { SchemaModel, TableInfo } from '../schema/model';
import { FUNCTION_DOCS, KEYWORD_DOCS } from '../../../sql/src/knowledge';
import { tableLocalityText } from '../../../sql/src/locality';
import { tokenContext } from './tokenAt';

function localityText(table: TableInfo): string {
  if (table.locality === undefined) return '';
  return tableLocalityText(
    table.locality === 'regional-by-table' ? { kind: 'regional-by-table', region: table.localityRegion } : { kind: table.locality },
  );
}

export function describeTable(table: TableInfo, model: SchemaModel): string {
  const database = model.databases.get(table.database);
  const lines = [`**table ${table.database}.${table.name}**`, ''];
  for (const column of table.columns.values()) {
    const key = table.primaryKey.includes(column.name) ? ' — primary key' : '';
    lines.push(`- \`${column.name}\` ${column.type?.toUpperCase() ?? ''}${column.definition.notNull && !key ? ' NOT NULL' : ''}${key}`);
  }
  if (table.primaryKey.length === 0) lines.push('- hidden `rowid` primary key (no PRIMARY KEY declared)');
  for (const index of table.indexes)
    lines.push(`- index ${index.name ?? ''} (${index.columns.join(', ')})${index.hashSharded ? ' USING HASH' : ''}`);
  const zone = model.zones.get(`table:${table.database}.${table.name}`);
  if (zone && zone.size > 0) lines.push('', `Zone: ${[...zone].map(([name, value]) => `${name} = ${value}`).join(', ')}`);
  const locality = localityText(table);
  if (database?.primaryRegion)
    lines.push('', `Locality: ${locality || `REGIONAL BY TABLE IN PRIMARY REGION ("${database.primaryRegion}", implicit)`}`);
  else if (locality) lines.push('', `Locality: ${locality}`);
  return lines.join('\n');
}

export function hover(
  document: TextDocument,
  statements: readonly DocumentStatement[],
  findings: readonly LintFinding[],
  model: () => SchemaModel,
  offset: number,
): Hover | null {
  const parts: string[] = [];
  for (const finding of findings) {
    if (finding.start > offset || finding.end < offset) continue;
    const rule = rulesById.get(finding.rule);
    if (rule) parts.push(`**${rule.id}** — ${rule.title}\n\n${rule.description}\n\n[CockroachDB docs](${rule.docs})`);
  }
  const { token, before } = tokenContext(statements, offset);
  let range;
  if (token && (token.kind === 'ident' || token.kind === 'qident')) {
    range = { start: document.positionAt(token.start), end: document.positionAt(token.end) };
    const word = token.value;
    const previous = before[before.length - 1];
    const qualifiedBy = previous?.kind === 'punct' && previous.value === '.' ? before[before.length - 2]?.value : undefined;
    const schema = model();
    const table = qualifiedBy && schema.databases.has(qualifiedBy) ? schema.tableByName(qualifiedBy, word) : schema.findTable(word);
    const doc = FUNCTION_DOCS.get(word) ?? (token.kind === 'ident' ? KEYWORD_DOCS.get(word) : undefined);
    if (table) parts.push(describeTable(table, schema));
    else if (doc) parts.push(`${doc.summary}\n\n[CockroachDB docs](${doc.docs})`);
  }
  if (parts.length === 0) return null;
  return { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') }, ...(range ? { range } : {}) };
}
