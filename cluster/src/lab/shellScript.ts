// Reads a lesson's shell block as the terminal session it shows: which text is one command (with
// its `\` continuations and heredoc bodies), which is SQL typed at a `cockroach sql` prompt, and
// what each command line says (pipelines, `&&`/`;`/`&`, redirections, VAR=value). Only reading:
// running is lab.ts's job, expansion of `$VAR` happens there, against the lab's environment.
import { scanStatementRanges } from '../../../sql/src/statementRanges';

/** One command of a block, as a reader types it. */
export interface ShellStep {
  /** 0-based line in the block where it starts, and its character offset. */
  line: number;
  offset: number;
  /**
   * 'shell': a shell command line, with its continuation lines and heredoc bodies.
   * 'sql': one SQL statement typed at a `cockroach sql` prompt.
   */
  kind: 'shell' | 'sql';
  /** The command as the lab runs it: prompts stripped; for 'sql', the statement. */
  text: string;
}

/** A prompt line of the `cockroach sql` shell: `root@localhost:26257/defaultdb>` or a bare `>`. */
const SQL_PROMPT = /^(?:[\w.-]+@[\w.-]*(?::\d+)?\/?[\w.-]*\s*(?:\(\w*\))?\s*[>?]|>)\s?/;
/** How many characters at the start of `line` are a `cockroach sql` prompt (its indentation included); 0 when none. */
export function sqlPromptLength(line: string): number {
  const indent = line.length - line.trimStart().length;
  const prompt = SQL_PROMPT.exec(line.slice(indent));
  return prompt ? indent + prompt[0].length : 0;
}

/** Its continuation prompt, `->` (or the longer `  ->` the shell aligns). */
const SQL_CONTINUATION = /^\s*->\s?/;
/** A shell prompt: `$ ` (or `user@host:~$ `). Root's `# ` is told from a comment by what follows. */
const SHELL_PROMPT = /^\s*(?:[\w.@:~/-]*\$)\s+/;
const ROOT_PROMPT = /^\s*#\s+/;

/** Programs whose name after `# ` makes the line a root prompt rather than a comment. */
export const COMMON_PROGRAMS: ReadonlySet<string> = new Set(
  (
    'cockroach ./cockroach kubectl helm haproxy systemctl apt apt-get yum dnf brew curl wget tar cp mv mkdir rm ' +
    'chmod chown cat echo tee export cd ls ps kill pkill sleep sudo service docker ssh scp sed grep'
  ).split(' '),
);

/** Strips a `$ ` prompt, or a `# ` root prompt when a program follows; undefined for a comment. */
function stripShellPrompt(raw: string, isProgram: (name: string) => boolean): string | undefined {
  const dollar = SHELL_PROMPT.exec(raw);
  if (dollar) return raw.slice(dollar[0].length);
  const root = ROOT_PROMPT.exec(raw);
  if (root) {
    const rest = raw.slice(root[0].length);
    const first = /^[^\s;|&]+/.exec(rest)?.[0] ?? '';
    return isProgram(first) ? rest : undefined;
  }
  return raw.trim().startsWith('#') ? undefined : raw;
}

function isShellPromptLine(raw: string, isProgram: (name: string) => boolean): boolean {
  return SHELL_PROMPT.test(raw) || (ROOT_PROMPT.test(raw) && stripShellPrompt(raw, isProgram) !== undefined);
}

/**
 * The steps of a shell block. `>` prompt lines and the lines after an interactive `cockroach sql`
 * (until `\q`, `exit`, `quit` or a shell prompt) are SQL, split into statements; everything else
 * is shell commands, a heredoc's body belonging to its command.
 */
