// A lab's Kubernetes: its cluster of objects and pods, the worker node's name, the Helm releases
// installed, and the port-forwards running.
import type { Lab } from '../lab';
import { KubeCluster } from './cluster';

export interface HelmRelease {
  name: string;
  chart: string;
  revision: number;
  deployedAt: number;
  /** The objects the release created, as `Kind/name`. */
  objects: string[];
  values: Record<string, string>;
}

export class KubeState {
  /** The worker node pods are scheduled on (set by `kind create cluster`, `minikube start`, …). */
  worker = 'kind-control-plane';
  readonly cluster: KubeCluster;
  readonly releases = new Map<string, HelmRelease>();
  /** Helm repositories added (`helm repo add`), by name. */
  readonly repositories = new Map<string, string>();

  constructor(lab: Lab) {
    this.cluster = new KubeCluster(lab.cluster);
  }
}

export function kubernetes(lab: Lab): KubeState {
  return lab.extension('kubernetes', () => new KubeState(lab));
}
