// The picture: one SVG map, updated in place (elements keyed by region, zone and node id) so CSS
// can transition what moved. Regions stand where they are on the globe with their round trips on
// arcs between them; a node's replicas are one <path> per mark kind, however many there are (under
// 5,000 ranges), or per-node density bars past that. A selection dims the nodes without its
// replicas and draws lines from leaseholders to followers. Leases that moved are flown over by a
// few short-lived marks.
import type { TopologyHead, TopologyNode } from '../../../protocol/src/topology';
import {
  CARD_WIDTH,
  DENSITY_HEIGHT,
  layoutPicture,
  MARKS,
  markGrid,
  marksHeight,
  markIndexAt,
  markPosition,
  neighbour,
  zoneKey,
  type MarkGrid,
  type PictureLayout,
} from './layout';
import {
  count,
  formatNumber,
  livenessIcon,
  livenessText,
  markAt,
  markIndex,
  markKinds,
  nodeName,
  type MarkKind,
  type ModelDiff,
  type NodeSummary,
  type RegionView,
} from './model';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Marks flown for moved leases: enough to see the movement, few enough to stay cheap. */
const MAX_GHOSTS = 40;
const GHOST_MS = 1_100;
const CHANGED_MS = 2_500;

export function svgElement<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number> = {},
  className?: string,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, String(value));
  if (className) el.setAttribute('class', className);
  return el;
}

