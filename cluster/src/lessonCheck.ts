// Checks a lesson's results against the output the lesson prints after each step, as
// CockroachDB's docs tutorials (and this repository's lessons) do: a fenced block with no
// language (or `text`/`output`) right after a ```sql or ```shell block shows what running it
// prints. The printed output is read as `cockroach sql` prints it — tables with a `(N rows)`
// footer, command tags, `ERROR:`/`SQLSTATE:`/`HINT:` lines, `NOTICE:` lines — and compared
// with what the simulated cluster returned.
//
// What is compared, and what is not (so a lesson can print real output from a real cluster):
// - columns: the same names, in order, always;
// - rows: the same count, unless the printed output elides rows with a `...` line (then every
//   printed row must be among the returned ones);
// - values: equal after trimming, except in volatile columns, whose values differ from one
//   cluster or run to the next: identifiers (`id`, `*_id`, `*_ids`, `lease_holder`, `replicas`
//   and the other replica lists, `node`), times (`*time*`, `*_at`, `*timestamp*`, `created`,
//   `started`, `updated`, `since`, `age`, `expiration`), latencies (`*latency*`, `*_ms`,
//   `duration`, `elapsed`), sizes (`*bytes*`, `*size*`, `capacity`, `available`, `used`),
//   statistics (`estimated_row_count`, from whenever statistics were last collected), and
//   addresses (`address`, `sql_address`, `build`, `url`);
// - inside any value or line, URLs (they carry ports, users and passwords), UUIDs, timestamps,
//   durations with a unit (`5ms`, `1.2s`), byte sizes (`64 MiB`) and `N minutes ago` are
//   compared by shape, not by value;
// - command tags: equal (`INSERT 0 1` and `INSERT 1` are the same tag);
// - errors: the same message, and the same SQLSTATE when the output prints one;
// - notices: compared only when the printed output shows some;
// - anything else (free text): line by line, with the volatile shapes above normalised; a
//   client-side `\` command's message (sent as a notice by the simulated cluster) is such text.
// A `console` block is not taken as printed output: lessons run it as shell commands.
import { fencedBlocks, SHELL_BLOCK_LANGUAGES, SQL_BLOCK_LANGUAGES, type FencedBlock } from '../../sql/src/fencedBlocks';
import type { LessonStep } from './lesson';

/** Info strings of a block that shows printed output. */
const OUTPUT_BLOCK_LANGUAGES: ReadonlySet<string> = new Set(['', 'text', 'txt', 'output']);

/** One thing `cockroach sql` prints for a statement. */
export type PrintedItem =
  | { kind: 'table'; columns: string[]; rows: string[][]; elided: boolean }
  | { kind: 'tag'; text: string }
  | { kind: 'error'; message: string; code?: string }
  | { kind: 'notice'; text: string }
  | { kind: 'text'; lines: string[] };

export type StepVerdict = 'faithful' | 'differs' | 'no expected output';

export interface StepCheck {
  line: number;
  statement: string;
  verdict: StepVerdict;
  /** The first difference, for a step that differs. */
  difference?: string;
  /** 1-based line of the printed output block the step was compared with. */
  expectedLine?: number;
}

export interface LessonCheck {
  steps: StepCheck[];
  /** Steps with printed output, and how many of them match. */
  compared: number;
  matched: number;
}

// ---- reading printed output ----------------------------------------------------------------

const ROW_FOOTER = /^\((\d+) rows?\)$/;
const ELLIPSIS = /^(\.\.\.|…)(.*output snipped.*)?$/i;

function isSeparator(line: string): boolean {
  const t = line.trim();
  return t.length > 0 && t.includes('-') && /^[-+|\s]+$/.test(t);
}

function cells(line: string): string[] {
  let t = line.trim();
  // psql-style borders on both sides; a single leading `|` is an empty first cell instead.
  if (t.length > 1 && t.startsWith('|') && t.endsWith('|')) t = t.slice(1, -1);
  return t.split('|').map((c) => c.trim());
}

