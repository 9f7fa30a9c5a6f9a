// Steps a lab takes on its machine that the simulation assumes done rather than simulates:
// installing packages, downloading and unpacking the cockroach binary, permissions, logging in
// elsewhere. Each answers one line saying what is assumed, so a reader sees why nothing changed.
import { failed, hostStep, simulated, type ProgramHandler } from './lab';

function operands(words: readonly string[]): string[] {
  return words.slice(1).filter((w) => !w.startsWith('-'));
}

/** `apt install haproxy`, `yum install -y …`, `brew install cockroachdb/tap/cockroach`. */
const install: ProgramHandler = (words) => {
  const [verb, ...packages] = operands(words);
  if (verb === 'update' || verb === 'upgrade') return hostStep('the package lists are assumed current');
  if (verb !== 'install' && verb !== 'reinstall') return hostStep(`${words[0] ?? ''} ${verb ?? ''}: assumed done on the host`);
  const named = packages.map((p) => p.replace(/^.*\//, '').replace(/[=@].*$/, ''));
  if (named.some((p) => p.startsWith('cockroach')))
    return hostStep('cockroach is assumed installed; the simulated cluster stands in for its nodes');
  if (named.includes('haproxy')) return hostStep('haproxy is assumed installed; the simulated load balancer stands in for it');
  return hostStep(`${named.join(', ') || 'the packages'} assumed installed`);
};

/** `curl`/`wget`: a download (usually the cockroach binary). Piped into a shell, an install. */
const download: ProgramHandler = (words, _stdin, lab) => {
  const url = words.slice(1).find((w) => /^https?:\/\//.test(w)) ?? '';
  // curl -o FILE / wget -O FILE name the file; curl -O and wget without -O keep the URL's name.
  const named = words.findIndex((w) => w === '--output' || w === (words[0] === 'wget' ? '-O' : '-o'));
  const remoteName = url.replace(/[?#].*$/, '').replace(/^.*\//, '');
  const output = named !== -1 ? words[named + 1] : words.includes('-O') || words[0] === 'wget' ? remoteName : undefined;
  if (output !== undefined && output !== '' && output !== '-') lab.writeFile(output, '');
  // A SQL or HTTP endpoint of the cluster (the DB Console, /health): answered as the node would.
  if (/localhost:80[0-9]{2}\/health/.test(url)) return simulated('{\n  "nodeId": 1\n}');
  return hostStep(`${url || 'the file'} is assumed downloaded`);
};

const tar: ProgramHandler = (words) => {
  const archive = words.slice(1).find((w) => /\.(tgz|tar(\.gz|\.xz)?)$/.test(w)) ?? 'the archive';
  return hostStep(`${archive.replace(/^.*\//, '')} is assumed unpacked`);
};

const permissions: ProgramHandler = (words) => hostStep(`${words[0] ?? ''} ${operands(words).join(' ')}: permissions assumed set`);

/** `cp`/`mv` of files the lab wrote are real; of the binary or anything else, assumed. */
function copy(move: boolean): ProgramHandler {
  return (words, _stdin, lab) => {
    const paths = operands(words);
    const target = paths.pop();
    if (target === undefined || paths.length === 0) return failed(`${words[0] ?? 'cp'}: missing file operand`);
    const known = paths.filter((p) => lab.readFile(p) !== undefined);
    if (known.length === 0) return hostStep(`${paths.join(' ')} assumed ${move ? 'moved' : 'copied'} to ${target}`);
    for (const path of known) {
      const name = path.replace(/^.*\//, '');
      const destination = lab.isDirectory(target) || paths.length > 1 ? `${target}/${name}` : target;
      lab.writeFile(destination, lab.readFile(path) ?? '');
      if (move) lab.removeFile(path);
    }
    return simulated();
  };
}

const which: ProgramHandler = (words, _stdin, lab) => {
  const program = words[1] ?? '';
  return lab.knows(program) ? simulated(`/usr/local/bin/${program}`) : failed('', 1);
};

const remote: ProgramHandler = (words) => {
  const host = operands(words)[0] ?? 'the remote host';
  return hostStep(`${words[0] ?? ''} to ${host}: the lab runs every node's commands in this one terminal`);
};

const ulimit: ProgramHandler = () => hostStep('the file descriptor limit is assumed raised as CockroachDB recommends');

const timedatectl: ProgramHandler = () => hostStep('clocks are assumed synchronized (the simulated nodes share one clock)');

export const HOST_PROGRAMS: ReadonlyMap<string, ProgramHandler> = new Map<string, ProgramHandler>([
  ['apt', install],
  ['apt-get', install],
  ['yum', install],
  ['dnf', install],
  ['brew', install],
  ['snap', install],
  ['curl', download],
  ['wget', download],
  ['tar', tar],
  ['chmod', permissions],
  ['chown', permissions],
  ['cp', copy(false)],
  ['mv', copy(true)],
  ['which', which],
  ['ssh', remote],
  ['scp', remote],
  ['ulimit', ulimit],
  ['timedatectl', timedatectl],
  ['chronyc', timedatectl],
]);
