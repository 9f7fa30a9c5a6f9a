// EXPLAIN and EXPLAIN ANALYZE on the simulated cluster: the explained statement is translated as
// it would run, the engine plans it (and, for ANALYZE, runs it — a write is written), and the
// engine's plan is told as CockroachDB's (explain.ts), with the cluster's nodes, regions and
// network time for ANALYZE (explainAnalyze.ts). One column, `info`, as CockroachDB returns it.
import type * as ast from '../../../sql/src/ast';
import type { Token } from '../../../sql/src/lexer';
import { parseDocument } from '../../../sql/src/parser';
import { planAccess, type StatementAccess, type TableAccess } from './accessPaths';
import { checkRanges } from './availability';
import type { TableMeta } from './catalog';
import type { SqlSession } from './context';
import { notSimulated, SqlError, SQLSTATE } from './errors';
import { newestStatistic } from './statistics';
import { mapPlan, type EngineNode, type ExplainTable, type ScanFacts, type StatementFacts } from './explain';
import { ExecutionStats, type ScanPlacement } from './explainAnalyze';
import { explainLines } from './explainOutput';
import { readExplainOptions } from './explainOptions';
import { explainTables } from './explainTables';
import { rowsResult, type QueryResult } from './result';
import { isPunct, isWord, tokensOf } from './rewrite';
import { resolveTable, tableColumns, tablesNamed } from './tables';
import { rewriteGeneral, translateUpsert, type Translated } from './translate';

/** What only the session can do for an EXPLAIN ANALYZE of a write. */
export interface ExplainHooks {
  /** The tables a statement wrote, to be measured again. */
  wrote(tables: readonly TableMeta[] | 'all'): void;
  /** An explicit transaction is open: a mutation does not commit with its last write. */
  inTransaction: boolean;
}

type ExplainedKind = StatementFacts['kind'];

/**
 * The session variable that asks for EXPLAIN ANALYZE output as CockroachDB's logic tests get it
 * (its DeterministicExplain testing knob); the logic-test runner sets it.
 */
export const DETERMINISTIC_EXPLAIN = 'crdb_studio_deterministic_explain';

/** CockroachDB's name of the opaque operator a schema change is planned as. */
const SCHEMA_CHANGE_OPERATORS = new Map([
  ['create table', 'create table'],
  ['create index', 'create index'],
  ['create unique', 'create index'],
  ['create database', 'create database'],
  ['create view', 'create view'],
  ['create sequence', 'create sequence'],
  ['drop table', 'drop table'],
  ['drop index', 'drop index'],
  ['drop database', 'drop database'],
  ['drop view', 'drop view'],
  ['drop sequence', 'drop sequence'],
  ['alter table', 'alter table'],
  ['alter index', 'alter index'],
]);

export async function explainStatement(session: SqlSession, text: string, written: string, hooks: ExplainHooks): Promise<QueryResult> {
  const options = readExplainOptions(tokensOf(written));
  const innerText = written.slice(options.innerStart);
  const document = parseDocument(innerText);
  const inner = document.statements[0]?.statement;
  const kind = explainedKind(inner, document.tokens);
  if (!kind) return explainSchemaChange(text, inner, options.analyze);

  const translated = await translateExplained(session, innerText, inner, kind);
  const tokens = document.tokens;
  const target = inner?.type === 'other' ? inner.target?.parts.map((p) => p.value) : undefined;
  const shape = { text: innerText, tokens, kind, tables: translated.tables, ...(target ? { target } : {}) };
  // EXPLAIN only plans; EXPLAIN ANALYZE runs, so it waits for (or fails on) the ranges it touches.
  const checked = options.analyze ? await checkRanges(session, shape) : undefined;
  const access = checked?.access ?? (await planAccess(session, shape));
  const latency = checked?.latencyMs ?? 0;

  const plan = await enginePlan(session, text, translated.sql, options.analyze);
  if ('error' in plan) return plan.error;
  const tables = await explainTables(session, relationsOf(plan.root));
  const gateway = session.cluster.model.node(session.nodeId);
  const gatewayRegion = gateway?.locality.region;
  const mapped = mapPlan(plan.root, {
    tables,
    statement: statementFacts(tokens, innerText, kind, !hooks.inTransaction),
    gatewayRegion,
    localRegionOf: (table) => accessOf(access, table)?.localityOptimized?.localRegion,
    localityOptimizedSearch: session.vars.get('locality_optimized_partitioned_index_scan') !== 'off',
    implicitForUpdate: session.vars.get('enable_implicit_select_for_update') !== 'off',
  });
  if (session.vars.get('vectorize') === 'off') mapped.vectorized = false;
  const distribution = distributionOf(session, mapped.hasFullScan && kind === 'select');
  const stats = options.analyze
    ? new ExecutionStats({
        gatewayNode: session.nodeId,
        gatewayRegion: gatewayRegion ?? '',
        planningMs: plan.planningMs,
        executionMs: plan.executionMs + latency,
        isolation: session.isolation.toLowerCase(),
        placement: (scan) => placementOf(session, scan, accessOf(access, scan.table), followerReadWritten(tokens)),
        deterministic: session.vars.get(DETERMINISTIC_EXPLAIN) === 'on',
      })
    : undefined;
  const lines = explainLines(mapped, {
    verbose: options.verbose,
    distribution,
    stats,
    tableStatistics: (table) => {
      const meta = session.cluster.catalog.table(table.schema, table.name);
      return meta && newestStatistic(session.cluster, meta);
    },
    nowMs: session.cluster.clock.now(),
  });
  const result = rowsResult(
    text,
    ['info'],
    lines.map((line) => [line]),
  );
  result.tag = `EXPLAIN ${result.rows.length}`;
  if (options.analyze) {
    if (kind !== 'select') hooks.wrote(tablesNamed(session, translated.tables));
    result.latencyMs = latency;
    session.lastLatencyMs = latency;
  }
  return result;
}

