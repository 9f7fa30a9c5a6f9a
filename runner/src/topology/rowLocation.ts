// Where a row of a REGIONAL BY ROW table lives: SHOW RANGE FROM TABLE t FOR ROW (region, key…)
// names the range that holds (or would hold) the row's primary-key entry — the row need not exist,
// and the same key in another region's partition is another range. From that range's leaseholder
// and voters, what a read and a write from each region would pay: a read goes gateway → leaseholder;
// a follower read to the nearest replica; a write to the leaseholder, then the leaseholder's round
// trip to a quorum of voters.
import type { NodeLiveness } from '../../../protocol/src/topology';
import type { RegionRtt, RowLatency, RowLocation, RttTable } from '../../../protocol/src/topologyStory';
import { lex, type Token } from '../../../sql/src/lexer';
import { parseNodeLocality } from '../../../sql/src/locality';
import { quoteIdent, quoteLiteral } from '../../../sql/src/names';
import { reasonOf } from './failure';
import { parseInteger, parseIntArray, parseTextArray } from './parse';
import { Reader, type QueryFn } from './reader';

/** A zone-to-zone round trip inside a region, when the latency table has none for it. */
export const SAME_REGION_RTT_MS = 1;

/**
 * The values typed for the key, as SQL literals: a number or a quoted string stays as written;
 * anything else (a UUID, a word) is taken as the text of a string literal, which CockroachDB
 * casts to the column's type. Commas inside quotes do not split.
 */
export function keyLiterals(typed: string): string[] {
  const { tokens } = lex(typed);
  const parts: Token[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'punct' && t.value === ',') parts.push([]);
    else parts[parts.length - 1]?.push(t);
  }
  const out: string[] = [];
  for (const part of parts) {
    const first = part[0];
    const last = part[part.length - 1];
    if (first === undefined || last === undefined) continue;
    const text = typed.slice(first.start, last.end);
    if (part.length === 1 && first.kind === 'number') out.push(first.value);
    else if (part.length === 2 && first.kind === 'op' && first.value === '-' && last.kind === 'number') out.push(`-${last.value}`);
    else if (part.length === 1 && first.kind === 'string') out.push(quoteLiteral(first.value));
    else out.push(quoteLiteral(text));
  }
  return out;
}

/** `"db"."schema"."table"` for a table the model names `t` (public) or `schema.t`. */
export function tableSqlName(database: string, table: string): string {
  const dot = table.indexOf('.');
  const [schema, name] = dot < 0 ? ['public', table] : [table.slice(0, dot), table.slice(dot + 1)];
  return [database, schema, name].map(quoteIdent).join('.');
}

export function showRangeForRowSql(database: string, table: string, region: string | undefined, typedKey: string): string {
  const values = [...(region === undefined ? [] : [quoteLiteral(region)]), ...keyLiterals(typedKey)];
  return `SHOW RANGE FROM TABLE ${tableSqlName(database, table)} FOR ROW (${values.join(', ')})`;
}

/** Round trips between regions, from the model's latency table (either direction). */
export function rttLookup(links: readonly RegionRtt[]): (a: string, b: string) => number | undefined {
  const table = new Map<string, number>();
  for (const l of links) {
    table.set(`${l.from}\u0000${l.to}`, l.rttMs);
    if (!table.has(`${l.to}\u0000${l.from}`)) table.set(`${l.to}\u0000${l.from}`, l.rttMs);
  }
  return (a, b) => table.get(`${a}\u0000${b}`) ?? (a === b ? SAME_REGION_RTT_MS : undefined);
}

export interface PlacedReplica {
  nodeId: number;
  region: string;
  voter: boolean;
}

/**
 * Per region: a read (gateway in that region → leaseholder), a follower read (the nearest replica)
 * and a write (→ leaseholder, then the leaseholder's round trip to the nearest majority of voters
 * other than itself). Undefined where a round trip is unknown. A replica on the leaseholder's own
 * node costs nothing; another node of its region costs a zone round trip.
 */
