// Setting up Kubernetes itself — a local cluster (kind, minikube, k3d), a managed one (gcloud,
// eksctl, az), the Helm client, kubectl's contexts — is a host step: the lab assumes a one-worker
// cluster is there and says so in one line. The worker's name follows the tool, for `kubectl get
// nodes` and `kubectl describe pod`.
import { hostStep, type Lab, type ProgramHandler } from '../lab';
import { kubernetes } from './state';

function operands(words: readonly string[]): string[] {
  return words.slice(1).filter((word) => !word.startsWith('-'));
}

function flag(words: readonly string[], name: string): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word === name) return words[i + 1];
    if (word.startsWith(`${name}=`)) return word.slice(name.length + 1);
  }
  return undefined;
}

function setWorker(lab: Lab, worker: string): void {
  kubernetes(lab).worker = worker;
}

export const kind: ProgramHandler = (words, _stdin, lab) => {
  const [verb, what] = operands(words);
  if (verb === 'create' && what === 'cluster') {
    const name = flag(words, '--name') ?? 'kind';
    setWorker(lab, `${name}-control-plane`);
    return hostStep(
      `a one-node kind cluster "${name}" is assumed running, kubectl's context set to kind-${name}; the simulated cluster runs its pods`,
    );
  }
  if (verb === 'delete') return hostStep('the kind cluster is assumed deleted');
  return hostStep(`kind ${operands(words).join(' ')}: assumed done`);
};

export const minikube: ProgramHandler = (words, _stdin, lab) => {
  const [verb] = operands(words);
  if (verb === 'start') {
    setWorker(lab, 'minikube');
    return hostStep('minikube is assumed started (one node, kubectl context "minikube"); the simulated cluster runs its pods');
  }
  if (verb === 'stop' || verb === 'delete') return hostStep(`minikube ${verb}: assumed done`);
  if (verb === 'dashboard' || verb === 'service')
    return hostStep(`minikube ${verb}: opens a browser on the host; not part of the simulation`);
  return hostStep(`minikube ${operands(words).join(' ')}: assumed done`);
};

export const gcloud: ProgramHandler = (words, _stdin, lab) => {
  const args = operands(words);
  if (args[0] === 'container' && args[1] === 'clusters' && args[2] === 'create') {
    const name = args[3] ?? 'cockroachdb';
    setWorker(lab, `gke-${name}-default-pool-3f1c2a7e-x0k9`);
    return hostStep(`a GKE cluster "${name}" is assumed created and kubectl pointed at it; the simulated cluster runs its pods`);
  }
  if (args[0] === 'container' && args[1] === 'clusters' && args[2] === 'get-credentials')
    return hostStep('kubectl is assumed configured for the GKE cluster');
  return hostStep(`gcloud ${args.join(' ')}: assumed done on the host`);
};

export const eksctl: ProgramHandler = (words) =>
  hostStep(`eksctl ${operands(words).join(' ')}: an EKS cluster is assumed ready and kubectl pointed at it`);

export const k3d: ProgramHandler = (words, _stdin, lab) => {
  if (operands(words)[0] === 'cluster' && operands(words)[1] === 'create')
    setWorker(lab, `k3d-${operands(words)[2] ?? 'k3s-default'}-server-0`);
  return hostStep(`k3d ${operands(words).join(' ')}: a local k3s cluster is assumed ready`);
};
