// From spans (one per index or partition) to range boundaries. CockroachDB splits at table boundaries
// and wherever the zone config changes (a partition, an index with its own zone), not at every index;
// within that, a range splits once it outgrows range_max_bytes, leaving halves of about half that.

import { zoneConfigsEqual, type ZoneConfig } from './zoneConfig';

export interface SpanInput {
  /** Stable identity, e.g. 'movr.public.users@users_pkey#us-east1'. */
  key: string;
  database?: string;
  table?: string;
  index?: string;
  partition?: string;
  /** Pretty-printed partition prefix after the index id, e.g. '/"\x80"' (a region enum); default '/"<partition>"'. */
  partitionKey?: string;
  tableId: number;
  indexId: number;
  sizeBytes: number;
  rows: number;
  zone: ZoneConfig;
  /** Sorted, pretty-printed key suffixes sampled evenly from the data (after /Table/<id>), used as split keys. */
  boundaries?: string[];
}

export interface RangeLayout {
  startKey: string;
  endKey: string;
  sizeBytes: number;
  tableId: number;
  zone: ZoneConfig;
  /** The span holding the range's first byte. */
  span: SpanInput;
  /** Every span the range holds part of. */
  spanKeys: string[];
}

export function tableKey(tableId: number): string {
  return `/Table/${tableId}`;
}

export function spanStartKey(span: SpanInput): string {
  const partition = span.partitionKey ?? (span.partition !== undefined ? `/"${span.partition}"` : '');
  return `/Table/${span.tableId}/${span.indexId}${partition}`;
}

/** How many ranges a run of data of this size settles into. */
export function rangeCountFor(sizeBytes: number, rangeMaxBytes: number): number {
  if (sizeBytes <= rangeMaxBytes || rangeMaxBytes <= 0) return 1;
  return Math.ceil(sizeBytes / (rangeMaxBytes / 2));
}

export function layoutRanges(spans: readonly SpanInput[]): RangeLayout[] {
  const sorted = spans
    .map((span, order) => ({ span, order }))
    .sort((a, b) => a.span.tableId - b.span.tableId || a.span.indexId - b.span.indexId || a.order - b.order)
    .map((s) => s.span);

  // Runs of same-table spans sharing a zone config share ranges.
  const segments: SpanInput[][] = [];
  for (const span of sorted) {
    const last = segments[segments.length - 1];
    const prev = last?.[last.length - 1];
    if (last !== undefined && prev !== undefined && prev.tableId === span.tableId && zoneConfigsEqual(prev.zone, span.zone)) {
      last.push(span);
    } else {
      segments.push([span]);
    }
  }

  const out: RangeLayout[] = [];
  segments.forEach((segment, i) => {
    const first = segment[0] as SpanInput;
    const prevSegment = segments[i - 1];
    const nextSegment = segments[i + 1];
    const tableStart = prevSegment?.[0]?.tableId !== first.tableId;
    const start = tableStart ? tableKey(first.tableId) : spanStartKey(first);
    const next = nextSegment?.[0];
    const end = next !== undefined && next.tableId === first.tableId ? spanStartKey(next) : tableKey(first.tableId + 1);
    splitSegment(segment, start, end, out);
  });
  return out;
}

function splitSegment(segment: readonly SpanInput[], start: string, end: string, out: RangeLayout[]): void {
  const first = segment[0] as SpanInput;
  const offsets: number[] = [];
  let total = 0;
  for (const span of segment) {
    offsets.push(total);
    total += Math.max(0, span.sizeBytes);
  }
  const n = rangeCountFor(total, first.zone.rangeMaxBytes);

  // Cut points at even byte offsets, each turned into a key inside the span it falls in.
  const cuts: { offset: number; key: string }[] = [];
  for (let k = 1; k < n; k++) {
    const offset = (total * k) / n;
    const j = spanAt(offsets, segment, offset);
    const span = segment[j] as SpanInput;
    const frac = span.sizeBytes > 0 ? (offset - (offsets[j] ?? 0)) / span.sizeBytes : 0;
    const key = splitKey(span, frac);
    const prevKey = cuts[cuts.length - 1]?.key ?? start;
    if (key !== prevKey && key !== end) cuts.push({ offset, key });
  }

  const bounds = [{ offset: 0, key: start }, ...cuts, { offset: total, key: end }];
  for (let r = 0; r + 1 < bounds.length; r++) {
    const lo = bounds[r] as { offset: number; key: string };
    const hi = bounds[r + 1] as { offset: number; key: string };
    const last = r + 2 === bounds.length;
    const spanKeys: string[] = [];
    let holder: SpanInput | undefined;
    segment.forEach((span, j) => {
      const a = offsets[j] ?? 0;
      const b = a + Math.max(0, span.sizeBytes);
      const holds = a === b ? a >= lo.offset && (a < hi.offset || last) : a < hi.offset && b > lo.offset;
      if (holds) {
        spanKeys.push(span.key);
        holder ??= span;
      }
    });
    const span = holder ?? first;
    out.push({
      startKey: lo.key,
      endKey: hi.key,
      sizeBytes: Math.round(hi.offset - lo.offset),
      tableId: first.tableId,
      zone: first.zone,
      span,
      spanKeys: spanKeys.length > 0 ? spanKeys : [span.key],
    });
  }
}

function spanAt(offsets: readonly number[], segment: readonly SpanInput[], offset: number): number {
  for (let j = segment.length - 1; j >= 0; j--) {
    if ((offsets[j] ?? 0) <= offset && (segment[j]?.sizeBytes ?? 0) > 0) return j;
  }
  return 0;
}

/** The key at fraction `frac` of a span's data: a sampled boundary, else a synthesized row key. */
function splitKey(span: SpanInput, frac: number): string {
  if (frac <= 0) return spanStartKey(span);
  const b = span.boundaries ?? [];
  if (b.length > 0) return tableKey(span.tableId) + (b[Math.min(b.length - 1, Math.floor(frac * b.length))] as string);
  return `${spanStartKey(span)}/${Math.max(1, Math.floor(frac * Math.max(1, span.rows)))}`;
}

/** keys.PrettyPrintRange: the common prefix, then `{start-end}` of what differs (`/Table/10{6-7}`). */
export function prettyRange(start: string, end: string): string {
  let i = 0;
  while (i < start.length && i < end.length && start.charCodeAt(i) === end.charCodeAt(i)) i++;
  return `${start.slice(0, i)}{${start.slice(i)}-${end.slice(i)}}`;
}
