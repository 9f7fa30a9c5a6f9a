// Zone configs to and from SQL text: CONFIGURE ZONE USING variables in, SHOW ZONE CONFIGURATION's
// raw_config_sql out (pkg/sql/show_zone_config.go zoneConfigToSQL; constraints and lease preferences
// are YAML flow text from pkg/config/zonepb/zone_yaml.go, printed by gopkg.in/yaml.v2).

import { quoteLiteral } from '../../../sql/src/names';
import type { ZoneConfig } from './zoneConfig';
import { flowYaml, parseFlowYaml, type YamlValue } from './flowYaml';

/** CONFIGURE ZONE variables, in the order SHOW ZONE CONFIGURATION prints them. */
export type ZoneVariable =
  | 'range_min_bytes'
  | 'range_max_bytes'
  | 'gc.ttlseconds'
  | 'global_reads'
  | 'num_replicas'
  | 'num_voters'
  | 'constraints'
  | 'voter_constraints'
  | 'lease_preferences';

/**
 * SHOW ZONE CONFIGURATION's raw_config_sql for `target` ('DATABASE movr', 'TABLE movr.public.users',
 * 'RANGE default'). SHOW ZONE CONFIGURATION FOR an object prints its complete config (the default);
 * SHOW ALL ZONE CONFIGURATIONS prints only what the object sets itself: pass those variables as `only`
 * (a REGIONAL BY ROW partition sets num_voters, voter_constraints and lease_preferences).
 */
export function rawConfigSql(target: string, zone: ZoneConfig, options: { only?: readonly ZoneVariable[] } = {}): string {
  const only = options.only;
  const has = (v: ZoneVariable): boolean => only === undefined || only.includes(v);
  const lines: string[] = [];
  if (has('range_min_bytes')) lines.push(`\trange_min_bytes = ${zone.rangeMinBytes}`);
  if (has('range_max_bytes')) lines.push(`\trange_max_bytes = ${zone.rangeMaxBytes}`);
  if (has('gc.ttlseconds')) lines.push(`\tgc.ttlseconds = ${zone.gcTtlSeconds}`);
  if (has('global_reads') && zone.globalReads !== undefined) lines.push(`\tglobal_reads = ${zone.globalReads ? 'true' : 'false'}`);
  if (has('num_replicas')) lines.push(`\tnum_replicas = ${zone.numReplicas}`);
  if (has('num_voters') && zone.numVoters !== undefined) lines.push(`\tnum_voters = ${zone.numVoters}`);
  if (has('constraints')) lines.push(`\tconstraints = ${quoteLiteral(constraintsYaml(zone.constraints))}`);
  // CockroachDB prints voter_constraints only where num_voters is set.
  if (has('voter_constraints') && zone.numVoters !== undefined && zone.numVoters > 0) {
    lines.push(`\tvoter_constraints = ${quoteLiteral(constraintsYaml(zone.voterConstraints))}`);
  }
  if (has('lease_preferences')) lines.push(`\tlease_preferences = ${quoteLiteral(flowYaml(zone.leasePreferences))}`);
  return `ALTER ${target} CONFIGURE ZONE USING\n${lines.join(',\n')}`;
}

/** ConstraintsList.MarshalYAML: a list when there is one conjunction without a count, else a map to counts. */
function constraintsYaml(c: Record<string, number> | string[]): string {
  if (Array.isArray(c)) return flowYaml(c);
  const keys = Object.keys(c);
  const only = keys[0];
  if (keys.length === 1 && only !== undefined && c[only] === 0) return flowYaml(only.split(','));
  // yaml.v2 sorts map keys.
  const entries: [string, number][] = keys.sort().map((k) => [k, c[k] ?? 0]);
  return flowYaml(new Map(entries));
}

/**
 * Applies CONFIGURE ZONE USING variables, each value as written in the SQL text
 * (`num_replicas` → '5', `constraints` → `'{"+region=a": 1}'` or `'[+region=a]'`).
 */
