// `docker` in the lab. Containers are not simulated; what they would run is:
//   docker run … cockroachdb/movr[:tag] ARGS     the MovR app (workload/movrApp.ts) against the
//                                                cluster node its --url names
//   docker run … cockroachdb/cockroach[:tag] ARGS  `cockroach ARGS` run in the lab (-d: in the background)
//   docker exec … CONTAINER cockroach ARGS       likewise
//   docker run of any other image, pull, ps, network, stop, rm, …  one host-step line: assumed done.
// The host names a container uses for the machine it runs on (docker.for.mac.localhost,
// host.docker.internal) reach the lab's localhost.
import { parseMovrApp, loadMovrApp, runMovrApp } from '../workload/movrApp';
import { connectionParams, connectTarget } from './cockroachSql';
import { failed, hostStep, simulated, type Lab, type Outcome, type ProgramContext, type ProgramHandler } from './lab';
import { sessionClient } from './workloads';

/** `docker run`/`docker exec` options that take a value (the word after them, or `--name=value`). */
const VALUE_OPTIONS = new Set([
  '--name',
  '-p',
  '--publish',
  '-v',
  '--volume',
  '-e',
  '--env',
  '--env-file',
  '--network',
  '--net',
  '--hostname',
  '-h',
  '--entrypoint',
  '-w',
  '--workdir',
  '--ip',
  '--platform',
  '-m',
  '--memory',
  '--cpus',
  '-u',
  '--user',
  '--add-host',
  '-l',
  '--label',
  '--mount',
  '--restart',
  '--network-alias',
  '--log-driver',
  '--ulimit',
]);

/** Host names a container gives the machine it runs on. */
const DOCKER_HOST_NAMES = ['docker.for.mac.localhost', 'docker.for.win.localhost', 'host.docker.internal', 'gateway.docker.internal'];

interface ContainerCommand {
  detached: boolean;
  /** --name (undefined when docker would generate one). */
  name?: string;
  /** The image (run) or container (exec). */
  target: string;
  args: string[];
}

/** Splits `[OPTIONS] IMAGE|CONTAINER [ARGS…]`; undefined when no image or container is named. */
function containerCommand(words: readonly string[]): ContainerCommand | undefined {
  let detached = false;
  let container: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word === '--') continue;
    if (!word.startsWith('-')) return { detached, target: word, args: words.slice(i + 1), ...(container ? { name: container } : {}) };
    const name = word.includes('=') ? word.slice(0, word.indexOf('=')) : word;
    if (VALUE_OPTIONS.has(name)) {
      const value = word.includes('=') ? word.slice(word.indexOf('=') + 1) : words[++i];
      if (name === '--name') container = value;
    } else if (word === '--detach' || (/^-[a-zA-Z]+$/.test(word) && word.includes('d'))) detached = true;
  }
  return undefined;
}

/** The repository of an image reference: `cockroachdb/movr:20.11.1` → `cockroachdb/movr`. */
function repository(image: string): string {
  const withoutDigest = image.replace(/@.*$/, '');
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return (colon > slash ? withoutDigest.slice(0, colon) : withoutDigest).replace(/^(docker\.io\/)?(library\/)?/, '');
}

/** A URL with a container's name for the host rewritten to localhost. */
function hostUrl(url: string): string {
  let result = url;
  for (const name of DOCKER_HOST_NAMES) result = result.replace(`@${name}:`, '@localhost:').replace(`//${name}:`, '//localhost:');
  return result;
}

async function movrApp(args: readonly string[], lab: Lab): Promise<Outcome> {
  const app = parseMovrApp(args);
  if (typeof app === 'string') return failed(app, app.startsWith('usage:') ? 2 : 1);
  const params = connectionParams([], hostUrl(app.url));
  const target = connectTarget(lab, params, `movr ${app.command}`);
  if ('outcome' in target) return target.outcome;
  const session = lab.cluster.openSession({ nodeId: target.nodeId });
  const client = sessionClient(session);
  try {
    const databases = await client.query('SHOW DATABASES');
    if (!databases.rows.some((row) => row.database_name === app.database))
      return failed(
        `[INFO] (MainThread) connected to movr database @ ${app.url}\nsqlalchemy.exc.ProgrammingError: (psycopg2.errors.InvalidCatalogName) database "${app.database}" does not exist`,
      );
    if (app.command === 'load' && app.multiRegion)
      return failed('movr load --multi-region: the lab loads the single-region MovR schema only');
    const result =
      app.command === 'load'
        ? await loadMovrApp(client, app, () => client.latencyMs / 1000)
        : await runMovrApp(client, app, (ms) => {
            if (lab.cluster.time === 'virtual') lab.cluster.model.advance(ms);
          });
    if (result.error !== undefined) return failed(result.error, 1, result.lines.join('\n'));
    return simulated(result.lines.join('\n'));
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  } finally {
    await lab.cluster.closeSession(session);
  }
}

async function dockerRun(words: readonly string[], stdin: string | undefined, lab: Lab, context: ProgramContext): Promise<Outcome> {
  const command = containerCommand(words.slice(2));
  if (command === undefined) return failed('"docker run" requires at least 1 argument.\nSee \'docker run --help\'.', 125);
  const image = repository(command.target);
  if (image === 'cockroachdb/movr') return movrApp(command.args, lab);
  if (image === 'cockroachdb/cockroach' || image === 'cockroachdb/cockroach-unstable') {
    // Each container has a file system of its own: a node started without --store keeps its
    // default store (cockroach-data) in its container, not in one directory all nodes share.
    const args = [...command.args];
    const starts = args[0] === 'start' || args[0] === 'start-single-node';
    if (starts && !args.some((a) => a === '--store' || a === '-s' || a.startsWith('--store=')))
      args.push(`--store=containers/${command.name ?? `container${lab.runningProcesses().length + 1}`}/cockroach-data`);
    return lab.runProgram(['cockroach', ...args], stdin, { ...context, background: context.background || command.detached });
  }
  return hostStep(`a container of ${command.target} is assumed running${command.args.length > 0 ? ` ${command.args.join(' ')}` : ''}`);
}

export const docker: ProgramHandler = async (words, stdin, lab, context) => {
  const verb = words[1];
  switch (verb) {
    case undefined:
      return failed("Usage:  docker [OPTIONS] COMMAND\nRun 'docker --help' for more information.");
    case 'run':
      return dockerRun(words, stdin, lab, context);
    case 'exec': {
      const command = containerCommand(words.slice(2));
      if (command === undefined) return failed('"docker exec" requires at least 2 arguments.\nSee \'docker exec --help\'.', 1);
      const program = (command.args[0] ?? '').replace(/^.*\//, '');
      if (program === 'cockroach') return lab.runProgram(['cockroach', ...command.args.slice(1)], stdin, context);
      return hostStep(`${command.args.join(' ') || 'the command'} is assumed run in container ${command.target}`);
    }
    case 'pull':
      return hostStep(`the image ${words[2] ?? ''} is assumed pulled`);
    default:
      return hostStep(`docker ${words.slice(1).join(' ')}: assumed done on the host (containers are not simulated)`);
  }
};
