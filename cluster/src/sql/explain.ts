// CockroachDB's plan for a statement, derived from the plan the engine chose for its translation
// (PostgreSQL's EXPLAIN (VERBOSE, FORMAT JSON)): each engine node becomes the CockroachDB operator
// that does the same work — a sequential scan is a FULL SCAN of the primary index, an index scan a
// constrained scan with spans (and an index join when the index does not cover the query), a
// nested loop over an index a lookup join, a sort under a limit a top-k — named with the
// CockroachDB catalog's tables and indexes. REGIONAL BY ROW indexes lead with their region
// column: a unique lookup without it is a locality-optimized search (union all, limit 1, the
// gateway's region first). Statistics for EXPLAIN ANALYZE are attached here and printed by
// explainAnalyze.ts.
import { conjuncts, crdbExpression, readComparison, stripCasts, type Comparison } from './explainExpr';
import { field, type PlanField } from './explainFormat';
import { tokensOf } from './rewrite';
import { formatSpans, indexSpans, withRegionPrefix, type IndexSpans } from './explainSpans';

/** A node of the engine's JSON plan (the keys PostgreSQL writes that this mapping reads). */
export interface EngineNode {
  'Node Type': string;
  'Parent Relationship'?: string;
  'Subplan Name'?: string;
  Strategy?: string;
  Operation?: string;
  'Join Type'?: string;
  'Relation Name'?: string;
  Schema?: string;
  Alias?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  Filter?: string;
  'Join Filter'?: string;
  'Hash Cond'?: string;
  'Merge Cond'?: string;
  'Sort Key'?: string[];
  'Group Key'?: string[];
  'Scan Direction'?: string;
  'One-Time Filter'?: string;
  'Conflict Resolution'?: string;
  'Conflict Arbiter Indexes'?: string[];
  'Inner Unique'?: boolean;
  Command?: string;
  Output?: string[];
  'Plan Rows'?: number;
  'Plan Width'?: number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: EngineNode[];
}

/** A table as the engine holds it, with what the CockroachDB catalog adds. */
export interface ExplainTable {
  /** The engine's schema (the CockroachDB database). */
  schema: string;
  name: string;
  /** All columns in table order, hidden ones included (what an INSERT writes). */
  columns: string[];
  indexes: ExplainIndex[];
  /** REGIONAL BY ROW: the region column every index leads with. */
  regionColumn: string | undefined;
  /** The database's regions (REGIONAL BY ROW partitions). */
  regions: string[];
}

export interface ExplainIndex {
  /** CockroachDB's name. */
  name: string;
  /** The engine's name, as its plan says it. */
  engineName: string;
  columns: string[];
  unique: boolean;
  primary: boolean;
}

/** What the mapping needs besides the engine's plan. */
export interface ExplainInput {
  tables: readonly ExplainTable[];
  statement: StatementFacts;
  /** The gateway's region: a locality-optimized search reads it first. */
  gatewayRegion: string | undefined;
  /** Locality-optimized search as the access paths decided it, per `schema.table` (overrides the plan's own reading). */
  localRegionOf?: (table: ExplainTable) => string | undefined;
  /** The session's locality_optimized_partitioned_index_scan. */
  localityOptimizedSearch: boolean;
  /** The session's enable_implicit_select_for_update. */
  implicitForUpdate: boolean;
}

/** Facts of the statement as written that the engine's plan does not carry. */
export interface StatementFacts {
  kind: 'select' | 'insert' | 'upsert' | 'update' | 'delete';
  /** LIMIT / OFFSET of the outermost query, as written. */
  limit: string | undefined;
  offset: string | undefined;
  /** UPDATE … SET: the columns set. */
  setColumns: string[];
  /** INSERT / UPSERT: the columns listed (undefined: none listed, every column). An UPSERT of them all replaces rows blindly. */
  insertColumns: string[] | undefined;
  /** Outside an explicit transaction: the mutation commits with its last write. */
  autoCommit: boolean;
  returning: boolean;
  /** The statement has EXISTS (…): an inner join the engine made of it is CockroachDB's semi join. */
  exists: boolean;
  /** Parenthesized SELECTs in the order written: the engine's InitPlans, CockroachDB's @S1, @S2… */
  subqueries: { sql: string; mode: 'one row' | 'exists' | 'any rows' }[];
}

/** A CockroachDB operator with what EXPLAIN (VERBOSE) and EXPLAIN ANALYZE add to it. */
export interface Operator {
  name: string;
  attributes: PlanField[];
  children: Operator[];
  /** Output columns (VERBOSE). */
  columns: string[];
  estimatedRows: number;
  /** Rows it produced (ANALYZE); undefined when the engine did not run it. */
  actualRows: number | undefined;
  /** A scan: what it read, for the KV statistics. */
  scan: ScanFacts | undefined;
  /** CockroachDB prints no execution statistics for renders and limits. */
  quiet: boolean;
  /** Operators that buffer rows (sort, hash join, group): their memory is reported. */
  buffers: boolean;
  /** Average row width in bytes, as the engine estimates it. */
  width: number;
}

export interface ScanFacts {
  table: ExplainTable;
  index: string;
  /** Rows read from KV (before any filter). */
  rowsRead: number | undefined;
  /** Regions whose partitions it reads (REGIONAL BY ROW), undefined when every range of the index. */
  regions: string[] | undefined;
  /** The remote half of a locality-optimized search. */
  remoteHalf: boolean;
}

