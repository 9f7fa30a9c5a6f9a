// Survivability from the placement alone: which failures the cluster has now, counted the way a
// survival goal counts them (a whole region, a whole zone, or single nodes), and what one more
// failure of a node, zone or region would cost — the ranges that would lose quorum and the tables
// that would become unavailable. A range keeps quorum while a majority of its voters are on nodes
// that are up; non-voters and learners never count towards it.
import type { TopologyModel, TopologyNode, TopologyRange } from '../../../protocol/src/topology';
import type { FailureDomain, SurvivalReport, WhatIfResult, WhatIfTable } from '../../../protocol/src/topologyStory';

/** States in which a node still serves its replicas (a draining node is suspect but up). */
const UP = new Set<string>(['live', 'suspect', 'decommissioning']);

/**
 * Whether a node counts as failed: dead, or any state the model adds for an unreachable node
 * (e.g. a partitioned one). A decommissioned node left the cluster on purpose: not a failure.
 */
export function isDown(node: Pick<TopologyNode, 'liveness'>): boolean {
  const state: string = node.liveness;
  return isPartitioned(node) || (!UP.has(state) && state !== 'decommissioned');
}

/** Cut off by a region partition (a flag the model may carry beside the liveness it reads). */
export function isPartitioned(node: Pick<TopologyNode, 'liveness'>): boolean {
  return (node as { partitioned?: unknown }).partitioned === true || (node.liveness as string) === 'partitioned';
}

export function downNodes(nodes: readonly TopologyNode[]): Set<number> {
  return new Set(nodes.filter(isDown).map((n) => n.id));
}

/** The nodes a failure domain takes down (decommissioned nodes hold nothing and are left out). */
export function nodesOf(nodes: readonly TopologyNode[], domain: FailureDomain): number[] {
  return nodes
    .filter((n) => n.liveness !== 'decommissioned')
    .filter((n) =>
      domain.kind === 'node'
        ? n.id === domain.nodeId
        : domain.kind === 'zone'
          ? n.region === domain.region && n.zone === domain.zone
          : n.region === domain.region,
    )
    .map((n) => n.id);
}

export function domainName(domain: FailureDomain): string {
  if (domain.kind === 'node') return `n${domain.nodeId}`;
  if (domain.kind === 'zone') return `zone ${domain.region}/${domain.zone}`;
  return domain.region;
}

/** A majority of the range's voters are on nodes that are not down (a range without voters is not judged). */
export function hasQuorum(range: Pick<TopologyRange, 'replicas'>, down: ReadonlySet<number>): boolean {
  let voters = 0;
  let up = 0;
  for (const r of range.replicas) {
    if (r.type !== 'voter') continue;
    voters++;
    if (!down.has(r.nodeId)) up++;
  }
  return voters === 0 || up * 2 > voters;
}

export interface CountedFailure {
  domain: FailureDomain;
  nodes: number[];
  /** E.g. `n9 dead`, `us-east1 partitioned (all 3 nodes)`, `zone us-west1/b down (2 nodes)`. */
  text: string;
}

function stateWord(nodes: readonly TopologyNode[]): string {
  if (nodes.every(isPartitioned)) return 'partitioned';
  return nodes.every((n) => n.liveness === 'dead') ? 'dead' : 'down';
}

/**
 * The current failures as whole failure domains: a region whose every node is down is one failure,
 * so is a zone (of more than one node) in a region that still has nodes up; any other down node is
 * a failure of its own.
 */
export function countFailures(nodes: readonly TopologyNode[]): CountedFailure[] {
  const members = nodes.filter((n) => n.liveness !== 'decommissioned');
  const down = members.filter(isDown);
  const out: CountedFailure[] = [];
  const claimed = new Set<number>();
  const regions = [...new Set(down.map((n) => n.region))].sort();
  for (const region of regions) {
    const all = members.filter((n) => n.region === region);
    if (region === '' || all.length < 2 || !all.every(isDown)) continue;
    for (const n of all) claimed.add(n.id);
    out.push({
      domain: { kind: 'region', region },
      nodes: all.map((n) => n.id),
      text: `${region} ${stateWord(all)} (all ${all.length} nodes)`,
    });
  }
  const zones = [...new Set(down.filter((n) => !claimed.has(n.id) && n.zone !== '').map((n) => `${n.region}\u0000${n.zone}`))].sort();
  for (const key of zones) {
    const [region = '', zone = ''] = key.split('\u0000');
    const all = members.filter((n) => n.region === region && n.zone === zone);
    if (all.length < 2 || !all.every(isDown)) continue;
    for (const n of all) claimed.add(n.id);
    out.push({
      domain: { kind: 'zone', region, zone },
      nodes: all.map((n) => n.id),
      text: `zone ${region}/${zone} ${stateWord(all)} (${all.length} nodes)`,
    });
  }
  for (const n of down) {
    if (claimed.has(n.id)) continue;
    out.push({ domain: { kind: 'node', nodeId: n.id }, nodes: [n.id], text: `n${n.id} ${stateWord([n])}` });
  }
  return out;
}

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

