// Zone configurations, and the ones CockroachDB synthesizes for multi-region databases
// (pkg/sql/regions/region_util.go: GetNumVotersAndNumReplicas, Synthesize*Constraints,
// SynthesizeLeasePreferences, ZoneConfigForMultiRegionTable/Partition).
import type { TableLocalitySpec } from '../../../sql/src/locality';

export interface ZoneConfig {
  rangeMinBytes: number;
  rangeMaxBytes: number;
  gcTtlSeconds: number;
  numReplicas: number;
  /** Unset means every replica votes. */
  numVoters?: number;
  /** Map form counts replicas per conjunction (`{'+region=a': 1}`); list form constrains every replica. */
  constraints: Record<string, number> | string[];
  voterConstraints: Record<string, number> | string[];
  leasePreferences: string[][];
  globalReads?: boolean;
}

export interface DatabaseRegions {
  name: string;
  /** Defaults to the first of `regions`. */
  primaryRegion?: string;
  regions: string[];
  secondaryRegion?: string;
  survival: 'zone' | 'region';
  /** PLACEMENT RESTRICTED keeps every replica of a regional table or partition in its home region. */
  placement?: 'default' | 'restricted';
}

const MiB = 1024 * 1024;

export function defaultZoneConfig(): ZoneConfig {
  return {
    rangeMinBytes: 128 * MiB,
    rangeMaxBytes: 512 * MiB,
    // 4 hours since v23.1 (it was 25 hours before).
    gcTtlSeconds: 14400,
    numReplicas: 3,
    constraints: [],
    voterConstraints: [],
    leasePreferences: [],
  };
}

/** How many voters survive: 3 (zone) or 5 (region), and how many replicas that takes. */
export function numVotersAndReplicas(db: DatabaseRegions): { numVoters: number; numReplicas: number } {
  const regions = db.regions.length;
  if (db.survival === 'zone') return { numVoters: 3, numReplicas: db.placement === 'restricted' ? 3 : 3 + (regions - 1) };
  // Two voters in the home region (quorum - 1), one replica in every other region, one more for a secondary region.
  let numReplicas = maxFailuresBeforeUnavailability(5) + (regions - 1);
  if (hasSecondary(db)) numReplicas++;
  return { numVoters: 5, numReplicas: Math.max(numReplicas, 5) };
}

/** floor((n-1)/2): how many voters may fail before a range loses quorum. */
export function maxFailuresBeforeUnavailability(numVoters: number): number {
  return Math.floor((numVoters + 1) / 2) - 1;
}

export function databaseZoneConfig(db: DatabaseRegions): ZoneConfig {
  const primary = primaryOf(db);
  if (primary === undefined) return defaultZoneConfig();
  return homedIn(db, primary, 'database');
}

/** `replicas` over `regions` (in their order): as many in each, one more in `home` and then the first others while some are left. */
function spreadReplicas(replicas: number, regions: readonly string[], home: string): Record<string, number> {
  const base = Math.floor(replicas / regions.length);
  let extra = replicas % regions.length;
  const more = new Set<string>();
  if (extra > 0 && regions.includes(home)) {
    more.add(home);
    extra--;
  }
  for (const region of regions) {
    if (extra === 0) break;
    if (region === home) continue;
    more.add(region);
    extra--;
  }
  const constraints: Record<string, number> = {};
  for (const region of regions) {
    const count = base + (more.has(region) ? 1 : 0);
    if (count > 0) constraints[regionConstraint(region)] = count;
  }
  return constraints;
}

export function tableZoneConfig(db: DatabaseRegions, locality: TableLocalitySpec): ZoneConfig {
  const base = databaseZoneConfig(db);
  const primary = primaryOf(db);
  if (primary === undefined) return base;
  switch (locality.kind) {
    case 'global':
      // Under PLACEMENT RESTRICTED the database has no non-voters, but GLOBAL tables need one in
      // every region for local reads: they get the DEFAULT placement's config of their own.
      if (db.placement === 'restricted') return { ...homedIn({ ...db, placement: 'default' }, primary), globalReads: true };
      return { ...base, globalReads: true };
    case 'regional-by-row':
      // Partitions carry the placement; the table itself keeps the database's.
      return base;
    case 'regional-by-table':
      return locality.region === undefined && db.survival === 'zone' ? base : homedIn(db, locality.region ?? primary);
  }
}

