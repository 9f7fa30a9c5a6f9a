// Runs a lesson (Markdown with ```sql blocks) in order on a simulated cluster, statement by
// statement, reporting each result or error with its line. Shell blocks run the `cockroach`
// commands the simulator can stand in for (sql -e, node, workload); others are reported as not
// simulated, never silently skipped.
import { fencedBlocks, SHELL_BLOCK_LANGUAGES, SQL_BLOCK_LANGUAGES } from '../../sql/src/fencedBlocks';
import { lex } from '../../sql/src/lexer';
import { scanStatementRanges } from '../../sql/src/statementRanges';
import { formatTable } from './nodeStatus';
import { runShellLine, shellLines, type ShellSql } from './shell';
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
}

/**
 * Simulated time a reader takes between steps. After a failure command the lesson moves on
 * past CockroachDB's failover bound, as a learner reading "within a few seconds…" would.
 */
const STEP_MS = 1000;
const SETTLE_MS = 10_000;

/** A session as the shell runner's SQL connection. */
export function sessionShell(session: Session): ShellSql {
  return {
    async run(sql: string) {
      return (await session.execute(sql)).map((r) => ({
        columns: r.fields.map((f) => f.name),
        rows: r.rows,
        tag: r.tag,
        notices: r.notices.map((n) => n.message),
        ...(r.error ? { error: r.error.message } : {}),
      }));
    },
  };
}

/** Runs every block of the lesson, in order, on `session`'s cluster. */
export async function runLesson(simulator: Simulator, markdown: string, session = simulator.openSession()): Promise<LessonStep[]> {
  const steps: LessonStep[] = [];
  for (const block of fencedBlocks(markdown)) {
    const firstLine = block.contentStartLine + 1;
    if (SQL_BLOCK_LANGUAGES.has(block.language)) {
      for (const range of scanStatementRanges(block.content, 0).ranges) {
        const raw = block.content.slice(range.start, range.end);
        const text = raw.trim();
        // Nothing to run: only comments, or a lone `;`.
        if (lex(text).tokens.every((t) => t.kind === 'punct' && t.value === ';')) continue;
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
    } else if (SHELL_BLOCK_LANGUAGES.has(block.language)) {
      for (const command of shellLines(block.content)) {
        steps.push({
          line: firstLine + command.line,
          kind: 'shell',
          statement: command.text,
          ...(await runShellLine(sessionShell(session), command.text)),
        });
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