function isTagLine(line: string): boolean {
  // Command tags are upper-case words, optionally followed by counts: `CREATE TABLE`, `INSERT 0 1`.
  return /^[A-Z][A-Z_]*( [A-Z_]+)*( \d+)*$/.test(line.trim());
}

/** Reads an output block (or a shell step's output) into what `cockroach sql` printed. */
export function readPrinted(text: string): PrintedItem[] {
  const lines = text.split('\n').map((l) => l.replace(/\s+$/, ''));
  const items: PrintedItem[] = [];
  let freeText: string[] = [];
  const flushText = (): void => {
    while (freeText.length > 0 && freeText[freeText.length - 1] === '') freeText.pop();
    if (freeText.some((l) => l.trim() !== '')) items.push({ kind: 'text', lines: freeText.map((l) => l.trim()) });
    freeText = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const t = line.trim();
    if (t === '' && freeText.length === 0) continue;
    // `cockroach sql`'s timing line, and the prompt echo some docs show, are not output.
    if (/^Time: /.test(t) || /^>\s/.test(t)) continue;
    if (t.startsWith('ERROR: ')) {
      flushText();
      const error: PrintedItem = { kind: 'error', message: t.slice('ERROR: '.length) };
      while (i + 1 < lines.length && /^(SQLSTATE|HINT|DETAIL|See|Failed running)/.test((lines[i + 1] ?? '').trim())) {
        const next = (lines[++i] ?? '').trim();
        if (next.startsWith('SQLSTATE: ')) error.code = next.slice('SQLSTATE: '.length).trim();
      }
      items.push(error);
      continue;
    }
    if (t.startsWith('NOTICE: ') || t.startsWith('WARNING: ')) {
      flushText();
      items.push({ kind: 'notice', text: t.slice(t.indexOf(': ') + 2) });
      continue;
    }
    if (i + 1 < lines.length && isSeparator(lines[i + 1] ?? '') && !isSeparator(line) && t !== '') {
      flushText();
      const columns = cells(line);
      const raw: string[][] = [];
      let footer: number | undefined;
      let elided = false;
      let j = i + 2;
      for (; j < lines.length; j++) {
        const row = (lines[j] ?? '').trim();
        const count = ROW_FOOTER.exec(row);
        if (count) {
          footer = Number(count[1]);
          break;
        }
        // EXPLAIN's one column prints blank lines between its plan's parts: a blank line is a
        // row there while more rows follow; elsewhere it ends the table.
        if (row === '' && !(columns.length === 1 && continuesTable(lines, j))) break;
        if (ELLIPSIS.test(row)) {
          elided = true;
          continue;
        }
        if (isSeparator(row)) continue;
        raw.push(cells(lines[j] ?? ''));
      }
      i = j;
      items.push({ kind: 'table', columns, rows: joinContinuations(raw, footer), elided });
      continue;
    }
    if (freeText.length === 0 && isTagLine(line)) {
      items.push({ kind: 'tag', text: t });
      continue;
    }
    freeText.push(line);
  }
  flushText();
  return items;
}

/** Whether non-blank lines after the blank line `at` still belong to the table being read. */
function continuesTable(lines: readonly string[], at: number): boolean {
  let next = at + 1;
  while (next < lines.length && (lines[next] ?? '').trim() === '') next++;
  if (next >= lines.length) return false;
  const t = (lines[next] ?? '').trim();
  if (t.startsWith('ERROR: ') || t.startsWith('NOTICE: ') || t.startsWith('WARNING: ') || isSeparator(lines[next + 1] ?? '')) return false;
  return true;
}

/**
 * A value spanning lines (SHOW CREATE's statement) prints its later lines as rows whose other
 * cells are empty; with the footer's count fewer than the lines read, those are joined back.
 */
