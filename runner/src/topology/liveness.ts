// A node's liveness from crdb_internal.gossip_nodes (is_live) and crdb_internal.gossip_liveness
// (membership, draining, updated_at).
import type { NodeLiveness } from '../../../protocol/src/topology';

/**
 * A liveness record gossips on every heartbeat (every 4.5 s by default); one this far behind the
 * freshest record has missed several, though the node's lease on liveness has not run out yet.
 */
export const STALE_LIVENESS_MS = 30_000;

export interface LivenessFacts {
  isLive: boolean;
  /** `active` | `decommissioning` | `decommissioned`; undefined when gossip_liveness was not read. */
  membership?: string | undefined;
  /** The older boolean, for versions without `membership`. */
  decommissioning?: boolean | undefined;
  draining?: boolean | undefined;
  /** When this node's liveness record was last gossiped (epoch ms), and the freshest of all nodes'. */
  updatedAt?: number | undefined;
  freshestUpdatedAt?: number | undefined;
}

/**
 * Membership first (a decommissioned node stays decommissioned whether it runs or not); then dead
 * when gossip says it is not live; suspect when it is live but draining, or its liveness record is
 * STALE_LIVENESS_MS behind the freshest one (heartbeats are not getting through); else live.
 * Staleness is measured against the other records, not this machine's clock, which may be skewed.
 */
export function nodeLiveness(facts: LivenessFacts): NodeLiveness {
  const membership = facts.membership?.toLowerCase();
  if (membership === 'decommissioned') return 'decommissioned';
  if (membership === 'decommissioning' || (membership === undefined && facts.decommissioning === true)) return 'decommissioning';
  if (!facts.isLive) return 'dead';
  if (facts.draining === true) return 'suspect';
  if (
    facts.updatedAt !== undefined &&
    facts.freshestUpdatedAt !== undefined &&
    facts.freshestUpdatedAt - facts.updatedAt > STALE_LIVENESS_MS
  ) {
    return 'suspect';
  }
  return 'live';
}
