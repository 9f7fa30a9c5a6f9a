// CockroachDB statements → PostgreSQL statements for the engine. Only what PostgreSQL would
// reject or read differently is rewritten; what the translation drops (localities, partitions,
// hash sharding, column families) the simulator records in its catalog instead.
import type * as ast from '../../../sql/src/ast';
import type { CheckSource, StorageParam } from './catalog';
import type { Token } from '../../../sql/src/lexer';
import { quoteIdent } from '../../../sql/src/names';
import { notSimulated, SqlError, SQLSTATE } from './errors';
import { gatewayRegionDefault, regionTypeIn } from './regionalByRow';
import { aliasFollows, asOfClauseEnd, startsAsOf } from './asOfSyntax';
import { isPunct, isWord, Rewriter, SERIAL_TYPES, skipGroup, tokensOf, typeEdit } from './rewrite';
import { EXPIRATION_COLUMN, expirationColumnSql, expireAfter, writtenStorageParams } from './storageParams';

export interface TranslateContext {
  /** The session's current database (a schema in the engine). */
  database: string;
  /** The statement's AS OF SYSTEM TIME is read by the caller (timeTravel.ts): removed without a notice. */
  asOfHandled?: boolean;
  /** A historical read: what a qualified table name becomes (its CTE), given whether an alias follows. */
  historicalName?: (parts: string[], aliasFollows: boolean) => string | undefined;
}

export interface Translated {
  sql: string;
  notices: string[];
  /** Table names the statement refers to (each its 1 to 3 parts as written), for availability. */
  tables: string[][];
  /** Whether it reads crdb_internal tables the simulator must fill first. */
  readsCrdbInternal: boolean;
}

const TABLE_INTRODUCERS = new Set(['from', 'join', 'into', 'update', 'table']);
const JOIN_HINTS = new Set(['hash', 'merge', 'lookup', 'inverted', 'straight']);

