// `cockroach node ls | status | decommission | recommission | drain` on the simulated cluster,
// with CockroachDB's output and messages (pkg/cli/node.go, server DecommissionPreCheck, the
// allocator's errors).
//
//   runNodeCommand(cluster: NodeCommandCluster, gatewayNodeId: number, words: readonly string[])
//     → Promise<{ output: string; error?: string }>
//
// - `cluster`: the Simulator (NodeCommandCluster is the part of it the commands use).
// - `words`: the command line split into words, e.g.
//   ['cockroach', 'node', 'decommission', '4', '--insecure', '--host=localhost:26257'];
//   a leading `cockroach` (or `./cockroach`) and `node` are optional.
// - `gatewayNodeId`: the node the command connects to; `--host`/`--port`/`--url` with a port of
//   one of the nodes (26257 + id - 1, or the address a wire server listens on) override it.
// - `output`: what the command prints (stdout and stderr interleaved as a terminal shows them),
//   ending in a newline when not empty.
// - `error`: set when the command fails (exit status 1): CockroachDB's last lines,
//   `ERROR: <message>` and `Failed running "node <verb>"`. `output` then holds what it printed
//   before failing (e.g. the decommission pre-check's table and blocking ranges).
// - Waiting (`node decommission` waits for every replica to move) advances the simulated clock on a
//   virtual-time simulator and waits on the wall clock on a real-time one.
// Bad input (unknown flags or verbs, bad node IDs) gives an error, never an exception.

import type { ClusterModel, DecommissionStatus, NodeCheckResult } from './model/cluster';
import { formatTable, nodeStatus, type Table } from './nodeStatus';
import type { Session, SessionOptions } from './sql/session';

/**
 * What node commands need of the cluster: the Simulator has it. An interface rather than the
 * class, so the lab (which the Simulator holds) can run node commands without an import cycle.
 */
export interface NodeCommandCluster {
  readonly model: ClusterModel;
  readonly time: 'real' | 'virtual';
  sqlAddress(nodeId: number): string | undefined;
  openSession(options?: SessionOptions): Session;
  closeSession(session: Session): Promise<void>;
  refreshSpansOutsideSessions(): Promise<void>;
  topologyChanged(): void;
}
type Simulator = NodeCommandCluster;

export interface NodeCommandResult {
  output: string;
  error?: string;
}

/** Flags taking a value (`--flag value` or `--flag=value`); the others are booleans. */
const VALUE_FLAGS = new Set([
  '--host',
  '--port',
  '-p',
  '--url',
  '--certs-dir',
  '--user',
  '-u',
  '--format',
  '--checks',
  '--wait',
  '--drain-wait',
  '--timeout',
  '--cluster-name',
]);
const BOOLEAN_FLAGS = new Set(['--insecure', '--self', '--dry-run', '--shutdown', '--ranges', '--stats', '--decommission', '--all']);

/** The replicate queue is asked again after this long at most (retry MaxBackoff in node.go). */
const MAX_BACKOFF_MS = 20_000;
/** Polls with no change before the command reports the replicas still left (sameStatusThreshold). */
const STALL_POLLS = 15;
/** A real `node decommission` waits forever; the simulator gives up after this much simulated time without progress. */
const GIVE_UP_MS = 30 * 60_000;
/** On a real-time simulator the command waits at most this long on the wall clock. */
const REAL_TIME_LIMIT_MS = 60_000;

const NEXT_STEP = 'No more data reported on target nodes. Please verify cluster health before removing the nodes.';

class CommandError extends Error {}

interface Parsed {
  verb: string;
  args: string[];
  flags: Map<string, string>;
}

/** The words after `cockroach node`. */
function commandWords(words: readonly string[]): string[] {
  let rest = [...words];
  if (rest[0] === 'cockroach' || rest[0] === './cockroach') rest = rest.slice(1);
  if (rest[0] === 'node') rest = rest.slice(1);
  return rest;
}

