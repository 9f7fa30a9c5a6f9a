// The `info` lines of EXPLAIN and EXPLAIN ANALYZE: the header, an empty line, the tree. Each
// operator's fields come in CockroachDB's order: columns (VERBOSE), execution statistics
// (ANALYZE), the estimate, then the operator's own fields. The estimate follows CockroachDB's
// emitter: when every table below an operator has statistics (statistics.ts), each operator but
// a values one shows `estimated row count: N`, a scan adding `(P% of the table; stats collected
// <age> ago)`; without them only scans say `missing stats` (VERBOSE: `estimated row count: N
// (missing stats)` on every operator). A full scan's estimate is the statistics' row count; other
// scans take the engine's estimate (its own ANALYZE runs with each collection), capped by it.
import type { ExplainTable, MappedPlan, Operator } from './explain';
import type { ExecutionStats } from './explainAnalyze';
import { drawPlan, field, formatCount, type PlanNode } from './explainFormat';
import { longDuration } from './statistics';

export interface OutputOptions {
  verbose: boolean;
  distribution: 'local' | 'full';
  /** EXPLAIN ANALYZE: the execution's statistics. */
  stats: ExecutionStats | undefined;
  /** The table's newest statistics (row count, simulated time collected), undefined when it has none. */
  tableStatistics?: (table: ExplainTable) => { rowCount: number; createdAtMs: number } | undefined;
  /** Simulated time now, for the statistics' age. */
  nowMs?: number;
}

export function explainLines(plan: MappedPlan, options: OutputOptions): string[] {
  const header = options.stats
    ? options.stats.header(plan.root, options.distribution, plan.vectorized)
    : [`distribution: ${options.distribution}`, `vectorized: ${plan.vectorized}`];
  return [...header, '', ...drawPlan(toPlanNode(plan.root, options))];
}

function toPlanNode(op: Operator, options: OutputOptions): PlanNode {
  const fields = [];
  if (options.verbose && op.columns.length > 0) fields.push(field('columns', `(${op.columns.join(', ')})`));
  if (options.stats) fields.push(...options.stats.fields(op, options.verbose));
  const isScan = op.name === 'scan' || op.name === 'revscan';
  const estimated = op.name !== 'values' && op.name !== 'norows' && op.name !== 'emptyrow';
  const available = estimated && !MUTATIONS.has(op.name) && withStatistics(op, options);
  const scanStatistics = available && op.scan ? options.tableStatistics?.(op.scan.table) : undefined;
  if (scanStatistics && scanStatistics.rowCount > 0) {
    const full = op.attributes.some((f) => f.key === 'spans' && f.value === 'FULL SCAN');
    const rows = full ? scanStatistics.rowCount : Math.min(op.estimatedRows, scanStatistics.rowCount);
    const age = longDuration((options.nowMs ?? scanStatistics.createdAtMs) - scanStatistics.createdAtMs);
    const share = percentage((rows / scanStatistics.rowCount) * 100);
    fields.push(field('estimated row count', `${formatCount(rows)} (${share}% of the table; stats collected ${age} ago)`));
  } else if (available) fields.push(field('estimated row count', formatCount(op.estimatedRows)));
  else if (options.verbose && estimated) fields.push(field('estimated row count', `${formatCount(op.estimatedRows)} (missing stats)`));
  else if (isScan) fields.push(field('missing stats'));
  fields.push(...op.attributes);
  return { name: op.name, fields, children: op.children.map((child) => toPlanNode(child, options)) };
}

/** Operators that write: CockroachDB prints no estimate on them, with statistics or without. */
const MUTATIONS = new Set(['insert', 'insert fast path', 'update', 'upsert', 'delete', 'delete range']);

/**
 * CockroachDB's statistics are available to an operator when every table it reads has some. An
 * operator that reads no table through a scan (a mutation's fast path, a delete range, a values
 * row) is left as without them: CockroachDB prints no estimate there either.
 */
function withStatistics(op: Operator, options: OutputOptions): boolean {
  const lookup = options.tableStatistics;
  if (!lookup) return false;
  const scanned = scansBelow(op);
  return scanned.length > 0 && scanned.every((table) => lookup(table) !== undefined);
}

function scansBelow(op: Operator): ExplainTable[] {
  return [...(op.scan ? [op.scan.table] : []), ...op.children.flatMap(scansBelow)];
}

/** The share of the table, with more decimals the smaller it is (as CockroachDB prints it). */
function percentage(p: number): string {
  if (p >= 10) return p.toFixed(0);
  if (p >= 1) return p.toFixed(1);
  if (p >= 0.01) return p.toFixed(2);
  return '<0.01';
}
