// CockroachDB's text for range descriptors and the "replica unavailable" error
// (kvpb.ReplicaUnavailableError: "replica unavailable: %s unable to serve request to %s: %s";
// kvserver replicaUnavailableError adds "lost quorum (down: ...)"). One store per node, as in demo.

import { prettyRange } from './keys';

interface Replica {
  nodeId: number;
  type: 'voter' | 'non-voter';
  replicaId: number;
}

interface Descriptor {
  rangeId: number;
  startKey: string;
  endKey: string;
  replicas: readonly Replica[];
}

/** roachpb.ReplicaDescriptor: `(n1,s1):1`, with the type appended unless a full voter. */
export function replicaDescriptor(r: Replica): string {
  return `(n${r.nodeId},s${r.nodeId}):${r.replicaId}${r.type === 'non-voter' ? 'NON_VOTER' : ''}`;
}

/** roachpb.RangeDescriptor: `r72:/Table/104{-/2} [(n1,s1):1, (n2,s2):2, next=3, gen=1]`. */
export function rangeDescriptor(d: Descriptor, nextReplicaId: number, generation: number): string {
  const replicas = d.replicas.map(replicaDescriptor).join(', ');
  return `r${d.rangeId}:${prettyRange(d.startKey, d.endKey)} [${replicas}, next=${nextReplicaId}, gen=${generation}]`;
}

export function replicaUnavailableMessage(
  d: Descriptor,
  serving: Replica,
  down: readonly Replica[],
  nextReplicaId: number,
  generation: number,
): string {
  return (
    `replica unavailable: ${replicaDescriptor(serving)} unable to serve request to ` +
    `${rangeDescriptor(d, nextReplicaId, generation)}: lost quorum (down: ${down.map(replicaDescriptor).join(',')})`
  );
}
