// CockroachDB's `spans:` line: the key intervals of an index a scan reads, built from the
// comparisons on the index's key columns in order — equalities (and IN lists) on a prefix, then
// at most one range. `[/1 - /1]` is one key; `[/2 - ]` everything from 2; integers' exclusive
// bounds become inclusive ones (k > 2 reads from /3), other types keep `(` / `)`.
import type { Comparison } from './explainExpr';

interface Bound {
  value: string;
  inclusive: boolean;
}

/** One interval: the equal prefix and the range on the next column, if any. */
interface KeySpan {
  prefix: string[];
  lower: Bound | undefined;
  upper: Bound | undefined;
}

export interface IndexSpans {
  spans: KeySpan[];
  /** Columns with an equality, in key order (a lookup by the whole unique key when it covers it). */
  equalColumns: string[];
  /** The column after them whose range bounds the spans, if any. */
  rangeColumn: string | undefined;
  /** Every key column had an equality of one value each: a single key. */
  singleKey: boolean;
}

/** Spans of an index with `keyColumns` under `comparisons`; undefined when the first column is unconstrained (a full scan). */
export function indexSpans(keyColumns: readonly string[], comparisons: readonly Comparison[]): IndexSpans | undefined {
  let prefixes: string[][] = [[]];
  const equalColumns: string[] = [];
  let lower: Bound | undefined;
  let upper: Bound | undefined;
  let rangeColumn: string | undefined;
  for (const column of keyColumns) {
    const own = comparisons.filter((c) => c.column.column === column && c.other === undefined);
    const equal = own.find((c) => c.op === '=');
    if (equal) {
      const values = sortValues([...new Set(equal.values)]);
      prefixes = prefixes.flatMap((prefix) => values.map((v) => [...prefix, v]));
      equalColumns.push(column);
      continue;
    }
    for (const c of own) {
      const value = c.values[0];
      if (value === undefined) continue;
      if (c.op === '>' || c.op === '>=') lower = tightened(value, c.op === '>=', 1);
      if (c.op === '<' || c.op === '<=') upper = tightened(value, c.op === '<=', -1);
    }
    if (lower || upper) rangeColumn = column;
    break;
  }
  if (equalColumns.length === 0 && !lower && !upper) return undefined;
  return {
    spans: prefixes.map((prefix) => ({ prefix, lower, upper })),
    equalColumns,
    rangeColumn,
    singleKey: equalColumns.length === keyColumns.length && prefixes.length === 1,
  };
}

/** An integer's exclusive bound is the next integer, inclusive. */
function tightened(value: string, inclusive: boolean, step: number): Bound {
  if (!inclusive && /^-?\d+$/.test(value)) return { value: String(BigInt(value) + BigInt(step)), inclusive: true };
  return { value, inclusive };
}

function sortValues(values: string[]): string[] {
  const numeric = values.every((v) => v !== '' && Number.isFinite(Number(v)));
  return [...values].sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
}

/** Each span prefixed with one region value per region (REGIONAL BY ROW indexes lead with the region column). */
export function withRegionPrefix(spans: IndexSpans | undefined, regions: readonly string[]): IndexSpans | undefined {
  const quoted = [...regions].sort().map((r) => `'${r}'`);
  const base = spans?.spans ?? [{ prefix: [], lower: undefined, upper: undefined }];
  return {
    spans: quoted.flatMap((region) => base.map((span) => ({ ...span, prefix: [region, ...span.prefix] }))),
    equalColumns: spans?.equalColumns ?? [],
    rangeColumn: spans?.rangeColumn,
    singleKey: spans?.singleKey ?? false,
  };
}

/** The spans as CockroachDB prints them: up to four, then `… (n more)`. */
export function formatSpans(spans: IndexSpans | undefined): string {
  if (!spans) return 'FULL SCAN';
  const shown = spans.spans.slice(0, 4).map(formatSpan);
  const more = spans.spans.length - shown.length;
  return more > 0 ? `${shown.join(' ')} … (${more} more)` : shown.join(' ');
}

function formatSpan(span: KeySpan): string {
  const prefix = span.prefix.map((v) => `/${v}`).join('');
  const start = span.lower ? `${prefix}/${span.lower.value}` : prefix;
  const end = span.upper ? `${prefix}/${span.upper.value}` : prefix;
  const open = span.lower && !span.lower.inclusive ? '(' : '[';
  const close = span.upper && !span.upper.inclusive ? ')' : ']';
  return `${open}${start} - ${end}${close}`;
}
