// Mocha's spec reporter, plus a closing 'N passed, N failed' line that CI reads, and the
// counts written to $CRDB_TEST_STATS (when set) so scripts/test.sh can add up every stage.
import { appendFileSync } from 'node:fs';
import * as Mocha from 'mocha';
import { hostLogTails } from './hostLogs';

const { EVENT_RUN_END, EVENT_TEST_FAIL } = Mocha.Runner.constants;

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    // A failure while a code-server runs: its logs go with the failure (they are gone after).
    runner.on(EVENT_TEST_FAIL, (test) => {
      const logs = hostLogTails();
      if (logs !== '') process.stdout.write(`\nhost logs when "${test.fullTitle()}" failed:\n${logs}\n`);
    });
    runner.once(EVENT_RUN_END, () => {
      const stats = runner.stats;
      if (!stats) return;
      const stage = process.env['CRDB_TEST_STAGE'] ?? 'tests';
      const line = `${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped`;
      process.stdout.write(`${stage}: ${line}\n`);
      const file = process.env['CRDB_TEST_STATS'];
      if (file)
        appendFileSync(file, `${JSON.stringify({ stage, passes: stats.passes, failures: stats.failures, pending: stats.pending })}\n`);
    });
  }
}

export = SpecWithSummary;
