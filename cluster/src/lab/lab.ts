// The lab: the terminal a lesson's shell blocks are typed into, one per simulated cluster. It keeps
// what a shell session keeps — files, environment variables, background processes, the open
// `cockroach sql` prompt — and runs each command through the handler of its program.
//
// HOW TO ADD A PROGRAM (kubectl, helm, haproxy, systemctl, …)
//   1. Write cluster/src/lab/<program>.ts exporting a ProgramHandler:
//        export const kubectl: ProgramHandler = async (words, stdin, lab, context) => { … }
//      `words` are the expanded words with the program name first (`sudo` already stripped);
//      `stdin` is the heredoc / pipe / `<` input, undefined when none; `context.background` tells
//      a command run with `&`. Return an Outcome:
//        simulated(output)                  what the program printed (exit status 0)
//        failed(error, status?, output?)    the program's own error text and exit status
//        hostStep(assumption)               one line: what the simulation assumes happened
//        notSimulated(why)                  only when the lab cannot stand in for it at all
//   2. Keep the program's state with `lab.extension('<program>', () => new YourState())`; read
//      files with `lab.readFile(path)` (undefined when missing), write with `lab.writeFile`.
//   3. A program that accepts SQL connections on a port (a load balancer) registers it with
//      `lab.listen(port, { name, chooseNode })`: `cockroach sql --port/--host/--url` and the
//      workloads then connect through the node it chooses (see connectionTarget in cockroach.ts).
//      Start a background process with `lab.spawn(command, { onKill })`.
//   4. Register the handler in cluster/src/lab/programs.ts (one line in PROGRAMS).
// The cluster itself is reached through `lab.cluster` (model, sessions, addresses, topology).
import type { NodeLocality } from '../../../sql/src/locality';
import type { NodeCommandCluster } from '../nodeCommands';
import { expandHeredoc, expandWord, parseCommandLine, shellSteps, unquote, type SimpleCommand } from './shellScript';

/** What the lab needs of the simulated cluster (the Simulator provides it). */
export interface LabCluster extends NodeCommandCluster {
  /** Each node's SQL address as `\demo ls` and `cockroach node status` show it. */
  readonly addresses: Map<number, string>;
  /** Replaces every node with new ones at these localities (ids 1…n); the data stays. */
  resetTopology(localities: readonly NodeLocality[]): void;
}

/** How a command ended. */
export type Outcome =
  | { kind: 'simulated'; output: string }
  | { kind: 'error'; output: string; error: string; status: number }
  | { kind: 'host'; output: string }
  | { kind: 'not-simulated'; output: string };

export function simulated(output = ''): Outcome {
  return { kind: 'simulated', output };
}

export function failed(error: string, status = 1, output = ''): Outcome {
  return { kind: 'error', output, error, status };
}

/** A step the host would take (install, download, configure): one line saying what is assumed. */
export function hostStep(assumption: string): Outcome {
  return { kind: 'host', output: `host step: ${assumption}` };
}

export function notSimulated(why: string): Outcome {
  return { kind: 'not-simulated', output: `not simulated: ${why}` };
}

export interface ProgramContext {
  /** Run with `&`: the program keeps running; the shell prints its job line and moves on. */
  background: boolean;
  /** The environment the command sees (exported variables and its own VAR=value prefixes). */
  env: ReadonlyMap<string, string>;
}

export type ProgramHandler = (
  words: readonly string[],
  stdin: string | undefined,
  lab: Lab,
  context: ProgramContext,
) => Outcome | Promise<Outcome>;

/** The programs a lab knows, and who answers SQL typed at a `cockroach sql` prompt. */
export interface LabPrograms {
  programs: ReadonlyMap<string, ProgramHandler>;
  /** One statement typed at the prompt (the open interactive `cockroach sql`, or a default one). */
  typedSql(statement: string, lab: Lab): Promise<Outcome>;
  /** The prompt is left (`\q`, or a shell command typed): close its connection. */
  leaveSql(lab: Lab): Promise<void>;
}

/** A process started in the background (`&`, `--background`, a daemon). */
export interface LabProcess {
  pid: number;
  command: string;
  running: boolean;
  /** What stopping it does (a cockroach node dies; a load balancer stops listening). */
  onKill?: (signal: string) => void | Promise<void>;
}

/** Something that accepts SQL connections on a port and hands each to a node (a load balancer). */
export interface Listener {
  name: string;
  /** The node a new connection goes to; undefined when none can take it (all backends down). */
  chooseNode(lab: Lab): number | undefined;
}

