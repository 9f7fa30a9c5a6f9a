// The `cockroach demo` shell's \demo commands, accepted as statements from any client:
// \demo ls | shutdown N | restart N | decommission N | recommission N | add region=…,zone=…
import { SqlError, SQLSTATE } from './errors';
import { emptyResult, notice, type QueryResult } from './result';
import type { Session } from './session';

const USAGE = 'usage: \\demo [ls|shutdown <node>|restart <node>|decommission <node>|recommission <node>|add <locality>]';

function nodeArgument(session: Session, argument: string | undefined): number {
  const id = Number(argument);
  if (!Number.isInteger(id) || id < 1) throw new SqlError(SQLSTATE.invalidParameterValue, `invalid node ID: ${argument ?? ''}`, USAGE);
  if (!session.simulator.model.nodes().some((n) => n.id === id))
    throw new SqlError(SQLSTATE.invalidParameterValue, `node ${id} does not exist`);
  return id;
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
      return simulator.rows(
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
    case 'shutdown': {
      const id = nodeArgument(session, argument);
      if (id === session.nodeId)
        throw new SqlError(
          SQLSTATE.objectNotInPrerequisiteState,
          `cannot shutdown node ${id}: this session is connected through it`,
          'connect through another node to shut this one down',
        );
      const node = model.nodes().find((n) => n.id === id);
      if (node?.liveness === 'dead') throw new SqlError(SQLSTATE.objectNotInPrerequisiteState, `node ${id} is already shut down`);
      model.killNode(id);
      simulator.topologyChanged();
      return done(text, `node ${id} has been shutdown`);
    }
    case 'restart': {
      const id = nodeArgument(session, argument);
      const node = model.nodes().find((n) => n.id === id);
      if (node?.liveness !== 'dead') throw new SqlError(SQLSTATE.objectNotInPrerequisiteState, `node ${id} is already running`);
      model.restartNode(id);
      return done(text, `node ${id} has been restarted`);
    }
    case 'decommission': {
      const id = nodeArgument(session, argument);
      model.decommissionNode(id);
      return done(text, `node ${id} has been decommissioned`);
    }
    case 'recommission': {
      const id = nodeArgument(session, argument);
      model.recommissionNode(id);
      return done(text, `node ${id} has been recommissioned`);
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
          'e.g. \\demo add region=us-east1,az=us-east1-b',
        );
      const node = model.addNode({ region, zone: locality.az ?? locality.zone ?? `${region}-a` });
      simulator.nodeAdded(node.id);
      return done(text, `node ${node.id} has been added with locality "region=${region},az=${node.locality.zone}"`);
    }
    default:
      throw new SqlError(SQLSTATE.syntax, `unknown \\demo command: ${verb}`, USAGE);
  }
}
