// The `cockroach demo` shell's \demo commands, accepted as statements from any client:
// \demo ls | shutdown N | restart N | decommission N | recommission N | add region=…,zone=…
import { applyControl } from '../api/control';
import type { ControlAction } from '../../../protocol/src/cluster';
import { SqlError, SQLSTATE } from './errors';
import { emptyResult, notice, rowsResult, type QueryResult } from './result';
import type { Session } from './session';

const USAGE = 'usage: \\demo [ls|shutdown <node>|restart <node>|decommission <node>|recommission <node>|add <locality>]';

function nodeArgument(session: Session, argument: string | undefined): number {
  const id = Number(argument);
  if (!Number.isInteger(id) || id < 1) throw new SqlError(SQLSTATE.invalidParameterValue, `invalid node ID: ${argument ?? ''}`, USAGE);
  if (!session.simulator.model.nodes().some((n) => n.id === id))
    throw new SqlError(SQLSTATE.invalidParameterValue, `node ${id} does not exist`);
  return id;
}

/** Applies a control, turning its refusal into a SQL error. */
function control(simulator: Session['simulator'], action: ControlAction): void {
  try {
    applyControl(simulator, action);
  } catch (error) {
    throw new SqlError(SQLSTATE.objectNotInPrerequisiteState, error instanceof Error ? error.message : String(error));
  }
}

function done(text: string, message: string): QueryResult {
  const result = emptyResult(text, 'DEMO');
  result.notices.push(notice(message));
  return result;
}

export function runDemoCommand(session: Session, text: string, command: string): QueryResult {
  const [, verb, argument] = command.trim().split(/\s+/);
  const simulator = session.simulator;
  const model = simulator.model;
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
            `region=${n.locality.region},az=${n.locality.zone}`,
            simulator.sqlAddress(n.id) ?? '',
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
      control(simulator, { action: verb === 'shutdown' ? 'kill' : verb, nodeId: id });
      return done(text, `node ${id} has been ${verb === 'shutdown' ? 'shutdown' : `${verb}ed`}`);
    }
    case 'add': {
      const locality = Object.fromEntries(
        (argument ?? '')
          .split(',')
          .map((pair) => pair.split('='))
          .filter((kv): kv is [string, string] => kv.length === 2),
      );
      const region = locality.region;
      if (!region)
        throw new SqlError(
          SQLSTATE.invalidParameterValue,
          'the locality of a new node needs a region',
          'e.g. \\demo add region=us-east1,az=b',
        );
      const zone = locality.az ?? locality.zone ?? 'a';
      const before = new Set(model.nodes().map((n) => n.id));
      control(simulator, { action: 'add', region, zone });
      const added = model.nodes().find((n) => !before.has(n.id));
      return done(text, `node ${added?.id ?? ''} has been added with locality "region=${region},az=${zone}"`);
    }
    default:
      throw new SqlError(SQLSTATE.syntax, `unknown \\demo command: ${verb}`, USAGE);
  }
}