/** Rewrites the CockroachDB-only pieces any statement may hold. */
export function rewriteGeneral(sql: string, context: TranslateContext, rewriter = new Rewriter(sql), tokens = tokensOf(sql)): Translated {
  const notices: string[] = [];
  const tables: string[][] = [];
  let readsCrdbInternal = false;
  const castDepths: number[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    if (t.kind === 'punct') {
      if (t.value === '[' && isWord(tokens[i + 1], 'show')) throw notSimulated('a [SHOW …] data source inside a query');
      if (t.value === '(') depth++;
      else if (t.value === ')') {
        if (castDepths[castDepths.length - 1] === depth) castDepths.pop();
        depth--;
      }
      continue;
    }
    if (t.kind === 'op' && t.value === '::') {
      // CockroachDB's type annotation `expr:::TYPE`: a cast for the engine.
      const colon = tokens[i + 1];
      if (colon?.kind === 'op' && colon.value === ':' && colon.start === t.end) {
        rewriter.remove(colon.start, colon.end);
        i++;
      }
      const edit = typeEdit(tokens, i + 1);
      if (edit === 'unsupported') throw notSimulated(`type ${tokens[i + 1]?.value ?? ''}`);
      if (edit) rewriter.replace(edit.start, edit.end, edit.text);
      continue;
    }
    if (
      t.kind === 'op' &&
      (t.value === '-' || t.value === '+') &&
      isIntervalLiteral(tokens[i + 1]) &&
      i > 0 &&
      tokens[i - 1]?.kind !== 'op'
    ) {
      // `ts - '1ms'`: CockroachDB reads a literal that can only be an interval as one; the engine would try a timestamp.
      const literal = tokens[i + 1];
      if (literal && !(tokens[i + 2]?.kind === 'op' && tokens[i + 2]?.value === '::')) rewriter.insert(literal.end, '::interval');
      i++;
      continue;
    }
    if (t.kind === 'op' && t.value === '@' && i > 0 && tokens[i - 1]?.kind !== 'op') {
      // An index hint: t@idx or t@{FORCE_INDEX=idx}. PostgreSQL plans for itself.
      const next = tokens[i + 1];
      if (next?.kind === 'ident' || next?.kind === 'qident') {
        rewriter.remove(t.start, next.end);
        i++;
        continue;
      }
      if (next?.kind === 'op' && next.value === '{') {
        let j = i + 1;
        while (j < tokens.length && !(tokens[j]?.kind === 'op' && tokens[j]?.value === '}')) j++;
        rewriter.remove(t.start, tokens[j]?.end ?? t.end);
        i = j;
        continue;
      }
    }
    if (t.kind !== 'ident') continue;
    if (t.value === 'cast' && isPunct(tokens[i + 1], '(')) castDepths.push(depth + 1);
    else if (t.value === 'as' && castDepths[castDepths.length - 1] === depth) {
      const edit = typeEdit(tokens, i + 1);
      if (edit === 'unsupported') throw notSimulated(`type ${tokens[i + 1]?.value ?? ''}`);
      if (edit) rewriter.replace(edit.start, edit.end, edit.text);
    } else if (startsAsOf(tokens, i)) {
      const j = asOfClauseEnd(tokens, i);
      const end = tokens[j - 1]?.end ?? t.end;
      rewriter.remove(t.start, end);
      if (!context.asOfHandled)
        notices.push(
          'AS OF SYSTEM TIME: this statement reads the latest committed data (only SELECT reads the past in the simulated cluster).',
        );
      i = j - 1;
    } else if (t.value === 'returning' && isWord(tokens[i + 1], 'nothing')) {
      rewriter.remove(t.start, tokens[i + 1]?.end ?? t.end);
      i++;
    } else if (TABLE_INTRODUCERS.has(t.value)) {
      const name = qualifiedNameAt(tokens, i + 1);
      if (name) {
        tables.push(name.parts);
        if (name.parts[0] === 'crdb_internal') readsCrdbInternal = true;
        const after = i + name.parts.length * 2;
        const historical = name.parts.length > 1 ? context.historicalName?.(name.parts, aliasFollows(tokens, after)) : undefined;
        if (historical !== undefined) rewriter.replace(tokens[i + 1]?.start ?? t.end, tokens[after - 1]?.end ?? t.end, historical);
        else rewriteQualifiedName(tokens, i + 1, name.parts.length, context, rewriter);
      }
    } else if (JOIN_HINTS.has(t.value) && isWord(tokens[i + 1], 'join') && i > 0) {
      // A join hint (INNER HASH JOIN, LEFT LOOKUP JOIN): the engine plans for itself.
      rewriter.remove(t.start, tokens[i + 1]?.start ?? t.end);
    } else if ((t.value === 'with_max_staleness' || t.value === 'with_min_timestamp') && isPunct(tokens[i + 1], '(')) {
      // The one signature types a bare literal argument: an interval, or a timestamp.
      let at = i + 2;
      if (tokens[at]?.kind === 'op' && (tokens[at]?.value === '-' || tokens[at]?.value === '+')) at++;
      const literal = tokens[at];
      if (literal?.kind === 'string' && (isPunct(tokens[at + 1], ')') || isPunct(tokens[at + 1], ',')))
        rewriter.insert(literal.end, t.value === 'with_max_staleness' ? '::interval' : '::timestamptz');
    } else if (t.value === 'crdb_internal' && isPunct(tokens[i + 1], '.')) readsCrdbInternal = true;
    else if ((tokens[i + 1]?.kind === 'punct' && tokens[i + 1]?.value === '.') || t.value === 'public') {
      const name = qualifiedNameAt(tokens, i);
      if (name && name.parts.length >= 2 && (name.parts[0] === 'public' || name.parts[1] === 'public')) {
        rewriteQualifiedName(tokens, i, name.parts.length, context, rewriter);
        i += name.parts.length * 2 - 2;
      }
    }
  }
  return { sql: rewriter.apply(), notices, tables, readsCrdbInternal };
}

/** A string literal that reads only as an interval: a number with a time unit ('1ms', '5 minutes'). */
function isIntervalLiteral(token: Token | undefined): boolean {
  if (token?.kind !== 'string') return false;
  return /^\s*-?\d+(\.\d+)?\s*(us|µs|μs|ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?|d|days?|w|weeks?)\s*$/i.test(token.value);
}

function identValue(token: Token | undefined): string | undefined {
  return token?.kind === 'ident' || token?.kind === 'qident' ? token.value : undefined;
}

/** a, a.b or a.b.c starting at tokens[at]. */
function qualifiedNameAt(tokens: readonly Token[], at: number): { parts: string[] } | undefined {
  const first = identValue(tokens[at]);
  if (first === undefined) return undefined;
  const parts = [first];
  let i = at + 1;
  while (parts.length < 3 && isPunct(tokens[i], '.') && identValue(tokens[i + 1]) !== undefined) {
    parts.push(identValue(tokens[i + 1]) ?? '');
    i += 2;
  }
  return { parts };
}

/** db.public.t → "db".t; public.t → "<current db>".t (each database is a schema in the engine). */
function rewriteQualifiedName(tokens: readonly Token[], at: number, count: number, context: TranslateContext, rewriter: Rewriter): void {
  const first = tokens[at];
  const second = tokens[at + 2];
  if (!first) return;
  if (count === 3 && identValue(second) === 'public') {
    rewriter.remove(tokens[at + 1]?.start ?? first.end, second?.end ?? first.end);
  } else if (count === 2 && identValue(first) === 'public') {
    rewriter.replace(first.start, first.end, quoteIdent(context.database));
  }
}

// ---- CREATE TABLE ---------------------------------------------------------------------------

