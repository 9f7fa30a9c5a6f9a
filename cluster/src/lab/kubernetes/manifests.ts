// Kubernetes manifests as a lab applies them: YAML files of one or more documents (`---`), each an
// object with apiVersion, kind and metadata.name; a `List` holds more in `items`. The parts the
// simulation acts on are read out of the objects CockroachDB's own manifests create: a StatefulSet
// whose container runs `cockroach start`, its Services, a PodDisruptionBudget, and the Job that runs
// `cockroach init`. Errors read as kubectl's.
import { parseAllDocuments } from 'yaml';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string | undefined;
  labels: Record<string, string>;
  /** The whole object as written. */
  body: Record<string, unknown>;
}

export type ManifestResult = { objects: KubeObject[] } | { error: string };

/** API groups of the kinds a CockroachDB deployment uses, as kubectl's printed names carry them. */
const BUILT_IN_KINDS: ReadonlyMap<string, readonly string[]> = new Map([
  ['v1', ['Service', 'Pod', 'ConfigMap', 'Secret', 'ServiceAccount', 'PersistentVolumeClaim', 'PersistentVolume', 'Namespace']],
  ['apps/v1', ['StatefulSet', 'Deployment', 'DaemonSet', 'ReplicaSet']],
  ['policy/v1', ['PodDisruptionBudget']],
  ['policy/v1beta1', ['PodDisruptionBudget']],
  ['batch/v1', ['Job', 'CronJob']],
  ['rbac.authorization.k8s.io/v1', ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']],
  ['networking.k8s.io/v1', ['Ingress', 'NetworkPolicy']],
  ['apiextensions.k8s.io/v1', ['CustomResourceDefinition']],
  ['storage.k8s.io/v1', ['StorageClass']],
]);

/** Whether the API server knows `kind` in `apiVersion` without a CustomResourceDefinition. */
export function isBuiltInKind(apiVersion: string, kind: string): boolean {
  return BUILT_IN_KINDS.get(apiVersion)?.includes(kind) ?? false;
}

/** The name kubectl prints for an object: `statefulset.apps/cockroachdb`, `service/cockroachdb-public`. */
export function objectRef(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'name'>): string {
  const slash = object.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : `.${object.apiVersion.slice(0, slash)}`;
  return `${object.kind.toLowerCase()}${group}/${object.name}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field reached by a path of keys and array indexes, or undefined. */
export function field(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof key === 'number') current = Array.isArray(current) ? current[key] : undefined;
    else current = isRecord(current) ? current[key] : undefined;
  }
  return current;
}

function stringField(value: unknown, ...path: (string | number)[]): string | undefined {
  const found = field(value, ...path);
  return typeof found === 'string' ? found : typeof found === 'number' ? String(found) : undefined;
}

function numberField(value: unknown, ...path: (string | number)[]): number | undefined {
  const found = field(value, ...path);
  if (typeof found === 'number') return found;
  if (typeof found === 'string' && /^\d+$/.test(found)) return Number(found);
  return undefined;
}

/**
 * The objects of a manifest file's text. `source` names it in errors as kubectl does (the path or
 * URL given to -f).
 */
export function parseManifests(text: string, source: string): ManifestResult {
  const objects: KubeObject[] = [];
  for (const document of parseAllDocuments(text, { prettyErrors: false })) {
    const problem = document.errors[0];
    if (problem) {
      const line = (problem.linePos?.[0].line ?? 1) - 1;
      return {
        error: `error: error parsing ${source}: error converting YAML to JSON: yaml: line ${line}: ${yamlProblem(problem.code, problem.message)}`,
      };
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    const found = objectsOf(value, source);
    if ('error' in found) return found;
    objects.push(...found.objects);
  }
  if (objects.length === 0) return { error: `error: no objects passed to apply` };
  return { objects };
}

/** go-yaml's wording for the problems a hand-written manifest most often has. */
function yamlProblem(code: string, message: string): string {
  if (code === 'BAD_INDENT' || code === 'MISSING_CHAR') return 'mapping values are not allowed in this context';
  if (code === 'TAB_AS_INDENT') return 'found character that cannot start any token';
  if (code === 'DUPLICATE_KEY') return 'mapping key already defined';
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+.*$/, '') ?? message;
}

function objectsOf(value: unknown, source: string): ManifestResult {
  if (!isRecord(value))
    return {
      error: `error: error validating "${source}": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false`,
    };
  const kind = stringField(value, 'kind');
  const apiVersion = stringField(value, 'apiVersion');
  if (kind === undefined || kind === '')
    return {
      error: `error: error validating "${source}": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false`,
    };
  if (apiVersion === undefined || apiVersion === '')
    return {
      error: `error: error validating "${source}": error validating data: apiVersion not set; if you choose to ignore these errors, turn validation off with --validate=false`,
    };
  if (kind === 'List') {
    const items = field(value, 'items');
    const objects: KubeObject[] = [];
    for (const item of Array.isArray(items) ? items : []) {
      const found = objectsOf(item, source);
      if ('error' in found) return found;
      objects.push(...found.objects);
    }
    return { objects };
  }
  const name = stringField(value, 'metadata', 'name');
  if (name === undefined || name === '')
    return {
      error: `error: error when creating "${source}": ${kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
    };
  const labels: Record<string, string> = {};
  const written = field(value, 'metadata', 'labels');
  if (isRecord(written)) for (const [key, label] of Object.entries(written)) labels[key] = String(label);
  return { objects: [{ apiVersion, kind, name, namespace: stringField(value, 'metadata', 'namespace'), labels, body: value }] };
}

// ---- what the simulation reads out of the objects ---------------------------------------------

/** The `cockroach start` a pod's container runs, as far as the simulation needs it. */
export interface CockroachStart {
  insecure: boolean;
  join: string[];
  locality: string | undefined;
  /** The RPC port (--port, --listen-addr), 26257 unless set. */
  port: number;
  /** The SQL port: --sql-addr's, else the RPC port. */
  sqlPort: number;
  /** The HTTP port (--http-port, --http-addr), 8080 unless set. */
  httpPort: number;
  /** start-single-node: a cluster of its own that needs no init. */
  singleNode: boolean;
}

export interface StatefulSetSpec {
  name: string;
  replicas: number;
  serviceName: string;
  image: string;
  /** Parallel (CockroachDB's manifests) starts every pod at once; OrderedReady waits for each to be ready. */
  podManagementPolicy: 'Parallel' | 'OrderedReady';
  /** The CockroachDB node each pod runs, when its container runs `cockroach start`. */
  cockroach: CockroachStart | undefined;
  readiness: { initialDelayMs: number; periodMs: number } | undefined;
  terminationGraceMs: number;
  /** Volume claim templates: each pod gets `<name>-<pod>` with this size. */
  volumeClaims: { name: string; storage: string }[];
  selector: Record<string, string>;
}

/** The words a container runs: its command and args, a `bash -c` script split into words. */
export function containerWords(container: unknown): string[] {
  const parts: string[] = [];
  for (const key of ['command', 'args']) {
    const list = field(container, key);
    if (Array.isArray(list)) for (const item of list) if (typeof item === 'string' || typeof item === 'number') parts.push(String(item));
  }
  return parts.flatMap((part) => part.split(/\s+/)).filter((word) => word !== '');
}

function flagValue(words: readonly string[], name: string): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word === name) return words[i + 1];
    if (word.startsWith(`${name}=`)) return word.slice(name.length + 1);
  }
  return undefined;
}

