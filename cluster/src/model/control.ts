// Failure and membership controls, shared by the IPC API and the \demo commands. Invalid
// requests fail with a message; they never half-apply.
import type { ControlAction } from '../../../protocol/src/cluster';
import type { ClusterModel } from './cluster';

/** What a control acts on: the model, and who must hear that the topology changed. */
export interface ControlTarget {
  readonly model: ClusterModel;
  /** A node joined: its SQL address may need a listener. */
  nodeAdded(nodeId: number): void;
  /** Tables, indexes, localities, zones or nodes changed: ranges are laid out again. */
  topologyChanged(): void;
}

export function applyControl(simulator: ControlTarget, control: ControlAction): void {
  const model = simulator.model;
  const node = 'nodeId' in control ? model.nodes().find((n) => n.id === control.nodeId) : undefined;
  if ('nodeId' in control && !node) throw new Error(`node ${control.nodeId} does not exist`);
  const regions = new Set(model.nodes().map((n) => n.locality.region));
  if ((control.action === 'partition' || control.action === 'heal') && !regions.has(control.region))
    throw new Error(`region ${control.region} does not exist`);
  // cockroach demo's words (democluster: findServer, DrainAndShutdown, RestartNode).
  if ((control.action === 'kill' || control.action === 'restart') && node?.liveness === 'decommissioned')
    throw new Error(`node ${control.nodeId} is permanently decommissioned`);
  switch (control.action) {
    case 'kill':
      if (node?.running === false) throw new Error(`node ${control.nodeId} is already shut down`);
      model.killNode(control.nodeId);
      break;
    case 'restart':
      if (node?.running !== false) throw new Error(`node ${control.nodeId} is already running`);
      model.restartNode(control.nodeId);
      break;
    case 'decommission': {
      // As `cockroach node decommission` does by default: refuse when the replicas have nowhere to go.
      const [check] = model.decommissionPreCheck([control.nodeId], false);
      if (check?.readiness === 'allocation errors') {
        const first = check.blocking[0];
        throw new Error(
          `ranges blocking decommission detected: n${control.nodeId} has ${check.blocking.length} replicas blocked` +
            `${first === undefined ? '' : ` with error: "${first.error}"`}. Cannot decommission nodes.`,
        );
      }
      model.decommissionNode(control.nodeId);
      break;
    }
    case 'recommission':
      model.recommissionNode(control.nodeId);
      break;
    case 'partition':
      model.partitionRegion(control.region);
      break;
    case 'heal':
      model.healRegion(control.region);
      break;
    case 'add': {
      const added = model.addNode({ region: control.region, zone: control.zone });
      simulator.nodeAdded(added.id);
      break;
    }
  }
  simulator.topologyChanged();
}
