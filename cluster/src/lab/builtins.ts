// The shell's own commands and the small Unix tools labs use around cockroach: files (cat, echo,
// tee, mkdir, rm, ls), the environment (export, cd), processes (ps, kill, pkill, sleep, wait).
import { failed, simulated, type Lab, type Outcome, type ProgramHandler } from './lab';

function flagsAndOperands(words: readonly string[]): { flags: Set<string>; operands: string[] } {
  const flags = new Set<string>();
  const operands: string[] = [];
  for (const word of words.slice(1)) {
    if (word.startsWith('-') && word.length > 1 && operands.length === 0) {
      if (word.startsWith('--')) flags.add(word);
      else for (const letter of word.slice(1)) flags.add(`-${letter}`);
    } else operands.push(word);
  }
  return { flags, operands };
}

const echo: ProgramHandler = (words) => {
  let rest = words.slice(1);
  let newline = true;
  let escapes = false;
  while (rest[0] === '-n' || rest[0] === '-e' || rest[0] === '-ne' || rest[0] === '-en') {
    if (rest[0].includes('n')) newline = false;
    if (rest[0].includes('e')) escapes = true;
    rest = rest.slice(1);
  }
  let text = rest.join(' ');
  if (escapes) text = text.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  return simulated(newline ? `${text}\n` : text);
};

const printf: ProgramHandler = (words) => {
  const [format = '', ...args] = words.slice(1);
  let i = 0;
  const text = format.replace(/%[sd]|\\n|\\t|%%/g, (spec) =>
    spec === '\\n' ? '\n' : spec === '\\t' ? '\t' : spec === '%%' ? '%' : (args[i++] ?? ''),
  );
  return simulated(text);
};

const cat: ProgramHandler = (words, stdin, lab) => {
  const { operands } = flagsAndOperands(words);
  if (operands.length === 0 || (operands.length === 1 && operands[0] === '-')) return simulated(stdin ?? '');
  const parts: string[] = [];
  for (const path of operands) {
    const content = lab.readFile(path);
    if (content === undefined)
      return failed(`cat: ${path}: ${lab.isDirectory(path) ? 'Is a directory' : 'No such file or directory'}`, 1, parts.join(''));
    parts.push(content);
  }
  return simulated(parts.join(''));
};

const tee: ProgramHandler = (words, stdin, lab) => {
  const { flags, operands } = flagsAndOperands(words);
  for (const path of operands) lab.writeFile(path, stdin ?? '', { append: flags.has('-a') || flags.has('--append') });
  return simulated(stdin ?? '');
};

const touch: ProgramHandler = (words, _stdin, lab) => {
  for (const path of flagsAndOperands(words).operands) if (lab.readFile(path) === undefined) lab.writeFile(path, '');
  return simulated();
};

const mkdir: ProgramHandler = (words, _stdin, lab) => {
  for (const path of flagsAndOperands(words).operands) lab.makeDirectory(path);
  return simulated();
};

const rm: ProgramHandler = (words, _stdin, lab) => {
  const { flags, operands } = flagsAndOperands(words);
  for (const path of operands)
    if (!lab.removeFile(path) && !flags.has('-f')) return failed(`rm: cannot remove '${path}': No such file or directory`);
  return simulated();
};

const ls: ProgramHandler = (words, _stdin, lab) => {
  const { operands } = flagsAndOperands(words);
  const paths = operands.length > 0 ? operands : ['.'];
  const out: string[] = [];
  for (const path of paths) {
    if (lab.readFile(path) !== undefined) out.push(path);
    else if (lab.isDirectory(path)) out.push(...lab.list(path));
    else return failed(`ls: cannot access '${path}': No such file or directory`, 2);
  }
  return simulated(out.join('\n'));
};

const cd: ProgramHandler = (words, _stdin, lab) => {
  const target = words[1] ?? '~';
  if (!lab.isDirectory(target)) lab.makeDirectory(target);
  lab.cwd = lab.resolve(target);
  return simulated();
};

const pwd: ProgramHandler = (_words, _stdin, lab) => simulated(lab.cwd);

