// The story of a cluster in time, from successive topology readings: what changed between two
// readings as events (nodes dying and restarting, regions cut off and back, leases moving, replicas
// added and removed, ranges losing and regaining quorum), and a bounded record of the readings that
// changed something, for the view to replay.
import type { TopologyModel, TopologyNode } from '../../../protocol/src/topology';
import type { LeaseMove, StoryClock, StoryEvent, StoryFrame } from '../../../protocol/src/topologyStory';
import { isDown, isPartitioned } from './survivability';

/** What one reading keeps for the next diff: per-range leaseholder, replicas and availability. */
export interface StorySnapshot {
  at: number;
  nodes: TopologyNode[];
  ranges: Map<number, { leaseholder: number | undefined; replicas: string; available: boolean }>;
}

type Reading = Pick<TopologyModel, 'readAt' | 'nodes' | 'ranges' | 'simulatedTimeMs'>;

/**
 * When a reading's events happened, as the timeline tells it: on the simulated cluster its own clock
 * (so a replayed failover shows the simulated seconds between a death and its lease moves); on a
 * real cluster the wall time of the poll that saw them — no earlier than it happened, told as seen.
 */
export function storyTime(model: Pick<TopologyModel, 'readAt' | 'simulatedTimeMs'>): { at: number; clock: StoryClock } {
  return model.simulatedTimeMs === undefined ? { at: model.readAt, clock: 'seen' } : { at: model.simulatedTimeMs, clock: 'simulated' };
}

export function snapshotOf(model: Reading): StorySnapshot {
  const ranges = new Map<number, { leaseholder: number | undefined; replicas: string; available: boolean }>();
  for (const r of model.ranges)
    ranges.set(r.rangeId, {
      leaseholder: r.leaseholder,
      replicas: r.replicas
        .map((x) => `${x.nodeId}:${x.type}`)
        .sort()
        .join(','),
      available: r.available,
    });
  return { at: storyTime(model).at, nodes: model.nodes.map((n) => ({ ...n })), ranges };
}

/** Lease moves an event carries for the view to animate. */
const ANIMATED_MOVES = 24;
/** Range ids an event names. */
const NAMED_RANGES = 5;

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

function nodeState(node: TopologyNode): 'up' | 'down' | 'partitioned' | 'decommissioned' {
  if (node.liveness === 'decommissioned') return 'decommissioned';
  if (isPartitioned(node)) return 'partitioned';
  return isDown(node) ? 'down' : 'up';
}

