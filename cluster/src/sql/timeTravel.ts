// AS OF SYSTEM TIME: which time a statement or transaction reads (evaluated as CockroachDB's
// asof package does), and a SELECT rewritten to read the tables as they were then. Each table a
// historical read can reach becomes a CTE of the same name holding its rows at that time (see
// engine/history.ts), or one that fails with CockroachDB's error when it did not exist then.
import type { Token } from '../../../sql/src/lexer';
import { quoteIdent, quoteLiteral } from '../../../sql/src/names';
import { HISTORY_SCHEMA } from '../engine/history';
import { parseDuration } from '../model/duration';
import { asOfClauses, tableReferences, type AsOfClause } from './asOfSyntax';
import { checkBoundedShape } from './boundedStaleness';
import type { SqlSession } from './context';
import { notSimulated, SqlError } from './errors';
import { DEFAULT_GC_TTL_SECONDS } from './history';
import { showAsCockroachDB } from './hiddenColumns';
import type { Catalog } from './catalog';
import type { QueryResult } from './result';
import { isPunct, isWord, Rewriter, skipGroup, tokensOf } from './rewrite';
import { resolveParts } from './tables';
import { sessionAsOfExpression, type TransactionSession } from './transactionState';
import { rewriteGeneral, type Translated } from './translate';
import { CLOCK_FUNCTIONS, VOLATILE_FUNCTIONS } from './functionKinds';

export type AsOfTime =
  | { kind: 'exact'; micros: number; nowMicros: number }
  | { kind: 'bounded'; fn: string; minMicros: number; nearestOnly: boolean; nowMicros: number };

const FOLLOWER_READ_FUNCTIONS = new Set(['follower_read_timestamp', 'experimental_follower_read_timestamp']);
const BOUNDED_FUNCTIONS = new Set(['with_max_staleness', 'with_min_timestamp']);
/** Functions whose value depends on the statement or transaction: not constant, refused in AS OF SYSTEM TIME. */
const NOT_CONSTANT = new Set([
  ...CLOCK_FUNCTIONS,
  ...VOLATILE_FUNCTIONS,
  'cluster_logical_timestamp',
  ...FOLLOWER_READ_FUNCTIONS,
  ...BOUNDED_FUNCTIONS,
]);
const VIRTUAL_SCHEMAS = new Set(['crdb_internal', 'pg_catalog', 'information_schema', 'pg_extension', 'system']);
/** Databases every cluster starts with. */
const BUILTIN_DATABASES = new Set(['defaultdb', 'postgres', 'system']);

// ---- time values ----------------------------------------------------------------------------

/** An HLC timestamp as CockroachDB prints it: wall seconds, nine digits of nanoseconds, logical. */
export function hlcText(micros: number): string {
  const seconds = Math.floor(micros / 1e6);
  const nanos = (micros - seconds * 1e6) * 1000;
  return `${seconds}.${String(nanos).padStart(9, '0')},0`;
}

function timestampLiteral(micros: number): string {
  const seconds = Math.floor(micros / 1e6);
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
  return `'${iso}.${String(micros - seconds * 1e6).padStart(6, '0')}+00'::timestamptz`;
}

function durationSetting(session: SqlSession, name: string, fallbackMs: number): number {
  const value = session.cluster.catalog.clusterSettings.get(name);
  const ms = value === undefined ? undefined : parseDuration(value.replace(/^'|'$/g, ''));
  return ms ?? fallbackMs;
}

/**
 * How far behind now follower_read_timestamp() reads, as CockroachDB computes it since closed
 * timestamps travel by side transport: the closed timestamp target, plus the side transport's
 * close interval, plus the propagation slack — 3 s + 200 ms + 1 s = 4.2 s by default. (The
 * 4.8 s of target × (1 + 0.2 × 3) is the formula of releases before side transport.)
 */
export function followerReadLagMicros(session: SqlSession): number {
  const ms =
    durationSetting(session, 'kv.closed_timestamp.target_duration', 3000) +
    durationSetting(session, 'kv.closed_timestamp.side_transport_interval', 200) +
    durationSetting(session, 'kv.closed_timestamp.propagation_slack', 1000);
  return Math.round(ms * 1000);
}