const exportVariables: ProgramHandler = (words, _stdin, lab) => {
  for (const word of words.slice(1)) {
    if (word.startsWith('-')) continue;
    const eq = word.indexOf('=');
    if (eq === -1) lab.exportVariable(word);
    else lab.exportVariable(word.slice(0, eq), word.slice(eq + 1));
  }
  return simulated();
};

const unset: ProgramHandler = (words, _stdin, lab) => {
  for (const name of words.slice(1)) {
    lab.env.delete(name);
    lab.setVariable(name, '');
  }
  return simulated();
};

const env: ProgramHandler = (_words, _stdin, _lab, context) =>
  simulated([...context.env].map(([name, value]) => `${name}=${value}`).join('\n'));

/** `sleep N[s|m]`: simulated time moves on by as much (the cluster's failover happens meanwhile). */
const sleep: ProgramHandler = async (words, _stdin, lab) => {
  const match = /^(\d+(?:\.\d+)?)([smh]?)$/.exec(words[1] ?? '');
  if (!match) return failed(`sleep: invalid time interval '${words[1] ?? ''}'`);
  const ms = Number(match[1]) * (match[2] === 'm' ? 60_000 : match[2] === 'h' ? 3_600_000 : 1000);
  await passTime(lab, ms);
  return simulated();
};

/** Moves the cluster's time on: virtual time at once; on a real-time cluster, by waiting (at most a minute). */
export async function passTime(lab: Lab, ms: number): Promise<void> {
  if (lab.cluster.time === 'virtual') lab.cluster.model.advance(ms);
  else await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 60_000)));
}

const ps: ProgramHandler = (_words, _stdin, lab) => {
  const lines = ['    PID TTY          TIME CMD'];
  for (const process of lab.runningProcesses()) lines.push(`${String(process.pid).padStart(7)} pts/0    00:00:01 ${process.command}`);
  return simulated(lines.join('\n'));
};

function signalOf(words: readonly string[]): { signal: string; rest: string[] } {
  const rest: string[] = [];
  let signal = 'TERM';
  for (let i = 1; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word === '-s' || word === '--signal') signal = words[++i] ?? signal;
    else if (/^-(\d+|[A-Z]+)$/.test(word)) signal = word === '-9' ? 'KILL' : word === '-15' ? 'TERM' : word.slice(1).replace(/^SIG/, '');
    else rest.push(word);
  }
  return { signal, rest };
}

const kill: ProgramHandler = async (words, _stdin, lab) => {
  const { signal, rest } = signalOf(words);
  if (rest.length === 0) return failed('kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]', 2);
  for (const target of rest) {
    const pid = Number(target);
    if (!Number.isInteger(pid)) return failed(`bash: kill: ${target}: arguments must be process or job IDs`);
    if (!(await lab.kill(pid, signal))) return failed(`bash: kill: (${pid}) - No such process`);
  }
  return simulated();
};