/**
 * `distsql`: off keeps every plan on the gateway, always distributes it; auto (the default)
 * distributes reads with a full scan on a cluster of more than one node, as CockroachDB's
 * heuristic does for large scans (without statistics every full scan may be large).
 */
function distributionOf(session: SqlSession, readsFullScan: boolean): 'local' | 'full' {
  const mode = session.vars.get('distsql') ?? 'auto';
  const multiNode = session.cluster.model.nodes().length > 1;
  if (mode === 'off' || !multiNode) return 'local';
  if (mode === 'always' || mode === 'on') return 'full';
  return readsFullScan ? 'full' : 'local';
}

/** The statement kinds whose plan the simulated cluster derives; undefined for a schema change. */
function explainedKind(statement: ast.Statement | undefined, tokens: readonly Token[]): ExplainedKind | undefined {
  if (!statement) throw new SqlError(SQLSTATE.syntax, 'at or near "EOF": syntax error');
  if (statement.type === 'other') {
    if (['select', 'insert', 'upsert', 'update', 'delete'].includes(statement.kind)) return statement.kind as ExplainedKind;
    if (isWord(tokens[0], 'values', 'table', 'with')) return 'select';
  }
  return undefined;
}

/** EXPLAIN of a schema change: CockroachDB plans it as one opaque operator named after it. */
function explainSchemaChange(text: string, statement: ast.Statement | undefined, analyze: boolean): QueryResult {
  const keywords = statement?.type === 'other' ? statement.keywords : statementKeywords(statement);
  const operator = SCHEMA_CHANGE_OPERATORS.get(keywords.split(' ').slice(0, 2).join(' '));
  if (!operator || analyze) throw notSimulated(`EXPLAIN${analyze ? ' ANALYZE' : ''} of ${keywords.toUpperCase() || 'this statement'}`);
  const result = rowsResult(text, ['info'], [['distribution: local'], ['vectorized: false'], [''], [`• ${operator}`]]);
  result.tag = `EXPLAIN ${result.rows.length}`;
  return result;
}

function statementKeywords(statement: ast.Statement | undefined): string {
  switch (statement?.type) {
    case 'create-table':
      return 'create table';
    case 'create-index':
      return 'create index';
    case 'create-database':
      return 'create database';
    case 'create-sequence':
      return 'create sequence';
    case 'alter-table':
      return 'alter table';
    default:
      return '';
  }
}

async function translateExplained(
  session: SqlSession,
  sql: string,
  statement: ast.Statement | undefined,
  kind: ExplainedKind,
): Promise<Translated> {
  if (kind === 'upsert' && statement?.type === 'other' && statement.target) {
    const table = resolveTable(session, statement.target);
    if (!table) throw new SqlError(SQLSTATE.undefinedTable, `relation "${statement.target.name.value}" does not exist`);
    const { primaryKey, columns } = await tableColumns(session.cluster, table);
    const general = rewriteGeneral(sql, { database: session.database, asOfHandled: true });
    return { ...general, sql: translateUpsert(sql, primaryKey, columns, session) };
  }
  // AS OF SYSTEM TIME changes where a read is served, not its plan: the plan is of the present.
  return rewriteGeneral(sql, { database: session.database, asOfHandled: true });
}

