// The HAProxy steps of a lab: `cockroach gen haproxy` writes the configuration for the nodes the
// cluster has; `haproxy -f haproxy.cfg` (or `systemctl start haproxy`, which reads
// /etc/haproxy/haproxy.cfg) starts the simulated load balancer on the ports the configuration
// binds, so `cockroach sql --host=…:<port>` and the workloads connect through it, one connection
// to the next server in turn, skipping servers whose health check (/health?ready=1 on the node's
// HTTP port) fails.
import { nodeLocalityText } from '../../../sql/src/locality';
import { cockroachState, normalizeAddress, sameHost } from './cockroachState';
import { connectionParams, connectTarget, flagValue } from './cockroachSql';
import {
  formatHaproxyAlerts,
  formatHaproxyWarnings,
  generateHaproxyConfig,
  parseHaproxyConfig,
  type HaproxyNode,
  type HaproxyServer,
} from './haproxy';
import { failed, hostStep, simulated, type Lab, type Outcome, type ProgramHandler } from './lab';
import { LoadBalancer, type CheckResult } from './loadBalancer';

/** The cluster's nodes as `cockroach gen haproxy` reads them from the status API. */
export function haproxyNodes(lab: Lab): HaproxyNode[] {
  const state = cockroachState(lab);
  return lab.cluster.model.nodes().map((node) => {
    const labNode = state.ownCluster ? state.nodeById(node.id) : undefined;
    const address = labNode?.advertise ?? lab.cluster.addresses.get(node.id) ?? `localhost:${26256 + node.id}`;
    const localityText = labNode && labNode.localityText !== '' ? labNode.localityText : nodeLocalityText(node.locality);
    return {
      nodeId: node.id,
      address,
      httpPort: labNode ? normalizeAddress(labNode.http, 8080).port : 8080,
      locality: localityText
        .split(',')
        .filter((tier) => tier.includes('='))
        .map((tier) => [tier.slice(0, tier.indexOf('=')), tier.slice(tier.indexOf('=') + 1)] as const),
      liveness: node.liveness,
    };
  });
}

/** `cockroach gen haproxy [--host …] [--out file|-] [--locality …]`. */
export function genHaproxy(words: readonly string[], lab: Lab): Outcome {
  const target = connectTarget(lab, connectionParams(words), 'gen haproxy');
  if ('outcome' in target) return target.outcome;
  const locality = flagValue(words, '--locality');
  const generated = generateHaproxyConfig(haproxyNodes(lab), locality !== undefined ? { locality } : {});
  if ('error' in generated) return failed(`ERROR: ${generated.error}\nFailed running "gen haproxy"`);
  const out = flagValue(words, '--out') ?? 'haproxy.cfg';
  const warnings = generated.warnings.join('\n');
  if (out === '-') return simulated([warnings, generated.config].filter((s) => s !== '').join('\n'));
  lab.writeFile(out, generated.config);
  return simulated(warnings);
}

// ---- the load balancer --------------------------------------------------------------------------

/** The running HAProxy instances of the lab, by the pid the shell knows them by. */
class HaproxyState {
  readonly running = new Map<number, { ports: number[]; file: string }>();
  nextPid = 7001;
  /** The systemd service's instance, when started through systemctl. */
  servicePid: number | undefined;
}

function haproxyState(lab: Lab): HaproxyState {
  return lab.extension('haproxy', () => new HaproxyState());
}