function nodeEvents(before: StorySnapshot, after: StorySnapshot, at: number): StoryEvent[] {
  const out: StoryEvent[] = [];
  const old = new Map(before.nodes.map((n) => [n.id, n]));
  const now = new Map(after.nodes.map((n) => [n.id, n]));
  // A region whose every node went down (or came back) together is told once, as the region.
  const regionTold = new Set<number>();
  const regions = [...new Set(after.nodes.map((n) => n.region))].filter((r) => r !== '').sort();
  for (const region of regions) {
    const members = after.nodes.filter((n) => n.region === region && n.liveness !== 'decommissioned');
    if (members.length < 2) continue;
    const wasUp = members.filter((n) => {
      const o = old.get(n.id);
      return o !== undefined && nodeState(o) === 'up';
    });
    const allDownNow = members.every((n) => nodeState(n) !== 'up');
    const allDownBefore = members.every((n) => {
      const o = old.get(n.id);
      return o !== undefined && nodeState(o) !== 'up';
    });
    const ids = members.map((n) => n.id);
    if (allDownNow && !allDownBefore && wasUp.length >= 2) {
      const partitioned = members.every(isPartitioned);
      out.push({
        kind: partitioned ? 'region-partitioned' : 'region-down',
        at,
        region,
        nodes: ids,
        text: partitioned
          ? `${region} partitioned from the cluster: its ${members.length} nodes are unreachable`
          : `${region} lost: all ${members.length} of its nodes are down`,
      });
      for (const n of wasUp) regionTold.add(n.id);
    } else if (allDownBefore && !allDownNow && members.every((n) => nodeState(n) === 'up')) {
      const wasPartitioned = members.every((n) => {
        const o = old.get(n.id);
        return o !== undefined && isPartitioned(o);
      });
      out.push({
        kind: wasPartitioned ? 'region-healed' : 'region-up',
        at,
        region,
        nodes: ids,
        text: wasPartitioned
          ? `${region} reachable again: the partition healed`
          : `${region} back: all ${members.length} of its nodes are up`,
      });
      for (const id of ids) regionTold.add(id);
    }
  }
  for (const n of after.nodes) {
    if (regionTold.has(n.id)) continue;
    const o = old.get(n.id);
    const where = n.region ? ` (${n.region}${n.zone ? `/${n.zone}` : ''})` : '';
    const event = (kind: StoryEvent['kind'], text: string): void => {
      out.push({ kind, at, nodes: [n.id], ...(n.region ? { region: n.region } : {}), text });
    };
    if (o === undefined) {
      event('node-added', `n${n.id} joined${where}`);
      continue;
    }
    const was = nodeState(o);
    const is = nodeState(n);
    if (was !== is) {
      if (is === 'decommissioned') event('node-decommissioned', `n${n.id} decommissioned${where}`);
      else if (is === 'partitioned') event('node-dead', `n${n.id} unreachable: partitioned${where}`);
      else if (is === 'down') event('node-dead', `n${n.id} died${where}`);
      else if (was === 'down' || was === 'partitioned') event('node-restarted', `n${n.id} is back${where}`);
    } else if (o.liveness !== n.liveness) {
      if (n.liveness === 'suspect') event('node-suspect', `n${n.id} suspect (draining, or its heartbeats are late)${where}`);
      else if (n.liveness === 'decommissioning')
        event('node-decommissioning', `n${n.id} decommissioning: its replicas are moving away${where}`);
    }
  }
  for (const o of before.nodes)
    if (!now.has(o.id)) out.push({ kind: 'node-removed', at, nodes: [o.id], text: `n${o.id} no longer listed` });
  return out;
}