interface EnginePlan {
  root: EngineNode;
  planningMs: number;
  executionMs: number;
}

/**
 * The engine's plan of the translated statement (run, for ANALYZE). Bitmap scans are turned off
 * for it: CockroachDB has none, and without them the engine picks the index scans CockroachDB's
 * operators correspond to.
 */
async function enginePlan(session: SqlSession, text: string, sql: string, analyze: boolean): Promise<EnginePlan | { error: QueryResult }> {
  // Straight to the engine the session holds: a statement's bound parameters are not for these, and
  // in a failed transaction they fail quietly (the EXPLAIN then reports the transaction's state).
  const engine = session.cluster.engine;
  await engine.exec('SET enable_bitmapscan = off').catch(() => undefined);
  let explained: QueryResult;
  try {
    explained = await session.runEngine(text, `EXPLAIN (${analyze ? 'ANALYZE, ' : ''}VERBOSE, FORMAT JSON) ${sql}`, []);
  } finally {
    await engine.exec('RESET enable_bitmapscan').catch(() => undefined);
  }
  if (explained.error) return { error: explained };
  const json = explained.rows[0]?.[0];
  const parsed = json ? (JSON.parse(json) as { Plan: EngineNode; 'Planning Time'?: number; 'Execution Time'?: number }[]) : [];
  const first = parsed[0];
  if (!first) throw new SqlError(SQLSTATE.internal, 'the engine returned no plan');
  return { root: first.Plan, planningMs: first['Planning Time'] ?? 0, executionMs: first['Execution Time'] ?? 0 };
}

function relationsOf(node: EngineNode): { schema: string | undefined; name: string }[] {
  const own = node['Relation Name'] ? [{ schema: node.Schema, name: node['Relation Name'] }] : [];
  return [...own, ...(node.Plans ?? []).flatMap(relationsOf)];
}

/** LIMIT / OFFSET, SET columns, INSERT columns and RETURNING, read from the statement's top level. */
function statementFacts(tokens: readonly Token[], text: string, kind: ExplainedKind, autoCommit: boolean): StatementFacts {
  const facts: StatementFacts = {
    kind,
    limit: undefined,
    offset: undefined,
    setColumns: [],
    insertColumns: undefined,
    autoCommit,
    returning: false,
    exists: tokens.some((t, i) => isWord(t, 'exists') && !isWord(tokens[i - 1], 'not', 'if')),
    subqueries: subqueriesOf(tokens, text),
  };
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (isPunct(t, '(')) {
      // INSERT / UPSERT INTO t (a, b): the listed columns.
      if (depth === 0 && facts.insertColumns === undefined && (kind === 'insert' || kind === 'upsert') && precededByTarget(tokens, i))
        facts.insertColumns = identifiersUntilClose(tokens, i);
      depth++;
    } else if (isPunct(t, ')')) depth--;
    if (depth !== 0 || t?.kind !== 'ident') continue;
    const next = tokens[i + 1];
    const value = next?.kind === 'number' || next?.kind === 'placeholder' ? next.value : undefined;
    if (t.value === 'limit' && value !== undefined) facts.limit = value;
    else if (t.value === 'offset' && value !== undefined) facts.offset = value;
    else if (t.value === 'returning') facts.returning = true;
    else if (t.value === 'set' && kind === 'update') facts.setColumns = setColumns(tokens, i + 1);
  }
  return facts;
}

/** `(SELECT …)` groups in the order written, with how their result is used. */
function subqueriesOf(tokens: readonly Token[], text: string): StatementFacts['subqueries'] {
  const found: StatementFacts['subqueries'] = [];
  tokens.forEach((t, i) => {
    if (!isPunct(t, '(') || !isWord(tokens[i + 1], 'select')) return;
    let depth = 0;
    let close = i;
    for (; close < tokens.length; close++) {
      if (isPunct(tokens[close], '(')) depth++;
      else if (isPunct(tokens[close], ')') && --depth === 0) break;
    }
    const before = tokens[i - 1];
    const mode = isWord(before, 'exists') ? 'exists' : isWord(before, 'in', 'any', 'some', 'all') ? 'any rows' : 'one row';
    found.push({ sql: text.slice(t.start, tokens[close]?.end ?? text.length), mode });
  });
  return found;
}