function parse(words: readonly string[]): Parsed {
  const [verb = '', ...tail] = commandWords(words);
  const args: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < tail.length; i++) {
    const word = tail[i] ?? '';
    if (!word.startsWith('-') || word === '-') {
      args.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const name = eq > 0 ? word.slice(0, eq) : word;
    if (VALUE_FLAGS.has(name)) {
      const value = eq > 0 ? word.slice(eq + 1) : tail[++i];
      if (value === undefined) throw new CommandError(`flag needs an argument: ${name}`);
      flags.set(name, value);
    } else if (BOOLEAN_FLAGS.has(name)) flags.set(name, eq > 0 ? word.slice(eq + 1) : 'true');
    else throw new CommandError(`unknown flag: ${name}`);
  }
  return { verb, args, flags };
}

function flag(flags: Map<string, string>, name: string): boolean {
  const v = flags.get(name);
  return v !== undefined && v !== 'false';
}

/** parseNodeIDs: each argument an integer. */
function nodeIds(args: readonly string[]): number[] {
  return args.map((a) => {
    if (!/^-?\d+$/.test(a)) throw new CommandError(`unable to parse ${a}: strconv.ParseInt: parsing ${JSON.stringify(a)}: invalid syntax`);
    return Number(a);
  });
}

/** The node the command connects to: the one whose SQL port --host/--port/--url name, else the caller's. */
function gateway(simulator: Simulator, fallback: number, flags: Map<string, string>): number {
  let port: string | undefined = flags.get('--port') ?? flags.get('-p');
  const host = flags.get('--host');
  if (host !== undefined && host.includes(':')) port = host.slice(host.lastIndexOf(':') + 1);
  const url = flags.get('--url');
  if (url !== undefined) {
    try {
      port = new URL(url).port || port;
    } catch {
      throw new CommandError(`invalid URL: ${url}`);
    }
  }
  if (port === undefined) return fallback;
  for (const n of simulator.model.nodes()) {
    const address = simulator.sqlAddress(n.id) ?? `127.0.0.1:${26256 + n.id}`;
    if (address.endsWith(`:${port}`)) return n.id;
  }
  throw new CommandError(cannotDial(`localhost:${port}`));
}

function cannotDial(address: string): string {
  return [
    'cannot dial server.',
    'Is the server running?',
    'If the server is running, check --host client-side and --advertise server-side.',
    '',
    `dial tcp ${address}: connect: connection refused`,
  ].join('\n');
}

/** The gateway must be up for the command to reach the cluster. */
function connect(simulator: Simulator, nodeId: number): void {
  const node = simulator.model.node(nodeId);
  if (node === undefined || !node.running || node.isolated || node.liveness === 'decommissioned')
    throw new CommandError(cannotDial(simulator.sqlAddress(nodeId) ?? `127.0.0.1:${26256 + nodeId}`));
}

export async function runNodeCommand(simulator: Simulator, gatewayNodeId: number, words: readonly string[]): Promise<NodeCommandResult> {
  const out: string[] = [];
  const verb = commandWords(words)[0] ?? '';
  try {
    const parsed = parse(words);
    const via = gateway(simulator, gatewayNodeId, parsed.flags);
    switch (parsed.verb) {
      case 'ls':
        connect(simulator, via);
        if (parsed.args.length > 0) throw new CommandError(`unknown command "${parsed.args[0] ?? ''}" for "cockroach node ls"`);
        out.push(listNodes(simulator));
        break;
      case 'status':
        connect(simulator, via);
        out.push(await status(simulator, via, parsed));
        break;
      case 'decommission':
        connect(simulator, via);
        await decommission(simulator, via, parsed, out);
        break;
      case 'recommission':
        connect(simulator, via);
        recommission(simulator, via, parsed, out);
        break;
      case 'drain':
        connect(simulator, via);
        drain(simulator, via, parsed, out);
        break;
      case '':
        throw new CommandError('no node command given (expected ls, status, decommission, recommission or drain)');
      default:
        throw new CommandError(`unknown command "${parsed.verb}" for "cockroach node"`);
    }
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    const failed = verb === '' ? 'node' : `node ${verb}`;
    return { output: out.join(''), error: `ERROR: ${error.message}\nFailed running "${failed}"` };
  }
  return { output: out.join('') };
}