/** The node a server line points at: a node the lab started, or a node of the simulated cluster by its address. */
function nodeAt(lab: Lab, host: string, port: number): { nodeId: number; httpPort: number } | undefined {
  const state = cockroachState(lab);
  if (state.ownCluster) {
    const node = state.nodes.find((n) =>
      [n.advertise, n.sql, n.listen].some((address) => {
        const at = normalizeAddress(address);
        return at.port === port && (sameHost(at.host, host) || at.host === host);
      }),
    );
    if (node?.id !== undefined) return { nodeId: node.id, httpPort: normalizeAddress(node.http, 8080).port };
    return undefined;
  }
  for (const [nodeId, address] of lab.cluster.addresses) {
    const at = normalizeAddress(address);
    if (at.port === port && (sameHost(at.host, host) || at.host === host)) return { nodeId, httpPort: 8080 };
  }
  if (lab.cluster.addresses.size === 0 && sameHost(host, 'localhost') && lab.cluster.model.node(port - 26256))
    return { nodeId: port - 26256, httpPort: 8080 };
  return undefined;
}

/** A server's health check as the node answers it: /health?ready=1 passes while the node is live and not draining. */
function probeOf(lab: Lab, startedAt: number): (server: HaproxyServer) => CheckResult {
  return (server) => {
    const found = nodeAt(lab, server.host, server.port);
    const node = found ? lab.cluster.model.node(found.nodeId) : undefined;
    // Nothing answers on the check port: failing since HAProxy started.
    if (!found || !node || found.httpPort !== server.checkPort) return { passing: false, since: startedAt };
    // A live node has answered since it (re)started; a dead one has failed since its last heartbeat.
    if (node.liveness === 'live' && !node.draining && node.running) return { passing: true, since: node.startedAt };
    return { passing: false, since: node.updatedAt };
  };
}

/** Whether something in the lab already listens on this port of the local host. */
function portInUse(lab: Lab, port: number): boolean {
  if (lab.listener(port)) return true;
  return cockroachState(lab).nodes.some((n) => {
    if (!n.running) return false;
    return [n.sql, n.listen, n.http].some((address) => {
      const at = normalizeAddress(address);
      return at.port === port && sameHost(at.host, 'localhost');
    });
  });
}

function startHaproxy(lab: Lab, file: string, background: boolean, daemon: boolean): Outcome {
  const state = haproxyState(lab);
  const pid = state.nextPid++;
  const text = lab.readFile(file);
  if (text === undefined)
    return failed(`[ALERT]    (${pid}) : Cannot open configuration file/directory ${file} : No such file or directory`);
  const parsed = parseHaproxyConfig(text, file);
  if ('errors' in parsed) return failed(formatHaproxyAlerts(parsed.errors, file, pid));
  const output: string[] = [];
  if (parsed.warnings.length > 0) output.push(formatHaproxyWarnings(parsed.warnings, pid));
  if (parsed.listeners.length === 0)
    return failed(`[ALERT]    (${pid}) : config : no proxy is listening; nothing to do.`, 1, output.join('\n'));
  for (const listener of parsed.listeners)
    if (portInUse(lab, listener.port))
      return failed(
        `[ALERT]    (${pid}) : Starting proxy ${listener.proxy}: cannot bind socket (Address already in use) [0.0.0.0:${listener.port}]`,
        1,
        output.join('\n'),
      );
  const startedAt = lab.cluster.model.clock.now();
  const ports: number[] = [];
  for (const listener of parsed.listeners) {
    const balancer = new LoadBalancer(listener, startedAt);
    const probe = probeOf(lab, startedAt);
    lab.listen(listener.port, {
      name: `haproxy (${listener.proxy})`,
      chooseNode: () => {
        const route = balancer.route(lab.cluster.model.clock.now(), probe);
        if ('error' in route) return undefined;
        return nodeAt(lab, route.server.host, route.server.port)?.nodeId;
      },
    });
    ports.push(listener.port);
  }
  const process = lab.spawn(`haproxy -f ${file}`, {
    onKill: () => {
      for (const port of ports) lab.unlisten(port);
      state.running.delete(process.pid);
      if (state.servicePid === process.pid) state.servicePid = undefined;
    },
  });
  state.running.set(process.pid, { ports, file });
  if (background) output.push(`[1] ${process.pid}`);
  else if (!daemon) output.push(`(haproxy keeps running in the foreground, listening on ${ports.map((p) => `:${p}`).join(', ')})`);
  return simulated(output.join('\n'));
}

