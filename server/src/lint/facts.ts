// Facts about columns and expressions that several rules share.
import type { DocumentStatement } from '../analysis/statements';
import type { SchemaModel, TableInfo } from '../schema/model';
import type * as ast from '../../../sql/src/ast';

const SERIAL_TYPES = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);
const NOW_FUNCTIONS = new Set([
  'now',
  'current_timestamp',
  'transaction_timestamp',
  'statement_timestamp',
  'clock_timestamp',
  'localtimestamp',
  'current_date',
]);
const TIME_TYPES = new Set(['timestamp', 'timestamptz', 'date', 'time', 'timetz']);

/** Why a column's values grow with time, or undefined when they do not. */
export function sequentialReason(column: ast.Column): string | undefined {
  if (column.type && SERIAL_TYPES.has(column.type.name))
    return `SERIAL (with the default serial_normalization it becomes INT8 DEFAULT unique_rowid(), ordered by time)`;
  if (column.identity) return 'an IDENTITY column (backed by a sequence)';
  const call = column.default?.call;
  if (call === 'unique_rowid') return 'unique_rowid() (roughly ordered by insertion time)';
  if (call === 'nextval') {
    const sequence = column.default?.firstStringArgument;
    return `a sequence${sequence ? ` (${sequence})` : ''}`;
  }
  const word = column.default?.word;
  const type = column.type?.name ?? '';
  if (TIME_TYPES.has(type) && ((call && NOW_FUNCTIONS.has(call)) || (word && NOW_FUNCTIONS.has(word)))) {
    return `a ${type.toUpperCase()} defaulting to ${call ? `${call}()` : (word ?? '')}`;
  }
  return undefined;
}

export function isRegionType(type: string | undefined): boolean {
  return type === 'crdb_internal_region' || type?.endsWith('.crdb_internal_region') === true;
}

export function tableColumn(table: TableInfo | undefined, name: string): ast.Column | undefined {
  return table?.columns.get(name)?.definition;
}

/** The table and the locality a statement gives it: CREATE TABLE … LOCALITY, or ALTER TABLE … SET LOCALITY. */
export function localityOf(statement: ast.Statement): { table: ast.QualifiedName; locality?: ast.Locality } | undefined {
  if (statement.type === 'create-table')
    return statement.locality ? { table: statement.name, locality: statement.locality } : { table: statement.name };
  if (statement.type !== 'alter-table') return undefined;
  let locality: ast.Locality | undefined;
  for (const command of statement.commands) if (command.kind === 'set-locality') locality = command.locality;
  return locality ? { table: statement.name, locality } : { table: statement.name };
}

// ---- column type changes ---------------------------------------------------------------------

/** Type families as CockroachDB groups them for ALTER COLUMN TYPE (types.Family). */
const TYPE_FAMILIES: Record<string, string> = {};
for (const [family, names] of Object.entries({
  int: ['int', 'int2', 'int4', 'int8', 'int64', 'integer', 'bigint', 'smallint', ...SERIAL_TYPES],
  float: ['float', 'float4', 'float8', 'real', 'double precision'],
  decimal: ['decimal', 'numeric', 'dec'],
  string: ['string', 'text', 'varchar', 'char', 'character', 'bpchar', 'name'],
  bytes: ['bytes', 'bytea', 'blob'],
  bool: ['bool', 'boolean'],
  // TIMESTAMP <-> TIMESTAMPTZ (keeping the precision) changes only metadata.
  timestamp: ['timestamp', 'timestamptz'],
  json: ['json', 'jsonb'],
  bit: ['bit', 'varbit'],
}))
  for (const name of names) TYPE_FAMILIES[name] = family;

function familyOf(type: ast.TypeRef): string {
  return type.array ? `${type.name}[]` : (TYPE_FAMILIES[type.name] ?? type.name);
}

/**
 * Whether ALTER COLUMN … TYPE from `from` to `to` rewrites the column (CockroachDB's "general"
 * conversion: a new column is backfilled and swapped in), as schemachange.ClassifyConversion
 * decides it: within a family (a wider or narrower INT, STRING(n), DECIMAL precision, TIMESTAMP
 * to TIMESTAMPTZ) only metadata changes or existing values are validated; STRING <-> BYTES and
 * BYTES -> UUID are validated; anything else, and any USING expression, rewrites. Widths are
 * not compared (the AST keeps none), so a narrowed DECIMAL scale or time precision, which does
 * rewrite, is not seen.
 */
export function typeChangeRewrites(from: ast.TypeRef, to: ast.TypeRef, using: boolean): boolean {
  if (using) return true;
  const a = familyOf(from);
  const b = familyOf(to);
  if (a === b) return false;
  if ((a === 'string' && b === 'bytes') || (a === 'bytes' && (b === 'string' || b === 'uuid'))) return false;
  return true;
}

// ---- tables the document itself created -----------------------------------------------------

/**
 * Whether the document `uri` created `table` before the statement being checked (a rename since
 * keeps it so): no running application knows it yet. With `empty`, also whether it is still
 * empty: not created AS SELECT, and no rows written to it since. Asked of the model, so that a
 * cached finding changes when the CREATE TABLE or a write before the statement does.
 */
export function createdInDocument(model: SchemaModel, table: TableInfo | undefined, uri: string, empty = false): boolean {
  if (table?.origin.uri !== uri) return false;
  return !empty || (!table.definition.asSelect && model.rowsWritten(table) === undefined);
}

/** The statement's first line, shortened, to name it in a message. */
export function statementHead(statement: DocumentStatement): string {
  const source = statement.text.slice(statement.parsed.start, statement.parsed.end).trim();
  const line = source.split('\n', 1)[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 57).trimEnd()}…` : line;
}
