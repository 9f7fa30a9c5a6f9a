// `kubectl` in a lab, against the lab's simulated Kubernetes cluster (see cluster.ts): apply,
// create and delete manifests; get, describe, logs, wait and rollout status read the pods' states
// at the simulated time; delete pod and scale act on the CockroachDB nodes the pods run; exec and
// run hand `cockroach …` to the lab's cockroach command, connected through the pod's node or the
// Service named; port-forward makes a local port reach a pod or Service. Output and errors follow
// kubectl's wording.
import { passTime } from '../builtins';
import { failed, hostStep, notSimulated, simulated, type Lab, type Outcome, type ProgramContext, type ProgramHandler } from '../lab';
import { kubernetes } from './state';
import { humanDuration, kubectlTable } from './format';
import { knownManifest } from './knownManifests';
import { isBuiltInKind, objectRef, parseManifests, type KubeObject } from './manifests';
import type { KubeCluster, Pod, StatefulSet } from './cluster';
import { runInCluster } from './podCommands';

/** Resource types as kubectl accepts them (plural, singular, short name) → the kind. */
const RESOURCE_TYPES: ReadonlyMap<string, string> = new Map(
  (
    [
      ['Pod', 'pods', 'pod', 'po'],
      ['StatefulSet', 'statefulsets', 'statefulset', 'sts'],
      ['Service', 'services', 'service', 'svc'],
      ['PersistentVolumeClaim', 'persistentvolumeclaims', 'persistentvolumeclaim', 'pvc'],
      ['PersistentVolume', 'persistentvolumes', 'persistentvolume', 'pv'],
      ['Job', 'jobs', 'job'],
      ['PodDisruptionBudget', 'poddisruptionbudgets', 'poddisruptionbudget', 'pdb'],
      ['Node', 'nodes', 'node', 'no'],
      ['Deployment', 'deployments', 'deployment', 'deploy'],
      ['ConfigMap', 'configmaps', 'configmap', 'cm'],
      ['Secret', 'secrets', 'secret'],
      ['ServiceAccount', 'serviceaccounts', 'serviceaccount', 'sa'],
      ['Namespace', 'namespaces', 'namespace', 'ns'],
      ['Event', 'events', 'event', 'ev'],
    ] as const
  ).flatMap(([kind, ...names]) => names.map((name) => [name, kind] as const)),
);

const GROUPS: Record<string, string> = { StatefulSet: '.apps', Deployment: '.apps', Job: '.batch', PodDisruptionBudget: '.policy' };

/** kubectl's plural lower-case name of a kind (`pods`, `statefulsets.apps`) for its messages. */
function plural(kind: string): string {
  return `${kind.toLowerCase()}s${GROUPS[kind] ?? ''}`;
}

/** kubectl's singular name of a kind with its group (`pod`, `statefulset.apps`). */
function singular(kind: string): string {
  return `${kind.toLowerCase()}${GROUPS[kind] ?? ''}`;
}

const KNOWN_VERBS = new Set([
  'annotate',
  'api-resources',
  'api-versions',
  'attach',
  'auth',
  'autoscale',
  'certificate',
  'cluster-info',
  'completion',
  'cordon',
  'cp',
  'debug',
  'diff',
  'drain',
  'edit',
  'events',
  'explain',
  'expose',
  'kustomize',
  'label',
  'patch',
  'plugin',
  'proxy',
  'replace',
  'set',
  'taint',
  'top',
  'uncordon',
  'version',
]);

/** The words of a command line split at `--`, with kubectl's flags read out of the part before it. */
interface Parsed {
  operands: string[];
  flags: Map<string, string[]>;
  /** After `--`: the command to run in a container. */
  command: string[];
}

/** Flags that never take a value (so `-it pod` keeps `pod` an operand). */
const BOOLEAN_FLAGS = new Set([
  '-i',
  '-t',
  '-it',
  '-ti',
  '--stdin',
  '--tty',
  '--rm',
  '-w',
  '--watch',
  '-A',
  '--all-namespaces',
  '--all',
  '--force',
  '--command',
  '--wait',
  '--quiet',
  '-q',
  '--follow',
  '-f-follow',
]);

const SHORT_FLAGS: Record<string, string> = {
  '-n': '--namespace',
  '-o': '--output',
  '-l': '--selector',
  '-f': '--filename',
  '-c': '--container',
  '-w': '--watch',
  '-A': '--all-namespaces',
  '-p': '--previous',
};

function parse(words: readonly string[]): Parsed {
  const dash = words.indexOf('--');
  const head = dash < 0 ? words.slice(1) : words.slice(1, dash);
  const command = dash < 0 ? [] : words.slice(dash + 1);
  const operands: string[] = [];
  const flags = new Map<string, string[]>();
  const add = (name: string, value: string): void => {
    flags.set(name, [...(flags.get(name) ?? []), value]);
  };
  for (let i = 0; i < head.length; i++) {
    const word = head[i] ?? '';
    if (!word.startsWith('-') || word === '-') {
      operands.push(word);
      continue;
    }
    const equals = word.indexOf('=');
    const rawName = equals < 0 ? word : word.slice(0, equals);
    if (rawName === '-it' || rawName === '-ti') {
      add('--stdin', 'true');
      add('--tty', 'true');
      continue;
    }
    const name = SHORT_FLAGS[rawName] ?? (rawName === '-i' ? '--stdin' : rawName === '-t' ? '--tty' : rawName);
    if (equals >= 0) add(name, word.slice(equals + 1));
    else if (
      BOOLEAN_FLAGS.has(rawName) ||
      BOOLEAN_FLAGS.has(name) ||
      name === '--stdin' ||
      name === '--tty' ||
      name === '--watch' ||
      name === '--all-namespaces'
    )
      add(name, 'true');
    else add(name, head[++i] ?? '');
  }
  return { operands, flags, command };
}