function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** `n` with at most one decimal, for short path data. */
function num(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/**
 * One shape per kind, so kinds differ by more than colour: a start point relative to the mark's
 * corner and the relative path after it. Built once per size; a mark is then `M x y` plus this.
 */
function shapeParts(kind: MarkKind, s: number): { dx: number; dy: number; rest: string } {
  const r = s / 2;
  switch (kind) {
    case 'unavailable':
      return { dx: 0, dy: s, rest: `l${num(r)} ${num(-s)}l${num(r)} ${num(s)}Z` };
    case 'lease':
      return { dx: 0, dy: r, rest: `a${num(r)} ${num(r)} 0 1 0 ${num(s)} 0a${num(r)} ${num(r)} 0 1 0 ${num(-s)} 0Z` };
    case 'voter':
      return { dx: 0, dy: 0, rest: `h${num(s)}v${num(s)}h${num(-s)}Z` };
    case 'non-voter': {
      // A frame: the even-odd hole shows it is not a voter; too small for a hole, half a square.
      if (s < 4) return { dx: 0, dy: r, rest: `h${num(s)}v${num(r)}h${num(-s)}Z` };
      const w = Math.max(1, Math.round(s * 0.22));
      const inner = s - 2 * w;
      return { dx: 0, dy: 0, rest: `h${num(s)}v${num(s)}h${num(-s)}Zm${w} ${w}v${num(inner)}h${num(inner)}v${num(-inner)}Z` };
    }
    case 'learner': {
      const d = Math.max(1, s / 2);
      const o = (s - d) / 2;
      return { dx: o, dy: o, rest: `h${num(d)}v${num(d)}h${num(-d)}Z` };
    }
  }
}

export function shape(kind: MarkKind, x: number, y: number, s: number): string {
  const { dx, dy, rest } = shapeParts(kind, s);
  return `M${num(x + dx)} ${num(y + dy)}${rest}`;
}

export interface PictureEvents {
  openNode(nodeId: number): void;
  pickRange(rangeId: number): void;
  /** `rangeId` undefined: the pointer left the marks. */
  hoverRange(rangeId: number | undefined, clientX: number, clientY: number): void;
  focusNode(nodeId: number): void;
}

export interface PictureInput {
  head: TopologyHead;
  regions: RegionView[];
  summaries: Map<number, NodeSummary>;
  /** Per-node density bars instead of a mark per replica (the page does not have the ranges). */
  density: boolean;
  /** Leaseholder node → follower node → ranges, drawn as lines. */
  links: readonly (readonly [number, number, number])[];
  /** A table (or narrower) is selected: nodes without its replicas are dimmed. */
  selecting: boolean;
  /** Set when the model is a newer reading of the same cluster under the same filter. */
  diff?: ModelDiff;
  /** Extra words for a region's header (primary region, a partition's row count). */
  regionNotes: Map<string, string>;
  motion: boolean;
}

/** The state a node card says: partitioned and draining told apart from dead and suspect. */
export function nodeStateText(node: TopologyNode): { text: string; state: string } {
  if (node.partitioned === true && (node.liveness === 'dead' || node.liveness === 'suspect' || node.liveness === 'live'))
    return { text: '⌁ partitioned', state: 'partitioned' };
  if (node.draining === true && node.liveness !== 'dead') return { text: '⇢ draining', state: 'draining' };
  return { text: `${livenessIcon[node.liveness]} ${livenessText[node.liveness]}`, state: node.liveness };
}

const densityRows: readonly { kind: MarkKind; label: string; field: 'leases' | 'voters' | 'nonVoters' | 'unavailable' }[] = [
  { kind: 'lease', label: 'leases', field: 'leases' },
  { kind: 'voter', label: 'voters', field: 'voters' },
  { kind: 'non-voter', label: 'non-voters', field: 'nonVoters' },
  { kind: 'unavailable', label: 'unavailable', field: 'unavailable' },
];
const DENSITY_ROW = 18;
const DENSITY_BAR_X = 18;
const DENSITY_BAR_WIDTH = 130;

class NodeCard {
  readonly g = svgElement('g', { tabindex: -1, role: 'button' }, 'node');
  private readonly name = svgElement('text', { x: 10, y: 24 }, 'node-name');
  private readonly state = svgElement('text', { x: CARD_WIDTH - 10, y: 24, 'text-anchor': 'end' }, 'node-state');
  private readonly address = svgElement('text', { x: 10, y: 42 }, 'node-address');
  private readonly replicas = svgElement('tspan', {}, 'replica-count');
  private readonly leases = svgElement('tspan', {}, 'lease-count');
  private readonly delta = svgElement('tspan', {}, 'lease-delta');
  private readonly types = svgElement('tspan', {}, 'type-count');
  private readonly unavailable = svgElement('text', { x: CARD_WIDTH - 10, y: 42, 'text-anchor': 'end' }, 'unavailable-count');
  private readonly more = svgElement('text', { x: CARD_WIDTH - 10, 'text-anchor': 'end' }, 'marks-more');
  // On the address line (the address gives way while a badge shows): the counts line below is
  // long at density sizes (`2,000 voters · 0 non-voters`) and a badge there overlapped it.
  private readonly badge = svgElement('text', { x: 10, y: 42 }, 'node-badge');
  private readonly density = svgElement('g', { transform: `translate(${MARKS.x} ${MARKS.y})`, 'aria-hidden': 'true' }, 'density');
  private readonly bars: { bar: SVGRectElement; text: SVGTextElement }[] = [];
  private readonly card = svgElement('rect', { width: CARD_WIDTH, rx: 6 }, 'card');
  private readonly hatch = svgElement('rect', { width: CARD_WIDTH, rx: 6, fill: 'url(#topology-hatch)' }, 'card-hatch');
  private readonly hit = svgElement('rect', { width: MARKS.width }, 'mark-hit');
  private marksHeight = 0;
  private readonly marks = svgElement('g', { transform: `translate(${MARKS.x} ${MARKS.y})`, 'aria-hidden': 'true' }, 'marks');
  private readonly paths = new Map<MarkKind, SVGPathElement>();
  grid: MarkGrid = markGrid(0);
  summary: NodeSummary | undefined;
  private changedTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly id: number,
    events: PictureEvents,
  ) {
    this.g.dataset['nodeId'] = String(id);
    const counts = svgElement('text', { x: 10, y: 60 }, 'node-counts');
    counts.append(this.replicas, ' · ', this.leases, this.delta);
    const types = svgElement('text', { x: 10, y: 76 }, 'node-types');
    types.append(this.types);
    for (const kind of markKinds) {
      const path = svgElement('path', { d: '' }, `mark mark-${kind}`);
      if (kind === 'non-voter') path.setAttribute('fill-rule', 'evenodd');
      this.paths.set(kind, path);
      this.marks.append(path);
    }
    const hit = this.hit;
    this.marks.append(hit);
    densityRows.forEach((row, i) => {
      const y = i * DENSITY_ROW;
      const glyph = svgElement('path', { d: shape(row.kind, 0, y + 2, 10) }, `glyph glyph-${row.kind}`);
      if (row.kind === 'non-voter') glyph.setAttribute('fill-rule', 'evenodd');
      const track = svgElement('rect', { x: DENSITY_BAR_X, y: y + 2, width: DENSITY_BAR_WIDTH, height: 10, rx: 2 }, 'density-track');
      const bar = svgElement('rect', { x: DENSITY_BAR_X, y: y + 2, width: 0, height: 10, rx: 2 }, `density-bar density-${row.kind}`);
      const text = svgElement('text', { x: DENSITY_BAR_X + DENSITY_BAR_WIDTH + 6, y: y + 11 }, 'density-count');
      this.density.append(glyph, track, bar, text);
      this.bars.push({ bar, text });
    });
    this.g.append(
      this.card,
      this.hatch,
      this.name,
      this.state,
      this.address,
      this.unavailable,
      counts,
      types,
      this.badge,
      this.marks,
      this.density,
      this.more,
    );
    // Outlines the hovered mark; marks are a few pixels wide, so the pointer needs a sign.
    const cursor = svgElement('rect', { visibility: 'hidden' }, 'mark-cursor');
    this.marks.insertBefore(cursor, hit);
    const indexAt = (event: MouseEvent): number => {
      const box = hit.getBoundingClientRect();
      if (box.width === 0) return -1;
      const scale = MARKS.width / box.width;
      return markIndexAt(this.grid, (event.clientX - box.left) * scale, (event.clientY - box.top) * scale);
    };
    const rangeAt = (event: MouseEvent): number | undefined => (this.summary ? markAt(this.summary, indexAt(event))?.rangeId : undefined);
    hit.addEventListener('pointermove', (event) => {
      const index = indexAt(event);
      const rangeId = this.summary ? markAt(this.summary, index)?.rangeId : undefined;
      if (rangeId === undefined) cursor.setAttribute('visibility', 'hidden');
      else {
        const p = markPosition(this.grid, index);
        const pad = 1.5;
        setAttributes(cursor, { x: p.x - pad, y: p.y - pad, width: this.grid.size + 2 * pad, height: this.grid.size + 2 * pad });
        cursor.setAttribute('visibility', 'visible');
      }
      events.hoverRange(rangeId, event.clientX, event.clientY);
    });
    hit.addEventListener('pointerleave', (event) => {
      cursor.setAttribute('visibility', 'hidden');
      events.hoverRange(undefined, event.clientX, event.clientY);
    });
    this.g.addEventListener('click', (event) => {
      const rangeId = event.target === hit ? rangeAt(event) : undefined;
      if (rangeId === undefined) events.openNode(id);
      else events.pickRange(rangeId);
    });
  }

  /** Cards grow with the busiest node's marks. */
  resize(cardHeight: number, marks: number): void {
    if (this.marksHeight === marks) return;
    this.marksHeight = marks;
    for (const rect of [this.card, this.hatch]) rect.setAttribute('height', String(cardHeight));
    this.hit.setAttribute('height', String(marks));
    this.more.setAttribute('y', String(cardHeight - 3));
  }

  update(
    node: TopologyNode,
    summary: NodeSummary,
    delta: number | undefined,
    changed: boolean,
    view: { density: boolean; densityMax: number; selecting: boolean; gateway: boolean },
  ): void {
    this.summary = summary;
    const c = summary.counts;
    const state = nodeStateText(node);
    this.g.dataset['liveness'] = node.liveness;
    this.g.dataset['state'] = state.state;
    this.g.classList.toggle('gateway', view.gateway);
    // A selection lights up the nodes holding its replicas; the rest step back.
    this.g.classList.toggle('dim', view.selecting && c.replicas === 0);
    this.g.classList.toggle('holds', view.selecting && c.replicas > 0);
    this.g.classList.toggle('holds-lease', view.selecting && c.leases > 0);
    setText(this.name, view.gateway ? `${nodeName(node.id)}  ◆ gateway` : nodeName(node.id));
    setText(this.state, state.text);
    const badges: string[] = [];
    if (view.selecting && c.leases > 0) badges.push(`● leaseholder ×${formatNumber(c.leases)}`);
    if (c.leaderWithoutLease > 0) badges.push(`Raft leader ×${formatNumber(c.leaderWithoutLease)} (lease elsewhere)`);
    setText(this.badge, badges.join('  '));
    setText(this.address, badges.length > 0 ? '' : node.address);
    setText(this.replicas, count(c.replicas, 'replica'));
    setText(this.leases, count(c.leases, 'lease'));
    setText(this.delta, delta === undefined ? '' : ` (${delta > 0 ? '+' : '−'}${formatNumber(Math.abs(delta))})`);
    this.delta.classList.toggle('gained', delta !== undefined && delta > 0);
    this.delta.classList.toggle('lost', delta !== undefined && delta < 0);
    const types = [count(c.voters, 'voter'), count(c.nonVoters, 'non-voter')];
    if (c.learners > 0) types.push(count(c.learners, 'learner'));
    setText(this.types, types.join(' · '));
    setText(this.unavailable, c.unavailable > 0 ? `⚠ ${formatNumber(c.unavailable)} unavailable` : '');

    this.density.style.display = view.density ? '' : 'none';
    if (view.density) {
      densityRows.forEach((row, i) => {
        const value = c[row.field];
        const bar = this.bars[i];
        if (!bar) return;
        const width = view.densityMax > 0 ? Math.max(value > 0 ? 1 : 0, (value / view.densityMax) * DENSITY_BAR_WIDTH) : 0;
        bar.bar.setAttribute('width', num(width));
        setText(bar.text, `${formatNumber(value)} ${row.label}`);
      });
    }
    this.grid = markGrid(view.density ? 0 : c.replicas, MARKS.width, this.marksHeight);
    const { size, shown } = this.grid;
    let index = 0;
    const { pitch, columns } = this.grid;
    for (const kind of markKinds) {
      // Thousands of marks per node: string concatenation with one precomputed tail per kind.
      const { dx, dy, rest } = shapeParts(kind, size);
      let d = '';
      const n = Math.min(summary.marks[kind].length, shown - index);
      for (let i = 0; i < n; i++, index++) d += `M${(index % columns) * pitch + dx} ${Math.floor(index / columns) * pitch + dy}${rest}`;
      const path = this.paths.get(kind);
      if (path && path.getAttribute('d') !== d) path.setAttribute('d', d);
    }
    setText(this.more, !view.density && shown < c.replicas ? `+${formatNumber(c.replicas - shown)} not drawn` : '');

    const words = [
      `Node ${node.id}${view.gateway ? ' (gateway)' : ''}, ${node.region || 'no region'}, zone ${node.zone || 'none'}, ${state.text.slice(2)}`,
      `${count(c.replicas, 'replica')}, ${count(c.leases, 'lease')}`,
    ];
    if (delta !== undefined) words.push(delta > 0 ? `gained ${count(delta, 'lease')}` : `lost ${count(-delta, 'lease')}`);
    if (c.unavailable > 0) words.push(`${formatNumber(c.unavailable)} unavailable`);
    this.g.setAttribute('aria-label', words.join(', '));

    if (changed) {
      this.g.classList.add('changed');
      clearTimeout(this.changedTimer);
      this.changedTimer = setTimeout(() => {
        this.g.classList.remove('changed');
      }, CHANGED_MS);
    }
  }

  /** Where a range's mark is, in picture coordinates (undefined when not drawn). */
  markCentre(kind: MarkKind, rangeId: number, at: { x: number; y: number }): { x: number; y: number } | undefined {
    if (!this.summary) return undefined;
    const index = markIndex(this.summary, kind, rangeId);
    if (index < 0 || index >= this.grid.shown) return undefined;
    const p = markPosition(this.grid, index);
    const r = this.grid.size / 2;
    return { x: at.x + MARKS.x + p.x + r, y: at.y + MARKS.y + p.y + r };
  }
}

