// The topology view's derived views, free of the DOM so they can be unit-tested in Node: what the
// filters leave, per-node counts and replica marks, where a table's partitions live, the survival
// goal in words, and what changed between two models (for the animation and the live region).
import type {
  NodeLiveness,
  TopologyDatabase,
  TopologyModel,
  TopologyNode,
  TopologyRange,
  TopologyReplica,
  TopologyTable,
  TopologyToWebview,
} from '../../../protocol/src/topology';

// ---- Messages ----

const livenessValues: readonly string[] = ['live', 'suspect', 'dead', 'decommissioning', 'decommissioned'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Only the arrays the view walks are checked; a model that fails this would throw mid-draw. */
function isModel(value: unknown): value is TopologyModel {
  if (!isRecord(value)) return false;
  const arrays = ['regions', 'nodes', 'databases', 'tables', 'ranges', 'missing'] as const;
  if (!arrays.every((key) => Array.isArray(value[key]))) return false;
  const nodes = value['nodes'] as unknown[];
  const ranges = value['ranges'] as unknown[];
  return (
    nodes.every((n) => isRecord(n) && typeof n['id'] === 'number' && livenessValues.includes(n['liveness'] as string)) &&
    ranges.every((r) => isRecord(r) && typeof r['rangeId'] === 'number' && Array.isArray(r['replicas']))
  );
}

export function parseHostMessage(data: unknown): TopologyToWebview | undefined {
  if (!isRecord(data)) return undefined;
  switch (data['type']) {
    case 'model':
      return isModel(data['model']) ? (data as TopologyToWebview) : undefined;
    case 'error':
      return typeof data['message'] === 'string' ? (data as TopologyToWebview) : undefined;
    case 'controls':
      return typeof data['enabled'] === 'boolean' ? (data as TopologyToWebview) : undefined;
    case 'control-result':
      return typeof data['ok'] === 'boolean' && (data['message'] === undefined || typeof data['message'] === 'string')
        ? (data as TopologyToWebview)
        : undefined;
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
export function targetName(model: TopologyModel): string {
  return model.simulated ? 'Simulated cluster' : model.target;
}

// ---- Filters ----

export interface Filter {
  database?: string;
  table?: string;
  index?: string;
}

export interface FilterOptions {
  databases: string[];
  /** Tables of the chosen database (none before one is chosen). */
  tables: string[];
  /** Indexes of the chosen table. */
  indexes: string[];
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b));
}

export function filterOptions(model: TopologyModel, filter: Filter): FilterOptions {
  const databases = new Set<string>(model.databases.map((d) => d.name));
  const tables = new Set<string>();
  const indexes = new Set<string>();
  for (const t of model.tables) {
    databases.add(t.database);
    if (t.database === filter.database) tables.add(t.name);
  }
  for (const r of model.ranges) {
    if (r.database === undefined) continue;
    databases.add(r.database);
    if (r.database !== filter.database || r.table === undefined) continue;
    tables.add(r.table);
    if (r.table === filter.table && r.index !== undefined) indexes.add(r.index);
  }
  return { databases: sorted(databases), tables: sorted(tables), indexes: sorted(indexes) };
}

/** Drops the parts of a filter the model no longer has (a dropped table, a remembered database). */
export function normalizeFilter(model: TopologyModel, filter: Filter): Filter {
  const database = filter.database;
  if (database === undefined) return {};
  const first = filterOptions(model, { database });
  if (!first.databases.includes(database)) return {};
  const table = filter.table;
  if (table === undefined || !first.tables.includes(table)) return { database };
  const index = filter.index;
  if (index === undefined || !filterOptions(model, { database, table }).indexes.includes(index)) return { database, table };
  return { database, table, index };
}

export function filterRanges(ranges: readonly TopologyRange[], filter: Filter): TopologyRange[] {
  const { database, table, index } = filter;
  if (database === undefined) return ranges.slice();
  return ranges.filter(
    (r) => r.database === database && (table === undefined || r.table === table) && (index === undefined || r.index === index),
  );
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
export function regionViews(model: TopologyModel): RegionView[] {
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

function placementOf(ranges: readonly TopologyRange[], regionOf: (nodeId: number) => string, regionOrder: readonly string[]): Placement {
  const voters = new WhereBuilder();
  const nonVoters = new WhereBuilder();
  const leaseholders = new WhereBuilder();
  for (const range of ranges) {
    for (const replica of range.replicas) (replica.type === 'voter' ? voters : nonVoters).add(regionOf(replica.nodeId), replica.nodeId);
    if (range.leaseholder !== undefined) leaseholders.add(regionOf(range.leaseholder), range.leaseholder);
  }
  return {
    ranges: ranges.length,
    voters: voters.build(regionOrder),
    nonVoters: nonVoters.build(regionOrder),
    leaseholders: leaseholders.build(regionOrder),
  };
}

export function regionLookup(model: TopologyModel): (nodeId: number) => string {
  const regions = new Map(model.nodes.map((n) => [n.id, n.region]));
  return (nodeId) => regions.get(nodeId) ?? '?';
}

export function tablePlacement(model: TopologyModel, table: TopologyTable): TablePlacement {
  const db = model.databases.find((d) => d.name === table.database);
  const regionOrder = db?.regions ?? model.regions.map((r) => r.name);
  const regionOf = regionLookup(model);
  const ranges = model.ranges.filter((r) => r.database === table.database && r.table === table.name);
  let homeRegion: string | undefined;
  if (table.locality === 'regional-by-table') homeRegion = table.homeRegion ?? db?.primaryRegion;
  else if (table.locality === 'global') homeRegion = db?.primaryRegion;

  const partitions: PartitionPlacement[] = [];
  if (table.locality === 'regional-by-row') {
    const names = (table.partitions ?? []).map((p) => p.region);
    for (const r of ranges) if (r.partition !== undefined && !names.includes(r.partition)) names.push(r.partition);
    for (const region of names) {
      const own = ranges.filter((r) => r.partition === region);
      const placement = placementOf(own, regionOf, regionOrder);
      const rows = table.partitions?.find((p) => p.region === region)?.rows;
      partitions.push({
        region,
        ...(rows === undefined ? {} : { rows }),
        ...placement,
        leasesAtHome: own.length > 0 && placement.leaseholders.every((w) => w.region === region),
        votersAtHome: own.length > 0 && placement.voters.every((w) => w.region === region),
      });
    }
  }
  return {
    table,
    ...(homeRegion === undefined ? {} : { homeRegion }),
    placement: placementOf(ranges, regionOf, regionOrder),
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
  movedLeases: LeaseMove[];
  /** Leases gained minus leases lost, per node. */
  leaseDelta: Map<number, number>;
  becameUnavailable: number[];
  becameAvailable: number[];
}

export function emptyDiff(): ModelDiff {
  return { liveness: [], movedLeases: [], leaseDelta: new Map(), becameUnavailable: [], becameAvailable: [] };
}

/** Two models of the same cluster: compare. A model of another target is a new picture, not a change. */
export function sameCluster(previous: TopologyModel, next: TopologyModel): boolean {
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

export function diffRanges(previous: readonly TopologyRange[], next: readonly TopologyRange[]): Omit<ModelDiff, 'liveness'> {
  const before = new Map(previous.map((r) => [r.rangeId, r]));
  const movedLeases: LeaseMove[] = [];
  const leaseDelta = new Map<number, number>();
  const becameUnavailable: number[] = [];
  const becameAvailable: number[] = [];
  const bump = (nodeId: number, by: number): void => {
    leaseDelta.set(nodeId, (leaseDelta.get(nodeId) ?? 0) + by);
  };
  for (const r of next) {
    const was = before.get(r.rangeId);
    if (!was) continue;
    if (was.available && !r.available) becameUnavailable.push(r.rangeId);
    else if (!was.available && r.available) becameAvailable.push(r.rangeId);
    if (was.leaseholder === r.leaseholder) continue;
    if (was.leaseholder !== undefined) bump(was.leaseholder, -1);
    if (r.leaseholder !== undefined) bump(r.leaseholder, 1);
    if (was.leaseholder !== undefined && r.leaseholder !== undefined)
      movedLeases.push({ rangeId: r.rangeId, from: was.leaseholder, to: r.leaseholder });
  }
  for (const [id, d] of leaseDelta) if (d === 0) leaseDelta.delete(id);
  return { movedLeases, leaseDelta, becameUnavailable, becameAvailable };
}

export function diffModels(previous: TopologyModel, next: TopologyModel, filter: Filter): ModelDiff {
  return {
    liveness: diffNodes(previous.nodes, next.nodes),
    ...diffRanges(filterRanges(previous.ranges, filter), filterRanges(next.ranges, filter)),
  };
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
  if (diff.movedLeases.length > 0) parts.push(`${count(diff.movedLeases.length, 'lease')} moved`);
  if (diff.becameUnavailable.length > 0) parts.push(`${count(diff.becameUnavailable.length, 'range')} unavailable`);
  if (diff.becameAvailable.length > 0) parts.push(`${count(diff.becameAvailable.length, 'range')} available again`);
  return parts.join('; ');
}

/** What the live region says for a first picture. */
export function modelAnnouncement(model: TopologyModel, shownRanges: readonly TopologyRange[]): string {
  const unavailable = shownRanges.reduce((n, r) => n + (r.available ? 0 : 1), 0);
  const parts = [
    `${targetName(model)}: ${count(model.nodes.length, 'node')} in ${count(regionViews(model).length, 'region')}`,
    count(shownRanges.length, 'range'),
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
export function regionNotes(model: TopologyModel, filter: Filter): Map<string, string> {
  const notes = new Map<string, string[]>();
  const add = (region: string, note: string): void => {
    notes.set(region, [...(notes.get(region) ?? []), note]);
  };
  const db = model.databases.find((d) => d.name === filter.database);
  if (db?.primaryRegion !== undefined) add(db.primaryRegion, 'primary region');
  if (db?.secondaryRegion !== undefined) add(db.secondaryRegion, 'secondary region');
  const table = model.tables.find((t) => t.database === filter.database && t.name === filter.table);
  if (table?.locality === 'regional-by-row')
    for (const p of table.partitions ?? []) add(p.region, `${table.name}: ${count(p.rows, 'row')} here`);
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
  if (database !== undefined) {
    filter.database = database;
    if (table !== undefined) {
      filter.table = table;
      if (index !== undefined) filter.index = index;
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
