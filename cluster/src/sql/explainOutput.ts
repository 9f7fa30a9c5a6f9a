// The `info` lines of EXPLAIN and EXPLAIN ANALYZE: the header, an empty line, the tree. Each
// operator's fields come in CockroachDB's order: columns (VERBOSE), execution statistics
// (ANALYZE), the estimate — `missing stats` on scans, or with VERBOSE `estimated row count: N
// (missing stats)` — then the operator's own fields. The simulated cluster collects no table
// statistics, so every estimate is marked as CockroachDB marks one made without them.
import type { MappedPlan, Operator } from './explain';
import type { ExecutionStats } from './explainAnalyze';
import { drawPlan, field, formatCount, type PlanNode } from './explainFormat';

export interface OutputOptions {
  verbose: boolean;
  distribution: 'local' | 'full';
  /** EXPLAIN ANALYZE: the execution's statistics. */
  stats: ExecutionStats | undefined;
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
  if (options.verbose && estimated) fields.push(field('estimated row count', `${formatCount(op.estimatedRows)} (missing stats)`));
  else if (isScan) fields.push(field('missing stats'));
  fields.push(...op.attributes);
  return { name: op.name, fields, children: op.children.map((child) => toPlanNode(child, options)) };
}