/** The plan: its root operator and whether it is local / vectorized. */
export interface MappedPlan {
  root: Operator;
  vectorized: boolean;
  hasFullScan: boolean;
}

export function mapPlan(engineRoot: EngineNode, input: ExplainInput): MappedPlan {
  const mapper = new PlanMapper(input);
  const mapped = mapper.map(engineRoot);
  // The engine computes a query's output expressions in its top node; CockroachDB in a render.
  const main = computesExpressions(engineRoot) ? mapper.render(engineRoot, mapped) : mapped;
  // Uncorrelated subqueries run before the statement: CockroachDB draws them beside it under a root.
  const initPlans = initPlansUnder(engineRoot);
  const root =
    initPlans.length === 0
      ? main
      : {
          ...main,
          name: 'root',
          attributes: [],
          children: [
            main,
            ...initPlans.map((plan, i) => {
              const subquery = input.statement.subqueries[i];
              const fields = [field('id', `@S${i + 1}`)];
              if (subquery) fields.push(field('original sql', subquery.sql));
              fields.push(field('exec mode', subquery?.mode ?? 'one row'));
              return {
                ...main,
                name: 'subquery',
                attributes: fields,
                children: [mapper.map(plan)],
                scan: undefined,
                quiet: true,
                buffers: false,
              };
            }),
          ],
          scan: undefined,
          quiet: true,
          buffers: false,
        };
  if (initPlans.length > 0)
    renumberSubqueries(
      root,
      initPlans.map((p) => p['Subplan Name']),
    );
  return { root, vectorized: mapper.vectorized, hasFullScan: mapper.fullScan };
}

/** Node types whose output the engine may compute expressions in, where CockroachDB renders. */
const RENDERING_NODES = new Set([
  'Seq Scan',
  'Index Scan',
  'Index Only Scan',
  'Bitmap Heap Scan',
  'Nested Loop',
  'Hash Join',
  'Merge Join',
  'Sort',
  'Limit',
  'Subquery Scan',
]);

/** The query's output has something other than plain columns (`SELECT k + 1`, `SELECT 1 FROM t`). */
function computesExpressions(node: EngineNode): boolean {
  if (!RENDERING_NODES.has(node['Node Type'])) return false;
  return (node.Output ?? []).some((output) => {
    const tokens = tokensOf(crdbExpression(output));
    const only = tokens[0];
    return tokens.length !== 1 || (only?.kind !== 'ident' && only?.kind !== 'qident');
  });
}

/** The statement's own uncorrelated subqueries (not those the engine made inside one, as for min/max). */
function initPlansUnder(node: EngineNode): EngineNode[] {
  return (node.Plans ?? []).flatMap((child) => {
    if (child['Parent Relationship'] !== 'InitPlan') return initPlansUnder(child);
    return isMinMaxResult(node) ? [] : [child];
  });
}

/** A Result whose only input is the engine's min/max InitPlan (its Limit over an index scan). */
function isMinMaxResult(node: EngineNode): boolean {
  const plans = node.Plans ?? [];
  const [only] = plans;
  return node['Node Type'] === 'Result' && plans.length === 1 && only?.['Node Type'] === 'Limit';
}

/** The engine numbers its InitPlans across the whole plan; CockroachDB numbers the statement's subqueries @S1, @S2… */
function renumberSubqueries(root: Operator, engineNames: readonly (string | undefined)[]): void {
  const numbers = new Map(engineNames.map((name, i) => [name?.replace('InitPlan ', '') ?? '', i + 1]));
  const visit = (op: Operator): void => {
    for (const f of op.attributes)
      if (f.key === 'filter' || f.key === 'pred') f.value = f.value.replace(/@S(\d+)/g, (_match, n: string) => `@S${numbers.get(n) ?? n}`);
    op.children.forEach(visit);
  };
  visit(root);
}

class PlanMapper {
  vectorized = false;
  fullScan = false;
  private targetLocked = false;

  constructor(private readonly input: ExplainInput) {}

  map(node: EngineNode): Operator {
    switch (node['Node Type']) {
      case 'ModifyTable':
        return this.modify(node);
      case 'Seq Scan':
        return this.sequentialScan(node);
      case 'Index Scan':
      case 'Index Only Scan':
        return this.indexScan(node, node['Index Name'], node['Index Cond'], node['Node Type'] === 'Index Only Scan');
      case 'Bitmap Heap Scan':
        return this.bitmapScan(node);
      case 'Nested Loop':
        return this.nestedLoop(node);
      case 'Hash Join':
        return this.join(node, 'hash', node['Hash Cond']);
      case 'Merge Join':
        return this.join(node, 'merge', node['Merge Cond']);
      case 'Sort':
      case 'Incremental Sort':
        return this.operator(node, 'sort', [field('order', ordering(node['Sort Key'] ?? []))], this.childrenOf(node), { buffers: true });
      case 'Limit':
        return this.limit(node);
      case 'Aggregate':
        return this.aggregate(node);
      case 'Unique':
        return this.operator(node, 'distinct', [field('distinct on', unqualifiedList(node.Output ?? []))], this.childrenOf(node));
      case 'Append':
      case 'Merge Append':
        return this.unionAll(node);
      case 'SetOp':
      case 'HashSetOp':
        return this.operator(node, (node.Command ?? 'Union').toLowerCase(), [], this.childrenOf(node), { buffers: true });
      case 'Values Scan':
        return this.values(node);
      case 'Result':
        return this.result(node);
      case 'WindowAgg':
        return this.operator(node, 'window', [], this.childrenOf(node), { buffers: true });
      case 'ProjectSet':
        return this.operator(node, 'project set', [], this.childrenOf(node));
      case 'Function Scan':
        return this.operator(node, 'project set', [], [this.emptyRow()]);
      case 'CTE Scan':
      case 'WorkTable Scan':
        return this.operator(node, 'scan buffer', [], []);
      case 'Recursive Union':
        return this.operator(node, 'recursive cte', [], this.childrenOf(node));
      default: {
        // Hash, Materialize, Memoize, Gather, Subquery Scan, LockRows…: the engine's plumbing, no CockroachDB operator.
        const children = node.Plans ?? [];
        const only = children[0];
        if (children.length === 1 && only) return this.withFilter(node, this.map(only));
        return this.operator(node, 'render', [], this.childrenOf(node), { quiet: true });
      }
    }
  }