export function shellSteps(content: string, isProgram: (name: string) => boolean = (name) => COMMON_PROGRAMS.has(name)): ShellStep[] {
  const lines = content.split('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const steps: ShellStep[] = [];
  let inSql = false;
  let i = 0;
  while (i < lines.length) {
    const raw = lines[i] ?? '';
    const trimmed = raw.trim();
    const prompted = SQL_PROMPT.exec(trimmed);
    if (prompted || (inSql && !isShellPromptLine(raw, isProgram))) {
      // SQL typed at the prompt: lines up to a statement's end, continuation prompts stripped.
      const first = prompted ? trimmed.slice(prompted[0].length) : trimmed;
      if (first === '' || first.startsWith('--')) {
        i++;
        continue;
      }
      if (isSqlShellExit(first)) {
        inSql = false;
        i++;
        continue;
      }
      const start = i;
      const text = [first];
      while (!statementComplete(text.join('\n')) && i + 1 < lines.length) {
        const next = lines[i + 1] ?? '';
        if (!SQL_CONTINUATION.test(next) && (SQL_PROMPT.test(next.trim()) || isShellPromptLine(next, isProgram))) break;
        i++;
        text.push(next.replace(SQL_CONTINUATION, ''));
      }
      i++;
      for (const statement of sqlStatements(text.join('\n')))
        steps.push({ line: start, offset: starts[start] ?? 0, kind: 'sql', text: statement });
      continue;
    }
    inSql = false;
    const shell = stripShellPrompt(raw, isProgram);
    if (shell === undefined || shell.trim() === '') {
      i++;
      continue;
    }
    // A command: its continuation lines, then the bodies of its heredocs, in order.
    const start = i;
    const commandLines = [shell.trimEnd()];
    while (continuesOnNextLine(commandLines.join('\n')) && i + 1 < lines.length) commandLines.push(lines[++i] ?? '');
    const heredocs = heredocsOf(commandLines.join('\n'));
    for (const heredoc of heredocs) {
      while (i + 1 < lines.length) {
        const body = lines[++i] ?? '';
        commandLines.push(body);
        const candidate = heredoc.stripTabs ? body.replace(/^\t+/, '') : body;
        if (candidate === heredoc.delimiter || candidate.trim() === heredoc.delimiter) break;
      }
    }
    i++;
    const text = commandLines.join('\n');
    steps.push({ line: start, offset: starts[start] ?? 0, kind: 'shell', text });
    if (opensInteractiveSql(text)) inSql = true;
  }
  return steps;
}

/** `\\q`, `exit`, `quit` or the end-of-input key: what leaves the `cockroach sql` shell. */
export function isSqlShellExit(text: string): boolean {
  const word = text.replace(/;$/, '').trim();
  return word === '\\q' || word === 'exit' || word === 'quit' || keyPress(word) === 'end of input';
}

/**
 * A key a tutorial tells the reader to press, written as its own line (`ctrl-d`, `Ctrl+C`, `^D`):
 * end of input leaves an interactive shell; an interrupt stops the program in the foreground,
 * which in a lesson has already finished (commands run to completion in simulated time).
 */
export function keyPress(text: string): 'end of input' | 'interrupt' | undefined {
  const key = text
    .trim()
    .toLowerCase()
    .replace(/^\^/, 'ctrl-')
    .replace(/^control/, 'ctrl')
    .replace('+', '-');
  if (key === 'ctrl-d') return 'end of input';
  if (key === 'ctrl-c') return 'interrupt';
  return undefined;
}

/** SQL statements of typed text (the project's own statement scanner). */
function sqlStatements(text: string): string[] {
  return scanStatementRanges(text, 0)
    .ranges.map((r) => text.slice(r.start, r.end).trim())
    .filter((s) => s !== '' && s !== ';');
}

/** Whether typed SQL is complete: ends with `;` outside strings and comments, or is a \command. */
function statementComplete(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.startsWith('\\')) return true;
  const ranges = scanStatementRanges(text, 0).ranges;
  const last = ranges[ranges.length - 1];
  return last !== undefined && text.slice(last.start, last.end).trimEnd().endsWith(';') && text.slice(last.end).trim() === '';
}

