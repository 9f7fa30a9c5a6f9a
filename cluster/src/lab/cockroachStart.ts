// `cockroach start`, `start-single-node`, `init`, and stopping nodes (kill, quit): the lab builds
// its own cluster from the flags it is given. As on CockroachDB, nodes started with --join wait
// for `cockroach init` before serving clients; the node init reaches becomes n1, the others take
// ids in the order they started; start-single-node serves at once. A killed node dies in the
// model and failover follows in simulated time.
import { parseNodeLocality } from '../../../sql/src/locality';
import { CRDB_VERSION } from '../engine/bootstrap';
import { cockroachState, normalizeAddress, sameHost, type CockroachState, type LabNode } from './cockroachState';
import { cannotDial, connectionParams, flagValue, flagValues, hasFlag } from './cockroachSql';
import { failed, simulated, type Lab, type Outcome, type ProgramContext, type ProgramHandler } from './lab';

const INSECURE_WARNING = [
  '*',
  '* WARNING: ALL SECURITY CONTROLS HAVE BEEN DISABLED!',
  '*',
  '* This mode is intended for non-production testing only.',
  '*',
].join('\n');

const WAITING_FOR_INIT = [
  '*',
  '* INFO: initial startup completed.',
  '* Node will now attempt to join a running cluster, or wait for `cockroach init`.',
  '* Client connections will be accepted after this completes successfully.',
  '* Check the log file(s) for progress. ',
  '*',
].join('\n');

/** The store directory a `--store` flag names (`path=…,size=…` or a bare path). */
function storePath(words: readonly string[]): string {
  const store = flagValue(words, '--store', '-s') ?? 'cockroach-data';
  const path = store.split(',').find((part) => part.startsWith('path='));
  return path !== undefined ? path.slice(5) : (store.split(',')[0] ?? 'cockroach-data');
}

function withHost(address: string | undefined, fallbackPort: number): string {
  const at = normalizeAddress(address, fallbackPort);
  return `${at.host}:${at.port}`;
}

/** The node a start command's flags describe. */
function describeNode(words: readonly string[], lab: Lab, pid: number): LabNode {
  const listen = withHost(flagValue(words, '--listen-addr', '--addr'), 26257);
  const sqlFlag = flagValue(words, '--sql-addr');
  const localityText = flagValue(words, '--locality') ?? '';
  return {
    id: undefined,
    store: lab.resolve(storePath(words)),
    listen,
    sql: sqlFlag !== undefined ? withHost(sqlFlag, 26257) : listen,
    http: withHost(flagValue(words, '--http-addr'), 8080),
    advertise: withHost(flagValue(words, '--advertise-addr', '--advertise-host') ?? listen, normalizeAddress(listen).port),
    locality: localityText === '' ? { region: '', zone: '' } : parseNodeLocality(localityText),
    localityText,
    join: flagValues(words, '--join', '-j')
      .flatMap((j) => j.split(','))
      .filter((j) => j !== ''),
    pid,
    running: true,
    insecure: hasFlag(words, '--insecure'),
  };
}

/** Two nodes cannot listen on one address (CockroachDB fails with "address already in use"). */
function addressInUse(state: CockroachState, node: LabNode): string | undefined {
  for (const other of state.nodes) {
    if (!other.running || other === node) continue;
    for (const address of [node.listen, node.sql, node.http]) {
      const at = normalizeAddress(address);
      for (const taken of [other.listen, other.sql, other.http]) {
        const t = normalizeAddress(taken);
        if (t.port === at.port && sameHost(t.host, at.host)) return address;
      }
    }
  }
  return undefined;
}

/** The `CockroachDB node starting at …` banner a node prints (and logs) once it serves. */
export function startBanner(lab: Lab, node: LabNode, status: string): string {
  const sql = normalizeAddress(node.sql);
  const params = node.insecure
    ? 'sslmode=disable'
    : 'sslcert=certs%2Fclient.root.crt&sslkey=certs%2Fclient.root.key&sslmode=verify-full&sslrootcert=certs%2Fca.crt';
  const rows: [string, string][] = [
    ['build:', `CCL ${CRDB_VERSION} @ (simulated by crdb-studio)`],
    ['webui:', `http${node.insecure ? '' : 's'}://${node.http}`],
    ['sql:', `postgresql://root@${sql.host}:${sql.port}/defaultdb?${params}`],
    ['sql (JDBC):', `jdbc:postgresql://${sql.host}:${sql.port}/defaultdb?${params}&user=root`],
    ['RPC client flags:', `cockroach <client cmd> --host=${node.advertise}${node.insecure ? ' --insecure' : ' --certs-dir=certs'}`],
    ['logs:', `${node.store}/logs`],
    ['temp dir:', `${node.store}/cockroach-temp`],
    ['external I/O path:', `${node.store}/extern`],
    ['store[0]:', `path=${node.store}`],
    ['storage engine:', 'pebble'],
    ['clusterID:', clusterId(lab)],
    ['status:', status],
    ['nodeID:', String(node.id ?? '')],
  ];
  const time = new Date(Date.UTC(2025, 0, 1) + lab.cluster.model.clock.now()).toISOString().replace('T', ' ').replace('Z', ' +0000 UTC');
  return [`CockroachDB node starting at ${time} (took 0.5s)`, ...rows.map(([k, v]) => `${k.padEnd(19)}${v}`)].join('\n');
}

