// The command-line flags of `cockroach workload init|run ycsb`, read into a YcsbConfig the way
// workload's pflag set reads them: `--name=value` or `--name value`, booleans as `--name`,
// `--name=true` or `--name=false`. A string result is the error workload prints.
import { ycsbConfig, type YcsbConfig, type YcsbFlags, type YcsbMix } from './ycsb';

const BOOLEAN_FLAGS = new Set(['families', 'json', 'insert-hash', 'drop', 'tolerate-errors', 'time-string', 'read-modify-write-in-txn']);

/** Flag values by name; booleans read as 'true'/'false'. Positional words (URLs) are skipped. */
function readFlags(words: readonly string[]): Map<string, string> | string {
  const flags = new Map<string, string>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (!word.startsWith('--')) continue;
    const equals = word.indexOf('=');
    const name = word.slice(2, equals === -1 ? undefined : equals);
    if (equals !== -1) flags.set(name, word.slice(equals + 1));
    else if (BOOLEAN_FLAGS.has(name)) flags.set(name, 'true');
    else {
      const value = words[i + 1];
      if (value === undefined) return `flag needs an argument: --${name}`;
      flags.set(name, value);
      i++;
    }
  }
  return flags;
}

function numberFlag(flags: Map<string, string>, name: string): number | undefined | string {
  const text = flags.get(name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) return `invalid argument "${text}" for "--${name}" flag: parse error`;
  return value;
}

function booleanFlag(flags: Map<string, string>, name: string): boolean | undefined | string {
  const text = flags.get(name);
  if (text === undefined) return undefined;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return `invalid argument "${text}" for "--${name}" flag: strconv.ParseBool: parsing "${text}": invalid syntax`;
}

const NUMBERS = {
  zeroPadding: 'zero-padding',
  insertStart: 'insert-start',
  insertCount: 'insert-count',
  recordCount: 'record-count',
  minScanLength: 'min-scan-length',
  maxScanLength: 'max-scan-length',
  splits: 'splits',
  seed: 'seed',
} as const;

const FREQUENCIES: Record<keyof YcsbMix, string> = {
  read: 'read-freq',
  update: 'update-freq',
  insert: 'insert-freq',
  scan: 'scan-freq',
  readModifyWrite: 'read-modify-write-freq',
  delete: 'delete-freq',
};

/** The ycsb flags among `words` (everything after `workload init|run ycsb`). */
export function ycsbFlags(words: readonly string[]): YcsbConfig | string {
  const flags = readFlags(words);
  if (typeof flags === 'string') return flags;
  const parsed: YcsbFlags = {};
  const workload = flags.get('workload');
  if (workload !== undefined) parsed.workload = workload;
  const distribution = flags.get('request-distribution');
  if (distribution !== undefined) parsed.requestDistribution = distribution;
  for (const [key, name] of Object.entries(NUMBERS) as [keyof typeof NUMBERS, string][]) {
    const value = numberFlag(flags, name);
    if (typeof value === 'string') return value;
    if (value !== undefined) parsed[key] = value;
  }
  for (const [key, name] of [
    ['families', 'families'],
    ['json', 'json'],
    ['insertHash', 'insert-hash'],
  ] as const) {
    const value = booleanFlag(flags, name);
    if (typeof value === 'string') return value;
    if (value !== undefined) parsed[key] = value;
  }
  const freqs: Partial<YcsbMix> = {};
  for (const [op, name] of Object.entries(FREQUENCIES) as [keyof YcsbMix, string][]) {
    const value = numberFlag(flags, name);
    if (typeof value === 'string') return value;
    if (value !== undefined) freqs[op] = value;
  }
  parsed.freqs = freqs;
  return ycsbConfig(parsed);
}
