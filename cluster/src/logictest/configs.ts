// The clusters CockroachDB's logic-test configurations describe (pkg/sql/logictest/logictestbase):
// how many nodes and where they are. Only the topology carries over; the rest of a configuration
// (vectorize, distsql, tenants) changes nothing the simulated cluster models.
import type { NodeLocality } from '../../../sql/src/locality';

export interface LogicConfig {
  name: string;
  localities: NodeLocality[];
}

function regions(spec: readonly [region: string, zones: readonly string[]][]): NodeLocality[] {
  return spec.flatMap(([region, zones]) => zones.map((zone) => ({ region, zone })));
}

const THREE_REGIONS: readonly [string, readonly string[]][] = [
  ['ap-southeast-2', ['ap-az1', 'ap-az2', 'ap-az3']],
  ['ca-central-1', ['ca-az1', 'ca-az2', 'ca-az3']],
  ['us-east-1', ['us-az1', 'us-az2', 'us-az3']],
];

const FIVE_REGIONS: readonly [string, readonly string[]][] = [
  ...THREE_REGIONS,
  ['us-west-1', ['usw-az1', 'usw-az2', 'usw-az3']],
  ['us-central-1', ['usc-az1', 'usc-az2', 'usc-az3']],
];

/** Nodes of a configuration without localities: CockroachDB's test servers default to `region=test`. */
function unplaced(nodes: number): NodeLocality[] {
  return Array.from({ length: nodes }, () => ({ region: 'test', zone: '' }));
}

/** The topology of a configuration by name; undefined for one the simulator has no stand-in for. */
export function logicConfig(name: string): LogicConfig | undefined {
  if (name.startsWith('multiregion-9node-3region-3azs')) return { name, localities: regions(THREE_REGIONS) };
  if (name === 'multiregion-15node-5region-3azs') return { name, localities: regions(FIVE_REGIONS) };
  if (name === 'multiregion-3node-3superlongregions')
    return { name, localities: [1, 2, 3].map((i) => ({ region: `veryveryveryveryveryveryverylongregion${i}`, zone: '' })) };
  if (name === '3node-tenant-multiregion') return { name, localities: ['test', 'test1', 'test2'].map((region) => ({ region, zone: '' })) };
  if (name.startsWith('5node')) return { name, localities: unplaced(5) };
  if (name.startsWith('3node') || name.startsWith('fakedist') || name === 'disk') return { name, localities: unplaced(3) };
  if (name.startsWith('local') || name === 'default-configs') return { name, localities: unplaced(1) };
  return undefined;
}

/** The configuration a file runs in: its first that the simulator has, else `local`. */
export function chooseConfig(listed: readonly string[], requested?: string): LogicConfig {
  if (requested !== undefined) {
    const config = logicConfig(requested);
    if (!config) throw new Error(`unknown logic-test configuration '${requested}'`);
    return config;
  }
  for (const name of listed) {
    if (name.startsWith('!')) continue;
    const config = logicConfig(name);
    if (config) return config;
  }
  return logicConfig('local') as LogicConfig;
}