function joinContinuations(raw: string[][], footer: number | undefined): string[][] {
  if (footer === undefined || footer >= raw.length) return raw;
  const rows: string[][] = [];
  for (const row of raw) {
    const previous = rows[rows.length - 1];
    if (previous && (row[0] ?? '') === '') {
      row.forEach((cell, i) => {
        if (cell !== '') previous[i] = `${previous[i] ?? ''}\n${cell}`;
      });
    } else rows.push([...row]);
  }
  return rows;
}

// ---- what the step returned ------------------------------------------------------------------

function returned(step: LessonStep): PrintedItem[] {
  if (step.kind === 'shell') {
    if (step.error !== undefined) return [{ kind: 'error', message: step.error.replace(/^(ERROR: )+/, '') }];
    return readPrinted(step.output ?? '');
  }
  const result = step.result;
  if (!result) return step.error !== undefined ? [{ kind: 'error', message: step.error }] : [];
  // A client-side `\` command (`\demo shutdown 3`) prints its message as a plain line; the
  // simulated cluster can only send it as a notice, so read its notices as that text.
  if (step.statement.startsWith('\\') && !result.error && result.fields.length === 0)
    return result.notices.length > 0
      ? [{ kind: 'text', lines: result.notices.flatMap((n) => n.message.split('\n').map((l) => l.trim())) }]
      : [];
  const items: PrintedItem[] = result.notices.map((n) => ({ kind: 'notice', text: n.message }));
  if (result.error) items.push({ kind: 'error', message: result.error.message, code: result.error.code });
  else if (result.fields.length > 0)
    items.push({
      kind: 'table',
      columns: result.fields.map((f) => f.name),
      rows: result.rows.map((r) => r.map((v) => v ?? 'NULL')),
      elided: false,
    });
  else if (result.tag !== '') items.push({ kind: 'tag', text: result.tag });
  return items;
}

// ---- comparing -----------------------------------------------------------------------------

const VOLATILE_NAMES = new Set([
  'id',
  'lease_holder',
  'leaseholder',
  'replicas',
  'voting_replicas',
  'non_voting_replicas',
  'learner_replicas',
  'replica_localities',
  'node',
  'created',
  'started',
  'updated',
  'since',
  'age',
  'expiration',
  'duration',
  'elapsed',
  'capacity',
  'available',
  'used',
  'address',
  'sql_address',
  'build',
  'url',
  'estimated_row_count',
]);
const VOLATILE_PARTS = ['time', 'timestamp', 'latency', 'bytes', 'size'];

/** Whether a column's values change from one cluster or run to the next (see the header). */
export function isVolatileColumn(name: string): boolean {
  const n = name.toLowerCase();
  if (VOLATILE_NAMES.has(n)) return true;
  if (n.endsWith('_id') || n.endsWith('_ids') || n.endsWith('_at') || n.endsWith('_ms')) return true;
  return VOLATILE_PARTS.some((part) => n.includes(part));
}

/** A value with its volatile parts replaced by their shape. */
export function normalizeValue(value: string): string {
  return value
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?(\s?[+-]\d{2}(:?\d{2})?|Z)?/g, '<timestamp>')
    .replace(/\d+(\.\d+)?\s?(ns|µs|us|ms|s|m|h)\b/g, '<duration>')
    .replace(/\d+(\.\d+)?\s?(B|KiB|MiB|GiB|TiB|KB|MB|GB)\b/g, '<size>')
    .replace(/\d+ (second|minute|hour|day)s? ago/g, '<age>')
    .replace(/\s+/g, ' ')
    .trim();
}

function describe(item: PrintedItem): string {
  switch (item.kind) {
    case 'table':
      return `a table (${item.columns.join(', ')}) of ${item.rows.length} row${item.rows.length === 1 ? '' : 's'}`;
    case 'tag':
      return item.text;
    case 'error':
      return `ERROR: ${item.message}`;
    case 'notice':
      return `NOTICE: ${item.text}`;
    case 'text':
      return `text "${item.lines[0] ?? ''}"`;
  }
}