// ---- ls and status --------------------------------------------------------------------------------

/** Members and nodes still live, one ID a row. */
function listNodes(simulator: Simulator): string {
  const model = simulator.model;
  const ids = model
    .nodes()
    .filter((n) => model.membership(n.id) === 'active' || (n.running && !n.isolated))
    .map((n) => [String(n.id)]);
  return formatTable({ columns: ['id'], rows: ids, align: 'r' });
}

async function status(simulator: Simulator, via: number, parsed: Parsed): Promise<string> {
  if (parsed.args.length > 1) throw new CommandError('expected no arguments or a single node ID');
  if (flag(parsed.flags, '--stats'))
    throw new CommandError('not simulated: --stats (the simulated cluster keeps no per-store byte counts)');
  const session = simulator.openSession({ nodeId: via });
  let table: Table;
  try {
    table = await nodeStatus(
      async (sql) => {
        const results = await session.execute(sql);
        const last = results[results.length - 1];
        const failed = results.find((r) => r.error !== undefined)?.error;
        if (failed !== undefined) throw new CommandError(failed.message);
        return (last?.rows ?? []).map((row) => Object.fromEntries((last?.fields ?? []).map((f, i) => [f.name, row[i] ?? null])));
      },
      {
        ranges: flag(parsed.flags, '--ranges'),
        decommission: flag(parsed.flags, '--decommission'),
        all: flag(parsed.flags, '--all'),
      },
    );
  } finally {
    await simulator.closeSession(session);
  }
  const only = parsed.args[0];
  if (only !== undefined) {
    if (!/^\d+$/.test(only)) throw new CommandError(`could not parse node_id ${only}`);
    table = { ...table, rows: table.rows.filter((r) => r[0] === only) };
    if (table.rows.length === 0) throw new CommandError(`node ${only} doesn't exist`);
  }
  return formatTable(table);
}

// ---- decommission -----------------------------------------------------------------------------------

const STATUS_COLUMNS = ['id', 'is_live', 'replicas', 'is_decommissioning', 'membership', 'is_draining'];
const READINESS_COLUMNS = ['readiness', 'blocking_ranges'];

/** printDecommissionStatus / printDecommissionStatusAndReadiness. */
function statusTable(statuses: readonly DecommissionStatus[], checks: readonly NodeCheckResult[] | undefined): string {
  const rows = statuses.map((s) => {
    const row = [
      String(s.nodeId),
      String(s.isLive),
      String(s.replicaCount),
      String(s.membership !== 'active'),
      s.membership,
      String(s.draining),
    ];
    if (checks !== undefined) {
      const report = checks.find((c) => c.nodeId === s.nodeId);
      row.push(report?.readiness ?? 'unknown', String(report?.blocking.length ?? 0));
    }
    return row;
  });
  return checks === undefined
    ? formatTable({ columns: STATUS_COLUMNS, rows, align: 'rcrccc' })
    : formatTable({ columns: [...STATUS_COLUMNS, ...READINESS_COLUMNS], rows, align: 'rcrccccr' });
}

/** printDecommissionBlockingErrorSummary: per node, each distinct error with how many replicas it blocks, at most five lines. */
function blockingSummary(checks: readonly NodeCheckResult[]): string {
  const lines = ['', 'ranges blocking decommission detected'];
  let reported = 0;
  for (const check of checks) {
    if (check.readiness !== 'allocation errors') continue;
    const counts = new Map<string, number>();
    for (const failure of check.blocking) counts.set(failure.error, (counts.get(failure.error) ?? 0) + 1);
    for (const [message, count] of counts) {
      if (reported >= 5) {
        lines.push('...more blocking errors detected.');
        return `${lines.join('\n')}\n`;
      }
      lines.push(`n${check.nodeId} has ${count} replicas blocked with error: "${message}"`);
      reported++;
    }
  }
  return `${lines.join('\n')}\n`;
}

function checkMode(flags: Map<string, string>): 'enabled' | 'strict' | 'skip' {
  const value = flags.get('--checks') ?? 'enabled';
  if (value === 'enabled' || value === 'strict' || value === 'skip') return value;
  throw new CommandError(`invalid argument "${value}" for "--checks" flag: invalid value for --checks: ${value}`);
}

