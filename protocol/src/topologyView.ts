// What the topology view draws, made from a whole model on the host, and the diff between two
// versions of it, applied on the page. The page never receives the per-range model: per-node
// counts per group (table, index, partition) are what it draws, plus the selected group's ranges
// while they are few enough to draw one by one. Pure, so host, page and tests share it.
import type {
  NodeRangesPage,
  TopologyGroup,
  TopologyModel,
  TopologyRange,
  TopologySelection,
  TopologyView,
  TopologyViewDiff,
  UnavailableRange,
} from './topology';

/** From this many selected ranges on, the view draws per-node density instead of a mark per replica. */
export const MARK_LIMIT = 5_000;
/** Unavailable ranges named in the view (the rest are counted). */
export const UNAVAILABLE_NAMED = 20;
/** A node's ranges sent to the density view per page. */
export const NODE_RANGES_PAGE = 100;

export function groupKey(r: { database?: string; table?: string; index?: string; partition?: string }): string {
  return [r.database ?? '', r.table ?? '', r.index ?? '', r.partition ?? ''].join('\u0000');
}

/** Whether a range (or a group) is in the selection. */
export function inSelection(
  selection: TopologySelection,
  r: {
    database?: string | undefined;
    table?: string | undefined;
    index?: string | undefined;
    partition?: string | undefined;
    rangeId?: number | undefined;
  },
): boolean {
  if (selection.rangeId !== undefined) {
    // A range is in it by its id; a group when it is the range's own group.
    if (r.rangeId !== undefined) return r.rangeId === selection.rangeId;
    return (
      r.database === selection.database && r.table === selection.table && r.index === selection.index && r.partition === selection.partition
    );
  }
  if (selection.database === undefined) return true;
  if (r.database !== selection.database) return false;
  if (selection.table !== undefined && r.table !== selection.table) return false;
  if (selection.index !== undefined && r.index !== selection.index) return false;
  return selection.partition === undefined || r.partition === selection.partition;
}

/** A selection holds only its known parts, in order: a partition needs a table. */
export function normalSelection(s: TopologySelection): TopologySelection {
  if (s.rangeId !== undefined) return rangeSelection(s.rangeId, s);
  if (s.database === undefined) return {};
  if (s.table === undefined) return { database: s.database };
  const out: TopologySelection = { database: s.database, table: s.table };
  if (s.index !== undefined) out.index = s.index;
  if (s.partition !== undefined) out.partition = s.partition;
  return out;
}

/** A single range as a selection: its id and the parts of its group (a system range has none). */
export function rangeSelection(rangeId: number, r: TopologySelection): TopologySelection {
  const out: TopologySelection = {};
  if (r.database !== undefined) out.database = r.database;
  if (r.table !== undefined) out.table = r.table;
  if (r.index !== undefined) out.index = r.index;
  if (r.partition !== undefined) out.partition = r.partition;
  out.rangeId = rangeId;
  return out;
}

/**
 * The host's answer to a selection: a single range is answered as its group as the model has it
 * (the page may name it from an older reading); a range gone (merged away) leaves the selection of
 * its group as the page named it.
 */
export function resolveSelection(model: TopologyModel | undefined, selection: TopologySelection): TopologySelection {
  const sel = normalSelection(selection);
  if (sel.rangeId === undefined || model === undefined) return sel;
  const range = model.ranges.find((r) => r.rangeId === sel.rangeId);
  if (range) return rangeSelection(range.rangeId, range);
  const { rangeId: _gone, ...group } = sel;
  return normalSelection(group);
}

function headOf(model: TopologyModel): TopologyView['head'] {
  const { ranges: _ranges, ...head } = model;
  return head;
}

type Counts = [number, number, number, number, number, number, number, number];

function ascending(ranges: readonly TopologyRange[]): readonly TopologyRange[] {
  for (let i = 1; i < ranges.length; i++)
    if ((ranges[i - 1] as TopologyRange).rangeId > (ranges[i] as TopologyRange).rangeId)
      return [...ranges].sort((a, b) => a.rangeId - b.rangeId);
  return ranges;
}

/**
 * One pass over the model's ranges (the host's hot loop at 50,000 ranges: kept plain). Links are
 * made only for a selection of a table or narrower, the only time the view draws them.
 */
