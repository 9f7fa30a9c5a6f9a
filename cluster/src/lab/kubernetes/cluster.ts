// The Kubernetes cluster of a lab: the objects applied to it and the pods its controllers run, in
// simulated time. Pods are CockroachDB nodes: a StatefulSet pod's container runs `cockroach start`,
// and its persistent volume claim (`datadir-cockroachdb-1`) keeps the node's store, so a pod the
// StatefulSet recreates is the same node restarting, while a pod on a new claim is a new node
// joining. A Job whose container runs `cockroach init` initializes the cluster: the nodes running
// then become the simulated cluster's nodes (ids in ordinal order).
//
// Each pod's life is a timeline — created, scheduled (Pending), container created, running, ready,
// terminating, gone — with what it does to the model (a node starts, dies, restarts) scheduled on
// the simulated clock, so it happens when simulated time reaches it whoever moves the clock.
import { parseNodeLocality, type NodeLocality } from '../../../../sql/src/locality';
import type { ClusterModel } from '../../model/cluster';
import type { LabCluster } from '../lab';
import type { CheckResult } from '../loadBalancer';
import {
  objectRef,
  podTemplateImage,
  podTemplateWords,
  serviceSpec,
  statefulSetSpec,
  type CockroachStart,
  type KubeObject,
  type ServiceSpec,
  type StatefulSetSpec,
} from './manifests';

/** Timings of a pod's life (Kubernetes' defaults and what a local cluster typically shows). */
export const POD_TIMING = {
  /** Scheduling and binding the volume: Pending. */
  scheduleMs: 1000,
  /** Creating the container when the image is already on the node. */
  containerMs: 2000,
  /** The first pull of an image. */
  pullMs: 8000,
  /** A CockroachDB node drains and exits on SIGTERM within this (well inside the 60 s grace period). */
  drainMs: 5000,
  /** The StatefulSet controller notices the pod is gone and creates its replacement. */
  recreateMs: 1000,
  /** A failed Job pod (restartPolicy OnFailure) is restarted after this back-off. */
  jobBackoffMs: 10_000,
  /** The kubelet restarts an exited container after this (its first back-off). */
  containerRestartMs: 10_000,
} as const;

export interface Pod {
  name: string;
  owner: { kind: 'StatefulSet' | 'Job' | 'Pod' | 'Deployment'; name: string };
  ordinal: number | undefined;
  labels: Record<string, string>;
  image: string;
  ip: string;
  createdAt: number;
  /** When its container is running. */
  startsAt: number;
  restarts: number;
  /** `kubectl delete` (or a scale-down) began terminating it. */
  deletedAt: number | undefined;
  /** When it is gone from the API. */
  goneAt: number | undefined;
  /** A Job pod's run: finished at, and whether it succeeded. */
  finishedAt: number | undefined;
  succeeded: boolean;
  /** The CockroachDB node its container starts. */
  cockroach: CockroachStart | undefined;
  /** The words a Job or bare pod runs (for `cockroach init` jobs). */
  command: string[];
  /** The claim holding the node's store (StatefulSet pods). */
  claim: string | undefined;
  readiness: { initialDelayMs: number; periodMs: number } | undefined;
  /** Set when the node refuses to start (a decommissioned node's store). */
  crashing: string | undefined;
}

export interface StatefulSet {
  spec: StatefulSetSpec;
  object: KubeObject;
  createdAt: number;
  replicas: number;
  revision: string;
}

export interface Claim {
  name: string;
  storage: string;
  volume: string;
  createdAt: number;
}

export interface Service {
  spec: ServiceSpec;
  clusterIP: string;
  createdAt: number;
}

export interface StoredObject {
  object: KubeObject;
  createdAt: number;
}

export type PodStatus = 'Pending' | 'ContainerCreating' | 'Running' | 'Terminating' | 'Completed' | 'Error' | 'CrashLoopBackOff';

export interface PodView {
  ready: boolean;
  status: PodStatus;
  restarts: number;
  ageMs: number;
}

/** Where a Kubernetes DNS name leads. */
export type Resolved = { kind: 'pod'; pod: Pod } | { kind: 'service'; service: Service; pods: Pod[] };

