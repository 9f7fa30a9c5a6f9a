// Facts about columns and expressions that several rules share.
import type { DocumentStatement } from '../analysis/statements';
import type { Origin, SchemaModel, TableInfo } from '../schema/model';
import type * as ast from '../../../sql/src/ast';
import { lex } from '../../../sql/src/lexer';
import { atLeast, SINCE, type CockroachVersion } from './version';

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

/** A column type as ALTER COLUMN TYPE compares it: its name and the modifiers in its parentheses. */
export interface TypeShape {
  name: string;
  array: boolean;
  /** What is inside the parentheses after the name (`[10, 2]` for DECIMAL(10,2)); undefined when not known. */
  modifiers: string[] | undefined;
  /** How the type was written, for messages. */
  written: string;
}

/**
 * The shape of a type, with its modifiers read from `source` (the text its span indexes); without
 * the source only its name is known. The lexer reads the parentheses, so that comments and
 * spacing inside them do not matter.
 */
export function typeShape(type: ast.TypeRef, source: string | undefined): TypeShape {
  const written = source?.slice(type.start, type.end).replace(/\s+/g, ' ').trim();
  const shape: TypeShape = {
    name: type.name,
    array: type.array,
    modifiers: undefined,
    written: written || `${type.name.toUpperCase()}${type.array ? '[]' : ''}`,
  };
  if (source === undefined) return shape;
  const tokens = lex(source.slice(type.start, type.end)).tokens;
  const open = tokens.findIndex((t) => t.kind === 'punct' && t.value === '(');
  shape.modifiers = [];
  if (open < 0) return shape;
  for (const token of tokens.slice(open + 1)) {
    if (token.kind === 'punct' && token.value === ')') break;
    if (!(token.kind === 'punct' && token.value === ',')) shape.modifiers.push(token.value);
  }
  return shape;
}

/**
 * How CockroachDB carries out ALTER COLUMN TYPE (schemachange.ClassifyConversion): `trivial`
 * changes only the descriptor, `validate` keeps the stored bytes but checks that every existing
 * value fits the new type, `general` rewrites the column (a new column is backfilled from every
 * row and swapped in). `unknown` when the answer depends on modifiers that are not known.
 */
export type TypeChangeKind = 'trivial' | 'validate' | 'general' | 'unknown';

const INT_NAMES = new Set(['int', 'int2', 'int4', 'int8', 'int64', 'integer', 'bigint', 'smallint', ...SERIAL_TYPES]);
/** INTEGER and INT are INT8 (default_int_size = 8); every SERIAL is INT8 under the default serial_normalization. */
const INT_WIDTHS: Record<string, number> = { int2: 16, smallint: 16, int4: 32 };
const STRING_NAMES = new Set(['string', 'text', 'varchar', 'char', 'character', 'bpchar', 'name']);
/** CHAR without a length is CHAR(1). */
const ONE_CHARACTER = new Set(['char', 'character', 'bpchar']);
const FAMILIES: Record<string, string> = {};
for (const [family, names] of Object.entries({
  int: [...INT_NAMES],
  float: ['float', 'float4', 'float8', 'real', 'double precision'],
  decimal: ['decimal', 'numeric', 'dec'],
  string: [...STRING_NAMES],
  bytes: ['bytes', 'bytea', 'blob'],
  bool: ['bool', 'boolean'],
  timestamp: ['timestamp', 'timestamptz'],
  time: ['time'],
  timetz: ['timetz'],
  json: ['json', 'jsonb'],
  bit: ['bit', 'varbit'],
}))
  for (const name of names) FAMILIES[name] = family;

function familyOf(shape: TypeShape): string {
  return FAMILIES[shape.name] ?? shape.name;
}

