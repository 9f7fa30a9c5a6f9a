// The topology view's derived views, free of the DOM so they can be unit-tested in Node: what the
// filters leave, per-node counts (summed from the host's per-group counts) and replica marks (from
// the selected ranges, while the host sends them), where a table's partitions live, the survival
// goal in words, and what changed between two pictures (for the animation and the live region).
import type {
  NodeLiveness,
  RowCountSource,
  TopologyDatabase,
  TopologyGroup,
  TopologyHead,
  TopologyNode,
  TopologyRange,
  TopologyReplica,
  TopologySelection,
  TopologyTable,
  TopologyToWebview,
  TopologyView,
} from '../../../protocol/src/topology';
import { inSelection } from '../../../protocol/src/topologyView';

// ---- Messages ----

const livenessValues: readonly string[] = ['live', 'suspect', 'dead', 'decommissioning', 'decommissioned'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Only the arrays the view walks are checked; a head that fails this would throw mid-draw. */
function isHead(value: unknown): value is TopologyHead {
  if (!isRecord(value)) return false;
  const arrays = ['regions', 'nodes', 'databases', 'tables', 'missing'] as const;
  if (!arrays.every((key) => Array.isArray(value[key]))) return false;
  const nodes = value['nodes'] as unknown[];
  return nodes.every((n) => isRecord(n) && typeof n['id'] === 'number' && livenessValues.includes(n['liveness'] as string));
}

function isRanges(value: unknown): boolean {
  return Array.isArray(value) && value.every((r) => isRecord(r) && typeof r['rangeId'] === 'number' && Array.isArray(r['replicas']));
}

function isView(value: unknown): value is TopologyView {
  return (
    isRecord(value) &&
    typeof value['version'] === 'number' &&
    isHead(value['head']) &&
    Array.isArray(value['groups']) &&
    isRecord(value['counts']) &&
    Array.isArray(value['links']) &&
    (value['ranges'] === undefined || isRanges(value['ranges']))
  );
}

function isDiff(value: unknown): boolean {
  if (!isRecord(value) || typeof value['from'] !== 'number' || typeof value['to'] !== 'number' || !Array.isArray(value['counts']))
    return false;
  if (value['head'] !== undefined && !isHead(value['head'])) return false;
  const ranges = value['ranges'];
  return ranges === undefined || ranges === null || (isRecord(ranges) && isRanges(ranges['upsert']) && Array.isArray(ranges['remove']));
}

export function parseHostMessage(data: unknown): TopologyToWebview | undefined {
  if (!isRecord(data)) return undefined;
  switch (data['type']) {
    case 'snapshot':
      return isView(data['view']) ? (data as TopologyToWebview) : undefined;
    case 'diff':
      return isDiff(data['diff']) ? (data as TopologyToWebview) : undefined;
    case 'error':
      return typeof data['message'] === 'string' ? (data as TopologyToWebview) : undefined;
    case 'controls':
      return typeof data['enabled'] === 'boolean' ? (data as TopologyToWebview) : undefined;
    case 'control-result':
      return typeof data['ok'] === 'boolean' && (data['message'] === undefined || typeof data['message'] === 'string')
        ? (data as TopologyToWebview)
        : undefined;
    case 'rows-counted':
      return typeof data['database'] === 'string' &&
        typeof data['table'] === 'string' &&
        typeof data['ok'] === 'boolean' &&
        (data['message'] === undefined || typeof data['message'] === 'string')
        ? (data as TopologyToWebview)
        : undefined;
    case 'node-ranges': {
      const p = data['page'];
      return isRecord(p) &&
        typeof p['nodeId'] === 'number' &&
        typeof p['offset'] === 'number' &&
        typeof p['total'] === 'number' &&
        isRecord(p['selection']) &&
        isRanges(p['ranges'])
        ? (data as TopologyToWebview)
        : undefined;
    }
    default:
      return undefined;
  }
}

// ---- Words and numbers ----

const numberFormat = new Intl.NumberFormat('en-US');

export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${numberFormat.format(n)} ${n === 1 ? noun : plural}`;
}

export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

/** A partition's rows: `≈ 1,200 rows` when estimated from statistics, `1,234 rows` when counted. */
export function rowsText(rows: number, from: RowCountSource | undefined): string {
  return `${from?.how === 'estimated' ? '≈ ' : ''}${count(rows, 'row')}`;
}

/** Where a table's row figures come from, in one sentence (undefined when it has none). */
export function rowsSourceText(from: RowCountSource | undefined): string | undefined {
  if (from === undefined) return undefined;
  const when = new Date(from.at).toLocaleTimeString();
  return from.how === 'counted'
    ? `Rows counted at ${when} (exact then; rows written since are not in them).`
    : `Rows estimated (≈) from the table statistics collected at ${when}, shared out by the size of each partition’s ranges; not a count.`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? String(value) : value.toFixed(value < 10 ? 1 : 0)} ${units[unit] ?? 'B'}`;
}

