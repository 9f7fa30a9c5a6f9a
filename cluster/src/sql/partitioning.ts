// PARTITION BY LIST / RANGE of an index, as CockroachDB builds and validates it
// (pkg/ccl/partitionccl/partition.go, then the descriptor's partitioning validation): the
// partition columns must be a prefix of the index's key columns, each value must fit its
// column's type, names must be unique within the index, LIST values may not repeat and RANGE
// partitions may not overlap or be empty. What is kept is what SHOW CREATE TABLE and SHOW
// PARTITIONS print and what the range layout splits on.
import type * as ast from '../../../sql/src/ast';
import { lex, type Token } from '../../../sql/src/lexer';
import { notSimulated, SqlError, SQLSTATE } from './errors';
import { CLOCK_FUNCTIONS, SESSION_FUNCTIONS, VOLATILE_FUNCTIONS } from './functionKinds';

/** A datum as CockroachDB prints it in a partition (`1`, `'seattle'`, `NULL`), or one of the special values. */
export type PartitionDatum = string;

export interface PartitionMeta {
  name: string;
  /** LIST: each value tuple (DEFAULT written as `DEFAULT`). */
  values?: PartitionDatum[][];
  /** RANGE: the bounds (MINVALUE / MAXVALUE written as such). */
  from?: PartitionDatum[];
  to?: PartitionDatum[];
  subpartitioning?: PartitioningMeta;
}

export interface PartitioningMeta {
  method: 'list' | 'range';
  columns: string[];
  partitions: PartitionMeta[];
  /** The index has a descending key column (its keys sort the other way). */
  descendingKey?: boolean;
}

type Family = 'int' | 'decimal' | 'float' | 'string' | 'bool' | 'enum' | 'other';

/** A key column of the index being partitioned. */
export interface KeyColumn {
  name: string;
  /** The column's type as CockroachDB names it in messages (`int`, `string`, an enum's name). */
  typeName: string;
  family: Family;
  array: boolean;
  descending: boolean;
  /** An enum's labels in their order. */
  labels?: string[];
  /** The type as the engine names it, to evaluate values as. */
  sqlType: string;
}

const FAMILIES: [Family, string[]][] = [
  [
    'int',
    [
      'int',
      'int2',
      'int4',
      'int8',
      'int64',
      'integer',
      'bigint',
      'smallint',
      'serial',
      'serial2',
      'serial4',
      'serial8',
      'bigserial',
      'smallserial',
    ],
  ],
  ['decimal', ['decimal', 'numeric', 'dec']],
  ['float', ['float', 'float4', 'float8', 'real', 'double precision', 'double']],
  ['string', ['string', 'text', 'varchar', 'char', 'character', 'character varying', 'name', 'bpchar']],
  ['bool', ['bool', 'boolean']],
];

const FAMILY_TYPE_NAMES: Record<Family, string> = {
  int: 'int',
  decimal: 'decimal',
  float: 'float',
  string: 'string',
  bool: 'bool',
  enum: 'enum',
  other: 'other',
};

/** The family of a type name as written in CockroachDB or printed by the engine (`bigint`, `character varying(10)`). */
export function familyOf(typeName: string): Family | undefined {
  const base = typeName
    .toLowerCase()
    .replace(/\(.*\)$/, '')
    .trim();
  for (const [family, names] of FAMILIES) if (names.includes(base)) return family;
  return undefined;
}

/** A key column from its type: families CockroachDB knows by name, or an enum with its labels. */
export function keyColumn(
  name: string,
  typeName: string,
  descending: boolean,
  array: boolean,
  labels?: string[],
  sqlType = typeName,
): KeyColumn {
  const family = familyOf(typeName) ?? (labels ? 'enum' : 'other');
  const shown = family === 'enum' || family === 'other' ? typeName.replace(/^.*\./, '').replace(/\(.*\)$/, '') : FAMILY_TYPE_NAMES[family];
  return { name, typeName: shown, family, array, descending, sqlType, ...(labels ? { labels } : {}) };
}

/** CockroachDB's errors without a SQLSTATE of their own come out as XXUUU. */
const UNCATEGORIZED = 'XXUUU';

function uncategorized(message: string): SqlError {
  return new SqlError(UNCATEGORIZED, message);
}

function syntaxError(message: string): SqlError {
  return new SqlError(SQLSTATE.syntax, message);
}