/** `AS OF SYSTEM TIME <expr>` written at `span`: the expression's text. */
export function asOfExpression(text: string, span: { start: number; end: number }): string {
  const written = text.slice(span.start, span.end);
  const tokens = tokensOf(written);
  const first = tokens[4];
  return first ? written.slice(first.start) : '';
}

// ---- evaluation ----------------------------------------------------------------------------

function engineError(error: unknown): SqlError {
  if (error instanceof SqlError) return error;
  const fields = error as { code?: string; message?: string };
  return new SqlError(fields.code ?? 'XX000', fields.message ?? String(error));
}

async function engineRow<T>(session: SqlSession, sql: string, params: unknown[] = []): Promise<T | undefined> {
  try {
    return (await session.cluster.engine.query<T>(sql, params)).rows[0];
  } catch (error) {
    throw engineError(error);
  }
}

/** Top-level comma-separated pieces of tokens[from, to). */
function splitArguments(tokens: readonly Token[], from: number, to: number): { from: number; to: number }[] {
  const parts: { from: number; to: number }[] = [];
  let start = from;
  for (let i = from; i < to; i++) {
    if (isPunct(tokens[i], '(') || isPunct(tokens[i], '[')) {
      i = skipGroup(tokens, i) - 1;
      continue;
    }
    if (isPunct(tokens[i], ',')) {
      parts.push({ from: start, to: i });
      start = i + 1;
    }
  }
  if (start < to) parts.push({ from: start, to });
  return parts;
}

function onlyConstants(usage: 'statement' | 'transaction'): SqlError {
  return new SqlError(
    '0A000',
    usage === 'statement'
      ? 'AS OF SYSTEM TIME: only constant expressions, with_min_timestamp, with_max_staleness, or follower_read_timestamp are allowed'
      : 'AS OF SYSTEM TIME: only constant expressions or follower_read_timestamp are allowed',
  );
}

/** The engine's spelling of an expression (type names, `:::`). */
function engineExpression(session: SqlSession, expression: string): string {
  return rewriteGeneral(expression, { database: session.database }).sql;
}

/** The HLC's now: never before a transaction time it gave (engine/history.ts). */
const NOW_MICROS = `${HISTORY_SCHEMA}.now_micros()`;