  private childrenOf(node: EngineNode): Operator[] {
    return (node.Plans ?? [])
      .filter((p) => p['Parent Relationship'] !== 'InitPlan' && p['Parent Relationship'] !== 'SubPlan')
      .map((p) => this.map(p));
  }

  private operator(
    node: EngineNode | undefined,
    name: string,
    attributes: PlanField[],
    children: Operator[],
    options: { quiet?: boolean; buffers?: boolean; scan?: ScanFacts; rows?: number } = {},
  ): Operator {
    return {
      name,
      attributes,
      children,
      columns: unqualified(node?.Output ?? []),
      estimatedRows: node?.['Plan Rows'] ?? 1,
      actualRows: options.rows ?? actualRows(node),
      scan: options.scan,
      quiet: options.quiet ?? false,
      buffers: options.buffers ?? false,
      width: node?.['Plan Width'] ?? 8,
    };
  }

  /** A filter the engine applies in the node itself is CockroachDB's `filter` operator above it ('' for none). */
  private withFilter(node: EngineNode, below: Operator, filter = node.Filter): Operator {
    if (!filter) return below;
    return this.operator(node, 'filter', [field('filter', crdbExpression(filter))], [below]);
  }

  private table(node: EngineNode): ExplainTable | undefined {
    const name = node['Relation Name'];
    return this.input.tables.find((t) => t.name === name && (node.Schema === undefined || t.schema === node.Schema));
  }

  /** A scan of `index` (the primary index when undefined) under `condition`. */
  private scan(node: EngineNode, indexName: string | undefined, condition: string | undefined, rowsOverride?: number): Operator {
    this.vectorized = true;
    const table = this.table(node);
    const tableName = table?.name ?? node['Relation Name'] ?? '?';
    const index = table?.indexes.find((i) => i.engineName === indexName) ?? table?.indexes.find((i) => i.primary);
    const indexLabel = index?.name ?? indexName ?? `${tableName}_pkey`;
    const parts = condition ? conjuncts(stripCasts(condition)) : [];
    const readParts = parts.map(readComparison);
    const comparisons = readParts.filter((c): c is Comparison => c !== undefined);
    const { spans, regionConstrained } = index
      ? constrainedSpans(index, table, comparisons)
      : { spans: undefined, regionConstrained: false };
    // What the spans do not express (a comparison with a subquery's result, another column…) is filtered.
    const used = new Set([...(spans?.equalColumns ?? []), ...(spans?.rangeColumn ? [spans.rangeColumn] : [])]);
    if (regionConstrained && table?.regionColumn) used.add(table.regionColumn);
    const leftover = parts.filter((_, i) => {
      const c = readParts[i];
      return c === undefined || c.other !== undefined || !used.has(c.column.column);
    });
    const finish = (op: Operator): Operator =>
      leftover.length === 0 ? op : this.operator(node, 'filter', [field('filter', crdbExpression(leftover.join(' AND ')))], [op]);
    const read = rowsOverride ?? scannedRows(node);
    const locking = this.lockingFor(table);
    const backwards = node['Scan Direction'] === 'Backward';
    const base = (spansText: string, regions: string[] | undefined, remoteHalf: boolean, extra: PlanField[] = []): Operator =>
      this.operator(
        node,
        backwards ? 'revscan' : 'scan',
        [field('table', `${tableName}@${indexLabel}`), field('spans', spansText), ...extra, ...locking],
        [],
        {
          scan: { table: table ?? emptyTable(tableName), index: indexLabel, rowsRead: remoteHalf ? 0 : read, regions, remoteHalf },
          rows: remoteHalf ? 0 : read,
        },
      );
    const regionColumn = table?.regionColumn;
    if (!table || !regionColumn || !index || spans === undefined || regionConstrained) {
      if (spans === undefined) this.fullScan = true;
      const regions = regionColumn && comparisons.length > 0 ? regionsNamed(comparisons, regionColumn) : undefined;
      return finish(base(formatSpans(spans), regions, false));
    }
    // A REGIONAL BY ROW index without its region in the condition: every region's partition.
    const local = this.input.localRegionOf?.(table) ?? this.input.gatewayRegion;
    // Every key of a unique index named by equalities: each is in one region, most likely the gateway's.
    const keys = spans.spans.length;
    const uniqueLookup =
      index.unique && spans.rangeColumn === undefined && allKeyColumnsEqual(spans, index, table) && this.input.localityOptimizedSearch;
    if (!uniqueLookup || !local || !table.regions.includes(local))
      return finish(base(formatSpans(withRegionPrefix(spans, table.regions)), table.regions, false));
    const remote = table.regions.filter((r) => r !== local);
    const localScan = base(formatSpans(withRegionPrefix(spans, [local])), [local], false);
    if (remote.length === 0) return finish(localScan);
    const remoteScan = base(formatSpans(withRegionPrefix(spans, remote)), remote, true);
    return finish(this.operator(node, 'union all', [field('limit', keys)], [localScan, remoteScan], { rows: read }));
  }

