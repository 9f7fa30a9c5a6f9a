// Runs a lesson (Markdown with ```sql blocks) in order on a simulated cluster, statement by
// statement, reporting each result or error with its line. Shell blocks run the `cockroach`
// commands the simulator can stand in for (sql -e, node, workload); others are reported as not
// simulated, never silently skipped.
import { fencedBlocks } from '../../server/src/markdown/fencedBlocks';
import { scanStatementRanges } from '../../server/src/sql/statementRanges';
import { formatTable, nodeStatus } from './nodeStatus';
import type { Simulator } from './simulator';
import type { QueryResult } from './sql/result';
import type { Session } from './sql/session';
import { initBank, runBank, type SqlClient } from './workload/bank';

export interface LessonStep {
  /** 1-based line of the statement (or shell command) in the lesson. */
  line: number;
  kind: 'sql' | 'shell';
  statement: string;
  result?: QueryResult;
  /** Shell output, or why a shell command is not simulated. */
  output?: string;
  error?: string;
  simulated: boolean;
}

/**
 * Simulated time a reader takes between steps. After a failure command the lesson moves on
 * past CockroachDB's failover bound, as a learner reading "within a few seconds…" would.
 */
const STEP_MS = 1000;
const SETTLE_MS = 10_000;

const SQL_LANGUAGES = new Set(['sql', 'postgresql', 'postgres', 'psql']);
const SHELL_LANGUAGES = new Set(['sh', 'shell', 'bash', 'console', 'zsh']);

/** A session as a SqlClient: errors become thrown objects with the SQLSTATE in `code`. */
export function sessionClient(session: Session): SqlClient {
  return {
    async query(sql: string) {
      const results = await session.execute(sql);
      const failed = results.find((r) => r.error);
      if (failed?.error) throw Object.assign(new Error(failed.error.message), { code: failed.error.code });
      const last = results[results.length - 1];
      const rows = (last?.rows ?? []).map((row) => Object.fromEntries((last?.fields ?? []).map((f, i) => [f.name, row[i] ?? null])));
      return { rows };
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

async function runShell(simulator: Simulator, session: Session, line: string): Promise<Omit<LessonStep, 'line' | 'kind' | 'statement'>> {
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
    for (const sql of statements) {
      const results = await session.execute(sql);
      for (const result of results) {
        if (result.error) return { simulated: true, error: `ERROR: ${result.error.message}`, output: outputs.join('\n') };
        outputs.push(
          result.fields.length > 0
            ? formatTable({ columns: result.fields.map((f) => f.name), rows: result.rows.map((r) => r.map((v) => v ?? 'NULL')) })
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
      const table = await nodeStatus(
        async (sql) => {
          await simulator.fillCrdbInternal();
          return (await sessionClient(session).query(sql)).rows as Record<string, string | null>[];
        },
        { ranges: args.includes('--ranges'), decommission: args.includes('--decommission'), all: args.includes('--all') },
      );
      return { simulated: true, output: formatTable(table) };
    }
    if ((verb === 'decommission' || verb === 'recommission' || verb === 'drain') && ids.length > 0) {
      const outputs: string[] = [];
      for (const id of ids) {
        const results = await session.execute(`\\demo ${verb === 'drain' ? 'shutdown' : verb} ${id}`);
        const result = results[0];
        if (result?.error) return { simulated: true, error: `ERROR: ${result.error.message}` };
        outputs.push(result?.notices.map((n) => n.message).join('\n') ?? '');
      }
      return { simulated: true, output: outputs.join('\n') };
    }
    return { simulated: false, output: `not simulated: cockroach node ${verb ?? ''}` };
  }
  if (command === 'workload') {
    const [verb, name] = rest;
    if (name !== 'bank') return { simulated: false, output: `not simulated: the ${name ?? ''} workload (only bank is)` };
    const client = sessionClient(session);
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

/** Joins shell lines continued with a trailing backslash; keeps the first line's number. */
function shellCommands(content: string, firstLine: number): { line: number; text: string }[] {
  const commands: { line: number; text: string }[] = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let text = lines[i] ?? '';
    const line = firstLine + i;
    while (text.endsWith('\\') && i + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++i] ?? ''}`;
    if (text.trim() === '' || text.trim().startsWith('#')) continue;
    commands.push({ line, text: text.trim() });
  }
  return commands;
}

/** Runs every block of the lesson, in order, on `session`'s cluster. */
export async function runLesson(simulator: Simulator, markdown: string, session = simulator.openSession()): Promise<LessonStep[]> {
  const steps: LessonStep[] = [];
  for (const block of fencedBlocks(markdown)) {
    const firstLine = block.contentStartLine + 1;
    if (SQL_LANGUAGES.has(block.language)) {
      for (const range of scanStatementRanges(block.content, 0).ranges) {
        const raw = block.content.slice(range.start, range.end);
        const text = raw.trim();
        if (text === '' || text === ';' || /^(--[^\n]*\n?\s*)+$/.test(text)) continue;
        const leading = raw.length - raw.trimStart().length;
        const line = firstLine + block.content.slice(0, range.start + leading).split('\n').length - 1;
        const results = await session.execute(text);
        simulator.model.advance(text.startsWith('\\') ? SETTLE_MS : STEP_MS);
        const result = results.find((r) => r.error) ?? results[results.length - 1];
        const step: LessonStep = { line, kind: 'sql', statement: text, simulated: true };
        if (result) step.result = result;
        if (result?.error) step.error = result.error.message;
        steps.push(step);
      }
    } else if (SHELL_LANGUAGES.has(block.language)) {
      for (const command of shellCommands(block.content, firstLine)) {
        steps.push({ line: command.line, kind: 'shell', statement: command.text, ...(await runShell(simulator, session, command.text)) });
        simulator.model.advance(SETTLE_MS);
      }
    }
  }
  return steps;
}

/** A lesson report as text: each step, its result or error. */
export function formatLessonText(file: string, steps: readonly LessonStep[]): string {
  const out: string[] = [];
  for (const step of steps) {
    const first = step.statement.split('\n')[0] ?? '';
    out.push(`${file}:${step.line}: ${first}${step.statement.includes('\n') ? ' …' : ''}`);
    if (step.error) out.push(`  ERROR: ${step.error}`);
    else if (step.result) {
      for (const n of step.result.notices) out.push(`  NOTICE: ${n.message}`);
      if (step.result.fields.length > 0) {
        const table = formatTable({
          columns: step.result.fields.map((f) => f.name),
          rows: step.result.rows.map((r) => r.map((v) => v ?? 'NULL')),
        });
        out.push(
          ...table
            .trimEnd()
            .split('\n')
            .map((l) => `  ${l}`),
        );
      } else out.push(`  ${step.result.tag}`);
    } else if (step.output)
      out.push(
        ...step.output
          .trimEnd()
          .split('\n')
          .map((l) => `  ${l}`),
      );
  }
  const failed = steps.filter((s) => s.error).length;
  const skipped = steps.filter((s) => !s.simulated).length;
  out.push(`${steps.length} step${steps.length === 1 ? '' : 's'}, ${failed} failed, ${skipped} not simulated`);
  return `${out.join('\n')}\n`;
}
