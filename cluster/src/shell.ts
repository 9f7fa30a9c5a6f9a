// A lesson's shell blocks as clients send them to the simulated cluster: each command of the
// block (heredoc bodies and continuation lines included) and each statement typed at a
// `cockroach sql` prompt is one `\! …` statement, run in the cluster's lab (lab/lab.ts), which
// answers with rows of one `output` column and a tag saying how it stood in for the command.
// `crdb-studio lesson` and the editor's "Run shell block" both go through here, so a lesson runs
// the same way in both.
import { parseCommandLine, shellSteps, unquote, type ShellStep } from './lab/shellScript';

export { shellSteps, type ShellStep };
export { configFileOf, writeFileCommand } from './lab/configBlocks';

/** Command tags of a `\!` statement: simulated, a host step assumed done, or not simulated. */
export const SHELL_TAGS = { simulated: 'SHELL', host: 'SHELL HOST', 'not-simulated': 'SHELL NOT SIMULATED' } as const;

/** The `\!` statement that types a step into the lab (SQL typed at the prompt keeps a `>` prompt). */
export function shellStatement(step: Pick<ShellStep, 'kind' | 'text'>): string {
  return `\\! ${step.kind === 'sql' ? `> ${step.text}` : step.text}`;
}

/** How the lab stood in for a command, from its result's tag. */
export function shellOutcomeOf(tag: string): 'simulated' | 'host' | 'not-simulated' {
  return tag === SHELL_TAGS.host ? 'host' : tag === SHELL_TAGS['not-simulated'] ? 'not-simulated' : 'simulated';
}

/** The words of a command line's first command as the shell passes them (quotes removed, nothing expanded). */
export function shellWords(line: string): string[] {
  const first = parseCommandLine(line)[0]?.pipeline.commands[0];
  return first ? [...first.assignments.map((a) => `${a.name}=${unquote(a.value)}`), ...first.words.map(unquote)] : [];
}
