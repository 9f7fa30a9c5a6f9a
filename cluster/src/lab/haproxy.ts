// HAProxy for a lab: the haproxy.cfg `cockroach gen haproxy` writes (pkg/cli/haproxy.go: every node
// but the decommissioning and decommissioned ones, in node-ID order, each `server cockroachN <addr>
// check port <http port>`, optionally filtered by locality), and the reading of a haproxy.cfg —
// generated, written by a heredoc, or typed into the lesson — into the listeners the simulated load
// balancer serves. Parse errors read as HAProxy's.

export interface HaproxyNode {
  nodeId: number;
  /** The node's advertised RPC/SQL address, host:port. */
  address: string;
  /** The port of its HTTP endpoint (the health check's). */
  httpPort: number;
  /** Locality tiers in order, e.g. [['region', 'us-east1'], ['az', 'b']]. */
  locality: readonly (readonly [string, string])[];
  liveness: 'live' | 'dead' | 'decommissioning' | 'decommissioned';
}

export type GenResult = { config: string; warnings: string[] } | { error: string };

function localityText(tiers: readonly (readonly [string, string])[]): string {
  return tiers.map(([key, value]) => `${key}=${value}`).join(',');
}

/** `--locality=region=us.*,az=b`: each tier's value is a regular expression matched whole. */
export function parseLocalityFilter(text: string): { tiers: [string, string][] } | { error: string } {
  const tiers: [string, string][] = [];
  for (const part of text.split(',')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    if (equals <= 0)
      return { error: `invalid argument "${text}" for "--locality" flag: tier must be in the form "key=value" not "${part}"` };
    tiers.push([part.slice(0, equals), part.slice(equals + 1)]);
  }
  return { tiers };
}

function matchesLocality(node: HaproxyNode, filter: readonly [string, string][]): boolean | { error: string } {
  for (const [key, pattern] of filter) {
    let expression: RegExp;
    try {
      expression = new RegExp(`^(?:${pattern})$`);
    } catch {
      return { error: `could not compile regular expression for "${key}=${pattern}"` };
    }
    const tier = node.locality.find(([nodeKey]) => nodeKey === key);
    if (!tier || !expression.test(tier[1])) return false;
  }
  return true;
}

/** The haproxy.cfg `cockroach gen haproxy` writes for these nodes. */
export function generateHaproxyConfig(nodes: readonly HaproxyNode[], options: { locality?: string } = {}): GenResult {
  const warnings: string[] = [];
  const included: HaproxyNode[] = [];
  for (const node of [...nodes].sort((a, b) => a.nodeId - b.nodeId)) {
    if (node.liveness === 'decommissioning')
      warnings.push(`warning: node ${node.nodeId} status is DECOMMISSIONING, excluding from haproxy configuration`);
    if (node.liveness === 'decommissioning' || node.liveness === 'decommissioned') continue;
    included.push(node);
  }
  let chosen = included;
  if (options.locality !== undefined && options.locality !== '') {
    const filter = parseLocalityFilter(options.locality);
    if ('error' in filter) return filter;
    chosen = [];
    const seen = new Set<string>();
    for (const node of included) {
      if (node.locality.length === 0) continue;
      seen.add(localityText(node.locality));
      const matches = matchesLocality(node, filter.tiers);
      if (typeof matches === 'object') return matches;
      if (matches) chosen.push(node);
    }
    if (chosen.length === 0)
      return { error: `no nodes match locality filter ${localityText(filter.tiers)}. Found localities: [${[...seen].sort().join(' ')}]` };
  }
  const servers = chosen.map((node) => `    server cockroach${node.nodeId} ${node.address} check port ${node.httpPort}\n`).join('');
  return { config: `${CONFIG_HEAD}${servers}\n`, warnings };
}