export const livenessText: Record<NodeLiveness, string> = {
  live: 'live',
  suspect: 'suspect',
  dead: 'dead',
  decommissioning: 'decommissioning',
  decommissioned: 'decommissioned',
};

/** A glyph per state, so liveness never rests on colour alone. */
export const livenessIcon: Record<NodeLiveness, string> = {
  live: '✓',
  suspect: '?',
  dead: '✕',
  decommissioning: '⇣',
  decommissioned: '⊘',
};

export function nodeName(id: number): string {
  return `n${id}`;
}

/** `movr.rides@rides_pkey`, or what there is of it. */
export function rangeOwner(range: TopologyRange): string {
  if (range.table === undefined) return range.database ?? 'system';
  const table = range.database === undefined ? range.table : `${range.database}.${range.table}`;
  return range.index === undefined ? table : `${table}@${range.index}`;
}

/** What the bar and the live region call the cluster. */
export function targetName(model: TopologyHead): string {
  return model.simulated ? 'Simulated cluster' : model.target;
}

// ---- Filters ----

/** What the view shows: a database, table, index or REGIONAL BY ROW partition; everything when empty. */
export type Filter = TopologySelection;

export interface FilterOptions {
  databases: string[];
  /** Tables of the chosen database (none before one is chosen). */
  tables: string[];
  /** Indexes of the chosen table. */
  indexes: string[];
  /** Region partitions of the chosen table (a REGIONAL BY ROW one). */
  partitions: string[];
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b));
}

export function filterOptions(view: TopologyView, filter: Filter): FilterOptions {
  const head = view.head;
  const databases = new Set<string>(head.databases.map((d) => d.name));
  const tables = new Set<string>();
  const indexes = new Set<string>();
  const partitions = new Set<string>();
  for (const t of head.tables) {
    databases.add(t.database);
    if (t.database !== filter.database) continue;
    tables.add(t.name);
    if (t.name === filter.table) for (const p of t.partitions ?? []) partitions.add(p.region);
  }
  for (const g of view.groups) {
    if (g.database === undefined) continue;
    databases.add(g.database);
    if (g.database !== filter.database || g.table === undefined) continue;
    tables.add(g.table);
    if (g.table !== filter.table) continue;
    if (g.index !== undefined) indexes.add(g.index);
    if (g.partition !== undefined && (filter.index === undefined || g.index === filter.index)) partitions.add(g.partition);
  }
  return { databases: sorted(databases), tables: sorted(tables), indexes: sorted(indexes), partitions: sorted(partitions) };
}

/** Drops the parts of a remembered filter the view no longer has (a dropped table, a remembered database). */
export function normalizeFilter(view: TopologyView, filter: Filter): Filter {
  const rangeId = filter.rangeId;
  if (rangeId !== undefined) {
    // A single range stays selected while the view may hold it; one merged away gives way to its group.
    if (view.selection.rangeId === rangeId || view.ranges === undefined || view.ranges.some((r) => r.rangeId === rangeId)) return filter;
    const { rangeId: _gone, ...group } = filter;
    return normalizeFilter(view, group);
  }
  const database = filter.database;
  if (database === undefined) return {};
  const first = filterOptions(view, { database });
  if (!first.databases.includes(database)) return {};
  const table = filter.table;
  if (table === undefined || !first.tables.includes(table)) return { database };
  const out: Filter = { database, table };
  const options = filterOptions(view, out);
  if (filter.index !== undefined && options.indexes.includes(filter.index)) out.index = filter.index;
  if (filter.partition !== undefined && filterOptions(view, out).partitions.includes(filter.partition)) out.partition = filter.partition;
  return out;
}