export interface TableTranslation {
  /** CREATE TABLE, then one CREATE INDEX per index written inside it. */
  sql: string[];
  notices: string[];
  hidden: string[];
  hashSharded: HashShardedIndex[];
  /** WITH (…) after the element list: kept in the catalog (storageParams.ts). */
  storageParams: StorageParam[];
  /** The CHECK constraints as written, by the name each gets. */
  checkSources: CheckSource[];
  /** The indexes written NOT VISIBLE (or INVISIBLE), by their CockroachDB names. */
  notVisible: string[];
}

/**
 * A USING HASH index written inside CREATE TABLE. An unnamed secondary index gets its name from
 * the engine, so it is found again by its key columns.
 */
export interface HashShardedIndex {
  primary: boolean;
  index: string | undefined;
  columns: string[];
  buckets: number;
}

const INDEX_HEADS = new Set(['index', 'unique', 'inverted', 'vector']);

function isIndexElement(tokens: readonly Token[], at: number): boolean {
  const first = tokens[at];
  if (!isWord(first, ...INDEX_HEADS)) return false;
  if (isWord(first, 'index')) return true;
  // UNIQUE (a) is a constraint; UNIQUE INDEX / INVERTED INDEX are CockroachDB index definitions.
  return isWord(tokens[at + 1], 'index') || (isWord(tokens[at + 1], 'inverted', 'vector') && isWord(tokens[at + 2], 'index'));
}

/** The top-level comma-separated elements between tokens[open] '(' and its ')'. */
function elements(tokens: readonly Token[], open: number): { from: number; to: number }[] {
  const close = skipGroup(tokens, open) - 1;
  const result: { from: number; to: number }[] = [];
  let from = open + 1;
  let depth = 0;
  for (let i = open + 1; i < close; i++) {
    const t = tokens[i];
    if (t?.kind !== 'punct') continue;
    if (t.value === '(' || t.value === '[') depth++;
    else if (t.value === ')' || t.value === ']') depth--;
    else if (t.value === ',' && depth === 0) {
      result.push({ from, to: i });
      from = i + 1;
    }
  }
  if (from < close) result.push({ from, to: close });
  return result;
}

/** Removes ASC/DESC inside a key column list (PostgreSQL's PRIMARY KEY / UNIQUE reject them). */
function stripDirections(tokens: readonly Token[], from: number, to: number, rewriter: Rewriter): void {
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (isWord(t, 'asc', 'desc') && t) rewriter.remove(t.start, t.end);
  }
}

/** USING HASH [WITH (bucket_count = n)] and WITH (bucket_count = n): removed; returns buckets. */
function stripHashSharding(tokens: readonly Token[], from: number, to: number, rewriter: Rewriter): number | undefined {
  let buckets: number | undefined;
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (isWord(t, 'using') && isWord(tokens[i + 1], 'hash') && t) {
      buckets ??= 16;
      let end = tokens[i + 1]?.end ?? t.end;
      if (isWord(tokens[i + 2], 'with') && isPunct(tokens[i + 3], '(')) {
        const after = skipGroup(tokens, i + 3);
        const count = bucketCount(tokens, i + 3, after);
        if (count !== undefined) buckets = count;
        end = tokens[after - 1]?.end ?? end;
      }
      rewriter.remove(t.start, end);
    } else if (isWord(t, 'with') && isPunct(tokens[i + 1], '(') && isWord(tokens[i + 2], 'bucket_count') && t) {
      const after = skipGroup(tokens, i + 1);
      buckets = bucketCount(tokens, i + 1, after) ?? buckets;
      rewriter.remove(t.start, tokens[after - 1]?.end ?? t.end);
    }
  }
  return buckets;
}

/** The name in `CONSTRAINT name …`, if the element starts so. */
function constraintName(tokens: readonly Token[], at: number): string | undefined {
  const name = tokens[at + 1];
  return isWord(tokens[at], 'constraint') && name ? name.value : undefined;
}

/**
 * Names each unnamed CHECK in tokens[from, to) as CockroachDB does (checkConstraintDefaultName):
 * `check_` and the table's columns the expression names, in order (`check_qty_status`), a number
 * appended when the name is taken (`check_qty1`). PostgreSQL would name it `<table>_<column>_check`.
 */
