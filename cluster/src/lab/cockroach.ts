// The `cockroach` program in the lab: its subcommands dispatched as the CLI's cobra tree does,
// and SQL typed at its interactive prompt. Unknown subcommands answer with cobra's error.
import { parseNodeLocality } from '../../../sql/src/locality';
import { CRDB_VERSION } from '../engine/bootstrap';
import { demoLocalities } from '../model/topology';
import { runNodeCommand } from '../nodeCommands';
import { cockroachState } from './cockroachState';
import { DEMO_USER, demoDatasetOf, emptyCluster, loadDataset } from './demoDatasets';
import { connectionParams, connectTarget, flagValue, flagValues, hasFlag, outputFormat, runStatements } from './cockroachSql';
import { init, labNodeAt, quit, start } from './cockroachStart';
import { genHaproxy } from './haproxyCommands';
import { failed, hostStep, simulated, type Lab, type Outcome, type ProgramHandler } from './lab';
import { workload } from './workloads';
import { scanStatementRanges } from '../../../sql/src/statementRanges';

/** cockroach's top-level commands (pkg/cli/cli.go), for telling removed or mistyped ones. */
const KNOWN = new Set([
  'start',
  'start-single-node',
  'init',
  'sql',
  'node',
  'workload',
  'demo',
  'version',
  'gen',
  'cert',
  'quit',
  'debug',
  'sqlfmt',
  'userfile',
  'import',
  'statement-diag',
  'auth-session',
  'convert-url',
  'encode-uri',
  'mt',
  'nodelocal',
]);

function unknownCommand(name: string): Outcome {
  return failed(`ERROR: unknown command "${name}" for "cockroach"\nRun 'cockroach --help' for usage.`);
}

const WELCOME = [
  '#',
  '# Welcome to the CockroachDB SQL shell.',
  '# All statements must be terminated by a semicolon.',
  '# To exit, type: \\q.',
  '#',
].join('\n');

/** Statements of SQL text (the project's own statement scanner). */
function statementsOf(text: string): string[] {
  return scanStatementRanges(text, 0)
    .ranges.map((r) => text.slice(r.start, r.end).trim())
    .filter((s) => s !== '' && s !== ';');
}

async function sql(words: readonly string[], stdin: string | undefined, lab: Lab): Promise<Outcome> {
  const params = connectionParams(words);
  const target = connectTarget(lab, params, 'sql');
  if ('outcome' in target) return target.outcome;
  const format = outputFormat(words);
  const session = lab.cluster.openSession({
    nodeId: target.nodeId,
    user: params.user,
    ...(params.database ? { database: params.database } : {}),
  });
  const executes = flagValues(words, '--execute', '-e');
  const files = flagValues(words, '--file', '-f');
  let statements: string[];
  if (executes.length > 0) statements = executes.flatMap(statementsOf);
  else if (files.length > 0) {
    statements = [];
    for (const file of files) {
      const content = lab.readFile(file);
      if (content === undefined) {
        await lab.cluster.closeSession(session);
        return failed(`ERROR: open ${file}: no such file or directory\nFailed running "sql"`);
      }
      statements.push(...statementsOf(content));
    }
  } else if (stdin !== undefined) statements = statementsOf(stdin);
  else {
    // Interactive: the lines typed next go to this connection, until \q or a shell command.
    await leaveSql(lab);
    cockroachState(lab).prompt = { session, nodeId: target.nodeId, format };
    const version = `# Server version: CockroachDB CCL ${CRDB_VERSION} (simulated by crdb-studio)`;
    return simulated(`${WELCOME}\n${version}\n#\n# Enter \\? for a brief introduction.\n#`);
  }
  try {
    return await runStatements(lab, session, statements, format, 'sql');
  } finally {
    await lab.cluster.closeSession(session);
  }
}

/** One statement typed at the prompt: the open interactive shell's connection, else a fresh one to the default node. */
export async function typedSql(statement: string, lab: Lab): Promise<Outcome> {
  const state = cockroachState(lab);
  if (statement.startsWith('\\') && !statement.startsWith('\\demo') && !statement.startsWith('\\!')) {
    // Shell meta-commands with no effect on the cluster (\set, \echo, \x…).
    if (statement.startsWith('\\x') && state.prompt) state.prompt.format = state.prompt.format === 'records' ? 'table' : 'records';
    return simulated();
  }
  if (statement.startsWith('\\!'))
    return lab.runProgram(['bash', '-c', statement.slice(2).trim()], undefined, { background: false, env: lab.env });
  if (state.prompt) return runStatements(lab, state.prompt.session, [statement], state.prompt.format, 'sql');
  const target = connectTarget(lab, connectionParams([]), 'sql');
  if ('outcome' in target) return target.outcome;
  const session = lab.cluster.openSession({ nodeId: target.nodeId });
  try {
    return await runStatements(lab, session, [statement], 'table', 'sql');
  } finally {
    await lab.cluster.closeSession(session);
  }
}

