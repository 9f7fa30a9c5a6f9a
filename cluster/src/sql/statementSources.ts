// CockroachDB's statement sources: `[SHOW …]`, `[INSERT … RETURNING …]` and the like used where a
// table can be (`SELECT … FROM [SHOW RANGES FROM TABLE t] WHERE …`). The inner statement runs
// first, as the session would run it alone; its rows become a VALUES list with the result's column
// names and types, which the outer query reads in its place.
import type { Token } from '../../../sql/src/lexer';
import { quoteIdent, quoteLiteral } from '../../../sql/src/names';
import { parseDocument, type ParsedDocument } from '../../../sql/src/parser';
import { OID, type Field } from '../wire/messages';
import { aliasFollows } from './asOfSyntax';
import type { ClusterContext, SqlSession } from './context';
import { notSimulated, SqlError } from './errors';
import type { QueryResult } from './result';
import { isPunct, isWord, skipGroup } from './rewrite';
import { whileRunning } from './showActivity';
import { isVirtualTable, virtualTable } from './virtualTables';
import { catalogViewSql, isCatalogView } from './informationSchema';
import { readsHiddenZoneColumns, withHiddenZoneColumns } from './zoneSourceColumns';

/** Runs one statement as the session would (the session's own dispatch). */
export type RunStatement = (text: string, document: ParsedDocument) => Promise<QueryResult>;

/** Statements CockroachDB accepts between brackets as a data source. */
const SOURCE_STATEMENTS = new Set(['show', 'select', 'insert', 'upsert', 'update', 'delete', 'explain', 'with', 'values', 'table']);

/** Tokens after which a `[` opens a data source rather than an array subscript or literal. */
const SOURCE_INTRODUCERS = new Set(['from', 'join', 'lateral']);

const TYPE_NAMES = new Map<number, string>([
  [OID.bool, 'bool'],
  [OID.bytea, 'bytea'],
  [OID.int8, 'int8'],
  [21, 'int2'],
  [OID.int4, 'int4'],
  [OID.text, 'text'],
  [1043, 'varchar'],
  [19, 'name'],
  [26, 'oid'],
  [114, 'json'],
  [OID.jsonb, 'jsonb'],
  [700, 'float4'],
  [OID.float8, 'float8'],
  [OID.numeric, 'numeric'],
  [1082, 'date'],
  [1083, 'time'],
  [OID.timestamp, 'timestamp'],
  [OID.timestamptz, 'timestamptz'],
  [OID.interval, 'interval'],
  [2950, 'uuid'],
  [869, 'inet'],
  [1000, 'bool[]'],
  [1007, 'int4[]'],
  [OID.textArray, 'text[]'],
  [OID.int8Array, 'int8[]'],
]);

/**
 * The statement with each bracketed statement source replaced by its rows, or undefined when it
 * has none. `tokens` are the statement's significant tokens (offsets into `sql`).
 */
export async function expandStatementSources(
  session: SqlSession,
  sql: string,
  tokens: readonly Token[],
  run: RunStatement,
): Promise<string | undefined> {
  const cluster = session.cluster;
  // The names the outer statement reads (columns a source must carry even when SHOW hides them).
  const referenced = new Set(tokens.filter((t) => t.kind === 'ident' || t.kind === 'qident').map((t) => t.value));
  let out = '';
  let at = 0;
  // A view (or anything else CREATE keeps) would keep the rows of the moment, not the source.
  const keeps = isWord(tokens[0], 'create', 'alter');
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i];
    const previous = tokens[i - 1];
    const introduced = isWord(previous, ...SOURCE_INTRODUCERS) || isPunct(previous, ',');
    const view = open && introduced && !keeps ? catalogTableAt(tokens, i, isCatalogView, 'pg_catalog') : undefined;
    const viewSql = view && catalogViewSql(session, view.schema, view.name);
    const viewLast = view && tokens[view.end - 1];
    if (open && view && viewSql !== undefined && viewLast) {
      // information_schema as CockroachDB shows it (informationSchema.ts), read in the statement.
      const alias = aliasFollows(tokens, view.end) ? '' : ` AS ${quoteIdent(view.name)}`;
      out += `${sql.slice(at, open.start)}(${viewSql})${alias}`;
      at = viewLast.end;
      i = view.end - 1;
      continue;
    }
    const virtual = open && (isWord(previous, ...SOURCE_INTRODUCERS) || isPunct(previous, ',')) ? virtualTableAt(tokens, i) : undefined;
    if (open && virtual) {
      if (keeps) throw notSimulated(`${virtual.schema}.${virtual.name} in a CREATE or ALTER statement`);
      const result = await virtualTable(session, sql, virtual.schema, virtual.name);
      const last = tokens[virtual.end - 1];
      if (result && last) {
        const alias = aliasFollows(tokens, virtual.end) ? '' : ` AS ${quoteIdent(virtual.name)}`;
        out += sql.slice(at, open.start) + (await rowsQuery(cluster, result)) + alias;
        at = last.end;
        i = virtual.end - 1;
        continue;
      }
    }
    if (!open || !isPunct(open, '[') || !opensSource(tokens, i)) continue;
    const closeIndex = skipGroup(tokens, i) - 1;
    const close = tokens[closeIndex];
    if (!close || !isPunct(close, ']')) continue;
    if (keeps) throw notSimulated('a [statement] data source in a CREATE or ALTER statement');
    const inner = sql.slice(open.end, close.start).trim();
    out += sql.slice(at, open.start) + (await materialize(session, inner, run, referenced, sql));
    at = close.end;
    i = closeIndex;
  }
  return at === 0 ? undefined : out + sql.slice(at);
}

