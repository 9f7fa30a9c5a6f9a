// The `cockroach demo` shell's \demo commands, accepted as statements from any client:
// \demo ls | shutdown N | restart N | decommission N | recommission N | add region=…,zone=…
import type { ControlAction } from '../../../protocol/src/cluster';
import { nodeLocalityText, parseNodeLocality } from '../../../sql/src/locality';
import { applyControl, type ControlTarget } from '../model/control';
import type { SqlSession } from './context';
import { SqlError, SQLSTATE } from './errors';
import { emptyResult, notice, rowsResult, type QueryResult } from './result';

const USAGE = 'usage: \\demo [ls|shutdown <node>|restart <node>|decommission <node>|recommission <node>|add <locality>]';

function nodeArgument(session: SqlSession, argument: string | undefined): number {
  const id = Number(argument);
  if (!Number.isInteger(id) || id < 1) throw new SqlError(SQLSTATE.invalidParameterValue, `invalid node ID: ${argument ?? ''}`, USAGE);
  if (!session.cluster.model.nodes().some((n) => n.id === id))
    throw new SqlError(SQLSTATE.invalidParameterValue, `node ${id} does not exist`);
  return id;
}

/** Applies a control, turning its refusal into a SQL error. */
function control(cluster: ControlTarget, action: ControlAction): void {
  try {
    applyControl(cluster, action);
  } catch (error) {
    throw new SqlError(SQLSTATE.objectNotInPrerequisiteState, error instanceof Error ? error.message : String(error));
  }
}

function done(text: string, message: string): QueryResult {
  const result = emptyResult(text, 'DEMO');
  result.notices.push(notice(message));
  return result;
}

export function runDemoCommand(session: SqlSession, text: string, command: string): QueryResult {
  const [, verb, argument] = command.trim().split(/\s+/);
  const cluster = session.cluster;
  const model = cluster.model;
  if (!command.startsWith('\\demo')) throw new SqlError(SQLSTATE.syntax, `unknown shell command ${command.split(/\s+/)[0] ?? ''}`, USAGE);
  switch (verb) {
    case 'ls':
    case undefined:
      return rowsResult(
        text,
        ['node_id', 'locality', 'sql_address', 'status'],
        model
          .nodes()
          .map((n) => [
            String(n.id),
            nodeLocalityText(n.locality),
            cluster.sqlAddress(n.id) ?? '',
            n.isolated ? 'partitioned' : n.liveness,
          ]),
      );
    case 'shutdown':
    case 'restart':
    case 'decommission':
    case 'recommission': {
      const id = nodeArgument(session, argument);
      if (verb === 'shutdown' && id === session.nodeId) {
        throw new SqlError(
          SQLSTATE.objectNotInPrerequisiteState,
          `cannot shutdown node ${id}: this session is connected through it`,
          'connect through another node to shut this one down',
        );
      }
      control(cluster, { action: verb === 'shutdown' ? 'kill' : verb, nodeId: id });
      return done(text, `node ${id} has been ${verb === 'shutdown' ? 'shutdown' : `${verb}ed`}`);
    }
    case 'add': {
      const { region, zone: written } = parseNodeLocality(argument);
      if (!region)
        throw new SqlError(
          SQLSTATE.invalidParameterValue,
          'the locality of a new node needs a region',
          'e.g. \\demo add region=us-east1,az=b',
        );
      const zone = written || 'a';
      const before = new Set(model.nodes().map((n) => n.id));
      control(cluster, { action: 'add', region, zone });
      const added = model.nodes().find((n) => !before.has(n.id));
      return done(text, `node ${added?.id ?? ''} has been added with locality "${nodeLocalityText({ region, zone })}"`);
    }
    default:
      throw new SqlError(SQLSTATE.syntax, `unknown \\demo command: ${verb}`, USAGE);
  }
}
