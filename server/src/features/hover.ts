// Hover: the rule behind a finding, a table's columns and locality from the schema model, a
// column (even one named like a keyword: region, name, "primary"), and CockroachDB keywords,
// types and functions.
import type { Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentStatement } from '../analysis/statements';
import type { LintFinding } from '../lint/engine';
import { rulesById } from '../lint/rules';
import type { SchemaModel, TableInfo } from '../schema/model';
import type * as ast from '../../../sql/src/ast';
import { FUNCTION_DOCS, KEYWORD_DOCS } from '../../../sql/src/knowledge';
import type { Token } from '../../../sql/src/lexer';
import { tableLocalityText } from '../../../sql/src/locality';
import { describeLiveTable, liveFacts, LiveCatalog } from './liveCatalog';
import { tokenContext } from './tokenAt';

function localityText(table: TableInfo): string {
  if (table.locality === undefined) return '';
  return tableLocalityText(
    table.locality === 'regional-by-table' ? { kind: 'regional-by-table', region: table.localityRegion } : { kind: table.locality },
  );
}

export function describeTable(table: TableInfo, model: SchemaModel, live?: LiveCatalog): string {
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
  // What the connected cluster says of the same table: its locality there and its row estimate.
  const there = live?.table(table.name, table.database);
  if (there && live?.snapshot) lines.push('', `On ${live.snapshot.target}: ${liveFacts(there.table).join(' · ') || 'present'}`);
  return lines.join('\n');
}