/** What `AS OF SYSTEM TIME <expression>` reads: an exact time, or a bounded-staleness bound. */
export async function evaluateAsOf(session: SqlSession, expression: string, usage: 'statement' | 'transaction'): Promise<AsOfTime> {
  const tokens = tokensOf(expression);
  if (tokens.length === 0) throw new SqlError('42601', 'at or near "EOF": syntax error');
  if (tokens.some((t) => isWord(t, 'select'))) throw new SqlError('0A000', 'subqueries are not allowed in AS OF SYSTEM TIME');
  const placeholder = tokens.find((t) => t.kind === 'placeholder');
  if (placeholder) throw new SqlError('42P02', `no value provided for placeholder: ${placeholder.value}`);
  const head = tokens[0];
  const wholeCall = head?.kind === 'ident' && isPunct(tokens[1], '(') && skipGroup(tokens, 1) === tokens.length;
  if (wholeCall && FOLLOWER_READ_FUNCTIONS.has(head.value)) {
    if (tokens.length > 3) {
      const argument = tokens[2];
      const type = argument?.kind === 'string' ? 'string' : argument?.kind === 'number' ? 'int' : 'unknown';
      throw new SqlError('42883', `unknown signature: ${head.value}(${type}) (desired <timestamptz>)`);
    }
    const row = await engineRow<{ now: string }>(session, `SELECT ${NOW_MICROS} AS now`);
    const nowMicros = Number(row?.now ?? 0);
    return { kind: 'exact', micros: nowMicros - followerReadLagMicros(session), nowMicros };
  }
  if (wholeCall && BOUNDED_FUNCTIONS.has(head.value)) {
    if (usage === 'transaction') throw onlyConstants(usage);
    return evaluateBound(session, expression, tokens, head.value);
  }
  if (
    tokens.some((t, i) => t.kind === 'ident' && NOT_CONSTANT.has(t.value) && (isPunct(tokens[i + 1], '(') || !isPunct(tokens[i - 1], '.')))
  )
    throw onlyConstants(usage);
  const value = engineExpression(session, expression);
  const row = await engineRow<{ v: string | null; t: string; now: string }>(
    session,
    `SELECT (${value})::text AS v, pg_typeof(${value})::text AS t, ${NOW_MICROS} AS now`,
  );
  const nowMicros = Number(row?.now ?? 0);
  const type = row?.t ?? 'unknown';
  const text = row?.v ?? '';
  let micros: number;
  if (type === 'unknown' || type === 'text' || type === 'character varying') {
    micros = await stringTime(session, text, nowMicros);
  } else if (type === 'interval') {
    const moved = await engineRow<{ micros: string; zero: boolean }>(
      session,
      `SELECT floor(extract(epoch FROM (timestamptz 'epoch' + $1::int8 * interval '1 microsecond') + $2::interval) * 1000000)::int8 AS micros, $2::interval = interval '0' AS zero`,
      [nowMicros, text],
    );
    if (moved?.zero) throw tooSmall(text);
    micros = Number(moved?.micros ?? 0);
  } else if (type === 'bigint' || type === 'integer' || type === 'smallint') {
    micros = Math.floor(Number(text) / 1000);
  } else if (type === 'numeric') {
    micros = decimalTime(text);
  } else if (type.startsWith('timestamp') || type === 'date') {
    const at = await engineRow<{ micros: string }>(session, `SELECT floor(extract(epoch FROM $1::timestamptz) * 1000000)::int8 AS micros`, [
      text,
    ]);
    micros = Number(at?.micros ?? 0);
  } else {
    throw new SqlError('22023', `AS OF SYSTEM TIME: expected timestamp, decimal, or interval, got ${crdbTypeName(type)}`);
  }
  if (micros === 0) throw new SqlError('22023', 'AS OF SYSTEM TIME: zero timestamp is invalid');
  if (micros < 0) throw new SqlError('22023', 'AS OF SYSTEM TIME: timestamp before 1970-01-01T00:00:00Z is invalid');
  if (micros > nowMicros)
    throw new SqlError('XXUUU', `AS OF SYSTEM TIME: cannot specify timestamp in the future (${hlcText(micros)} > ${hlcText(nowMicros)})`);
  return { kind: 'exact', micros, nowMicros };
}

function crdbTypeName(type: string): string {
  const names: Record<string, string> = { boolean: 'bool', 'double precision': 'float', real: 'float4', bytea: 'bytes', jsonb: 'jsonb' };
  return names[type] ?? type;
}

function tooSmall(text: string): SqlError {
  return new SqlError('22023', `AS OF SYSTEM TIME: interval value '${text}' too small, absolute value must be >= 1µs`);
}

/** A decimal HLC timestamp: wall nanoseconds, the logical part after the point. */
function decimalTime(text: string): number {
  const [whole = '0'] = text.trim().split('.');
  try {
    return Number(BigInt(whole) / 1000n);
  } catch {
    throw new SqlError('22023', `AS OF SYSTEM TIME: value is neither timestamp, decimal, nor interval`);
  }
}

/** A string: a timestamp, else a decimal, else an interval from now (CockroachDB's order). */
async function stringTime(session: SqlSession, written: string, nowMicros: number): Promise<number> {
  // CockroachDB reads µs as microseconds; the engine knows only us.
  const text = written.replaceAll('μs', 'us').replaceAll('µs', 'us');
  const parsed = await engineRow<{ micros: string | null; kind: string }>(
    session,
    `SELECT micros, kind FROM ${HISTORY_SCHEMA}.parse_as_of($1, timestamptz 'epoch' + $2::int8 * interval '1 microsecond')`,
    [text, nowMicros],
  );
  switch (parsed?.kind) {
    case 'timestamp':
    case 'interval':
    case 'future':
      return Number(parsed.micros ?? 0);
    case 'decimal':
      return decimalTime(text);
    case 'zero':
      throw tooSmall(written);
    default:
      throw new SqlError('22023', 'AS OF SYSTEM TIME: value is neither timestamp, decimal, nor interval');
  }
}

