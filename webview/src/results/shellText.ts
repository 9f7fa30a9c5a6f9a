// A lesson's shell step answers with the lines the command printed (one `output` column). They
// are shown as a terminal shows them: monospace, spaces kept, no wrapping, scrolling sideways,
// so the columns of `cockroach …` output stay lined up. (Tables the host could read back, as
// from `cockroach node status`, arrive as real columns and go to the grid instead.)
import type { StatementView } from '../../../protocol/src/results';

/** Whether the statement is a shell step's printed output (the lab's `SHELL …` tags). */
export function isShellText(statement: StatementView): boolean {
  return (statement.tag ?? '').startsWith('SHELL') && statement.columns.length === 1 && statement.columns[0]?.name === 'output';
}

export function shellTextBlock(): HTMLPreElement {
  const pre = document.createElement('pre');
  pre.className = 'shell-output';
  pre.tabIndex = 0;
  pre.setAttribute('aria-label', 'Command output');
  pre.hidden = true;
  return pre;
}

/** Shows the statement's output lines in `pre`, or hides it when the statement is not shell output. */
export function showShellText(pre: HTMLPreElement, statement: StatementView): void {
  const shown = isShellText(statement);
  pre.hidden = !shown;
  // textContent: the command's output is data, never markup.
  pre.textContent = shown ? statement.rows.map((row) => row[0] ?? '').join('\n') : '';
}
