// Entry point VS Code loads as `extensionTestsPath`: runs the host suites with mocha inside the
// real extension host, and writes the outcome and a report to $CRDB_HOST_TEST_RESULT for
// test/e2e/hostSuite.test.ts, which waits for it outside (code-server does not forward the
// extension host's stdout, so the report is built here from runner events).
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { PATIENCE_MS } from '../support/patience';
import { figures } from './figures';

export async function run(): Promise<void> {
  const lines: string[] = [];
  const mocha = new Mocha({ ui: 'bdd', timeout: 2 * PATIENCE_MS, color: false, reporter: Mocha.reporters.Base });
  for (const file of readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort())
    mocha.addFile(path.join(__dirname, file));

  let outcome: { passes: number; failures: number; pending: number };
  try {
    outcome = await new Promise((resolve) => {
      let depth = 0;
      const runner = mocha.run(() => {
        resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0, pending: runner.stats?.pending ?? 0 });
      });
      const indent = (): string => '  '.repeat(depth);
      runner.on(Mocha.Runner.constants.EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
        if (suite.title) lines.push(`${indent()}${suite.title}`);
        depth++;
      });
      runner.on(Mocha.Runner.constants.EVENT_SUITE_END, () => depth--);
      runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, (test: Mocha.Test) =>
        lines.push(`${indent()}✔ ${test.title} (${test.duration ?? 0} ms)`),
      );
      runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (test: Mocha.Test) => lines.push(`${indent()}- SKIPPED ${test.title}`));
      runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test: Mocha.Test, error: Error) =>
        lines.push(`${indent()}✖ ${test.title}\n${indent()}  ${(error.stack ?? error.message).replace(/\n/g, `\n${indent()}  `)}`),
      );
    });
  } catch (error) {
    outcome = { passes: 0, failures: 1, pending: 0 };
    lines.push(`the host suite crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  lines.push(...figures.map((figure) => `figure: ${figure}`));
  const resultFile = process.env['CRDB_HOST_TEST_RESULT'];
  if (resultFile) writeFileSync(resultFile, JSON.stringify({ ...outcome, report: lines.join('\n') }));
  if (outcome.failures > 0) throw new Error(`${outcome.failures} host test(s) failed`);
}