function numberAt(shape: TypeShape, index: number, otherwise: number): number | undefined {
  if (shape.modifiers === undefined) return undefined;
  const text = shape.modifiers[index];
  if (text === undefined) return otherwise;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** A type's width as CockroachDB's types.T.Width() reports it (0: unlimited). */
function widthOf(shape: TypeShape): number | undefined {
  const family = familyOf(shape);
  if (family === 'int') return INT_WIDTHS[shape.name] ?? 64;
  if (family === 'string') return numberAt(shape, 0, ONE_CHARACTER.has(shape.name) ? 1 : 0);
  if (family === 'bit') return numberAt(shape, 0, shape.name === 'bit' ? 1 : 0);
  if (family === 'decimal') return numberAt(shape, 1, 0); // the scale
  return 0;
}

/** Wider or equal: metadata only; narrower (or a limit where there was none): existing values are checked. */
function byWidth(from: number | undefined, to: number | undefined): TypeChangeKind {
  if (from === undefined || to === undefined) return 'unknown';
  if (from === to) return 'trivial';
  if (from === 0 && to < 64) return 'validate';
  if (to === 0 || to > from) return 'trivial';
  return 'validate';
}

/** DECIMAL precision: more digits (or none) is metadata only; fewer, or a limit where there was none, is checked. */
function byDecimalPrecision(from: number | undefined, to: number | undefined): TypeChangeKind {
  if (from === undefined || to === undefined) return 'unknown';
  if (from === to) return 'trivial';
  if (from === 0) return 'validate';
  return to === 0 || to > from ? 'trivial' : 'validate';
}

const HARDNESS: TypeChangeKind[] = ['trivial', 'validate', 'general'];

function hardest(...kinds: TypeChangeKind[]): TypeChangeKind {
  if (kinds.includes('unknown')) return 'unknown';
  return kinds.reduce((a, b) => (HARDNESS.indexOf(b) > HARDNESS.indexOf(a) ? b : a), 'trivial');
}

function sameModifiers(a: TypeShape, b: TypeShape): boolean | undefined {
  if (a.modifiers === undefined || b.modifiers === undefined) return undefined;
  return a.modifiers.length === b.modifiers.length && a.modifiers.every((m, i) => m.toLowerCase() === b.modifiers?.[i]?.toLowerCase());
}

/**
 * How ALTER COLUMN … TYPE from `from` to `to` is carried out (see TypeChangeKind), following
 * schemachange.ClassifyConversion: INT by width, FLOAT always in place, DECIMAL by precision and
 * scale, STRING/VARCHAR/CHAR and BIT by length, TIMESTAMP/TIMESTAMPTZ/TIME by fractional-second
 * precision (a lower precision rounds every value: a rewrite), BYTES to STRING or UUID checked;
 * anything else, or any USING expression, rewrites. STRING to BYTES is checked from v24.3 (its
 * classifier then changed) and metadata only before.
 */
export function classifyTypeChange(from: TypeShape, to: TypeShape, using: boolean, version: CockroachVersion): TypeChangeKind {
  if (using) return 'general';
  const a = familyOf(from);
  const b = familyOf(to);
  if (from.array || to.array) {
    if (!(from.array && to.array) || a !== b || (a !== 'int' && from.name !== to.name)) return 'general';
    const same = sameModifiers(from, to);
    return same === undefined ? 'unknown' : same ? 'trivial' : 'general';
  }
  if (a === 'int' && b === 'int') return byWidth(widthOf(from), widthOf(to));
  if (a === 'float' && b === 'float') return 'trivial';
  if (a === 'decimal' && b === 'decimal')
    return hardest(byDecimalPrecision(numberAt(from, 0, 0), numberAt(to, 0, 0)), byWidth(widthOf(from), widthOf(to)));
  if ((a === 'string' || a === 'bit') && a === b) return byWidth(widthOf(from), widthOf(to));
  if (a === 'string' && b === 'bytes') return atLeast(version, SINCE.alterColumnTypeValidateInPlace) ? 'validate' : 'trivial';
  if (a === 'bytes' && b === 'bytes') return 'trivial';
  if (a === 'bytes' && (b === 'string' || b === 'uuid')) return 'validate';
  if ((a === 'timestamp' && b === 'timestamp') || (a === 'time' && b === 'time') || (a === 'timetz' && b === 'timetz')) {
    const before = numberAt(from, 0, 6);
    const after = numberAt(to, 0, 6);
    if (before === undefined || after === undefined) return 'unknown';
    return after >= before ? 'trivial' : 'general';
  }
  if (a !== b) return 'general';
  // The same type under another spelling (JSON and JSONB, BOOL and BOOLEAN): identical unless its modifiers differ.
  const same = sameModifiers(from, to);
  return same === undefined ? 'unknown' : same ? 'trivial' : 'general';
}

/** What an ALTER COLUMN … TYPE command does to a column of a table, as far as the schema shows it. */
export interface ColumnTypeChange {
  kind: TypeChangeKind;
  /** The column's type before the command, when the schema knows it. */
  from: TypeShape | undefined;
  to: TypeShape;
}

/** The text of a statement of this document, when `origin` is one of them. */
function sourceOf(statements: readonly DocumentStatement[], uri: string, origin: Origin | undefined): string | undefined {
  if (!origin || origin.uri !== uri) return undefined;
  return statements.find((s) => s.parsed === origin.parsed)?.text;
}

/** The column's type as the statements so far left it, with its modifiers when this document wrote it. */
function currentType(table: TableInfo, column: string, statements: readonly DocumentStatement[], uri: string): TypeShape | undefined {
  const info = table.columns.get(column);
  const defined = info?.definition.type;
  if (!info || !defined) return undefined;
  // An earlier ALTER COLUMN … TYPE: the model records it as the statement that last altered the column.
  const altered = info.alteredBy?.parsed.statement;
  if (altered?.type === 'alter-table') {
    const retyped = altered.commands.filter(
      (c): c is Extract<ast.AlterTableCommand, { kind: 'alter-column' }> =>
        c.kind === 'alter-column' && c.action === 'set-type' && c.type !== undefined && c.column.value === column,
    );
    const last = retyped[retyped.length - 1];
    if (last?.type) return typeShape(last.type, sourceOf(statements, uri, info.alteredBy));
  }
  // Retyped by a statement the model no longer points at: only the name is known.
  if (info.type !== undefined && info.type !== defined.name)
    return { name: info.type, array: defined.array, modifiers: undefined, written: info.type.toUpperCase() };
  return typeShape(defined, sourceOf(statements, uri, info.origin));
}

/**
 * Classifies an ALTER COLUMN … TYPE command of the statement whose text is `text`, against the
 * table as `model` holds it.
 */
export function columnTypeChange(
  model: SchemaModel,
  statements: readonly DocumentStatement[],
  uri: string,
  tableName: ast.QualifiedName,
  command: { column: ast.Name; type: ast.TypeRef; using?: ast.Expr },
  text: string,
  version: CockroachVersion,
): ColumnTypeChange {
  const table = model.table(tableName);
  const to = typeShape(command.type, text);
  const from = table ? currentType(table, command.column.value, statements, uri) : undefined;
  if (command.using !== undefined) return { kind: 'general', from, to };
  if (!from) return { kind: 'unknown', from, to };
  return { kind: classifyTypeChange(from, to, false, version), from, to };
}

/**
 * Whether the change rewrites the column on that version: a general conversion always; one that
 * only needs the existing values checked, before v24.3 too (the legacy schema changer ran those
 * through the same backfill; the declarative one checks them in place).
 */
export function typeChangeRewrites(change: ColumnTypeChange, version: CockroachVersion): boolean {
  return change.kind === 'general' || (change.kind === 'validate' && !atLeast(version, SINCE.alterColumnTypeValidateInPlace));
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
