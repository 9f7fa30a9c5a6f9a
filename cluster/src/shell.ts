// The `cockroach …` shell lines of a lesson that the simulated cluster can stand in for —
// `cockroach sql -e`, `cockroach node status|decommission|recommission|drain`,
// `cockroach workload init|run bank` — run over any SQL connection to it (an in-process
// session for `crdb-studio lesson`, a pg connection from the editor). Other commands are
// reported as not simulated, never silently skipped.
import { formatTable, nodeStatus } from './nodeStatus';
import { initBank, runBank, type SqlClient } from './workload/bank';

/**
 * The commands of a shell block: lines continued with a trailing backslash joined, blank and
 * comment lines left out; each with its 0-based line and character offset in the block.
 */
export function shellLines(content: string): { line: number; offset: number; text: string }[] {
  const commands: { line: number; offset: number; text: string }[] = [];
  const lines = content.split('\n');
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = i;
    const start = offset;
    let text = lines[i] ?? '';
    offset += text.length + 1;
    while (text.endsWith('\\') && i + 1 < lines.length) {
      const next = lines[++i] ?? '';
      offset += next.length + 1;
      text = `${text.slice(0, -1)} ${next}`;
    }
    if (text.trim() === '' || text.trim().startsWith('#')) continue;
    commands.push({ line, offset: start, text: text.trim() });
  }
  return commands;
}

/** One statement's result, as a shell line needs it. */
export interface ShellResult {
  columns: string[];
  rows: (string | null)[][];
  tag: string;
  notices: string[];
  error?: string;
}

/** What a shell line runs its SQL through. */
export interface ShellSql {
  run(sql: string): Promise<ShellResult[]>;
}

export interface ShellOutcome {
  simulated: boolean;
  output?: string;
  error?: string;
}

/** The same connection as a SqlClient (errors thrown, with the SQLSTATE in `code`). */
function clientOf(sql: ShellSql): SqlClient {
  return {
    async query(text: string) {
      const results = await sql.run(text);
      const failed = results.find((r) => r.error !== undefined);
      if (failed?.error !== undefined) throw new Error(failed.error);
      const last = results[results.length - 1];
      return { rows: (last?.rows ?? []).map((row) => Object.fromEntries((last?.columns ?? []).map((c, i) => [c, row[i] ?? null]))) };
    },
  };
}

/** Splits a shell command line into words (quotes respected, backslash-newline joined). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) current += line[++i] ?? '';
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

function flagValues(words: readonly string[], ...names: string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    for (const name of names) {
      if (word === name) values.push(words[++i] ?? '');
      else if (word.startsWith(`${name}=`)) values.push(word.slice(name.length + 1));
    }
  }
  return values;
}

export async function runShellLine(sql: ShellSql, line: string): Promise<ShellOutcome> {
  const words = shellWords(line.replace(/^\$\s*/, ''));
  const [program, command, ...rest] = words;
  if (program !== 'cockroach' && program !== './cockroach')
    return { simulated: false, output: `not simulated: ${program ?? ''} is not a cockroach command` };
  if (command === 'demo')
    return { simulated: true, output: 'the simulated cluster is already running (cockroach demo is what it stands in for)' };
  if (command === 'sql') {
    const statements = flagValues(rest, '-e', '--execute');
    if (statements.length === 0)
      return { simulated: false, output: 'not simulated: an interactive cockroach sql shell (run the lesson’s ```sql blocks instead)' };
    const outputs: string[] = [];
    for (const statement of statements) {
      for (const result of await sql.run(statement)) {
        if (result.error !== undefined) return { simulated: true, error: `ERROR: ${result.error}`, output: outputs.join('\n') };
        outputs.push(
          result.columns.length > 0
            ? formatTable({ columns: result.columns, rows: result.rows.map((r) => r.map((v) => v ?? 'NULL')) })
            : result.tag,
        );
      }
    }
    return { simulated: true, output: outputs.join('\n') };
  }
  if (command === 'node') {
    const [verb, ...args] = rest;
    const ids = args.filter((a) => /^\d+$/.test(a));
    if (verb === 'status') {
      const table = await nodeStatus(async (text) => (await clientOf(sql).query(text)).rows as Record<string, string | null>[], {
        ranges: args.includes('--ranges'),
        decommission: args.includes('--decommission'),
        all: args.includes('--all'),
      });
      return { simulated: true, output: formatTable(table) };
    }
    if ((verb === 'decommission' || verb === 'recommission' || verb === 'drain') && ids.length > 0) {
      const outputs: string[] = [];
      for (const id of ids) {
        const [result] = await sql.run(`\\demo ${verb === 'drain' ? 'shutdown' : verb} ${id}`);
        if (result?.error !== undefined) return { simulated: true, error: `ERROR: ${result.error}` };
        outputs.push(result?.notices.join('\n') ?? '');
      }
      return { simulated: true, output: outputs.join('\n') };
    }
    return { simulated: false, output: `not simulated: cockroach node ${verb ?? ''}` };
  }
  if (command === 'workload') {
    const [verb, name] = rest;
    if (name !== 'bank') return { simulated: false, output: `not simulated: the ${name ?? ''} workload (only bank is)` };
    const client = clientOf(sql);
    if (verb === 'init') {
      await initBank(client);
      return { simulated: true, output: 'bank: initialized 1000 accounts' };
    }
    if (verb === 'run') {
      const duration = flagValues(rest, '--duration')[0] ?? '5s';
      const seconds = Number(/^(\d+)/.exec(duration)?.[1] ?? 5);
      const result = await runBank(client, { durationMs: Math.min(seconds, 10) * 1000 });
      return {
        simulated: true,
        output: `bank: ${result.transfers} transfers, ${result.errors} errors, ${result.retries} retries in ${(result.elapsedMs / 1000).toFixed(1)} s`,
      };
    }
  }
  return { simulated: false, output: `not simulated: cockroach ${command ?? ''}` };
}