  /**
   * The engine read the whole table and filtered; CockroachDB always turns comparisons on the
   * primary key's leading columns into spans of the primary index, leaving the rest to a filter.
   */
  private sequentialScan(node: EngineNode): Operator {
    const table = this.table(node);
    const primary = table?.indexes.find((i) => i.primary);
    const filter = node.Filter;
    if (!table || !primary || !filter) return this.withFilter(node, this.scan(node, undefined, undefined));
    const parts = conjuncts(stripCasts(filter));
    const comparisons = parts.map(readComparison);
    const { spans } = constrainedSpans(
      primary,
      table,
      comparisons.filter((c): c is Comparison => c !== undefined),
    );
    if (!spans) return this.withFilter(node, this.scan(node, undefined, undefined));
    const used = new Set([...spans.equalColumns, ...(spans.rangeColumn ? [spans.rangeColumn] : [])]);
    const consumed = (i: number): boolean => {
      const c = comparisons[i];
      return c !== undefined && c.other === undefined && used.has(c.column.column);
    };
    const condition = parts.filter((_, i) => consumed(i)).join(' AND ');
    const rest = parts.filter((_, i) => !consumed(i));
    const scan = this.scan(node, primary.engineName, condition, rest.length === 0 ? actualRows(node) : undefined);
    return rest.length === 0 ? scan : this.withFilter(node, scan, rest.join(' AND '));
  }

  /** The first scan of a mutation's target reads its rows FOR UPDATE (CockroachDB's implicit row locking). */
  private lockingFor(table: ExplainTable | undefined): PlanField[] {
    if (!this.targetLocked || table === undefined) return [];
    this.targetLocked = false;
    return [field('locking strength', 'for update')];
  }

  private indexScan(node: EngineNode, indexName: string | undefined, condition: string | undefined, onlyIndex: boolean): Operator {
    const table = this.table(node);
    const index = table?.indexes.find((i) => i.engineName === indexName);
    const { regionParts, rest } = splitRegionFilter(node.Filter, table);
    const scan = this.scan(node, indexName, [condition, ...regionParts].filter((c) => c !== undefined).join(' AND '));
    if (!index || index.primary || onlyIndex || coveredBy(node, index, table)) return this.withFilter(node, scan, rest ?? '');
    // A secondary index without every needed column: its keys lead to the primary index's rows.
    const primary = table?.indexes.find((i) => i.primary);
    const join = this.operator(node, 'index join', [field('table', `${table?.name ?? '?'}@${primary?.name ?? '?'}`)], [scan], {
      rows: scannedRows(node),
    });
    return this.withFilter(node, join, rest ?? '');
  }

  private bitmapScan(node: EngineNode): Operator {
    const source = node.Plans?.[0];
    if (source?.['Node Type'] === 'Bitmap Index Scan') {
      const fake: EngineNode = {
        ...node,
        'Node Type': 'Index Scan',
        'Index Name': source['Index Name'],
        'Index Cond': source['Index Cond'],
      };
      return this.indexScan(fake, source['Index Name'], source['Index Cond'], false);
    }
    // BitmapAnd / BitmapOr: CockroachDB would read the primary index and filter.
    return this.withFilter(node, this.scan(node, undefined, undefined), node['Recheck Cond']);
  }