/** Prefixes an error with `PARTITION p: `, keeping its SQLSTATE. */
function inPartition(name: string, error: unknown): SqlError {
  if (error instanceof SqlError) return new SqlError(error.code, `PARTITION ${name}: ${error.message}`, error.hint, error.detail);
  throw error;
}

// ---- building: createPartitioning -------------------------------------------------------------

interface Special {
  special: 'default' | 'minvalue' | 'maxvalue';
}

/** A value evaluated against its column: its printed datum and a sort key. */
interface Datum {
  text: string;
  /** NULL, or a value comparable within its column. */
  key: null | bigint | number | string | boolean;
  /** A collated string's collation, which orders it. */
  collator?: Intl.Collator;
}

type Element = Datum | Special;

function isSpecial(element: Element): element is Special {
  return 'special' in element;
}

function specialOf(value: ast.PartitionValue): Special['special'] | undefined {
  const word = value.expr?.word;
  if (value.expr?.string !== undefined || word === undefined) return undefined;
  const tokens = lex(value.expr?.text ?? '').tokens;
  if (tokens.length !== 1 || tokens[0]?.kind !== 'ident') return undefined;
  return word === 'default' || word === 'minvalue' || word === 'maxvalue' ? word : undefined;
}

/** The elements of one partition tuple: a tuple's, or a single value promoted to a 1-tuple. */
function tupleOf(value: ast.PartitionValue): ast.PartitionValue[] {
  return value.tuple ?? [value];
}

/** Evaluates a constant expression as the column's type on the engine: its text, or null for NULL. */
export type Evaluator = (expression: string, column: KeyColumn) => Promise<string | null>;

async function encodeTuple(
  method: 'list' | 'range',
  values: readonly ast.PartitionValue[],
  columns: readonly KeyColumn[],
  evaluator: Evaluator,
): Promise<Element[]> {
  if (values.length !== columns.length)
    throw uncategorized(`partition has ${columns.length} columns but ${values.length} values were supplied`);
  const elements: Element[] = [];
  for (const [i, value] of values.entries()) {
    const special = specialOf(value);
    if (special === 'default') {
      if (method !== 'list') throw uncategorized('DEFAULT cannot be used with PARTITION BY RANGE');
      elements.push({ special });
      continue;
    }
    if (special !== undefined) {
      if (method !== 'range') throw uncategorized(`${special.toUpperCase()} cannot be used with PARTITION BY LIST`);
      elements.push({ special });
      continue;
    }
    const column = columns[i];
    if (!column) throw uncategorized('partition value without a column');
    elements.push(await evaluate(value, column, evaluator));
  }
  return elements;
}

/** Functions whose value depends on the statement's context (time, session). */
const CONTEXT_DEPENDENT = new Set([...CLOCK_FUNCTIONS, ...SESSION_FUNCTIONS]);

/** Strings a time type reads relative to now. */
const RELATIVE_TIMES = new Set(['now', 'today', 'tomorrow', 'yesterday']);

/**
 * A partition value checked against its column's type, as CockroachDB's type checking does:
 * literals here, other constant expressions on the engine; subqueries, context-dependent and
 * volatile functions refused.
 */
