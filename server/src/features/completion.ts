// Completion by context: table names where a table goes, columns of the statement's table,
// region names after REGION / IN, locality and survival phrases, types after a new column name,
// functions after DEFAULT, keywords elsewhere. Tables and columns come from the workspace's schema
// model and, for tables only the connected cluster has, from its live catalog (LiveCatalog).
import { CompletionItemKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver';
import type { DocumentStatement } from '../analysis/statements';
import type { SchemaModel, TableInfo } from '../schema/model';
import {
  COLUMN_KEYWORDS,
  FUNCTION_DOCS,
  KEYWORD_DOCS,
  STATEMENT_KEYWORDS,
  TABLE_CLAUSES,
  TYPES,
  ZONE_VARIABLES,
} from '../../../sql/src/knowledge';
import type { Token } from '../../../sql/src/lexer';
import { describeTable } from './hover';
import { describeLiveTable, LiveCatalog, type LiveTable } from './liveCatalog';
import { tokenContext } from './tokenAt';

const TABLE_CONTEXT = new Set(['from', 'join', 'into', 'table', 'update', 'references', 'on']);

function words(tokens: readonly Token[], count: number): string[] {
  return tokens.slice(-count).map((t) => (t.kind === 'ident' ? t.value : t.value));
}

/** A completion with the word's documentation, if the knowledge base has it. */
function keyword(label: string, detail?: string, kind: CompletionItemKind = CompletionItemKind.Keyword): CompletionItem {
  const item: CompletionItem = { label, kind };
  const doc = KEYWORD_DOCS.get(label.split(' ')[0]?.toLowerCase() ?? '');
  if (detail) item.detail = detail;
  if (doc) item.documentation = { kind: 'markdown', value: doc.summary };
  return item;
}

/** Tables of the model, then the live catalog's tables the model does not define; one database's only when given. */
function tableItems(model: SchemaModel, live: LiveCatalog, database?: string): CompletionItem[] {
  const items: CompletionItem[] = [...model.tables.values()]
    .filter((table) => database === undefined || table.database === database)
    .map((table) => ({
      label: table.name,
      kind: CompletionItemKind.Class,
      detail: `table in ${table.database}`,
      documentation: { kind: 'markdown', value: describeTable(table, model, live) },
    }));
  const target = live.snapshot?.target ?? '';
  for (const entry of live.tables()) {
    if (database !== undefined && entry.database !== database) continue;
    if (model.tableByName(entry.database, entry.table.name)) continue;
    items.push({
      label: entry.table.name,
      kind: CompletionItemKind.Class,
      detail: `table in ${entry.database}${entry.table.locality ? ` · ${entry.table.locality}` : ''} (${target})`,
      documentation: { kind: 'markdown', value: describeLiveTable(entry, target) },
    });
  }
  return items;
}

function liveColumnItems(entry: LiveTable): CompletionItem[] {
  return (entry.table.columns ?? []).map((c) => ({
    label: c.name,
    kind: CompletionItemKind.Field,
    detail: `${entry.table.name}.${c.name} ${c.type}${c.hidden ? ' (hidden)' : ''}`,
  }));
}

/**
 * The table a qualifier before `.` stands for: a table's name, or an alias a FROM / JOIN gave one
 * (`FROM users u`, `JOIN rides AS r`). Returns the name the alias stands for, and its database
 * when the statement qualified it.
 */
function tableOfQualifier(tokens: readonly Token[], qualifier: string): { name: string; database?: string } {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.kind !== 'ident' || !ALIAS_CONTEXT.has(token.value)) continue;
    let j = i + 1;
    const parts: string[] = [];
    while (tokens[j] && (tokens[j]?.kind === 'ident' || tokens[j]?.kind === 'qident')) {
      parts.push(tokens[j]?.value ?? '');
      if (tokens[j + 1]?.kind === 'punct' && tokens[j + 1]?.value === '.') j += 2;
      else break;
    }
    if (parts.length === 0) continue;
    let alias = tokens[j + 1];
    if (alias?.kind === 'ident' && alias.value === 'as') alias = tokens[j + 2];
    if (alias && (alias.kind === 'ident' || alias.kind === 'qident') && alias.value === qualifier) {
      const name = parts[parts.length - 1] ?? '';
      return parts.length >= 2 ? { name, database: parts[0] ?? '' } : { name };
    }
  }
  return { name: qualifier };
}

const ALIAS_CONTEXT = new Set(['from', 'join', 'update', 'into']);

function regionItems(model: SchemaModel): CompletionItem[] {
  const regions = new Set<string>();
  for (const database of model.databases.values()) database.regions.forEach((r) => regions.add(r));
  return [...regions]
    .sort()
    .map((region) => ({ label: `"${region}"`, kind: CompletionItemKind.EnumMember, detail: 'region', filterText: region }));
}

function functionItems(): CompletionItem[] {
  return [...FUNCTION_DOCS].map(([name, doc]) => ({
    label: `${name}()`,
    kind: CompletionItemKind.Function,
    insertText: `${name}($0)`,
    insertTextFormat: InsertTextFormat.Snippet,
    documentation: { kind: 'markdown', value: doc.summary },
  }));
}