  private nestedLoop(node: EngineNode): Operator {
    const [outer, inner] = node.Plans ?? [];
    if (!outer || !inner) return this.operator(node, 'cross join', [], this.childrenOf(node));
    const lookup = innerIndexScan(inner);
    const type = joinSuffix(this.joinType(node, inner));
    if (lookup?.['Index Cond']) {
      const comparisons = conjuncts(stripCasts(lookup['Index Cond'])).flatMap((c) => readComparison(c) ?? []);
      const equalities = comparisons.filter((c) => c.other !== undefined);
      const table = this.table(lookup);
      const index = table?.indexes.find((i) => i.engineName === lookup['Index Name']);
      if (equalities.length > 0 && table && index) {
        this.vectorized = true;
        const innerAlias = lookup.Alias ?? table.name;
        const keyColumns = keyColumnsOf(index, table);
        const pairs = keyColumns
          .map((column) =>
            equalities.find(
              (c) =>
                (c.column.column === column && c.column.qualifier === innerAlias) ||
                (c.other?.column === column && c.other.qualifier === innerAlias),
            ),
          )
          .filter((c): c is Comparison => c !== undefined);
        const outerColumns = pairs.map((c) => (c.column.qualifier === innerAlias ? (c.other?.column ?? '?') : c.column.column));
        const innerColumns = pairs.map((c) => (c.column.qualifier === innerAlias ? c.column.column : (c.other?.column ?? '?')));
        const isKey = index.unique && innerColumns.length === keyColumns.filter((c) => c !== table.regionColumn).length;
        const predicate = [node['Join Filter'], lookup.Filter].filter((f): f is string => f !== undefined).map(crdbExpression);
        const predicateFields = predicate.length > 0 ? [field('pred', predicate.join(' AND '))] : [];
        const tableField = field('table', `${table.name}@${index.name}`);
        const keyFields = isKey ? [field('equality cols are key')] : [];
        const region = table.regionColumn;
        if (region) {
          // The lookup reads the region's partitions: the gateway's first when locality-optimized.
          const condition = (regions: readonly string[]): string =>
            `${innerColumns.map((c, i) => `(${c} = ${outerColumns[i] ?? '?'})`).join(' AND ')} AND (${region} ${regions.length === 1 ? `= '${regions[0] ?? ''}'` : `IN (${regions.map((r) => `'${r}'`).join(', ')})`})`;
          const local = this.input.localRegionOf?.(table) ?? this.input.gatewayRegion;
          const optimized =
            isKey && this.input.localityOptimizedSearch && local !== undefined && table.regions.includes(local) && table.regions.length > 1;
          const remote = table.regions.filter((r) => r !== local);
          const input = this.map(outer);
          if (!optimized || !local) {
            const attributes = [tableField, ...keyFields, field('lookup condition', condition(table.regions)), ...predicateFields];
            return this.operator(node, `lookup join${type}`, attributes, [input]);
          }
          if (type === ' (anti)') {
            // An anti join must see no match anywhere: the local lookup, then the remote one over what is left.
            const localJoin = this.operator(
              node,
              `lookup join${type}`,
              [tableField, ...keyFields, field('lookup condition', condition([local])), ...predicateFields],
              [input],
            );
            return this.operator(
              node,
              `lookup join${type}`,
              [tableField, ...keyFields, field('lookup condition', condition(remote)), ...predicateFields],
              [localJoin],
            );
          }
          const attributes = [
            tableField,
            ...keyFields,
            field('lookup condition', condition([local])),
            field('remote lookup condition', condition(remote)),
            ...predicateFields,
          ];
          return this.operator(node, `lookup join${type}`, attributes, [input]);
        }
        const attributes = [
          tableField,
          field('equality', `(${outerColumns.join(', ')}) = (${innerColumns.join(',')})`),
          ...keyFields,
          ...predicateFields,
        ];
        const join = this.operator(node, `lookup join${type}`, attributes, [this.map(outer)]);
        join.scan = {
          table,
          index: index.name,
          rowsRead: actualRows(lookup) === undefined ? undefined : (actualRows(lookup) ?? 0),
          regions: undefined,
          remoteHalf: false,
        };
        return join;
      }
    }
    const attributes = node['Join Filter'] ? [field('pred', crdbExpression(node['Join Filter']))] : [];
    return this.operator(node, `cross join${type}`, attributes, this.childrenOf(node), { buffers: true });
  }

  /**
   * The engine turns EXISTS over a unique key into an inner join (`Inner Unique`) that outputs
   * nothing of the inner side; CockroachDB keeps it a semi join.
   */
  private joinType(node: EngineNode, inner: EngineNode): string | undefined {
    const type = node['Join Type'];
    if (type !== 'Inner' || !node['Inner Unique'] || !this.input.statement.exists) return type;
    const innerAliases = aliasesUnder(inner);
    const outputsInner = (node.Output ?? []).some((column) => {
      const qualifier = column.split('.')[0] ?? '';
      return column.includes('.') && innerAliases.has(qualifier);
    });
    return outputsInner ? type : 'Semi';
  }

  private join(node: EngineNode, algorithm: 'hash' | 'merge', condition: string | undefined): Operator {
    const [left, right] = node.Plans ?? [];
    const children = this.childrenOf(node);
    const attributes: PlanField[] = [];
    const equalities = condition
      ? conjuncts(stripCasts(condition))
          .flatMap((c) => readComparison(c) ?? [])
          .filter((c) => c.other && c.op === '=')
      : [];
    if (left && right && equalities.length > 0) {
      const leftAliases = aliasesUnder(left);
      const sides = equalities.map((c) =>
        c.column.qualifier !== undefined && leftAliases.has(c.column.qualifier) ? [c.column, c.other] : [c.other, c.column],
      );
      const leftColumns = sides.map(([l]) => l?.column ?? '?');
      const rightColumns = sides.map(([, r]) => r?.column ?? '?');
      attributes.push(field('equality', `(${leftColumns.join(', ')}) = (${rightColumns.join(', ')})`));
      if (this.isKey(left, leftColumns)) attributes.push(field('left cols are key'));
      if (this.isKey(right, rightColumns)) attributes.push(field('right cols are key'));
    }
    const extra = [node['Join Filter'], node.Filter].filter((f): f is string => f !== undefined).map(crdbExpression);
    if (extra.length > 0) attributes.push(field('pred', extra.join(' AND ')));
    const name = `${equalities.length > 0 ? algorithm : 'cross'} join${joinSuffix(right ? this.joinType(node, right) : node['Join Type'])}`;
    return this.operator(node, name, attributes, children, { buffers: true });
  }