async function evaluate(value: ast.PartitionValue, column: KeyColumn, evaluator: Evaluator): Promise<Datum> {
  if (value.tuple) throw mismatch(column, `(${value.tuple.length} values)`, 'tuple');
  const text = value.expr?.text.trim() ?? '';
  let tokens = lex(text).tokens;
  // A cast to the column's own type changes nothing (`1.0:::decimal`, `'x'::STRING`).
  const cast = tokens.findIndex((t) => t.kind === 'op' && t.value === '::');
  if (cast > 0) {
    const after = tokens.slice(cast + 1).filter((t) => !(t.kind === 'op' && t.value === ':'));
    const type = after[0];
    if (after.length === 1 && type && (familyOf(type.value) === column.family || type.value === column.typeName))
      tokens = tokens.slice(0, cast);
  }
  const first = tokens[0];
  if (first?.kind === 'ident' && first.value === 'select') throw syntaxError('at or near "select": syntax error');
  if (tokens.some((t) => t.kind === 'ident' && t.value === 'select'))
    throw new SqlError('42P10', `variable sub-expressions are not allowed in partition`);
  for (const [i, t] of tokens.entries()) {
    const next = tokens[i + 1];
    if (t.kind !== 'ident' || !(next?.kind === 'punct' && next.value === '(')) continue;
    if (CONTEXT_DEPENDENT.has(t.value))
      throw new SqlError(SQLSTATE.featureNotSupported, `${t.value}(): context-dependent operators are not allowed in partition`);
    if (VOLATILE_FUNCTIONS.has(t.value))
      throw new SqlError(SQLSTATE.featureNotSupported, `${t.value}(): volatile functions are not allowed in partition`);
  }
  if (tokens.length === 0) throw syntaxError('at or near ")": syntax error');
  const literal = literalDatum(tokens, column) ?? collatedString(tokens, column);
  if (literal) return literal;
  const single = tokens.length === 1 ? tokens[0] : undefined;
  if (single?.kind === 'string' && column.family === 'other' && RELATIVE_TIMES.has(single.value.trim().toLowerCase()))
    throw new SqlError(
      SQLSTATE.featureNotSupported,
      `string::${column.typeName}: context-dependent operators are not allowed in partition`,
    );
  if (single?.kind === 'number' && column.family === 'other')
    throw mismatch(column, single.value, /^\d+$/.test(single.value) ? 'int' : 'decimal');
  const expression = text.slice(tokens[0]?.start ?? 0, tokens[tokens.length - 1]?.end ?? text.length);
  const result = await evaluator(expression, column);
  if (result === null) return { text: 'NULL', key: null };
  switch (column.family) {
    case 'int':
      return { text: result, key: BigInt(result) };
    case 'decimal':
    case 'float':
      return { text: result, key: Number(result) };
    case 'bool':
      return { text: result === 't' || result === 'true' ? 'true' : 'false', key: result === 't' || result === 'true' };
    case 'enum':
      return { text: quoteString(result), key: column.labels?.indexOf(result) ?? 0 };
    default:
      return { text: quoteString(result), key: result };
  }
}

/** A literal written alone (signed number, string, NULL, TRUE / FALSE), or undefined for anything else. */
function literalDatum(tokens: readonly Token[], column: KeyColumn): Datum | undefined {
  let at = 0;
  let negative = false;
  if (tokens[0]?.kind === 'op' && (tokens[0].value === '-' || tokens[0].value === '+')) {
    negative = tokens[0].value === '-';
    at = 1;
  }
  const literal = tokens[at];
  if (!literal || tokens.length !== at + 1) return undefined;
  if (literal.kind === 'ident' && literal.value === 'null' && !negative) return { text: 'NULL', key: null };
  if (literal.kind === 'ident' && (literal.value === 'true' || literal.value === 'false') && !negative) {
    if (column.family !== 'bool') throw mismatch(column, literal.value, 'bool');
    return { text: literal.value, key: literal.value === 'true' };
  }
  if (literal.kind === 'number') {
    const written = `${negative ? '-' : ''}${literal.value}`;
    const integral = /^-?\d+$/.test(written);
    switch (column.family) {
      case 'int':
        if (!integral) throw mismatch(column, written, 'decimal');
        return { text: String(BigInt(written)), key: BigInt(written) };
      case 'decimal':
      case 'float':
        return { text: written, key: Number(written) };
      case 'other':
        return undefined;
      default:
        throw mismatch(column, written, integral ? 'int' : 'decimal');
    }
  }
  if (literal.kind === 'string' && !negative && column.family !== 'other') return fromString(literal.value, column);
  return undefined;
}

/** `'text' COLLATE locale` for a string column: ordered by the locale's collation. */
function collatedString(tokens: readonly Token[], column: KeyColumn): Datum | undefined {
  const [literal, collate, locale] = tokens;
  if (tokens.length !== 3 || literal?.kind !== 'string' || collate?.kind !== 'ident' || collate.value !== 'collate' || !locale)
    return undefined;
  if (column.family !== 'string') throw mismatch(column, `'${literal.value}' COLLATE ${locale.value}`, `collatedstring{${locale.value}}`);
  let collator: Intl.Collator;
  try {
    collator = new Intl.Collator(locale.value.replace(/_/g, '-'));
  } catch {
    throw new SqlError(SQLSTATE.invalidParameterValue, `invalid locale ${locale.value}`);
  }
  // Collation keys are not comparable as JavaScript values: rank the string among its neighbours later.
  return { text: `${escapedString(literal.value)} COLLATE ${locale.value}`, key: literal.value, collator };
}

function mismatch(column: KeyColumn, text: string, actual: string): SqlError {
  return new SqlError(
    SQLSTATE.datatypeMismatch,
    `expected partition expression to have type ${column.typeName}, but '${text}' has type ${actual}`,
  );
}

