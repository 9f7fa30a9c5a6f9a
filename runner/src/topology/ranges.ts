// SHOW RANGES FROM TABLE … [WITH DETAILS] rows as TopologyRange, read by column name so the
// v22.2 shape (no DETAILS option, lease_holder always there) and the v23.1+ shape both fit.
import { parseNodeLocality, type NodeLocality } from '../../../sql/src/locality';
import type { TopologyRange, TopologyReplica } from '../../../protocol/src/topology';
import { parseInteger, parseIntArray, parseTextArray } from './parse';

export interface RangeRow {
  range: TopologyRange;
  /** Where its replicas are, for regions and zones no other statement showed. */
  localities: NodeLocality[];
}

function replicasOf(record: Record<string, string | null>): TopologyReplica[] {
  const all = parseIntArray(record.replicas);
  const voters = record.voting_replicas === undefined ? undefined : new Set(parseIntArray(record.voting_replicas));
  const nonVoters = new Set(parseIntArray(record.non_voting_replicas));
  const learners = new Set(parseIntArray(record.learner_replicas));
  for (const id of [...(voters ?? []), ...nonVoters, ...learners]) if (!all.includes(id)) all.push(id);
  return all.map((nodeId) => ({
    nodeId,
    // Versions before voting_replicas existed had voters only.
    type: learners.has(nodeId) ? 'learner' : nonVoters.has(nodeId) || (voters !== undefined && !voters.has(nodeId)) ? 'non-voter' : 'voter',
  }));
}

/**
 * One row of SHOW RANGES. `live` holds the nodes gossip says are live (undefined when unknown):
 * a range is available when it has a leaseholder and, when liveness is known, a majority of its
 * voters are live.
 */
export function rangeFromRow(
  record: Record<string, string | null>,
  where: { database: string; table: string },
  live: ReadonlySet<number> | undefined,
): RangeRow | undefined {
  const rangeId = parseInteger(record.range_id);
  if (rangeId === undefined) return undefined;
  const replicas = replicasOf(record);
  const leaseholder = parseInteger(record.lease_holder);
  const size = parseInteger(record.range_size);
  const sizeMb = record.range_size_mb === undefined || record.range_size_mb === null ? undefined : Number(record.range_size_mb);
  const voters = replicas.filter((r) => r.type === 'voter');
  const quorum = live === undefined || voters.filter((r) => live.has(r.nodeId)).length * 2 > voters.length;
  // Without a lease_holder column (SHOW RANGES without DETAILS) the leaseholder is unknown, not absent.
  const leased = record.lease_holder === undefined || leaseholder !== undefined;
  const range: TopologyRange = {
    rangeId,
    database: where.database,
    table: where.table,
    startKey: record.start_key ?? '',
    endKey: record.end_key ?? '',
    replicas,
    available: leased && quorum,
  };
  if (leaseholder !== undefined) range.leaseholder = leaseholder;
  if (size !== undefined) range.sizeBytes = size;
  else if (sizeMb !== undefined && Number.isFinite(sizeMb)) range.sizeBytes = Math.round(sizeMb * 1_000_000);
  const localities = parseTextArray(record.replica_localities).map(parseNodeLocality);
  if (record.lease_holder_locality) localities.push(parseNodeLocality(record.lease_holder_locality));
  return { range, localities };
}