export async function leaveSql(lab: Lab): Promise<void> {
  const state = cockroachState(lab);
  const prompt = state.prompt;
  state.prompt = undefined;
  if (prompt) await lab.cluster.closeSession(prompt.session);
}

/** Connection flags, which the lab has already resolved to a gateway (a load balancer's port included). */
const CONNECTION_FLAGS = ['--host', '--port', '-p', '--url'];

function withoutConnectionFlags(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (CONNECTION_FLAGS.includes(word)) i++;
    else if (!CONNECTION_FLAGS.some((flag) => flag.startsWith('--') && word.startsWith(`${flag}=`))) out.push(word);
  }
  return out;
}

/** `cockroach node …` (nodeCommands.ts) through the node the client dials. */
async function node(words: readonly string[], lab: Lab): Promise<Outcome> {
  const verb = words[2] ?? '';
  const target = connectTarget(lab, connectionParams(words), `node ${verb}`.trim());
  if ('outcome' in target) return target.outcome;
  const result = await runNodeCommand(lab.cluster, target.nodeId, withoutConnectionFlags(words));
  // A drain with --shutdown ends the lab's process for that node too.
  if (!result.error && verb === 'drain' && hasFlag(words, '--shutdown')) {
    const labNode = labNodeAt(lab, words);
    if (labNode) await lab.kill(labNode.pid);
  }
  const output = result.output.replace(/\n$/, '');
  return result.error !== undefined ? failed(result.error.replace(/\n$/, ''), 1, output) : simulated(output);
}

function sameLocality(a: { region: string; zone: string }, b: { region: string; zone: string } | undefined): boolean {
  return b !== undefined && a.region === b.region && a.zone === b.zone;
}

/**
 * `cockroach demo [workload] --nodes N [--global] [--demo-locality …] [--no-example-database]`:
 * the cluster takes demo's shape with fresh data and the example database, and its SQL shell
 * opens on that database (or --execute runs statements there and exits).
 */
async function demo(words: readonly string[], lab: Lab): Promise<Outcome> {
  const localityFlag = flagValue(words, '--demo-locality');
  const nodes = flagValue(words, '--nodes', '-n');
  const global = hasFlag(words, '--global');
  const localities =
    localityFlag !== undefined
      ? localityFlag.split(':').map((entry) => parseNodeLocality(entry))
      : demoLocalities({ ...(nodes !== undefined ? { nodes: Number(nodes) } : {}), global });
  if (localities.some((l) => l.region === ''))
    return failed('ERROR: invalid --demo-locality: every entry needs region=\nFailed running "demo"');
  if (nodes !== undefined && localityFlag !== undefined && localities.length !== Number(nodes))
    return failed(`ERROR: number of localities specified must equal number of nodes (--nodes=${nodes})\nFailed running "demo"`);
  const dataset = demoDatasetOf(words, hasFlag(words, '--no-example-database'));
  if (dataset && 'unknown' in dataset)
    return failed(`ERROR: unknown command "${dataset.unknown}" for "cockroach demo"\nRun 'cockroach demo --help' for usage.`);
  await leaveSql(lab);
  const state = cockroachState(lab);
  const current = lab.cluster.model.nodes();
  const sameShape =
    !state.ownCluster &&
    current.length === localities.length &&
    current.every((n, i) => n.running && sameLocality(n.locality, localities[i]));
  // A cluster of the shape asked for is already running (the simulator started as demo would):
  // it stays as it is, data, ranges and addresses included.
  if (!sameShape) {
    state.nodes.length = 0;
    state.ownCluster = false;
    state.initialized = true;
    lab.cluster.resetTopology(localities);
    lab.cluster.addresses.clear();
    localities.forEach((_l, i) => lab.cluster.addresses.set(i + 1, `127.0.0.1:${26257 + i}`));
  }
  // A new cluster every time: nothing an earlier demo (or the lesson before it) created is there.
  await emptyCluster(lab);
  const database = dataset ? await loadDataset(lab, dataset.name, dataset.dataset) : 'defaultdb';
  const executes = flagValues(words, '--execute', '-e');
  const session = lab.cluster.openSession({ nodeId: 1, user: DEMO_USER, database });
  if (executes.length > 0) {
    try {
      return await runStatements(lab, session, executes.flatMap(statementsOf), outputFormat(words), 'demo');
    } finally {
      await lab.cluster.closeSession(session);
    }
  }
  state.prompt = { session, nodeId: 1, format: outputFormat(words) };
  return simulated(
    `#\n# Welcome to the CockroachDB demo database!\n#\n# You are connected to a temporary, in-memory CockroachDB cluster of ${localities.length} node${localities.length === 1 ? '' : 's'}.\n#\n${WELCOME.split('\n').slice(1).join('\n')}`,
  );
}