/** A string constant takes the column's type, as CockroachDB's constant typing does. */
function fromString(value: string, column: KeyColumn): Datum {
  const parseError = (type: string): SqlError =>
    new SqlError(SQLSTATE.invalidTextRepresentation, `could not parse "${value}" as type ${type}`);
  switch (column.family) {
    case 'string':
      return { text: escapedString(value), key: value };
    case 'enum':
      if (!column.labels?.includes(value))
        throw new SqlError(SQLSTATE.invalidParameterValue, `invalid input value for enum ${column.typeName}: "${value}"`);
      return { text: quoteString(value), key: column.labels.indexOf(value) };
    case 'int': {
      if (!/^\s*[-+]?\d+\s*$/.test(value)) throw parseError('int');
      const n = BigInt(value.trim());
      return { text: String(n), key: n };
    }
    case 'decimal':
    case 'float': {
      const n = Number(value);
      if (value.trim() === '' || Number.isNaN(n)) throw parseError(column.typeName);
      return { text: value.trim(), key: n };
    }
    case 'bool': {
      const b = value.trim().toLowerCase();
      if (b !== 'true' && b !== 'false') throw parseError('bool');
      return { text: b, key: b === 'true' };
    }
    default:
      throw notSimulated(`partitioning by a column of type ${column.typeName}`);
  }
}

function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A string as CockroachDB prints a datum: `'x'`, or `e'\\u00FC'` when it holds characters beyond ASCII. */
function escapedString(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return quoteString(value);
  let body = '';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "'") body += "\\'";
    else if (ch === '\\') body += '\\\\';
    else if (code >= 0x20 && code <= 0x7e) body += ch;
    else if (code <= 0xffff) body += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else body += `\\U${code.toString(16).toUpperCase().padStart(8, '0')}`;
  }
  return `e'${body}'`;
}

function printed(element: Element): string {
  return isSpecial(element) ? element.special.toUpperCase() : element.text;
}

/** The partition columns `(a, b)` for messages: the parents' index columns, then this level's. */
function partitioningString(keyColumns: readonly KeyColumn[], offset: number, fields: readonly string[]): string {
  return [...keyColumns.slice(0, offset).map((c) => c.name), ...fields].join(', ');
}

interface Built {
  meta: PartitioningMeta;
  /** Per partition, its tuples (LIST) or bounds (RANGE), evaluated: what validation compares. */
  list: { name: string; tuples: Element[][]; sub?: Built }[];
  range: { name: string; from: Element[]; to: Element[] }[];
  offset: number;
  columns: KeyColumn[];
}

async function build(partitionBy: ast.PartitionBy, keyColumns: readonly KeyColumn[], offset: number, evaluator: Evaluator): Promise<Built> {
  if (partitionBy.method !== 'list' && partitionBy.method !== 'range') throw notSimulated('PARTITION ALL BY');
  const method = partitionBy.method;
  const fields = partitionBy.columns.map((c) => c.value);
  const columns: KeyColumn[] = [];
  for (let i = 0; i < fields.length; i++) {
    const column = keyColumns[offset + i];
    if (!column)
      throw syntaxError(
        `declared partition columns (${partitioningString(keyColumns, offset, fields)}) exceed the number of columns in index being partitioned (${keyColumns.map((c) => c.name).join(', ')})`,
      );
    if (fields[i] !== column.name) {
      const n = offset + i + 1;
      throw syntaxError(
        `declared partition columns (${partitioningString(keyColumns, offset, fields)}) do not match first ${n} columns in index being partitioned (${keyColumns
          .slice(0, n)
          .map((c) => c.name)
          .join(', ')})`,
      );
    }
    if (column.array)
      throw new SqlError(SQLSTATE.featureNotSupported, `unimplemented: partitioning by array column (${column.name}) not supported`);
    columns.push(column);
  }
  const built: Built = { meta: { method, columns: fields, partitions: [] }, list: [], range: [], offset, columns };
  for (const definition of partitionBy.definitions) {
    const name = definition.name.value;
    if (method === 'list') {
      const tuples: Element[][] = [];
      try {
        for (const value of definition.values ?? []) tuples.push(await encodeTuple('list', tupleOf(value), columns, evaluator));
      } catch (error) {
        throw inPartition(name, error);
      }
      const entry: Built['list'][number] = { name, tuples };
      const meta: PartitionMeta = { name, values: tuples.map((t) => t.map(printed)) };
      if (definition.subpartition) {
        entry.sub = await build(definition.subpartition, keyColumns, offset + fields.length, evaluator);
        meta.subpartitioning = entry.sub.meta;
      }
      built.list.push(entry);
      built.meta.partitions.push(meta);
    } else {
      let from: Element[];
      let to: Element[];
      try {
        from = await encodeTuple('range', definition.from ?? [], columns, evaluator);
        to = await encodeTuple('range', definition.to ?? [], columns, evaluator);
      } catch (error) {
        throw inPartition(name, error);
      }
      if (definition.subpartition) throw uncategorized(`PARTITION ${name}: cannot subpartition a range partition`);
      built.range.push({ name, from, to });
      built.meta.partitions.push({ name, from: from.map(printed), to: to.map(printed) });
    }
  }
  return built;
}