/**
 * Whether a table's multi-region locality gives it a zone configuration of its own rather than
 * the database's: GLOBAL (global_reads), a home region other than the primary, or, under REGION
 * survival, every REGIONAL BY TABLE table (its replicas are spread over the regions with the
 * extra ones in its home region, which the database's one-per-region constraints do not say).
 */
export function hasOwnMultiRegionZone(db: DatabaseRegions, locality: TableLocalitySpec): boolean {
  if (primaryOf(db) === undefined) return false;
  if (locality.kind === 'global') return true;
  if (locality.kind === 'regional-by-row') return false;
  return locality.region !== undefined || db.survival === 'region';
}

/** The zone of a REGIONAL BY ROW partition (named after its region): voters and lease in that region. */
export function partitionZoneConfig(db: DatabaseRegions, region: string): ZoneConfig {
  if (primaryOf(db) === undefined) return databaseZoneConfig(db);
  return homedIn(db, region);
}

/**
 * The database's config (`home` its primary region), or a regional table's or partition's homed in
 * `home`. Under REGION survival a table or partition constrains all its replicas to the database's
 * regions, evenly, the extra ones going first to `home`, then to the other regions in order
 * (regions.AddConstraintsForSuperRegion: the database's regions act as one super region).
 */
function homedIn(db: DatabaseRegions, home: string, level: 'database' | 'table' = 'table'): ZoneConfig {
  const { numVoters, numReplicas } = numVotersAndReplicas(db);
  let constraints: Record<string, number> | string[] = {};
  if (db.placement === 'restricted') constraints = [];
  else if (db.survival === 'region' && level === 'table') constraints = spreadReplicas(numReplicas, [...db.regions].sort(), home);
  else for (const region of db.regions) constraints[regionConstraint(region)] = 1;
  const secondary = hasSecondary(db) ? db.secondaryRegion : undefined;
  let voterConstraints: Record<string, number> | string[];
  if (db.survival === 'zone') {
    voterConstraints = [regionConstraint(home)];
  } else {
    const quorumMinusOne = maxFailuresBeforeUnavailability(numVoters);
    voterConstraints = { [regionConstraint(home)]: quorumMinusOne };
    if (secondary !== undefined && secondary !== home) voterConstraints[regionConstraint(secondary)] = quorumMinusOne;
  }
  const leasePreferences = [[regionConstraint(home)]];
  if (secondary !== undefined && secondary !== home) leasePreferences.push([regionConstraint(secondary)]);
  return { ...defaultZoneConfig(), numReplicas, numVoters, constraints, voterConstraints, leasePreferences };
}

function primaryOf(db: DatabaseRegions): string | undefined {
  if (db.regions.length === 0) return undefined;
  return db.primaryRegion ?? db.regions[0];
}

function hasSecondary(db: DatabaseRegions): boolean {
  return db.secondaryRegion !== undefined && db.secondaryRegion !== '';
}

export function regionConstraint(region: string): string {
  return `+region=${region}`;
}

export function zoneConfigsEqual(a: ZoneConfig, b: ZoneConfig): boolean {
  return a === b || zoneConfigKey(a) === zoneConfigKey(b);
}

const keyCache = new WeakMap<ZoneConfig, string>();

/** A canonical string for a zone config; configs are treated as values once handed to the model. */
export function zoneConfigKey(zone: ZoneConfig): string {
  let key = keyCache.get(zone);
  if (key === undefined) {
    key = JSON.stringify([
      zone.rangeMinBytes,
      zone.rangeMaxBytes,
      zone.gcTtlSeconds,
      zone.numReplicas,
      zone.numVoters ?? null,
      canonicalConstraints(zone.constraints),
      canonicalConstraints(zone.voterConstraints),
      zone.leasePreferences,
      zone.globalReads ?? null,
    ]);
    keyCache.set(zone, key);
  }
  return key;
}

function canonicalConstraints(c: Record<string, number> | string[]): unknown {
  if (Array.isArray(c)) return c;
  return Object.keys(c)
    .sort()
    .map((k) => [k, c[k]]);
}