function statementTable(tokens: readonly Token[], model: SchemaModel): TableInfo | undefined {
  for (let i = 0; i < tokens.length - 1; i++) {
    const token = tokens[i];
    const next = tokens[i + 1];
    if (token?.kind === 'ident' && TABLE_CONTEXT.has(token.value) && next && (next.kind === 'ident' || next.kind === 'qident')) {
      const table = model.findTable(next.value);
      if (table) return table;
    }
  }
  return undefined;
}

/** The statement's table when only the live catalog has it. */
function statementLiveTable(tokens: readonly Token[], live: LiveCatalog): LiveTable | undefined {
  for (let i = 0; i < tokens.length - 1; i++) {
    const token = tokens[i];
    const next = tokens[i + 1];
    if (token?.kind === 'ident' && TABLE_CONTEXT.has(token.value) && next && (next.kind === 'ident' || next.kind === 'qident')) {
      const dotted = tokens[i + 2]?.kind === 'punct' && tokens[i + 2]?.value === '.' ? tokens[i + 3] : undefined;
      const entry = dotted ? live.table(dotted.value, next.value) : live.table(next.value);
      if (entry) return entry;
    }
  }
  return undefined;
}

export function completion(
  statements: readonly DocumentStatement[],
  model: SchemaModel,
  offset: number,
  live: LiveCatalog = new LiveCatalog(),
): CompletionItem[] {
  const { before, tokens, statement } = tokenContext(statements, offset);
  const [w2, w1] = words(before, 2);
  const last = w1 ?? '';
  const previous = w2 ?? '';

  if (!statement || before.length === 0) return STATEMENT_KEYWORDS.map((k) => keyword(k));
  if (
    last === 'region' ||
    last === 'regions' ||
    (last === 'in' && (previous === 'table' || previous === 'by')) ||
    (last === ',' && before.some((t) => t.value === 'regions'))
  ) {
    return regionItems(model);
  }
  if (last === 'locality' || (last === 'set' && before.some((t) => t.value === 'alter'))) {
    return ['GLOBAL', 'REGIONAL BY ROW', 'REGIONAL BY TABLE IN PRIMARY REGION', 'REGIONAL BY TABLE IN'].map((k) =>
      keyword(k, 'table locality'),
    );
  }
  if (last === 'survive') return ['ZONE FAILURE', 'REGION FAILURE'].map((k) => keyword(k, 'survival goal'));
  if (last === 'using' && before.some((t) => t.value === 'zone'))
    return ZONE_VARIABLES.map((v) => ({ label: v, kind: CompletionItemKind.Property, insertText: `${v} = ` }));
  if (last === 'using') return [keyword('HASH', 'hash-sharded index')];
  if (last === 'default') return functionItems();
  if (TABLE_CONTEXT.has(last)) return tableItems(model, live);
  if (last === '.') {
    const qualifier = before[before.length - 2]?.value ?? '';
    // A database: its tables (model and live catalog). A table or an alias: its columns.
    if (model.databases.has(qualifier) || live.database(qualifier)) return tableItems(model, live, qualifier);
    const named = tableOfQualifier(tokens, qualifier);
    const table = named.database !== undefined ? model.tableByName(named.database, named.name) : model.findTable(named.name);
    if (table)
      return [...table.columns.values()].map((c) => ({
        label: c.name,
        kind: CompletionItemKind.Field,
        detail: c.type?.toUpperCase() ?? '',
      }));
    const entry = live.table(named.name, named.database);
    if (entry) return liveColumnItems(entry);
  }
  // Inside CREATE TABLE (…): a type after a new column name, column keywords after a type.
  const head = tokens
    .slice(0, 2)
    .map((t) => t.value)
    .join(' ');
  const depth = before.reduce(
    (d, t) => d + (t.kind === 'punct' && t.value === '(' ? 1 : t.kind === 'punct' && t.value === ')' ? -1 : 0),
    0,
  );
  if (head === 'create table' && depth === 1) {
    const lastToken = before[before.length - 1];
    const secondLast = before[before.length - 2];
    if (lastToken?.kind === 'ident' && secondLast?.kind === 'punct' && (secondLast.value === '(' || secondLast.value === ',')) {
      return TYPES.map((type) => keyword(type, undefined, CompletionItemKind.TypeParameter));
    }
    return [...COLUMN_KEYWORDS.map((k) => keyword(k)), ...functionItems()];
  }
  if (head === 'create table' && depth === 0 && before.some((t) => t.value === ')')) return TABLE_CLAUSES.map((k) => keyword(k));
  const table = statementTable(tokens, model);
  const liveEntry = table ? undefined : statementLiveTable(tokens, live);
  const columns = table
    ? [...table.columns.values()].map((c) => ({
        label: c.name,
        kind: CompletionItemKind.Field,
        detail: `${table.name}.${c.name} ${c.type?.toUpperCase() ?? ''}`,
      }))
    : liveEntry
      ? liveColumnItems(liveEntry)
      : [];
  return [...columns, ...tableItems(model, live), ...functionItems(), ...STATEMENT_KEYWORDS.map((k) => keyword(k))];
}
