// `helm` with CockroachDB's chart (repository cockroachdb/helm-charts, chart `cockroachdb`): an
// install renders the chart's objects into the lab's Kubernetes cluster — the public and discovery
// Services, the PodDisruptionBudget, a StatefulSet of `statefulset.replicas` pods (3 by default)
// running `cockroach start`, and the post-install Job that runs `cockroach init` — named after
// the release as the chart names them (`<release>-cockroachdb`, or the release name alone when it
// already contains "cockroachdb"). Values come from --set and --values files; the ones the
// simulation acts on are replicas, tls.enabled (true by default: a secure cluster), conf.locality,
// conf.single-node, storage size, the image tag and fullnameOverride.
import { parse as parseYaml } from 'yaml';
import { failed, hostStep, notSimulated, simulated, type Lab, type Outcome, type ProgramHandler } from '../lab';
import type { KubeObject } from './manifests';
import { kubernetes, type HelmRelease } from './state';

const CHART = 'cockroachdb';
const CHART_VERSION = '21.0.1';
const APP_VERSION = '26.2.1';

/** The chart's defaults for the values the simulation reads (cockroachdb/values.yaml). */
const DEFAULTS: Record<string, string> = {
  'statefulset.replicas': '3',
  'tls.enabled': 'true',
  'conf.locality': '',
  'conf.single-node': 'false',
  'storage.persistentVolume.size': '100Gi',
  'image.repository': 'cockroachdb/cockroach',
  'image.tag': `v${APP_VERSION}`,
  'service.ports.grpc.internal.port': '26257',
  'service.ports.http.port': '8080',
  fullnameOverride: '',
};

interface Parsed {
  operands: string[];
  sets: string[];
  valueFiles: string[];
  flags: Set<string>;
  namespace: string;
}

function parse(words: readonly string[]): Parsed {
  const parsed: Parsed = { operands: [], sets: [], valueFiles: [], flags: new Set(), namespace: 'default' };
  for (let i = 1; i < words.length; i++) {
    const word = words[i] ?? '';
    const [name = '', inline] =
      word.startsWith('--') && word.includes('=')
        ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]
        : [word, undefined];
    const value = (): string => inline ?? words[++i] ?? '';
    if (name === '--set' || name === '--set-string') parsed.sets.push(value());
    else if (name === '--values' || name === '-f') parsed.valueFiles.push(value());
    else if (name === '--namespace' || name === '-n') parsed.namespace = value();
    else if (name === '--version' || name === '--timeout' || name === '--kube-context' || name === '--repo') value();
    else if (name.startsWith('-')) parsed.flags.add(name);
    else parsed.operands.push(word);
  }
  return parsed;
}

/** A nested values document as dotted keys (`statefulset: {replicas: 5}` → `statefulset.replicas`). */
function flatten(value: unknown, prefix: string, into: Record<string, string>): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix === '' ? key : `${prefix}.${key}`, into);
    return;
  }
  if (prefix === '') return;
  const scalar = (item: unknown): string =>
    typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean' ? String(item) : '';
  into[prefix] = Array.isArray(value) ? value.map(scalar).join(',') : scalar(value);
}

function readValues(parsed: Parsed, lab: Lab, base: Record<string, string>): Record<string, string> | { error: string } {
  const values = { ...base };
  for (const file of parsed.valueFiles) {
    const text = lab.readFile(file);
    if (text === undefined) return { error: `Error: open ${file}: no such file or directory` };
    try {
      flatten(parseYaml(text) as unknown, '', values);
    } catch (error) {
      return {
        error: `Error: failed to parse ${file}: error converting YAML to JSON: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`,
      };
    }
  }
  for (const set of parsed.sets)
    for (const pair of set.split(/,(?=[^,=]+=)/)) {
      const equals = pair.indexOf('=');
      if (equals <= 0) return { error: `Error: failed parsing --set data: key "${pair}" has no value` };
      values[pair.slice(0, equals)] = pair.slice(equals + 1);
    }
  return values;
}