function clusterId(lab: Lab): string {
  return lab.extension('cockroach.clusterId', () => '8b4e2f6a-5c1d-4e3b-9a7f-0c2d1e3f4a5b');
}

/** Writes the banner into the node's log, where `grep 'node starting' node1/logs/cockroach.log -A 11` finds it. */
function logBanner(lab: Lab, node: LabNode, banner: string): void {
  lab.writeFile(`${node.store}/logs/cockroach.log`, `${banner}\n`, { append: true });
}

/** Puts the lab's nodes into the model: the cluster becomes exactly the nodes started. */
function formCluster(lab: Lab, state: CockroachState, first: LabNode): void {
  const members = [first, ...state.nodes.filter((n) => n !== first && n.running)];
  const defaultRegion = (n: LabNode, i: number): { region: string; zone: string } =>
    n.locality.region === '' ? { region: 'us-east1', zone: n.locality.zone || String.fromCharCode(98 + (i % 3)) } : n.locality;
  lab.cluster.resetTopology(members.map(defaultRegion));
  lab.cluster.addresses.clear();
  members.forEach((n, i) => {
    n.id = i + 1;
    lab.cluster.addresses.set(n.id, n.sql);
  });
  state.initialized = true;
}

export async function start(words: readonly string[], lab: Lab, _context: ProgramContext, singleNode: boolean): Promise<Outcome> {
  const state = cockroachState(lab);
  const command = words.join(' ');
  const process = lab.spawn(command);
  const node = describeNode(words, lab, process.pid);
  if (
    !node.insecure &&
    flagValue(words, '--certs-dir') === undefined &&
    !lab.isDirectory('certs') &&
    !lab.isDirectory(`${lab.env.get('HOME') ?? ''}/.cockroach-certs`)
  ) {
    await lab.kill(process.pid);
    return failed(
      'ERROR: cannot load certificates.\nCheck your certificate settings, set --certs-dir, or use --insecure for insecure clusters.\n\nproblem using security settings: no certificates found; does certs dir exist?\nFailed running "start"',
    );
  }
  if (!singleNode && node.join.length === 0) {
    await lab.kill(process.pid);
    return failed(
      "ERROR: no --join flags provided to 'cockroach start'\nHINT: Consider using 'cockroach init' or 'cockroach start-single-node' instead\nFailed running \"start\"",
    );
  }
  // The same store again: the node that was stopped restarts with its id.
  const previous = state.nodes.find((n) => n.store === node.store);
  if (previous?.running) {
    await lab.kill(process.pid);
    return failed(
      `ERROR: could not acquire lock on ${previous.store}: the store is in use by another cockroach process\nFailed running "start"`,
    );
  }
  const clash = addressInUse(state, node);
  if (clash !== undefined) {
    await lab.kill(process.pid);
    return failed(`ERROR: failed to start server: listen tcp ${clash}: bind: address already in use\nFailed running "start"`);
  }
  let current = node;
  process.onKill = (signal) => {
    stopNode(lab, current, signal);
  };
  const out: string[] = [];
  if (node.insecure) out.push(INSECURE_WARNING);
  // With --background the banner goes to the log only; a job started with `&` still prints to the terminal.
  const foreground = !hasFlag(words, '--background');
  if (previous) {
    Object.assign(previous, { ...node, id: previous.id, running: true });
    current = previous;
    if (previous.id !== undefined && state.initialized) {
      lab.cluster.model.restartNode(previous.id);
      lab.cluster.addresses.set(previous.id, previous.sql);
      const banner = startBanner(lab, previous, 'restarted pre-existing node');
      logBanner(lab, previous, banner);
      if (foreground) out.push(banner);
      return simulated(out.join('\n'));
    }
  } else {
    if (!state.ownCluster) {
      // The lab's first node: from now on the cluster is the lab's own, empty until it forms.
      state.ownCluster = true;
      state.initialized = false;
    }
    state.nodes.push(node);
  }
  if (singleNode) {
    formCluster(lab, state, current);
    const banner = startBanner(lab, current, 'initialized new cluster');
    logBanner(lab, current, banner);
    if (foreground) out.push(banner);
    return simulated(out.join('\n'));
  }
  if (state.initialized) {
    // A cluster exists: the node joins it at once.
    const joined = lab.cluster.model.addNode(current.locality.region === '' ? { region: 'us-east1', zone: 'b' } : current.locality);
    current.id = joined.id;
    lab.cluster.addresses.set(joined.id, current.sql);
    const banner = startBanner(lab, current, 'initialized new node, joined pre-existing cluster');
    logBanner(lab, current, banner);
    if (foreground) out.push(banner);
    return simulated(out.join('\n'));
  }
  out.push(WAITING_FOR_INIT);
  return simulated(out.join('\n'));
}

