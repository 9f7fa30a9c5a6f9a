// crdb-studio command line: a thin driver over the platform-free cores.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { lint } from '../../server/src/lint/engine';
import { DEFAULT_COCKROACH_VERSION, normaliseCockroachVersion } from '../../server/src/protocol';

declare const CLI_VERSION: string | undefined;
const version = typeof CLI_VERSION === 'string' ? CLI_VERSION : 'dev';

const USAGE = `Usage: crdb-studio <command> [options]

Commands:
  lint [--format text|json] [--cockroach-version vX.Y] <file.sql>...
      Lint CockroachDB SQL files. Exit 0: no error-severity findings, 1: findings, 2: bad usage
      or unreadable files.

Options:
  -h, --help      Show this help.
  -v, --version   Show the version.
`;

const SEVERITY = ['error', 'warning', 'info', 'hint'] as const;

export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: (typeof SEVERITY)[number];
  message: string;
}

class UsageError extends Error {}

async function lintCommand(args: string[], out: (text: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'text' }, 'cockroach-version': { type: 'string' } },
  });
  const format = values.format;
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown --format '${format}' (expected text or json)`);
  const requestedVersion = values['cockroach-version'];
  const cockroachVersion = requestedVersion === undefined ? DEFAULT_COCKROACH_VERSION : normaliseCockroachVersion(requestedVersion);
  if (cockroachVersion === undefined) throw new UsageError(`--cockroach-version '${requestedVersion ?? ''}' is not a version like v25.2`);
  if (positionals.length === 0) throw new UsageError('lint needs at least one file');

  const findings: Finding[] = [];
  let unreadable = 0;
  for (const file of positionals) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      unreadable++;
      process.stderr.write(`crdb-studio: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
      continue;
    }
    for (const d of lint({ text, cockroachVersion })) {
      findings.push({
        file,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
        rule: typeof d.code === 'string' ? d.code : 'unknown',
        severity: SEVERITY[(d.severity ?? 1) - 1] ?? 'error',
        message: typeof d.message === 'string' ? d.message : d.message.value,
      });
    }
  }
  if (format === 'json') out(`${JSON.stringify(findings, null, 2)}\n`);
  else {
    for (const f of findings) out(`${f.file}:${f.line}:${f.column}: ${f.severity} ${f.message} [${f.rule}]\n`);
    out(
      `${findings.length} finding${findings.length === 1 ? '' : 's'} in ${positionals.length - unreadable} file${positionals.length - unreadable === 1 ? '' : 's'}\n`,
    );
  }
  if (unreadable > 0) return 2;
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

export async function main(argv: string[], out: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        out(USAGE);
        return command === undefined ? 2 : 0;
      case '-v':
      case '--version':
        out(`${version}\n`);
        return 0;
      case 'lint':
        return await lintCommand(rest, out);
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`crdb-studio: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`crdb-studio: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 3;
    },
  );
}