interface RegionElements {
  g: SVGGElement;
  rect: SVGRectElement;
  title: SVGTSpanElement;
  note: SVGTSpanElement;
  /** Second line: partitioned, gateway. */
  status: SVGTextElement;
}

interface ZoneElements {
  g: SVGGElement;
  rect: SVGRectElement;
  label: SVGTextElement;
  empty: SVGTextElement;
}

export class Picture {
  readonly element = svgElement('svg', { role: 'group', 'aria-label': 'Cluster topology', 'aria-roledescription': 'topology' }, 'picture');
  private readonly regionLayer = svgElement('g', { 'aria-hidden': 'true' }, 'regions');
  private readonly arcLayer = svgElement('g', { 'aria-hidden': 'true' }, 'arcs');
  private readonly linkLayer = svgElement('g', { 'aria-hidden': 'true' }, 'links');
  private readonly caption = svgElement('text', {}, 'map-caption');
  /** Text of the latency arcs, for screen readers (the picture itself is aria-hidden there). */
  latencyWords = '';
  private readonly nodeLayer = svgElement('g', { role: 'group', 'aria-label': 'Nodes: arrow keys move, Enter opens details' }, 'nodes');
  private readonly ghostLayer = svgElement('g', { 'aria-hidden': 'true' }, 'ghosts');
  private readonly regions = new Map<string, RegionElements>();
  private readonly zones = new Map<string, ZoneElements>();
  private readonly cards = new Map<number, NodeCard>();
  private layout: PictureLayout = layoutPicture([]);
  private active: number | undefined;