/** A node's process ended: before init it simply goes away; after, the node dies in the model. */
function stopNode(lab: Lab, node: LabNode, _signal: string): void {
  node.running = false;
  if (node.id !== undefined && lab.cluster.model.node(node.id)?.running) lab.cluster.model.killNode(node.id);
}

export function init(words: readonly string[], lab: Lab): Outcome {
  const state = cockroachState(lab);
  const params = connectionParams(words);
  const target = state.nodes.find((n) => {
    const at = normalizeAddress(n.listen);
    const sql = normalizeAddress(n.sql);
    return (
      n.running &&
      ((at.port === params.port && sameHost(at.host, params.host)) || (sql.port === params.port && sameHost(sql.host, params.host)))
    );
  });
  if (!target) {
    if (!state.ownCluster && lab.cluster.model.nodes().length > 0 && state.nodes.length === 0)
      return failed('ERROR: cluster has already been initialized\nFailed running "init"');
    return cannotDial(params.host, params.port, 'init');
  }
  if (state.initialized) return failed('ERROR: cluster has already been initialized\nFailed running "init"');
  formCluster(lab, state, target);
  for (const node of state.nodes)
    if (node.running && node.id !== undefined)
      logBanner(
        lab,
        node,
        startBanner(lab, node, node === target ? 'initialized new cluster' : 'initialized new node, joined pre-existing cluster'),
      );
  return simulated('Cluster successfully initialized');
}

/** The running lab node a client command's --host/--port/--url names (for quit and drain --shutdown). */
export function labNodeAt(lab: Lab, words: readonly string[]): LabNode | undefined {
  const params = connectionParams(words);
  return cockroachState(lab).nodes.find((n) => {
    const sql = normalizeAddress(n.sql);
    const listen = normalizeAddress(n.listen);
    return (
      n.running &&
      ((sql.port === params.port && sameHost(sql.host, params.host)) || (listen.port === params.port && sameHost(listen.host, params.host)))
    );
  });
}

/** `cockroach quit` (deprecated for `node drain --shutdown`): drains the node, then it stops. */
export async function quit(words: readonly string[], lab: Lab): Promise<Outcome> {
  const node = labNodeAt(lab, words);
  const out = [
    'Command "quit" is deprecated, see \'cockroach node drain\' instead to drain a \nserver without terminating the server process (which can in turn be done using \nan orchestration layer or a process manager, or by sending a termination signal\ndirectly).',
  ];
  if (node) {
    await lab.kill(node.pid);
  } else {
    const params = connectionParams(words);
    const id =
      lab.cluster.addresses.size === 0
        ? params.port - 26256
        : [...lab.cluster.addresses].find(([, a]) => normalizeAddress(a).port === params.port)?.[0];
    const modelNode = id === undefined ? undefined : lab.cluster.model.node(id);
    if (!modelNode?.running) return cannotDial(params.host, params.port, 'quit');
    lab.cluster.model.killNode(modelNode.id);
  }
  out.push('node is draining... remaining: 1', 'node is draining... remaining: 0 (complete)', 'ok');
  return simulated(out.join('\n'));
}

/** `lsof -t -i :PORT` (or `-ti:PORT`): the pid of the lab's node listening there — how labs find a node to kill. */
export const lsof: ProgramHandler = (words, _stdin, lab) => {
  const spec = words
    .slice(1)
    .map((w) => w.replace(/^-t?i/, ''))
    .find((w) => /^(tcp)?:\d+$|^[\w.-]*:\d+$/.test(w));
  const port = Number(spec?.slice(spec.lastIndexOf(':') + 1));
  const node = cockroachState(lab).nodes.find(
    (n) => n.running && [n.listen, n.sql, n.http].some((address) => normalizeAddress(address).port === port),
  );
  if (!node) return failed('', 1);
  return simulated(
    words.includes('-t') || words.some((w) => w.startsWith('-ti'))
      ? String(node.pid)
      : `COMMAND     PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME\ncockroach ${String(node.pid).padStart(5)} lab   10u  IPv4  00000      0t0  TCP localhost:${port} (LISTEN)`,
  );
};