function waitMode(flags: Map<string, string>): 'all' | 'none' {
  const value = flags.get('--wait') ?? 'all';
  if (value === 'all' || value === 'none') return value;
  throw new CommandError(`invalid argument "${value}" for "--wait" flag: invalid value for --wait: ${value}`);
}

/** The targets of decommission / recommission: the IDs given, or with --self the gateway. */
function targets(parsed: Parsed, via: number, noIds: string): number[] {
  const ids = nodeIds(parsed.args);
  if (flag(parsed.flags, '--self')) {
    if (ids.length > 0) throw new CommandError('cannot use --self with an explicit list of node IDs');
    return [via];
  }
  if (ids.length === 0) throw new CommandError(noIds);
  return ids;
}

async function decommission(simulator: Simulator, via: number, parsed: Parsed, out: string[]): Promise<void> {
  const model = simulator.model;
  const checks = checkMode(parsed.flags);
  const wait = waitMode(parsed.flags);
  const ids = targets(parsed, via, 'no node ID specified');
  for (const id of ids) {
    const node = model.node(id);
    if (node === undefined) throw new CommandError('node does not exist');
    if (node.liveness === 'decommissioning' || node.liveness === 'decommissioned')
      out.push(`warning: node ${id} is already decommissioning or decommissioned\n`);
  }
  // 1. The pre-check: every replica on the nodes must have somewhere to go.
  await simulator.refreshSpansOutsideSessions();
  const report = checks === 'skip' ? undefined : model.decommissionPreCheck(ids, checks === 'strict');
  const ready = report === undefined || report.every((r) => r.readiness === 'ready' || r.readiness === 'already decommissioned');
  if (flag(parsed.flags, '--dry-run') || !ready) {
    out.push('\n', statusTable(model.decommissionStatus(ids), report));
    if (!ready) {
      out.push(blockingSummary(report), '\n');
      throw new CommandError('Cannot decommission nodes.');
    }
    return;
  }
  // 2. Mark the nodes decommissioning: the replicate queue moves their replicas away.
  for (const id of ids) model.decommissionNode(id, { completedByClient: true });
  simulator.topologyChanged();
  const clock = new Waiter(simulator);
  let previous = '';
  let backoff = 5;
  let fewest = Infinity;
  let same = 0;
  let lastProgress = clock.now();
  for (;;) {
    const statuses = model.decommissionStatus(ids);
    const key = JSON.stringify(statuses);
    if (key !== previous) {
      out.push('\n', statusTable(statuses, report));
      previous = key;
      same = 0;
    } else {
      out.push('.');
      if (++same === STALL_POLLS) out.push(stallReport(simulator, ids));
    }
    const anyActive = statuses.some((s) => s.membership === 'active');
    const left = statuses.reduce((sum, s) => sum + s.replicaCount, 0);
    if (!anyActive && left === 0) {
      // 3. Drain the nodes (not the one serving the request), 4. mark them decommissioned.
      out.push('\n');
      for (const s of statuses) {
        if (s.nodeId === via) out.push(`skipping drain step for node n${s.nodeId}; it is decommissioning and serving the request\n`);
        else if (!s.isLive) out.push(`skipping drain step for node n${s.nodeId}; it is not live\n`);
        else {
          out.push(`draining node n${s.nodeId}\n`);
          model.drainNode(s.nodeId);
          out.push(`node n${s.nodeId} drained successfully\n`);
        }
      }
      for (const id of ids) model.completeDecommission(id);
      simulator.topologyChanged();
      out.push(`\n${NEXT_STEP}\n`);
      return;
    }
    if (wait === 'none') {
      out.push('\n');
      return;
    }
    if (left < fewest) {
      fewest = left;
      backoff = 5;
      lastProgress = clock.now();
    }
    if (clock.now() - lastProgress >= GIVE_UP_MS || clock.exhausted()) {
      out.push('\n');
      throw new CommandError(
        `the simulated cluster stopped waiting: ${left} replicas are still on n${ids.join(', n')} after ${clock.describe(clock.now() - lastProgress)} without progress ` +
          `(a real cockroach node decommission keeps waiting; cockroach node recommission ${ids.join(' ')} undoes it)`,
      );
    }
    await clock.wait(backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
}

/** printDecommissionReplicas: up to five replicas per node still to move. */
function stallReport(simulator: Simulator, ids: readonly number[]): string {
  const lines = ['', 'possible decommission stall detected'];
  for (const id of ids) {
    let shown = 0;
    for (const range of simulator.model.ranges()) {
      const replica = range.replicas.find((r) => r.nodeId === id);
      if (replica === undefined) continue;
      lines.push(`n${id} still has replica id ${replica.replicaId} for range r${range.rangeId}`);
      if (++shown === 5) break;
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Time passing while the command waits: the simulated clock moved on (virtual time), or the wall clock (real time). */
class Waiter {
  private readonly started = performance.now();

  constructor(private readonly simulator: Simulator) {}

  now(): number {
    return this.simulator.model.clock.now();
  }

  async wait(ms: number): Promise<void> {
    if (this.simulator.time === 'virtual') this.simulator.model.advance(ms);
    else await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 1000)));
  }

  exhausted(): boolean {
    return this.simulator.time === 'real' && performance.now() - this.started > REAL_TIME_LIMIT_MS;
  }

  describe(ms: number): string {
    const minutes = Math.floor(ms / 60_000);
    const seconds = Math.floor((ms % 60_000) / 1000);
    return `${minutes}m${seconds}s of ${this.simulator.time === 'virtual' ? 'simulated ' : ''}time`;
  }
}

// ---- recommission and drain ---------------------------------------------------------------------------

function recommission(simulator: Simulator, via: number, parsed: Parsed, out: string[]): void {
  const model = simulator.model;
  const ids = targets(parsed, via, 'no node ID specified; use --self to target the node specified with --host');
  for (const id of ids) {
    const node = model.node(id);
    if (node === undefined) out.push(`warning: cannot find status of node ${id}\n`);
    else if (node.liveness === 'live') out.push(`warning: node ${id} is not decommissioned\n`);
    else if (node.liveness === 'dead') out.push(`warning: node ${id} is in unexpected state NODE_STATUS_DEAD\n`);
  }
  for (const id of ids) {
    if (model.node(id) === undefined) {
      out.push('\n');
      throw new CommandError('node does not exist');
    }
    // livenesspb ValidateTransition: only a decommissioning node can become active again.
    const membership = model.membership(id);
    if (membership === 'decommissioned')
      throw new CommandError(`can only recommission a decommissioning node; n${id} found to be ${membership}`);
    model.recommissionNode(id);
  }
  simulator.topologyChanged();
  out.push(statusTable(model.decommissionStatus(ids), undefined));
}

function drain(simulator: Simulator, via: number, parsed: Parsed, out: string[]): void {
  const model = simulator.model;
  const self = flag(parsed.flags, '--self');
  if (parsed.args.length > 1) throw new CommandError(`accepts at most 1 arg(s), received ${parsed.args.length}`);
  if (self && parsed.args.length > 0) throw new CommandError('cannot use --self with an explicit node ID');
  if (!self && parsed.args.length === 0) out.push('warning: draining a node without node ID or passing --self explicitly is deprecated.\n');
  const target = parsed.args.length > 0 ? (nodeIds(parsed.args)[0] ?? via) : via;
  const node = model.node(target);
  if (node === undefined) throw new CommandError(`node ${target} does not exist`);
  if (!node.running || node.isolated || node.liveness === 'decommissioned')
    throw new CommandError(
      `drain: node n${target} is not reachable: ${cannotDial(simulator.sqlAddress(target) ?? `127.0.0.1:${26256 + target}`)}`,
    );
  model.drainNode(target);
  simulator.topologyChanged();
  out.push('drain ok\n');
  if (flag(parsed.flags, '--shutdown')) {
    model.killNode(target);
    simulator.topologyChanged();
    out.push('shutdown ok\n');
  }
}
