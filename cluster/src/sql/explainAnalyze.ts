// What EXPLAIN ANALYZE adds to a plan: a header of statement-wide statistics and, per operator,
// the nodes and regions that ran it and the rows it produced; per scan, the KV work — which
// leaseholders (or, for a follower read, which nearby replicas) served it, the simulated network
// time, the rows and bytes decoded. Rows come from the engine's own execution of the statement;
// nodes, regions and times from the simulated cluster.
import type { Operator, ScanFacts } from './explain';
import { field, formatBytes, formatCount, formatDuration, type PlanField } from './explainFormat';

/** Where a scan's KV requests went, as the simulated cluster places its ranges. */
export interface ScanPlacement {
  kvNodes: number[];
  regions: string[];
  followerRead: boolean;
  /** Network time of the scan's requests, ms. */
  kvTimeMs: number;
  /** KV batch requests: one per range touched. */
  rpcs: number;
}

/** What the cluster and the engine's run tell about the execution. */
export interface ExecutionFacts {
  gatewayNode: number;
  gatewayRegion: string;
  planningMs: number;
  /** The engine's execution time plus the statement's simulated network time. */
  executionMs: number;
  isolation: string;
  placement: (scan: ScanFacts) => ScanPlacement;
  /**
   * What CockroachDB's logic tests see (its DeterministicExplain testing knob): fixed times, nodes
   * and regions <hidden>, only the statistics that do not vary from run to run.
   */
  deterministic: boolean;
}

const HIDDEN = '<hidden>';

/** Per-operator statistics computed once and read by the header and the tree. */
export class ExecutionStats {
  private readonly placements = new Map<ScanFacts, ScanPlacement>();

  constructor(readonly facts: ExecutionFacts) {}

  placementOf(scan: ScanFacts): ScanPlacement {
    let placement = this.placements.get(scan);
    if (!placement) {
      placement =
        scan.remoteHalf && scan.rowsRead === 0
          ? { kvNodes: [], regions: [], followerRead: false, kvTimeMs: 0, rpcs: 0 }
          : this.facts.placement(scan);
      this.placements.set(scan, placement);
    }
    return placement;
  }

  /** The statistics fields of one operator, in CockroachDB's order. */
  fields(op: Operator, verbose: boolean): PlanField[] {
    // Renders and limits print none; the remote half of a locality-optimized search that found its row locally never ran.
    if (op.quiet || (op.scan?.remoteHalf && op.scan.rowsRead === 0)) return [];
    if (this.facts.deterministic) return this.deterministicFields(op);
    const gateway = `n${this.facts.gatewayNode}`;
    const out: PlanField[] = [];
    const scan = op.scan;
    const reached = !(scan?.remoteHalf && scan.rowsRead === 0);
    if (scan && reached) {
      const placement = this.placementOf(scan);
      out.push(field('sql nodes', gateway));
      if (placement.kvNodes.length > 0) out.push(field('kv nodes', placement.kvNodes.map((n) => `n${n}`).join(', ')));
      out.push(field('regions', sortedUnique([this.facts.gatewayRegion, ...placement.regions]).join(', ')));
      if (placement.followerRead) out.push(field('used follower read'));
    } else if (reached) {
      out.push(field('sql nodes', gateway), field('regions', this.facts.gatewayRegion));
    }
    out.push(field('actual row count', formatCount(op.actualRows ?? 0)));
    if (verbose) out.push(field('vectorized batch count', op.actualRows ? Math.ceil(op.actualRows / 1024) : 0));
    if (scan && reached) {
      const placement = this.placementOf(scan);
      const rows = scan.rowsRead ?? 0;
      out.push(
        field('KV time', formatDuration(placement.kvTimeMs)),
        field('KV contention time', formatDuration(0)),
        field('KV rows decoded', formatCount(rows)),
        field('KV bytes read', formatBytes(rows * op.width)),
        field('KV gRPC calls', formatCount(placement.rpcs)),
        field('estimated max memory allocated', formatBytes(memoryOf(op))),
      );
    } else if (op.buffers) out.push(field('estimated max memory allocated', formatBytes(memoryOf(op))));
    return out;
  }

