// Runs test/host/*.test.ts inside code-server's real extension host (the `extensionTestsPath`
// route of @vscode/test-electron, through a browser) and checks what they report.
import * as assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openBrowser, screenshot, type BrowserSession } from '../support/browser';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { PATIENCE_MS, until } from '../support/patience';
import { startPostgres } from '../support/postgres';
import { repoRoot } from '../support/tools';

interface HostResult {
  passes: number;
  failures: number;
  pending: number;
  report: string;
}

/** How long the host suite may take in all, on a loaded machine. */
const HOST_SUITE_MS = 8 * PATIENCE_MS;

describe('extension host suite (code-server)', function () {
  this.timeout(HOST_SUITE_MS + 3 * PATIENCE_MS);
  let server: CodeServer | undefined;
  let browser: BrowserSession | undefined;
  let postgres: Awaited<ReturnType<typeof startPostgres>> | undefined;
  const resultFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-result-')), 'result.json');

  before(async () => {
    // A real PostgreSQL for the connected-target tests of test/host/run.test.ts.
    postgres = await startPostgres();
    const pg = { host: postgres.host, port: postgres.port, user: postgres.user, password: postgres.password };
    server = await startCodeServer({
      workspaceSource: path.join(repoRoot, 'examples'),
      env: { CRDB_HOST_TEST_RESULT: resultFile, CRDB_TEST_PG: JSON.stringify(pg) },
    });
    browser = await openBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await postgres?.stop();
  });

  it('passes every test inside the real extension host', async () => {
    if (!server || !browser) throw new Error('setup failed');
    const payload: [string, string][] = [
      ['extensionDevelopmentPath', server.remoteUri(repoRoot)],
      ['extensionTestsPath', server.remoteUri(path.join(repoRoot, 'out', 'test', 'host', 'index.js'))],
    ];
    await browser.page.goto(server.url(payload));
    // The whole host suite runs before the result is written; its own timeouts end a test that hangs.
    try {
      await until(() => existsSync(resultFile), 'the host suite to write its result', HOST_SUITE_MS);
    } catch (error) {
      await screenshot(browser.page, 'host-suite-timeout');
      throw new Error(`the host suite wrote no result in time; code-server log: ${server.logFile}`, { cause: error });
    }
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as HostResult;
    process.stdout.write(`${result.report.replace(/^/gm, '    │ ')}\n`);
    const statsFile = process.env['CRDB_TEST_STATS'];
    if (statsFile)
      appendFileSync(
        statsFile,
        `${JSON.stringify({ stage: 'host', passes: result.passes, failures: result.failures, pending: result.pending })}\n`,
      );
    assert.equal(result.failures, 0, 'host tests failed (report above)');
    assert.equal(result.pending, 0, 'no host test may be skipped');
    assert.ok(result.passes >= 10, `the host suite ran its tests (${result.passes} passed)`);
  });
});