async function evaluateBound(session: SqlSession, expression: string, tokens: readonly Token[], fn: string): Promise<AsOfTime> {
  const close = skipGroup(tokens, 1) - 1;
  const args = splitArguments(tokens, 2, close);
  const argText = (a: { from: number; to: number } | undefined): string =>
    a ? expression.slice(tokens[a.from]?.start ?? 0, tokens[a.to - 1]?.end ?? 0) : '';
  const bound = args[0];
  if (!bound) throw new SqlError('42883', `unknown signature: ${fn}()`);
  let nearestOnly = false;
  const second = args[1];
  if (second) {
    const typed = await engineRow<{ t: string; v: string }>(
      session,
      `SELECT pg_typeof(${engineExpression(session, argText(second))})::text AS t, (${engineExpression(session, argText(second))})::text AS v`,
    );
    if (typed?.t !== 'boolean') throw new SqlError('22023', `${fn}: expected bool argument for nearest_only`);
    nearestOnly = typed.v === 'true';
  }
  const boundTokens = tokens.slice(bound.from, bound.to);
  const literal = boundTokens.every((t) => t.kind === 'string' || (t.kind === 'op' && (t.value === '-' || t.value === '+')));
  const wanted = fn === 'with_max_staleness' ? 'interval' : 'timestamptz';
  if (!literal) {
    const typed = await engineRow<{ t: string }>(session, `SELECT pg_typeof(${engineExpression(session, argText(bound))})::text AS t`);
    const accepted =
      fn === 'with_max_staleness'
        ? ['interval', 'unknown']
        : ['timestamp with time zone', 'timestamp without time zone', 'date', 'unknown'];
    if (!accepted.includes(typed?.t ?? ''))
      throw new SqlError(
        '22023',
        `${fn}: expected ${wanted} argument for ${fn === 'with_max_staleness' ? 'max_staleness' : 'min_timestamp'}`,
      );
  }
  // The call itself checks its bound (a negative staleness, a future minimum).
  const call = engineExpression(session, `${fn}(${argText(bound)})`);
  const row = await engineRow<{ min: string; now: string }>(
    session,
    `SELECT floor(extract(epoch FROM ${call}) * 1000000)::int8 AS min, ${NOW_MICROS} AS now`,
  );
  return { kind: 'bounded', fn, minMicros: Number(row?.min ?? 0), nearestOnly, nowMicros: Number(row?.now ?? 0) };
}

// ---- the schema in the past ----------------------------------------------------------------

interface SchemaEntry {
  database: string;
  name: string | null;
  event: string;
  micros: number;
}

class SchemaAt {
  constructor(
    private readonly session: SqlSession,
    private readonly log: readonly SchemaEntry[],
    private readonly micros: number,
  ) {}

  databaseExists(database: string): boolean {
    const events = this.log.filter((e) => e.database === database && e.name === null);
    let exists =
      events.length === 0
        ? BUILTIN_DATABASES.has(database) || this.session.cluster.catalog.databases.has(database)
        : BUILTIN_DATABASES.has(database);
    for (const e of events) if (e.micros <= this.micros) exists = e.event === 'create';
    return exists;
  }

  tableExists(database: string, name: string): boolean {
    if (!this.databaseExists(database)) return false;
    const events = this.log.filter((e) => e.database === database && e.name === name);
    let exists = events.length === 0 && this.session.cluster.catalog.table(database, name) !== undefined;
    for (const e of events) if (e.micros <= this.micros) exists = e.event !== 'drop';
    return exists;
  }