  /** Whether the rows `node` produces are unique on `columns`: a scan of a table with a unique index on exactly them. */
  private isKey(node: EngineNode, columns: readonly string[]): boolean {
    const scan = innerIndexScan(node) ?? (node['Node Type'] === 'Seq Scan' ? node : undefined);
    const table = scan ? this.table(scan) : undefined;
    if (!table) return false;
    const wanted = new Set(columns);
    return table.indexes.some(
      (i) =>
        i.unique &&
        keyColumnsOf(i, table)
          .filter((c) => c !== table.regionColumn)
          .every((c) => wanted.has(c)) &&
        i.columns.length > 0,
    );
  }

  private limit(node: EngineNode): Operator {
    const child = node.Plans?.[0];
    const { limit, offset } = this.input.statement;
    const count = limit ?? String(node['Plan Rows'] ?? '');
    if (child && (child['Node Type'] === 'Sort' || child['Node Type'] === 'Incremental Sort') && offset === undefined) {
      const below = this.childrenOf(child);
      return this.operator(node, 'top-k', [field('order', ordering(child['Sort Key'] ?? [])), field('k', count)], below, { buffers: true });
    }
    const scanLike =
      child && ['Seq Scan', 'Index Scan', 'Index Only Scan'].includes(child['Node Type']) && !child.Filter && offset === undefined;
    if (child && scanLike) {
      const scan = this.map(child);
      const target = scan.name === 'index join' ? scan.children[0] : scan;
      if (target && (target.name === 'scan' || target.name === 'revscan')) {
        const spans = target.attributes.find((a) => a.key === 'spans');
        if (spans?.value === 'FULL SCAN') {
          spans.value = 'LIMITED SCAN';
          this.fullScan = false;
        }
        const at = target.attributes.findIndex((a) => a.key === 'spans');
        target.attributes.splice(at + 1, 0, field('limit', count));
        return scan;
      }
    }
    const attributes = [];
    if (limit !== undefined) attributes.push(field('count', limit));
    if (offset !== undefined) attributes.push(field('offset', offset));
    return this.operator(node, 'limit', attributes, this.childrenOf(node), { quiet: true });
  }

  private aggregate(node: EngineNode): Operator {
    const keys = unqualified(node['Group Key'] ?? []);
    const outputs = unqualified(node.Output ?? []);
    const child = node.Plans?.[0];
    if (keys.length > 0 && outputs.every((o) => keys.includes(o)))
      return this.operator(node, 'distinct', [field('distinct on', keys.join(', '))], this.childrenOf(node), { buffers: true });
    if (node.Strategy === 'Plain' || keys.length === 0) return this.operator(node, 'group (scalar)', [], this.childrenOf(node));
    const sortedByEngine = child?.['Node Type'] === 'Sort' || child?.['Node Type'] === 'Incremental Sort';
    if (node.Strategy === 'Sorted' && !sortedByEngine)
      return this.operator(
        node,
        'group (streaming)',
        [field('group by', keys.join(', ')), field('ordered', keys.map((k) => `+${k}`).join(','))],
        this.childrenOf(node),
      );
    // The engine sorted to group; CockroachDB hashes instead of sorting.
    const input = child && sortedByEngine ? this.childrenOf(child) : this.childrenOf(node);
    return this.operator(node, 'group (hash)', [field('group by', keys.join(', '))], input, { buffers: true });
  }

  private unionAll(node: EngineNode): Operator {
    const children = this.childrenOf(node);
    if (children.length <= 1 && children[0]) return children[0];
    const [first, ...rest] = children;
    if (!first) return this.operator(node, 'norows', [], []);
    // CockroachDB's union all has two inputs: more are nested to the right.
    const nest = (ops: Operator[]): Operator => {
      const [head, ...tail] = ops;
      if (!head) return this.operator(undefined, 'norows', [], []);
      if (tail.length === 0) return head;
      return this.operator(node, 'union all', [], [head, nest(tail)]);
    };
    return this.operator(node, 'union all', [], [first, nest(rest)]);
  }

  private values(node: EngineNode): Operator {
    const columns = node.Output?.length ?? 0;
    const rows = node['Plan Rows'] ?? 1;
    return this.operator(node, 'values', [field('size', sizeText(columns, rows))], []);
  }

  private result(node: EngineNode): Operator {
    const children = node.Plans ?? [];
    if (node['One-Time Filter'] === 'false') return this.operator(node, 'norows', [], []);
    const only = children[0];
    const minMax = only?.['Parent Relationship'] === 'InitPlan' ? this.minMax(node, only) : undefined;
    if (minMax) return minMax;
    if (children.length === 1 && only) return this.map(only);
    if (children.length === 0) {
      const columns = node.Output?.length ?? 0;
      return columns === 0 ? this.emptyRow() : this.operator(node, 'values', [field('size', sizeText(columns, 1))], []);
    }
    return this.operator(node, 'render', [], this.childrenOf(node), { quiet: true });
  }

  /**
   * min() / max() of an indexed column: the engine reads the first non-NULL entry of the index;
   * CockroachDB's scalar group over a scan of the index past NULL, limited to one row.
   */
  private minMax(node: EngineNode, initPlan: EngineNode): Operator | undefined {
    const scanNode = initPlan['Node Type'] === 'Limit' ? initPlan.Plans?.[0] : undefined;
    if (!scanNode || !['Index Scan', 'Index Only Scan'].includes(scanNode['Node Type'])) return undefined;
    const scan = this.scan({ ...scanNode, Filter: undefined }, scanNode['Index Name'], undefined);
    const spans = scan.attributes.find((a) => a.key === 'spans');
    if (spans?.value === 'FULL SCAN') {
      spans.value = '(/NULL - ]';
      this.fullScan = false;
    }
    scan.attributes.splice(scan.attributes.findIndex((a) => a.key === 'spans') + 1, 0, field('limit', 1));
    return this.operator(node, 'group (scalar)', [], [scan]);
  }