/** What one `\!` run printed and how it ended. */
export interface LabRun {
  kind: Outcome['kind'];
  output: string;
  error?: string;
  status: number;
}

const HOME = '/home/lab';

export class Lab {
  private readonly files = new Map<string, string>();
  private readonly directories = new Set<string>(['/', '/home', HOME, '/tmp']);
  /** Exported variables (what programs see). */
  readonly env = new Map<string, string>([
    ['HOME', HOME],
    ['USER', 'lab'],
    ['PATH', '/usr/local/bin:/usr/bin:/bin'],
  ]);
  /** Shell variables set without export. */
  private readonly variables = new Map<string, string>();
  cwd = HOME;
  private readonly processes = new Map<number, LabProcess>();
  private nextPid = 4001;
  private lastStatus = 0;
  private lastBackground: number | undefined;
  private readonly listeners = new Map<number, Listener>();
  private readonly extensions = new Map<string, unknown>();
  /** One command at a time, as in a terminal. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly cluster: LabCluster,
    private readonly known: LabPrograms,
  ) {}

  /** Whether the lab has a handler for a program (for telling `# cmd` prompts from comments). */
  knows(program: string): boolean {
    return this.known.programs.has(program.replace(/^.*\//, ''));
  }

  // ---- running -----------------------------------------------------------------------------------

  /**
   * Runs terminal text: shell command lines (heredoc bodies included) and SQL typed at a
   * `cockroach sql` prompt (`> SELECT …`, or lines after an interactive `cockroach sql`).
   */
  run(text: string): Promise<LabRun> {
    const run = this.tail.then(() => this.runSteps(text));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async runSteps(text: string): Promise<LabRun> {
    const outputs: string[] = [];
    const kinds = new Set<Outcome['kind']>();
    let error: { error: string; status: number } | undefined;
    for (const step of shellSteps(text, (name) => this.knows(name))) {
      let outcome: Outcome;
      if (step.kind === 'sql') outcome = await this.known.typedSql(step.text, this);
      else {
        await this.known.leaveSql(this);
        outcome = await this.runCommandLine(step.text);
      }
      kinds.add(outcome.kind);
      if (outcome.output !== '') outputs.push(outcome.output.replace(/\n$/, ''));
      if (outcome.kind === 'error') {
        error = { error: outcome.error, status: outcome.status };
        break;
      }
    }
    const output = outputs.join('\n');
    if (error) return { kind: 'error', output, error: error.error, status: error.status };
    const kind: Outcome['kind'] = kinds.has('not-simulated')
      ? 'not-simulated'
      : kinds.has('simulated') || kinds.size === 0
        ? 'simulated'
        : 'host';
    return { kind, output, status: 0 };
  }

  /** One command line: its list of pipelines, `&&`/`||` deciding what runs, as bash decides. */
  private async runCommandLine(text: string): Promise<Outcome> {
    const outputs: string[] = [];
    const kinds = new Set<Outcome['kind']>();
    let failure: Outcome | undefined;
    let joiner: '&&' | '||' | ';' | undefined;
    for (const item of parseCommandLine(text)) {
      const runs = joiner === '&&' ? this.lastStatus === 0 : joiner === '||' ? this.lastStatus !== 0 : true;
      joiner = item.then;
      if (!runs) continue;
      const outcome = await this.runPipeline(item.pipeline.commands, item.background);
      kinds.add(outcome.kind);
      if (outcome.output !== '') outputs.push(outcome.output.replace(/\n$/, ''));
      this.lastStatus = outcome.kind === 'error' ? outcome.status : 0;
      // A failure an `||` goes on to handle is not the line's failure; its message still shows.
      if (outcome.kind === 'error' && item.then !== '||') failure ??= outcome;
      else if (outcome.kind === 'error' && outcome.error !== '') outputs.push(outcome.error);
    }
    const output = outputs.join('\n');
    if (failure?.kind === 'error') return { ...failure, output };
    if (kinds.has('not-simulated')) return { kind: 'not-simulated', output };
    if (kinds.has('simulated') || kinds.size === 0) return simulated(output);
    return { kind: 'host', output };
  }

  private async runPipeline(commands: readonly SimpleCommand[], background: boolean): Promise<Outcome> {
    let input: string | undefined;
    let last: Outcome = simulated();
    for (const [index, command] of commands.entries()) {
      const isLast = index === commands.length - 1;
      last = await this.runSimple(command, input, background && isLast);
      if (!isLast) {
        // The next command reads what this one printed; an error ends the pipeline's data.
        input = last.kind === 'error' ? last.output : last.output === '' ? '' : `${last.output.replace(/\n$/, '')}\n`;
      }
    }
    return last;
  }

  private async runSimple(command: SimpleCommand, piped: string | undefined, background: boolean): Promise<Outcome> {
    const lookup = (name: string): string | undefined => this.lookup(name);
    if (command.words.length === 0) {
      // `VAR=value` alone sets a shell variable; redirections alone create files.
      for (const { name, value } of command.assignments) this.setVariable(name, expandWord(value, lookup));
      for (const redirect of command.redirects)
        if (redirect.op === '>' || redirect.op === '>>') this.writeRedirect(redirect.op, expandWord(redirect.target, lookup), '');
      return simulated();
    }
    const env = new Map(this.env);
    for (const { name, value } of command.assignments) env.set(name, expandWord(value, lookup));
    const words: string[] = [];
    for (const raw of command.words) words.push(...this.expand(await this.substitute(raw), (name) => env.get(name) ?? lookup(name)));
    let stdin = piped;
    let stdout: { op: '>' | '>>'; path: string } | undefined;
    let quiet = false;
    for (const redirect of command.redirects) {
      const target = expandWord(redirect.target, lookup);
      if (redirect.op === '<') {
        const content = this.readFile(target);
        if (content === undefined) return failed(`bash: ${target}: No such file or directory`);
        stdin = content;
      } else if (redirect.op === '<<') stdin = redirect.literal ? redirect.target : expandHeredoc(redirect.target, lookup);
      else if (redirect.op === '<<<') stdin = `${target}\n`;
      else if (redirect.op === '>' || redirect.op === '>>') stdout = { op: redirect.op, path: target };
      else if ((redirect.op === '2>' || redirect.op === '&>') && target === '/dev/null') quiet = true;
    }
    const outcome = await this.runProgram(words, stdin, { background, env });
    if (stdout && outcome.kind !== 'host' && outcome.kind !== 'not-simulated') {
      this.writeRedirect(stdout.op, stdout.path, outcome.output);
      return { ...outcome, output: '' };
    }
    if (quiet && outcome.kind === 'error') return { ...outcome, error: '' };
    return outcome;
  }

  /** Runs a program by name (what handlers call to run another, e.g. `sudo`, `watch`). */
  async runProgram(words: readonly string[], stdin: string | undefined, context: ProgramContext): Promise<Outcome> {
    const [first] = words;
    if (first === undefined) return simulated();
    const program = first.replace(/^.*\//, '');
    const handler = this.known.programs.get(program) ?? this.known.programs.get(first);
    if (!handler) return notSimulated(`${program}: the lab has no stand-in for this program`);
    try {
      return await handler(words, stdin, this, context);
    } catch (error) {
      return failed(`${program}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** `$(command)` in a word (outside single quotes) replaced by what the command prints, trailing newlines removed. */
  private async substitute(raw: string): Promise<string> {
    let out = '';
    let quoted = false;
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i] ?? '';
      if (c === "'" && !out.endsWith('\\')) quoted = !quoted;
      if (quoted || c !== '$' || raw[i + 1] !== '(') {
        out += c;
        continue;
      }
      let depth = 0;
      let end = i + 1;
      for (; end < raw.length; end++) {
        if (raw[end] === '(') depth++;
        else if (raw[end] === ')' && --depth === 0) break;
      }
      const outcome = await this.runCommandLine(raw.slice(i + 2, end));
      out += outcome.output.replace(/\n+$/, '');
      i = end;
    }
    return out;
  }

  /** A raw word as the shell passes it: expanded, and split when an unquoted expansion holds spaces. */
  private expand(raw: string, lookup: (name: string) => string | undefined): string[] {
    const value = expandWord(raw, lookup);
    const splits = (raw.includes('$') && !/['"]/.test(raw)) || (raw.includes('$(') && !raw.startsWith('"'));
    const words = splits ? value.split(/\s+/).filter((w) => w !== '') : [value];
    return words.map((w) => (w === '~' ? HOME : w.startsWith('~/') ? `${HOME}${w.slice(1)}` : w));
  }

  // ---- environment -------------------------------------------------------------------------------

  lookup(name: string): string | undefined {
    if (name === '?') return String(this.lastStatus);
    if (name === '!') return this.lastBackground === undefined ? '' : String(this.lastBackground);
    if (name === '$') return '4000';
    if (name === 'PWD') return this.cwd;
    return this.env.get(name) ?? this.variables.get(name);
  }

  setVariable(name: string, value: string): void {
    if (this.env.has(name)) this.env.set(name, value);
    else this.variables.set(name, value);
  }

  exportVariable(name: string, value?: string): void {
    this.env.set(name, value ?? this.variables.get(name) ?? '');
    this.variables.delete(name);
  }

  // ---- files -------------------------------------------------------------------------------------

  /** An absolute, normalized path (`~`, `.` and `..` resolved against the working directory). */
  resolve(path: string): string {
    const expanded = path === '~' ? HOME : path.startsWith('~/') ? `${HOME}${path.slice(1)}` : path;
    const parts = (expanded.startsWith('/') ? expanded : `${this.cwd}/${expanded}`).split('/');
    const out: string[] = [];
    for (const part of parts) {
      if (part === '' || part === '.') continue;
      if (part === '..') out.pop();
      else out.push(part);
    }
    return `/${out.join('/')}`;
  }

  readFile(path: string): string | undefined {
    return this.files.get(this.resolve(path));
  }

  writeFile(path: string, content: string, options: { append?: boolean } = {}): void {
    const full = this.resolve(path);
    if (full === '/dev/null') return;
    this.files.set(full, options.append ? (this.files.get(full) ?? '') + content : content);
    this.makeDirectory(full.slice(0, full.lastIndexOf('/')) || '/');
  }

  removeFile(path: string): boolean {
    const full = this.resolve(path);
    let removed = this.files.delete(full);
    for (const file of [...this.files.keys()])
      if (file.startsWith(`${full}/`)) {
        this.files.delete(file);
        removed = true;
      }
    if (this.directories.delete(full)) removed = true;
    return removed;
  }

  makeDirectory(path: string): void {
    let full = this.resolve(path);
    while (full !== '/' && full !== '') {
      this.directories.add(full);
      full = full.slice(0, full.lastIndexOf('/')) || '/';
    }
  }

  isDirectory(path: string): boolean {
    return this.directories.has(this.resolve(path));
  }

  /** The files and directories directly inside a directory, by name. */
  list(path: string): string[] {
    const full = this.resolve(path);
    const prefix = full === '/' ? '/' : `${full}/`;
    const names = new Set<string>();
    for (const entry of [...this.files.keys(), ...this.directories])
      if (entry.startsWith(prefix) && entry !== full) names.add(entry.slice(prefix.length).split('/')[0] ?? '');
    return [...names].filter((n) => n !== '').sort();
  }

  private writeRedirect(op: '>' | '>>', path: string, output: string): void {
    this.writeFile(path, output === '' || output.endsWith('\n') ? output : `${output}\n`, { append: op === '>>' });
  }

  // ---- processes and listeners --------------------------------------------------------------------

  /** Records a background process and returns it (its pid is what `$!`, `ps` and `kill` see). */
  spawn(command: string, options: { onKill?: LabProcess['onKill'] } = {}): LabProcess {
    const process: LabProcess = { pid: this.nextPid++, command, running: true, ...(options.onKill ? { onKill: options.onKill } : {}) };
    this.processes.set(process.pid, process);
    this.lastBackground = process.pid;
    return process;
  }

  runningProcesses(): LabProcess[] {
    return [...this.processes.values()].filter((p) => p.running);
  }

  process(pid: number): LabProcess | undefined {
    return this.processes.get(pid);
  }

  /** Stops a process as a signal does (`kill`, `pkill`): its onKill runs once. */
  async kill(pid: number, signal = 'TERM'): Promise<boolean> {
    const process = this.processes.get(pid);
    if (!process?.running) return false;
    process.running = false;
    await process.onKill?.(signal);
    return true;
  }

  listen(port: number, listener: Listener): void {
    this.listeners.set(port, listener);
  }

  unlisten(port: number): void {
    this.listeners.delete(port);
  }

  listener(port: number): Listener | undefined {
    return this.listeners.get(port);
  }

  // ---- program state ------------------------------------------------------------------------------

  /** A program's own state in this lab, created on first use. */
  extension<T>(name: string, create: () => T): T {
    if (!this.extensions.has(name)) this.extensions.set(name, create());
    return this.extensions.get(name) as T;
  }

  /** The exit status of the last command (`$?`). */
  get status(): number {
    return this.lastStatus;
  }
}

/** Strips quotes from a word without expanding (for handlers that read raw flags). */
export { unquote };
