// Finds fenced code blocks in Markdown (CommonMark rules for ``` and ~~~ fences), so lessons'
// ```sql and ```sh blocks can be listed, linted and run with their exact line numbers.

/** Info strings a lesson's SQL blocks and shell blocks are written with. */
export const SQL_BLOCK_LANGUAGES: ReadonlySet<string> = new Set(['sql', 'postgresql', 'postgres', 'psql']);
export const SHELL_BLOCK_LANGUAGES: ReadonlySet<string> = new Set(['sh', 'shell', 'bash', 'console', 'zsh']);

export interface FencedBlock {
  /** First word of the info string, lower-cased ('' when absent). */
  language: string;
  /** Zero-based line of the opening fence. */
  fenceLine: number;
  /** Zero-based line of the closing fence; the last line of the document when unclosed. */
  endLine: number;
  /** Zero-based first content line. */
  contentStartLine: number;
  content: string;
}

const OPENING = /^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)?[^`]*$/;

/** A list item's marker (`-`, `*`, `+`, `1.`, `1)`) and the spaces after it. */
const LIST_ITEM = /^( *)([-*+]|\d{1,9}[.)])( {1,4})\S/;

export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: FencedBlock[] = [];
  // Column where the enclosing list item's content starts (0 outside lists): a fence indented
  // to that column belongs to the item (CommonMark 5.2), as docs tutorials nest their steps.
  let listContent = 0;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const item = LIST_ITEM.exec(line);
    if (item) listContent = (item[1]?.length ?? 0) + (item[2]?.length ?? 0) + (item[3]?.length ?? 0);
    else if (line.trim() !== '' && leadingSpaces(line) < listContent) listContent = 0;
    const container = Math.min(listContent, leadingSpaces(line));
    const opening = OPENING.exec(line.slice(container));
    if (!opening) continue;
    const indent = container + (opening[1]?.length ?? 0);
    const fence = opening[2] ?? '';
    const language = (opening[3] ?? '').replace(/^\{\.?|\}$/g, '').toLowerCase();
    // A backtick fence's info string may not contain backticks (CommonMark 4.5).
    if (fence.startsWith('`') && (lines[index] ?? '').slice(indent + fence.length).includes('`')) continue;
    const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    let end = index + 1;
    while (end < lines.length && !closing.test(stripIndent(lines[end] ?? '', container))) end++;
    const content = lines
      .slice(index + 1, end)
      .map((text) => stripIndent(text, indent))
      .join('\n');
    blocks.push({ language, fenceLine: index, endLine: Math.min(end, lines.length - 1), contentStartLine: index + 1, content });
    index = end;
  }
  return blocks;
}

function leadingSpaces(line: string): number {
  return line.length - line.trimStart().length;
}

function stripIndent(line: string, indent: number): string {
  let removed = 0;
  while (removed < indent && line[removed] === ' ') removed++;
  return line.slice(removed);
}

/** The document's first ATX level-one heading, if any. */
export function firstHeading(markdown: string): string | undefined {
  const match = /^ {0,3}# +(.+?)[ #]*$/m.exec(markdown);
  return match?.[1];
}