/** The chart's full name: `<release>-cockroachdb`, or the release alone when it contains the chart name. */
export function chartFullName(release: string, values: Record<string, string>): string {
  const override = values.fullnameOverride ?? '';
  const name = override !== '' ? override : release.includes(CHART) ? release : `${release}-${CHART}`;
  return name.slice(0, 56).replace(/-+$/, '');
}

/** The objects the chart renders for these values. */
export function renderChart(release: string, values: Record<string, string>): KubeObject[] {
  const fullName = chartFullName(release, values);
  const labels = { 'app.kubernetes.io/name': CHART, 'app.kubernetes.io/instance': release, 'app.kubernetes.io/component': CHART };
  const selector = { 'app.kubernetes.io/name': CHART, 'app.kubernetes.io/instance': release, 'app.kubernetes.io/component': CHART };
  const grpc = Number(values['service.ports.grpc.internal.port'] ?? 26257);
  const http = Number(values['service.ports.http.port'] ?? 8080);
  const secure = values['tls.enabled'] !== 'false';
  const singleNode = values['conf.single-node'] === 'true';
  const locality = values['conf.locality'] ?? '';
  const ports = [
    { name: 'grpc', port: grpc, targetPort: grpc },
    { name: 'http', port: http, targetPort: http },
  ];
  const make = (apiVersion: string, kind: string, name: string, body: Record<string, unknown>): KubeObject => ({
    apiVersion,
    kind,
    name,
    namespace: undefined,
    labels,
    body: { apiVersion, kind, metadata: { name, labels }, ...body },
  });
  const join = [0, 1, 2].map((i) => `${fullName}-${i}.${fullName}:${grpc}`).join(',');
  const start = [
    'exec /cockroach/cockroach',
    singleNode ? 'start-single-node' : `start --join=${join}`,
    `--advertise-host=$(hostname).${fullName}`,
    secure ? '--certs-dir=/cockroach/cockroach-certs/' : '--insecure',
    `--http-port=${http}`,
    `--port=${grpc}`,
    ...(locality !== '' ? [`--locality=${locality}`] : []),
  ].join(' ');
  const objects: KubeObject[] = [
    make('policy/v1', 'PodDisruptionBudget', `${fullName}-budget`, { spec: { selector: { matchLabels: selector }, maxUnavailable: 1 } }),
    make('v1', 'Service', `${fullName}-public`, { spec: { type: 'ClusterIP', ports, selector } }),
    make('v1', 'Service', fullName, { spec: { clusterIP: 'None', publishNotReadyAddresses: true, ports, selector } }),
    make('apps/v1', 'StatefulSet', fullName, {
      spec: {
        serviceName: fullName,
        replicas: Number(values['statefulset.replicas'] ?? 3),
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: {
            terminationGracePeriodSeconds: 300,
            containers: [
              {
                name: 'db',
                image: `${values['image.repository'] ?? 'cockroachdb/cockroach'}:${values['image.tag'] ?? `v${APP_VERSION}`}`,
                args: ['shell', '-ecx', start],
                readinessProbe: {
                  httpGet: { path: '/health?ready=1', port: 'http' },
                  initialDelaySeconds: 10,
                  periodSeconds: 5,
                  failureThreshold: 2,
                },
              },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'datadir' },
            spec: { resources: { requests: { storage: values['storage.persistentVolume.size'] ?? '100Gi' } } },
          },
        ],
      },
    }),
  ];
  if (!singleNode)
    objects.push(
      make('batch/v1', 'Job', `${fullName}-init`, {
        spec: {
          template: {
            spec: {
              restartPolicy: 'OnFailure',
              containers: [
                {
                  name: 'cluster-init',
                  image: `${values['image.repository'] ?? 'cockroachdb/cockroach'}:${values['image.tag'] ?? `v${APP_VERSION}`}`,
                  command: [
                    '/cockroach/cockroach',
                    'init',
                    secure ? '--certs-dir=/cockroach-certs/' : '--insecure',
                    `--host=${fullName}-0.${fullName}:${grpc}`,
                  ],
                },
              ],
            },
          },
        },
      }),
    );
  return objects;
}