export function filterRanges(ranges: readonly TopologyRange[], filter: Filter): TopologyRange[] {
  if (filter.database === undefined) return ranges.slice();
  return ranges.filter((r) => inSelection(filter, r));
}

export function sameFilter(a: Filter, b: Filter): boolean {
  return a.database === b.database && a.table === b.table && a.index === b.index && a.partition === b.partition && a.rangeId === b.rangeId;
}

/** `outer` holds every range `inner` does (each part it names, inner names the same). */
function covers(outer: Filter, inner: Filter): boolean {
  return (['database', 'table', 'index', 'partition', 'rangeId'] as const).every((k) => outer[k] === undefined || outer[k] === inner[k]);
}

/** The filter's ranges when the page has them (the host sends them while they are few), else undefined: drawn as density. */
export function rangesFor(view: TopologyView, filter: Filter): TopologyRange[] | undefined {
  if (view.ranges === undefined || !covers(view.selection, filter)) return undefined;
  return filterRanges(view.ranges, filter);
}

/** Groups the filter holds. */
export function groupsFor(view: TopologyView, filter: Filter): TopologyGroup[] {
  return view.groups.filter((g) => inSelection(filter, g));
}

/** Leaseholder node → follower node links of the filter, with how many ranges draw each. */
export function linksFor(view: TopologyView, filter: Filter, ranges: readonly TopologyRange[] | undefined): [number, number, number][] {
  if (ranges === undefined) return sameFilter(view.selection, filter) ? view.links : [];
  return linksOf(ranges);
}