function version(): Outcome {
  return simulated(
    [
      `Build Tag:        ${CRDB_VERSION}`,
      'Build Time:       (simulated by crdb-studio)',
      'Distribution:     CCL',
      'Platform:         linux amd64',
      'Go Version:       go1.23',
      'C Compiler:       gcc 6.5.0',
      'Build Commit ID:  (simulated)',
      'Build Type:       release',
    ].join('\n'),
  );
}

function cert(words: readonly string[], lab: Lab): Outcome {
  const verb = words[2] ?? '';
  const certsDir = flagValue(words, '--certs-dir') ?? `${lab.env.get('HOME') ?? ''}/.cockroach-certs`;
  lab.makeDirectory(certsDir);
  if (verb === 'list') return simulated(`Certificate directory: ${certsDir}`);
  const names: Record<string, string[]> = {
    'create-ca': ['ca.crt'],
    'create-node': ['node.crt', 'node.key'],
    'create-client': [`client.${words[3] ?? 'root'}.crt`, `client.${words[3] ?? 'root'}.key`],
  };
  for (const name of names[verb] ?? []) lab.writeFile(`${certsDir}/${name}`, '(simulated certificate)\n');
  return hostStep(
    `${verb} writes real TLS files; the lab records ${certsDir}${(names[verb] ?? []).length > 0 ? ` (${(names[verb] ?? []).join(', ')})` : ''} and the simulated cluster accepts them`,
  );
}

function gen(words: readonly string[]): Outcome {
  const what = words[2] ?? '';
  return hostStep(`cockroach gen ${what} writes files for the host; nothing in the simulated cluster depends on them`);
}

/** Flags that take no value, so the word after one written before the subcommand is not its value. */
const BOOLEAN_FLAGS = new Set(['--insecure', '--background', '--help', '-h', '--version']);

/**
 * The command line with flags written before the subcommand moved after it: the command-line
 * library CockroachDB uses finds the subcommand past them (`cockroach --host=roach1:26357 init
 * --insecure`, as Docker tutorials write it).
 */
function subcommandFirst(words: readonly string[]): readonly string[] {
  const leading: string[] = [];
  let i = 1;
  while (i < words.length && (words[i] ?? '').startsWith('-') && words[i] !== '--version' && words[i] !== '--help') {
    const flag = words[i] ?? '';
    leading.push(flag);
    i += 1;
    if (!flag.includes('=') && !BOOLEAN_FLAGS.has(flag) && i < words.length) leading.push(words[i++] ?? '');
  }
  if (leading.length === 0 || i >= words.length) return words;
  return [words[0] ?? 'cockroach', words[i] ?? '', ...leading, ...words.slice(i + 1)];
}

export const cockroach: ProgramHandler = async (written, stdin, lab, context) => {
  const words = subcommandFirst(written);
  const subcommand = words[1];
  switch (subcommand) {
    case undefined:
      return failed("ERROR: missing subcommand\nRun 'cockroach --help' for usage.");
    case 'start':
      return start(words, lab, context, false);
    case 'start-single-node':
      return start(words, lab, context, true);
    case 'init':
      return init(words, lab);
    case 'sql':
      return sql(words, stdin, lab);
    case 'node':
      return node(words, lab);
    case 'workload':
      return workload(words, lab);
    case 'demo':
      return demo(words, lab);
    case 'quit':
      return quit(words, lab);
    case 'version':
    case '--version':
      return version();
    case 'cert':
      return cert(words, lab);
    case 'gen':
      return words[2] === 'haproxy' ? genHaproxy(words, lab) : gen(words);
    case '--help':
    case 'help':
      return simulated('CockroachDB command-line interface and server.\n\nUsage:\n  cockroach [command]');
    default:
      if (KNOWN.has(subcommand)) return hostStep(`cockroach ${subcommand} is a tool step the simulated cluster does not need`);
      return unknownCommand(subcommand);
  }
};