function countWord(n: number, noun: string): string {
  return `${NUMBER_WORDS[n] ?? String(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** The survival goal in words: what the database is placed to survive. */
export function goalText(goal: 'zone' | 'region' | undefined, database: string, regions: number): string {
  if (goal === 'region')
    return `${database} survives the loss of one region: 5 voters per range spread over ${regions} regions, so a majority outlives any one region`;
  if (goal === 'zone') return `${database} survives the loss of one availability zone: 3 voters per range in its home region, one per zone`;
  return `${database} is not multi-region: each range keeps its replication factor's voters (3 by default), which survive one node`;
}

/** Whether the counted failures are within what the goal survives, in one sentence. */
function verdictText(goal: 'zone' | 'region' | undefined, failures: readonly CountedFailure[]): string {
  if (failures.length === 0) return 'no failures now';
  const list = failures.map((f) => f.text).join(' + ');
  const tolerated = goal === 'region' ? 'one region' : goal === 'zone' ? 'one zone' : 'one node';
  const n = countWord(failures.length, 'failure');
  const tooBig =
    (goal === 'zone' && failures.some((f) => f.domain.kind === 'region')) ||
    (goal === undefined && failures.some((f) => f.domain.kind !== 'node'));
  if (failures.length > 1) return `${list}: ${n}; the goal survives ${tolerated}`;
  if (tooBig) return `${list}: more than the goal survives (${tolerated})`;
  return `${list}: ${n}, within the goal (${tolerated})`;
}

function tableKey(range: TopologyRange): string {
  return range.table === undefined ? '' : `${range.database ?? ''}.${range.table}`;
}

/** Per database: its goal, the failures counted against it, and the ranges that lost quorum because of them. */
export function survivalReports(model: Pick<TopologyModel, 'nodes' | 'databases' | 'ranges'>): SurvivalReport[] {
  const down = downNodes(model.nodes);
  const failures = countFailures(model.nodes);
  return model.databases.map((db) => {
    let ranges = 0;
    const lost = new Map<string, number>();
    let lostRanges = 0;
    for (const r of model.ranges) {
      if (r.database !== db.name) continue;
      ranges++;
      if (hasQuorum(r, down)) continue;
      lostRanges++;
      lost.set(r.table ?? '', (lost.get(r.table ?? '') ?? 0) + 1);
    }
    const report: SurvivalReport = {
      database: db.name,
      goal: goalText(db.survivalGoal, db.name, db.regions.length),
      failures: failures.map((f) => f.text),
      verdict: verdictText(db.survivalGoal, failures),
      ranges,
      rangesWithoutQuorum: lostRanges,
      tablesWithoutQuorum: [...lost.keys()].filter((t) => t !== '').sort(),
    };
    if (db.survivalGoal !== undefined) report.survivalGoal = db.survivalGoal;
    return report;
  });
}

/** How many range ids a what-if lists by name; the rest are counted. */
const LISTED_RANGES = 50;

/**
 * What failing `domain` now would cost, on top of the failures there already are: the ranges that
 * have quorum now and would lose it, grouped by table, and the ranges that already lack it.
 */
export function whatIf(model: Pick<TopologyModel, 'nodes' | 'ranges'>, domain: FailureDomain): WhatIfResult {
  const downNow = downNodes(model.nodes);
  const failing = nodesOf(model.nodes, domain);
  const downAfter = new Set([...downNow, ...failing]);
  const tables = new Map<string, WhatIfTable>();
  const lost: number[] = [];
  let lostCount = 0;
  let alreadyLost = 0;
  for (const r of model.ranges) {
    if (!hasQuorum(r, downNow)) {
      alreadyLost++;
      continue;
    }
    if (hasQuorum(r, downAfter)) continue;
    lostCount++;
    if (lost.length < LISTED_RANGES) lost.push(r.rangeId);
    const key = tableKey(r);
    const entry = tables.get(key) ?? { database: r.database ?? '', table: r.table ?? '', ranges: 0 };
    entry.ranges++;
    tables.set(key, entry);
  }
  const already = [...downNow].filter((id) => !failing.includes(id));
  const sorted = [...tables.values()].sort((a, b) => a.database.localeCompare(b.database) || a.table.localeCompare(b.table));
  const name = domainName(domain);
  let summary: string;
  if (failing.length === 0) summary = `${name} has no nodes in the cluster`;
  else if (lostCount === 0)
    summary = `If ${name} failed${already.length > 0 ? ` (with ${already.map((id) => `n${id}`).join(', ')} already down)` : ''}, every range would keep quorum`;
  else {
    const named = sorted.filter((t) => t.table !== '').map((t) => `${t.database}.${t.table}`);
    summary =
      `If ${name} failed${already.length > 0 ? ` (with ${already.map((id) => `n${id}`).join(', ')} already down)` : ''}, ` +
      `${lostCount} range${lostCount === 1 ? '' : 's'} would lose quorum` +
      (named.length > 0 ? `: ${named.join(', ')} would become unavailable` : '');
  }
  return {
    domain,
    failingNodes: failing,
    alreadyDown: already,
    rangesLosingQuorum: lostCount,
    rangeIds: lost,
    tables: sorted,
    alreadyUnavailable: alreadyLost,
    summary,
  };
}