function nameChecks(
  tokens: readonly Token[],
  from: number,
  to: number,
  columns: ReadonlySet<string>,
  taken: Set<string>,
  rewriter: Rewriter,
  written: CheckSource[],
  source: string,
): void {
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (!t || !isWord(t, 'check') || !isPunct(tokens[i + 1], '(')) continue;
    const end = skipGroup(tokens, i + 1);
    const expression = source.slice(tokens[i + 2]?.start ?? 0, tokens[end - 2]?.end ?? 0);
    const given = tokens[i - 1];
    // CONSTRAINT name CHECK, or CONSTRAINT IF NOT EXISTS name CHECK.
    const namedAfter = isWord(tokens[i - 2], 'exists') && isWord(tokens[i - 3], 'not') && isWord(tokens[i - 4], 'if') ? i - 5 : i - 2;
    if (isWord(tokens[namedAfter], 'constraint') && given) {
      written.push({ name: given.value, source: expression });
      i = end - 1;
      continue;
    }
    const named: string[] = [];
    for (let k = i + 2; k < end - 1; k++) {
      const word = tokens[k];
      if ((word?.kind === 'ident' || word?.kind === 'qident') && columns.has(word.value) && !isPunct(tokens[k + 1], '('))
        named.push(word.value);
    }
    const base = ['check', ...named].join('_');
    let name = base;
    for (let n = 1; taken.has(name); n++) name = `${base}${n}`;
    taken.add(name);
    rewriter.insert(t.start, `CONSTRAINT ${quoteIdent(name)} `);
    written.push({ name, source: expression });
    i = end - 1;
  }
}

/** The constraint names written in tokens[from, to) (after CONSTRAINT). */
function writtenConstraintNames(tokens: readonly Token[], from: number, to: number): Set<string> {
  const names = new Set<string>();
  for (let i = from; i < to; i++) {
    const name = constraintName(tokens, i);
    if (name !== undefined) names.add(name);
  }
  return names;
}

function bucketCount(tokens: readonly Token[], from: number, to: number): number | undefined {
  for (let i = from; i < to; i++) if (tokens[i]?.kind === 'number') return Number(tokens[i]?.value);
  return undefined;
}

/** CREATE INDEX for an index definition written inside CREATE TABLE. */
/** `CONSTRAINT name PRIMARY KEY | UNIQUE` between `from` and `to`, written with the engine's name for `name` where it has another. */
function renameIndexBackedConstraints(
  tokens: readonly Token[],
  from: number,
  to: number,
  engineNames: ReadonlyMap<string, string>,
  rewriter: Rewriter,
): void {
  if (engineNames.size === 0) return;
  for (let i = from; i + 2 < to; i++) {
    const name = tokens[i + 1];
    const engineName =
      name && isWord(tokens[i], 'constraint') && isWord(tokens[i + 2], 'primary', 'unique') ? engineNames.get(name.value) : undefined;
    if (name && engineName !== undefined) rewriter.replace(name.start, name.end, quoteIdent(engineName));
  }
}

function indexStatement(
  index: ast.IndexDef,
  table: string,
  source: string,
  chosenName: string | undefined,
): { sql: string; buckets: number | undefined } {
  const columns = index.columns.map((c) => source.slice(c.start, c.end)).join(', ');
  const name = chosenName !== undefined ? quoteIdent(chosenName) : index.name ? source.slice(index.name.start, index.name.end) : undefined;
  let sql = `CREATE ${index.kind === 'unique' ? 'UNIQUE ' : ''}INDEX ${name !== undefined ? name + ' ' : ''}ON ${table}`;
  if (index.inverted) sql += ' USING gin';
  sql += ` (${columns})`;
  if (index.storing.length > 0) sql += ` INCLUDE (${index.storing.map((s) => source.slice(s.start, s.end)).join(', ')})`;
  if (index.where) sql += ` WHERE ${index.where.text}`;
  return { sql, buckets: index.usingHash ? (index.bucketCount ?? 16) : undefined };
}

