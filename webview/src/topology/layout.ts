// Where things go in the picture, in SVG user units: regions are bands stacked top to bottom, their
// zones side by side, a zone's nodes in rows of up to three. Pure, so the drawing code only places.
import type { RegionView } from './model';

export const CARD_WIDTH = 232;
const NODES_PER_ROW = 3;
const GAP = 12;
const ZONE_PAD = 10;
const ZONE_HEADER = 22;
const REGION_PAD = 12;
const REGION_HEADER = 30;

/** The replica marks' area inside a card, at its tallest. */
export const MARKS = { x: 10, y: 84, width: 212, height: 104 } as const;
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

export function layoutPicture(regions: readonly RegionView[], marks: number = MARKS.height): PictureLayout {
  const CARD_HEIGHT = MARKS.y + marks + CARD_BOTTOM;
  const nodes = new Map<number, { x: number; y: number }>();
  const order: number[] = [];
  const boxes: RegionBox[] = [];
  let y = 0;
  let width = 0;
  for (const region of regions) {
    const zones: ZoneBox[] = [];
    let x = REGION_PAD;
    let tallest = 0;
    for (const zone of region.zones) {
      const columns = Math.max(1, Math.min(NODES_PER_ROW, zone.nodes.length));
      const rows = Math.max(1, Math.ceil(zone.nodes.length / NODES_PER_ROW));
      const box: ZoneBox = {
        key: zoneKey(region.name, zone.name),
        name: zone.name,
        x,
        y: y + REGION_HEADER,
        width: ZONE_PAD * 2 + columns * CARD_WIDTH + (columns - 1) * GAP,
        height: ZONE_HEADER + ZONE_PAD + rows * CARD_HEIGHT + (rows - 1) * GAP,
      };
      zone.nodes.forEach((node, i) => {
        nodes.set(node.id, {
          x: box.x + ZONE_PAD + (i % NODES_PER_ROW) * (CARD_WIDTH + GAP),
          y: box.y + ZONE_HEADER + Math.floor(i / NODES_PER_ROW) * (CARD_HEIGHT + GAP),
        });
      });
      zones.push(box);
      x += box.width + GAP;
      tallest = Math.max(tallest, box.height);
    }
    const regionWidth = Math.max(x - GAP + REGION_PAD, CARD_WIDTH + 2 * REGION_PAD);
    const height = REGION_HEADER + Math.max(tallest, ZONE_HEADER) + REGION_PAD;
    boxes.push({ name: region.name, x: 0, y, width: regionWidth, height, zones });
    width = Math.max(width, regionWidth);
    y += height + GAP;
  }
  // Reading order: region by region, then top to bottom, left to right, as the eye goes.
  for (const region of regions)
    order.push(
      ...region.zones
        .flatMap((z) => z.nodes.map((n) => n.id))
        .sort((a, b) => {
          const pa = nodes.get(a);
          const pb = nodes.get(b);
          return (pa?.y ?? 0) - (pb?.y ?? 0) || (pa?.x ?? 0) - (pb?.x ?? 0);
        }),
    );
  // Bands share one width so the picture reads as a table of regions.
  for (const box of boxes) box.width = width;
  return {
    width: Math.max(width, 1),
    height: Math.max(y - GAP, 1),
    cardHeight: CARD_HEIGHT,
    marksHeight: marks,
    regions: boxes,
    nodes,
    order,
  };
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
    // The nearest row first, then the nearest card in it.
    const score = Math.abs(dy) * 10 + Math.abs(p.x - here.x);
    if (score < bestScore) {
      bestScore = score;
      best = id;
    }
  }
  return best ?? from;
}