// The fixed part of the file, as CockroachDB's generator writes it (its text starts with a blank line).
const CONFIG_HEAD = `
global
  maxconn 4096

defaults
    mode                tcp

    # Timeout values should be configured for your specific use.
    # See: https://cbonte.github.io/haproxy-dconv/1.8/configuration.html#4-timeout%20connect

    # With the timeout connect 5 secs,
    # if the backend server is not responding, haproxy will make a total
    # of 3 connection attempts waiting 5s each time before giving up on the server,
    # for a total of 15 seconds.
    retries             2
    timeout connect     5s

    # timeout client and server govern the maximum amount of time of TCP inactivity.
    # The server node may idle on a TCP connection either because it takes time to
    # execute a query before the first result set record is emitted, or in case of
    # some trouble on the server. So these timeout settings should be larger than the
    # time to execute the longest (most complex, under substantial concurrent workload)
    # query, yet not too large so truly failed connections are lingering too long
    # (resources associated with failed connections should be freed reasonably promptly).
    timeout client      10m
    timeout server      10m

    # TCP keep-alive on client side. Server already enables them.
    option              clitcpka

listen psql
    bind :26257
    mode tcp
    balance roundrobin
    option httpchk GET /health?ready=1
`;

// ---- reading a haproxy.cfg ---------------------------------------------------------------------

export interface HaproxyServer {
  name: string;
  host: string;
  port: number;
  /** Health-checked (`check`); unchecked servers are always taken to be up. */
  check: boolean;
  /** The port the check connects to (`check port N`), else the server's own. */
  checkPort: number;
  /** Check interval and how many failures / successes flip the state (`inter`, `fall`, `rise`). */
  interMs: number;
  fall: number;
  rise: number;
  backup: boolean;
}

export interface HaproxyListener {
  /** The proxy (listen or frontend) that binds. */
  proxy: string;
  port: number;
  mode: 'tcp' | 'http';
  balance: string;
  /** The health check request (`option httpchk …`), when servers are checked over HTTP. */
  httpCheck: string | undefined;
  servers: HaproxyServer[];
}

export type HaproxyParse = { listeners: HaproxyListener[]; warnings: string[] } | { errors: string[] };

const PROXY_SECTIONS = new Set(['listen', 'frontend', 'backend', 'defaults']);
const OTHER_SECTIONS = new Set([
  'global',
  'resolvers',
  'peers',
  'userlist',
  'program',
  'http-errors',
  'ring',
  'log-forward',
  'mailers',
  'cache',
  'crt-store',
  'traces',
]);

/** Keywords of proxy sections the simulation accepts (the common ones; it acts on a few). */
const PROXY_KEYWORDS = new Set([
  'acl',
  'balance',
  'bind',
  'capture',
  'compression',
  'cookie',
  'default-server',
  'default_backend',
  'description',
  'disabled',
  'enabled',
  'errorfile',
  'fullconn',
  'hash-type',
  'http-check',
  'http-request',
  'http-response',
  'id',
  'log',
  'log-format',
  'maxconn',
  'mode',
  'monitor-uri',
  'no',
  'option',
  'rate-limit',
  'redirect',
  'retries',
  'retry-on',
  'server',
  'server-template',
  'source',
  'stats',
  'stick',
  'stick-table',
  'tcp-check',
  'tcp-request',
  'tcp-response',
  'timeout',
  'unique-id-format',
  'use_backend',
  'use-server',
  'default-backend',
  'email-alert',
  'external-check',
  'load-server-state-from-file',
]);

/** Keywords that only make sense in proxies with a backend side (listen, backend, defaults). */
const BACKEND_ONLY = new Set(['server', 'balance', 'server-template', 'default-server', 'use-server']);

interface Proxy {
  kind: string;
  name: string;
  line: number;
  binds: { port: number; line: number }[];
  mode: 'tcp' | 'http' | undefined;
  balance: string | undefined;
  httpCheck: string | undefined;
  servers: HaproxyServer[];
  defaultBackend: string | undefined;
}

function words(line: string): string[] {
  const hash = line.search(/(^|\s)#/);
  return (hash < 0 ? line : line.slice(0, hash))
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '');
}

function parseTime(text: string): number | undefined {
  const match = /^(\d+)(us|ms|s|m|h|d)?$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = match[2] ?? 'ms';
  const scale: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return value * (scale[unit] ?? 1);
}