  /** Whether the table (or its database) changed after the read time: its past cannot be rebuilt from its present. */
  changedSince(database: string, name: string): boolean {
    return this.log.some((e) => e.database === database && (e.name === name || e.name === null) && e.micros > this.micros);
  }

  /** When the table was first created after the read time, if it was. */
  createdAfter(database: string, name: string): boolean {
    return this.log.some(
      (e) => e.database === database && (e.name === name || e.name === null) && e.event === 'create' && e.micros > this.micros,
    );
  }

  /** Tables of a database the log or the catalog knows. */
  tablesOf(database: string): string[] {
    const names = new Set(this.session.cluster.catalog.tablesOf(database).map((t) => t.name));
    for (const e of this.log) if (e.database === database && e.name !== null) names.add(e.name);
    return [...names];
  }
}

async function schemaAt(session: SqlSession, micros: number): Promise<SchemaAt> {
  try {
    const result = await session.cluster.engine.query<{ database: string; name: string | null; event: string; micros: string }>(
      `SELECT database, name, event, floor(extract(epoch FROM at) * 1000000)::int8 AS micros FROM ${HISTORY_SCHEMA}.schema_log ORDER BY seq`,
    );
    return new SchemaAt(
      session,
      result.rows.map((r) => ({ ...r, micros: Number(r.micros) })),
      micros,
    );
  } catch (error) {
    throw engineError(error);
  }
}

function gcTtlSeconds(session: SqlSession, database: string, name: string): number {
  const zones = session.cluster.catalog.zones;
  for (const key of [`table:${database}.${name}`, `database:${database}`, 'range:default']) {
    const value = Number(zones.get(key)?.get('gc.ttlseconds'));
    if (Number.isFinite(value) && value > 0) return value;
  }
  return DEFAULT_GC_TTL_SECONDS;
}

// ---- the historical read --------------------------------------------------------------------

function cteName(session: SqlSession, database: string, name: string): string {
  return database === session.database ? name : `crdb_asof_${database}_${name}`;
}

async function primaryKeys(session: SqlSession, databases: readonly string[]): Promise<Map<string, string[]>> {
  const result = await session.cluster.engine.query<{ nspname: string; relname: string; pk: string[] }>(
    `SELECT n.nspname::text AS nspname, c.relname::text AS relname,
            array_agg(a.attname::text ORDER BY array_position(i.indkey::int2[], a.attnum)) AS pk
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
      WHERE i.indisprimary AND n.nspname = ANY ($1::text[])
      GROUP BY 1, 2`,
    [databases],
  );
  return new Map(result.rows.map((r) => [`${r.nspname}.${r.relname}`, r.pk]));
}

function failing(code: string, message: string): string {
  return `SELECT NULL WHERE ${HISTORY_SCHEMA}.fail(${quoteLiteral(code)}, ${quoteLiteral(message)})`;
}

/** The rows of database.name as they were at `micros`: today's rows with later changes undone. */
function rowsAt(database: string, name: string, pk: readonly string[], micros: number): string {
  const relation = `${quoteIdent(database)}.${quoteIdent(name)}`;
  const tbl = `${quoteLiteral(relation)}::regclass`;
  const at = timestampLiteral(micros);
  const key = `jsonb_build_object(${pk.map((c) => `${quoteLiteral(c)}, c.${quoteIdent(c)}`).join(', ')})`;
  return (
    `SELECT c.* FROM ${relation} c WHERE NOT EXISTS (SELECT 1 FROM ${HISTORY_SCHEMA}.row_log l WHERE l.tbl = ${tbl} AND l.at > ${at} AND l.key = ${key})` +
    ` UNION ALL SELECT r.* FROM (SELECT DISTINCT ON (l.key) l.old FROM ${HISTORY_SCHEMA}.row_log l WHERE l.tbl = ${tbl} AND l.at > ${at} ORDER BY l.key, l.seq) f` +
    ` CROSS JOIN LATERAL jsonb_populate_record(NULL::${relation}, f.old) r WHERE f.old IS NOT NULL`
  );
}

