// Commands run inside the Kubernetes cluster (`kubectl exec`, `kubectl run`): `cockroach …` goes
// to the lab's cockroach command, connected to the node the in-cluster address reaches — the pod's
// own node for localhost, a pod's node for `cockroachdb-0.cockroachdb`, a ready endpoint for a
// Service such as `cockroachdb-public`. Names only the cluster's DNS knows are resolved here, as
// only a pod can resolve them. `cockroach init` initializes the cluster the pods form.
import { failed, notSimulated, simulated, type Lab, type Outcome, type ProgramContext } from '../lab';
import type { Pod } from './cluster';
import { kubernetes } from './state';

const LOCAL = new Set(['localhost', '127.0.0.1', '::1', '']);
const CONNECTION_FLAGS = new Set(['--host', '--port', '-p', '--url']);

function splitHostPort(text: string): { host: string; port: number | undefined } {
  const colon = text.lastIndexOf(':');
  if (colon < 0 || text.startsWith('[')) return { host: text, port: undefined };
  return { host: text.slice(0, colon), port: Number(text.slice(colon + 1)) || undefined };
}

function flagValue(words: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word === name) value = words[i + 1];
    else if (word.startsWith(`${name}=`)) value = word.slice(name.length + 1);
  }
  return value;
}

/** The words without the connection flags (and their values). */
function withoutConnectionFlags(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    const name = word.includes('=') ? word.slice(0, word.indexOf('=')) : word;
    if (CONNECTION_FLAGS.has(name)) {
      if (!word.includes('=')) i++;
      continue;
    }
    out.push(word);
  }
  return out;
}

function isPostgresUrl(word: string): boolean {
  return /^postgres(ql)?:\/\//.test(word);
}

/** The host a URL names. */
function urlHost(url: string): { host: string; port: number | undefined } {
  try {
    const parsed = new URL(url.replace(/^postgres(ql)?:/, 'http:'));
    return { host: parsed.hostname, port: parsed.port === '' ? undefined : Number(parsed.port) };
  } catch {
    return { host: url, port: undefined };
  }
}

/** The URL pointed at `address` (host:port) instead. */
function retarget(url: string, address: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/(?:[^@/]*@)?)([^/?]*)/, (_match, prefix: string) => `${prefix}${address}`);
}

/** Where the simulated node listens for the lab's cockroach command (the address it advertises). */
function nodeAddress(lab: Lab, nodeId: number): string {
  return lab.cluster.addresses.get(nodeId) ?? `localhost:${26256 + nodeId}`;
}

type Target = { nodeId: number } | { outcome: Outcome };

function dialError(host: string, port: number, reason: string, subcommand: string): Outcome {
  return failed(
    `ERROR: cannot dial server.\nIs the server running?\nIf the server is running, check --host client-side and --advertise server-side.\n\n${reason.replace('%s', `${host}:${port}`)}\nFailed running "${subcommand}"`,
  );
}

/** The node a connection from inside `pod` to host:port reaches. */
function targetFrom(lab: Lab, pod: Pod, host: string, port: number, subcommand: string): Target {
  const cluster = kubernetes(lab).cluster;
  if (LOCAL.has(host)) {
    const id = cluster.nodeOf(pod);
    if (!pod.cockroach) return { outcome: dialError(host, port, 'dial tcp %s: connect: connection refused', subcommand) };
    if (id === undefined)
      return {
        outcome: failed(
          `ERROR: server is not accepting clients yet: the node in ${pod.name} is waiting for \`cockroach init\`\nFailed running "${subcommand}"`,
        ),
      };
    return { nodeId: id };
  }
  const found = cluster.nodeForHost(host);
  if (found === undefined) return { outcome: dialError(host, port, `dial tcp: lookup ${host} on 10.96.0.10:53: no such host`, subcommand) };
  if ('error' in found) {
    const resolved = cluster.resolve(host);
    const waiting = resolved?.kind === 'pod' && cluster.initializedAt === undefined && resolved.pod.cockroach !== undefined;
    if (waiting)
      return {
        outcome: failed(
          `ERROR: server is not accepting clients yet: the node in ${resolved.pod.name} is waiting for \`cockroach init\`\nFailed running "${subcommand}"`,
        ),
      };
    return { outcome: dialError(host, port, 'dial tcp %s: connect: connection refused', subcommand) };
  }
  return found;
}

/** Runs a container's command in the cluster, as from inside `pod`. */
export async function runInCluster(
  lab: Lab,
  pod: Pod,
  command: readonly string[],
  stdin: string | undefined,
  context: ProgramContext,
): Promise<Outcome> {
  let words = [...command];
  // `bash -c "…"` / `sh -c "…"`: the script's words.
  if (/^(ba)?sh$/.test(words[0]?.replace(/^.*\//, '') ?? '') && words[1] === '-c')
    words = (words[2] ?? '').split(/\s+/).filter((w) => w !== '');
  const program = words[0]?.replace(/^.*\//, '') ?? '';
  if (program !== 'cockroach') {
    if (program === 'sleep' || program === 'true') return simulated();
    return notSimulated(`${program} inside a pod (cockroach commands are simulated)`);
  }
  const subcommand = words[1] ?? '';
  const cluster = kubernetes(lab).cluster;
  if (subcommand === 'init') {
    const host = flagValue(words, '--host') ?? flagValue(words, '--url');
    const hostName = host === undefined ? undefined : isPostgresUrl(host) ? urlHost(host).host : splitHostPort(host).host;
    const result = cluster.initCluster(hostName === undefined || LOCAL.has(hostName) ? cluster.advertisedAddress(pod) : hostName);
    if ('error' in result) return failed(`${result.error}${result.error.includes('Failed running') ? '' : '\nFailed running "init"'}`);
    return simulated(result.output);
  }
  const url = flagValue(words, '--url');
  const positionalUrl = words.find((word, i) => i > 1 && isPostgresUrl(word));
  const given =
    url !== undefined
      ? urlHost(url)
      : positionalUrl !== undefined
        ? urlHost(positionalUrl)
        : splitHostPort(flagValue(words, '--host') ?? 'localhost');
  const port = Number(flagValue(words, '--port') ?? flagValue(words, '-p') ?? given.port ?? 26257);
  const target = targetFrom(lab, pod, given.host, port, subcommand);
  if ('outcome' in target) return target.outcome;
  // A secure node (certificates, as the Helm chart's default) refuses a client that will not use TLS.
  const serving = cluster.podOfNode(target.nodeId);
  if (serving?.cockroach && !serving.cockroach.insecure && words.includes('--insecure'))
    return failed(`ERROR: node is running secure mode, SSL connection required\nFailed running "${subcommand}"`);
  const address = nodeAddress(lab, target.nodeId);
  let rewritten = withoutConnectionFlags(words).map((word) => (isPostgresUrl(word) ? retarget(word, address) : word));
  if (url !== undefined) rewritten = [...rewritten, `--url=${retarget(url, address)}`];
  else if (positionalUrl === undefined) {
    const { host, port: nodePort } = splitHostPort(address);
    rewritten = [...rewritten, `--host=${host}`, `--port=${nodePort ?? 26257}`];
  }
  return lab.runProgram(['cockroach', ...rewritten.slice(1)], stdin, context);
}