const NAMESPACE = 'default';
const DNS_SUFFIXES = [`.${NAMESPACE}.svc.cluster.local`, `.${NAMESPACE}.svc`, `.${NAMESPACE}`, '.svc.cluster.local', ''];

/** A small stable hash, for names Kubernetes makes up (pod suffixes, volume ids, revisions). */
export function stableHash(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0;
  return hash;
}

/** Kubernetes' alphabet for generated name suffixes (no vowels, no look-alikes). */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function generatedSuffix(seed: string, length = 5): string {
  let hash = stableHash(seed);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += SUFFIX_ALPHABET[hash % SUFFIX_ALPHABET.length] ?? 'x';
    hash = Math.floor(hash / SUFFIX_ALPHABET.length) ^ stableHash(`${seed}${i}`);
  }
  return out;
}

function uuidOf(seed: string): string {
  const hex = [0, 1, 2, 3].map((i) => stableHash(`${seed}/${i}`).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A node's locality from its `--locality` flag; without a region, the lab's default for nodes
 * started without one (us-east1, zones b, c, d in turn), as the lab's `cockroach start` does.
 */
export function localityOf(flag: string | undefined, index: number): NodeLocality {
  const parsed = parseNodeLocality(flag ?? '');
  if (parsed.region !== '') return parsed;
  return { region: 'us-east1', zone: parsed.zone || String.fromCharCode(98 + (index % 3)) };
}

export class KubeCluster {
  readonly statefulSets = new Map<string, StatefulSet>();
  readonly services = new Map<string, Service>();
  readonly claims = new Map<string, Claim>();
  /** Every other object applied (PodDisruptionBudgets, Jobs, RBAC, ConfigMaps…), by `kind/name`. */
  readonly objects = new Map<string, StoredObject>();
  private readonly podList: Pod[] = [];
  /** When each image is (or will be) on the worker: later pods skip the pull. */
  private readonly pulled = new Map<string, number>();
  /** The node each claim's store belongs to, once the cluster is initialized. */
  readonly claimNodes = new Map<string, number>();
  initializedAt: number | undefined;
  private nextIp = 5;
  private nextClusterIp = 1;
  private readonly endpointCursor = new Map<string, number>();
  /** When the Kubernetes cluster came up (its `kubernetes` Service's age). */
  readonly createdAt: number;

  constructor(private readonly host: LabCluster) {
    this.createdAt = this.now();
    // A node that dies while its pod runs (killed from the topology view, `cockroach quit`) is a
    // container that exited: the kubelet restarts it after its back-off, and the node restarts.
    host.model.on((event) => {
      if (event.type !== 'node' || event.node.liveness !== 'dead') return;
      const pod = this.podOfNode(event.node.id);
      if (!pod || pod.deletedAt !== undefined || this.now() < pod.startsAt) return;
      this.at(this.now() + POD_TIMING.containerRestartMs, () => {
        if (pod.deletedAt !== undefined || this.model.node(event.node.id)?.liveness !== 'dead') return;
        pod.restarts++;
        pod.startsAt = this.now();
        this.containerStarted(pod);
      });
    });
  }

  private get model(): ClusterModel {
    return this.host.model;
  }

  now(): number {
    return this.model.clock.now();
  }

  private at(time: number, fn: () => void): void {
    this.model.clock.schedule(time, fn);
  }

  // ---- objects --------------------------------------------------------------------------------------

  /** Whether an object of this kind and name exists. */
  has(object: Pick<KubeObject, 'kind' | 'name'>): boolean {
    if (object.kind === 'StatefulSet') return this.statefulSets.has(object.name);
    if (object.kind === 'Service') return this.services.has(object.name);
    if (object.kind === 'Pod') return this.pods().some((p) => p.name === object.name && p.owner.kind === 'Pod');
    return this.objects.has(`${object.kind}/${object.name}`);
  }

  /**
   * Creates or updates an object, as `kubectl apply` does; returns what kubectl prints for it
   * (`statefulset.apps/cockroachdb created`, `… configured`, `… unchanged`).
   */
  apply(object: KubeObject): string {
    const ref = objectRef(object);
    const existed = this.has(object);
    if (existed) {
      const before = this.stored(object);
      if (before !== undefined && JSON.stringify(before.body) === JSON.stringify(object.body)) return `${ref} unchanged`;
    }
    this.store(object, existed);
    return `${ref} ${existed ? 'configured' : 'created'}`;
  }

  private stored(object: Pick<KubeObject, 'kind' | 'name'>): KubeObject | undefined {
    if (object.kind === 'StatefulSet') return this.statefulSets.get(object.name)?.object;
    if (object.kind === 'Service') {
      const service = this.services.get(object.name);
      return service && this.serviceObjects.get(object.name);
    }
    if (object.kind === 'Pod') return this.podObjects.get(object.name);
    return this.objects.get(`${object.kind}/${object.name}`)?.object;
  }

  private readonly serviceObjects = new Map<string, KubeObject>();
  private readonly podObjects = new Map<string, KubeObject>();

  private store(object: KubeObject, existed: boolean): void {
    const now = this.now();
    switch (object.kind) {
      case 'StatefulSet': {
        const spec = statefulSetSpec(object);
        const current = this.statefulSets.get(object.name);
        if (current) {
          current.spec = spec;
          current.object = object;
          this.scaleTo(current, spec.replicas);
        } else {
          const set: StatefulSet = {
            spec,
            object,
            createdAt: now,
            replicas: 0,
            revision: `${object.name}-${generatedSuffix(JSON.stringify(object.body), 10)}`,
          };
          this.statefulSets.set(object.name, set);
          this.scaleTo(set, spec.replicas);
        }
        return;
      }
      case 'Service': {
        const spec = serviceSpec(object);
        const current = this.services.get(object.name);
        this.serviceObjects.set(object.name, object);
        if (current) current.spec = spec;
        else
          this.services.set(object.name, {
            spec,
            clusterIP: spec.headless ? 'None' : `10.96.${Math.floor(this.nextClusterIp / 250) + 10}.${(this.nextClusterIp++ % 250) + 2}`,
            createdAt: now,
          });
        return;
      }
      case 'Pod': {
        this.podObjects.set(object.name, object);
        if (!existed)
          this.createPod({
            name: object.name,
            owner: { kind: 'Pod', name: object.name },
            labels: object.labels,
            image: podTemplateImage(object),
            command: podTemplateWords(object),
          });
        return;
      }
      case 'Deployment': {
        const current = this.objects.get(`Deployment/${object.name}`);
        this.objects.set(`Deployment/${object.name}`, { object, createdAt: current?.createdAt ?? now });
        // One replica's pod, named as a ReplicaSet names its pods.
        if (!current)
          this.createPod({
            name: `${object.name}-${generatedSuffix(`${object.name}/rs`, 10)}-${generatedSuffix(`${object.name}/${now}`)}`,
            owner: { kind: 'Deployment', name: object.name },
            labels: object.labels,
            image: podTemplateImage(object),
            command: [],
          });
        return;
      }
      case 'CrdbCluster': {
        const current = this.objects.get(`CrdbCluster/${object.name}`);
        this.objects.set(`CrdbCluster/${object.name}`, { object, createdAt: current?.createdAt ?? now });
        this.reconcileCrdbCluster(object);
        return;
      }
      case 'Job': {
        const current = this.objects.get(`Job/${object.name}`);
        this.objects.set(`Job/${object.name}`, { object, createdAt: current?.createdAt ?? now });
        if (!current) this.runJob(object.name, podTemplateImage(object), podTemplateWords(object), object.labels);
        return;
      }
      default: {
        const current = this.objects.get(`${object.kind}/${object.name}`);
        this.objects.set(`${object.kind}/${object.name}`, { object, createdAt: current?.createdAt ?? now });
      }
    }
  }

  /** Deletes an object as `kubectl delete` does: a StatefulSet takes its pods with it (claims stay). */
  delete(kind: string, name: string): boolean {
    const now = this.now();
    switch (kind) {
      case 'StatefulSet': {
        const set = this.statefulSets.get(name);
        if (!set) return false;
        this.statefulSets.delete(name);
        for (const pod of this.pods()) if (pod.owner.kind === 'StatefulSet' && pod.owner.name === name) this.terminate(pod, now, false);
        return true;
      }
      case 'Service':
        this.serviceObjects.delete(name);
        return this.services.delete(name);
      case 'Pod': {
        const pod = this.pods().find((p) => p.name === name);
        if (!pod) return false;
        this.terminate(pod, now, pod.owner.kind === 'StatefulSet');
        return true;
      }
      case 'Job': {
        if (!this.objects.delete(`Job/${name}`)) return false;
        for (const pod of this.pods()) if (pod.owner.kind === 'Job' && pod.owner.name === name) this.terminate(pod, now, false);
        return true;
      }
      case 'PersistentVolumeClaim':
        return this.claims.delete(name);
      default:
        return this.objects.delete(`${kind}/${name}`);
    }
  }

  // ---- pods -----------------------------------------------------------------------------------------

  /** The pods the API still lists at `now` (terminating ones included, gone ones not). */
  pods(now = this.now()): Pod[] {
    return this.podList.filter((pod) => pod.goneAt === undefined || pod.goneAt > now);
  }

  pod(name: string, now = this.now()): Pod | undefined {
    return this.pods(now).find((p) => p.name === name);
  }

  private createPod(options: {
    name: string;
    owner: Pod['owner'];
    ordinal?: number;
    labels: Record<string, string>;
    image: string;
    command: string[];
    cockroach?: CockroachStart;
    claim?: string;
    readiness?: Pod['readiness'];
    at?: number;
  }): Pod {
    const createdAt = options.at ?? this.now();
    // One pull per image on the worker: pods created while it runs wait for the same pull.
    const scheduled = createdAt + POD_TIMING.scheduleMs;
    const pulledAt = this.pulled.get(options.image) ?? scheduled + POD_TIMING.pullMs;
    this.pulled.set(options.image, pulledAt);
    const pod: Pod = {
      name: options.name,
      owner: options.owner,
      ordinal: options.ordinal,
      labels: options.labels,
      image: options.image,
      ip: `10.244.0.${this.nextIp++}`,
      createdAt,
      startsAt: Math.max(scheduled, pulledAt) + POD_TIMING.containerMs,
      restarts: 0,
      deletedAt: undefined,
      goneAt: undefined,
      finishedAt: undefined,
      succeeded: false,
      cockroach: options.cockroach,
      command: options.command,
      claim: options.claim,
      readiness: options.readiness,
      crashing: undefined,
    };
    this.podList.push(pod);
    this.at(pod.startsAt, () => {
      if (pod.deletedAt === undefined) this.containerStarted(pod);
    });
    return pod;
  }

  /** The pod's container is up: its CockroachDB node starts (or restarts from its claim's store). */
  private containerStarted(pod: Pod): void {
    if (!pod.cockroach || this.initializedAt === undefined) return;
    const claim = pod.claim ?? pod.name;
    const id = this.claimNodes.get(claim);
    if (id === undefined) {
      const node = this.model.addNode(localityOf(pod.cockroach.locality, pod.ordinal ?? this.claimNodes.size));
      this.claimNodes.set(claim, node.id);
      this.host.addresses.set(node.id, this.advertisedAddress(pod));
      return;
    }
    const node = this.model.node(id);
    if (node === undefined || node.liveness !== 'dead') return;
    try {
      this.model.restartNode(id);
    } catch (error) {
      pod.crashing = error instanceof Error ? error.message : String(error);
    }
  }

  /** Starts terminating a pod: SIGTERM to its node, gone once drained; a StatefulSet then recreates it. */
  private terminate(pod: Pod, now: number, recreate: boolean): void {
    if (pod.deletedAt !== undefined) return;
    pod.deletedAt = now;
    const running = pod.startsAt <= now && pod.finishedAt === undefined;
    pod.goneAt = now + (running && pod.cockroach ? POD_TIMING.drainMs : 0);
    const id = this.nodeOf(pod);
    if (id !== undefined && this.model.node(id)?.liveness === 'live') this.model.killNode(id);
    if (!recreate) return;
    this.at(pod.goneAt + POD_TIMING.recreateMs, () => {
      const set = this.statefulSets.get(pod.owner.name);
      if (set && pod.ordinal !== undefined && pod.ordinal < set.replicas && !this.pod(pod.name)) this.createSetPod(set, pod.ordinal);
    });
  }

  /** The simulated node a pod runs, when the cluster knows it. */
  nodeOf(pod: Pod): number | undefined {
    if (!pod.cockroach) return undefined;
    return this.claimNodes.get(pod.claim ?? pod.name);
  }

  /** The pod running a node now, if any. */
  podOfNode(nodeId: number, now = this.now()): Pod | undefined {
    return this.pods(now).find((pod) => pod.deletedAt === undefined && this.nodeOf(pod) === nodeId);
  }

  /** The state kubectl shows for a pod at `now`. */
  view(pod: Pod, now = this.now()): PodView {
    const ageMs = now - pod.createdAt;
    const base = { restarts: pod.restarts, ageMs };
    if (pod.deletedAt !== undefined) return { ...base, ready: false, status: 'Terminating' };
    if (now < pod.createdAt + POD_TIMING.scheduleMs) return { ...base, ready: false, status: 'Pending' };
    if (now < pod.startsAt) return { ...base, ready: false, status: 'ContainerCreating' };
    if (pod.finishedAt !== undefined && now >= pod.finishedAt)
      return { ...base, ready: false, status: pod.succeeded ? 'Completed' : 'Error' };
    if (pod.crashing !== undefined) return { ...base, ready: false, status: 'CrashLoopBackOff' };
    return { ...base, ready: this.isReady(pod, now), status: 'Running' };
  }

  /**
   * Ready once a readiness probe passes: probes start `initialDelay` after the container and repeat
   * every period; a CockroachDB pod's probe is /health?ready=1, which passes while its node is live
   * in an initialized cluster.
   */
  isReady(pod: Pod, now = this.now()): boolean {
    if (pod.deletedAt !== undefined || now < pod.startsAt || pod.crashing !== undefined) return false;
    if (!pod.cockroach) return pod.finishedAt === undefined || now < pod.finishedAt;
    const health = this.health(pod, now);
    if (!health.passing) return false;
    if (!pod.readiness) return true;
    const firstProbe = pod.startsAt + pod.readiness.initialDelayMs;
    const from = Math.max(firstProbe, health.since);
    const probe = firstProbe + Math.ceil((from - firstProbe) / pod.readiness.periodMs) * pod.readiness.periodMs;
    return now >= probe;
  }

  /** What the pod's node answers on /health?ready=1 at `now`, and since when. */
  health(pod: Pod, now = this.now()): CheckResult {
    const id = this.nodeOf(pod);
    const node = id === undefined ? undefined : this.model.node(id);
    if (node === undefined || this.initializedAt === undefined || pod.deletedAt !== undefined || now < pod.startsAt)
      return { passing: false, since: pod.deletedAt ?? pod.createdAt };
    // A live node has passed since it (re)started; a dead one has failed since its last heartbeat.
    if (node.liveness === 'live' && !node.draining)
      return { passing: true, since: Math.max(node.startedAt, this.initializedAt, pod.startsAt) };
    return { passing: false, since: node.updatedAt };
  }

  /** A bare pod (`kubectl run`): it runs once its image is there. */
  runPod(name: string, image: string, command: string[]): Pod {
    return this.createPod({ name, owner: { kind: 'Pod', name }, labels: { run: name }, image, command });
  }

  // ---- StatefulSets ---------------------------------------------------------------------------------

  private createSetPod(set: StatefulSet, ordinal: number, at?: number): Pod {
    const name = `${set.spec.name}-${ordinal}`;
    const claimTemplate = set.spec.volumeClaims[0];
    let claim: string | undefined;
    if (claimTemplate) {
      claim = `${claimTemplate.name}-${name}`;
      if (!this.claims.has(claim))
        this.claims.set(claim, {
          name: claim,
          storage: claimTemplate.storage,
          volume: `pvc-${uuidOf(claim)}`,
          createdAt: at ?? this.now(),
        });
    }
    const labels = { ...set.spec.selector, 'statefulset.kubernetes.io/pod-name': name };
    return this.createPod({
      name,
      owner: { kind: 'StatefulSet', name: set.spec.name },
      ordinal,
      labels,
      image: set.spec.image,
      command: [],
      ...(set.spec.cockroach ? { cockroach: set.spec.cockroach } : {}),
      ...(claim !== undefined ? { claim } : {}),
      ...(set.spec.readiness ? { readiness: set.spec.readiness } : {}),
      ...(at !== undefined ? { at } : {}),
    });
  }

  /**
   * Scales a StatefulSet: new ordinals get pods (all at once with Parallel, each after the one before
   * is ready with OrderedReady); scaling down terminates the highest ordinals — without
   * decommissioning, their nodes are simply dead to the cluster.
   */
  scaleTo(set: StatefulSet, replicas: number): void {
    const previous = set.replicas;
    set.replicas = replicas;
    const now = this.now();
    for (const pod of this.pods(now))
      if (pod.owner.kind === 'StatefulSet' && pod.owner.name === set.spec.name && (pod.ordinal ?? 0) >= replicas)
        this.terminate(pod, now, false);
    if (replicas <= previous) return;
    if (set.spec.podManagementPolicy === 'Parallel') {
      for (let ordinal = previous; ordinal < replicas; ordinal++)
        if (!this.pod(`${set.spec.name}-${ordinal}`)) this.createSetPod(set, ordinal);
      return;
    }
    this.createOrdered(set, previous);
  }

  /** OrderedReady: pod N+1 is created only once pod N is running and ready. */
  private createOrdered(set: StatefulSet, ordinal: number): void {
    if (ordinal >= set.replicas || this.statefulSets.get(set.spec.name) !== set) return;
    const existing = this.pod(`${set.spec.name}-${ordinal}`);
    const pod = existing ?? this.createSetPod(set, ordinal);
    const check = (): void => {
      if (this.statefulSets.get(set.spec.name) !== set || pod.deletedAt !== undefined) return;
      if (this.isReady(pod)) this.createOrdered(set, ordinal + 1);
      else this.at(this.now() + 1000, check);
    };
    this.at(Math.max(pod.startsAt, this.now()), check);
  }

  /** Pods of a StatefulSet ready now (its READY column). */
  readyReplicas(set: StatefulSet, now = this.now()): number {
    return this.pods(now).filter((pod) => pod.owner.kind === 'StatefulSet' && pod.owner.name === set.spec.name && this.isReady(pod, now))
      .length;
  }

  // ---- the CockroachDB operator -------------------------------------------------------------------

  /**
   * The operator's reconciliation of a CrdbCluster: the Services, budget and StatefulSet of
   * `spec.nodes` pods it manages, and `cockroach init` once the pods run — only while the operator's
   * Deployment is installed (without it a CrdbCluster is an object nobody acts on).
   */
  private reconcileCrdbCluster(object: KubeObject): void {
    if (![...this.objects.keys()].some((key) => key === 'Deployment/cockroach-operator-manager')) return;
    const spec = (object.body as { spec?: Record<string, unknown> }).spec ?? {};
    const nodes = typeof spec.nodes === 'number' ? spec.nodes : 3;
    const secure = spec.tlsEnabled !== false;
    const image = (spec.image as { name?: string } | undefined)?.name ?? 'cockroachdb/cockroach';
    const storage =
      (spec.dataStore as { pvc?: { spec?: { resources?: { requests?: { storage?: string } } } } } | undefined)?.pvc?.spec?.resources
        ?.requests?.storage ?? '60Gi';
    const name = object.name;
    const labels = { 'app.kubernetes.io/name': 'cockroachdb', 'app.kubernetes.io/instance': name };
    const make = (apiVersion: string, kind: string, objectName: string, body: Record<string, unknown>): KubeObject => ({
      apiVersion,
      kind,
      name: objectName,
      namespace: undefined,
      labels,
      body: { apiVersion, kind, metadata: { name: objectName, labels }, ...body },
    });
    const ports = [
      { name: 'grpc', port: 26258, targetPort: 26258 },
      { name: 'http', port: 8080, targetPort: 8080 },
      { name: 'sql', port: 26257, targetPort: 26257 },
    ];
    const join = [0, 1, 2].map((i) => `${name}-${i}.${name}.default:26258`).join(',');
    const start = `exec /cockroach/cockroach start --join=${join} --advertise-host=$(POD_NAME).${name}.default --logtostderr=INFO ${secure ? '--certs-dir=/cockroach/cockroach-certs/' : '--insecure'} --http-port=8080 --sql-addr=:26257 --listen-addr=:26258`;
    for (const child of [
      make('v1', 'Service', name, { spec: { clusterIP: 'None', publishNotReadyAddresses: true, ports, selector: labels } }),
      make('v1', 'Service', `${name}-public`, { spec: { ports, selector: labels } }),
      make('policy/v1', 'PodDisruptionBudget', name, { spec: { selector: { matchLabels: labels }, maxUnavailable: 1 } }),
      make('apps/v1', 'StatefulSet', name, {
        spec: {
          serviceName: name,
          replicas: nodes,
          podManagementPolicy: 'Parallel',
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              containers: [
                {
                  name: 'db',
                  image,
                  command: ['/bin/bash', '-ecx', start],
                  readinessProbe: { httpGet: { path: '/health?ready=1', port: 'http' }, initialDelaySeconds: 10, periodSeconds: 5 },
                },
              ],
            },
          },
          volumeClaimTemplates: [{ metadata: { name: 'datadir' }, spec: { resources: { requests: { storage } } } }],
        },
      }),
    ])
      this.apply(child);
    // The operator initializes the cluster itself once the first pod runs.
    const first = this.pod(`${name}-0`);
    if (first && this.initializedAt === undefined)
      this.at(first.startsAt + 2000, () => {
        if (this.initializedAt === undefined) this.initCluster(`${name}-0.${name}`);
      });
  }

  // ---- Jobs and `cockroach init` ------------------------------------------------------------------

  private runJob(name: string, image: string, command: string[], labels: Record<string, string>): void {
    const pod = this.createPod({
      name: `${name}-${generatedSuffix(`${name}/${this.now()}`)}`,
      owner: { kind: 'Job', name },
      labels: { ...labels, 'job-name': name },
      image,
      command,
    });
    const attempt = (): void => {
      if (pod.deletedAt !== undefined) return;
      const result = this.runJobCommand(pod.command);
      if (result.ok) {
        pod.finishedAt = this.now() + 1000;
        pod.succeeded = true;
        return;
      }
      // restartPolicy OnFailure: the container runs again after a back-off.
      pod.restarts++;
      this.at(this.now() + POD_TIMING.jobBackoffMs, attempt);
    };
    this.at(pod.startsAt, attempt);
  }

  /** What a Job's container does: `cockroach init` initializes the cluster; anything else just succeeds. */
  private runJobCommand(words: readonly string[]): { ok: true } | { ok: false; error: string } {
    const at = words.findIndex((word, i) => /(^|\/)cockroach$/.test(words[i - 1] ?? '') && word === 'init');
    if (at < 0) return { ok: true };
    const hostFlag = words.find((word) => word.startsWith('--host='))?.slice('--host='.length);
    const result = this.initCluster(hostFlag ?? 'localhost');
    // A job retried after another initialized the cluster finds it initialized: its exit status says so.
    return 'error' in result && !result.error.includes('already been initialized') ? { ok: false, error: result.error } : { ok: true };
  }

  /**
   * `cockroach init --host=<host>`: the node at `host` must be running; then every CockroachDB pod
   * running now (they found each other through --join) becomes a node of the simulated cluster.
   */
  initCluster(host: string): { output: string } | { error: string } {
    if (this.initializedAt !== undefined) return { error: 'ERROR: cluster has already been initialized' };
    const target = this.resolve(host.replace(/:\d+$/, ''));
    const now = this.now();
    const reachable = target?.kind === 'pod' ? [target.pod] : target?.kind === 'service' ? target.pods : [];
    if (!reachable.some((pod) => pod.cockroach && pod.deletedAt === undefined && now >= pod.startsAt))
      return {
        error: `ERROR: cannot dial server.\nIs the server running?\nIf the server is running, check --host client-side flag.\nFailed running "init"`,
      };
    const members = this.pods(now)
      .filter((pod) => pod.cockroach && pod.deletedAt === undefined && now >= pod.startsAt)
      .sort((a, b) => (a.ordinal ?? 0) - (b.ordinal ?? 0));
    this.host.resetTopology(members.map((pod, i) => localityOf(pod.cockroach?.locality, pod.ordinal ?? i)));
    this.claimNodes.clear();
    this.host.addresses.clear();
    members.forEach((pod, i) => {
      this.claimNodes.set(pod.claim ?? pod.name, i + 1);
      this.host.addresses.set(i + 1, this.advertisedAddress(pod));
    });
    this.initializedAt = now;
    return { output: 'Cluster successfully initialized' };
  }

  /**
   * The address a pod's node advertises: CockroachDB's manifests start it with
   * `--advertise-host $(hostname -f)`, the pod's name under its StatefulSet's Service.
   */
  advertisedAddress(pod: Pod): string {
    const service =
      pod.owner.kind === 'StatefulSet' ? (this.statefulSets.get(pod.owner.name)?.spec.serviceName ?? pod.owner.name) : pod.name;
    return `${pod.name}.${service}.${NAMESPACE}.svc.cluster.local:${pod.cockroach?.sqlPort ?? 26257}`;
  }

  // ---- DNS -------------------------------------------------------------------------------------------

  /**
   * A name the cluster's DNS answers: `cockroachdb-0.cockroachdb` (a StatefulSet pod through its
   * governing Service), `cockroachdb-public` (a Service, with its endpoints), with or without
   * `.default`, `.default.svc`, `.svc.cluster.local`.
   */
  resolve(name: string, now = this.now()): Resolved | undefined {
    for (const suffix of DNS_SUFFIXES) {
      if (!name.endsWith(suffix)) continue;
      const bare = name.slice(0, name.length - suffix.length);
      const service = this.services.get(bare);
      if (service) return { kind: 'service', service, pods: this.endpoints(service, now) };
      const dot = bare.indexOf('.');
      if (dot > 0 && this.services.has(bare.slice(dot + 1))) {
        const pod = this.pod(bare.slice(0, dot), now);
        if (pod) return { kind: 'pod', pod };
      }
    }
    return undefined;
  }

  /**
   * A Service's endpoints: its selector's pods that are ready (a headless Service that publishes
   * not-ready addresses, as CockroachDB's discovery Service does, lists running ones too).
   */
  endpoints(service: Service, now = this.now()): Pod[] {
    const selector = Object.entries(service.spec.selector);
    const object = this.serviceObjects.get(service.spec.name);
    const publishNotReady = object !== undefined && JSON.stringify(object.body).includes('"publishNotReadyAddresses":true');
    return this.pods(now).filter(
      (pod) =>
        selector.length > 0 &&
        selector.every(([key, value]) => pod.labels[key] === value) &&
        pod.deletedAt === undefined &&
        (publishNotReady ? now >= pod.startsAt : this.isReady(pod, now)),
    );
  }

  /** The pod a new connection to a Service reaches (kube-proxy spreads connections over the endpoints). */
  pickEndpoint(service: Service, now = this.now()): Pod | undefined {
    const pods = this.endpoints(service, now);
    if (pods.length === 0) return undefined;
    const cursor = this.endpointCursor.get(service.spec.name) ?? 0;
    this.endpointCursor.set(service.spec.name, cursor + 1);
    return pods[cursor % pods.length];
  }

  /** The node a connection to `host` reaches now: a pod's own node, or one behind a Service. */
  nodeForHost(host: string, now = this.now()): { nodeId: number } | { error: string } | undefined {
    const resolved = this.resolve(host, now);
    if (!resolved) return undefined;
    const pod = resolved.kind === 'pod' ? resolved.pod : this.pickEndpoint(resolved.service, now);
    const id = pod ? this.nodeOf(pod) : undefined;
    if (!pod || id === undefined || this.model.node(id)?.liveness !== 'live' || now < pod.startsAt || pod.deletedAt !== undefined)
      return { error: `cannot dial server.\nIs the server running?\nIf the server is running, check --host client-side flag.` };
    return { nodeId: id };
  }
}
