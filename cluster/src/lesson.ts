// Runs a lesson (Markdown with ```sql blocks) in order on a simulated cluster, statement by
// statement, reporting each result or error with its line. Shell blocks are the terminal session
// they show (lab/shellScript.ts): each command — heredoc bodies and continuation lines included —
// and each statement typed at a `cockroach sql` prompt is one step, sent to the cluster's lab as a
// `\!` statement, exactly as the editor sends it. Blocks the prose names as files ("create a file
// named haproxy.cfg with:") are written into the lab's filesystem (lab/configBlocks.ts). Nothing
// is skipped silently: a command the lab cannot stand in for is reported as not simulated.
import { fencedBlocks, SHELL_BLOCK_LANGUAGES, SQL_BLOCK_LANGUAGES } from '../../sql/src/fencedBlocks';
import { lex } from '../../sql/src/lexer';
import { scanStatementRanges } from '../../sql/src/statementRanges';
import { configFileOf, writeFileCommand } from './lab/configBlocks';
import { cockroachState } from './lab/cockroachState';
import { isSqlShellExit, keyPress, sqlPromptLength } from './lab/shellScript';
import { SHELL_TAGS, shellStatement, shellSteps, shellWords } from './shell';
import { formatTable } from './nodeStatus';
import type { Simulator } from './simulator';
import type { QueryResult } from './sql/result';
import type { Session } from './sql/session';

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
  /** A host step (install, download…): assumed done, its output says what is assumed. */
  host?: boolean;
}

/**
 * Simulated time a reader takes between steps. After a shell command (a node started or killed,
 * a workload) the lesson moves on past CockroachDB's failover bound, as a learner reading
 * "within a few seconds…" would.
 */
const STEP_MS = 1000;
const SETTLE_MS = 10_000;

/** A `\!` statement's result as a lesson step. */
export function shellStep(line: number, statement: string, result: QueryResult | undefined): LessonStep {
  const step: LessonStep = { line, kind: 'shell', statement, simulated: true };
  if (!result) return { ...step, error: 'no result' };
  if (result.error) {
    const detail = (result.error.detail ?? '').split('\n');
    // The detail ends with the exit status; what comes before it is what the command printed.
    const printed = detail.slice(0, -1).join('\n');
    if (printed !== '') step.output = printed;
    step.error = result.error.message;
    return step;
  }
  step.output = result.rows.map((r) => r[0] ?? '').join('\n');
  if (result.tag === SHELL_TAGS['not-simulated']) step.simulated = false;
  if (result.tag === SHELL_TAGS.host) step.host = true;
  return step;
}

/**
 * A SQL block as typed at the `cockroach sql` prompt: docs show the prompt before each statement
 * (`> SHOW TABLES;`, `root@localhost:26257/defaultdb> \\demo ls`). A prompt is only where a
 * statement starts — at a line that begins after the previous statements all ended — so a `>`
 * comparison opening a continued line stays SQL. Prompts become spaces: lines and offsets keep
 * their places.
 */
export function withoutSqlPrompts(content: string): string {
  const lines = content.split('\n');
  let before = '';
  return lines
    .map((line, index) => {
      const prompt = atStatementStart(before) ? sqlPromptLength(line) : 0;
      const typed = prompt > 0 ? ' '.repeat(prompt) + line.slice(prompt) : line;
      before += (index > 0 ? '\n' : '') + typed;
      return typed;
    })
    .join('\n');
}

/** Whether every statement of `text` has ended (with `;`, or a `\\command`'s line), so the next line starts a new one. */
function atStatementStart(text: string): boolean {
  const ranges = scanStatementRanges(text, 0).ranges;
  const last = ranges[ranges.length - 1];
  if (!last) return true;
  const statement = text.slice(last.start, last.end).trim();
  return statement.endsWith(';') || statement.startsWith('\\') || lex(statement).tokens.length === 0;
}

