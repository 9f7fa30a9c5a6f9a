// The lint command's hand-read options (cli/src/lintArguments.ts) against node:util's parseArgs,
// which they replace for start-up time: the same options, files and refusals on every command
// line built from the pieces below.
import * as assert from 'node:assert/strict';
import { parseArgs } from 'node:util';
import { LintArgumentError, parseLintArguments, type LintArguments } from '../../cli/src/lintArguments';
import { seededRandom } from '../support/random';

function byParseArgs(args: string[]): LintArguments {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'text' }, config: { type: 'string' }, 'cockroach-version': { type: 'string' } },
  });
  return { format: values.format, config: values.config, cockroachVersion: values['cockroach-version'], files: positionals };
}

type Outcome = LintArguments | 'refused';

function outcome(read: (args: string[]) => LintArguments, args: string[]): Outcome {
  try {
    return read(args);
  } catch (error) {
    if (read === parseLintArguments) assert.ok(error instanceof LintArgumentError, String(error));
    return 'refused';
  }
}

const PIECES = [
  'schema.sql',
  'migrations/*.sql',
  '-',
  '--',
  '--format',
  'json',
  '--format=sarif',
  '--format=',
  '--config',
  '.crdb-studio.json',
  '--config=other.json',
  '--cockroach-version',
  'v24.1',
  '--cockroach-version=v25.2',
  '--bogus',
  '--bogus=1',
  '-f',
  '-x',
  '--=x',
  '-',
];

describe('crdb-studio lint: its options', () => {
  it('reads the usual command lines', () => {
    assert.deepEqual(parseLintArguments(['--format', 'json', 'a.sql', '--config=c.json', 'b.md']), {
      format: 'json',
      config: 'c.json',
      cockroachVersion: undefined,
      files: ['a.sql', 'b.md'],
    });
    assert.deepEqual(parseLintArguments(['--', '--format', 'x.sql']).files, ['--format', 'x.sql']);
    assert.throws(() => parseLintArguments(['--format']), /argument missing/);
    assert.throws(() => parseLintArguments(['--bogus', 'a.sql']), /Unknown option '--bogus'/);
    assert.throws(() => parseLintArguments(['--format', '--config', 'c.json']), /ambiguous/);
  });

  it('agrees with parseArgs on 3,000 command lines made of options, values and files', () => {
    const random = seededRandom(14);
    for (let n = 0; n < 3000; n++) {
      const args = Array.from({ length: Math.floor(random() * 7) }, () => PIECES[Math.floor(random() * PIECES.length)] ?? '');
      assert.deepEqual(outcome(parseLintArguments, args), outcome(byParseArgs, args), JSON.stringify(args));
    }
  });
});
