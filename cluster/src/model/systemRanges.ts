// The ranges a fresh cluster starts with, before any user table. A new v23+ cluster holds about 70
// (meta, node liveness, timeseries and one per system table); we model 69, so the first user
// range is r70, in line with what SHOW RANGES shows on a fresh `cockroach demo --empty`.

import { defaultZoneConfig, type ZoneConfig } from './zoneConfig';

export interface SystemRangeSpec {
  startKey: string;
  endKey: string;
  zone: ZoneConfig;
  /** What SHOW ZONE CONFIGURATIONS calls its zone: RANGE meta, RANGE liveness, ... */
  zoneName: string;
}

/** The first table id a user table gets on a fresh cluster (ids 100-103 hold defaultdb, postgres and their public schemas). */
export const FIRST_USER_TABLE_ID = 104;

/** How many system ranges there are; user range ids start after them. */
export const SYSTEM_RANGE_COUNT = 69;

/**
 * Meta, liveness and system ranges keep 5 replicas (the 'RANGE meta', 'RANGE liveness', 'RANGE system'
 * and 'DATABASE system' zones); timeseries follows 'RANGE default'. With replication disabled (demo or
 * start-single-node on 2 nodes or fewer) everything has 1 replica.
 */
export function systemRanges(replicationDisabled: boolean): SystemRangeSpec[] {
  const base = defaultZoneConfig();
  const replicas = (n: number): number => (replicationDisabled ? 1 : n);
  const meta: ZoneConfig = { ...base, gcTtlSeconds: 3600, numReplicas: replicas(5) };
  const liveness: ZoneConfig = { ...base, gcTtlSeconds: 600, numReplicas: replicas(5) };
  const system: ZoneConfig = { ...base, numReplicas: replicas(5) };
  const timeseries: ZoneConfig = { ...base, numReplicas: replicas(3) };
  const out: SystemRangeSpec[] = [
    { startKey: '/Min', endKey: '/System/NodeLiveness', zone: meta, zoneName: 'RANGE meta' },
    { startKey: '/System/NodeLiveness', endKey: '/System/NodeLivenessMax', zone: liveness, zoneName: 'RANGE liveness' },
    { startKey: '/System/NodeLivenessMax', endKey: '/System/tsd', zone: system, zoneName: 'RANGE system' },
    { startKey: '/System/tsd', endKey: '/System/"tse"', zone: timeseries, zoneName: 'RANGE timeseries' },
    { startKey: '/System/"tse"', endKey: '/Table/0', zone: system, zoneName: 'RANGE system' },
  ];
  // One range per system table id from here on; the last one runs up to the first user table.
  const tableRanges = SYSTEM_RANGE_COUNT - out.length;
  for (let i = 0; i < tableRanges; i++) {
    const start = i === 0 ? 0 : i + 2;
    const end = i === tableRanges - 1 ? FIRST_USER_TABLE_ID : i + 3;
    out.push({ startKey: `/Table/${start}`, endKey: `/Table/${end}`, zone: system, zoneName: 'DATABASE system' });
  }
  return out;
}