  constructor(private readonly events: PictureEvents) {
    const defs = svgElement('defs');
    const hatch = svgElement('pattern', {
      id: 'topology-hatch',
      width: 8,
      height: 8,
      patternUnits: 'userSpaceOnUse',
      patternTransform: 'rotate(45)',
    });
    hatch.append(svgElement('line', { x1: 0, y1: 0, x2: 0, y2: 8 }, 'hatch-line'));
    defs.append(hatch);
    const arrow = svgElement('marker', {
      id: 'topology-arrow',
      viewBox: '0 0 10 10',
      refX: 9,
      refY: 5,
      markerWidth: 7,
      markerHeight: 7,
      orient: 'auto-start-reverse',
    });
    arrow.append(svgElement('path', { d: 'M0 0L10 5L0 10Z' }, 'link-arrow'));
    defs.append(arrow);
    this.element.append(defs, this.regionLayer, this.arcLayer, this.linkLayer, this.nodeLayer, this.ghostLayer, this.caption);
    this.nodeLayer.addEventListener('keydown', (event) => {
      this.onKeyDown(event);
    });
    this.nodeLayer.addEventListener('focusin', (event) => {
      const id = this.cardOf(event.target);
      if (id !== undefined) {
        this.setActive(id);
        events.focusNode(id);
      }
    });
  }