export function rowLatencies(
  regions: readonly string[],
  replicas: readonly PlacedReplica[],
  leaseholder: number | undefined,
  rtt: (a: string, b: string) => number | undefined,
): RowLatency[] {
  const lh = replicas.find((r) => r.nodeId === leaseholder);
  const voters = replicas.filter((r) => r.voter);
  let quorum: number | undefined;
  if (lh !== undefined) {
    const others = voters.filter((v) => v.nodeId !== lh.nodeId).map((v) => rtt(lh.region, v.region));
    const needed = Math.floor(voters.length / 2);
    if (needed === 0) quorum = 0;
    else if (others.every((x): x is number => x !== undefined))
      quorum = others.sort((a, b) => a - b)[Math.min(needed, others.length) - 1] ?? 0;
  }
  return regions.map((region) => {
    const out: RowLatency = { region };
    const toLh = lh === undefined ? undefined : rtt(region, lh.region);
    if (toLh !== undefined) out.readMs = toLh;
    const near = replicas.map((r) => rtt(region, r.region));
    if (near.length > 0 && near.every((x): x is number => x !== undefined)) out.followerReadMs = Math.min(...near);
    if (toLh !== undefined && quorum !== undefined) out.writeMs = toLh + quorum;
    return out;
  });
}

export interface LocateContext {
  /** The cluster's regions, in the order the view lists them. */
  regions: string[];
  /** The table's region partitions, asked one by one when no region is given. */
  partitions: string[];
  nodes: { id: number; region: string; liveness: NodeLiveness }[];
  latency?: RttTable;
}

export class RowLocationError extends Error {}

/**
 * Runs SHOW RANGE … FOR ROW for the region given, or for each of the table's region partitions when
 * none is (the key could be in any of them: each partition holds its own range for it).
 */
export async function locateRow(
  query: QueryFn,
  request: { database: string; table: string; region?: string; key: string },
  context: LocateContext,
): Promise<RowLocation[]> {
  const reader = new Reader(query);
  const region = request.region?.trim() === '' ? undefined : request.region?.trim();
  if (region === undefined && request.key.trim() === '') throw new RowLocationError('Type a primary-key value, or choose a region.');
  const asked = region === undefined ? context.partitions : [region];
  if (asked.length === 0) throw new RowLocationError(`${request.database}.${request.table} has no region partitions to look in.`);
  const rtt = rttLookup(context.latency?.links ?? []);
  const source = context.latency?.source ?? 'unknown';
  const out: RowLocation[] = [];
  for (const r of asked) {
    const statement = showRangeForRowSql(request.database, request.table, r, request.key);
    const result = await reader.read(statement);
    if (!result.ok) throw new RowLocationError(`${statement} failed: ${reasonOf(result.error, 'needs SELECT on the table')}`);
    const row = result.rows[0];
    if (row === undefined) throw new RowLocationError(`${statement} returned no range.`);
    const rangeId = parseInteger(row.range_id);
    if (rangeId === undefined) throw new RowLocationError(`${statement} returned no range id.`);
    const replicas = parseIntArray(row.replicas);
    const localities = parseTextArray(row.replica_localities);
    const voters = row.voting_replicas === undefined ? replicas : parseIntArray(row.voting_replicas);
    const regionOf = (id: number, i: number): string =>
      parseNodeLocality(localities[i] ?? '').region || (context.nodes.find((n) => n.id === id)?.region ?? '');
    const placed = replicas.map((nodeId, i) => ({ nodeId, region: regionOf(nodeId, i), voter: voters.includes(nodeId) }));
    const leaseholder = parseInteger(row.lease_holder);
    const location: RowLocation = {
      database: request.database,
      table: request.table,
      statement,
      region: r,
      rangeId,
      startKey: row.start_key ?? null,
      endKey: row.end_key ?? null,
      replicas,
      voters,
      nonVoters: parseIntArray(row.non_voting_replicas),
      latencies:
        source === 'unknown' ? context.regions.map((g) => ({ region: g })) : rowLatencies(context.regions, placed, leaseholder, rtt),
      latencySource: source,
    };
    if (leaseholder !== undefined) location.leaseholder = leaseholder;
    if (row.lease_holder_locality) location.leaseholderLocality = row.lease_holder_locality;
    out.push(location);
  }
  return out;
}
