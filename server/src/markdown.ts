// The SQL of a Markdown document (a lesson), as the linter reads it: the document with
// everything outside its SQL blocks blanked out. The copy has the Markdown's length and line
// breaks, so every offset and position in it is the Markdown's own: findings, fixes, hovers and
// completions need no mapping back.
import { documentStatementsOnce } from './analysis/statements';
import type { SourceFile } from './lint/engine';
import { fencedBlocks, SQL_BLOCK_LANGUAGES } from '../../sql/src/fencedBlocks';
import { lex } from '../../sql/src/lexer';
import { scanStatementRanges } from '../../sql/src/statementRanges';

let sessionStart: SourceFile | undefined;

/**
 * What goes between the workspace's .sql files and a lesson: the lesson's SQL runs in a session
 * of its own, which starts in defaultdb whatever database the .sql files ended in (their schema
 * stays known). One object, so the lint of a lesson sees the same files before it every time.
 */
export function lessonSessionStart(): SourceFile {
  const text = 'USE defaultdb;';
  sessionStart ??= { uri: 'crdb-studio:lesson-session', text, statements: documentStatementsOnce(text) };
  return sessionStart;
}

/** Whether a document is Markdown (its language id when the editor gives one, else its name). */
export function isMarkdown(uri: string, languageId?: string): boolean {
  if (languageId === 'markdown') return true;
  const lower = uri.toLowerCase();
  return lower.endsWith('.md') || lower.endsWith('.markdown');
}

export interface MarkdownSql {
  /** The Markdown with everything but its SQL blocks' content blanked. */
  text: string;
  /** Where each SQL block's content is: from its first line's start to its last line's end. */
  blocks: { start: number; end: number }[];
}

/** Whether an offset is inside one of the SQL blocks (completion has nothing to offer elsewhere). */
export function inSqlBlock(sql: MarkdownSql, offset: number): boolean {
  return sql.blocks.some((block) => block.start <= offset && offset <= block.end);
}

/**
 * The Markdown with every character outside the content lines of its ```sql blocks replaced by
 * a space (line breaks kept). Where a block's closing fence stood, a `;` ends the block's last
 * statement, so a block whose last statement has no `;` does not run on into the next block:
 * each block is run on its own by the lesson runner, and is linted the same way. The `cockroach
 * sql` prompts docs write before statements (`> SELECT 1;`) are blanked too, as the lesson
 * runner strips them.
 */