export function buildView(model: TopologyModel, selection: TopologySelection, version: number, limit: number = MARK_LIMIT): TopologyView {
  const groups = new Map<string, TopologyGroup>();
  const cellsOf = new Map<string, Map<number, Counts>>();
  const unavailable: UnavailableRange[] = [];
  const selected: TopologyRange[] = [];
  const links = new Map<number, number>();
  let selectedCount = 0;
  const sel = normalSelection(selection);
  const linking = sel.table !== undefined || sel.rangeId !== undefined;
  // Nodes whose replicas do not count: dead, or cut off by a partition (as survivability counts them).
  const down = new Set<number>();
  for (const n of model.nodes) if (n.liveness === 'dead' || n.partitioned === true) down.add(n.id);
  let lastKey: string | undefined;
  let lastOwner: TopologyRange | undefined;
  for (const range of ascending(model.ranges)) {
    // Neighbouring ranges mostly share their owner: reuse its key.
    const key =
      lastOwner !== undefined &&
      lastKey !== undefined &&
      lastOwner.database === range.database &&
      lastOwner.table === range.table &&
      lastOwner.index === range.index &&
      lastOwner.partition === range.partition
        ? lastKey
        : groupKey(range);
    lastKey = key;
    lastOwner = range;
    let group = groups.get(key);
    let cells = cellsOf.get(key);
    if (!group || !cells) {
      group = { key, ranges: 0, unavailable: 0, underReplicated: 0 };
      if (range.database !== undefined) group.database = range.database;
      if (range.table !== undefined) group.table = range.table;
      if (range.index !== undefined) group.index = range.index;
      if (range.partition !== undefined) group.partition = range.partition;
      groups.set(key, group);
      cellsOf.set(key, (cells = new Map<number, Counts>()));
    }
    group.ranges++;
    if (!range.available) {
      group.unavailable++;
      if (unavailable.length < UNAVAILABLE_NAMED) unavailable.push({ rangeId: range.rangeId, group: key });
    }
    const leader = range.raftLeader ?? range.leaseholder;
    const size = range.sizeBytes ?? 0;
    let lostVoter = false;
    for (const replica of range.replicas) {
      if (replica.type === 'voter' && down.has(replica.nodeId)) lostVoter = true;
      const nodeId = replica.nodeId;
      let c = cells.get(nodeId);
      if (!c) cells.set(nodeId, (c = [0, 0, 0, 0, 0, 0, 0, 0]));
      c[0]++;
      if (replica.type === 'voter') c[1]++;
      else if (replica.type === 'non-voter') c[2]++;
      else c[3]++;
      if (range.leaseholder === nodeId) c[4]++;
      else if (leader === nodeId) c[5]++;
      if (!range.available) c[6]++;
      c[7] += size;
    }
    if (lostVoter && range.available) group.underReplicated++;
    if (!inSelection(sel, range)) continue;
    selectedCount++;
    if (selected.length < limit) selected.push(range);
    const lh = range.leaseholder;
    if (linking && lh !== undefined)
      for (const replica of range.replicas) {
        if (replica.nodeId === lh) continue;
        const pair = lh * 1_000_000 + replica.nodeId;
        links.set(pair, (links.get(pair) ?? 0) + 1);
      }
  }
  const counts: Record<string, Record<string, number[]>> = {};
  // A group whose ranges list no replicas has no cells (as a diff leaves it).
  for (const [key, cells] of cellsOf)
    if (cells.size > 0) counts[key] = Object.fromEntries([...cells].sort(([a], [b]) => a - b).map(([id, c]) => [String(id), c]));
  const view: TopologyView = {
    version,
    head: headOf(model),
    groups: [...groups.values()],
    counts,
    unavailable,
    selection: sel,
    selectedCount,
    links: [...links]
      .sort(([a], [b]) => a - b)
      .map(([pair, n]): [number, number, number] => [Math.floor(pair / 1_000_000), pair % 1_000_000, n]),
  };
  if (selectedCount < limit) view.ranges = selected;
  return view;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** What changed from `a` to `b` (b's version is the diff's target). */
export function diffViews(a: TopologyView, b: TopologyView): TopologyViewDiff {
  const diff: TopologyViewDiff = { from: a.version, to: b.version, counts: [] };
  if (!same(a.head, b.head)) diff.head = b.head;
  if (!same(a.groups, b.groups)) diff.groups = b.groups;
  for (const [group, cells] of Object.entries(b.counts)) {
    const before = a.counts[group] ?? {};
    for (const [node, values] of Object.entries(cells)) {
      const was = before[node];
      if (!was || !sameNumbers(was, values)) diff.counts.push([group, node, values]);
    }
    for (const node of Object.keys(before)) if (!(node in cells)) diff.counts.push([group, node, null]);
  }
  for (const [group, cells] of Object.entries(a.counts))
    if (!(group in b.counts)) for (const node of Object.keys(cells)) diff.counts.push([group, node, null]);
  if (!same(a.unavailable, b.unavailable)) diff.unavailable = b.unavailable;
  if (!same(a.selection, b.selection)) diff.selection = b.selection;
  if (a.selectedCount !== b.selectedCount) diff.selectedCount = b.selectedCount;
  if (!same(a.links, b.links)) diff.links = b.links;
  if (b.ranges === undefined) {
    if (a.ranges !== undefined) diff.ranges = null;
  } else {
    const before = new Map((a.ranges ?? []).map((r) => [r.rangeId, r]));
    const upsert: TopologyRange[] = [];
    for (const r of b.ranges) {
      const was = before.get(r.rangeId);
      if (!was || !same(was, r)) upsert.push(r);
      before.delete(r.rangeId);
    }
    const remove = [...before.keys()];
    if (upsert.length > 0 || remove.length > 0 || a.ranges === undefined) diff.ranges = { upsert, remove };
  }
  return diff;
}

/** `view` moved on by `diff`; undefined when the diff was made from another version (ask for a snapshot). */
export function applyDiff(view: TopologyView, diff: TopologyViewDiff): TopologyView | undefined {
  if (diff.from !== view.version) return undefined;
  // Only the groups a diff touches are copied; the rest are shared with the previous version.
  const touched = new Map<string, Map<string, number[]>>();
  for (const [group, node, values] of diff.counts) {
    let cells = touched.get(group);
    if (!cells) touched.set(group, (cells = new Map(Object.entries(view.counts[group] ?? {}))));
    if (values === null) cells.delete(node);
    else cells.set(node, values);
  }
  const counts: Record<string, Record<string, number[]>> = {};
  for (const [group, cells] of Object.entries(view.counts)) if (!touched.has(group)) counts[group] = cells;
  for (const [group, cells] of touched) if (cells.size > 0) counts[group] = Object.fromEntries(cells);
  const next: TopologyView = {
    version: diff.to,
    head: diff.head ?? view.head,
    groups: diff.groups ?? view.groups,
    counts,
    unavailable: diff.unavailable ?? view.unavailable,
    selection: diff.selection ?? view.selection,
    selectedCount: diff.selectedCount ?? view.selectedCount,
    links: diff.links ?? view.links,
  };
  if (diff.ranges === null) return next;
  if (diff.ranges === undefined) {
    if (view.ranges !== undefined) next.ranges = view.ranges;
    return next;
  }
  const byId = new Map((view.ranges ?? []).map((r) => [r.rangeId, r]));
  for (const id of diff.ranges.remove) byId.delete(id);
  for (const r of diff.ranges.upsert) byId.set(r.rangeId, r);
  next.ranges = [...byId.values()].sort((x, y) => x.rangeId - y.rangeId);
  return next;
}

/** Whether a diff carries nothing (the host then sends nothing). */
export function isEmptyDiff(diff: TopologyViewDiff): boolean {
  return (
    diff.counts.length === 0 &&
    diff.head === undefined &&
    diff.groups === undefined &&
    diff.unavailable === undefined &&
    diff.selection === undefined &&
    diff.selectedCount === undefined &&
    diff.links === undefined &&
    diff.ranges === undefined
  );
}

/**
 * The rank of a node's replica of a range in the node's list, as the view orders its marks:
 * unavailable ranges first, then those it leads (leaseholder), voters, non-voters, learners.
 */
function rankOn(range: TopologyRange, nodeId: number): number | undefined {
  const replica = range.replicas.find((r) => r.nodeId === nodeId);
  if (replica === undefined) return undefined;
  if (!range.available) return 0;
  if (range.leaseholder === nodeId) return 1;
  return replica.type === 'voter' ? 2 : replica.type === 'non-voter' ? 3 : 4;
}

/**
 * One page of the selection's ranges with a replica on a node, in the order the normal view lists
 * a node's marks (by kind, then range id): what the density view shows when a node is opened.
 * One pass over the model; only the page's ranges are kept beyond their ids.
 */
export function nodeRangesPage(
  model: Pick<TopologyModel, 'ranges'>,
  selection: TopologySelection,
  nodeId: number,
  offset: number,
  size: number = NODE_RANGES_PAGE,
): NodeRangesPage {
  const sel = normalSelection(selection);
  const byRank: TopologyRange[][] = [[], [], [], [], []];
  for (const range of model.ranges) {
    if (!inSelection(sel, range)) continue;
    const rank = rankOn(range, nodeId);
    if (rank !== undefined) byRank[rank]?.push(range);
  }
  const ordered = byRank.flatMap((list) => [...list].sort((a, b) => a.rangeId - b.rangeId));
  const start = Math.min(Math.max(0, Math.trunc(offset)), ordered.length);
  return { nodeId, selection: sel, offset: start, total: ordered.length, ranges: ordered.slice(start, start + size) };
}