  /** The node that takes the focus when the picture is tabbed into. */
  get activeNode(): number | undefined {
    return this.active;
  }

  render(input: PictureInput): void {
    const previous = new Map([...this.cards].map(([id, card]) => [id, { card, at: this.layout.nodes.get(id), summary: card.summary }]));
    const ghosts = input.diff && input.motion ? this.ghostPaths(input.diff, previous) : [];

    let busiest = 0;
    for (const s of input.summaries.values()) busiest = Math.max(busiest, s.counts.replicas);
    const latency = latencyLookup(input.head);
    const gateway = input.head.nodes.find((n) => n.id === input.head.gatewayNodeId);
    this.layout = layoutPicture(input.regions, input.density ? DENSITY_HEIGHT : marksHeight(busiest), {
      linked: (a, b) => latency.has(pairKey(a, b)) || partitionedPair(input.head, a, b),
      ...(gateway ? { gatewayRegion: gateway.region } : {}),
    });
    const { width, height } = this.layout;
    this.element.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.element.style.maxWidth = `${width}px`;
    this.drawRegions(input);
    this.drawArcs(input, latency);
    this.drawNodes(input);
    this.drawLinks(input);
    if (this.active === undefined || !this.cards.has(this.active)) this.setActive(this.layout.order[0]);
    else this.setActive(this.active);
    this.fly(ghosts);
  }