  render(node: EngineNode, input: Operator): Operator {
    return this.operator(node, 'render', [], [input], { quiet: true, rows: input.actualRows });
  }

  private emptyRow(): Operator {
    return this.operator(undefined, 'emptyrow', [], []);
  }

  private modify(node: EngineNode): Operator {
    const table = this.table(node);
    const name = table?.name ?? node['Relation Name'] ?? '?';
    const facts = this.input.statement;
    const commit = facts.autoCommit ? [field('auto commit')] : [];
    const source = node.Plans?.[0];
    const operation = node.Operation;
    this.targetLocked = operation !== 'Insert' && this.input.implicitForUpdate;
    if (operation === 'Insert') {
      // Columns left out get their defaults: CockroachDB's insert writes every column.
      const into = field('into', `${name}(${(table?.columns ?? facts.insertColumns ?? []).join(', ')})`);
      const upsert = facts.kind === 'upsert' || node['Conflict Resolution'] === 'UPDATE';
      const input = source ? this.map(source) : this.emptyRow();
      if (node['Conflict Resolution'] === 'NOTHING') {
        // ON CONFLICT DO NOTHING: rows whose keys exist are left out, by the arbiter indexes.
        const arbiters = (node['Conflict Arbiter Indexes'] ?? []).map(
          (engineName) => table?.indexes.find((i) => i.engineName === engineName)?.name ?? engineName,
        );
        const arbiterFields = arbiters.length > 0 ? [field('arbiter indexes', arbiters.join(', '))] : [];
        return this.operator(node, 'insert', [into, ...commit, ...arbiterFields], [input]);
      }
      if (upsert) {
        const primary = table?.indexes.find((i) => i.primary);
        const arbiters = [field('arbiter indexes', primary?.name ?? `${name}_pkey`)];
        const blind =
          table !== undefined && table.indexes.length === 1 && (facts.insertColumns ?? table.columns).length === table.columns.length;
        if (blind || !primary || !table) return this.operator(node, 'upsert', [into, ...commit, ...arbiters], [input]);
        // The existing row is read first (its other columns are kept, its index entries replaced).
        const keys = keyColumnsOf(primary, table);
        // The VALUES columns are named column1, column2… in the order they are written.
        const written = facts.insertColumns ?? table.columns;
        const valueColumns = keys.map((k) => `column${written.indexOf(k) + 1}`);
        const lookup = this.operator(
          undefined,
          'lookup join (left outer)',
          [
            field('table', `${name}@${primary.name}`),
            field('equality', `(${valueColumns.join(', ')}) = (${keys.join(',')})`),
            field('equality cols are key'),
            field('locking strength', 'for update'),
          ],
          [input],
          { rows: input.actualRows },
        );
        lookup.scan = { table, index: primary.name, rowsRead: input.actualRows, regions: undefined, remoteHalf: false };
        this.vectorized = true;
        return this.operator(node, 'upsert', [into, ...commit, ...arbiters], [lookup]);
      }
      if (input.name === 'values' && !facts.returning) {
        const size = input.attributes.filter((a) => a.key === 'size');
        return this.operator(node, 'insert fast path', [into, ...commit, ...size], [], { rows: input.actualRows });
      }
      this.vectorized = this.vectorized || input.name !== 'values';
      return this.operator(node, 'insert', [into, ...commit], [input]);
    }
    const input = source ? this.map(source) : this.emptyRow();
    if (operation === 'Delete') {
      const plainScan =
        input.name === 'scan' && input.children.length === 0 && table !== undefined && table.indexes.length === 1 && !facts.returning;
      if (plainScan) {
        // Rows of the primary index alone, no secondary index entries to find: ranges are deleted without reading.
        const spans = input.attributes.find((a) => a.key === 'spans');
        return this.operator(node, 'delete range', [field('from', name), ...commit, field('spans', spans?.value ?? 'FULL SCAN')], [], {
          rows: input.actualRows,
        });
      }
      return this.operator(node, 'delete', [field('from', name), ...commit], [input]);
    }
    const render = this.operator(source, 'render', [], [input], { quiet: true });
    return this.operator(node, 'update', [field('table', name), field('set', facts.setColumns.join(', ')), ...commit], [render]);
  }
}

/** The key columns of an index as CockroachDB orders them: a REGIONAL BY ROW index leads with its region column. */
export function keyColumnsOf(index: ExplainIndex, table: ExplainTable | undefined): string[] {
  const region = table?.regionColumn;
  if (!region) return index.columns;
  return [region, ...index.columns.filter((c) => c !== region)];
}

function allKeyColumnsEqual(spans: IndexSpans, index: ExplainIndex, table: ExplainTable): boolean {
  return keyColumnsOf(index, table).every((c) => c === table.regionColumn || spans.equalColumns.includes(c));
}

/**
 * The spans of `index` under `comparisons`. A REGIONAL BY ROW index leads with its region column;
 * when the condition does not name the region, the spans are of the rest of the key (the caller
 * adds the regions: all of them, or the gateway's first).
 */
