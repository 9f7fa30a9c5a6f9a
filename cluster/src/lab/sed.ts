// `sed` in the lab, for the edits tutorials make to generated files (`sed -i.saved
// 's/^    bind :26257/    bind :26000/' haproxy.cfg`): substitution scripts (`s/re/replacement/
// [g|N|p|I]`, several with -e, `;` or on lines of their own), -n, -E/-r, and -i with an optional
// backup suffix. Basic
// regular expressions are read as POSIX does: \( \) \{ \} \+ \? \| are the operators, the bare
// characters literals. Other sed commands answer that the lab does not stand in for them.
import { failed, simulated, type Lab, type Outcome, type ProgramHandler } from './lab';

interface Substitution {
  pattern: RegExp;
  replacement: string;
  /** Which match to replace (1 unless a number flag says otherwise); 0 for all (g). */
  occurrence: number;
  print: boolean;
}

/** A POSIX basic regular expression as a JavaScript one. */
function fromBasic(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i] ?? '';
    if (c === '\\' && i + 1 < source.length) {
      const next = source[++i] ?? '';
      out += '(){}+?|'.includes(next) ? next : `\\${next}`;
    } else out += '(){}+?|'.includes(c) ? `\\${c}` : c;
  }
  return out;
}

/** Splits `s/a/b/g` on its delimiter (any character after s), honouring backslash escapes. */
function parseSubstitution(script: string, extended: boolean): { substitution: Substitution; rest: string } | string {
  const delimiter = script[1];
  if (script[0] !== 's' || delimiter === undefined || delimiter === '\\' || delimiter === '\n')
    return `sed: -e expression #1, char 1: unknown command: \`${script[0] ?? ''}'`;
  const parts: string[] = [];
  let current = '';
  let rest = '';
  for (let i = 2; i < script.length; i++) {
    const c = script[i] ?? '';
    // In the flags, `;` ends the command and another follows.
    if (parts.length === 2 && c === ';') {
      rest = script.slice(i + 1).trim();
      break;
    }
    if (c === '\\' && script[i + 1] === delimiter) {
      current += delimiter;
      i++;
    } else if (c === '\\' && i + 1 < script.length) {
      current += c + (script[++i] ?? '');
    } else if (c === delimiter) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  if (parts.length < 3) return `sed: -e expression #1, char ${script.length}: unterminated \`s' command`;
  const [source = '', replacement = '', flags = ''] = parts;
  let occurrence = 1;
  let print = false;
  let global = false;
  let insensitive = false;
  for (const flag of flags.trim()) {
    if (flag === 'g') global = true;
    else if (flag === 'p') print = true;
    else if (flag === 'I' || flag === 'i') insensitive = true;
    else if (/\d/.test(flag)) occurrence = Number(flag);
    else return `sed: -e expression #1, char ${script.length}: unknown option to \`s'`;
  }
  try {
    const pattern = new RegExp(extended ? source : fromBasic(source), `g${insensitive ? 'i' : ''}`);
    return { substitution: { pattern, replacement, occurrence: global ? 0 : occurrence, print }, rest };
  } catch {
    return `sed: -e expression #1, char ${script.length}: Invalid regular expression`;
  }
}

/** The replacement text for one match: & is the match, \1…\9 its groups, \n a newline. */
function expand(replacement: string, match: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i] ?? '';
    if (c === '&') out += match[0];
    else if (c === '\\' && i + 1 < replacement.length) {
      const next = replacement[++i] ?? '';
      out += /\d/.test(next) ? (match[Number(next)] ?? '') : next === 'n' ? '\n' : next;
    } else out += c;
  }
  return out;
}

function substituteLine(line: string, s: Substitution): { line: string; changed: boolean } {
  let count = 0;
  let changed = false;
  let out = '';
  let last = 0;
  s.pattern.lastIndex = 0;
  for (let match = s.pattern.exec(line); match; match = s.pattern.exec(line)) {
    count++;
    if (s.occurrence === 0 || count === s.occurrence) {
      out += line.slice(last, match.index) + expand(s.replacement, match);
      last = match.index + match[0].length;
      changed = true;
      if (s.occurrence !== 0) break;
    }
    if (match[0] === '') s.pattern.lastIndex++;
  }
  return { line: out + line.slice(last), changed };
}

function edit(text: string, scripts: readonly Substitution[], quiet: boolean): string {
  const endsWithNewline = text.endsWith('\n');
  const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n');
  const out: string[] = [];
  for (let line of lines) {
    for (const s of scripts) {
      const result = substituteLine(line, s);
      line = result.line;
      if (result.changed && s.print) out.push(line);
    }
    if (!quiet) out.push(line);
  }
  return out.length === 0 ? '' : `${out.join('\n')}${endsWithNewline || text === '' ? '\n' : ''}`;
}

/** The scripts (`-e a -e b`, or the first operand; one command a line), input files and options. */
function scriptsOf(words: readonly string[]): {
  scripts: string[];
  files: string[];
  inPlace: string | undefined;
  quiet: boolean;
  extended: boolean;
} {
  const scripts: string[] = [];
  const files: string[] = [];
  let inPlace: string | undefined;
  let quiet = false;
  let extended = false;
  let explicit = false;
  for (let i = 1; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word === '-e' || word === '--expression') {
      scripts.push(words[++i] ?? '');
      explicit = true;
    } else if (word.startsWith('--expression=')) {
      scripts.push(word.slice('--expression='.length));
      explicit = true;
    } else if (word === '-n' || word === '--quiet' || word === '--silent') quiet = true;
    else if (word === '-E' || word === '-r' || word === '--regexp-extended') extended = true;
    else if (word.startsWith('--in-place')) inPlace = word.startsWith('--in-place=') ? word.slice('--in-place='.length) : '';
    else if (word.startsWith('-i')) inPlace = word.slice(2);
    else if (!explicit && scripts.length === 0) scripts.push(word);
    else files.push(word);
  }
  return { scripts: scripts.flatMap((s) => s.split(/\n/)).filter((s) => s.trim() !== ''), files, inPlace, quiet, extended };
}

export const sed: ProgramHandler = (words, stdin, lab: Lab): Promise<Outcome> => {
  const { scripts, files, inPlace, quiet, extended } = scriptsOf(words);
  if (scripts.length === 0) return Promise.resolve(failed('Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...', 1));
  const parsed: Substitution[] = [];
  for (const script of scripts) {
    for (let text = script.trim(); text !== '';) {
      const s = parseSubstitution(text, extended);
      if (typeof s === 'string') return Promise.resolve(failed(s, 1));
      parsed.push(s.substitution);
      text = s.rest;
    }
  }
  if (inPlace !== undefined) {
    if (files.length === 0) return Promise.resolve(failed('sed: no input files', 1));
    for (const file of files) {
      const content = lab.readFile(file);
      if (content === undefined) return Promise.resolve(failed(`sed: can't read ${file}: No such file or directory`, 2));
      if (inPlace !== '') lab.writeFile(`${file}${inPlace}`, content);
      lab.writeFile(file, edit(content, parsed, quiet));
    }
    return Promise.resolve(simulated());
  }
  let input = '';
  for (const file of files) {
    const content = lab.readFile(file);
    if (content === undefined) return Promise.resolve(failed(`sed: can't read ${file}: No such file or directory`, 2));
    input += content;
  }
  if (files.length === 0) input = stdin ?? '';
  return Promise.resolve(simulated(edit(input, parsed, quiet)));
};
