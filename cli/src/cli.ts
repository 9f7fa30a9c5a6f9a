// crdb-studio command line: a thin driver over the platform-free cores.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { documentStatementsOnce } from '../../server/src/analysis/statements';
import { CONFIG_FILE, defaultConfig, parseConfigText, readConfig, type LintConfig } from '../../server/src/lint/config';
import { lintFile, type SourceFile } from '../../server/src/lint/engine';
import { allRules } from '../../server/src/lint/rules';
import { normaliseCockroachVersion } from '../../server/src/protocol';
import { formatGithub, formatJson, formatSarif, formatText, type Finding } from './formats';
import { expandGlob } from './glob';

declare const CLI_VERSION: string | undefined;
const version = typeof CLI_VERSION === 'string' ? CLI_VERSION : 'dev';

const USAGE = `Usage: crdb-studio <command> [options]

Commands:
  lint [--format text|json|sarif|github] [--config file] [--cockroach-version vX.Y] <files or globs>...
      Lint CockroachDB SQL files; the schema built by earlier files is known to later ones.
      Configuration: --config, else ${CONFIG_FILE} in the current folder.
      Exit 0: no error-severity finding, 1: at least one, 2: bad usage or unreadable files.

Options:
  -h, --help      Show this help.
  -v, --version   Show the version.
`;

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;

class UsageError extends Error {}

function loadConfig(file: string | undefined): LintConfig {
  const path = file ?? CONFIG_FILE;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (file === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') return defaultConfig();
    throw new UsageError(`cannot read config ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const { config, problems } = parseConfigText(text);
  if (problems.length > 0) throw new UsageError(`${path}: ${problems.join('; ')}`);
  return config;
}

async function lintCommand(args: string[], out: (text: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'text' }, config: { type: 'string' }, 'cockroach-version': { type: 'string' } },
  });
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new UsageError(`unknown --format '${values.format}' (expected ${FORMATS.join(', ')})`);
  let config = loadConfig(values.config);
  const requestedVersion = values['cockroach-version'];
  if (requestedVersion !== undefined) {
    if (!normaliseCockroachVersion(requestedVersion))
      throw new UsageError(`--cockroach-version '${requestedVersion}' is not a version like v25.2`);
    config = readConfig({ cockroachVersion: requestedVersion }, config).config;
  }
  if (positionals.length === 0) throw new UsageError('lint needs at least one file');

  const files: string[] = [];
  let unreadable = 0;
  for (const argument of positionals) {
    const expanded = expandGlob(argument);
    if (expanded.length === 0) {
      unreadable++;
      process.stderr.write(`crdb-studio: no file matches ${argument}\n`);
    }
    files.push(...expanded);
  }

  const findings: Finding[] = [];
  const linted: SourceFile[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      unreadable++;
      process.stderr.write(`crdb-studio: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
      continue;
    }
    const source: SourceFile = { uri: file, text, statements: documentStatementsOnce(text) };
    const lines = TextDocument.create(file, 'sql', 1, text);
    for (const f of lintFile(source, linted, config)) {
      const start = lines.positionAt(f.start);
      const end = lines.positionAt(f.end);
      findings.push({
        file,
        line: start.line + 1,
        column: start.character + 1,
        endLine: end.line + 1,
        endColumn: end.character + 1,
        rule: f.rule,
        severity: f.severity,
        message: f.message,
      });
    }
    linted.push(source);
  }

  if (format === 'json') out(formatJson(findings));
  else if (format === 'sarif') out(formatSarif(findings, allRules, version));
  else if (format === 'github') out(formatGithub(findings));
  else out(formatText(findings, linted.length));
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
