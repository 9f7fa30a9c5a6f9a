// Which of a lesson's code blocks are files the reader is told to create. Labs write
// configuration as a block in the file's own language, announced by the prose just before it:
//   "Create a file named `haproxy.cfg` with the following contents:"  then ```text … ```
//   "### Step 2. Edit cockroachdb-statefulset.yaml"                       then ```yaml … ```
// The rule, kept simple so a reader can predict it:
// 1. only blocks that are neither SQL nor shell count;
// 2. the paragraph right before the block (its lines up to a blank line, or up to the previous
//    block) ending in `:` and naming exactly one file (a word with a file extension such as
//    .yaml, .cfg, .conf, .json, .sql, .service; in backticks or not) makes the block that file;
// 3. otherwise the nearest heading above, when no other block lies between them and it names
//    exactly one file, does.
// Anything else (example output, a snippet to read) is not a file and is not run.
import { SHELL_BLOCK_LANGUAGES, SQL_BLOCK_LANGUAGES, type FencedBlock } from '../../../sql/src/fencedBlocks';

const EXTENSIONS = 'yaml|yml|json|cfg|conf|ini|toml|txt|sql|sh|env|properties|xml|hcl|tf|service|csv|pem|crt|key';
const FILE_NAME = new RegExp(`(?:^|[\\s\`'"(])((?:[\\w.~-]+/)*[\\w.-]+\\.(?:${EXTENSIONS}))(?=$|[\\s\`'",.:;)])`, 'g');

function fileNames(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(FILE_NAME)) if (match[1] !== undefined) names.add(match[1]);
  return [...names];
}

/** The file a block is, by the rule above; undefined when it is not one. */
export function configFileOf(markdownLines: readonly string[], block: FencedBlock, previous: FencedBlock | undefined): string | undefined {
  if (SQL_BLOCK_LANGUAGES.has(block.language) || SHELL_BLOCK_LANGUAGES.has(block.language)) return undefined;
  const floor = previous === undefined ? 0 : previous.endLine + 1;
  // The paragraph just before the fence.
  let line = block.fenceLine - 1;
  while (line >= floor && (markdownLines[line] ?? '').trim() === '') line--;
  const paragraph: string[] = [];
  while (line >= floor && (markdownLines[line] ?? '').trim() !== '' && !/^\s*#/.test(markdownLines[line] ?? ''))
    paragraph.unshift(markdownLines[line--] ?? '');
  const text = paragraph.join(' ').trim();
  if (text.endsWith(':')) {
    const names = fileNames(text);
    if (names.length === 1) return names[0];
  }
  // The nearest heading, with no block between it and this one.
  for (let l = block.fenceLine - 1; l >= floor; l--) {
    const heading = /^\s{0,3}#{1,6}\s+(.*)$/.exec(markdownLines[l] ?? '');
    if (!heading) continue;
    const names = fileNames(heading[1] ?? '');
    return names.length === 1 ? names[0] : undefined;
  }
  return undefined;
}

/** The shell command that writes a file block: a quoted heredoc, its delimiter clear of the content. */
export function writeFileCommand(path: string, content: string): string {
  let delimiter = 'EOF';
  while (content.split('\n').some((line) => line.trim() === delimiter)) delimiter = `${delimiter}_`;
  return `cat > ${/^[\w./~-]+$/.test(path) ? path : `'${path}'`} <<'${delimiter}'\n${content.replace(/\n$/, '')}\n${delimiter}`;
}
