// The `\!` statement: a shell command typed into the cluster's lab from any SQL client (the
// `cockroach sql` shell's own syntax for running a shell command). Its output comes back as rows
// of one `output` column; the command tag says how the lab stood in for it (SHELL: simulated,
// SHELL HOST: a host step assumed done, SHELL NOT SIMULATED); a failure is an error whose message
// is the program's own error text, with what it printed before in the detail.
import type { QueryResult } from '../sql/result';
import { emptyResult, rowsResult } from '../sql/result';
import { SHELL_TAGS } from '../shell';
import type { Lab, LabRun } from './lab';

/** The SQLSTATE of a shell command that failed (PostgreSQL's system_error: not a SQL error). */
export const SHELL_FAILED = '58000';

/** The command text of a `\!` statement (everything after `\!`, heredoc bodies included). */
export function shellCommandOf(statement: string): string {
  return statement.replace(/^\s*\\!\s?/, '');
}

export function shellResult(statement: string, run: LabRun): QueryResult {
  const lines = run.output === '' ? [] : run.output.split('\n');
  if (run.kind === 'error') {
    const result = emptyResult(statement);
    result.error = {
      severity: 'ERROR',
      code: SHELL_FAILED,
      message: run.error ?? `exit status ${run.status}`,
      detail: `${run.output === '' ? '' : `${run.output}\n`}exit status ${run.status}`,
    };
    return result;
  }
  const result = rowsResult(
    statement,
    ['output'],
    lines.map((line) => [line]),
  );
  result.tag = SHELL_TAGS[run.kind];
  return result;
}

export async function runShellStatement(lab: Lab, statement: string): Promise<QueryResult> {
  return shellResult(statement, await lab.run(shellCommandOf(statement)));
}
