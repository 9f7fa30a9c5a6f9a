// What a lesson notebook shows under a cell, as HTML for the notebook's built-in text/html
// renderer: result sets as tables, EXPLAIN plans and shell output as monospace text that keeps its
// columns, errors with their SQLSTATE. Everything from the cluster is escaped; the HTML carries
// no script and no attribute built from data, so a value can never become markup.
import { formatTable } from '../../../cluster/src/nodeStatus';
import type { Notice } from '../../../protocol/src/results';

export interface OutputColumn {
  name: string;
  type: string;
}

/** One statement's result, as the notebook shows it. */
export interface StatementResult {
  statement: string;
  columns: readonly OutputColumn[];
  rows: readonly (readonly (string | null)[])[];
  /** More rows exist than `rows` holds (not fetched). */
  hasMore: boolean;
  tag?: string;
  rowCount?: number;
  elapsedMs?: number;
  simulatedLatencyMs?: number;
  notices: readonly Notice[];
  note?: string;
  /** A shell step (its tag starts with SHELL). */
  shell: boolean;
  error?: { code?: string; message: string; detail?: string; hint?: string };
}

/** Rows shown inline; the rest is counted (a notebook is read, not scrolled through). */
export const MAX_INLINE_ROWS = 200;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

// Theme colours through VS Code's CSS variables; the class names are scoped by the `crdb-` prefix.
const STYLE = `<style>
.crdb-out{font-family:var(--vscode-font-family);font-size:var(--vscode-font-size)}
.crdb-out table{border-collapse:collapse;font-family:var(--vscode-editor-font-family);font-size:var(--vscode-editor-font-size)}
.crdb-out th,.crdb-out td{border:1px solid var(--vscode-panel-border,#8884);padding:2px 8px;text-align:left;white-space:pre;vertical-align:top}
.crdb-out th{font-weight:600}
.crdb-out th small{font-weight:400;opacity:.7;margin-left:4px}
.crdb-out td.num{text-align:right}
.crdb-out td.null{opacity:.6;font-style:italic}
.crdb-out .scroll{overflow-x:auto;max-width:100%}
.crdb-out pre{margin:0;padding-bottom:3px;line-height:1.4;white-space:pre;overflow-x:auto;font-family:var(--vscode-editor-font-family);font-size:var(--vscode-editor-font-size)}
.crdb-out .meta{opacity:.75;margin:2px 0}
.crdb-out .error{color:var(--vscode-errorForeground)}
.crdb-out .note,.crdb-out .notice{margin:2px 0}
</style>`;

const NUMERIC = new Set(['INT2', 'INT4', 'INT8', 'FLOAT4', 'FLOAT8', 'DECIMAL', 'NUMERIC', 'OID']);

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** An EXPLAIN's plan: one `info` column of tree lines, shown as the tree it draws. */
export function isPlan(result: Pick<StatementResult, 'columns'>): boolean {
  return result.columns.length === 1 && result.columns[0]?.name === 'info';
}

/** The lab's printed lines: one `output` column. */
function isPrinted(result: StatementResult): boolean {
  return result.shell && result.columns.length === 1 && result.columns[0]?.name === 'output';
}

function meta(result: StatementResult): string {
  const parts: string[] = [];
  if (result.columns.length > 0 && !isPrinted(result) && !isPlan(result)) {
    const count = Math.max(result.rowCount ?? 0, result.rows.length);
    parts.push(result.hasMore ? `${count.toLocaleString('en-US')}+ rows` : plural(count, 'row'));
  } else if (result.columns.length === 0 && result.tag !== undefined) {
    parts.push(result.tag + (result.rowCount !== undefined && result.rowCount > 0 ? ` (${plural(result.rowCount, 'row')})` : ''));
  }
  if (result.elapsedMs !== undefined) parts.push(`${Math.round(result.elapsedMs).toLocaleString('en-US')} ms`);
  if (result.simulatedLatencyMs !== undefined)
    parts.push(`simulated latency ${Math.round(result.simulatedLatencyMs).toLocaleString('en-US')} ms`);
  return parts.length > 0 ? `<div class="meta">${escapeHtml(parts.join(' · '))}</div>` : '';
}

