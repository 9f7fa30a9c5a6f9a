// Before a statement touches tables, their ranges must be available: while a failover is under
// way the statement waits for it (in simulated time); a range that lost quorum fails it. What it
// waited, plus the round trips to leaseholders and quorums, is its simulated latency.
import type { SqlSession } from './context';
import { SqlError, SQLSTATE } from './errors';
import { lookupTable } from './tables';

/** Checks the ranges of `tables` (names as written, by parts) and returns the statement's latency in ms. */
export async function checkRanges(session: SqlSession, tables: readonly (readonly string[])[], kind: 'read' | 'write'): Promise<number> {
  if (tables.length === 0) return 0;
  const cluster = session.cluster;
  await cluster.refreshSpans({ sizes: false });
  const rangeIds: number[] = [];
  let global = false;
  for (const parts of tables) {
    const table = lookupTable(session, parts);
    if (!table) continue;
    if (table.locality?.kind === 'global') global = true;
    for (const range of cluster.model.ranges())
      if (range.database === table.database && range.table === table.name) rangeIds.push(range.rangeId);
  }
  if (rangeIds.length === 0) return 0;
  let waited = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    const check = cluster.model.checkAvailable(rangeIds);
    if (check.ok) break;
    if (check.availableAt === undefined) throw new SqlError(SQLSTATE.rangeUnavailable, check.message);
    const wait = Math.max(0, check.availableAt - cluster.clock.now());
    if (cluster.time === 'virtual') cluster.model.advanceTo(check.availableAt);
    else await new Promise((resolve) => setTimeout(resolve, Math.min(wait + 50, 10_000)));
    waited += wait;
  }
  const final = cluster.model.checkAvailable(rangeIds);
  if (!final.ok) throw new SqlError(SQLSTATE.rangeUnavailable, final.message);
  return waited + cluster.model.latencyMs(session.nodeId, rangeIds, kind, { globalReads: global });
}