export function hover(
  document: TextDocument,
  statements: readonly DocumentStatement[],
  findings: readonly LintFinding[],
  model: () => SchemaModel,
  offset: number,
  live: LiveCatalog = new LiveCatalog(),
): Hover | null {
  const parts: string[] = [];
  for (const finding of findings) {
    if (finding.start > offset || finding.end < offset) continue;
    const rule = rulesById.get(finding.rule);
    if (rule) parts.push(`**${rule.id}** — ${rule.title}\n\n${rule.description}\n\n[CockroachDB docs](${rule.docs})`);
  }
  const { token, before, tokens, statement } = tokenContext(statements, offset);
  let range;
  if (token && (token.kind === 'ident' || token.kind === 'qident')) {
    range = { start: document.positionAt(token.start), end: document.positionAt(token.end) };
    const word = token.value;
    const previous = before[before.length - 1];
    const qualifiedBy = previous?.kind === 'punct' && previous.value === '.' ? before[before.length - 2]?.value : undefined;
    const schema = model();
    const column = statement && columnAt(statement, token, before, tokens, schema);
    const table = qualifiedBy && schema.databases.has(qualifiedBy) ? schema.tableByName(qualifiedBy, word) : schema.findTable(word);
    const doc = FUNCTION_DOCS.get(word) ?? (token.kind === 'ident' ? KEYWORD_DOCS.get(word) : undefined);
    // Only the cluster has it: the live catalog's table (after `db.` or a table-taking keyword, or any name it has).
    const liveTable =
      table || column ? undefined : live.table(word, qualifiedBy !== undefined && live.database(qualifiedBy) ? qualifiedBy : undefined);
    if (column) parts.push(column);
    else if (table) parts.push(describeTable(table, schema, live));
    else if (liveTable && live.snapshot) parts.push(describeLiveTable(liveTable, live.snapshot.target));
    else if (doc) parts.push(`${doc.summary}\n\n[CockroachDB docs](${doc.docs})`);
  }
  if (parts.length === 0) return null;
  return { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') }, ...(range ? { range } : {}) };
}

/** A column as hover shows it: its table, type, key, default or computed expression, reference. */
export function describeColumn(tableName: string, column: ast.Column, primaryKey: readonly string[]): string {
  const name = column.name.value;
  let definition = `\`${name}\` ${column.type?.name.toUpperCase() ?? ''}`;
  if (column.computed) definition += ` AS (${column.computed.expr.text}) ${column.computed.stored ? 'STORED' : 'VIRTUAL'}`;
  if (column.default) definition += ` DEFAULT ${column.default.text}`;
  const key = primaryKey.includes(name);
  if (column.notNull && !key) definition += ' NOT NULL';
  if (key) definition += ' — primary key';
  const lines = [`**column ${tableName}.${name}**`, '', definition];
  if (column.references)
    lines.push(
      '',
      `References ${column.references.parts.map((p) => p.value).join('.')}${column.referencedColumn ? ` (${column.referencedColumn.value})` : ''}`,
    );
  return lines.join('\n');
}

/** A column named in a statement, and the table it belongs to ('self': the statement's own table). */
interface NamedColumn {
  name: ast.Name;
  table: 'self' | ast.QualifiedName;
  /** The definition, where the statement itself defines the column. */
  definition?: ast.Column;
}

function indexColumns(index: ast.IndexDef | undefined): NamedColumn[] {
  if (!index) return [];
  const names = [...index.columns.flatMap((c) => (c.name ? [c.name] : [])), ...index.storing, ...(index.partitionBy?.columns ?? [])];
  return names.map((name) => ({ name, table: 'self' }));
}

function foreignKeyColumns(foreignKey: ast.ForeignKey | undefined): NamedColumn[] {
  if (!foreignKey) return [];
  return [
    ...foreignKey.columns.map((name): NamedColumn => ({ name, table: 'self' })),
    ...foreignKey.referencedColumns.map((name): NamedColumn => ({ name, table: foreignKey.table })),
  ];
}

/** Where the parser saw a column name in a DDL statement: the names hover can be sure of. */
function namedColumns(statement: ast.Statement): NamedColumn[] {
  const self = (name: ast.Name | undefined): NamedColumn[] => (name ? [{ name, table: 'self' }] : []);
  switch (statement.type) {
    case 'create-table':
      return [
        ...statement.columns.map((definition): NamedColumn => ({ name: definition.name, table: 'self', definition })),
        ...statement.columns.flatMap((c) =>
          c.referencedColumn && c.references ? [{ name: c.referencedColumn, table: c.references }] : [],
        ),
        ...indexColumns(statement.primaryKey),
        ...statement.indexes.flatMap(indexColumns),
        ...statement.foreignKeys.flatMap(foreignKeyColumns),
        ...(statement.locality?.kind === 'regional-by-row' ? self(statement.locality.as) : []),
        ...(statement.partitionBy?.columns ?? []).flatMap(self),
      ];
    case 'create-index':
      return indexColumns(statement.index);
    case 'alter-table':
      return statement.commands.flatMap((command): NamedColumn[] => {
        switch (command.kind) {
          case 'add-column':
            return [{ name: command.column.name, table: 'self', definition: command.column }];
          case 'drop-column':
          case 'alter-column':
            return self(command.column);
          case 'rename-column':
            return [...self(command.column), ...self(command.to)];
          case 'add-constraint':
            return [...indexColumns(command.index), ...foreignKeyColumns(command.foreignKey)];
          case 'alter-primary-key':
            return indexColumns(command.index);
          case 'set-locality':
            return command.locality.kind === 'regional-by-row' ? self(command.locality.as) : [];
          case 'partition-by':
            return command.partitionBy.columns.flatMap(self);
          default:
            return [];
        }
      });
    default:
      return [];
  }
}

/** The table a DDL statement is about. */
function ownTable(statement: ast.Statement): ast.QualifiedName | undefined {
  if (statement.type === 'create-table' || statement.type === 'alter-table') return statement.name;
  if (statement.type === 'create-index') return statement.table;
  return undefined;
}

/** Words after which a name is a table. */
const TABLE_CONTEXT = new Set(['from', 'join', 'into', 'update', 'table']);

/** The tables a statement names (FROM, JOIN, INTO, UPDATE, TABLE), as the model knows them. */
function tablesNamed(tokens: readonly Token[], schema: SchemaModel): TableInfo[] {
  const tables: TableInfo[] = [];
  for (let i = 0; i < tokens.length - 1; i++) {
    const token = tokens[i];
    if (token?.kind !== 'ident' || !TABLE_CONTEXT.has(token.value)) continue;
    // The last name of a qualified name (db.t, db.s.t) is the table.
    let j = i + 1;
    while (tokens[j + 1]?.kind === 'punct' && tokens[j + 1]?.value === '.' && tokens[j + 2]) j += 2;
    const name = tokens[j];
    const qualifier = j > i + 1 ? tokens[i + 1]?.value : undefined;
    if (name?.kind !== 'ident' && name?.kind !== 'qident') continue;
    const table = qualifier && schema.databases.has(qualifier) ? schema.tableByName(qualifier, name.value) : schema.findTable(name.value);
    if (table && !tables.includes(table)) tables.push(table);
  }
  return tables;
}

/**
 * The column a name under the cursor stands for, described; undefined when it is not a column.
 * In DDL the parser says where column names are; elsewhere (SELECT, INSERT, UPDATE…) a name is
 * a column when a table the statement names has one of that name: a column called region or
 * name is then the column, not the keyword.
 */
function columnAt(
  documentStatement: DocumentStatement,
  token: Token,
  before: readonly Token[],
  tokens: readonly Token[],
  schema: SchemaModel,
): string | undefined {
  const statement = documentStatement.parsed.statement;
  const offset = token.start - documentStatement.offset;
  const word = token.value;
  const label = (table: TableInfo): string => `${table.database}.${table.name}`;
  const fromTable = (table: TableInfo | undefined): string | undefined => {
    const column = table?.columns.get(word);
    return table && column ? describeColumn(label(table), column.definition, table.primaryKey) : undefined;
  };

  const previous = before[before.length - 1];
  if (previous?.kind === 'punct' && previous.value === '.') {
    const qualifier = before[before.length - 2];
    // A table's name, else (an alias) one of the tables the statement names.
    const table = qualifier && (qualifier.kind === 'ident' || qualifier.kind === 'qident') ? schema.findTable(qualifier.value) : undefined;
    if (table) return fromTable(table);
  }

  const own = ownTable(statement);
  if (own) {
    const named = namedColumns(statement).find((c) => c.name.start <= offset && offset <= c.name.end);
    if (!named) return undefined;
    const tableName = named.table === 'self' ? own : named.table;
    const table = schema.table(tableName);
    const described = fromTable(table);
    if (described) return described;
    // Not (or no longer) in the model: the statement's own definition.
    const definition =
      named.definition ??
      (statement.type === 'create-table' && named.table === 'self' ? statement.columns.find((c) => c.name.value === word) : undefined);
    if (!definition) return undefined;
    const key =
      statement.type === 'create-table' && statement.primaryKey
        ? statement.primaryKey.columns.flatMap((c) => (c.name ? [c.name.value] : []))
        : [];
    return describeColumn(table ? label(table) : own.parts.map((p) => p.value).join('.'), definition, key);
  }
  if (TABLE_CONTEXT.has(previous?.value ?? '')) return undefined;
  for (const table of tablesNamed(tokens, schema)) {
    const described = fromTable(table);
    if (described) return described;
  }
  return undefined;
}