export function translateCreateTable(
  source: string,
  statement: ast.CreateTable,
  context: TranslateContext,
  regionalByRowColumn: string | undefined,
  tableDatabase: string = context.database,
  /** Names CockroachDB gives unnamed indexes (indexNames.ts), where PostgreSQL's would differ. */
  indexNames: ReadonlyMap<ast.IndexDef, string> = new Map(),
  /** The engine's names for written index and constraint names another relation holds (engineIndexNames.ts). */
  engineNames: ReadonlyMap<string, string> = new Map(),
): TableTranslation {
  const tokens = tokensOf(source);
  const rewriter = new Rewriter(source);
  const notices: string[] = [];
  const hidden: string[] = [];
  const hashSharded: TableTranslation['hashSharded'] = [];
  const notVisible: string[] = [];
  const extraSql: string[] = [];
  const checkSources: CheckSource[] = [];
  if (statement.interleave) {
    notices.push('creation of new interleaved tables or interleaved indexes is no longer supported and will be ignored.');
  }
  const tableText = source.slice(statement.name.start, statement.name.end);
  // The element list: the first '(' after the table name.
  const open = tokens.findIndex((t) => t.start >= statement.name.end && isPunct(t, '('));
  if (statement.asSelect || open === -1) {
    const general = rewriteGeneral(source, context, rewriter, tokens);
    return {
      sql: [general.sql],
      notices: [...notices, ...general.notices],
      hidden,
      hashSharded,
      storageParams: [],
      checkSources: [],
      notVisible: [],
    };
  }
  const parts = elements(tokens, open);
  const kept: string[] = [];
  const columnNames = new Set(statement.columns.map((c) => c.name.value));
  const constraintNames = writtenConstraintNames(tokens, open, skipGroup(tokens, open));
  for (const part of parts) {
    const head = tokens[part.from];
    if (!head) continue;
    if (isIndexElement(tokens, part.from)) {
      const index = statement.indexes.find((ix) => ix.start >= head.start && ix.start <= (tokens[part.to - 1]?.end ?? head.end));
      if (index) {
        const chosen = indexNames.get(index);
        const written = index.name?.value ?? chosen;
        if (index.notVisible && written !== undefined) notVisible.push(written);
        const { sql, buckets } = indexStatement(index, tableText, source, chosen ?? (index.name && engineNames.get(index.name.value)));
        extraSql.push(rewriteGeneral(sql, context).sql);
        if (buckets !== undefined) {
          const columns = index.columns.map((c) => c.name?.value ?? source.slice(c.start, c.end));
          hashSharded.push({ primary: false, index: index.name?.value ?? chosen, columns, buckets });
        }
      }
      continue;
    }
    if (isWord(head, 'family')) continue;
    const elementRewriter = new Rewriter(source);
    nameChecks(tokens, part.from, part.to, columnNames, constraintNames, elementRewriter, checkSources, source);
    renameIndexBackedConstraints(tokens, part.from, part.to, engineNames, elementRewriter);
    const isConstraint = isWord(head, 'constraint', 'primary', 'unique', 'check', 'foreign', 'exclude', 'like');
    if (isConstraint) {
      const buckets = stripHashSharding(tokens, part.from, part.to, elementRewriter);
      // Only PRIMARY KEY … USING HASH shards the primary index; a UNIQUE constraint's is its own.
      const primary = tokens.slice(part.from, part.to).some((t) => isWord(t, 'primary'));
      // An unnamed UNIQUE constraint's index is found again by its columns.
      const written = statement.indexes.find((ix) => ix.start >= head.start && ix.start <= (tokens[part.to - 1]?.end ?? head.end));
      const columns = written?.columns.map((c) => c.name?.value ?? source.slice(c.start, c.end)) ?? [];
      if (buckets !== undefined) hashSharded.push({ primary, index: constraintName(tokens, part.from), columns, buckets });
      if (tokens.slice(part.from, part.to).some((t) => isWord(t, 'primary', 'unique'))) {
        stripDirections(tokens, part.from, part.to, elementRewriter);
      }
      stripStoring(tokens, part.from, part.to, elementRewriter);
      stripPartitionBy(tokens, part.from, part.to, elementRewriter);
      // A CHECK's expression is CockroachDB SQL like any other (type annotations `:::`, STRING…).
      kept.push(rewriteGeneral(applyRange(elementRewriter, tokens, part.from, part.to), context).sql);
      continue;
    }
    const column = statement.columns.find((c) => c.start === head.start);
    const translatedColumn = translateColumn(context, tokens, part, column, elementRewriter, hidden, notices, hashSharded);
    // REGIONAL BY ROW's region column leads the primary key: CockroachDB makes it NOT NULL.
    const regionColumn = column !== undefined && column.name.value === regionalByRowColumn && !column.notNull;
    kept.push(regionColumn ? `${translatedColumn} NOT NULL` : translatedColumn);
  }
  if (!statement.primaryKey) {
    // CockroachDB gives a table without a primary key a hidden rowid key.
    kept.push('rowid INT8 NOT NULL DEFAULT unique_rowid()', 'PRIMARY KEY (rowid)');
    hidden.push('rowid');
  }
  const storage = writtenStorageParams(tokens, skipGroup(tokens, open));
  notices.push(...storage.notices);
  const interval = expireAfter(storage.params);
  if (interval !== undefined) {
    kept.push(expirationColumnSql(interval));
    hidden.push(EXPIRATION_COLUMN);
  }
  if (regionalByRowColumn === 'crdb_region' && !statement.columns.some((c) => c.name.value === 'crdb_region')) {
    kept.push(`crdb_region ${regionTypeIn(tableDatabase)} NOT NULL DEFAULT ${gatewayRegionDefault(tableDatabase)}`);
    hidden.push('crdb_region');
  }
  const head = source.slice(statement.start, tokens[open]?.start ?? statement.start);
  const createHead = rewriteGeneral(head, context).sql;
  // Whatever follows the element list (LOCALITY, PARTITION BY, WITH (…), INTERLEAVE) is
  // CockroachDB's alone and lives in the catalog.
  return {
    sql: [`${createHead}(\n  ${kept.join(',\n  ')}\n)`, ...extraSql],
    notices,
    hidden,
    hashSharded,
    storageParams: storage.params,
    checkSources,
    notVisible,
  };
}

function applyRange(rewriter: Rewriter, tokens: readonly Token[], from: number, to: number): string {
  const start = tokens[from]?.start ?? 0;
  const end = tokens[to - 1]?.end ?? start;
  return rewriter.apply(start, end);
}

