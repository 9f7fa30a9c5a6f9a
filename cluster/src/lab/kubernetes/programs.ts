// The Kubernetes programs of a lab, by name, for the lab's registry (../programs.ts).
import type { ProgramHandler } from '../lab';
import { helm } from './helm';
import { eksctl, gcloud, k3d, kind, minikube } from './hostSteps';
import { kubectl } from './kubectl';

export const KUBERNETES_PROGRAMS: ReadonlyMap<string, ProgramHandler> = new Map<string, ProgramHandler>([
  ['kubectl', kubectl],
  ['helm', helm],
  ['kind', kind],
  ['minikube', minikube],
  ['k3d', k3d],
  ['gcloud', gcloud],
  ['eksctl', eksctl],
]);