function sameTag(a: string, b: string): boolean {
  const canonical = (t: string): string => t.trim().replace(/^INSERT 0 (\d+)$/, 'INSERT $1');
  return canonical(a) === canonical(b);
}

function rowKey(row: readonly string[], keep: readonly boolean[]): string {
  return JSON.stringify(row.map((v, i) => (keep[i] ? normalizeValue(v) : '')));
}

/** The first difference between a printed item and a returned one, or undefined. */
export function firstDifference(expected: PrintedItem, actual: PrintedItem | undefined): string | undefined {
  if (!actual) return `expected ${describe(expected)}, got nothing`;
  if (expected.kind !== actual.kind) {
    // A tag-like line the reader could not tell from text: compare as text.
    if (expected.kind === 'tag' && actual.kind === 'text' && actual.lines.length === 1 && sameTag(expected.text, actual.lines[0] ?? ''))
      return undefined;
    return `expected ${describe(expected)}, got ${describe(actual)}`;
  }
  switch (expected.kind) {
    case 'tag':
      return sameTag(expected.text, (actual as { text: string }).text)
        ? undefined
        : `expected ${expected.text}, got ${(actual as { text: string }).text}`;
    case 'notice': {
      const got = (actual as { text: string }).text;
      return normalizeValue(expected.text) === normalizeValue(got) ? undefined : `expected NOTICE: ${expected.text}, got NOTICE: ${got}`;
    }
    case 'error': {
      const got = actual as { message: string; code?: string };
      if (normalizeValue(expected.message) !== normalizeValue(got.message))
        return `expected ERROR: ${expected.message}, got ERROR: ${got.message}`;
      if (expected.code !== undefined && got.code !== undefined && expected.code !== got.code)
        return `expected SQLSTATE ${expected.code}, got ${got.code}`;
      return undefined;
    }
    case 'text': {
      const got = (actual as { lines: string[] }).lines;
      for (let i = 0; i < expected.lines.length; i++) {
        const want = expected.lines[i] ?? '';
        if (ELLIPSIS.test(want)) return undefined;
        if (normalizeValue(want) !== normalizeValue(got[i] ?? '')) return `line ${i + 1}: expected "${want}", got "${got[i] ?? ''}"`;
      }
      return got.length > expected.lines.length ? `expected ${expected.lines.length} lines, got ${got.length}` : undefined;
    }
    case 'table':
      return tableDifference(expected, actual as Extract<PrintedItem, { kind: 'table' }>);
  }
}

function tableDifference(
  expected: Extract<PrintedItem, { kind: 'table' }>,
  actual: Extract<PrintedItem, { kind: 'table' }>,
): string | undefined {
  if (expected.columns.join('|') !== actual.columns.join('|'))
    return `expected columns (${expected.columns.join(', ')}), got (${actual.columns.join(', ')})`;
  const keep = expected.columns.map((c) => !isVolatileColumn(c));
  if (!expected.elided) {
    if (expected.rows.length !== actual.rows.length) return `expected ${expected.rows.length} rows, got ${actual.rows.length}`;
    for (let r = 0; r < expected.rows.length; r++) {
      const want = expected.rows[r] ?? [];
      const got = actual.rows[r] ?? [];
      for (let c = 0; c < expected.columns.length; c++) {
        if (!keep[c]) continue;
        if (normalizeValue(want[c] ?? '') !== normalizeValue(got[c] ?? ''))
          return `row ${r + 1}, column ${expected.columns[c] ?? ''}: expected ${JSON.stringify(want[c] ?? '')}, got ${JSON.stringify(got[c] ?? '')}`;
      }
    }
    return undefined;
  }
  const present = new Set(actual.rows.map((row) => rowKey(row, keep)));
  const missing = expected.rows.find((row) => !present.has(rowKey(row, keep)));
  return missing ? `expected a row (${missing.join(', ')}), not among the ${actual.rows.length} returned` : undefined;
}

// ---- pairing steps with printed output -------------------------------------------------------