export function sqlOfMarkdown(markdown: string): MarkdownSql {
  const lineStarts = [0];
  for (let i = markdown.indexOf('\n'); i !== -1; i = markdown.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineEnd = (line: number): number => {
    const next = lineStarts[line + 1];
    return next === undefined ? markdown.length : next - 1;
  };
  // Which lines are kept, and where a closing fence stands: line → its first non-blank column.
  const kept = new Uint8Array(lineStarts.length);
  const closings: number[] = [];
  const blocks: MarkdownSql['blocks'] = [];
  for (const block of fencedBlocks(markdown)) {
    if (!SQL_BLOCK_LANGUAGES.has(block.language)) continue;
    const contentLines = contentLineCount(markdown, lineStarts, block.contentStartLine, block.endLine, block.content);
    for (let line = block.contentStartLine; line < block.contentStartLine + contentLines; line++) kept[line] = 1;
    if (contentLines > 0)
      blocks.push({ start: lineStarts[block.contentStartLine] ?? 0, end: lineEnd(block.contentStartLine + contentLines - 1) });
    if (block.contentStartLine + contentLines <= block.endLine) closings.push(block.endLine);
  }
  const prompts = promptLengths(markdown, lineStarts, lineEnd, blocks);
  let out = '';
  let copiedTo = 0;
  const blank = (from: number, to: number): void => {
    out += markdown.slice(copiedTo, from);
    // Within a line: spaces, but a lone carriage return stays one (a line break to editors).
    for (let i = from; i < to;) {
      let stop = i;
      while (stop < to && markdown.charCodeAt(stop) !== 13) stop++;
      out += ' '.repeat(stop - i);
      if (stop < to) out += '\r';
      i = stop + 1;
    }
    copiedTo = to;
  };
  const closing = new Set(closings);
  for (let line = 0; line < lineStarts.length; line++) {
    if (kept[line]) {
      const prompt = prompts.get(line);
      if (prompt !== undefined) blank(lineStarts[line] ?? 0, (lineStarts[line] ?? 0) + prompt);
      continue;
    }
    const start = lineStarts[line] ?? 0;
    const end = lineEnd(line);
    const text = markdown.slice(start, end);
    const column = text.length - text.trimStart().length;
    if (closing.has(line) && column < text.length) {
      blank(start, start + column);
      out += ';';
      copiedTo = start + column + 1;
      blank(copiedTo, end);
    } else blank(start, end);
  }
  out += markdown.slice(copiedTo);
  return { text: out, blocks };
}

/**
 * How many lines of the document a block's content spans. A closed block's content ends at its
 * closing fence (endLine); an unclosed one runs to the end of the document, endLine included.
 */
function contentLineCount(markdown: string, lineStarts: readonly number[], first: number, endLine: number, content: string): number {
  const lines = content.split('\n').length;
  if (content !== '' || endLine !== first) return lines;
  // An empty content: a closed block with nothing in it (endLine is its fence), or an unclosed
  // one whose only content line is empty. The fence line has text; the empty line has none.
  const start = lineStarts[endLine] ?? markdown.length;
  const end = lineStarts[endLine + 1] ?? markdown.length;
  return markdown.slice(start, end).trim() === '' ? 1 : 0;
}

/** A `cockroach sql` prompt: `root@localhost:26257/defaultdb>`, `demo@127.0.0.1:26257/movr>`, or a bare `>`. */
const SQL_PROMPT = /^[ \t]*(?:[\w.-]+@[\w.-]*(?::\d+)?\/?[\w.-]*[ \t]*(?:\(\w*\))?[ \t]*[>?]|>)[ \t]?/;

/** Blocks larger than this keep any prompts: finding them re-reads the block per prompt line. */
const MAX_PROMPT_BLOCK = 200_000;

/**
 * Per line, the length of the prompt to blank. A prompt is one only where a statement starts —
 * every statement before it in the block has ended — so a `>` comparison that opens a continued
 * line stays SQL.
 */
function promptLengths(
  markdown: string,
  lineStarts: readonly number[],
  lineEnd: (line: number) => number,
  blocks: MarkdownSql['blocks'],
): Map<number, number> {
  const prompts = new Map<number, number>();
  let line = 0;
  for (const block of blocks) {
    if (block.end - block.start > MAX_PROMPT_BLOCK) continue;
    while ((lineStarts[line] ?? Infinity) < block.start) line++;
    let typed = '';
    for (; (lineStarts[line] ?? Infinity) <= block.end; line++) {
      const start = lineStarts[line] ?? 0;
      let text = markdown.slice(start, lineEnd(line));
      const prompt = SQL_PROMPT.exec(text);
      if (prompt && atStatementStart(typed)) {
        prompts.set(line, prompt[0].length);
        text = ' '.repeat(prompt[0].length) + text.slice(prompt[0].length);
      }
      typed += `${text}\n`;
    }
  }
  return prompts;
}

/** Whether every statement of `sql` has ended (with `;`, or a `\\command` line), so the next line starts a new one. */
function atStatementStart(sql: string): boolean {
  const last = scanStatementRanges(sql, 0).ranges.at(-1);
  if (!last) return true;
  const statement = sql.slice(last.start, last.end).trim();
  return statement.endsWith(';') || statement.startsWith('\\') || lex(statement).tokens.length === 0;
}