/** Go's time.ANSIC layout, as helm prints LAST DEPLOYED. */
function ansic(date: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${days[date.getUTCDay()] ?? ''} ${months[date.getUTCMonth()] ?? ''} ${String(date.getUTCDate()).padStart(2, ' ')} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${date.getUTCFullYear()}`;
}

/** The release's notes, in the lab's words: where to connect and how. */
function notes(release: HelmRelease): string {
  const fullName = chartFullName(release.name, release.values);
  const secure = release.values['tls.enabled'] !== 'false';
  const port = release.values['service.ports.grpc.internal.port'] ?? '26257';
  const lines = [
    `CockroachDB is reached inside the cluster on port ${port} at ${fullName}-public.default.svc.cluster.local`,
    `(the Service that spreads connections over the ready pods).`,
    '',
  ];
  if (secure)
    lines.push(
      'The cluster runs in secure mode (tls.enabled=true): clients need a certificate or a password.',
      'Install with --set tls.enabled=false for an insecure cluster to experiment with.',
    );
  else
    lines.push(
      'For a SQL shell, run a client pod:',
      '',
      `    kubectl run -it --rm cockroach-client --image=cockroachdb/cockroach --restart=Never \\`,
      `        -- sql --insecure --host=${fullName}-public`,
    );
  lines.push('', `The DB Console: kubectl port-forward ${fullName}-0 ${release.values['service.ports.http.port'] ?? '8080'}`);
  return lines.join('\n');
}

function releaseReport(release: HelmRelease, header: string | undefined): string {
  return [
    ...(header !== undefined ? [header] : []),
    `NAME: ${release.name}`,
    `LAST DEPLOYED: ${ansic(new Date(release.deployedAt))}`,
    'NAMESPACE: default',
    'STATUS: deployed',
    `REVISION: ${release.revision}`,
    'NOTES:',
    notes(release),
  ].join('\n');
}

function chartOf(lab: Lab, reference: string | undefined): { error: string } | undefined {
  if (reference === undefined) return { error: 'Error: INSTALLATION FAILED: must either provide a name or specify --generate-name' };
  const [repo, chart] = reference.split('/');
  if (chart === undefined)
    return { error: `Error: INSTALLATION FAILED: non-absolute URLs should be in form of repo_name/path_to_chart, got: ${reference}` };
  if (!kubernetes(lab).repositories.has(repo ?? '')) return { error: `Error: INSTALLATION FAILED: repo ${repo ?? ''} not found` };
  if (chart !== CHART)
    return {
      error: `Error: INSTALLATION FAILED: chart "${chart}" matching  not found in ${repo ?? ''} index. (try 'helm repo update'): no chart name found`,
    };
  return undefined;
}

/** Puts the rendered objects into the cluster (a StatefulSet already there is scaled to the new replicas). */
function deploy(lab: Lab, release: HelmRelease): void {
  const cluster = kubernetes(lab).cluster;
  const objects = renderChart(release.name, release.values);
  release.objects = objects.map((o) => `${o.kind}/${o.name}`);
  for (const object of objects) cluster.apply(object);
}

function install(parsed: Parsed, lab: Lab): Outcome {
  const state = kubernetes(lab);
  const [name, chart] = parsed.operands.slice(1);
  const problem = chartOf(lab, chart);
  if (problem) return failed(problem.error);
  if (name === undefined) return failed('Error: INSTALLATION FAILED: must either provide a name or specify --generate-name');
  if (state.releases.has(name)) return failed('Error: INSTALLATION FAILED: cannot re-use a name that is still in use');
  const values = readValues(parsed, lab, DEFAULTS);
  if ('error' in values) return failed(values.error.replace(/^Error: /, 'Error: INSTALLATION FAILED: '));
  if (!/^\d+$/.test(values['statefulset.replicas'] ?? ''))
    return failed(
      `Error: INSTALLATION FAILED: values don't meet the specifications of the schema(s) in the following chart(s):\ncockroachdb:\n- statefulset.replicas: Invalid type. Expected: integer, given: string`,
    );
  const release: HelmRelease = { name, chart: `${CHART}-${CHART_VERSION}`, revision: 1, deployedAt: Date.now(), objects: [], values };
  state.releases.set(name, release);
  deploy(lab, release);
  return simulated(releaseReport(release, undefined));
}