function isStepBlock(block: FencedBlock): boolean {
  return SQL_BLOCK_LANGUAGES.has(block.language) || SHELL_BLOCK_LANGUAGES.has(block.language);
}

/** The output block printed directly after `block` (only blank lines between), if any. */
function printedAfter(lines: readonly string[], blocks: readonly FencedBlock[], index: number): FencedBlock | undefined {
  const block = blocks[index];
  const next = blocks[index + 1];
  if (!block || !next || !OUTPUT_BLOCK_LANGUAGES.has(next.language)) return undefined;
  for (let l = block.endLine + 1; l < next.fenceLine; l++) if ((lines[l] ?? '').trim() !== '') return undefined;
  return next;
}

/**
 * Pairs each step with the output printed after its block and compares them. A block's printed
 * items are matched to the results of its last statements, in order (docs often print only the
 * last statement's output); notices count only when the printed output shows some.
 */
export function checkLesson(markdown: string, steps: readonly LessonStep[]): LessonCheck {
  const lines = markdown.split(/\r?\n/);
  const blocks = fencedBlocks(markdown);
  const checks: StepCheck[] = steps.map((s) => ({ line: s.line, statement: s.statement, verdict: 'no expected output' }));
  blocks.forEach((block, index) => {
    if (!isStepBlock(block)) return;
    const output = printedAfter(lines, blocks, index);
    if (!output) return;
    // Steps' lines are 1-based; the block's content spans its 0-based lines after the fence.
    const members = steps
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => s.line - 1 > block.fenceLine && s.line - 1 < block.endLine + (block.endLine === lines.length - 1 ? 1 : 0));
    if (members.length === 0) return;
    const expected = readPrinted(output.content);
    const showsNotices = expected.some((e) => e.kind === 'notice');
    const perStep = members.map(({ s }) => returned(s).filter((item) => showsNotices || item.kind !== 'notice'));
    const countable = expected.filter((e) => showsNotices || e.kind !== 'notice');
    // Walk back from the last statement, giving each its printed items from the end.
    let cursor = countable.length;
    for (let m = members.length - 1; m >= 0 && cursor > 0; m--) {
      const got = perStep[m] ?? [];
      const take = Math.min(Math.max(got.length, 1), cursor);
      const want = countable.slice(cursor - take, cursor);
      cursor -= take;
      const check = checks[members[m]?.i ?? -1];
      if (!check) continue;
      check.expectedLine = output.contentStartLine + 1;
      const difference = want.map((w, k) => firstDifference(w, got[got.length - want.length + k])).find((d) => d !== undefined);
      check.verdict = difference === undefined ? 'faithful' : 'differs';
      if (difference !== undefined) check.difference = difference;
    }
    // Printed items left over: the docs show more output than the block's statements gave.
    const first = members[0];
    if (cursor > 0 && first) {
      const check = checks[first.i];
      if (check && check.verdict !== 'differs') {
        check.verdict = 'differs';
        check.expectedLine = output.contentStartLine + 1;
        check.difference = `the printed output has ${countable.length} results, the block's statements gave ${countable.length - cursor}`;
      }
    }
  });
  const compared = checks.filter((c) => c.verdict !== 'no expected output').length;
  const matched = checks.filter((c) => c.verdict === 'faithful').length;
  return { steps: checks, compared, matched };
}

/** The check as text: each step with its verdict, then the summary line. */
export function formatLessonCheck(file: string, check: LessonCheck): string {
  const out: string[] = [];
  for (const step of check.steps) {
    const first = step.statement.split('\n')[0] ?? '';
    const where = `${file}:${step.line}: ${first}${step.statement.includes('\n') ? ' …' : ''}`;
    if (step.verdict === 'differs') out.push(`${where}\n  differs (printed at line ${step.expectedLine ?? 0}): ${step.difference ?? ''}`);
    else out.push(`${where}\n  ${step.verdict}`);
  }
  out.push(`${check.matched} of ${check.compared} steps with printed output match`);
  return `${out.join('\n')}\n`;
}