export const haproxy: ProgramHandler = (words, _stdin, lab, context) => {
  const args = words.slice(1);
  if (args.includes('-v') || args.includes('-vv') || args.includes('-version'))
    return simulated('HAProxy version 2.8.5 (simulated by the lab)');
  const file = args[args.indexOf('-f') + 1];
  if (!args.includes('-f') || file === undefined) return failed('[ALERT]    (1) : No configuration file specified (-f).');
  if (args.includes('-c')) {
    const text = lab.readFile(file);
    if (text === undefined) return failed(`[ALERT]    (1) : Cannot open configuration file/directory ${file} : No such file or directory`);
    const parsed = parseHaproxyConfig(text, file);
    if ('errors' in parsed) return failed(formatHaproxyAlerts(parsed.errors, file, 1));
    return simulated([formatHaproxyWarnings(parsed.warnings, 1), 'Configuration file is valid'].filter((s) => s !== '').join('\n'));
  }
  return startHaproxy(lab, file, context.background, args.includes('-D'));
};

const SYSTEM_CONFIG = '/etc/haproxy/haproxy.cfg';

/** `systemctl start|stop|restart|reload|status haproxy` (and `service haproxy …`); other units are host steps. */
async function haproxyService(action: string, lab: Lab): Promise<Outcome> {
  const state = haproxyState(lab);
  const stop = async (): Promise<void> => {
    if (state.servicePid !== undefined) await lab.kill(state.servicePid);
  };
  switch (action) {
    case 'start':
      if (state.servicePid !== undefined) return simulated();
      return serviceStart(lab);
    case 'restart':
    case 'reload':
      await stop();
      return serviceStart(lab);
    case 'stop':
      await stop();
      return simulated();
    case 'status':
      return state.servicePid === undefined
        ? failed('○ haproxy.service - HAProxy Load Balancer\n     Active: inactive (dead)', 3)
        : simulated(`● haproxy.service - HAProxy Load Balancer\n     Active: active (running)\n   Main PID: ${state.servicePid} (haproxy)`);
    case 'enable':
    case 'disable':
      return hostStep(`haproxy ${action}d at boot`);
    default:
      return failed(`Unknown command verb '${action}'.`);
  }
}

function serviceStart(lab: Lab): Outcome {
  const state = haproxyState(lab);
  const started = startHaproxy(lab, SYSTEM_CONFIG, false, true);
  if (started.kind === 'error')
    return failed(
      `Job for haproxy.service failed because the control process exited with error code.\nSee "systemctl status haproxy.service" and "journalctl -xeu haproxy.service" for details.\n${started.error}`,
    );
  state.servicePid = [...state.running.keys()].pop();
  return simulated(started.output);
}

export const systemctl: ProgramHandler = async (words, _stdin, lab) => {
  const args = words.slice(1).filter((w) => !w.startsWith('-'));
  const [action = '', unit = ''] = words[0]?.endsWith('service') === true ? [args[1] ?? '', args[0] ?? ''] : args;
  if (unit.replace(/\.service$/, '') === 'haproxy') return haproxyService(action, lab);
  if (action === 'daemon-reload') return hostStep('systemd is assumed to have reloaded its unit files');
  return hostStep(
    `${words[0] ?? 'systemctl'} ${args.join(' ')}: the service is assumed ${action === 'stop' ? 'stopped' : action === 'status' ? 'running' : `${action}ed`} on the host`,
  );
};

/** The HAProxy programs of a lab, by name, for the lab's registry (programs.ts). */
export const HAPROXY_PROGRAMS: ReadonlyMap<string, ProgramHandler> = new Map<string, ProgramHandler>([
  ['haproxy', haproxy],
  ['systemctl', systemctl],
  ['service', systemctl],
]);