/** A UNIQUE constraint's `PARTITION BY …` (kept in the catalog, see partitionDdl.ts): removed up to the element's end. */
function stripPartitionBy(tokens: readonly Token[], from: number, to: number, rewriter: Rewriter): void {
  const at = tokens.findIndex((t, i) => i >= from && i < to && isWord(t, 'partition') && isWord(tokens[i + 1], 'by'));
  const start = tokens[at];
  const end = tokens[to - 1];
  if (at !== -1 && start && end) rewriter.remove(start.start, end.end);
}

function stripStoring(tokens: readonly Token[], from: number, to: number, rewriter: Rewriter): void {
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (isWord(t, 'storing', 'covering') && isPunct(tokens[i + 1], '(') && t) rewriter.replace(t.start, t.end, 'INCLUDE');
  }
}

function translateColumn(
  context: TranslateContext,
  tokens: readonly Token[],
  part: { from: number; to: number },
  column: ast.Column | undefined,
  rewriter: Rewriter,
  hidden: string[],
  notices: string[],
  hashSharded: TableTranslation['hashSharded'],
): string {
  let serial = false;
  if (column?.type) {
    const typeAt = tokens.findIndex((t) => t.start === column.type?.start);
    const edit = typeAt === -1 ? undefined : typeEdit(tokens, typeAt);
    if (edit === 'unsupported') throw notSimulated(`type ${column.type.name}`);
    if (edit) rewriter.replace(edit.start, edit.end, edit.text);
    serial = SERIAL_TYPES.has(column.type.name);
  }
  for (let i = part.from; i < part.to; i++) {
    const t = tokens[i];
    if (!t) continue;
    if (isWord(t, 'not') && isWord(tokens[i + 1], 'visible')) {
      rewriter.remove(t.start, tokens[i + 1]?.end ?? t.end);
      if (column) hidden.push(column.name.value);
      i++;
    } else if (isWord(t, 'create') && isWord(tokens[i + 1], 'family')) {
      const nameToken = tokens[i + 2];
      const end =
        nameToken && (nameToken.kind === 'ident' || nameToken.kind === 'qident') && i + 2 < part.to
          ? nameToken.end
          : (tokens[i + 1]?.end ?? t.end);
      rewriter.remove(t.start, end);
      i += 2;
    } else if (isWord(t, 'family') && i > part.from) {
      rewriter.remove(t.start, tokens[i + 1]?.end ?? t.end);
      i++;
    } else if (isWord(t, 'as') && isPunct(tokens[i + 1], '(') && !isWord(tokens[i - 1], 'always', 'default')) {
      // CockroachDB's computed column `AS (expr) STORED | VIRTUAL`.
      rewriter.replace(t.start, t.end, 'GENERATED ALWAYS AS');
      const after = skipGroup(tokens, i + 1);
      if (!isWord(tokens[after], 'stored', 'virtual')) rewriter.insert(tokens[after - 1]?.end ?? t.end, ' VIRTUAL');
    } else if (isWord(t, 'on') && isWord(tokens[i + 1], 'update')) {
      let j = i + 2;
      while (j < part.to && !isWord(tokens[j], 'not', 'null', 'default', 'check', 'references', 'primary', 'unique', 'constraint')) {
        j = isPunct(tokens[j], '(') ? skipGroup(tokens, j) : j + 1;
      }
      rewriter.remove(t.start, tokens[j - 1]?.end ?? t.end);
      notices.push(`ON UPDATE expressions are not simulated: column ${column?.name.value ?? ''} keeps its value on UPDATE.`);
      i = j - 1;
    } else if (isWord(t, 'primary') && isWord(tokens[i + 1], 'key')) {
      const buckets = stripHashSharding(tokens, i + 2, part.to, rewriter);
      if (buckets !== undefined) hashSharded.push({ primary: true, index: undefined, columns: [], buckets });
    } else if (isWord(t, 'visible') && !isWord(tokens[i - 1], 'not')) {
      rewriter.remove(t.start, t.end);
    }
  }
  let sql = applyRange(rewriter, tokens, part.from, part.to);
  sql = rewriteGeneral(sql, context).sql;
  if (serial && !column?.default) sql += ' DEFAULT unique_rowid()';
  return sql;
}

// ---- CREATE INDEX / ALTER TABLE / UPSERT ----------------------------------------------------------

export interface IndexTranslation {
  sql: string;
  buckets: number | undefined;
}

/**
 * `chosenName`: the name CockroachDB gives an unnamed index (indexNames.ts), or the engine's name
 * for a written one (engineIndexNames.ts), written in for the engine.
 */
