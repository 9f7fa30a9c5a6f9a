// Where things go in the picture, in SVG user units: a map. Regions with a known place stand west
// to east (a wider gap where an ocean is) and a little lower the further south they are; regions
// of unknown place line up in a row below. Inside a region its zones are stacked, a zone's nodes
// in rows of up to two. Round trips between regions are arcs above the boxes. Pure, so the drawing
// code only places.
import type { RegionView } from './model';
import { placeOf } from './geography';

export const CARD_WIDTH = 232;
const NODES_PER_ROW = 2;
const GAP = 14;
const ZONE_PAD = 10;
const ZONE_HEADER = 22;
const REGION_PAD = 12;
const REGION_HEADER = 44;
/** Map units per degree of longitude between neighbouring regions: oceans show as wider gaps. */
const UNITS_PER_LON = 5;
/** Map units per degree of latitude below the northernmost region, and the most that adds. */
const UNITS_PER_LAT = 2.5;
const MAX_LAT_DROP = 160;
/** Room above the regions for the latency arcs' labels. */
const ARC_LABEL = 22;
const UNKNOWN_CAPTION = 26;
/** Room at the top for the line that says where the latencies come from. */
const CAPTION_SPACE = 24;

/** The replica marks' area inside a card, at its tallest. */
export const MARKS = { x: 10, y: 84, width: 212, height: 104 } as const;
/** The density view's rows (leases, voters, non-voters, unavailable) in the marks area. */
export const DENSITY_HEIGHT = 72;
const CARD_BOTTOM = 14;
/** Marks never get smaller than this pitch; a node with more replicas than fit shows a count of the rest. */
const MIN_PITCH = 2;
const MAX_PITCH = 14;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ZoneBox extends Box {
  key: string;
  name: string;
}

export interface RegionBox extends Box {
  name: string;
  zones: ZoneBox[];
  /** False for a region placed in the row of unknown places. */
  placed: boolean;
}

/** A round trip between two regions, drawn as an arc above them. */
export interface Arc {
  from: string;
  to: string;
  /** SVG path data of the arc. */
  d: string;
  /** Where its label goes (the arc's top). */
  label: { x: number; y: number };
}

export interface PictureLayout {
  width: number;
  height: number;
  /** Every card is as tall as the busiest node's marks need, so cards line up. */
  cardHeight: number;
  marksHeight: number;
  regions: RegionBox[];
  /** Top-left corner of each node's card. */
  nodes: Map<number, { x: number; y: number }>;
  /** Node ids in reading order, for the arrow keys. */
  order: number[];
  arcs: Arc[];
  /** Where the caption of the row of unknown places goes, when there is one. */
  unknownCaption?: { x: number; y: number };
}

export function zoneKey(region: string, zone: string): string {
  return `${region}\u0000${zone}`;
}

/** Marks area height for the busiest node: a few replicas do not need a tall, empty card. */
export function marksHeight(maxReplicas: number): number {
  const perRow = Math.floor(MARKS.width / MAX_PITCH);
  const rows = Math.max(2, Math.ceil(maxReplicas / perRow));
  return Math.min(MARKS.height, rows * MAX_PITCH);
}

/** A region's box, laid out at the origin: zones stacked, nodes two to a row. */
function regionBox(region: RegionView, cardHeight: number, nodes: Map<number, { x: number; y: number }>): RegionBox {
  const zones: ZoneBox[] = [];
  let y = REGION_HEADER;
  let widest = CARD_WIDTH + 2 * ZONE_PAD;
  for (const zone of region.zones) {
    const columns = Math.max(1, Math.min(NODES_PER_ROW, zone.nodes.length));
    const rows = Math.max(1, Math.ceil(zone.nodes.length / NODES_PER_ROW));
    const box: ZoneBox = {
      key: zoneKey(region.name, zone.name),
      name: zone.name,
      x: REGION_PAD,
      y,
      width: ZONE_PAD * 2 + columns * CARD_WIDTH + (columns - 1) * GAP,
      height: zone.nodes.length === 0 ? ZONE_HEADER + 30 : ZONE_HEADER + ZONE_PAD + rows * cardHeight + (rows - 1) * GAP,
    };
    zone.nodes.forEach((node, i) => {
      nodes.set(node.id, {
        x: box.x + ZONE_PAD + (i % NODES_PER_ROW) * (CARD_WIDTH + GAP),
        y: box.y + ZONE_HEADER + Math.floor(i / NODES_PER_ROW) * (cardHeight + GAP),
      });
    });
    zones.push(box);
    widest = Math.max(widest, box.width);
    y += box.height + GAP;
  }
  // Zones share the region's width, so the column reads as one place.
  for (const z of zones) z.width = widest;
  const height = Math.max(y - GAP, REGION_HEADER + ZONE_HEADER) + REGION_PAD;
  return { name: region.name, x: 0, y: 0, width: widest + 2 * REGION_PAD, height, zones, placed: false };
}