function portOf(address: string | undefined): number | undefined {
  if (address === undefined) return undefined;
  const match = /:(\d+)$/.exec(address);
  return match ? Number(match[1]) : undefined;
}

/** The `cockroach start` in a list of words, or undefined when they run something else. */
export function cockroachStartOf(words: readonly string[]): CockroachStart | undefined {
  const at = words.findIndex(
    (word, i) => /(^|\/)cockroach$/.test(words[i - 1] ?? '') && (word === 'start' || word === 'start-single-node'),
  );
  if (at < 0) return undefined;
  const flags = words.slice(at + 1);
  const join = flagValue(flags, '--join');
  const port = Number(flagValue(flags, '--port') ?? portOf(flagValue(flags, '--listen-addr')) ?? 26257);
  return {
    insecure: flags.includes('--insecure'),
    join: join === undefined ? [] : join.split(',').filter((host) => host !== ''),
    locality: flagValue(flags, '--locality'),
    port,
    sqlPort: portOf(flagValue(flags, '--sql-addr')) ?? port,
    httpPort: Number(flagValue(flags, '--http-port') ?? portOf(flagValue(flags, '--http-addr')) ?? 8080),
    singleNode: words[at] === 'start-single-node',
  };
}

export function statefulSetSpec(object: KubeObject): StatefulSetSpec {
  const spec = field(object.body, 'spec');
  const container = field(spec, 'template', 'spec', 'containers', 0);
  const probeDelay = numberField(container, 'readinessProbe', 'initialDelaySeconds');
  const probePeriod = numberField(container, 'readinessProbe', 'periodSeconds');
  const selector: Record<string, string> = {};
  const matchLabels = field(spec, 'selector', 'matchLabels');
  if (isRecord(matchLabels)) for (const [key, value] of Object.entries(matchLabels)) selector[key] = String(value);
  const claims = field(spec, 'volumeClaimTemplates');
  return {
    name: object.name,
    // Kubernetes defaults an unset replicas to 1.
    replicas: numberField(spec, 'replicas') ?? 1,
    serviceName: stringField(spec, 'serviceName') ?? object.name,
    image: stringField(container, 'image') ?? '',
    podManagementPolicy: stringField(spec, 'podManagementPolicy') === 'Parallel' ? 'Parallel' : 'OrderedReady',
    cockroach: cockroachStartOf(containerWords(container)),
    readiness:
      field(container, 'readinessProbe') === undefined
        ? undefined
        : { initialDelayMs: (probeDelay ?? 0) * 1000, periodMs: (probePeriod ?? 10) * 1000 },
    terminationGraceMs: (numberField(spec, 'template', 'spec', 'terminationGracePeriodSeconds') ?? 30) * 1000,
    volumeClaims: (Array.isArray(claims) ? claims : []).map((claim) => ({
      name: stringField(claim, 'metadata', 'name') ?? 'data',
      storage: stringField(claim, 'spec', 'resources', 'requests', 'storage') ?? '1Gi',
    })),
    selector,
  };
}