  focusNode(id: number): boolean {
    const card = this.cards.get(id);
    if (!card) return false;
    this.setActive(id);
    card.g.focus();
    return true;
  }

  setActive(id: number | undefined): void {
    this.active = id;
    for (const [cardId, card] of this.cards) card.g.setAttribute('tabindex', cardId === id ? '0' : '-1');
  }

  private cardOf(target: EventTarget | null): number | undefined {
    const g = target instanceof Element ? target.closest('.node') : null;
    const id = g instanceof SVGGElement ? Number(g.dataset['nodeId']) : NaN;
    return Number.isFinite(id) ? id : undefined;
  }

  private onKeyDown(event: KeyboardEvent): void {
    const id = this.cardOf(event.target);
    if (id === undefined) return;
    const keys: Record<string, 'left' | 'right' | 'up' | 'down' | 'home' | 'end'> = {
      ArrowLeft: 'left',
      ArrowRight: 'right',
      ArrowUp: 'up',
      ArrowDown: 'down',
      Home: 'home',
      End: 'end',
    };
    const move = keys[event.key];
    if (move) {
      event.preventDefault();
      const next = neighbour(this.layout, id, move);
      if (next !== undefined) this.focusNode(next);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.events.openNode(id);
    }
  }

  private drawRegions(input: PictureInput): void {
    const seenRegions = new Set<string>();
    const seenZones = new Set<string>();
    for (const box of this.layout.regions) {
      seenRegions.add(box.name);
      let r = this.regions.get(box.name);
      if (!r) {
        const g = svgElement('g', {}, 'region');
        const rect = svgElement('rect', { rx: 8 }, 'region-box');
        const text = svgElement('text', {}, 'region-title');
        const title = svgElement('tspan', {}, 'region-name');
        const note = svgElement('tspan', {}, 'region-note');
        const status = svgElement('text', {}, 'region-status');
        text.append(title, note);
        g.append(rect, text, status);
        this.regionLayer.append(g);
        r = { g, rect, title, note, status };
        this.regions.set(box.name, r);
      }
      r.g.dataset['region'] = box.name;
      const partitioned = input.head.partitionedRegions?.includes(box.name) === true;
      const gatewayHere = input.head.nodes.some((n) => n.id === input.head.gatewayNodeId && n.region === box.name);
      r.g.classList.toggle('partitioned', partitioned);
      r.g.classList.toggle('gateway-region', gatewayHere);
      setAttributes(r.rect, { x: box.x, y: box.y, width: box.width, height: box.height });
      const text = r.title.parentElement;
      if (text) setAttributes(text, { x: box.x + 12, y: box.y + 20 });
      setAttributes(r.status, { x: box.x + 12, y: box.y + 36 });
      setText(r.title, box.name || 'no region');
      const note = input.regionNotes.get(box.name);
      setText(r.note, note ? `  ·  ${note}` : '');
      const status: string[] = [];
      if (partitioned) status.push('⌁ partitioned: cut off from the other regions');
      if (gatewayHere) status.push(`◆ gateway n${String(input.head.gatewayNodeId)}`);
      setText(r.status, status.join('  ·  '));
      for (const zone of box.zones) {
        seenZones.add(zone.key);
        let z = this.zones.get(zone.key);
        if (!z) {
          const g = svgElement('g', {}, 'zone');
          const rect = svgElement('rect', { rx: 6 }, 'zone-box');
          const label = svgElement('text', {}, 'zone-label');
          const empty = svgElement('text', {}, 'zone-empty');
          g.append(rect, label, empty);
          r.g.append(g);
          z = { g, rect, label, empty };
          this.zones.set(zone.key, z);
        }
        z.g.dataset['zone'] = zone.name;
        setAttributes(z.rect, { x: zone.x, y: zone.y, width: zone.width, height: zone.height });
        setAttributes(z.label, { x: zone.x + 10, y: zone.y + 16 });
        setText(z.label, zone.name ? `zone ${zone.name}` : 'no zone');
        setAttributes(z.empty, { x: zone.x + 10, y: zone.y + 40 });
        const nodes = input.regions.find((rv) => rv.name === box.name)?.zones.find((zv) => zoneKey(box.name, zv.name) === zone.key)?.nodes;
        setText(z.empty, nodes && nodes.length > 0 ? '' : 'no nodes');
      }
    }
    for (const [name, r] of this.regions)
      if (!seenRegions.has(name)) {
        r.g.remove();
        this.regions.delete(name);
      }
    for (const [key, z] of this.zones)
      if (!seenZones.has(key)) {
        z.g.remove();
        this.zones.delete(key);
      }
  }