/** The time a historical SELECT reads, or undefined for a present-time read. */
async function readTime(session: TransactionSession, clauses: readonly AsOfClause[]): Promise<AsOfTime | undefined> {
  const top = clauses.filter((c) => c.depth === 0);
  const nested = clauses.filter((c) => c.depth > 0);
  const own = top[0];
  if (nested.length > 0 && !own) throw new SqlError('42601', 'AS OF SYSTEM TIME must be provided on a top-level statement');
  const normalized = (c: AsOfClause): string =>
    tokensOf(c.expression)
      .map((t) => t.value)
      .join(' ');
  if (own && clauses.some((c) => normalized(c) !== normalized(own)))
    throw new SqlError('0A000', 'unimplemented: cannot specify AS OF SYSTEM TIME with different timestamps');
  const txn = session.txn;
  if (session.status !== 'I') {
    if (!own) return txn.readAt === undefined ? undefined : { kind: 'exact', micros: txn.readAt, nowMicros: txn.readAt };
    const asked = await evaluateAsOf(session, own.expression, 'statement');
    if (asked.kind === 'bounded') throw new SqlError('0A000', 'cannot use a bounded staleness query in a transaction');
    if (asked.micros !== txn.readAt)
      throw new SqlError(
        '0A000',
        `inconsistent AS OF SYSTEM TIME timestamp; expected: ${txn.readAt === undefined ? 'the transaction timestamp' : hlcText(txn.readAt)}`,
      );
    return asked;
  }
  if (own) {
    const asked = await evaluateAsOf(session, own.expression, 'statement');
    if (asked.kind === 'exact') {
      if (txn.requestReadAt !== undefined && txn.requestReadAt !== asked.micros)
        throw new SqlError('0A000', `inconsistent AS OF SYSTEM TIME timestamp; expected: ${hlcText(txn.requestReadAt)}`);
      txn.requestReadAt = asked.micros;
    }
    return asked;
  }
  const sessionWide = sessionAsOfExpression(session);
  if (sessionWide === undefined) return undefined;
  if (txn.requestReadAt !== undefined) return { kind: 'exact', micros: txn.requestReadAt, nowMicros: txn.requestReadAt };
  const asked = await evaluateAsOf(session, sessionWide, 'transaction');
  if (asked.kind === 'exact') txn.requestReadAt = asked.micros;
  return asked;
}

/**
 * A SELECT that reads the past (its own AS OF SYSTEM TIME, its transaction's, or the session's
 * follower reads): translated for the engine with the tables as they were; undefined when it
 * reads the present.
 */