export interface ServiceSpec {
  name: string;
  headless: boolean;
  type: string;
  ports: { name: string | undefined; port: number; targetPort: number }[];
  selector: Record<string, string>;
}

export function serviceSpec(object: KubeObject): ServiceSpec {
  const spec = field(object.body, 'spec');
  const ports = field(spec, 'ports');
  const selector: Record<string, string> = {};
  const written = field(spec, 'selector');
  if (isRecord(written)) for (const [key, value] of Object.entries(written)) selector[key] = String(value);
  return {
    name: object.name,
    headless: stringField(spec, 'clusterIP') === 'None',
    type: stringField(spec, 'type') ?? 'ClusterIP',
    ports: (Array.isArray(ports) ? ports : []).map((port) => {
      const number = numberField(port, 'port') ?? 0;
      return { name: stringField(port, 'name'), port: number, targetPort: numberField(port, 'targetPort') ?? number };
    }),
    selector,
  };
}

/** The words a Job's (or bare Pod's) first container runs. */
export function podTemplateWords(object: KubeObject): string[] {
  const container =
    object.kind === 'Pod' ? field(object.body, 'spec', 'containers', 0) : field(object.body, 'spec', 'template', 'spec', 'containers', 0);
  return containerWords(container);
}

export function podTemplateImage(object: KubeObject): string {
  const container =
    object.kind === 'Pod' ? field(object.body, 'spec', 'containers', 0) : field(object.body, 'spec', 'template', 'spec', 'containers', 0);
  return stringField(container, 'image') ?? '';
}