export function linksOf(ranges: readonly TopologyRange[]): [number, number, number][] {
  const pairs = new Map<string, [number, number, number]>();
  for (const r of ranges) {
    const lh = r.leaseholder;
    if (lh === undefined) continue;
    for (const replica of r.replicas) {
      if (replica.nodeId === lh) continue;
      const key = `${lh}>${replica.nodeId}`;
      const pair = pairs.get(key);
      if (pair) pair[2]++;
      else pairs.set(key, [lh, replica.nodeId, 1]);
    }
  }
  return [...pairs.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

// ---- Per node: counts and marks ----

/** The Raft leader, which CockroachDB keeps with the leaseholder unless the cluster says otherwise. */
export function raftLeaderOf(range: TopologyRange): number | undefined {
  return range.raftLeader ?? range.leaseholder;
}

/** How a replica is drawn, in drawing order: what needs attention first. */
export type MarkKind = 'unavailable' | 'lease' | 'voter' | 'non-voter' | 'learner';
export const markKinds: readonly MarkKind[] = ['unavailable', 'lease', 'voter', 'non-voter', 'learner'];

export function markKind(range: TopologyRange, replica: TopologyReplica): MarkKind {
  if (!range.available) return 'unavailable';
  if (range.leaseholder === replica.nodeId) return 'lease';
  return replica.type;
}

export interface NodeCounts {
  replicas: number;
  voters: number;
  nonVoters: number;
  learners: number;
  leases: number;
  /** Ranges whose Raft leader is here while the lease is elsewhere. */
  leaderWithoutLease: number;
  unavailable: number;
  sizeBytes: number;
}

export interface NodeSummary {
  counts: NodeCounts;
  /** Range ids per mark kind, each ascending: the node's marks are these in `markKinds` order. */
  marks: Record<MarkKind, number[]>;
}

function emptySummary(): NodeSummary {
  return {
    counts: { replicas: 0, voters: 0, nonVoters: 0, learners: 0, leases: 0, leaderWithoutLease: 0, unavailable: 0, sizeBytes: 0 },
    marks: { unavailable: [], lease: [], voter: [], 'non-voter': [], learner: [] },
  };
}

function byRangeId(ranges: readonly TopologyRange[]): readonly TopologyRange[] {
  for (let i = 1; i < ranges.length; i++)
    if ((ranges[i - 1] as TopologyRange).rangeId > (ranges[i] as TopologyRange).rangeId)
      return ranges.slice().sort((a, b) => a.rangeId - b.rangeId);
  return ranges;
}

/** Per-node numbers of the filter's groups, summed from the view's counts (no ranges needed). */
export function countsFor(view: TopologyView, filter: Filter): Map<number, NodeSummary> {
  const summaries = new Map<number, NodeSummary>();
  for (const n of view.head.nodes) summaries.set(n.id, emptySummary());
  for (const g of groupsFor(view, filter)) {
    for (const [node, values] of Object.entries(view.counts[g.key] ?? {})) {
      const id = Number(node);
      let s = summaries.get(id);
      if (!s) summaries.set(id, (s = emptySummary()));
      const c = s.counts;
      c.replicas += values[0] ?? 0;
      c.voters += values[1] ?? 0;
      c.nonVoters += values[2] ?? 0;
      c.learners += values[3] ?? 0;
      c.leases += values[4] ?? 0;
      c.leaderWithoutLease += values[5] ?? 0;
      c.unavailable += values[6] ?? 0;
      c.sizeBytes += values[7] ?? 0;
    }
  }
  return summaries;
}

/** One pass over the replicas: a summary for every node of the model (and any a range names). */
export function summarizeNodes(nodes: readonly TopologyNode[], ranges: readonly TopologyRange[]): Map<number, NodeSummary> {
  const summaries = new Map<number, NodeSummary>();
  for (const n of nodes) summaries.set(n.id, emptySummary());
  // The hot loop of a 5,000-range model (tens of thousands of replicas): kept plain.
  for (const range of byRangeId(ranges)) {
    const leader = raftLeaderOf(range);
    const { leaseholder, available, rangeId } = range;
    const size = range.sizeBytes ?? 0;
    for (const replica of range.replicas) {
      const nodeId = replica.nodeId;
      let s = summaries.get(nodeId);
      if (!s) summaries.set(nodeId, (s = emptySummary()));
      const c = s.counts;
      c.replicas++;
      c.sizeBytes += size;
      if (replica.type === 'voter') c.voters++;
      else if (replica.type === 'non-voter') c.nonVoters++;
      else c.learners++;
      if (leaseholder === nodeId) c.leases++;
      else if (leader === nodeId) c.leaderWithoutLease++;
      if (!available) {
        c.unavailable++;
        s.marks.unavailable.push(rangeId);
      } else if (leaseholder === nodeId) s.marks.lease.push(rangeId);
      else if (replica.type === 'voter') s.marks.voter.push(rangeId);
      else if (replica.type === 'non-voter') s.marks['non-voter'].push(rangeId);
      else s.marks.learner.push(rangeId);
    }
  }
  return summaries;
}

/** The position of a range's mark among a node's marks, or -1. */
export function markIndex(summary: NodeSummary, kind: MarkKind, rangeId: number): number {
  let offset = 0;
  for (const k of markKinds) {
    const list = summary.marks[k];
    if (k === kind) {
      const at = binarySearch(list, rangeId);
      return at < 0 ? -1 : offset + at;
    }
    offset += list.length;
  }
  return -1;
}

/** The range and kind of the mark at `index` among a node's marks. */
export function markAt(summary: NodeSummary, index: number): { rangeId: number; kind: MarkKind } | undefined {
  if (index < 0) return undefined;
  let offset = 0;
  for (const kind of markKinds) {
    const list = summary.marks[kind];
    if (index < offset + list.length) return { rangeId: list[index - offset] as number, kind };
    offset += list.length;
  }
  return undefined;
}

function binarySearch(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = list[mid] as number;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

// ---- Regions and zones ----

export interface ZoneView {
  name: string;
  nodes: TopologyNode[];
}

export interface RegionView {
  name: string;
  zones: ZoneView[];
}

/** Regions in the model's order with their zones; nodes whose region or zone is not listed still get one. */
export function regionViews(model: Pick<TopologyHead, 'regions' | 'nodes'>): RegionView[] {
  const regions = new Map<string, Map<string, TopologyNode[]>>();
  const zonesOf = (region: string): Map<string, TopologyNode[]> => {
    let zones = regions.get(region);
    if (!zones) regions.set(region, (zones = new Map<string, TopologyNode[]>()));
    return zones;
  };
  for (const r of model.regions) {
    const zones = zonesOf(r.name);
    for (const z of r.zones) if (!zones.has(z)) zones.set(z, []);
  }
  for (const node of [...model.nodes].sort((a, b) => a.id - b.id)) {
    const zones = zonesOf(node.region);
    const list = zones.get(node.zone);
    if (list) list.push(node);
    else zones.set(node.zone, [node]);
  }
  return [...regions].map(([name, zones]) => ({ name, zones: [...zones].map(([zone, nodes]) => ({ name: zone, nodes })) }));
}

// ---- Databases: survival goal and placement ----

export function isMultiRegion(db: TopologyDatabase): boolean {
  return db.primaryRegion !== undefined || db.survivalGoal !== undefined || db.regions.length > 0;
}

export function survivalText(db: TopologyDatabase): string {
  if (!isMultiRegion(db)) return `${db.name} is not a multi-region database.`;
  switch (db.survivalGoal) {
    case 'zone':
      return `${db.name} survives the loss of one zone.`;
    case 'region':
      return `${db.name} survives the loss of one region.`;
    default:
      return `${db.name} is multi-region; its survival goal could not be read.`;
  }
}

/** Regions, and the nodes in each, that hold something: `us-east1 (n1, n2)`. */
export interface Where {
  region: string;
  nodes: number[];
}

export function whereText(where: readonly Where[]): string {
  if (where.length === 0) return 'none';
  return where.map((w) => `${w.region} (${w.nodes.map(nodeName).join(', ')})`).join('; ');
}

export interface Placement {
  ranges: number;
  voters: Where[];
  nonVoters: Where[];
  leaseholders: Where[];
}

export interface PartitionPlacement extends Placement {
  region: string;
  rows?: number;
  /** Every leaseholder of the partition is in its own region (reads there are local). */
  leasesAtHome: boolean;
  /** Every voter is in its own region (writes there are local: zone survival). */
  votersAtHome: boolean;
}

export interface TablePlacement {
  table: TopologyTable;
  /** Where its leaseholders should be: a REGIONAL BY TABLE's home region, a GLOBAL table's primary region. */
  homeRegion?: string;
  placement: Placement;
  /** Per region partition of a REGIONAL BY ROW table, in the table's order. */
  partitions: PartitionPlacement[];
}

class WhereBuilder {
  private readonly byRegion = new Map<string, Set<number>>();
  add(region: string, nodeId: number): void {
    let set = this.byRegion.get(region);
    if (!set) this.byRegion.set(region, (set = new Set()));
    set.add(nodeId);
  }
  build(regionOrder: readonly string[]): Where[] {
    const rank = (r: string): number => {
      const at = regionOrder.indexOf(r);
      return at < 0 ? regionOrder.length : at;
    };
    return [...this.byRegion]
      .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
      .map(([region, nodes]) => ({ region, nodes: [...nodes].sort((a, b) => a - b) }));
  }
}

function placementOf(
  groups: readonly TopologyGroup[],
  view: TopologyView,
  regionOf: (nodeId: number) => string,
  regionOrder: readonly string[],
): Placement {
  const voters = new WhereBuilder();
  const nonVoters = new WhereBuilder();
  const leaseholders = new WhereBuilder();
  let ranges = 0;
  for (const g of groups) {
    ranges += g.ranges;
    for (const [node, values] of Object.entries(view.counts[g.key] ?? {})) {
      const id = Number(node);
      if ((values[1] ?? 0) > 0) voters.add(regionOf(id), id);
      if ((values[2] ?? 0) + (values[3] ?? 0) > 0) nonVoters.add(regionOf(id), id);
      if ((values[4] ?? 0) > 0) leaseholders.add(regionOf(id), id);
    }
  }
  return {
    ranges,
    voters: voters.build(regionOrder),
    nonVoters: nonVoters.build(regionOrder),
    leaseholders: leaseholders.build(regionOrder),
  };
}

export function regionLookup(model: Pick<TopologyHead, 'nodes'>): (nodeId: number) => string {
  const regions = new Map(model.nodes.map((n) => [n.id, n.region]));
  return (nodeId) => regions.get(nodeId) ?? '?';
}

export function tablePlacement(view: TopologyView, table: TopologyTable): TablePlacement {
  const head = view.head;
  const db = head.databases.find((d) => d.name === table.database);
  const regionOrder = db?.regions ?? head.regions.map((r) => r.name);
  const regionOf = regionLookup(head);
  const groups = view.groups.filter((g) => g.database === table.database && g.table === table.name);
  let homeRegion: string | undefined;
  if (table.locality === 'regional-by-table') homeRegion = table.homeRegion ?? db?.primaryRegion;
  else if (table.locality === 'global') homeRegion = db?.primaryRegion;

  const partitions: PartitionPlacement[] = [];
  if (table.locality === 'regional-by-row') {
    const names = (table.partitions ?? []).map((p) => p.region);
    for (const g of groups) if (g.partition !== undefined && !names.includes(g.partition)) names.push(g.partition);
    for (const region of names) {
      const own = groups.filter((g) => g.partition === region);
      const placement = placementOf(own, view, regionOf, regionOrder);
      const rows = table.partitions?.find((p) => p.region === region)?.rows;
      partitions.push({
        region,
        ...(rows === undefined ? {} : { rows }),
        ...placement,
        leasesAtHome: placement.ranges > 0 && placement.leaseholders.every((w) => w.region === region),
        votersAtHome: placement.ranges > 0 && placement.voters.every((w) => w.region === region),
      });
    }
  }
  return {
    table,
    ...(homeRegion === undefined ? {} : { homeRegion }),
    placement: placementOf(groups, view, regionOf, regionOrder),
    partitions,
  };
}

export function localityLabel(table: TopologyTable): string {
  if (table.localityText !== undefined) return table.localityText;
  switch (table.locality) {
    case 'global':
      return 'GLOBAL';
    case 'regional-by-row':
      return 'REGIONAL BY ROW';
    case 'regional-by-table':
      return table.homeRegion === undefined ? 'REGIONAL BY TABLE' : `REGIONAL BY TABLE IN "${table.homeRegion}"`;
    default:
      return 'no locality';
  }
}

// ---- What changed ----

export interface LivenessChange {
  nodeId: number;
  /** Undefined: the node joined. */
  from?: NodeLiveness;
  /** Undefined: the node is gone from the model. */
  to?: NodeLiveness;
}

export interface LeaseMove {
  rangeId: number;
  from: number;
  to: number;
}

export interface ModelDiff {
  liveness: LivenessChange[];
  /** Moved leases, one by one while the page has the ranges (empty in the density view). */
  movedLeases: LeaseMove[];
  /** How many leases moved: from the ranges, else the leases nodes gained. */
  leasesMoved: number;
  /** Leases gained minus leases lost, per node. */
  leaseDelta: Map<number, number>;
  /** Ranges that became unavailable, and available again (counted from per-node totals in the density view). */
  becameUnavailable: number;
  becameAvailable: number;
}

export function emptyDiff(): ModelDiff {
  return { liveness: [], movedLeases: [], leasesMoved: 0, leaseDelta: new Map(), becameUnavailable: 0, becameAvailable: 0 };
}

/** Two readings of the same cluster: compare. A reading of another target is a new picture, not a change. */
export function sameCluster(previous: Pick<TopologyHead, 'target'>, next: Pick<TopologyHead, 'target'>): boolean {
  return previous.target === next.target;
}

export function diffNodes(previous: readonly TopologyNode[], next: readonly TopologyNode[]): LivenessChange[] {
  const before = new Map(previous.map((n) => [n.id, n.liveness]));
  const changes: LivenessChange[] = [];
  for (const n of next) {
    const was = before.get(n.id);
    if (was !== n.liveness)
      changes.push(was === undefined ? { nodeId: n.id, to: n.liveness } : { nodeId: n.id, from: was, to: n.liveness });
    before.delete(n.id);
  }
  for (const [nodeId, from] of before) changes.push({ nodeId, from });
  return changes.sort((a, b) => a.nodeId - b.nodeId);
}

export function diffRanges(
  previous: readonly TopologyRange[],
  next: readonly TopologyRange[],
): { movedLeases: LeaseMove[]; becameUnavailable: number[]; becameAvailable: number[] } {
  const before = new Map(previous.map((r) => [r.rangeId, r]));
  const movedLeases: LeaseMove[] = [];
  const becameUnavailable: number[] = [];
  const becameAvailable: number[] = [];
  for (const r of next) {
    const was = before.get(r.rangeId);
    if (!was) continue;
    if (was.available && !r.available) becameUnavailable.push(r.rangeId);
    else if (!was.available && r.available) becameAvailable.push(r.rangeId);
    if (was.leaseholder !== r.leaseholder && was.leaseholder !== undefined && r.leaseholder !== undefined)
      movedLeases.push({ rangeId: r.rangeId, from: was.leaseholder, to: r.leaseholder });
  }
  return { movedLeases, becameUnavailable, becameAvailable };
}

/** What the page shows of one version: enough to say what changed on the next. */
export interface Shown {
  head: TopologyHead;
  summaries: Map<number, NodeSummary>;
  /** The shown ranges, when the page has them. */
  ranges?: readonly TopologyRange[];
  /** Unavailable ranges among the shown. */
  unavailable: number;
}

/** What changed between two pictures of the same cluster under the same filter. */
export function diffShown(previous: Shown, next: Shown): ModelDiff {
  const leaseDelta = new Map<number, number>();
  for (const [id, s] of next.summaries) {
    const d = s.counts.leases - (previous.summaries.get(id)?.counts.leases ?? 0);
    if (d !== 0) leaseDelta.set(id, d);
  }
  for (const [id, s] of previous.summaries) if (!next.summaries.has(id) && s.counts.leases > 0) leaseDelta.set(id, -s.counts.leases);
  const diff: ModelDiff = { ...emptyDiff(), liveness: diffNodes(previous.head.nodes, next.head.nodes), leaseDelta };
  if (previous.ranges !== undefined && next.ranges !== undefined) {
    const r = diffRanges(previous.ranges, next.ranges);
    diff.movedLeases = r.movedLeases;
    diff.leasesMoved = r.movedLeases.length;
    diff.becameUnavailable = r.becameUnavailable.length;
    diff.becameAvailable = r.becameAvailable.length;
  } else {
    // Without the ranges: leases gained is a floor on leases moved; unavailable from the totals.
    for (const d of leaseDelta.values()) if (d > 0) diff.leasesMoved += d;
    const change = next.unavailable - previous.unavailable;
    if (change > 0) diff.becameUnavailable = change;
    else diff.becameAvailable = -change;
  }
  return diff;
}

function livenessPhrase(change: LivenessChange): string {
  const name = `node ${change.nodeId}`;
  if (change.from === undefined) return `${name} joined (${change.to ?? 'live'})`;
  if (change.to === undefined) return `${name} is no longer listed`;
  if (change.to === 'live') return `${name} is live again`;
  return `${name} is ${livenessText[change.to]}`;
}

/** What the live region says after an update: "node 2 is dead; 12 leases moved". Empty when nothing changed. */
export function changeAnnouncement(diff: ModelDiff): string {
  const parts = diff.liveness.map(livenessPhrase);
  if (diff.leasesMoved > 0) parts.push(`${count(diff.leasesMoved, 'lease')} moved`);
  if (diff.becameUnavailable > 0) parts.push(`${count(diff.becameUnavailable, 'range')} unavailable`);
  if (diff.becameAvailable > 0) parts.push(`${count(diff.becameAvailable, 'range')} available again`);
  return parts.join('; ');
}

/** What the live region says for a first picture. */
export function modelAnnouncement(head: TopologyHead, shownRanges: number, unavailable: number): string {
  if (head.notCockroachDb !== undefined) return head.notCockroachDb;
  const parts = [
    `${targetName(head)}: ${count(head.nodes.length, 'node')} in ${count(regionViews(head).length, 'region')}`,
    count(shownRanges, 'range'),
  ];
  if (unavailable > 0) parts.push(`${count(unavailable, 'range')} unavailable`);
  return parts.join(', ');
}

/** Which control a node's state allows (a decommissioned node cannot rejoin the cluster). */
export function nodeActions(liveness: NodeLiveness): ('kill' | 'restart' | 'decommission' | 'recommission')[] {
  switch (liveness) {
    case 'live':
      return ['kill', 'decommission'];
    case 'suspect':
      return ['kill', 'restart', 'decommission'];
    case 'dead':
      return ['restart', 'decommission'];
    case 'decommissioning':
      return ['kill', 'recommission'];
    case 'decommissioned':
      return [];
  }
}

/** Words for each region's header: the selected database's primary region, a REGIONAL BY ROW table's rows there. */
export function regionNotes(model: TopologyHead, filter: Filter): Map<string, string> {
  const notes = new Map<string, string[]>();
  const add = (region: string, note: string): void => {
    notes.set(region, [...(notes.get(region) ?? []), note]);
  };
  const db = model.databases.find((d) => d.name === filter.database);
  if (db?.primaryRegion !== undefined) add(db.primaryRegion, 'primary region');
  if (db?.secondaryRegion !== undefined) add(db.secondaryRegion, 'secondary region');
  const table = model.tables.find((t) => t.database === filter.database && t.name === filter.table);
  if (table?.locality === 'regional-by-row')
    for (const p of table.partitions ?? []) add(p.region, `${table.name}: ${rowsText(p.rows, table.rowsFrom)} here`);
  else if (table?.locality === 'regional-by-table' || table?.locality === 'global') {
    const home = table.locality === 'global' ? db?.primaryRegion : (table.homeRegion ?? db?.primaryRegion);
    if (home !== undefined) add(home, `home of ${table.name}`);
  }
  return new Map([...notes].map(([region, list]) => [region, list.join('  ·  ')]));
}

// ---- What the view remembers while hidden ----

export interface ViewMemory {
  filter: Filter;
  /** The node that has (or last had) the focus in the picture. */
  focusedNode?: number;
  details?: { kind: 'node' | 'range'; id: number; from?: number };
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function parseMemory(value: unknown): ViewMemory {
  if (!isRecord(value)) return { filter: {} };
  const f = isRecord(value['filter']) ? value['filter'] : {};
  const filter: Filter = {};
  const database = optionalString(f['database']);
  const table = optionalString(f['table']);
  const index = optionalString(f['index']);
  const partition = optionalString(f['partition']);
  if (typeof f['rangeId'] === 'number') {
    if (database !== undefined) filter.database = database;
    if (table !== undefined) filter.table = table;
    if (index !== undefined) filter.index = index;
    if (partition !== undefined) filter.partition = partition;
    filter.rangeId = f['rangeId'];
  } else if (database !== undefined) {
    filter.database = database;
    if (table !== undefined) {
      filter.table = table;
      if (index !== undefined) filter.index = index;
      if (partition !== undefined) filter.partition = partition;
    }
  }
  const memory: ViewMemory = { filter };
  if (typeof value['focusedNode'] === 'number') memory.focusedNode = value['focusedNode'];
  const d = value['details'];
  if (isRecord(d) && (d['kind'] === 'node' || d['kind'] === 'range') && typeof d['id'] === 'number') {
    memory.details = { kind: d['kind'], id: d['id'] };
    if (typeof d['from'] === 'number') memory.details.from = d['from'];
  }
  return memory;
}
