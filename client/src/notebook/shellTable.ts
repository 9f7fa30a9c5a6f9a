// The tables `cockroach node status` and `cockroach sql -e` print, read back into columns and
// rows. The lab answers a shell step with its output as lines (one `output` column); for these
// two commands the lines are a table in CockroachDB's table format, which a grid shows better
// than text: every column, the real row count. Anything else stays text.
import { shellWords } from '../../../cluster/src/shell';
import type { StatementOutcome } from '../../../runner/src/types';

export interface PrintedTable {
  columns: string[];
  rows: string[][];
}

/** Whether a command line runs `cockroach node status` or `cockroach sql -e/--execute`. */
export function printsTable(command: string): boolean {
  let words: string[];
  try {
    words = shellWords(command);
  } catch {
    return false;
  }
  while (words[0]?.includes('=') === true) words.shift();
  const program = words[0] ?? '';
  if (program !== 'cockroach' && !program.endsWith('/cockroach')) return false;
  if (words[1] === 'node' && words[2] === 'status') return true;
  return words[1] === 'sql' && words.slice(2).some((w) => w === '-e' || w === '--execute' || w.startsWith('--execute='));
}

/** `----+-----+--`: the line under a table's header. */
function isRule(line: string): boolean {
  const text = line.trim();
  if (text === '' || !text.startsWith('-')) return false;
  for (const c of text) if (c !== '-' && c !== '+') return false;
  return !text.includes('++') && !text.endsWith('+');
}

const FOOTER = /^\((\d+) rows?\)$/;

/** Cuts a printed line at the rule's `+` positions (the table's `|` columns), cells trimmed. */
function cut(line: string, pluses: readonly number[]): string[] {
  const cells: string[] = [];
  let from = 0;
  for (const at of pluses) {
    cells.push(line.slice(from, at).trim());
    from = at + 1;
  }
  cells.push(line.slice(from).trim());
  return cells;
}

/**
 * The one table in `lines` (header, rule, rows, `(N rows)`), or undefined when the lines are not
 * exactly one such table (a notice, a second table, an error: the caller keeps the text).
 */
export function parsePrintedTable(lines: readonly string[]): PrintedTable | undefined {
  // The header is the first line printed and the rule the one under it: a header that is all
  // dashes (a column named "-") must not be taken for the rule.
  const rule = lines.findIndex((line) => line.trim() !== '') + 1;
  if (rule < 1 || !isRule(lines[rule] ?? '')) return undefined;
  const header = lines[rule - 1] ?? '';
  const ruleLine = lines[rule] ?? '';
  const pluses: number[] = [];
  for (let at = ruleLine.indexOf('+'); at >= 0; at = ruleLine.indexOf('+', at + 1)) pluses.push(at);
  // The header's separators sit where the rule has its pluses.
  if (header.trim() === '' || pluses.some((at) => header[at] !== '|')) return undefined;
  const columns = cut(header, pluses);
  const rows: string[][] = [];
  let footer: number | undefined;
  let end = rule + 1;
  for (; end < lines.length; end++) {
    const line = lines[end] ?? '';
    const counted = FOOTER.exec(line.trim());
    if (counted) {
      footer = Number(counted[1]);
      end++;
      break;
    }
    if (line.trim() === '') break;
    if (pluses.some((at) => line.length > at && line[at] !== '|')) return undefined;
    rows.push(cut(line, pluses));
  }
  if (lines.slice(end).some((l) => l.trim() !== '')) return undefined;
  // A value spanning lines prints its later lines in rows of their own, the first cell empty:
  // join them to the row they continue, so the grid has the rows the footer counts.
  if (footer !== undefined && rows.length > footer) {
    const joined: string[][] = [];
    for (const row of rows) {
      const previous = joined[joined.length - 1];
      if (previous && row[0] === '')
        row.forEach((cell, i) => {
          if (cell !== '') previous[i] = `${previous[i] ?? ''}\n${cell}`;
        });
      else joined.push([...row]);
    }
    return joined.length === footer ? { columns, rows: joined } : undefined;
  }
  if (footer !== undefined && rows.length !== footer) return undefined;
  return { columns, rows };
}

/**
 * A shell step's outcome with its output as a table, when the command prints one and the output
 * is one table; otherwise the outcome as it came (one `output` line per row).
 */
export function tabulateShellOutcome(command: string, outcome: StatementOutcome): StatementOutcome {
  if (outcome.error || !printsTable(command) || outcome.columns.length !== 1) return outcome;
  const table = parsePrintedTable(outcome.rows.map((row) => row[0] ?? ''));
  if (!table) return outcome;
  return {
    ...outcome,
    columns: table.columns.map((name) => ({ name, type: 'STRING', typeOid: 25 })),
    rows: table.rows,
    rowCount: table.rows.length,
  };
}