/** Whether the `[` at tokens[i] opens a data source; a numeric table reference fails loudly. */
function opensSource(tokens: readonly Token[], i: number): boolean {
  const next = tokens[i + 1];
  const previous = tokens[i - 1];
  const afterIntroducer = isWord(previous, ...SOURCE_INTRODUCERS) || isPunct(previous, ',') || isPunct(previous, '(');
  if (next?.kind === 'number' && isWord(previous, ...SOURCE_INTRODUCERS)) throw notSimulated(`a numeric table reference [${next.value} …]`);
  if (isWord(next, 'show')) return true;
  return afterIntroducer && next?.kind === 'ident' && SOURCE_STATEMENTS.has(next.value);
}

/** Runs the inner statement and returns a parenthesized query yielding its rows. */
async function materialize(
  session: SqlSession,
  inner: string,
  run: RunStatement,
  referenced: ReadonlySet<string>,
  outer: string,
): Promise<string> {
  const document = parseDocument(inner);
  if (document.statements.length !== 1) throw new SqlError('42601', `at or near "[": syntax error: expected one statement inside [ ]`);
  const statement = document.statements[0]?.statement;
  const showsZone = statement?.type === 'other' && statement.show?.subject === 'zone configuration';
  const hidden = showsZone && readsHiddenZoneColumns(referenced);
  let result = await whileRunning(session, outer, () => run(inner, document));
  if (hidden && !result.error) result = withHiddenZoneColumns(session, result);
  if (result.error) throw new SqlError(result.error.code, result.error.message, result.error.hint, result.error.detail);
  if (result.fields.length === 0) throw new SqlError('0A000', `statement source "${inner}" does not return any columns`);
  return rowsQuery(session.cluster, result);
}

/** A parenthesized query yielding a result's rows, with its column names and types. */
async function rowsQuery(cluster: ClusterContext, result: QueryResult): Promise<string> {
  const types = await Promise.all(result.fields.map((field) => typeName(cluster, field)));
  const columns = result.fields.map((field) => quoteIdent(field.name));
  if (result.rows.length === 0) {
    const nulls = types.map((type, k) => `NULL::${type} AS ${columns[k] ?? ''}`);
    return `(SELECT ${nulls.join(', ')} WHERE false)`;
  }
  const rows = result.rows.map(
    (row) => `(${row.map((value, k) => `${value === null ? 'NULL' : quoteLiteral(value)}::${types[k] ?? 'text'}`).join(', ')})`,
  );
  return `(SELECT * FROM (VALUES ${rows.join(', ')}) AS crdb_statement_source(${columns.join(', ')}))`;
}

/** The engine's name for a result column's type (asked of the engine for types it defines). */
async function typeName(cluster: ClusterContext, field: Field): Promise<string> {
  const known = TYPE_NAMES.get(field.typeOid);
  if (known) return known;
  const answer = await cluster.engine.query<{ name: string | null }>('SELECT format_type($1::oid, NULL) AS name', [field.typeOid]);
  const name = answer.rows[0]?.name;
  return name && name !== '???' ? name : 'text';
}

/**
 * A virtual catalog table named at tokens[at] (crdb_internal.x, system.x, system.public.x,
 * db.crdb_internal.x): its schema and name and the index past the name; a column reference
 * (followed by `.`) or a function call (followed by `(`) is not one.
 */
function virtualTableAt(tokens: readonly Token[], at: number): { schema: string; name: string; end: number } | undefined {
  return catalogTableAt(tokens, at, isVirtualTable);
}

/** A catalog table named at tokens[at] that `known` recognises (see virtualTableAt). */
function catalogTableAt(
  tokens: readonly Token[],
  at: number,
  known: (schema: string, name: string) => boolean,
  /** The schema a name written alone is in (pg_catalog's tables are found on any search path). */
  bareSchema?: string,
): { schema: string; name: string; end: number } | undefined {
  const parts: string[] = [];
  let i = at;
  for (;;) {
    const t = tokens[i];
    if (t?.kind !== 'ident' && t?.kind !== 'qident') return undefined;
    parts.push(t.value);
    i++;
    if (!isPunct(tokens[i], '.') || parts.length === 3) break;
    i++;
  }
  if (isPunct(tokens[i], '(') || isPunct(tokens[i], '.')) return undefined;
  let schema = parts.length === 1 ? bareSchema : parts[parts.length - 2];
  const name = parts[parts.length - 1];
  if (parts.length === 3 && parts[0] === 'system' && parts[1] === 'public') schema = 'system';
  if (schema === undefined || name === undefined || !known(schema, name)) return undefined;
  return { schema, name, end: i };
}