function upgrade(parsed: Parsed, lab: Lab): Outcome {
  const state = kubernetes(lab);
  const [name, chart] = parsed.operands.slice(1);
  const release = name === undefined ? undefined : state.releases.get(name);
  if (!release) {
    if (parsed.flags.has('--install')) return install(parsed, lab);
    return failed(`Error: UPGRADE FAILED: "${name ?? ''}" has no deployed releases`);
  }
  const problem = chartOf(lab, chart);
  if (problem) return failed(problem.error.replace('INSTALLATION', 'UPGRADE'));
  // --reuse-values keeps the last values; otherwise the chart's defaults under the new ones.
  const values = readValues(parsed, lab, parsed.flags.has('--reuse-values') ? release.values : DEFAULTS);
  if ('error' in values) return failed(values.error.replace(/^Error: /, 'Error: UPGRADE FAILED: '));
  release.values = values;
  release.revision++;
  release.deployedAt = Date.now();
  deploy(lab, release);
  return simulated(releaseReport(release, `Release "${release.name}" has been upgraded. Happy Helming!`));
}

function uninstall(parsed: Parsed, lab: Lab): Outcome {
  const state = kubernetes(lab);
  const name = parsed.operands[1];
  const release = name === undefined ? undefined : state.releases.get(name);
  if (!release || name === undefined) return failed(`Error: uninstall: Release not loaded: ${name ?? ''}: release: not found`);
  for (const ref of release.objects) {
    const [kind = '', objectName = ''] = ref.split('/');
    state.cluster.delete(kind, objectName);
  }
  state.releases.delete(name);
  return simulated(`release "${name}" uninstalled`);
}

function list(lab: Lab): Outcome {
  const rows = [['NAME', 'NAMESPACE', 'REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION']];
  for (const release of kubernetes(lab).releases.values())
    rows.push([
      release.name,
      'default',
      String(release.revision),
      `${new Date(release.deployedAt)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, '')} +0000 UTC`,
      'deployed',
      release.chart,
      APP_VERSION,
    ]);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return simulated(
    rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 1))).join('\t')).join('\n'),
  );
}

export const helm: ProgramHandler = (words, _stdin, lab) => {
  const parsed = parse(words);
  const [verb, sub, name, url] = parsed.operands;
  const state = kubernetes(lab);
  switch (verb) {
    case 'repo':
      if (sub === 'add' && name !== undefined) {
        state.repositories.set(name, url ?? '');
        return hostStep(`helm repository "${name}" assumed added (the lab knows CockroachDB's chart, cockroachdb/cockroachdb)`);
      }
      if (sub === 'update') return hostStep('the helm repositories are assumed up to date');
      return hostStep(`helm repo ${sub ?? ''}: assumed done`);
    case 'install':
      return install(parsed, lab);
    case 'upgrade':
      return upgrade(parsed, lab);
    case 'uninstall':
    case 'delete':
      return uninstall(parsed, lab);
    case 'list':
    case 'ls':
      return list(lab);
    case 'status': {
      const release = state.releases.get(sub ?? '');
      if (!release) return failed('Error: release: not found');
      return simulated(releaseReport(release, undefined));
    }
    case 'version':
      return simulated('version.BuildInfo{Version:"v3.18.4", GitTreeState:"clean", GoVersion:"go1.24.4"}');
    default:
      return notSimulated(`helm ${verb ?? ''}`);
  }
};