function flag(parsed: Parsed, name: string): string | undefined {
  const values = parsed.flags.get(name);
  return values?.[values.length - 1];
}

/** `pods`, `pod/cockroachdb-0`, `statefulset.apps/cockroachdb`: kind and names. */
function resourceArgs(operands: readonly string[]): { kind: string; names: string[] } | { error: string } {
  const [first, ...rest] = operands;
  if (first === undefined) return { error: 'error: you must specify the type of resource to get.' };
  if (first.includes('/')) {
    const names: string[] = [];
    let kind: string | undefined;
    for (const operand of operands) {
      const [type = '', name = ''] = operand.split('/');
      const found = RESOURCE_TYPES.get(type.replace(/\..*$/, ''));
      if (!found) return { error: `error: the server doesn't have a resource type "${type}"` };
      kind ??= found;
      names.push(name);
    }
    return { kind: kind ?? 'Pod', names };
  }
  const kind = RESOURCE_TYPES.get(first.replace(/\..*$/, ''));
  if (!kind) return { error: `error: the server doesn't have a resource type "${first}"` };
  return { kind, names: rest };
}

function notFound(kind: string, name: string): Outcome {
  return failed(`Error from server (NotFound): ${plural(kind)} "${name}" not found`);
}

function ageOf(cluster: KubeCluster, since: number): string {
  return humanDuration(cluster.now() - since);
}

/** `-l app=cockroachdb,tier!=x`: equality selectors. */
function matchesSelector(labels: Record<string, string>, selector: string | undefined): boolean {
  if (selector === undefined || selector === '') return true;
  return selector.split(',').every((term) => {
    const negated = term.includes('!=');
    const [key = '', value] = term.split(/!=|==|=/);
    if (value === undefined) return key in labels;
    return negated ? labels[key] !== value : labels[key] === value;
  });
}

// ---- apply / create / delete -f ---------------------------------------------------------------------

function readManifests(lab: Lab, sources: readonly string[], stdin: string | undefined): { objects: KubeObject[] } | { error: string } {
  const objects: KubeObject[] = [];
  for (const source of sources) {
    const fromStdin = source === '-';
    const content = fromStdin ? stdin : lab.readFile(source);
    const isUrl = /^https?:\/\//.test(source);
    // A published manifest, by URL or downloaded (the lab's download writes no content).
    if (isUrl || content === undefined || content.trim() === '') {
      const known = knownManifest(source);
      if (known) {
        objects.push(...known);
        continue;
      }
      if (isUrl) return { error: `error: unable to read URL "${source}", server reported 404 Not Found, status code=404` };
      if (content === undefined) return { error: `error: the path "${source}" does not exist` };
      return { error: 'error: no objects passed to apply' };
    }
    const parsed = parseManifests(content, fromStdin ? 'STDIN' : source);
    if ('error' in parsed) return parsed;
    objects.push(...parsed.objects);
  }
  return { objects };
}

/** An object whose kind the API server does not know (a custom resource without its definition). */
function unknownKind(state: ReturnType<typeof kubernetes>, object: KubeObject, source: string): string | undefined {
  if (isBuiltInKind(object.apiVersion, object.kind)) return undefined;
  const group = object.apiVersion.split('/')[0] ?? '';
  const defined = [...state.cluster.objects.values()].some(
    (stored) => stored.object.kind === 'CustomResourceDefinition' && stored.object.name.endsWith(`.${group}`),
  );
  if (defined) return undefined;
  return `error: resource mapping not found for name: "${object.name}" namespace: "" from "${source}": no matches for kind "${object.kind}" in version "${object.apiVersion}"\nensure CRDs are installed first`;
}

function applyOrCreate(verb: 'apply' | 'create', parsed: Parsed, stdin: string | undefined, lab: Lab): Outcome {
  const sources = parsed.flags.get('--filename') ?? [];
  if (sources.length === 0) {
    if (verb === 'create') return createImperative(parsed, lab);
    return failed('error: must specify one of -f and -k');
  }
  const read = readManifests(lab, sources, stdin);
  if ('error' in read) return failed(read.error);
  const state = kubernetes(lab);
  const lines: string[] = [];
  const errors: string[] = [];
  for (const object of read.objects) {
    const unknown = unknownKind(state, object, sources[0] ?? '');
    if (unknown) {
      errors.push(unknown);
      continue;
    }
    if (verb === 'create' && state.cluster.has(object)) {
      errors.push(
        `Error from server (AlreadyExists): error when creating "${sources[0] ?? ''}": ${plural(object.kind).replace(/\..*$/, '')} "${object.name}" already exists`,
      );
      continue;
    }
    const line = state.cluster.apply(object);
    lines.push(verb === 'create' ? `${objectRef(object)} created` : line);
  }
  if (errors.length > 0) return failed(errors.join('\n'), 1, lines.join('\n'));
  return simulated(lines.join('\n'));
}

