// The `cockroach demo` shell's \demo commands, accepted as statements from any client (dispatched
// by shellCommands.ts): \demo ls | shutdown N | restart N | decommission N | add region=…,zone=…,
// with cockroach demo's messages (pkg/cli/clisqlshell handleDemo, pkg/cli/democluster).
//
// Decommission is what current demo does: drain and stop the node, then mark it decommissioning and
// at once decommissioned; the node is gone for good ("node N is permanently decommissioned" to any
// later \demo command naming it). Current demo has no \demo recommission (older ones had, and older
// docs show it succeeding): it is invalid syntax, as demo answers a verb it does not know.
//
// \demo ls prints the insecure demo's lines (webui, cli, sql) even for a lesson whose demo was
// started without --insecure: a secure demo lists `postgresql://demo:<password>@…?sslmode=require`
// and a /demologin web link, but the simulated cluster's wire server speaks no TLS (a client asked
// for sslmode=require is refused) and lets root in from this machine without a password, so the
// insecure lines are the ones that connect (the lab's demo user has no password to log in with).
// Lessons that copy a secure demo's URLs differ here.
import type { ControlAction } from '../../../protocol/src/cluster';
import { parseNodeLocality } from '../../../sql/src/locality';
import { applyControl, type ControlTarget } from '../model/control';
import type { SqlSession } from './context';
import { SqlError, SQLSTATE } from './errors';
import { emptyResult, notice, type QueryResult } from './result';

const USAGE = 'usage: \\demo [ls|shutdown <node>|restart <node>|decommission <node>|add <locality>]';

/** cockroach demo's HTTP ports start here, one a node (node N on 8080 + N - 1). */
const DEMO_HTTP_BASE_PORT = 8080;

/** clisqlshell invalidSyntax: the line as typed, then where to look. */
function invalidSyntax(command: string): SqlError {
  return new SqlError(SQLSTATE.syntax, `invalid syntax: ${command.trim()}. Try \\? for help.`, USAGE);
}

function nodeArgument(session: SqlSession, argument: string): number {
  if (!/^-?\d+$/.test(argument))
    throw new SqlError(
      SQLSTATE.invalidParameterValue,
      `invalid syntax: ${JSON.stringify(argument)} is not a valid node ID: strconv.ParseInt: parsing ${JSON.stringify(argument)}: invalid syntax`,
      USAGE,
    );
  const id = Number(argument);
  const node = session.cluster.model.node(id);
  if (!node) throw clusterError(`node ${id} does not exist`);
  // demo's findServer: a decommissioned node is refused by every command that names it.
  if (node.liveness === 'decommissioned' || session.cluster.model.membership(id) === 'decommissioned')
    throw clusterError(`node ${id} is permanently decommissioned`);
  return id;
}

/** What the demo cluster refuses, as its shell prints it (clisqlshell internalServerError). */
function clusterError(message: string, hint?: string): SqlError {
  return new SqlError(SQLSTATE.objectNotInPrerequisiteState, `internal server error: ${message}`, hint);
}

/** Applies a control, turning its refusal into the shell's error. */
function control(cluster: ControlTarget, action: ControlAction): void {
  try {
    applyControl(cluster, action);
  } catch (error) {
    throw clusterError(error instanceof Error ? error.message : String(error));
  }
}

function done(text: string, message: string): QueryResult {
  const result = emptyResult(text, 'DEMO');
  result.notices.push(notice(message));
  return result;
}

/**
 * `\demo ls`: per running node, its DB Console, `cockroach sql` and connection URL lines, as
 * democluster ListDemoNodes prints them for an insecure demo. A node with no wire server
 * listening (a lesson's in-process cluster) shows the address `cockroach demo` would give it.
 */
function listNodes(session: SqlSession, text: string): QueryResult {
  const cluster = session.cluster;
  // demo lists the database its shell started in (movr, or defaultdb without an example database);
  // the session's database stands for it.
  const database = session.database;
  const lines: string[] = [];
  for (const n of cluster.model.nodes()) {
    if (!n.running || n.liveness === 'decommissioned') continue;
    const address = cluster.sqlAddress(n.id) ?? `127.0.0.1:${26256 + n.id}`;
    const port = address.slice(address.lastIndexOf(':') + 1);
    lines.push(
      `node ${n.id}:`,
      `   (webui)    http://127.0.0.1:${DEMO_HTTP_BASE_PORT + n.id - 1}`,
      `   (cli)      cockroach sql --insecure${port === '26257' ? '' : ` -p ${port}`} -d ${database}`,
      `   (sql)      postgresql://root@${address}/${encodeURIComponent(database)}?sslmode=disable`,
      '',
    );
  }
  if (lines.length === 0) lines.push('no demo nodes currently running');
  return done(text, lines.join('\n').trimEnd());
}

/** roachpb.Locality.Set: comma-separated key=value tiers; the tiers as written are what demo echoes. */
function localityTiers(argument: string): { region: string; zone: string; text: string } {
  const text = argument.trim().replace(/^(["'])(.*)\1$/, '$2');
  if (text === '') throw clusterError('empty locality');
  const tiers = text.split(',');
  for (const tier of tiers) {
    const eq = tier.indexOf('=');
    if (eq <= 0 || eq === tier.length - 1) throw clusterError(`tier must be in the form "key=value" not "${tier}"`);
  }
  const { region, zone } = parseNodeLocality(text);
  return { region, zone, text };
}

export function runDemoCommand(session: SqlSession, text: string, command: string): QueryResult {
  const words = command.trim().split(/\s+/);
  const cluster = session.cluster;
  const model = cluster.model;
  // words[0] is \demo: shellCommands.ts sends only those here.
  const [, verb, argument, extra] = words;
  if (verb === 'ls' && argument === undefined) return listNodes(session, text);
  if (verb === undefined || argument === undefined || extra !== undefined) throw invalidSyntax(command);
  switch (verb) {
    case 'shutdown':
    case 'restart':
    case 'decommission': {
      const id = nodeArgument(session, argument);
      const node = model.node(id);
      // demo refuses its first node, which carries the shell's connection; here any node but the
      // one this session runs through may go down.
      if ((verb === 'shutdown' || verb === 'decommission') && id === session.nodeId) {
        throw clusterError(
          `cannot shutdown node ${id}`,
          'this session is connected through it: connect through another node to shut this one down',
        );
      }
      if (verb === 'decommission') {
        if (node?.running === false) throw clusterError(`node ${id} is already shut down`);
        // demo drains and stops the node, then asks for decommissioning and decommissioned in turn
        // (no pre-check, no wait for the replicas to move).
        model.decommissionAtOnce(id);
        cluster.topologyChanged();
        return done(text, `node ${id} has been decommissioned`);
      }
      control(cluster, { action: verb === 'shutdown' ? 'kill' : 'restart', nodeId: id });
      return done(text, `node ${id} has been ${verb === 'shutdown' ? 'shutdown' : 'restarted'}`);
    }
    case 'add': {
      const locality = localityTiers(argument);
      if (!locality.region)
        throw new SqlError(
          SQLSTATE.invalidParameterValue,
          'the locality of a new node needs a region',
          'e.g. \\demo add region=us-east1,az=b',
        );
      const before = new Set(model.nodes().map((n) => n.id));
      control(cluster, { action: 'add', region: locality.region, zone: locality.zone || 'a' });
      const added = model.nodes().find((n) => !before.has(n.id));
      return done(text, `node ${added?.id ?? ''} has been added with locality "${locality.text}"`);
    }
    default:
      throw invalidSyntax(command);
  }
}