function move(box: RegionBox, dx: number, dy: number, nodes: Map<number, { x: number; y: number }>, ids: readonly number[]): void {
  box.x += dx;
  box.y += dy;
  for (const z of box.zones) {
    z.x += dx;
    z.y += dy;
  }
  for (const id of ids) {
    const p = nodes.get(id);
    if (p) nodes.set(id, { x: p.x + dx, y: p.y + dy });
  }
}

/** Which region pairs get an arc: all of a few regions; past five, neighbours and the gateway's region to each. */
export function arcPairs(ordered: readonly string[], gatewayRegion: string | undefined): [string, string][] {
  const pairs: [string, string][] = [];
  const seen = new Set<string>();
  const add = (a: string, b: string): void => {
    const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
    if (a === b || seen.has(key)) return;
    seen.add(key);
    pairs.push([a, b]);
  };
  if (ordered.length <= 5) {
    for (let i = 0; i < ordered.length; i++) for (let j = i + 1; j < ordered.length; j++) add(ordered[i] as string, ordered[j] as string);
    return pairs;
  }
  for (let i = 0; i + 1 < ordered.length; i++) add(ordered[i] as string, ordered[i + 1] as string);
  if (gatewayRegion !== undefined && ordered.includes(gatewayRegion)) for (const r of ordered) add(gatewayRegion, r);
  return pairs;
}

export interface MapOptions {
  /** Region pairs with a known round trip (the others get no arc). */
  linked?: (a: string, b: string) => boolean;
  gatewayRegion?: string;
}

export function layoutPicture(regions: readonly RegionView[], marks: number = MARKS.height, options: MapOptions = {}): PictureLayout {
  const cardHeight = MARKS.y + marks + CARD_BOTTOM;
  const nodes = new Map<number, { x: number; y: number }>();
  const boxes = regions.map((r) => regionBox(r, cardHeight, nodes));
  const idsOf = new Map(regions.map((r) => [r.name, r.zones.flatMap((z) => z.nodes.map((n) => n.id))]));
  const known = boxes
    .map((box) => ({ box, place: placeOf(box.name) }))
    .filter((x): x is { box: RegionBox; place: { lon: number; lat: number } } => x.place !== undefined)
    .sort((a, b) => a.place.lon - b.place.lon || b.place.lat - a.place.lat || a.box.name.localeCompare(b.box.name));
  const unknown = boxes.filter((b) => placeOf(b.name) === undefined).sort((a, b) => a.name.localeCompare(b.name));

  // West to east: at least a gap apart, further where the globe says so.
  const northmost = Math.max(...known.map((k) => k.place.lat));
  let right = -GAP;
  let previous: { x: number; lon: number } | undefined;
  for (const { box, place } of known) {
    const byDistance = previous ? previous.x + (place.lon - previous.lon) * UNITS_PER_LON : 0;
    const x = Math.max(right + GAP, byDistance);
    const y = Math.min(MAX_LAT_DROP, (northmost - place.lat) * UNITS_PER_LAT);
    move(box, x, y, nodes, idsOf.get(box.name) ?? []);
    box.placed = true;
    right = x + box.width;
    previous = { x, lon: place.lon };
  }
  const ordered = known.map((k) => k.box.name);

  // Arcs between the placed regions' tops: the further apart, the higher.
  const byName = new Map(boxes.map((b) => [b.name, b]));
  const arcs: Arc[] = [];
  let rise = 0;
  const linked = options.linked ?? ((): boolean => false);
  const shapes: { from: string; to: string; ax: number; ay: number; bx: number; by: number; h: number }[] = [];
  for (const [a, b] of arcPairs(ordered, options.gatewayRegion)) {
    if (!linked(a, b)) continue;
    const ra = byName.get(a);
    const rb = byName.get(b);
    if (!ra || !rb) continue;
    const [l, r] = ra.x <= rb.x ? [ra, rb] : [rb, ra];
    const ax = l.x + l.width * 0.62;
    const bx = r.x + r.width * 0.38;
    const h = 34 + (bx - ax) * 0.14;
    shapes.push({ from: a, to: b, ax, ay: l.y, bx, by: r.y, h });
    rise = Math.max(rise, h - Math.min(l.y, r.y));
  }
  const top = CAPTION_SPACE + (shapes.length > 0 ? Math.max(0, rise) / 2 + ARC_LABEL + 6 : 0);
  for (const box of boxes.filter((b) => b.placed)) move(box, 0, top, nodes, idsOf.get(box.name) ?? []);
  for (const s of shapes) {
    const ay = s.ay + top;
    const by = s.by + top;
    const cy = Math.min(ay, by) - s.h;
    const cx = (s.ax + s.bx) / 2;
    // The quadratic's top is halfway between the ends' mean and its control point.
    const labelY = ((ay + by) / 2 + cy) / 2;
    arcs.push({
      from: s.from,
      to: s.to,
      d: `M${r1(s.ax)} ${r1(ay)}Q${r1(cx)} ${r1(cy)} ${r1(s.bx)} ${r1(by)}`,
      label: { x: r1(cx), y: r1(labelY) },
    });
  }

  // Regions of unknown place: a row under the map.
  let bottom = boxes.filter((b) => b.placed).reduce((m, b) => Math.max(m, b.y + b.height), 0);
  let unknownCaption: { x: number; y: number } | undefined;
  if (unknown.length > 0) {
    const captioned = known.length > 0;
    if (captioned) unknownCaption = { x: 0, y: bottom + GAP + 16 };
    const y = bottom + (captioned ? GAP + UNKNOWN_CAPTION : 0);
    let x = 0;
    for (const box of unknown) {
      move(box, x, y, nodes, idsOf.get(box.name) ?? []);
      x += box.width + GAP;
    }
    bottom = unknown.reduce((m, b) => Math.max(m, b.y + b.height), bottom);
  }
  const width = boxes.reduce((m, b) => Math.max(m, b.x + b.width), 0);

  // Reading order: region by region west to east (then the unknown row), top to bottom, left to right.
  const order: number[] = [];
  for (const box of [...known.map((k) => k.box), ...unknown])
    order.push(
      ...(idsOf.get(box.name) ?? []).slice().sort((a, b) => {
        const pa = nodes.get(a);
        const pb = nodes.get(b);
        return (pa?.y ?? 0) - (pb?.y ?? 0) || (pa?.x ?? 0) - (pb?.x ?? 0);
      }),
    );
  return {
    width: Math.max(width, 1),
    height: Math.max(bottom, 1),
    cardHeight,
    marksHeight: marks,
    regions: [...known.map((k) => k.box), ...unknown],
    nodes,
    order,
    arcs,
    ...(unknownCaption ? { unknownCaption } : {}),
  };
}

