// Regions and nodes: SHOW REGIONS FROM CLUSTER, crdb_internal.gossip_nodes and
// crdb_internal.gossip_liveness.
import { parseNodeLocality, type NodeLocality } from '../../../sql/src/locality';
import type { TopologyNode, TopologyRegion } from '../../../protocol/src/topology';
import { reasonOf } from './failure';
import { nodeLiveness } from './liveness';
import { parseBool, parseInteger, parseTextArray, parseTimestamp } from './parse';
import type { Reader } from './reader';

const ADMIN = 'needs the admin role';

export async function readRegions(reader: Reader): Promise<TopologyRegion[]> {
  const result = await reader.read('SHOW REGIONS FROM CLUSTER');
  if (!result.ok) {
    reader.note(
      `regions: SHOW REGIONS FROM CLUSTER failed (${reasonOf(result.error)}); regions are taken from node and replica localities`,
    );
    return [];
  }
  return result.rows.filter((r) => r.region).map((r) => ({ name: r.region ?? '', zones: parseTextArray(r.zones) }));
}

/** Adds regions and zones that localities show but SHOW REGIONS did not (or could not) list. */
export function mergeRegions(regions: TopologyRegion[], localities: readonly NodeLocality[]): TopologyRegion[] {
  const byName = new Map(regions.map((r) => [r.name, { name: r.name, zones: [...r.zones] }]));
  const added: TopologyRegion[] = [];
  for (const { region, zone } of localities) {
    if (region === '') continue;
    let entry = byName.get(region);
    if (entry === undefined) {
      entry = { name: region, zones: [] };
      byName.set(region, entry);
      added.push(entry);
    }
    if (zone !== '' && !entry.zones.includes(zone)) entry.zones.push(zone);
  }
  for (const entry of added) entry.zones.sort();
  added.sort((a, b) => a.name.localeCompare(b.name));
  return [...regions.map((r) => byName.get(r.name) ?? r), ...added];
}

export interface NodesRead {
  nodes: TopologyNode[];
  /** Nodes gossip calls live (a draining or decommissioning node may be among them). */
  live: Set<number>;
}

/** The nodes, or undefined when gossip_nodes cannot be read (then liveness is unknown too). */
export async function readNodes(reader: Reader): Promise<NodesRead | undefined> {
  const gossip = await reader.read('SELECT node_id, address, locality, is_live FROM crdb_internal.gossip_nodes');
  if (!gossip.ok) {
    reader.note(
      `nodes: crdb_internal.gossip_nodes is not readable (${reasonOf(gossip.error, ADMIN)}); nodes and their liveness are not shown`,
    );
    return undefined;
  }
  const liveness = await reader.read(
    'SELECT node_id, decommissioning, membership, draining, updated_at FROM crdb_internal.gossip_liveness',
  );
  const records = new Map<number, Record<string, string | null>>();
  if (liveness.ok) {
    for (const r of liveness.rows) {
      const id = parseInteger(r.node_id);
      if (id !== undefined) records.set(id, r);
    }
  } else {
    reader.note(
      `node liveness: crdb_internal.gossip_liveness is not readable (${reasonOf(liveness.error, ADMIN)}); draining and decommissioning nodes are not told apart from live ones`,
    );
  }
  const stamps = [...records.values()].map((r) => parseTimestamp(r.updated_at)).filter((t): t is number => t !== undefined);
  const freshest = stamps.length > 0 ? Math.max(...stamps) : undefined;
  const nodes: TopologyNode[] = [];
  const live = new Set<number>();
  for (const r of gossip.rows) {
    const id = parseInteger(r.node_id);
    if (id === undefined) continue;
    const record = records.get(id);
    const locality = r.locality ?? '';
    const { region, zone } = parseNodeLocality(locality);
    const isLive = parseBool(r.is_live) ?? false;
    if (isLive) live.add(id);
    nodes.push({
      id,
      region,
      zone,
      locality,
      address: r.address ?? '',
      liveness: nodeLiveness({
        isLive,
        membership: record?.membership ?? undefined,
        decommissioning: parseBool(record?.decommissioning),
        draining: parseBool(record?.draining),
        updatedAt: parseTimestamp(record?.updated_at),
        freshestUpdatedAt: freshest,
      }),
    });
  }
  return { nodes: nodes.sort((a, b) => a.id - b.id), live };
}