  private drawArcs(input: PictureInput, latency: Map<string, number>): void {
    const head = input.head;
    const parts: SVGElement[] = [];
    const words: string[] = [];
    for (const arc of this.layout.arcs) {
      const rtt = latency.get(pairKey(arc.from, arc.to));
      const cut = partitionedPair(head, arc.from, arc.to);
      const label = cut ? '✕ partitioned' : rtt === undefined ? '' : `${formatMs(rtt)} RTT`;
      const g = svgElement('g', {}, cut ? 'arc arc-cut' : 'arc');
      g.dataset['from'] = arc.from;
      g.dataset['to'] = arc.to;
      g.append(svgElement('path', { d: arc.d }, 'arc-line'));
      if (label) {
        const width = label.length * 6.6 + 12;
        g.append(
          svgElement('rect', { x: arc.label.x - width / 2, y: arc.label.y - 11, width, height: 18, rx: 9 }, 'arc-pill'),
          Object.assign(svgElement('text', { x: arc.label.x, y: arc.label.y + 2, 'text-anchor': 'middle' }, 'arc-label'), {
            textContent: label,
          }),
        );
        words.push(`${arc.from} ↔ ${arc.to}: ${cut ? 'partitioned' : label}`);
      }
      parts.push(g);
    }
    this.arcLayer.replaceChildren(...parts);
    const source = head.latency?.source;
    const caption =
      source === 'simulated'
        ? 'Round trips between regions: the simulated cluster’s latency table'
        : source === 'measured'
          ? 'Round trips between regions: measured by the nodes’ RPC heartbeats'
          : head.nodes.length > 0 && this.layout.regions.length > 1
            ? 'Latency unknown: this cluster does not expose round trips between regions'
            : '';
    const at = this.layout.unknownCaption;
    if (at) {
      setAttributes(this.caption, { x: at.x, y: at.y });
      setText(this.caption, `Regions of unknown place${caption ? `  ·  ${caption}` : ''}`);
    } else {
      setAttributes(this.caption, { x: 0, y: 14 });
      setText(this.caption, caption);
    }
    this.latencyWords = words.join('; ');
  }

  /** Lines from each leaseholder node to the nodes holding its followers, thicker for more ranges. */
  private drawLinks(input: PictureInput): void {
    const half = { x: CARD_WIDTH / 2, y: this.layout.cardHeight / 2 };
    const lines: SVGElement[] = [];
    let most = 1;
    for (const [, , n] of input.links) most = Math.max(most, n);
    for (const [from, to, n] of input.links) {
      const a = this.layout.nodes.get(from);
      const b = this.layout.nodes.get(to);
      if (!a || !b) continue;
      const line = svgElement(
        'line',
        {
          x1: a.x + half.x,
          y1: a.y + half.y,
          x2: b.x + half.x,
          y2: b.y + half.y,
          'stroke-width': num(1.5 + 3.5 * Math.sqrt(n / most)),
          'marker-end': 'url(#topology-arrow)',
        },
        'replica-link',
      );
      line.dataset['from'] = String(from);
      line.dataset['to'] = String(to);
      lines.push(line);
    }
    this.linkLayer.replaceChildren(...lines);
  }