/** Reads a haproxy.cfg as `haproxy -f file` does, far enough to know what it listens on and where it sends connections. */
export function parseHaproxyConfig(text: string, file: string): HaproxyParse {
  const errors: string[] = [];
  const warnings: string[] = [];
  const proxies: Proxy[] = [];
  let section: string | undefined;
  let current: Proxy | undefined;
  const lines = text.split('\n');
  const alert = (line: number, message: string): void => {
    errors.push(`parsing [${file}:${line}] : ${message}`);
  };
  lines.forEach((raw, index) => {
    const line = index + 1;
    const args = words(raw);
    const [keyword, ...rest] = args;
    if (keyword === undefined) return;
    if (PROXY_SECTIONS.has(keyword) || OTHER_SECTIONS.has(keyword)) {
      section = keyword;
      current = undefined;
      if (keyword === 'defaults' || !PROXY_SECTIONS.has(keyword)) return;
      const name = rest[0];
      if (name === undefined) {
        alert(line, `'${keyword}' expects <name> as an argument.`);
        return;
      }
      current = {
        kind: keyword,
        name,
        line,
        binds: [],
        mode: undefined,
        balance: undefined,
        httpCheck: undefined,
        servers: [],
        defaultBackend: undefined,
      };
      proxies.push(current);
      // `listen name addr:port` is the old form of a bind.
      const legacy = rest[1];
      if (legacy !== undefined && keyword === 'listen') {
        const port = Number(legacy.slice(legacy.lastIndexOf(':') + 1));
        if (Number.isInteger(port) && port > 0) current.binds.push({ port, line });
      }
      return;
    }
    if (section === undefined) {
      alert(line, `unknown keyword '${keyword}' out of section.`);
      return;
    }
    if (!PROXY_SECTIONS.has(section)) return;
    if (!PROXY_KEYWORDS.has(keyword)) {
      alert(line, `unknown keyword '${keyword}' in '${section}' section`);
      return;
    }
    if (section === 'defaults' || current === undefined) return;
    if (section === 'frontend' && BACKEND_ONLY.has(keyword)) {
      warnings.push(`parsing [${file}:${line}] : '${keyword}' ignored because frontend '${current.name}' has no backend capability.`);
      return;
    }
    if (section === 'backend' && keyword === 'bind') {
      warnings.push(`parsing [${file}:${line}] : 'bind' ignored because backend '${current.name}' has no frontend capability.`);
      return;
    }
    switch (keyword) {
      case 'bind': {
        const address = rest[0];
        if (address === undefined) {
          alert(line, `'bind' expects {<path>|[addr1]:port1[-end1]}{,[addr]:port[-end]}... as arguments.`);
          return;
        }
        for (const part of address.split(',')) {
          const port = Number(part.slice(part.lastIndexOf(':') + 1).split('-')[0]);
          if (!part.includes(':') || !Number.isInteger(port) || port <= 0 || port > 65535) {
            alert(line, `'bind ${address}' : missing port number: '${part}'`);
            return;
          }
          current.binds.push({ port, line });
        }
        return;
      }
      case 'mode':
        if (rest[0] !== 'tcp' && rest[0] !== 'http') {
          alert(line, `unknown proxy mode '${rest[0] ?? ''}'.`);
          return;
        }
        current.mode = rest[0];
        return;
      case 'balance':
        current.balance = rest[0];
        return;
      case 'option':
        if (rest[0] === 'httpchk') current.httpCheck = rest.slice(1).join(' ') || 'OPTIONS /';
        return;
      case 'default_backend':
      case 'use_backend':
        current.defaultBackend ??= rest[0];
        return;
      case 'server': {
        const server = parseServer(rest);
        if ('error' in server) alert(line, server.error);
        else current.servers.push(server);
        return;
      }
      default:
        return;
    }
  });
  const listeners: HaproxyListener[] = [];
  for (const proxy of proxies) {
    if (proxy.kind === 'backend') continue;
    const backend = proxy.kind === 'listen' ? proxy : proxies.find((p) => p.kind === 'backend' && p.name === proxy.defaultBackend);
    if (proxy.kind === 'frontend' && proxy.defaultBackend !== undefined && backend === undefined)
      errors.push(`Proxy '${proxy.name}': unable to find required default_backend: '${proxy.defaultBackend}'.`);
    if (proxy.binds.length === 0) {
      warnings.push(`config : ${proxy.kind} '${proxy.name}' has no 'bind' directive. Please declare it as a backend if this was intended.`);
      continue;
    }
    for (const bind of proxy.binds)
      listeners.push({
        proxy: proxy.name,
        port: bind.port,
        mode: proxy.mode ?? backend?.mode ?? 'tcp',
        balance: backend?.balance ?? 'roundrobin',
        httpCheck: backend?.httpCheck,
        servers: backend?.servers ?? [],
      });
  }
  if (errors.length > 0) return { errors };
  return { listeners, warnings };
}