function constrainedSpans(
  index: ExplainIndex,
  table: ExplainTable | undefined,
  comparisons: readonly Comparison[],
): { spans: IndexSpans | undefined; regionConstrained: boolean } {
  const keyColumns = keyColumnsOf(index, table);
  const region = table?.regionColumn;
  const regionConstrained =
    region !== undefined && comparisons.some((c) => c.column.column === region && c.op === '=' && c.other === undefined);
  const searched = region && !regionConstrained ? keyColumns.filter((c) => c !== region) : keyColumns;
  return { spans: indexSpans(searched, comparisons), regionConstrained };
}

/**
 * A REGIONAL BY ROW table's region column leads every CockroachDB index, but not the engine's:
 * the engine filters on it, CockroachDB constrains the spans with it.
 */
function splitRegionFilter(
  filter: string | undefined,
  table: ExplainTable | undefined,
): { regionParts: string[]; rest: string | undefined } {
  const region = table?.regionColumn;
  if (!filter || !region) return { regionParts: [], rest: filter };
  const parts = conjuncts(stripCasts(filter));
  const isRegion = (part: string): boolean => {
    const c = readComparison(part);
    return c !== undefined && c.column.column === region && c.op === '=' && c.other === undefined;
  };
  const rest = parts.filter((p) => !isRegion(p));
  return { regionParts: parts.filter(isRegion), rest: rest.length > 0 ? rest.join(' AND ') : undefined };
}

/** The index has every column the scan outputs, or the primary key's (which every CockroachDB index stores). */
function coveredBy(node: EngineNode, index: ExplainIndex, table: ExplainTable | undefined): boolean {
  const primary = table?.indexes.find((i) => i.primary);
  const available = new Set([...index.columns, ...(primary?.columns ?? []), ...(table?.regionColumn ? [table.regionColumn] : [])]);
  const needed = unqualified(node.Output ?? []).concat(node.Filter ? columnsIn(node.Filter) : []);
  return needed.length > 0 && needed.every((c) => available.has(c));
}

function columnsIn(expression: string): string[] {
  return conjuncts(stripCasts(expression))
    .flatMap((c) => readComparison(c) ?? [])
    .flatMap((c) => [c.column.column, ...(c.other ? [c.other.column] : [])]);
}

function innerIndexScan(node: EngineNode): EngineNode | undefined {
  const type = node['Node Type'];
  if (type === 'Index Scan' || type === 'Index Only Scan') return node;
  if (type === 'Bitmap Heap Scan') {
    const source = node.Plans?.[0];
    if (source?.['Node Type'] === 'Bitmap Index Scan')
      return { ...node, 'Index Name': source['Index Name'], 'Index Cond': source['Index Cond'] };
  }
  if (['Materialize', 'Memoize', 'Hash'].includes(type) && node.Plans?.length === 1 && node.Plans[0]) return innerIndexScan(node.Plans[0]);
  return undefined;
}

function aliasesUnder(node: EngineNode): Set<string> {
  const aliases = new Set<string>();
  const visit = (n: EngineNode): void => {
    if (n.Alias) aliases.add(n.Alias);
    if (n['Relation Name']) aliases.add(n['Relation Name']);
    for (const child of n.Plans ?? []) visit(child);
  };
  visit(node);
  return aliases;
}

function regionsNamed(comparisons: readonly Comparison[], regionColumn: string): string[] | undefined {
  const equal = comparisons.find((c) => c.column.column === regionColumn && c.op === '=' && c.other === undefined);
  return equal?.values.map((v) => (v.startsWith("'") ? v.slice(1, -1) : v));
}

function joinSuffix(type: string | undefined): string {
  switch (type) {
    case 'Left':
      return ' (left outer)';
    case 'Right':
      return ' (right outer)';
    case 'Full':
      return ' (full outer)';
    case 'Semi':
      return ' (semi)';
    case 'Anti':
      return ' (anti)';
    case 'Right Semi':
      return ' (right semi)';
    case 'Right Anti':
      return ' (right anti)';
    default:
      return '';
  }
}

/** `t.v DESC` → `-v`; `t.k` → `+k`. */
function ordering(keys: readonly string[]): string {
  return keys
    .map((key) => {
      const words = key.split(' ');
      const column = crdbExpression(words[0] ?? key);
      return `${words.some((w) => w.toUpperCase() === 'DESC') ? '-' : '+'}${column}`;
    })
    .join(',');
}

function unqualified(columns: readonly string[]): string[] {
  return columns.map((c) => crdbExpression(c));
}

function unqualifiedList(columns: readonly string[]): string {
  return unqualified(columns).join(', ');
}

function sizeText(columns: number, rows: number): string {
  return `${columns} column${columns === 1 ? '' : 's'}, ${rows} row${rows === 1 ? '' : 's'}`;
}

/** Rows the node produced over all its loops, when the engine ran it. */
function actualRows(node: EngineNode | undefined): number | undefined {
  if (node?.['Actual Rows'] === undefined) return undefined;
  return node['Actual Rows'] * (node['Actual Loops'] ?? 1);
}

/** Rows a scan read: what it returned plus what its filter removed. */
function scannedRows(node: EngineNode): number | undefined {
  const produced = actualRows(node);
  if (produced === undefined) return undefined;
  const loops = node['Actual Loops'] ?? 1;
  return produced + ((node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)) * loops;
}

function emptyTable(name: string): ExplainTable {
  return { schema: '', name, columns: [], indexes: [], regionColumn: undefined, regions: [] };
}

export type { IndexSpans };