/** `kubectl create namespace x` and friends: recorded, nothing more. */
function createImperative(parsed: Parsed, lab: Lab): Outcome {
  const [type, name] = parsed.operands;
  const kind = RESOURCE_TYPES.get(type ?? '') ?? (type === 'secret' ? 'Secret' : undefined);
  if (!kind || name === undefined) return failed('error: must specify one of -f and -k');
  const object: KubeObject = {
    apiVersion: 'v1',
    kind,
    name: type === 'secret' ? (parsed.operands[2] ?? name) : name,
    namespace: undefined,
    labels: {},
    body: { kind, metadata: { name } },
  };
  const state = kubernetes(lab);
  if (state.cluster.has(object)) return failed(`Error from server (AlreadyExists): ${plural(kind)} "${object.name}" already exists`);
  state.cluster.apply(object);
  return simulated(`${objectRef(object)} created`);
}

async function deleteCommand(parsed: Parsed, stdin: string | undefined, lab: Lab): Promise<Outcome> {
  const state = kubernetes(lab);
  const cluster = state.cluster;
  const targets: { kind: string; name: string; apiVersion: string }[] = [];
  const sources = parsed.flags.get('--filename') ?? [];
  if (sources.length > 0) {
    const read = readManifests(lab, sources, stdin);
    if ('error' in read) return failed(read.error);
    targets.push(...read.objects);
  } else {
    const args = resourceArgs(parsed.operands);
    if ('error' in args) return failed(args.error.replace('to get', 'to delete'));
    const all = flag(parsed, '--all') === 'true';
    const selector = flag(parsed, '--selector');
    let names = args.names;
    if (all || selector !== undefined) {
      if (args.kind !== 'Pod') return notSimulated(`kubectl delete --all/-l of ${plural(args.kind)}`);
      names = cluster
        .pods()
        .filter((p) => p.deletedAt === undefined && matchesSelector(p.labels, selector))
        .map((p) => p.name);
      if (names.length === 0) return simulated('No resources found');
    }
    if (names.length === 0) return failed(`error: resource(s) were provided, but no name was specified`);
    targets.push(...names.map((name) => ({ kind: args.kind, name, apiVersion: args.kind === 'StatefulSet' ? 'apps/v1' : 'v1' })));
  }
  const lines: string[] = [];
  const errors: string[] = [];
  let waitMs = 0;
  for (const target of targets) {
    const pod = target.kind === 'Pod' ? cluster.pod(target.name) : undefined;
    if (target.kind === 'Pod' && (!pod || pod.deletedAt !== undefined)) {
      errors.push(`Error from server (NotFound): pods "${target.name}" not found`);
      continue;
    }
    if (!cluster.delete(target.kind, target.name)) {
      errors.push(
        `Error from server (NotFound): ${sources.length > 0 ? `error when deleting "${sources[0] ?? ''}": ` : ''}${plural(target.kind).replace(/\..*$/, '')} "${target.name}" not found`,
      );
      continue;
    }
    if (pod?.goneAt !== undefined) waitMs = Math.max(waitMs, pod.goneAt - cluster.now());
    lines.push(sources.length > 0 ? `${objectRef(target)} deleted` : `${singular(target.kind)} "${target.name}" deleted`);
  }
  // kubectl delete waits until the pods are gone (their nodes drain and exit), unless --wait=false.
  if (waitMs > 0 && flag(parsed, '--wait') !== 'false') await passTime(lab, waitMs);
  if (errors.length > 0) return failed(errors.join('\n'), 1, lines.join('\n'));
  return simulated(lines.join('\n'));
}

// ---- get / describe ---------------------------------------------------------------------------------

function podRow(cluster: KubeCluster, pod: Pod, wide: boolean, worker: string): string[] {
  const view = cluster.view(pod);
  const row = [pod.name, `${view.ready ? 1 : 0}/1`, view.status, String(view.restarts), humanDuration(view.ageMs)];
  if (wide) row.push(view.status === 'Pending' ? '<none>' : pod.ip, view.status === 'Pending' ? '<none>' : worker, '<none>', '<none>');
  return row;
}

function statefulSetRow(cluster: KubeCluster, set: StatefulSet): string[] {
  return [set.spec.name, `${cluster.readyReplicas(set)}/${set.replicas}`, ageOf(cluster, set.createdAt)];
}