function r1(n: number): number {
  return Math.round(n * 10) / 10;
}

export interface MarkGrid {
  /** Distance between neighbouring marks. */
  pitch: number;
  /** A mark's side. */
  size: number;
  columns: number;
  /** Marks drawn; the rest are counted in words. */
  shown: number;
}

/** The largest mark pitch at which `count` marks fit the marks area. */
export function markGrid(count: number, width: number = MARKS.width, height: number = MARKS.height): MarkGrid {
  let pitch = MAX_PITCH;
  while (pitch > MIN_PITCH && Math.floor(width / pitch) * Math.floor(height / pitch) < count) pitch--;
  const columns = Math.floor(width / pitch);
  const capacity = columns * Math.floor(height / pitch);
  const size = pitch - Math.max(0.5, Math.round(pitch * 0.2 * 2) / 2);
  return { pitch, size, columns, shown: Math.min(count, capacity) };
}

export function markPosition(grid: MarkGrid, index: number): { x: number; y: number } {
  return { x: (index % grid.columns) * grid.pitch, y: Math.floor(index / grid.columns) * grid.pitch };
}

/** The mark under a point of the marks area, or -1. */
export function markIndexAt(grid: MarkGrid, x: number, y: number): number {
  if (x < 0 || y < 0) return -1;
  const column = Math.floor(x / grid.pitch);
  if (column >= grid.columns) return -1;
  const index = Math.floor(y / grid.pitch) * grid.columns + column;
  return index < grid.shown ? index : -1;
}

/** The node to move to with an arrow key: left/right in reading order, up/down to the nearest card above or below. */
export function neighbour(layout: PictureLayout, from: number, key: 'left' | 'right' | 'up' | 'down' | 'home' | 'end'): number | undefined {
  const order = layout.order;
  const at = order.indexOf(from);
  if (key === 'home') return order[0];
  if (key === 'end') return order[order.length - 1];
  if (at < 0) return order[0];
  if (key === 'left') return order[Math.max(0, at - 1)];
  if (key === 'right') return order[Math.min(order.length - 1, at + 1)];
  const here = layout.nodes.get(from);
  if (!here) return from;
  let best: number | undefined;
  let bestScore = Infinity;
  for (const [id, p] of layout.nodes) {
    const dy = p.y - here.y;
    if (key === 'down' ? dy <= 0 : dy >= 0) continue;
    // The same column first (regions sit at different heights on the map), then the nearest row, then the nearest card in it.
    const dx = Math.abs(p.x - here.x);
    const score = (dx < CARD_WIDTH / 2 ? 0 : 1_000_000) + Math.abs(dy) * 10 + dx;
    if (score < bestScore) {
      bestScore = score;
      best = id;
    }
  }
  return best ?? from;
}