export function withOverrides(base: ZoneConfig, settings: ReadonlyMap<string, string>): ZoneConfig {
  const zone: ZoneConfig = { ...base };
  for (const [rawName, rawValue] of settings) {
    const name = rawName.trim().toLowerCase();
    const text = rawValue.trim();
    if (/^copy\s+from\s+parent$/i.test(text)) continue;
    switch (name) {
      case 'range_min_bytes':
        zone.rangeMinBytes = intValue(name, text);
        break;
      case 'range_max_bytes':
        zone.rangeMaxBytes = intValue(name, text);
        break;
      case 'gc.ttlseconds':
        zone.gcTtlSeconds = intValue(name, text);
        break;
      case 'num_replicas':
        zone.numReplicas = intValue(name, text);
        break;
      case 'num_voters':
        zone.numVoters = intValue(name, text);
        break;
      case 'global_reads':
        zone.globalReads = boolValue(name, text);
        break;
      case 'constraints':
        zone.constraints = constraintsValue(text);
        break;
      case 'voter_constraints':
        zone.voterConstraints = constraintsValue(text);
        break;
      case 'lease_preferences':
        zone.leasePreferences = leasePreferencesValue(text);
        break;
      default:
        throw new Error(`unsupported zone config parameter: "${rawName.trim()}"`);
    }
  }
  if (zone.rangeMinBytes >= zone.rangeMaxBytes) {
    throw new Error(`RangeMinBytes ${zone.rangeMinBytes} is greater than or equal to RangeMaxBytes ${zone.rangeMaxBytes}`);
  }
  return zone;
}

function unquote(text: string): string {
  const m = /^[eE]?'((?:[^']|'')*)'$/.exec(text);
  if (m === null) return text;
  return (m[1] ?? '').replace(/''/g, "'");
}

function intValue(name: string, text: string): number {
  const s = unquote(text);
  if (!/^-?\d+$/.test(s)) throw new Error(`could not parse "${text}" as type int for ${name}`);
  return Number(s);
}

function boolValue(name: string, text: string): boolean {
  const s = unquote(text).toLowerCase();
  if (s === 'true' || s === 'on') return true;
  if (s === 'false' || s === 'off') return false;
  throw new Error(`could not parse "${text}" as type bool for ${name}`);
}

function constraintsValue(text: string): Record<string, number> | string[] {
  const parsed = parseFlowYaml(unquote(text));
  if (Array.isArray(parsed)) return parsed.map((v) => constraintString(v));
  if (parsed instanceof Map) {
    const out: Record<string, number> = {};
    for (const [k, v] of parsed) {
      if (typeof v !== 'string' || !/^\d+$/.test(v)) throw constraintsFormatError();
      out[
        k
          .split(',')
          .map((c) => constraintString(c))
          .join(',')
      ] = Number(v);
    }
    return out;
  }
  throw constraintsFormatError();
}

function leasePreferencesValue(text: string): string[][] {
  const parsed = parseFlowYaml(unquote(text));
  if (!Array.isArray(parsed)) throw new Error('invalid lease_preferences: expected a list of lists of constraints');
  return parsed.map((pref) => {
    if (!Array.isArray(pref)) throw new Error('invalid lease_preferences: expected a list of lists of constraints');
    return pref.map((c) => constraintString(c));
  });
}

function constraintString(v: YamlValue): string {
  if (typeof v !== 'string') throw constraintsFormatError();
  const s = v.trim();
  if (!s.startsWith('+') && !s.startsWith('-')) {
    throw new Error(`constraint "${s}" must be prefixed with '+' (required) or '-' (prohibited)`);
  }
  return s;
}

function constraintsFormatError(): Error {
  return new Error('invalid constraints format. expected an array of strings or a map of strings to ints');
}

/** A zone configuration as CONFIGURE ZONE settings (what `USING DEFAULT` copies onto a target). */
export function zoneSettings(zone: ZoneConfig): Map<string, string> {
  const settings = new Map<string, string>([
    ['range_min_bytes', String(zone.rangeMinBytes)],
    ['range_max_bytes', String(zone.rangeMaxBytes)],
    ['gc.ttlseconds', String(zone.gcTtlSeconds)],
    ['num_replicas', String(zone.numReplicas)],
    ['constraints', constraintsYaml(zone.constraints)],
    ['lease_preferences', flowYaml(zone.leasePreferences)],
  ]);
  if (zone.globalReads !== undefined) settings.set('global_reads', zone.globalReads ? 'true' : 'false');
  if (zone.numVoters !== undefined) {
    settings.set('num_voters', String(zone.numVoters));
    settings.set('voter_constraints', constraintsYaml(zone.voterConstraints));
  }
  return settings;
}