  private drawNodes(input: PictureInput): void {
    const changed = new Set(input.diff?.liveness.map((c) => c.nodeId) ?? []);
    let densityMax = 0;
    if (input.density)
      for (const s of input.summaries.values()) densityMax = Math.max(densityMax, s.counts.voters, s.counts.nonVoters, s.counts.leases);
    const seen = new Set<number>();
    for (const id of this.layout.order) {
      const node = input.head.nodes.find((n) => n.id === id);
      const at = this.layout.nodes.get(id);
      if (!node || !at) continue;
      seen.add(id);
      let card = this.cards.get(id);
      const isNew = !card;
      if (!card) {
        card = new NodeCard(id, this.events);
        this.cards.set(id, card);
      }
      card.g.style.transform = `translate(${at.x}px, ${at.y}px)`;
      // Kept in reading order, so the DOM order (and Tab) agrees with the picture.
      this.nodeLayer.append(card.g);
      card.resize(this.layout.cardHeight, this.layout.marksHeight);
      const summary = input.summaries.get(id);
      if (summary)
        card.update(node, summary, input.diff?.leaseDelta.get(id), changed.has(id), {
          density: input.density,
          densityMax,
          selecting: input.selecting,
          gateway: input.head.gatewayNodeId === id,
        });
      if (isNew && input.diff) card.g.classList.add('joined');
    }
    for (const [id, card] of this.cards)
      if (!seen.has(id)) {
        card.g.remove();
        this.cards.delete(id);
      }
  }

  /** Start and end of the marks for moved leases, measured before the cards change. */
  private ghostPaths(
    diff: ModelDiff,
    previous: Map<number, { card: NodeCard; at: { x: number; y: number } | undefined; summary: NodeSummary | undefined }>,
  ): { from: { x: number; y: number }; rangeId: number; to: number }[] {
    const paths: { from: { x: number; y: number }; rangeId: number; to: number }[] = [];
    for (const move of diff.movedLeases) {
      if (paths.length >= MAX_GHOSTS) break;
      const was = previous.get(move.from);
      const from = was?.at && was.card.markCentre('lease', move.rangeId, was.at);
      if (from) paths.push({ from, rangeId: move.rangeId, to: move.to });
    }
    return paths;
  }

  private fly(ghosts: readonly { from: { x: number; y: number }; rangeId: number; to: number }[]): void {
    for (const ghost of ghosts) {
      const card = this.cards.get(ghost.to);
      const at = this.layout.nodes.get(ghost.to);
      const to = card && at ? card.markCentre('lease', ghost.rangeId, at) : undefined;
      if (!to) continue;
      const mark = svgElement('circle', { r: 5 }, 'ghost');
      this.ghostLayer.append(mark);
      // The Web Animations API needs no forced layout between start and end, unlike a CSS transition.
      const flight = mark.animate(
        [{ transform: `translate(${ghost.from.x}px, ${ghost.from.y}px)` }, { transform: `translate(${to.x}px, ${to.y}px)` }],
        { duration: GHOST_MS, easing: 'cubic-bezier(0.5, 0, 0.3, 1)', fill: 'forwards' },
      );
      void flight.finished.then(
        () => {
          mark.remove();
        },
        () => {
          mark.remove();
        },
      );
    }
  }
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

function latencyLookup(head: TopologyHead): Map<string, number> {
  return new Map((head.latency?.links ?? []).map((l) => [pairKey(l.from, l.to), l.rttMs]));
}

/** Either end is a partitioned region: no route between them. */
function partitionedPair(head: TopologyHead, a: string, b: string): boolean {
  const cut = head.partitionedRegions ?? [];
  return cut.includes(a) || cut.includes(b);
}

function formatMs(ms: number): string {
  return `${ms < 10 ? ms.toFixed(1).replace(/\.0$/, '') : Math.round(ms)} ms`;
}

function setAttributes(el: Element, attributes: Record<string, number>): void {
  for (const [name, value] of Object.entries(attributes)) {
    const text = String(value);
    if (el.getAttribute(name) !== text) el.setAttribute(name, text);
  }
}