  private deterministicFields(op: Operator): PlanField[] {
    const rows = formatCount(op.actualRows ?? 0);
    if (!op.scan)
      return [
        field('sql nodes', HIDDEN),
        field('regions', HIDDEN),
        field('execution time', formatDuration(0)),
        field('actual row count', rows),
      ];
    const placement = this.placementOf(op.scan);
    return [
      field('sql nodes', HIDDEN),
      field('kv nodes', HIDDEN),
      field('regions', HIDDEN),
      ...(placement.followerRead ? [field('used follower read')] : []),
      field('KV time', formatDuration(0)),
      field('KV rows decoded', formatCount(op.scan.rowsRead ?? 0)),
      field('actual row count', rows),
    ];
  }

  /** The header lines above the tree. */
  header(root: Operator, distribution: string, vectorized: boolean): string[] {
    const scans = scansUnder(root).filter((s) => !(s.remoteHalf && s.rowsRead === 0));
    const rowsDecoded = scans.reduce((sum, s) => sum + (s.rowsRead ?? 0), 0);
    const bytesDecoded = operatorsUnder(root)
      .filter((op) => op.scan)
      .reduce((sum, op) => sum + (op.scan?.rowsRead ?? 0) * op.width, 0);
    const placements = scans.map((s) => this.placementOf(s));
    const kvTime = placements.reduce((sum, p) => sum + p.kvTimeMs, 0);
    const rpcs = placements.reduce((sum, p) => sum + p.rpcs, 0);
    const memory = operatorsUnder(root).reduce((sum, op) => sum + (op.scan || op.buffers ? memoryOf(op) : 0), 0);
    const regions = sortedUnique([this.facts.gatewayRegion, ...placements.flatMap((p) => p.regions)]);
    const decoded = `rows decoded from KV: ${formatCount(rowsDecoded)} (${formatBytes(bytesDecoded)}, ${formatCount(rpcs)} gRPC calls)`;
    if (this.facts.deterministic)
      return [
        `planning time: ${formatDuration(0.01)}`,
        `execution time: ${formatDuration(0.1)}`,
        `distribution: ${HIDDEN}`,
        'plan type: custom',
        ...(rowsDecoded > 0 ? [decoded] : []),
        `regions: ${HIDDEN}`,
        ...(placements.some((p) => p.followerRead) ? ['used follower read'] : []),
      ];
    const lines = [
      `planning time: ${formatDuration(this.facts.planningMs)}`,
      `execution time: ${formatDuration(this.facts.executionMs)}`,
      `distribution: ${distribution}`,
      `vectorized: ${vectorized}`,
      'plan type: custom',
    ];
    if (rowsDecoded > 0)
      lines.push(`rows decoded from KV: ${formatCount(rowsDecoded)} (${formatBytes(bytesDecoded)}, ${formatCount(rpcs)} gRPC calls)`);
    if (kvTime > 0) lines.push(`cumulative time spent in KV: ${formatDuration(kvTime)}`);
    lines.push(`maximum memory usage: ${formatBytes(memory)}`, 'network usage: 0 B (0 messages)', `regions: ${regions.join(', ')}`);
    if (placements.some((p) => p.followerRead)) lines.push('used follower read');
    lines.push(`isolation level: ${this.facts.isolation}`, 'priority: normal', 'quality of service: regular');
    return lines;
  }
}

/** Memory an operator held: the rows it buffered (at least one batch's worth of its row width). */
function memoryOf(op: Operator): number {
  const rows = Math.max(op.scan?.rowsRead ?? 0, op.actualRows ?? 0, 1);
  return Math.max(rows * op.width, 10 * 1024);
}

function operatorsUnder(root: Operator): Operator[] {
  return [root, ...root.children.flatMap(operatorsUnder)];
}

function scansUnder(root: Operator): ScanFacts[] {
  return operatorsUnder(root).flatMap((op) => (op.scan ? [op.scan] : []));
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values.filter((v) => v !== ''))].sort();
}