function getCommand(parsed: Parsed, lab: Lab): Outcome {
  const state = kubernetes(lab);
  const cluster = state.cluster;
  const types = (parsed.operands[0] ?? '').split(',');
  if (parsed.operands.length === 0)
    return failed(
      `You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.`,
    );
  const output = flag(parsed, '--output');
  const wide = output === 'wide';
  const selector = flag(parsed, '--selector');
  const sections: string[] = [];
  const errors: string[] = [];
  const expanded = types.length === 1 && types[0] === 'all' ? ['pods', 'services', 'statefulsets', 'jobs'] : types;
  for (const type of expanded) {
    const args = resourceArgs(parsed.operands[0]?.includes('/') ? parsed.operands : [type, ...parsed.operands.slice(1)]);
    if ('error' in args) return failed(args.error);
    const named = (name: string): boolean => args.names.length === 0 || args.names.includes(name);
    const prefix = expanded.length > 1 ? `${singular(args.kind)}/` : '';
    let table: { header: string[]; rows: string[][] } | undefined;
    const missing = (names: string[]): void => {
      for (const name of args.names)
        if (!names.includes(name)) errors.push(`Error from server (NotFound): ${plural(args.kind)} "${name}" not found`);
    };
    switch (args.kind) {
      case 'Pod': {
        const pods = cluster.pods().filter((pod) => named(pod.name) && matchesSelector(pod.labels, selector));
        missing(pods.map((p) => p.name));
        table = {
          header: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', ...(wide ? ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'] : [])],
          rows: pods.sort((a, b) => a.name.localeCompare(b.name)).map((pod) => podRow(cluster, pod, wide, state.worker)),
        };
        break;
      }
      case 'StatefulSet': {
        const sets = [...cluster.statefulSets.values()].filter((set) => named(set.spec.name));
        missing(sets.map((s) => s.spec.name));
        table = { header: ['NAME', 'READY', 'AGE'], rows: sets.map((set) => statefulSetRow(cluster, set)) };
        break;
      }
      case 'Service': {
        const services = [
          { name: 'kubernetes', type: 'ClusterIP', ip: '10.96.0.1', ports: '443/TCP', createdAt: cluster.createdAt },
          ...[...cluster.services.values()].map((service) => ({
            name: service.spec.name,
            type: service.spec.type,
            ip: service.clusterIP,
            ports: service.spec.ports.map((p) => `${p.port}/TCP`).join(','),
            createdAt: service.createdAt,
          })),
        ].filter((service) => named(service.name));
        missing(services.map((s) => s.name));
        table = {
          header: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
          rows: services
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((s) => [s.name, s.type, s.ip, '<none>', s.ports, ageOf(cluster, s.createdAt)]),
        };
        break;
      }
      case 'PersistentVolumeClaim': {
        const claims = [...cluster.claims.values()].filter((claim) => named(claim.name));
        missing(claims.map((c) => c.name));
        table = {
          header: ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE'],
          rows: claims.map((c) => [c.name, 'Bound', c.volume, c.storage, 'RWO', 'standard', '<unset>', ageOf(cluster, c.createdAt)]),
        };
        break;
      }
      case 'PersistentVolume': {
        const claims = [...cluster.claims.values()].filter((claim) => named(claim.volume));
        table = {
          header: [
            'NAME',
            'CAPACITY',
            'ACCESS MODES',
            'RECLAIM POLICY',
            'STATUS',
            'CLAIM',
            'STORAGECLASS',
            'VOLUMEATTRIBUTESCLASS',
            'REASON',
            'AGE',
          ],
          rows: claims.map((c) => [
            c.volume,
            c.storage,
            'RWO',
            'Delete',
            'Bound',
            `default/${c.name}`,
            'standard',
            '<unset>',
            '',
            ageOf(cluster, c.createdAt),
          ]),
        };
        break;
      }
      case 'Job': {
        const jobs = [...cluster.objects.values()].filter((o) => o.object.kind === 'Job' && named(o.object.name));
        missing(jobs.map((j) => j.object.name));
        table = {
          header: ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'],
          rows: jobs.map((job) => {
            const pod = cluster.pods().find((p) => p.owner.kind === 'Job' && p.owner.name === job.object.name);
            const finishedAt = pod?.succeeded === true ? pod.finishedAt : undefined;
            const done = finishedAt !== undefined && cluster.now() >= finishedAt;
            const duration = humanDuration((finishedAt !== undefined && done ? finishedAt : cluster.now()) - job.createdAt);
            return [job.object.name, done ? 'Complete' : 'Running', `${done ? 1 : 0}/1`, duration, ageOf(cluster, job.createdAt)];
          }),
        };
        break;
      }
      case 'PodDisruptionBudget': {
        const budgets = [...cluster.objects.values()].filter((o) => o.object.kind === 'PodDisruptionBudget' && named(o.object.name));
        missing(budgets.map((b) => b.object.name));
        table = {
          header: ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'],
          rows: budgets.map((b) => {
            const body = b.object.body as { spec?: { maxUnavailable?: unknown; minAvailable?: unknown } };
            const max = body.spec?.maxUnavailable;
            const min = body.spec?.minAvailable;
            const pods = cluster.pods().filter((p) => p.owner.kind === 'StatefulSet');
            const unready = pods.filter((p) => !cluster.isReady(p)).length;
            const allowed =
              typeof max === 'number'
                ? Math.max(0, max - unready)
                : Math.max(0, pods.length - unready - (typeof min === 'number' ? min : 0));
            return [
              b.object.name,
              typeof min === 'number' || typeof min === 'string' ? String(min) : 'N/A',
              typeof max === 'number' || typeof max === 'string' ? String(max) : 'N/A',
              String(allowed),
              ageOf(cluster, b.createdAt),
            ];
          }),
        };
        break;
      }
      case 'Node':
        table = {
          header: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
          rows: [[state.worker, 'Ready', 'control-plane', ageOf(cluster, cluster.createdAt), 'v1.33.1']],
        };
        break;
      default: {
        const objects = [...cluster.objects.values()].filter((o) => o.object.kind === args.kind && named(o.object.name));
        missing(objects.map((o) => o.object.name));
        table = { header: ['NAME', 'AGE'], rows: objects.map((o) => [o.object.name, ageOf(cluster, o.createdAt)]) };
      }
    }
    if (output === 'name') {
      sections.push(table.rows.map((row) => `${singular(args.kind)}/${row[0] ?? ''}`).join('\n'));
      continue;
    }
    if (table.rows.length === 0) continue;
    sections.push(
      kubectlTable(
        table.header,
        table.rows.map((row, i) => (i >= 0 && prefix !== '' ? [`${prefix}${row[0] ?? ''}`, ...row.slice(1)] : row)),
      ).trimEnd(),
    );
  }
  if (errors.length > 0 && sections.length === 0) return failed(errors.join('\n'));
  if (sections.length === 0) return simulated(`No resources found in ${flag(parsed, '--namespace') ?? 'default'} namespace.`);
  return simulated([...sections.join('\n\n').split('\n'), ...errors].join('\n'));
}