function pairsText(pairs: Map<string, number>): string {
  const sorted = [...pairs.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = sorted.slice(0, 4).map(([pair, n]) => `${pair} (${n.toLocaleString('en-US')})`);
  return shown.join(', ') + (sorted.length > 4 ? ', …' : '');
}

function rangeEvents(before: StorySnapshot, after: StorySnapshot, at: number): StoryEvent[] {
  const moves: LeaseMove[] = [];
  let moved = 0;
  const movePairs = new Map<string, number>();
  const added = new Map<number, number>();
  const removed = new Map<number, number>();
  const lost: number[] = [];
  const regained: number[] = [];
  const count = (map: Map<number, number>, id: number): void => {
    map.set(id, (map.get(id) ?? 0) + 1);
  };
  for (const [id, now] of after.ranges) {
    const was = before.ranges.get(id);
    if (was === undefined) continue;
    if (was.leaseholder !== undefined && now.leaseholder !== undefined && was.leaseholder !== now.leaseholder) {
      moved++;
      if (moves.length < ANIMATED_MOVES) moves.push({ rangeId: id, from: was.leaseholder, to: now.leaseholder });
      const pair = `n${was.leaseholder} → n${now.leaseholder}`;
      movePairs.set(pair, (movePairs.get(pair) ?? 0) + 1);
    }
    if (was.replicas !== now.replicas) {
      const old = new Set(was.replicas.split(',').map((x) => Number(x.split(':')[0])));
      const cur = new Set(now.replicas.split(',').map((x) => Number(x.split(':')[0])));
      for (const n of cur) if (!old.has(n)) count(added, n);
      for (const n of old) if (!cur.has(n)) count(removed, n);
    }
    if (was.available && !now.available) lost.push(id);
    if (!was.available && now.available) regained.push(id);
  }
  const out: StoryEvent[] = [];
  if (lost.length > 0)
    out.push({
      kind: 'ranges-unavailable',
      at,
      count: lost.length,
      text: `${plural(lost.length, 'range')} unavailable (no reachable leaseholder): ${named(lost)}`,
    });
  if (moved > 0)
    out.push({ kind: 'leases-moved', at, count: moved, moves, text: `${plural(moved, 'lease')} moved: ${pairsText(movePairs)}` });
  const perNode = (map: Map<number, number>): string =>
    [...map.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([n, c]) => `n${n} (${c.toLocaleString('en-US')})`)
      .join(', ');
  const total = (map: Map<number, number>): number => [...map.values()].reduce((a, b) => a + b, 0);
  if (added.size > 0)
    out.push({
      kind: 'replicas-added',
      at,
      count: total(added),
      nodes: [...added.keys()].sort((a, b) => a - b),
      text: `up-replication: ${plural(total(added), 'replica')} added on ${perNode(added)}`,
    });
  if (removed.size > 0)
    out.push({
      kind: 'replicas-removed',
      at,
      count: total(removed),
      nodes: [...removed.keys()].sort((a, b) => a - b),
      text: `${plural(total(removed), 'replica')} removed from ${perNode(removed)}`,
    });
  if (regained.length > 0)
    out.push({
      kind: 'ranges-available',
      at,
      count: regained.length,
      text: `${plural(regained.length, 'range')} available again: ${named(regained)}`,
    });
  return out;
}

function named(ids: readonly number[]): string {
  const shown = ids.slice(0, NAMED_RANGES).map((id) => `r${id}`);
  return shown.join(', ') + (ids.length > NAMED_RANGES ? ` and ${(ids.length - NAMED_RANGES).toLocaleString('en-US')} more` : '');
}

/** What changed from one reading to the next, nodes first, in the order a learner reads a failover. */
export function diffSnapshots(before: StorySnapshot, after: StorySnapshot): StoryEvent[] {
  return [...nodeEvents(before, after, after.at), ...rangeEvents(before, after, after.at)];
}

function frameOf(model: Reading, events: StoryEvent[]): StoryFrame {
  const leases = new Map<number, number>();
  let unavailable = 0;
  for (const r of model.ranges) {
    if (r.leaseholder !== undefined) leases.set(r.leaseholder, (leases.get(r.leaseholder) ?? 0) + 1);
    if (!r.available) unavailable++;
  }
  return {
    ...storyTime(model),
    nodes: model.nodes.map((n) => ({
      id: n.id,
      region: n.region,
      zone: n.zone,
      liveness: n.liveness,
      ...(isPartitioned(n) ? { partitioned: true } : {}),
    })),
    leases: [...leases.entries()].sort((a, b) => a[0] - b[0]),
    unavailable,
    events,
  };
}

/**
 * The readings that changed something, oldest first, at most `capacity` of them and none older than
 * `windowMs` before the newest: the first reading, then one frame per reading with events. A new
 * cluster (another target) starts the record again.
 */
export class StoryRecorder {
  private last: StorySnapshot | undefined;
  private target: string | undefined;
  private clock: StoryClock | undefined;
  private readonly record: StoryFrame[] = [];

  constructor(
    private readonly capacity = 120,
    private readonly windowMs = 10 * 60_000,
  ) {}

  /** Takes a reading; true when it added a frame. */
  observe(model: Reading & Pick<TopologyModel, 'target'>): boolean {
    const snapshot = snapshotOf(model);
    const { at, clock } = storyTime(model);
    // A reading of the same cluster in the other clock (the simulated cluster's time could not be
    // read that once) cannot be placed in this story: left out rather than starting it again.
    if (this.target === model.target && this.last !== undefined && this.clock !== clock) return false;
    // Another cluster, or the simulated one started again (its clock went back): a new story.
    if (this.target !== model.target || this.last === undefined || at < this.last.at) {
      this.target = model.target;
      this.clock = clock;
      this.record.length = 0;
      this.record.push(frameOf(model, []));
      this.last = snapshot;
      return true;
    }
    const events = diffSnapshots(this.last, snapshot);
    this.last = snapshot;
    if (events.length === 0) return false;
    this.record.push(frameOf(model, events));
    while (this.record.length > this.capacity) this.record.shift();
    const oldest = at - this.windowMs;
    // Keep the frame the window starts from: what the cluster looked like before its first event.
    while (this.record.length > 1 && (this.record[1]?.at ?? Infinity) < oldest) this.record.shift();
    return true;
  }

  frames(): StoryFrame[] {
    return [...this.record];
  }
}