export function translateCreateIndex(
  source: string,
  statement: ast.CreateIndex,
  context: TranslateContext,
  chosenName?: string,
): IndexTranslation {
  const tokens = tokensOf(source);
  const rewriter = new Rewriter(source);
  const written = statement.index.name;
  if (chosenName !== undefined && written !== undefined) {
    if (chosenName !== written.value) rewriter.replace(written.start, written.end, quoteIdent(chosenName));
  } else if (chosenName !== undefined) {
    const on = tokens.findIndex((t) => isWord(t, 'on') && t.end <= statement.table.start);
    const before = tokens[on];
    if (before) rewriter.insert(before.start, `${quoteIdent(chosenName)} `);
  }
  const buckets = stripHashSharding(tokens, 0, tokens.length, rewriter);
  stripStoring(tokens, 0, tokens.length, rewriter);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    if (isWord(t, 'inverted', 'vector') && isWord(tokens[i + 1], 'index')) {
      if (t.value === 'vector') throw notSimulated('VECTOR INDEX');
      rewriter.remove(t.start, tokens[i + 1]?.start ?? t.end);
      const open = tokens.findIndex((u, k) => k > i && u.start >= statement.table.end && isPunct(u, '('));
      if (open !== -1) rewriter.insert(tokens[open]?.start ?? t.end, 'USING gin ');
    } else if (isWord(t, 'concurrently')) rewriter.remove(t.start, t.end);
    else if (isWord(t, 'not') && isWord(tokens[i + 1], 'visible')) {
      rewriter.remove(t.start, tokens[i + 1]?.end ?? t.end);
      i++;
    } else if (isWord(t, 'visible', 'invisible')) rewriter.remove(t.start, t.end);
    else if (isWord(t, 'partition') && isWord(tokens[i + 1], 'by')) {
      rewriter.remove(t.start, tokens[tokens.length - 1]?.end ?? t.end);
      break;
    }
  }
  const general = rewriteGeneral(source, context, rewriter, tokens);
  return { sql: general.sql, buckets };
}

/** UPSERT INTO t [(cols)] … → INSERT … ON CONFLICT (primary key) DO UPDATE SET the other columns. */
export function translateUpsert(
  source: string,
  primaryKey: readonly string[],
  allColumns: readonly string[],
  context: TranslateContext,
): string {
  const tokens = tokensOf(source);
  const head = tokens[0];
  if (!isWord(head, 'upsert') || !head) return source;
  const rewriter = new Rewriter(source);
  rewriter.replace(head.start, head.end, 'INSERT');
  const intoAt = tokens.findIndex((t) => isWord(t, 'into'));
  let i = intoAt + 2;
  while (isPunct(tokens[i], '.') && identValue(tokens[i + 1]) !== undefined) i += 2;
  if (isWord(tokens[i], 'as')) i += 2;
  let columns = allColumns;
  if (isPunct(tokens[i], '(')) {
    const after = skipGroup(tokens, i);
    columns = tokens
      .slice(i + 1, after - 1)
      .map(identValue)
      .filter((v): v is string => v !== undefined);
  }
  const returning = tokens.findIndex((t) => isWord(t, 'returning'));
  // Only key columns written: the existing row is still upserted (RETURNING gives it, and a key
  // written twice in one statement is an error, as for any UPSERT), so it is set to itself.
  const nonKey = columns.filter((c) => !primaryKey.includes(c));
  const updates = nonKey.length > 0 ? nonKey : primaryKey.slice(0, 1);
  const conflict = ` ON CONFLICT (${primaryKey.map(quoteIdent).join(', ')}) DO UPDATE SET ${updates
    .map((c) => `${quoteIdent(c)} = excluded.${quoteIdent(c)}`)
    .join(', ')}`;
  // ON CONFLICT goes just after the last token before RETURNING (or before the `;`).
  let last = (returning === -1 ? tokens.length : returning) - 1;
  if (isPunct(tokens[last], ';')) last--;
  rewriter.insert(tokens[last]?.end ?? source.length, conflict);
  return rewriteGeneral(source, context, rewriter, tokens).sql;
}

/** ALTER TABLE … ADD COLUMN with CockroachDB types (a primary key change: primaryKeyChange.ts). */
/** What naming an ALTER TABLE's unnamed CHECK constraints needs: the table's columns and constraint names. */
export interface CheckNaming {
  columns: ReadonlySet<string>;
  taken: Set<string>;
}

/** Whether an ALTER TABLE adds a constraint IF NOT EXISTS (whose name must then be looked up). */
export function addsConstraintIfNotExists(statement: ast.AlterTable): boolean {
  return statement.commands.some((command) => command.kind === 'add-constraint' && command.ifNotExists);
}

/** Whether an ALTER TABLE adds a CHECK constraint without naming it (ADD CHECK …). */
export function addsUnnamedCheck(source: string, statement: ast.AlterTable): boolean {
  const tokens = tokensOf(source);
  return statement.commands.some((command) => {
    if (command.kind !== 'add-constraint') return false;
    const first = tokens.findIndex((t) => t.start >= command.start);
    return isWord(tokens[first + 1], 'check');
  });
}