// ---- validating: the descriptor's partitioning checks ------------------------------------------

/** An index key prefix: its datums, then whether it is the prefix's end (past every key it starts). */
interface Key {
  parts: Datum[];
  end: boolean;
  columns: KeyColumn[];
}

function compareDatum(a: Datum, b: Datum, column: KeyColumn): number {
  // NULL sorts first in an ascending index, last in a descending one.
  let order: number;
  if (a.key === null || b.key === null) order = a.key === b.key ? 0 : a.key === null ? -1 : 1;
  else if (a.collator && typeof a.key === 'string' && typeof b.key === 'string') order = Math.sign(a.collator.compare(a.key, b.key));
  else order = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  if (a.key === null || b.key === null) return column.descending ? -order : order;
  return column.descending ? -order : order;
}

function compareKeys(a: Key, b: Key): number {
  const n = Math.min(a.parts.length, b.parts.length);
  for (let i = 0; i < n; i++) {
    const column = a.columns[i];
    const x = a.parts[i];
    const y = b.parts[i];
    if (!column || !x || !y) break;
    const c = compareDatum(x, y, column);
    if (c !== 0) return c;
  }
  if (a.parts.length === b.parts.length) return a.end === b.end ? 0 : a.end ? 1 : -1;
  // One is a prefix of the other: the prefix sorts first, unless it is the prefix's end.
  if (a.parts.length < b.parts.length) return a.end ? 1 : -1;
  return b.end ? -1 : 1;
}

/**
 * A RANGE bound's key: its datums up to the first MINVALUE (the prefix itself) or MAXVALUE (the
 * prefix's end). An integer prefix's end is the next integer's key, as in CockroachDB's encoding.
 */
function rangeKey(elements: readonly Element[], columns: readonly KeyColumn[], name: string): Key {
  const parts: Datum[] = [];
  let end = false;
  let seen: 'minvalue' | 'maxvalue' | undefined;
  for (const element of elements) {
    if (seen) {
      if (!isSpecial(element) || element.special !== seen)
        throw uncategorized(
          `PARTITION ${name}: non-${seen.toUpperCase()} value (${printed(element)}) not allowed after ${seen.toUpperCase()}`,
        );
      continue;
    }
    if (isSpecial(element)) {
      seen = element.special === 'default' ? undefined : element.special;
      end = element.special === 'maxvalue';
      continue;
    }
    parts.push(element);
  }
  const last = parts[parts.length - 1];
  const column = columns[parts.length - 1];
  if (end && last && column?.family === 'int' && typeof last.key === 'bigint') {
    const next = column.descending ? last.key - 1n : last.key + 1n;
    return { parts: [...parts.slice(0, -1), { text: String(next), key: next }], end: false, columns: [...columns] };
  }
  return { parts, end, columns: [...columns] };
}

/** A LIST tuple's key: its datums up to the first DEFAULT; after a DEFAULT only DEFAULT may follow. */
function listKey(tuple: readonly Element[], name: string): string {
  const parts: string[] = [];
  let afterDefault = false;
  for (const element of tuple) {
    if (isSpecial(element)) {
      afterDefault = true;
      continue;
    }
    if (afterDefault) throw uncategorized(`PARTITION ${name}: non-DEFAULT value (${element.text}) not allowed after DEFAULT`);
    parts.push(JSON.stringify(typeof element.key === 'bigint' ? element.key.toString() : element.key));
  }
  return parts.join('/');
}