/** Whether a command line runs `cockroach demo`, which starts a cluster of its own. */
function startsNewCluster(command: string): boolean {
  const words = shellWords(command);
  return words[0]?.replace(/^.*\//, '') === 'cockroach' && words[1] === 'demo';
}

/** Runs every block of the lesson, in order, on `session`'s cluster. */
export async function runLesson(simulator: Simulator, markdown: string, session = simulator.openSession()): Promise<LessonStep[]> {
  const steps: LessonStep[] = [];
  const lines = markdown.split(/\r?\n/);
  const blocks = fencedBlocks(markdown);
  const shell = async (line: number, statement: string, settleMs: number): Promise<void> => {
    // `cockroach demo` replaces the cluster: the connections to the old one are gone, and with
    // them any transaction the lesson's SQL left open (a docs snippet's `BEGIN; SELECT ...`).
    if (startsNewCluster(statement)) {
      if (session.status !== 'I') await session.execute('ROLLBACK');
      await leaveShell();
    }
    const [result] = await session.execute(shellStatement({ kind: 'shell', text: statement }));
    steps.push(shellStep(line, statement, result));
    simulator.model.advance(settleMs);
    adoptShell();
  };
  // The SQL shell a shell block opened (cockroach demo, an interactive cockroach sql): the SQL
  // blocks after it are typed there, on its connection and database, until \q or another shell
  // opens. Docs run their other commands "in a new terminal", so the lesson keeps this shell
  // open past them: it takes the connection over from the lab's terminal.
  let sqlShell: Session | undefined;
  const leaveShell = async (): Promise<void> => {
    if (sqlShell) await simulator.closeSession(sqlShell);
    sqlShell = undefined;
  };
  const adoptShell = (): void => {
    const state = cockroachState(simulator.lab);
    if (!state.prompt) return;
    const opened = state.prompt.session;
    state.prompt = undefined;
    if (sqlShell && sqlShell !== opened) void simulator.closeSession(sqlShell);
    sqlShell = opened;
  };
  const sql = async (line: number, text: string, on: Session): Promise<void> => {
    const results = await on.execute(text);
    simulator.model.advance(text.startsWith('\\') ? SETTLE_MS : STEP_MS);
    const result = results.find((r) => r.error) ?? results[results.length - 1];
    const step: LessonStep = { line, kind: 'sql', statement: text, simulated: true };
    if (result) step.result = result;
    if (result?.error) step.error = result.error.message;
    steps.push(step);
  };
  for (const [index, block] of blocks.entries()) {
    const firstLine = block.contentStartLine + 1;
    if (SQL_BLOCK_LANGUAGES.has(block.language)) {
      const content = withoutSqlPrompts(block.content);
      for (const range of scanStatementRanges(content, 0).ranges) {
        const raw = content.slice(range.start, range.end);
        const text = raw.trim();
        // Nothing to run: only comments, or a lone `;`.
        if (lex(text).tokens.every((t) => t.kind === 'punct' && t.value === ';')) continue;
        const leading = raw.length - raw.trimStart().length;
        const line = firstLine + content.slice(0, range.start + leading).split('\n').length - 1;
        // After `cockroach demo` or an interactive `cockroach sql` in a shell block, SQL is typed
        // into that shell, on its connection and database; `\\q` (or exit, quit) leaves it.
        if (sqlShell && isSqlShellExit(text)) {
          await leaveShell();
          continue;
        }
        await sql(line, text, sqlShell ?? session);
      }
    } else if (SHELL_BLOCK_LANGUAGES.has(block.language)) {
      for (const command of shellSteps(block.content, (name) => simulator.lab.knows(name))) {
        const line = firstLine + command.line;
        if (command.kind === 'sql' && sqlShell) await sql(line, command.text, sqlShell);
        else if (command.kind === 'sql') {
          const [result] = await session.execute(shellStatement(command));
          steps.push(shellStep(line, command.text, result));
          simulator.model.advance(STEP_MS);
          adoptShell();
        } else if (keyPress(command.text) !== undefined) {
          const key = keyPress(command.text);
          const left = key === 'end of input' && sqlShell !== undefined;
          if (left) await leaveShell();
          steps.push({
            line,
            kind: 'shell',
            statement: command.text,
            simulated: true,
            output: left ? 'the SQL shell ends (end of input)' : `key press (${key ?? ''}): nothing runs in the foreground`,
          });
        } else await shell(line, command.text, SETTLE_MS);
      }
    } else {
      const file = configFileOf(lines, block, blocks[index - 1]);
      if (file !== undefined) await shell(firstLine, writeFileCommand(file, block.content), 0);
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
      // As cockroach sql prints them: NOTICE, or WARNING (there is no transaction in progress).
      for (const n of step.result.notices) out.push(`  ${n.severity === 'WARNING' ? 'WARNING' : 'NOTICE'}: ${n.message}`);
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
  const host = steps.filter((s) => s.host).length;
  out.push(
    `${steps.length} step${steps.length === 1 ? '' : 's'}, ${failed} failed, ${skipped} not simulated${host > 0 ? `, ${host} host step${host === 1 ? '' : 's'} assumed` : ''}`,
  );
  return `${out.join('\n')}\n`;
}
