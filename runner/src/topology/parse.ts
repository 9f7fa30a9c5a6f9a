// Pure readers of the text CockroachDB's introspection statements return (PostgreSQL text format):
// arrays, locality strings, SHOW TABLES' locality column and SHOW RANGES' pretty-printed keys.
import type { TableLocality } from '../../../protocol/src/topology';

export interface QueryResult {
  columns: string[];
  rows: (string | null)[][];
}

/** Rows keyed by column name, so a column a version lacks reads as undefined instead of shifting the rest. */
export function records(result: QueryResult): Record<string, string | null>[] {
  return result.rows.map((row) => {
    const record: Record<string, string | null> = {};
    result.columns.forEach((name, i) => {
      record[name] = row[i] ?? null;
    });
    return record;
  });
}

/**
 * A one-dimensional array in PostgreSQL's text format: `{}`, `{1,2,3}`,
 * `{"region=us-east1,az=b",x}`. Unquoted NULL elements are dropped: no caller wants them.
 */
export function parseTextArray(text: string | null | undefined): string[] {
  if (text === null || text === undefined) return [];
  const body = text.trim();
  if (!body.startsWith('{') || !body.endsWith('}')) return [];
  const out: string[] = [];
  let i = 1;
  const end = body.length - 1;
  while (i < end) {
    let value = '';
    let quoted = false;
    if (body[i] === '"') {
      quoted = true;
      i++;
      while (i < end && body[i] !== '"') {
        if (body[i] === '\\') i++;
        value += body[i] ?? '';
        i++;
      }
      i++;
      while (i < end && body[i] !== ',') i++;
    } else {
      while (i < end && body[i] !== ',') value += body[i++] ?? '';
      value = value.trim();
    }
    if (quoted || value.toUpperCase() !== 'NULL') out.push(value);
    i++;
  }
  return out;
}

export function parseIntArray(text: string | null | undefined): number[] {
  return parseTextArray(text)
    .map(Number)
    .filter((n) => Number.isInteger(n));
}

export function parseBool(text: string | null | undefined): boolean | undefined {
  if (text === null || text === undefined) return undefined;
  const t = text.trim().toLowerCase();
  if (t === 't' || t === 'true') return true;
  if (t === 'f' || t === 'false') return false;
  return undefined;
}

export function parseInteger(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

/** A TIMESTAMP's text (`2025-05-01 20:05:43.85563`, UTC) or a TIMESTAMPTZ's, as epoch milliseconds. */
export function parseTimestamp(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined) return undefined;
  let iso = text.trim().replace(' ', 'T');
  if (/[+-]\d\d$/.test(iso)) iso += ':00';
  else if (!/(Z|[+-]\d\d:?\d\d)$/.test(iso)) iso += 'Z';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A SQL name as SHOW statements print it: `"us-west1"` (quotes doubled inside) or bare `useast`. */
function readName(text: string): string | undefined {
  const t = text.trim();
  const quoted = /^"((?:[^"]|"")*)"$/.exec(t);
  if (quoted) return (quoted[1] ?? '').replace(/""/g, '"');
  return /^[A-Za-z_][\w$]*$/.test(t) ? t.toLowerCase() : undefined;
}

export interface TableLocalityInfo {
  locality?: TableLocality;
  homeRegion?: string;
  /** For REGIONAL BY ROW: the column holding each row's region. */
  regionColumn?: string;
}

/** SHOW TABLES' locality column (the same clause SHOW CREATE TABLE ends with). */
export function parseLocalityText(text: string | null | undefined, primaryRegion: string | undefined): TableLocalityInfo {
  const t = (text ?? '').trim();
  if (/^global$/i.test(t)) return { locality: 'global' };
  const byRow = /^regional\s+by\s+row(?:\s+as\s+(.+))?$/i.exec(t);
  if (byRow)
    return { locality: 'regional-by-row', regionColumn: byRow[1] === undefined ? 'crdb_region' : (readName(byRow[1]) ?? byRow[1]) };
  const byTable = /^regional(?:\s+by\s+table)?(?:\s+in\s+(.+))?$/i.exec(t);
  if (byTable) {
    const where = byTable[1]?.trim();
    const home = where === undefined || /^primary\s+region$/i.test(where) ? primaryRegion : readName(where);
    return home === undefined ? { locality: 'regional-by-table' } : { locality: 'regional-by-table', homeRegion: home };
  }
  return {};
}

/** A pretty-printed key's place: before the table's data, after it, or at an index and values within it. */
export type KeyPosition =
  { kind: 'table-start' } | { kind: 'table-end' } | { kind: 'outside' } | { kind: 'index'; indexId: number; values: string[] };