function parseServer(args: readonly string[]): HaproxyServer | { error: string } {
  const [name, address, ...options] = args;
  if (name === undefined || address === undefined) return { error: `'server' expects <name> and <addr>[:<port>] as arguments.` };
  const colon = address.lastIndexOf(':');
  const host = colon < 0 ? address : address.slice(0, colon);
  const port = colon < 0 ? 0 : Number(address.slice(colon + 1));
  if (colon >= 0 && (!Number.isInteger(port) || port <= 0 || port > 65535))
    return { error: `'server ${name}' : invalid address: '${address}'` };
  const server: HaproxyServer = { name, host, port, check: false, checkPort: port, interMs: 2000, fall: 3, rise: 2, backup: false };
  for (let i = 0; i < options.length; i++) {
    const option = options[i];
    const value = options[i + 1];
    switch (option) {
      case 'check':
        server.check = true;
        break;
      case 'backup':
        server.backup = true;
        break;
      case 'port':
        if (value === undefined || !/^\d+$/.test(value)) return { error: `'server ${name}' : 'port' expects a valid port number.` };
        server.checkPort = Number(value);
        i++;
        break;
      case 'inter': {
        const ms = value === undefined ? undefined : parseTime(value);
        if (ms === undefined) return { error: `'server ${name}' : 'inter' expects a positive delay in milliseconds.` };
        server.interMs = ms;
        i++;
        break;
      }
      case 'fall':
      case 'rise':
        if (value === undefined || !/^[1-9]\d*$/.test(value))
          return { error: `'server ${name}' : '${option}' expects an integer argument > 0.` };
        server[option] = Number(value);
        i++;
        break;
      default:
        // Other server options (weight, maxconn, ssl, …) change nothing the simulation models; those with a value take it.
        if (option !== undefined && SERVER_OPTIONS_WITH_VALUE.has(option)) i++;
    }
  }
  return server;
}

const SERVER_OPTIONS_WITH_VALUE = new Set([
  'weight',
  'maxconn',
  'slowstart',
  'downinter',
  'fastinter',
  'cookie',
  'id',
  'resolvers',
  'init-addr',
  'verify',
  'ca-file',
  'crt',
  'on-error',
  'observe',
  'error-limit',
  'agent-port',
  'agent-inter',
  'sni',
  'check-sni',
  'alpn',
  'proto',
  'maxqueue',
  'minconn',
  'redir',
  'source',
  'track',
]);

/** HAProxy's way of printing a fatal configuration: its ALERT lines, then the summary. */
export function formatHaproxyAlerts(errors: readonly string[], file: string, pid: number): string {
  const prefix = `[ALERT]    (${pid}) : config : `;
  return [
    ...errors.map((e) => `${prefix}${e}`),
    `${prefix}Error(s) found in configuration file : ${file}`,
    `${prefix}Fatal errors found in configuration.`,
  ].join('\n');
}

/** HAProxy's warnings, as it prints them before starting. */
export function formatHaproxyWarnings(warnings: readonly string[], pid: number): string {
  return warnings.map((w) => `[WARNING]  (${pid}) : ${w.startsWith('config : ') ? w : `config : ${w}`}`).join('\n');
}