export async function historicalTranslation(session: TransactionSession, text: string, tokens: Token[]): Promise<Translated | undefined> {
  const clauses = asOfClauses(text, tokens);
  const time = await readTime(session, clauses);
  if (!time) return undefined;
  const refs = tableReferences(text, tokens).filter((r) => {
    const head = r.parts.length > 1 ? (r.parts[r.parts.length - 2] ?? '') : '';
    return !VIRTUAL_SCHEMAS.has(r.parts[0] ?? '') && !VIRTUAL_SCHEMAS.has(head);
  });
  let micros: number;
  if (time.kind === 'bounded') {
    await checkBoundedShape(session, tokens, refs, clauses);
    // The local replica has closed timestamps up to the closed timestamp target behind now.
    const resolved = time.nowMicros - durationSetting(session, 'kv.closed_timestamp.target_duration', 3000) * 1000;
    if (time.minMicros > resolved) {
      if (time.nearestOnly)
        throw new SqlError(
          'XCUBS',
          `bounded staleness read with minimum timestamp bound of ${hlcText(time.minMicros)} could not be satisfied by a local resolved timestamp of ${hlcText(resolved)}`,
        );
      return rewriteGeneral(text, { database: session.database, asOfHandled: true }, undefined, tokens);
    }
    const schema = await schemaAt(session, resolved);
    // A replica's resolved timestamp never precedes the creation of what it holds.
    if (
      refs.some((r) => {
        const { database, name } = resolveParts(session, r.parts);
        return schema.createdAfter(database, name);
      })
    )
      return rewriteGeneral(text, { database: session.database, asOfHandled: true }, undefined, tokens);
    micros = resolved;
  } else micros = time.micros;
  const schema = await schemaAt(session, micros);
  const nowMicros = time.nowMicros;
  for (const ref of refs) {
    const { database, name } = resolveParts(session, ref.parts);
    if (!schema.databaseExists(database)) throw new SqlError('3D000', `database "${database}" does not exist`);
    if (!schema.tableExists(database, name)) {
      if (session.cluster.catalog.table(database, name) || schema.tablesOf(database).includes(name))
        throw new SqlError('42P01', `relation "${ref.written}" does not exist`);
      continue; // a view, a sequence, or nothing: the engine answers
    }
    if (schema.changedSince(database, name)) throw notSimulated(`AS OF SYSTEM TIME before a schema change of table ${name}`);
    const ttl = gcTtlSeconds(session, database, name) * 1e6;
    const threshold = nowMicros - ttl;
    if (micros < threshold && threshold > session.cluster.startedAt * 1000)
      throw new SqlError('XXUUU', `batch timestamp ${hlcText(micros)} must be after replica GC threshold ${hlcText(threshold)}`);
  }
  // Every table of the current database, and each other one named, gets its CTE.
  const targets = new Map<string, { database: string; name: string }>();
  for (const name of schema.tablesOf(session.database)) targets.set(`${session.database}.${name}`, { database: session.database, name });
  for (const ref of refs) {
    const resolved = resolveParts(session, ref.parts);
    if (schema.tableExists(resolved.database, resolved.name) || resolved.database !== session.database)
      targets.set(`${resolved.database}.${resolved.name}`, resolved);
  }
  const databases = [...new Set([...targets.values()].map((t) => t.database))];
  const keys = await primaryKeys(session, databases);
  const declared = new Set(
    tokens
      .filter((t, i) => (t.kind === 'ident' || t.kind === 'qident') && isWord(tokens[i + 1], 'as') && isPunct(tokens[i + 2], '('))
      .map((t) => t.value),
  );
  const ctes: string[] = [];
  for (const { database, name } of targets.values()) {
    const cte = cteName(session, database, name);
    if (declared.has(cte)) continue;
    let body: string;
    if (!schema.databaseExists(database)) body = failing('3D000', `database "${database}" does not exist`);
    else if (!schema.tableExists(database, name)) body = failing('42P01', `relation "${name}" does not exist`);
    else if (schema.changedSince(database, name) || !session.cluster.catalog.table(database, name))
      body = failing('0A000', notSimulated(`AS OF SYSTEM TIME before a schema change of table ${name}`).message);
    else body = rowsAt(database, name, keys.get(`${database}.${name}`) ?? [], micros);
    ctes.push(`${quoteIdent(cte)} AS (${body})`);
  }
  const translated = rewriteGeneral(
    text,
    {
      database: session.database,
      asOfHandled: true,
      historicalName: (parts, next) => {
        const { database, name } = resolveParts(session, parts);
        if (!targets.has(`${database}.${name}`)) return undefined;
        const cte = quoteIdent(cteName(session, database, name));
        return next || database === session.database ? cte : `${cte} AS ${quoteIdent(name)}`;
      },
    },
    transactionTime(text, tokens, micros),
    tokens,
  );
  if (ctes.length === 0) return translated;
  translated.sql = withCtes(translated.sql, ctes);
  return translated;
}

/** The transaction's timestamp is the read time in a historical read: now() and its spellings say it. */
function transactionTime(text: string, tokens: readonly Token[], micros: number): Rewriter {
  const rewriter = new Rewriter(text);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const call = isPunct(tokens[i + 1], '(') && isPunct(tokens[i + 2], ')');
    if (t && ((isWord(t, 'now', 'transaction_timestamp') && call) || (isWord(t, 'current_timestamp') && !isPunct(tokens[i + 1], '('))))
      rewriter.replace(t.start, call ? (tokens[i + 2]?.end ?? t.end) : t.end, timestampLiteral(micros));
  }
  return rewriter;
}