/** Splits on `/` outside double-quoted strings (which may hold `/` and `\"`). */
function segments(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (quoted && c === '\\') {
      current += c + (text[i + 1] ?? '');
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      current += c;
    } else if (c === '/' && !quoted) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

/**
 * A key as SHOW RANGES prints it: relative to the table (`…/1/"us-east1"/5`, `…/<TableMin>`,
 * `<before:/Table/72>`) for FROM TABLE, or whole (`/Table/106/1/"us-east1"`) for FROM DATABASE.
 */
export function parseKey(key: string): KeyPosition {
  const k = key.trim();
  if (k.startsWith('<before:') || k.startsWith('<after:') || k === '/Min' || k === '/Max') return { kind: 'outside' };
  let rest: string;
  if (k.startsWith('…')) rest = k.slice(1);
  else {
    const whole = /^\/Table\/\d+(.*)$/.exec(k);
    if (!whole) return { kind: 'outside' };
    rest = whole[1] ?? '';
  }
  const parts = segments(rest).slice(1);
  const first = parts[0];
  if (first === undefined || first === '' || first === '<TableMin>' || first === 'TableMin') return { kind: 'table-start' };
  if (first === '<TableMax>' || first === 'TableMax' || first === 'PrefixEnd') return { kind: 'table-end' };
  const indexId = Number(first);
  if (!Number.isInteger(indexId)) return { kind: 'outside' };
  return { kind: 'index', indexId, values: parts.slice(1) };
}

/** A quoted key value's text: `"us-east1"` → us-east1 (escapes kept as written but `\"` and `\\`). */
function keyString(segment: string | undefined): string | undefined {
  if (segment === undefined || segment.length < 2 || !segment.startsWith('"') || !segment.endsWith('"')) return undefined;
  return segment.slice(1, -1).replace(/\\(["\\])/g, '$1');
}

/**
 * The region partition a key starts in, when the key names it as a string (as the simulated
 * cluster prints it; a real cluster prints the region enum's bytes, e.g. `"\x80"`, which no
 * region matches).
 */
export function partitionOfKey(key: string, regions: readonly string[]): string | undefined {
  const position = parseKey(key);
  if (position.kind !== 'index') return undefined;
  // `…/1/"us-east1"/PrefixEnd` is where that partition ends, not where it starts.
  if (position.values[1] === 'PrefixEnd') return undefined;
  const value = keyString(position.values[0]);
  return value !== undefined && regions.includes(value) ? value : undefined;
}

/**
 * The partition of each range of one REGIONAL BY ROW table. A range whose start key names a region
 * is in it. The table's first range starts at the table's start, so its key names no region: when
 * it ends inside a partition, it holds that partition's first rows; when it ends exactly where a
 * partition of index i begins, and exactly one region has no range of index i starting in it,
 * that region is the one it holds. Key order says nothing here (a real
 * cluster orders partitions by the enum's bytes), so nothing is guessed from it.
 */
export function partitionsOfRanges(
  ranges: readonly { startKey: string; endKey: string }[],
  regions: readonly string[],
): (string | undefined)[] {
  const found = ranges.map((r) => partitionOfKey(r.startKey, regions));
  const started = new Map<number, Set<string>>();
  ranges.forEach((r, i) => {
    const position = parseKey(r.startKey);
    const region = found[i];
    if (position.kind === 'index' && region !== undefined) {
      const set = started.get(position.indexId) ?? new Set<string>();
      set.add(region);
      started.set(position.indexId, set);
    }
  });
  const candidates = new Map<number, number[]>();
  ranges.forEach((r, i) => {
    if (found[i] !== undefined) return;
    const start = parseKey(r.startKey);
    const end = parseKey(r.endKey);
    if (end.kind !== 'index') return;
    const startsBefore =
      start.kind === 'table-start' || start.kind === 'outside' || (start.kind === 'index' && start.indexId < end.indexId);
    if (!startsBefore) return;
    const region = keyString(end.values[0]);
    if (region === undefined || !regions.includes(region)) return;
    // Ending inside a partition: the range holds that partition's first rows.
    if (end.values.length > 1 && end.values[1] !== 'PrefixEnd') found[i] = region;
    else if (end.values.length === 1) candidates.set(end.indexId, [...(candidates.get(end.indexId) ?? []), i]);
  });
  for (const [indexId, indices] of candidates) {
    const seen = started.get(indexId) ?? new Set<string>();
    const unclaimed = regions.filter((region) => !seen.has(region));
    const only = indices[0];
    if (indices.length === 1 && unclaimed.length === 1 && only !== undefined) found[only] = unclaimed[0];
  }
  return found;
}