/**
 * The constraint names an ALTER TABLE command writes: after CONSTRAINT (and IF [NOT] EXISTS), and
 * RENAME CONSTRAINT's new name.
 */
export function constraintNameTokens(tokens: readonly Token[], command: ast.Span): Token[] {
  const names: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t || t.start < command.start || t.end > command.end || !isWord(t, 'constraint')) continue;
    let at = i + 1;
    if (isWord(tokens[at], 'if')) at += isWord(tokens[at + 1], 'not') ? 3 : 2;
    const name = tokens[at];
    if (name && (name.kind === 'ident' || name.kind === 'qident')) names.push(name);
    const to = tokens[at + 2];
    if (isWord(tokens[i - 1], 'rename') && isWord(tokens[at + 1], 'to') && to && (to.kind === 'ident' || to.kind === 'qident'))
      names.push(to);
  }
  return names;
}

export function translateAlterTable(
  source: string,
  statement: ast.AlterTable,
  context: TranslateContext,
  checkNaming?: CheckNaming,
  /** The engine's names for the index-backed constraint names the statement writes, where they differ (engineIndexNames.ts). */
  engineNames: ReadonlyMap<string, string> = new Map(),
): { sql: string | undefined; hidden: string[]; notices: string[]; checkSources: CheckSource[] } {
  const tokens = tokensOf(source);
  const rewriter = new Rewriter(source);
  const hidden: string[] = [];
  const notices: string[] = [];
  const checkSources: CheckSource[] = [];
  let kept = statement.commands.length;
  for (const [c, command] of statement.commands.entries()) {
    const renamed = constraintNameTokens(tokens, command).filter((t) => engineNames.has(t.value));
    for (const name of renamed) rewriter.replace(name.start, name.end, quoteIdent(engineNames.get(name.value) ?? name.value));
    // ADD CONSTRAINT IF NOT EXISTS name: CockroachDB's, not the engine's. Nothing is added when the
    // table has a constraint or index of that name (checkNaming lists them); else it is added.
    if (command.kind === 'add-constraint' && command.ifNotExists) {
      const words = tokens.findIndex((t, i) => t.start >= command.start && isWord(t, 'if') && isWord(tokens[i + 1], 'not'));
      const name = words === -1 ? undefined : tokens[words + 3];
      if (name && checkNaming?.taken.has(name.value)) {
        // The command goes with the comma that joins it to the next one (or to the one before).
        const next = statement.commands[c + 1];
        const previous = statement.commands[c - 1];
        if (next) rewriter.replace(command.start, next.start, '');
        else if (previous) rewriter.replace(previous.end, command.end, '');
        else rewriter.replace(command.start, command.end, '');
        kept--;
        continue;
      }
      const exists = tokens[words + 2];
      if (words !== -1 && exists) rewriter.replace(tokens[words]?.start ?? exists.start, exists.end, '');
    }
    // ADD CHECK (…): CockroachDB's name, as in CREATE TABLE (nameChecks); a named one is only
    // kept as written (checkNaming is asked for when an unnamed one needs a name).
    if (command.kind === 'add-constraint') {
      const from = tokens.findIndex((t) => t.start >= command.start);
      const to = tokens.findIndex((t) => t.start >= command.end);
      const naming = checkNaming ?? { columns: new Set<string>(), taken: new Set<string>() };
      nameChecks(tokens, from, to === -1 ? tokens.length : to, naming.columns, naming.taken, rewriter, checkSources, source);
    }
    if (command.kind === 'add-column') {
      const from = tokens.findIndex((t) => t.start === command.column.start);
      const to = tokens.findIndex((t) => t.start >= command.column.end);
      const columnRewriter = new Rewriter(source);
      const columnSql = translateColumn(
        context,
        tokens,
        { from, to: to === -1 ? tokens.length : to },
        command.column,
        columnRewriter,
        hidden,
        notices,
        [],
      );
      rewriter.replace(command.column.start, command.column.end, columnSql);
    } else if (
      command.kind === 'other' &&
      (command.keyword === 'split' || command.keyword === 'scatter' || command.keyword === 'unsplit')
    ) {
      throw notSimulated(`ALTER TABLE … ${command.keyword.toUpperCase()}`);
    }
  }
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (isWord(t, 'set') && isWord(tokens[i + 1], 'not') && isWord(tokens[i + 2], 'visible') && t) {
      throw new SqlError(SQLSTATE.featureNotSupported, 'ALTER COLUMN … SET NOT VISIBLE is not supported by the simulated cluster');
    }
  }
  // Every command was an ADD CONSTRAINT IF NOT EXISTS of a constraint already there: nothing to run.
  const sql = kept === 0 ? undefined : rewriteGeneral(source, context, rewriter, tokens).sql;
  return { sql, hidden, notices, checkSources };
}