/** The statement with `ctes` added in front of its own WITH list (or as a new one). */
function withCtes(sql: string, ctes: readonly string[]): string {
  const tokens = tokensOf(sql);
  const first = tokens[0];
  if (!first) return sql;
  if (isWord(first, 'with')) {
    const after = isWord(tokens[1], 'recursive') ? tokens[1] : first;
    const at = after?.end ?? first.end;
    return `${sql.slice(0, at)} ${ctes.join(', ')},${sql.slice(at)}`;
  }
  return `${sql.slice(0, first.start)}WITH ${ctes.join(', ')} ${sql.slice(first.start)}`;
}

// ---- prepared statements ------------------------------------------------------------------------

/** Prepared statements that read the past, by name: their SELECT, read again at each EXECUTE. */
const preparedBySession = new WeakMap<SqlSession, Map<string, string>>();

/**
 * PREPARE of a SELECT with AS OF SYSTEM TIME: its bounded staleness placeholders checked as
 * CockroachDB types them, its text kept; EXECUTE of one: read in the past like the SELECT.
 * Undefined for any other statement (the engine prepares and executes it).
 */
export async function preparedHistorical(session: TransactionSession, text: string, tokens: Token[]): Promise<Translated | undefined> {
  const prepared = preparedBySession.get(session) ?? new Map<string, string>();
  preparedBySession.set(session, prepared);
  const head = tokens[0];
  const name = tokens[1];
  if (!name || !(name.kind === 'ident' || name.kind === 'qident')) return undefined;
  if (isWord(head, 'execute')) {
    const inner = prepared.get(name.value);
    if (inner === undefined) return undefined;
    if (tokens.length > 2 && !isPunct(tokens[2], ';')) throw notSimulated('EXECUTE with arguments of a statement with AS OF SYSTEM TIME');
    return (
      (await historicalTranslation(session, inner, tokensOf(inner))) ??
      rewriteGeneral(inner, { database: session.database, asOfHandled: true })
    );
  }
  if (!isWord(head, 'prepare')) return undefined;
  prepared.delete(name.value);
  const as = tokens.findIndex((t, i) => i > 1 && isWord(t, 'as'));
  const body = tokens[as + 1];
  if (as === -1 || !body || !isWord(body, 'select', 'with')) return undefined;
  const inner = text.slice(body.start);
  const innerTokens = tokensOf(inner);
  const clauses = asOfClauses(inner, innerTokens);
  if (clauses.length === 0) return undefined;
  for (const clause of clauses) {
    const expression = tokensOf(clause.expression);
    const fn = expression[0]?.value;
    const argument = expression[2];
    if (fn === 'with_min_timestamp' && argument?.kind === 'placeholder')
      throw new SqlError('42804', 'with_min_timestamp: expected timestamptz argument for min_timestamp');
    if (fn === 'with_max_staleness' && argument?.kind === 'placeholder')
      throw new SqlError('42804', 'with_max_staleness: expected interval argument for max_staleness');
    if (expression.some((t) => t.kind === 'placeholder')) throw notSimulated('a placeholder in AS OF SYSTEM TIME');
  }
  prepared.set(name.value, inner.replace(/;\s*$/, ''));
  return undefined;
}

/**
 * A historical read's columns come from its CTEs, which the engine does not tie to a table:
 * hidden columns are left out of `*` as for the table itself (the fields are marked as a
 * table's while CockroachDB's rule runs, then given back their own table OIDs).
 */
export function hideHistoricalColumns(catalog: Catalog, result: QueryResult, statement: string): void {
  if (result.error) return;
  const original = new Map(result.fields.map((f) => [f, f.tableOid]));
  for (const field of result.fields) field.tableOid = field.tableOid || 1;
  showAsCockroachDB(catalog, result, statement);
  for (const field of result.fields) field.tableOid = original.get(field);
}
