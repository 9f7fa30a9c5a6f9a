// The crdb_internal tables a query may read (gossip_nodes, gossip_liveness, ranges, kv_node_status), filled from
// the placement model just before it runs.
import { nodeLocalityText } from '../../../sql/src/locality';
import { quoteLiteral } from '../../../sql/src/names';
import type { ClusterContext } from './context';
import { nodeLocality } from './showRanges';

/** Fills the crdb_internal tables from the model, just before a query reads them. */
export async function fillCrdbInternal(cluster: ClusterContext): Promise<void> {
  await cluster.refreshSpans();
  const model = cluster.model;
  const ranges = model.ranges();
  const startedAt = new Date(cluster.startedAt).toISOString().replace('T', ' ').replace('Z', '');
  const nodes = model.nodes();
  const values: string[] = nodes.map((node) => {
    const replicas = ranges.filter((r) => r.replicas.some((x) => x.nodeId === node.id)).length;
    const leases = ranges.filter((r) => r.leaseholder === node.id).length;
    const address = cluster.sqlAddress(node.id) ?? `127.0.0.1:${26256 + node.id}`;
    return `(${node.id}, 'tcp', ${quoteLiteral(address)}, ${quoteLiteral(address)}, 'tcp', ${quoteLiteral(address)}, ${quoteLiteral(address)}, '[]', ${quoteLiteral(nodeLocalityText(node.locality))}, 'demo', ${quoteLiteral(
      cluster.catalog.clusterSettings.get('version') ?? '',
    )}, 'v25.2.0', ${quoteLiteral(startedAt)}, ${node.liveness === 'live' && !node.isolated}, ${replicas}, ${leases})`;
  });
  const rangeValues = ranges.map((r) => {
    const replicas = [...r.replicas].sort((a, b) => a.nodeId - b.nodeId);
    const array = (ids: number[]): string => `ARRAY[${ids.join(',')}]::int8[]`;
    return `(${r.rangeId}, ${quoteLiteral(r.startKey)}::bytea, ${quoteLiteral(r.startKey)}, ${quoteLiteral(r.endKey)}::bytea, ${quoteLiteral(r.endKey)}, ${array(replicas.map((x) => x.nodeId))}, ARRAY[${replicas
      .map((x) => quoteLiteral(nodeLocality(cluster, x.nodeId) ?? ''))
      .join(',')}]::text[], ${array(replicas.filter((x) => x.type === 'voter').map((x) => x.nodeId))}, ${array(
      replicas.filter((x) => x.type === 'non-voter').map((x) => x.nodeId),
    )}, ARRAY[]::int8[], NULL, ${r.leaseholder ?? 'NULL'}, ${r.sizeBytes}, ${quoteLiteral(r.database ?? '')}, ${quoteLiteral(r.table ?? '')}, ${quoteLiteral(r.index ?? '')})`;
  });
  const liveness = nodes.map(
    (node) =>
      `(${node.id}, 1, '0,0', false, ${node.liveness === 'decommissioning' || node.liveness === 'decommissioned'}, ${quoteLiteral(
        node.liveness === 'decommissioned' ? 'decommissioned' : node.liveness === 'decommissioning' ? 'decommissioning' : 'active',
      )}, now()::timestamp)`,
  );
  const nodeStatus = nodes.map((node) => {
    const address = cluster.sqlAddress(node.id) ?? `127.0.0.1:${26256 + node.id}`;
    return `(${node.id}, 'tcp', ${quoteLiteral(address)}, '[]', ${quoteLiteral(nodeLocalityText(node.locality))}, ${quoteLiteral(
      cluster.catalog.clusterSettings.get('version') ?? '',
    )}, 'go1.23', 'v25.2.0', '', '', '', 'simulated', 'CCL', 'development', '', ${quoteLiteral(startedAt)}, now()::timestamp, '{}', '[]', '[]', '{}')`;
  });
  const statements = [
    'DELETE FROM crdb_internal.gossip_liveness',
    liveness.length > 0 ? `INSERT INTO crdb_internal.gossip_liveness VALUES ${liveness.join(',\n')}` : '',
    'DELETE FROM crdb_internal.gossip_nodes',
    'DELETE FROM crdb_internal.ranges',
    'DELETE FROM crdb_internal.kv_node_status',
    nodeStatus.length > 0 ? `INSERT INTO crdb_internal.kv_node_status VALUES ${nodeStatus.join(',\n')}` : '',
    values.length > 0 ? `INSERT INTO crdb_internal.gossip_nodes VALUES ${values.join(',\n')}` : '',
    rangeValues.length > 0 ? `INSERT INTO crdb_internal.ranges VALUES ${rangeValues.join(',\n')}` : '',
  ].filter((s) => s !== '');
  await cluster.engine.exec(statements.join(';\n'));
}