/**
 * Whether a command's text goes on past its last line: a trailing backslash, or a quote still
 * open — the shell keeps reading lines into a quoted word (`--execute="CREATE TABLE t (` … `);"`).
 */
function continuesOnNextLine(text: string): boolean {
  const lastLine = text.slice(text.lastIndexOf('\n') + 1);
  return endsWithContinuation(lastLine) || openQuote(text) !== undefined;
}

/** The quote character left open at the end of a command's text, if any (comments and escapes as sh reads them). */
export function openQuote(text: string): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
    } else if (quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') quote = undefined;
    } else if (c === '\\') i++;
    else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      // A comment runs to the end of its line; quotes in it open nothing.
      const newline = text.indexOf('\n', i);
      if (newline === -1) break;
      i = newline;
    }
  }
  return quote;
}

/** A trailing unescaped backslash continues the line. */
function endsWithContinuation(line: string): boolean {
  let backslashes = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** Whether a command line runs `cockroach sql` (or demo) interactively (no -e, -f, input redirection, heredoc or pipe into it). */
export function opensInteractiveSql(text: string): boolean {
  const list = parseCommandLine(text);
  const last = list[list.length - 1];
  if (!last) return false;
  const pipeline = last.pipeline;
  const command = pipeline.commands[pipeline.commands.length - 1];
  if (!command || pipeline.commands.length > 1 || last.background) return false;
  const words = command.words.map(unquote);
  const program = words[0]?.replace(/^.*\//, '');
  // `cockroach demo` opens its SQL shell too, unless --execute runs statements and exits.
  if (program !== 'cockroach' || (words[1] !== 'sql' && words[1] !== 'demo')) return false;
  if (command.redirects.some((r) => r.op === '<' || r.op === '<<' || r.op === '<<<')) return false;
  return !words.some(
    (w) => w === '-e' || w === '-f' || w.startsWith('--execute') || w.startsWith('--file') || w.startsWith('-e') || w.startsWith('-f'),
  );
}

// ---- one command line --------------------------------------------------------------------------

/** A redirection: `>`, `>>`, `<`, `2>`, `2>&1`, `&>`, `<<` (heredoc: target = body), `<<<` (here-string). */
export interface Redirect {
  op: '>' | '>>' | '<' | '<<' | '<<<' | '2>' | '2>>' | '2>&1' | '&>';
  /** A file name (raw word), the heredoc's body, or the here-string's raw word. */
  target: string;
  /** A heredoc whose delimiter was quoted: its body is not expanded. */
  literal?: boolean;
}

/** One simple command: leading VAR=value words, the words (raw: quotes kept for expansion), redirections. */
export interface SimpleCommand {
  assignments: { name: string; value: string }[];
  words: string[];
  redirects: Redirect[];
}

export interface Pipeline {
  commands: SimpleCommand[];
}

/** A list item: a pipeline, how it joins the next (`&&`, `||`, `;`), and whether it runs in the background (`&`). */
export interface ListItem {
  pipeline: Pipeline;
  /** The operator before the next item; undefined for the last. */
  then: '&&' | '||' | ';' | undefined;
  background: boolean;
}

interface HeredocSpec {
  delimiter: string;
  stripTabs: boolean;
  literal: boolean;
}

type Token = { kind: 'word'; value: string } | { kind: 'op'; value: string } | { kind: 'newline' };

const OPERATORS = ['<<<', '<<-', '2>&1', '2>>', '&&', '||', '>>', '<<', '&>', '2>', '|', '&', ';', '>', '<'];

/**
 * Tokens of a command's first logical line (continuations joined); heredoc bodies are not tokens:
 * parseCommandLine takes them from the lines after it.
 */
function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let word = '';
  let inWord = false;
  const flush = (): void => {
    if (inWord) tokens.push({ kind: 'word', value: word });
    word = '';
    inWord = false;
  };
  while (i < line.length) {
    const c = line[i] ?? '';
    if (c === '\\' && line[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '\n') {
      flush();
      tokens.push({ kind: 'newline' });
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      flush();
      i++;
      continue;
    }
    if (c === '#' && !inWord) break;
    if (c === "'" || c === '"') {
      const end = closingQuote(line, i);
      word += line.slice(i, end + 1);
      inWord = true;
      i = end + 1;
      continue;
    }
    if (c === '\\') {
      word += line.slice(i, i + 2);
      inWord = true;
      i += 2;
      continue;
    }
    if (c === '$' && line[i + 1] === '(') {
      // Command substitution kept as one word (the lab does not run it).
      let depth = 0;
      let j = i + 1;
      for (; j < line.length; j++) {
        if (line[j] === '(') depth++;
        else if (line[j] === ')' && --depth === 0) break;
      }
      word += line.slice(i, j + 1);
      inWord = true;
      i = j + 1;
      continue;
    }
    const op = OPERATORS.find((o) => line.startsWith(o, i));
    // `2>` is an operator only at a word's start; `>` inside `a>b` still splits.
    if (op !== undefined && !(op.startsWith('2') && inWord)) {
      flush();
      tokens.push({ kind: 'op', value: op });
      i += op.length;
      continue;
    }
    word += c;
    inWord = true;
    i++;
  }
  flush();
  return tokens;
}

function closingQuote(line: string, at: number): number {
  const quote = line[at];
  for (let j = at + 1; j < line.length; j++) {
    if (quote === '"' && line[j] === '\\') j++;
    else if (line[j] === quote) return j;
  }
  return line.length - 1;
}

/** The heredocs a command line opens (`<<EOF`, `<<-EOF`, `<<'EOF'`, `<< "EOF"`), in order. */
function heredocsOf(firstLines: string): HeredocSpec[] {
  const tokens = tokenize(firstLines);
  const specs: HeredocSpec[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.kind !== 'op' || (token.value !== '<<' && token.value !== '<<-')) continue;
    const next = tokens[i + 1];
    if (next?.kind !== 'word') continue;
    specs.push({ delimiter: unquote(next.value), stripTabs: token.value === '<<-', literal: /['"\\]/.test(next.value) });
  }
  return specs;
}

/**
 * A command's text (first lines, then heredoc bodies) as a list of pipelines. Heredoc bodies
 * become `<<` redirections whose target is the body.
 */
export function parseCommandLine(text: string): ListItem[] {
  const lines = text.split('\n');
  // The command proper: up to the first line that does not continue.
  let head = 0;
  while (head < lines.length - 1 && continuesOnNextLine(lines.slice(0, head + 1).join('\n'))) head++;
  const commandText = lines.slice(0, head + 1).join('\n');
  const bodies = lines.slice(head + 1);
  const tokens = tokenize(commandText);
  const items: ListItem[] = [];
  let commands: SimpleCommand[] = [];
  let current: SimpleCommand = { assignments: [], words: [], redirects: [] };
  const endCommand = (): void => {
    if (current.words.length > 0 || current.assignments.length > 0 || current.redirects.length > 0) commands.push(current);
    current = { assignments: [], words: [], redirects: [] };
  };
  const endPipeline = (then: ListItem['then'], background: boolean): void => {
    endCommand();
    if (commands.length > 0) items.push({ pipeline: { commands }, then, background });
    commands = [];
  };
  let bodyLine = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token) continue;
    if (token.kind === 'newline') {
      endPipeline(';', false);
      continue;
    }
    if (token.kind === 'word') {
      const assignment = /^([A-Za-z_]\w*)=(.*)$/s.exec(token.value);
      if (assignment && current.words.length === 0) current.assignments.push({ name: assignment[1] ?? '', value: assignment[2] ?? '' });
      else current.words.push(token.value);
      continue;
    }
    switch (token.value) {
      case '|':
        endCommand();
        break;
      case '&&':
      case '||':
      case ';':
        endPipeline(token.value, false);
        break;
      case '&':
        endPipeline(';', true);
        break;
      case '2>&1':
        current.redirects.push({ op: '2>&1', target: '' });
        break;
      case '<<':
      case '<<-': {
        const delimiterWord = tokens[i + 1]?.kind === 'word' ? (tokens[++i] as { value: string }).value : '';
        const delimiter = unquote(delimiterWord);
        const body: string[] = [];
        while (bodyLine < bodies.length) {
          const line = bodies[bodyLine++] ?? '';
          const candidate = token.value === '<<-' ? line.replace(/^\t+/, '') : line;
          if (candidate === delimiter || candidate.trim() === delimiter) break;
          body.push(candidate);
        }
        current.redirects.push({ op: '<<', target: body.length > 0 ? `${body.join('\n')}\n` : '', literal: /['"\\]/.test(delimiterWord) });
        break;
      }
      default: {
        const target = tokens[i + 1]?.kind === 'word' ? (tokens[++i] as { value: string }).value : '';
        current.redirects.push({ op: token.value as Redirect['op'], target });
      }
    }
  }
  endPipeline(undefined, false);
  // A trailing `;` or newline leaves the last item pointing at nothing.
  const last = items[items.length - 1];
  if (last && last.then === ';') last.then = undefined;
  return items;
}

/** A raw word with its quotes removed and nothing expanded (for delimiters and program names). */
export function unquote(raw: string): string {
  return expandWord(raw, () => undefined, { expand: false });
}

/**
 * A raw word as the shell passes it on: quotes removed, backslash escapes applied, and (unless
 * `expand` is false) `$NAME`, `${NAME}` and `$?`-style parameters replaced outside single quotes.
 */
export function expandWord(
  raw: string,
  lookup: (name: string) => string | undefined,
  options: { expand: boolean } = { expand: true },
): string {
  let out = '';
  let i = 0;
  const parameter = (at: number): { value: string; end: number } | undefined => {
    if (!options.expand) return undefined;
    const braced = /^\$\{([A-Za-z_]\w*)(?::-([^}]*))?\}/.exec(raw.slice(at));
    if (braced) return { value: lookup(braced[1] ?? '') ?? braced[2] ?? '', end: at + braced[0].length };
    const plain = /^\$([A-Za-z_]\w*|[?!$#0-9])/.exec(raw.slice(at));
    if (plain) return { value: lookup(plain[1] ?? '') ?? '', end: at + plain[0].length };
    return undefined;
  };
  while (i < raw.length) {
    const c = raw[i] ?? '';
    if (c === "'") {
      const end = raw.indexOf("'", i + 1);
      out += raw.slice(i + 1, end === -1 ? raw.length : end);
      i = end === -1 ? raw.length : end + 1;
    } else if (c === '"') {
      i++;
      while (i < raw.length && raw[i] !== '"') {
        if (raw[i] === '\\' && i + 1 < raw.length && '$`"\\\n'.includes(raw[i + 1] ?? '')) {
          out += raw[i + 1] ?? '';
          i += 2;
          continue;
        }
        const p = raw[i] === '$' ? parameter(i) : undefined;
        if (p) {
          out += p.value;
          i = p.end;
        } else out += raw[i++] ?? '';
      }
      i++;
    } else if (c === '\\') {
      out += raw[i + 1] ?? '';
      i += 2;
    } else if (c === '$') {
      const p = parameter(i);
      if (p) {
        out += p.value;
        i = p.end;
      } else out += raw[i++] ?? '';
    } else out += raw[i++] ?? '';
  }
  return out;
}

/** A heredoc body with `$NAME` expanded (an unquoted delimiter), as the shell feeds it. */
export function expandHeredoc(body: string, lookup: (name: string) => string | undefined): string {
  return body.replace(
    /\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g,
    (_match: string, braced?: string, plain?: string) => lookup(braced ?? plain ?? '') ?? '',
  );
}