function table(result: StatementResult): string {
  const head = result.columns.map((c) => `<th>${escapeHtml(c.name)}<small>${escapeHtml(c.type)}</small></th>`).join('');
  const numeric = result.columns.map((c) => NUMERIC.has(c.type.toUpperCase()));
  const shown = result.rows.slice(0, MAX_INLINE_ROWS);
  const body = shown
    .map(
      (row) =>
        `<tr>${result.columns
          .map((_, i) => {
            const value = row[i];
            if (value === null || value === undefined) return '<td class="null">NULL</td>';
            return `<td${numeric[i] === true ? ' class="num"' : ''}>${escapeHtml(value)}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('');
  const rest = result.rows.length - shown.length;
  const more =
    rest > 0 || result.hasMore
      ? `<div class="meta">${escapeHtml(
          rest > 0
            ? `${plural(rest, 'more row')} not shown here${result.hasMore ? ', and more on the server' : ''}`
            : 'More rows on the server, not fetched',
        )}; run the statement from the editor to page through them in the results view.</div>`
      : '';
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>${more}`;
}

function lines(result: StatementResult): string {
  return `<pre>${escapeHtml(result.rows.map((row) => row[0] ?? '').join('\n'))}</pre>`;
}

function errorBlock(error: NonNullable<StatementResult['error']>): string {
  const parts = [`<div class="error"><strong>ERROR:</strong> ${escapeHtml(error.message)}</div>`];
  if (error.code) parts.push(`<div class="error">SQLSTATE: ${escapeHtml(error.code)}</div>`);
  if (error.detail) parts.push(`<div>DETAIL: ${escapeHtml(error.detail)}</div>`);
  if (error.hint) parts.push(`<div>HINT: ${escapeHtml(error.hint)}</div>`);
  return parts.join('');
}

/** A notice as `cockroach sql` prints it: `NOTICE: …`, `WARNING: …`. */
function noticeLine(notice: Notice): string {
  return `${notice.severity}: ${notice.message}`;
}

/** One statement's result as HTML (the statement itself is shown when the cell has several). */
export function resultHtml(result: StatementResult, showStatement: boolean): string {
  const parts: string[] = [STYLE, '<div class="crdb-out">'];
  if (showStatement) parts.push(`<pre class="meta">${escapeHtml(result.statement)}</pre>`);
  if (result.error) parts.push(errorBlock(result.error));
  if (result.note) parts.push(`<div class="note">${escapeHtml(result.note)}</div>`);
  for (const notice of result.notices) parts.push(`<div class="notice">${escapeHtml(noticeLine(notice))}</div>`);
  if (!result.error && result.columns.length > 0) parts.push(isPrinted(result) || isPlan(result) ? lines(result) : table(result));
  parts.push(meta(result), '</div>');
  return parts.join('');
}

/** The same result as plain text (copy, screen readers, other renderers): what `cockroach sql` prints. */
export function resultText(result: StatementResult): string {
  const out: string[] = [];
  if (result.error) {
    out.push(`ERROR: ${result.error.message}`);
    if (result.error.code) out.push(`SQLSTATE: ${result.error.code}`);
    if (result.error.detail) out.push(`DETAIL: ${result.error.detail}`);
    if (result.error.hint) out.push(`HINT: ${result.error.hint}`);
  }
  if (result.note) out.push(result.note);
  for (const notice of result.notices) out.push(noticeLine(notice));
  if (!result.error && result.columns.length > 0) {
    if (isPrinted(result) || isPlan(result)) out.push(...result.rows.map((row) => row[0] ?? ''));
    else
      out.push(
        formatTable({
          columns: result.columns.map((c) => c.name),
          rows: result.rows.slice(0, MAX_INLINE_ROWS).map((row) => row.map((v) => v ?? 'NULL')),
        }).trimEnd(),
      );
  } else if (!result.error && result.tag !== undefined) out.push(result.tag);
  return out.join('\n');
}
