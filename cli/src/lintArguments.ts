// The lint command's options, read by hand: node:util's parseArgs costs 0.7 ms on Node 24 and
// 2.8 ms on Node 20 the first time it runs, as much as linting a few hundred lines does. It
// reads them as parseArgs does (strict, positionals allowed): `--name value` or `--name=value`,
// the last one given wins, `--` ends the options, and `-` is a file.
import { statSync } from 'node:fs';

export interface LintArguments {
  format: string;
  config: string | undefined;
  cockroachVersion: string | undefined;
  files: string[];
}

/** Options that are not understood: the command line is wrong, not the files. */
export class LintArgumentError extends Error {
  override name = 'LintArgumentError';
}

/** Whether a file argument is a glob (*, **, ?, [..]) that the CLI expands itself. */
export function isGlobPattern(argument: string): boolean {
  return /[*?[]/.test(argument);
}

const VALUE_OPTIONS = ['format', 'config', 'cockroach-version'] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];

function isValueOption(name: string): name is ValueOption {
  return (VALUE_OPTIONS as readonly string[]).includes(name);
}

export function parseLintArguments(args: readonly string[]): LintArguments {
  const values = new Map<ValueOption, string>();
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      files.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      files.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, equals < 0 ? undefined : equals) : '';
    if (!isValueOption(name)) throw new LintArgumentError(`Unknown option '${equals < 0 ? arg : arg.slice(0, equals)}'`);
    let value: string | undefined;
    if (equals >= 0) value = arg.slice(equals + 1);
    else {
      value = args[i + 1];
      i++;
      // As parseArgs: `--format --config x` forgot the format; `--format=-x` says it on purpose.
      if (value !== undefined && value.length > 1 && value.startsWith('-'))
        throw new LintArgumentError(`Option '--${name}' argument is ambiguous: to give one starting with a dash use '--${name}=${value}'`);
    }
    if (value === undefined) throw new LintArgumentError(`Option '--${name} <value>' argument missing`);
    values.set(name, value);
  }
  return {
    format: values.get('format') ?? 'text',
    config: values.get('config'),
    cockroachVersion: values.get('cockroach-version'),
    files,
  };
}

/** The size of the files, as far as they can be read: an unreadable one is reported when read. */
export function totalBytes(files: readonly string[]): number {
  let bytes = 0;
  for (const file of files) bytes += statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  return bytes;
}

/**
 * How many bytes a lint given `args` reads, known before its bundle is loaded (bin.ts starts the
 * compiler by it): undefined when a glob must be expanded first, or when the arguments are wrong
 * (the command then says so).
 */
export function lintInputBytes(args: readonly string[]): number | undefined {
  let files: string[];
  try {
    files = parseLintArguments(args).files;
  } catch {
    return undefined;
  }
  return files.some(isGlobPattern) ? undefined : totalBytes(files);
}