/** tokens[open] is `(` right after INSERT/UPSERT INTO name (a, b.c or a.b.c). */
function precededByTarget(tokens: readonly Token[], open: number): boolean {
  const isName = (t: Token | undefined): boolean => t?.kind === 'ident' || t?.kind === 'qident';
  let i = open - 1;
  if (!isName(tokens[i])) return false;
  while (isPunct(tokens[i - 1], '.') && isName(tokens[i - 2])) i -= 2;
  return isWord(tokens[i - 1], 'into');
}

function identifiersUntilClose(tokens: readonly Token[], open: number): string[] {
  const names: string[] = [];
  for (let i = open + 1; i < tokens.length && !isPunct(tokens[i], ')'); i++) {
    const t = tokens[i];
    if (t?.kind === 'ident' || t?.kind === 'qident') names.push(t.value);
  }
  return names;
}

/** `SET a = …, b = …` or `SET (a, b) = …`: the columns, up to FROM / WHERE / RETURNING. */
function setColumns(tokens: readonly Token[], from: number): string[] {
  const columns: string[] = [];
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i];
    if (depth === 0 && isWord(t, 'where', 'from', 'returning')) break;
    if (isPunct(t, '(')) {
      if (depth === 0 && (i === from || isPunct(tokens[i - 1], ','))) columns.push(...identifiersUntilClose(tokens, i));
      depth++;
    } else if (isPunct(t, ')')) depth--;
    else if (
      depth === 0 &&
      (t?.kind === 'ident' || t?.kind === 'qident') &&
      tokens[i + 1]?.kind === 'op' &&
      tokens[i + 1]?.value === '=' &&
      (i === from || isPunct(tokens[i - 1], ','))
    )
      columns.push(t.value);
  }
  return columns;
}

function followerReadWritten(tokens: readonly Token[]): boolean {
  return tokens.some((t) => isWord(t, 'follower_read_timestamp', 'with_max_staleness', 'with_min_timestamp'));
}

function accessOf(access: StatementAccess, table: ExplainTable): TableAccess | undefined {
  return access.tables.find((a) => a.database === table.schema && a.table === table.name);
}

/**
 * Which nodes served a scan: the leaseholders of the ranges it read (for a follower read, the
 * nearest replica), with the network time from the gateway. The access path, when it has one for
 * the table, names the ranges; otherwise the ranges of the index read (of the partitions read).
 */
function placementOf(session: SqlSession, scan: ScanFacts, access: TableAccess | undefined, followerWritten: boolean): ScanPlacement {
  const model = session.cluster.model;
  const followerRead = access?.followerRead ?? followerWritten;
  const tableRanges = model.ranges().filter((r) => r.database === scan.table.schema && r.table === scan.table.name);
  const ofIndex = tableRanges.filter((r) => r.index === scan.index);
  const indexRanges = ofIndex.length > 0 ? ofIndex : tableRanges;
  const regions = scan.regions;
  const ofRegions = regions ? indexRanges.filter((r) => r.partition === undefined || regions.includes(r.partition)) : indexRanges;
  const ofAccess = access?.rangeIds.length ? ofRegions.filter((r) => access.rangeIds.includes(r.rangeId)) : ofRegions;
  const ranges = ofAccess.length > 0 ? ofAccess : ofRegions.length > 0 ? ofRegions : indexRanges;
  const gateway = model.node(session.nodeId);
  const nodes = ranges.flatMap((range) => {
    if (followerRead) {
      const near = range.replicas.find((r) => model.node(r.nodeId)?.locality.region === gateway?.locality.region);
      if (near) return [near.nodeId];
    }
    return range.leaseholder === undefined ? [] : [range.leaseholder];
  });
  const kvNodes = [...new Set(nodes)].sort((a, b) => a - b);
  const regionsServed = kvNodes.map((n) => model.node(n)?.locality.region ?? '').filter((r) => r !== '');
  const rangeIds = ranges.map((r) => r.rangeId);
  const kvTimeMs = access?.latencyMs ?? model.latencyMs(session.nodeId, rangeIds, 'read', followerRead ? { globalReads: true } : undefined);
  return { kvNodes, regions: regionsServed, followerRead, kvTimeMs, rpcs: Math.max(rangeIds.length, 1) };
}