function describeCommand(parsed: Parsed, lab: Lab): Outcome {
  const state = kubernetes(lab);
  const cluster = state.cluster;
  const args = resourceArgs(parsed.operands);
  if ('error' in args) return failed(args.error);
  if (args.kind !== 'Pod') return notSimulated(`kubectl describe ${plural(args.kind)} (describe pod is simulated)`);
  const pods = args.names.length === 0 ? cluster.pods() : args.names.map((name) => cluster.pod(name));
  const blocks: string[] = [];
  for (const [i, pod] of pods.entries()) {
    if (!pod) return notFound('Pod', args.names[i] ?? '');
    const view = cluster.view(pod);
    const nodeId = cluster.nodeOf(pod);
    const controller = pod.owner.kind === 'Pod' ? '<none>' : `${pod.owner.kind}/${pod.owner.name}`;
    const lines = [
      ['Name:', pod.name],
      ['Namespace:', 'default'],
      ['Node:', `${state.worker}/172.18.0.2`],
      [
        'Labels:',
        Object.entries(pod.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n                  ') || '<none>',
      ],
      [
        'Status:',
        view.status === 'Terminating'
          ? 'Terminating (lasts until the node drains)'
          : view.status === 'ContainerCreating'
            ? 'Pending'
            : view.status === 'Completed'
              ? 'Succeeded'
              : view.status,
      ],
      ['IP:', pod.ip],
      ['Controlled By:', controller],
      ['Containers:', ''],
    ].map(([key, value]) => `${(key ?? '').padEnd(18)}${value ?? ''}`.trimEnd());
    lines.push(`  ${pod.owner.kind === 'Job' ? pod.owner.name : pod.owner.kind === 'StatefulSet' ? 'db' : pod.name}:`);
    lines.push(`    Image:          ${pod.image}`);
    lines.push(`    State:          ${view.status === 'Running' ? 'Running' : view.status === 'Completed' ? 'Terminated' : 'Waiting'}`);
    lines.push(`    Ready:          ${view.ready ? 'True' : 'False'}`);
    lines.push(`    Restart Count:  ${view.restarts}`);
    if (nodeId !== undefined) lines.push(`CockroachDB node:   n${nodeId} (${cluster.health(pod).passing ? 'live' : 'not serving'})`);
    lines.push('Events:', kubectlTable(['  Type', 'Reason', 'Age', 'From', 'Message'], podEvents(cluster, pod, state.worker)).trimEnd());
    blocks.push(lines.join('\n'));
  }
  return simulated(blocks.join('\n\n\n'));
}

function podEvents(cluster: KubeCluster, pod: Pod, worker: string): string[][] {
  const now = cluster.now();
  const events: [number, string, string, string, string][] = [
    [pod.createdAt, 'Normal', 'Scheduled', 'default-scheduler', `Successfully assigned default/${pod.name} to ${worker}`],
    [pod.startsAt - 1000, 'Normal', 'Created', 'kubelet', `Created container`],
    [pod.startsAt, 'Normal', 'Started', 'kubelet', `Started container`],
  ];
  if (pod.cockroach && !cluster.isReady(pod, now) && now >= pod.startsAt && pod.deletedAt === undefined)
    events.push([now, 'Warning', 'Unhealthy', 'kubelet', 'Readiness probe failed: HTTP probe failed with statuscode: 503']);
  if (pod.deletedAt !== undefined) events.push([pod.deletedAt, 'Normal', 'Killing', 'kubelet', 'Stopping container db']);
  return events
    .filter(([at]) => at <= now)
    .map(([at, type, reason, from, message]) => [`  ${type}`, reason, humanDuration(now - at), from, message]);
}

// ---- scale / rollout / wait / logs ------------------------------------------------------------------

function scaleCommand(parsed: Parsed, lab: Lab): Outcome {
  const cluster = kubernetes(lab).cluster;
  const replicas = flag(parsed, '--replicas');
  if (replicas === undefined) return failed('error: required flag(s) "replicas" not set');
  if (!/^\d+$/.test(replicas))
    return failed(`error: invalid argument "${replicas}" for "--replicas" flag: strconv.ParseInt: parsing "${replicas}": invalid syntax`);
  const args = resourceArgs(parsed.operands);
  if ('error' in args) return failed(args.error);
  if (args.kind !== 'StatefulSet') return notSimulated(`kubectl scale of ${plural(args.kind)} (StatefulSets are simulated)`);
  const lines: string[] = [];
  for (const name of args.names) {
    const set = cluster.statefulSets.get(name);
    if (!set) return notFound('StatefulSet', name);
    cluster.scaleTo(set, Number(replicas));
    lines.push(`statefulset.apps/${name} scaled`);
  }
  return simulated(lines.join('\n'));
}

/** Waits in simulated time (one second at a time) until `done`, or the timeout; true when done. */
async function waitUntil(lab: Lab, timeoutMs: number, done: () => boolean): Promise<boolean> {
  const start = kubernetes(lab).cluster.now();
  for (;;) {
    if (done()) return true;
    const waited = kubernetes(lab).cluster.now() - start;
    if (waited >= timeoutMs || lab.cluster.time !== 'virtual') return done();
    await passTime(lab, Math.min(1000, timeoutMs - waited));
  }
}

function parseTimeout(text: string | undefined, fallbackMs: number): number {
  if (text === undefined) return fallbackMs;
  const match = /^(\d+)(ms|s|m|h)?$/.exec(text);
  if (!match) return fallbackMs;
  const scale: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return Number(match[1]) * (scale[match[2] ?? 's'] ?? 1000);
}

async function rolloutCommand(parsed: Parsed, lab: Lab): Promise<Outcome> {
  const [sub, ...rest] = parsed.operands;
  if (sub !== 'status') return notSimulated(`kubectl rollout ${sub ?? ''} (rollout status is simulated)`);
  const args = resourceArgs(rest);
  if ('error' in args) return failed(args.error);
  const cluster = kubernetes(lab).cluster;
  if (args.kind !== 'StatefulSet') return notSimulated(`kubectl rollout status of ${plural(args.kind)}`);
  const set = cluster.statefulSets.get(args.names[0] ?? '');
  if (!set) return notFound('StatefulSet', args.names[0] ?? '');
  const lines: string[] = [];
  let lastWaiting = -1;
  // Without --timeout kubectl waits for ever; the simulation gives up after ten simulated minutes.
  const done = await waitUntil(lab, parseTimeout(flag(parsed, '--timeout'), 600_000), () => {
    const waiting = set.replicas - cluster.readyReplicas(set);
    if (waiting > 0 && waiting !== lastWaiting) lines.push(`Waiting for ${waiting} pods to be ready...`);
    lastWaiting = waiting;
    return waiting <= 0;
  });
  if (!done) return failed('error: timed out waiting for the condition', 1, lines.join('\n'));
  lines.push(`statefulset rolling update complete ${set.replicas} pods at revision ${set.revision}...`);
  return simulated(lines.join('\n'));
}

async function waitCommand(parsed: Parsed, lab: Lab): Promise<Outcome> {
  const cluster = kubernetes(lab).cluster;
  const condition = flag(parsed, '--for');
  if (condition === undefined) return failed('error: --for must be specified');
  const timeoutMs = parseTimeout(flag(parsed, '--timeout'), 30_000);
  const all = flag(parsed, '--all') === 'true';
  const selector = flag(parsed, '--selector');
  const args = resourceArgs(parsed.operands);
  if ('error' in args) return failed(args.error);
  const pick = (): { kind: string; name: string }[] => {
    if (args.kind === 'Pod' && (all || selector !== undefined))
      return cluster
        .pods()
        .filter((p) => matchesSelector(p.labels, selector) && p.owner.kind !== 'Job')
        .map((p) => ({ kind: 'Pod', name: p.name }));
    return args.names.map((name) => ({ kind: args.kind, name }));
  };
  const targets = pick();
  if (targets.length === 0) return failed('error: no matching resources found');
  const wanted = condition.toLowerCase();
  const met = (target: { kind: string; name: string }): boolean => {
    if (target.kind === 'Pod') {
      const pod = cluster.pod(target.name);
      if (wanted === 'delete') return pod === undefined;
      return pod !== undefined && (wanted === 'condition=ready' ? cluster.isReady(pod) : cluster.view(pod).status === 'Completed');
    }
    if (target.kind === 'Job') {
      const pod = cluster.pods().find((p) => p.owner.kind === 'Job' && p.owner.name === target.name);
      return pod?.finishedAt !== undefined && pod.succeeded && cluster.now() >= pod.finishedAt;
    }
    if (target.kind === 'StatefulSet') {
      const set = cluster.statefulSets.get(target.name);
      return set !== undefined && cluster.readyReplicas(set) >= set.replicas;
    }
    return true;
  };
  for (const target of targets)
    if (target.kind === 'Pod' && wanted !== 'delete' && !cluster.pod(target.name)) return notFound('Pod', target.name);
  const ok = await waitUntil(lab, timeoutMs, () => targets.every(met));
  const verb = wanted === 'delete' ? 'deleted' : `condition met`;
  const ref = (t: { kind: string; name: string }): string => `${singular(t.kind)}/${t.name}`;
  if (!ok) {
    const pending = targets.find((t) => !met(t));
    return failed(
      `error: timed out waiting for the condition on ${pending ? `${plural(pending.kind)}/${pending.name}` : 'pods'}`,
      1,
      targets
        .filter(met)
        .map((t) => `${ref(t)} ${verb}`)
        .join('\n'),
    );
  }
  return simulated(targets.map((t) => `${ref(t)} ${verb}`).join('\n'));
}

function logsCommand(parsed: Parsed, lab: Lab): Outcome {
  const cluster = kubernetes(lab).cluster;
  const name = (parsed.operands[0] ?? '').replace(/^(pod|pods|po)\//, '');
  if (name === '')
    return failed(
      "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command",
    );
  const pod = cluster.pod(name);
  if (!pod) return notFound('Pod', name);
  const view = cluster.view(pod);
  if (view.status === 'Pending' || view.status === 'ContainerCreating')
    return failed(
      `Error from server (BadRequest): container "${pod.owner.kind === 'StatefulSet' ? 'db' : pod.name}" in pod "${pod.name}" is waiting to start: ContainerCreating`,
    );
  if (pod.owner.kind === 'Job') return simulated(pod.succeeded ? 'Cluster successfully initialized' : '');
  if (!pod.cockroach) return simulated('');
  const nodeId = cluster.nodeOf(pod);
  const host = `${pod.name}.${pod.owner.name === 'Pod' ? pod.name : (cluster.statefulSets.get(pod.owner.name)?.spec.serviceName ?? pod.owner.name)}.default.svc.cluster.local`;
  if (nodeId === undefined)
    return simulated(
      `* initial startup completed.\n* Node will now attempt to join a running cluster, or wait for \`cockroach init\`.\n* Client connections will be accepted after this completes successfully.\n* Check the log file(s) for progress.`,
    );
  const scheme = pod.cockroach.insecure ? '?sslmode=disable' : '?sslcert=…';
  return simulated(
    [
      'CockroachDB node starting (simulated)',
      `webui:               http${pod.cockroach.insecure ? '' : 's'}://${host}:${pod.cockroach.httpPort}`,
      `sql:                 postgresql://root@${host}:${pod.cockroach.sqlPort}/defaultdb${scheme}`,
      `RPC client flags:    /cockroach/cockroach <client cmd> --host=${host}:${pod.cockroach.port}${pod.cockroach.insecure ? ' --insecure' : ''}`,
      `store[0]:            path=/cockroach/cockroach-data`,
      `status:              ${pod.restarts > 0 || pod.createdAt > (cluster.initializedAt ?? 0) ? 'restarted pre-existing node' : 'initialized new cluster'}`,
      `nodeID:              ${nodeId}`,
    ].join('\n'),
  );
}

// ---- exec / run / port-forward ----------------------------------------------------------------------

async function execCommand(parsed: Parsed, stdin: string | undefined, lab: Lab, context: ProgramContext): Promise<Outcome> {
  const cluster = kubernetes(lab).cluster;
  const name = (parsed.operands[0] ?? '').replace(/^(pod|pods|po)\//, '');
  if (name === '') return failed('error: pod, type/name or --filename must be specified');
  if (parsed.command.length === 0)
    return failed(
      parsed.operands.length > 1
        ? 'error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead'
        : 'error: you must specify at least one command for the container',
    );
  const pod = cluster.pod(name);
  if (!pod) return notFound('Pod', name);
  const view = cluster.view(pod);
  if (view.status !== 'Running') {
    if (view.status === 'Completed' || view.status === 'Error')
      return failed('error: cannot exec into a container in a completed pod; current phase is Succeeded');
    return failed(`error: unable to upgrade connection: container not found ("${pod.owner.kind === 'StatefulSet' ? 'db' : pod.name}")`);
  }
  return runInCluster(lab, pod, parsed.command, stdin, context);
}

async function runCommand(parsed: Parsed, stdin: string | undefined, lab: Lab, context: ProgramContext): Promise<Outcome> {
  const state = kubernetes(lab);
  const name = parsed.operands[0];
  if (name === undefined) return failed('error: NAME is required for run');
  const image = flag(parsed, '--image');
  if (image === undefined) return failed('error: required flag(s) "image" not set');
  if (state.cluster.pod(name)) return failed(`Error from server (AlreadyExists): pods "${name}" already exists`);
  const args = [...parsed.operands.slice(1), ...parsed.command];
  // The cockroach image's entrypoint is cockroach: its arguments are cockroach's, unless --command names the program.
  const isCockroach = /(^|\/)cockroach(:|$)/.test(image);
  const command = flag(parsed, '--command') === 'true' || !isCockroach ? args : ['cockroach', ...args];
  const pod = state.cluster.runPod(name, image, command);
  const remove = flag(parsed, '--rm') === 'true';
  const attached = flag(parsed, '--stdin') === 'true' || flag(parsed, '--tty') === 'true';
  // The command runs once the pod's container is up; attached, kubectl shows what it prints.
  await passTime(lab, Math.max(0, pod.startsAt - state.cluster.now()));
  const outcome = command.length === 0 ? simulated() : await runInCluster(lab, pod, command, stdin, context);
  if (remove) state.cluster.delete('Pod', name);
  const shown = attached ? outcome.output.replace(/\n$/, '') : '';
  const suffix = remove ? `pod "${name}" deleted` : attached ? '' : `pod/${name} created`;
  const output = [shown, suffix].filter((s) => s !== '').join('\n');
  if (outcome.kind === 'error') return { ...outcome, output };
  if (outcome.kind === 'not-simulated') return outcome;
  return simulated(output);
}

function portForwardCommand(parsed: Parsed, lab: Lab, context: ProgramContext): Outcome {
  const cluster = kubernetes(lab).cluster;
  const [target = '', ...ports] = parsed.operands;
  if (target === '' || ports.length === 0) return failed('error: TYPE/NAME and list of ports are required for port-forward');
  const [type, name] = target.includes('/') ? target.split('/') : ['pod', target];
  const kind = RESOURCE_TYPES.get(type ?? '');
  if (kind !== 'Pod' && kind !== 'Service' && kind !== 'StatefulSet')
    return failed(`error: cannot attach to *v1.${kind ?? type}: selector for *v1.${kind ?? type} not implemented`);
  // kubectl resolves a Service or StatefulSet to one of its pods once, when it starts.
  let pod: Pod | undefined;
  if (kind === 'Pod') pod = cluster.pod(name ?? '');
  else if (kind === 'Service') {
    const service = cluster.services.get(name ?? '');
    if (!service) return notFound('Service', name ?? '');
    pod = cluster.endpoints(service).sort((a, b) => a.name.localeCompare(b.name))[0];
    if (!pod) return failed(`error: unable to forward port because pod is not running. Current status=Pending`);
  } else pod = cluster.pods().find((p) => p.owner.kind === 'StatefulSet' && p.owner.name === name && p.deletedAt === undefined);
  if (!pod) return notFound(kind, name ?? '');
  if (cluster.view(pod).status !== 'Running')
    return failed(
      `error: unable to forward port because pod is not running. Current status=${cluster.view(pod).status === 'Terminating' ? 'Running' : 'Pending'}`,
    );
  const lines: string[] = [];
  const forwarded = pod;
  for (const spec of ports) {
    const [localText = '', remoteText = localText] = spec.split(':');
    const local = Number(localText || remoteText);
    const remote = Number(remoteText);
    if (!Number.isInteger(local) || !Number.isInteger(remote))
      return failed(`error: Error parsing local port '${localText}': strconv.ParseUint: parsing "${localText}": invalid syntax`);
    lines.push(`Forwarding from 127.0.0.1:${local} -> ${remote}`, `Forwarding from [::1]:${local} -> ${remote}`);
    const sqlPort = forwarded.cockroach?.sqlPort ?? 26257;
    if (remote !== sqlPort) continue;
    lab.listen(local, {
      name: `kubectl port-forward ${target}`,
      chooseNode: () => {
        const id = cluster.nodeOf(forwarded);
        return id !== undefined && forwarded.deletedAt === undefined && cluster.health(forwarded).passing ? id : undefined;
      },
    });
  }
  const process = lab.spawn(`kubectl port-forward ${target} ${ports.join(' ')}`, {
    onKill: () => {
      for (const spec of ports) lab.unlisten(Number(spec.split(':')[0]));
    },
  });
  // In the foreground, port-forward runs until interrupted: the lab keeps it running as a job.
  return simulated(context.background ? `[1] ${process.pid}\n${lines.join('\n')}` : lines.join('\n'));
}

// ---- the command ------------------------------------------------------------------------------------

export const kubectl: ProgramHandler = async (words, stdin, lab, context) => {
  const parsed = parse(words);
  const verb = parsed.operands.shift();
  switch (verb) {
    case undefined:
      return simulated('kubectl controls the Kubernetes cluster manager.');
    case 'apply':
    case 'create':
      return applyOrCreate(verb, parsed, stdin, lab);
    case 'delete':
      return deleteCommand(parsed, stdin, lab);
    case 'get':
      return getCommand(parsed, lab);
    case 'describe':
      return describeCommand(parsed, lab);
    case 'scale':
      return scaleCommand(parsed, lab);
    case 'rollout':
      return rolloutCommand(parsed, lab);
    case 'wait':
      return waitCommand(parsed, lab);
    case 'logs':
      return logsCommand(parsed, lab);
    case 'exec':
      return execCommand(parsed, stdin, lab, context);
    case 'run':
      return runCommand(parsed, stdin, lab, context);
    case 'port-forward':
      return portForwardCommand(parsed, lab, context);
    case 'config':
      return hostStep(`kubectl config ${parsed.operands.join(' ')}: the lab's one Kubernetes cluster is assumed to be the current context`);
    case 'cluster-info':
      return simulated(
        `Kubernetes control plane is running at https://127.0.0.1:6443\nCoreDNS is running at https://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy`,
      );
    case 'version':
      return simulated('Client Version: v1.33.1\nKustomize Version: v5.6.0\nServer Version: v1.33.1');
    default:
      if (KNOWN_VERBS.has(verb)) return notSimulated(`kubectl ${verb}`);
      return failed(`error: unknown command "${verb}" for "kubectl"`);
  }
};