function validate(built: Built, indexName: string, names: Set<string>): void {
  const checkName = (name: string): void => {
    if (name.length === 0) throw uncategorized('PARTITION name must be non-empty');
    if (names.has(name)) throw uncategorized(`PARTITION ${name}: name must be unique (used twice in index "${indexName}")`);
    names.add(name);
  };
  const seen = new Set<string>();
  for (const partition of built.list) {
    checkName(partition.name);
    if (partition.tuples.length === 0) throw uncategorized(`PARTITION ${partition.name}: must contain values`);
    for (const tuple of partition.tuples) {
      const key = listKey(tuple, partition.name);
      if (seen.has(key)) throw uncategorized(`(${tuple.map(printed).join(', ')}) cannot be present in more than one partition`);
      seen.add(key);
    }
    if (partition.sub) validate(partition.sub, indexName, names);
  }
  const placed: { name: string; from: Key; to: Key }[] = [];
  for (const partition of built.range) {
    checkName(partition.name);
    const from = rangeKey(partition.from, built.columns, partition.name);
    const to = rangeKey(partition.to, built.columns, partition.name);
    const order = compareKeys(from, to);
    const overlap = placed.find((p) => compareKeys(from, p.to) < 0 && compareKeys(p.from, to) < 0);
    if (overlap && order < 0) throw uncategorized(`partitions ${overlap.name} and ${partition.name} overlap`);
    const bounds = `lower bound (${partition.from.map(printed).join(', ')})`;
    const upper = `upper bound (${partition.to.map(printed).join(', ')})`;
    if (order === 0) throw uncategorized(`PARTITION ${partition.name}: empty range: ${bounds} is equal to ${upper}`);
    if (order > 0) throw uncategorized(`PARTITION ${partition.name}: empty range: ${bounds} is greater than ${upper}`);
    placed.push({ name: partition.name, from, to });
  }
}

/**
 * The partitioning `partitionBy` gives an index with these key columns, checked as CockroachDB
 * checks it; undefined for PARTITION BY NOTHING. `names` holds the partition names the index
 * already uses (none when its partitioning is replaced).
 */
export async function createPartitioning(
  partitionBy: ast.PartitionBy,
  keyColumns: readonly KeyColumn[],
  indexName: string,
  evaluator: Evaluator,
): Promise<PartitioningMeta | undefined> {
  if (partitionBy.method === 'nothing') return undefined;
  if (partitionBy.columns.length === 0 || partitionBy.definitions.length === 0) throw syntaxError('at or near ")": syntax error');
  const built = await build(partitionBy, keyColumns, 0, evaluator);
  validate(built, indexName, new Set());
  return keyColumns.some((c) => c.descending) ? { ...built.meta, descendingKey: true } : built.meta;
}

// ---- printing ----------------------------------------------------------------------------------

/**
 * ` PARTITION BY LIST (a) (…)` as SHOW CREATE TABLE prints it (ShowCreatePartitioning): each
 * partition on its own line, `indent` tabs deep plus one, subpartitions one deeper.
 */
export function partitioningClause(partitioning: PartitioningMeta, indent: number): string {
  const tabs = '\t'.repeat(indent);
  const parts = partitioning.partitions.map((p) => {
    let line = `\n${tabs}\tPARTITION ${p.name} VALUES `;
    if (p.values) line += `IN (${p.values.map((t) => `(${t.join(', ')})`).join(', ')})`;
    else line += `FROM (${(p.from ?? []).join(', ')}) TO (${(p.to ?? []).join(', ')})`;
    if (p.subpartitioning) line += partitioningClause(p.subpartitioning, indent + 1);
    return line;
  });
  return ` PARTITION BY ${partitioning.method.toUpperCase()} (${partitioning.columns.join(', ')}) (${parts.join(', ')}\n${tabs})`;
}

/** SHOW PARTITIONS' partition_value: `(1), (2)` for LIST, `(1) TO (2)` for RANGE. */
export function partitionValueText(partition: PartitionMeta): string {
  if (partition.values) return partition.values.map((t) => `(${t.join(', ')})`).join(', ');
  return `(${(partition.from ?? []).join(', ')}) TO (${(partition.to ?? []).join(', ')})`;
}

/** Every partition of a partitioning, depth first, with its parent's name and its columns (the parents' included). */
export function flattenPartitions(
  partitioning: PartitioningMeta,
  parent: string | null = null,
  columnsBefore: readonly string[] = [],
): { partition: PartitionMeta; parent: string | null; columns: string[]; method: 'list' | 'range' }[] {
  const columns = [...columnsBefore, ...partitioning.columns];
  const result: ReturnType<typeof flattenPartitions> = [];
  for (const partition of partitioning.partitions) {
    result.push({ partition, parent, columns, method: partitioning.method });
    if (partition.subpartitioning) result.push(...flattenPartitions(partition.subpartitioning, partition.name, columns));
  }
  return result;
}