/** `pkill [-9] [-f] pattern`: the pattern is a regular expression over the name (or, with -f, the command line). */
const pkill: ProgramHandler = async (words, _stdin, lab) => {
  const { signal, rest } = signalOf(words.filter((w) => w !== '-f'));
  const full = words.includes('-f');
  const pattern = rest[0];
  if (pattern === undefined) return failed("pkill: no matching criteria specified\nTry `pkill --help' for more information.", 2);
  let matcher: RegExp;
  try {
    matcher = new RegExp(pattern);
  } catch {
    return failed(`pkill: invalid pattern: ${pattern}`, 2);
  }
  let found = false;
  for (const process of lab.runningProcesses()) {
    const subject = full ? process.command : (process.command.split(' ')[0] ?? '').replace(/^.*\//, '');
    if (!matcher.test(subject)) continue;
    found = true;
    await lab.kill(process.pid, signal);
  }
  // pkill exits 1 when nothing matched, silently.
  return found ? simulated() : failed('', 1);
};

/** `pgrep [-f] pattern`: the ids of matching processes, one a line. */
const pgrep: ProgramHandler = (words, _stdin, lab) => {
  const full = words.includes('-f');
  const pattern = words.slice(1).filter((w) => !w.startsWith('-'))[0] ?? '';
  let matcher: RegExp;
  try {
    matcher = new RegExp(pattern);
  } catch {
    return failed(`pgrep: invalid pattern: ${pattern}`, 2);
  }
  const pids = lab
    .runningProcesses()
    .filter((p) => matcher.test(full ? p.command : (p.command.split(' ')[0] ?? '').replace(/^.*\//, '')))
    .map((p) => String(p.pid));
  return pids.length > 0 ? simulated(pids.join('\n')) : failed('', 1);
};

const grep: ProgramHandler = (words, stdin, lab) => {
  // -A N: N lines of context after each match (labs read a node's start banner this way).
  const afterIndex = words.findIndex((w) => w === '-A' || /^-A\d+$/.test(w));
  const after = afterIndex === -1 ? 0 : Number(words[afterIndex] === '-A' ? words[afterIndex + 1] : words[afterIndex]?.slice(2));
  const rest =
    afterIndex === -1 ? words : words.filter((_w, i) => i !== afterIndex && !(words[afterIndex] === '-A' && i === afterIndex + 1));
  const { flags, operands } = flagsAndOperands(rest);
  const [pattern = '', ...paths] = operands;
  const text = paths.length > 0 ? paths.map((p) => lab.readFile(p) ?? '').join('') : (stdin ?? '');
  let matcher: RegExp;
  try {
    matcher = new RegExp(pattern, flags.has('-i') ? 'i' : '');
  } catch {
    return failed(`grep: invalid pattern: ${pattern}`, 2);
  }
  const all = text.split('\n');
  const keep = new Set<number>();
  all.forEach((line, i) => {
    if (line === '' || matcher.test(line) === flags.has('-v')) return;
    for (let j = i; j <= Math.min(all.length - 1, i + (Number.isFinite(after) ? after : 0)); j++) keep.add(j);
  });
  const lines = [...keep].sort((a, b) => a - b).map((i) => all[i] ?? '');
  return lines.length > 0 ? simulated(lines.join('\n')) : failed('', 1);
};

const head: ProgramHandler = (words, stdin, lab) => slice(words, stdin, lab, (lines, n) => lines.slice(0, n));
const tail: ProgramHandler = (words, stdin, lab) => slice(words, stdin, lab, (lines, n) => lines.slice(-n));

function slice(words: readonly string[], stdin: string | undefined, lab: Lab, take: (lines: string[], n: number) => string[]): Outcome {
  let n = 10;
  const paths: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word === '-n') n = Number(words[++i] ?? 10);
    else if (/^-\d+$/.test(word)) n = Number(word.slice(1));
    else if (word !== '-f') paths.push(word);
  }
  const text = paths.length > 0 ? paths.map((p) => lab.readFile(p) ?? '').join('') : (stdin ?? '');
  return simulated(take(text.replace(/\n$/, '').split('\n'), n).join('\n'));
}

/** `sudo [-E] [-u user] command…`: the lab's user may do anything; the command runs. */
const sudo: ProgramHandler = (words, stdin, lab, context) => {
  let i = 1;
  while (words[i]?.startsWith('-')) i += words[i] === '-u' ? 2 : 1;
  return lab.runProgram(words.slice(i), stdin, context);
};

const noop: ProgramHandler = () => simulated();
const fail: ProgramHandler = () => failed('', 1);

export const BUILTINS: ReadonlyMap<string, ProgramHandler> = new Map<string, ProgramHandler>([
  ['echo', echo],
  ['printf', printf],
  ['cat', cat],
  ['tee', tee],
  ['touch', touch],
  ['mkdir', mkdir],
  ['rm', rm],
  ['ls', ls],
  ['cd', cd],
  ['pwd', pwd],
  ['export', exportVariables],
  ['unset', unset],
  ['env', env],
  ['sleep', sleep],
  ['ps', ps],
  ['kill', kill],
  ['pkill', pkill],
  ['pgrep', pgrep],
  ['grep', grep],
  ['head', head],
  ['tail', tail],
  ['sudo', sudo],
  ['wait', noop],
  ['true', noop],
  ['clear', noop],
  ['set', noop],
  ['false', fail],
]);
