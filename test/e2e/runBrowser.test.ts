/// <reference lib="dom" />
// Running SQL as a person does it: the packaged .vsix in code-server, through Chromium — CodeLens
// in a .sql file and in a lesson, the results view's contents, a bad connection's message, the
// question before a destructive statement, and the password prompt of a real PostgreSQL.
import * as assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import type { FrameLocator, Page } from 'playwright-core';
import { PATIENCE_MS, until } from '../support/patience';
import { openBrowser, screenshot, type BrowserSession } from '../support/browser';
import { openWorkbench, quickOpen, runCommand, waitShowing } from '../support/workbench';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { startPostgres } from '../support/postgres';
import { repoRoot } from '../support/tools';

const VSIX = path.join(repoRoot, 'dist', 'crdb-studio.vsix');

/** The results view's document (the last webview opened). */
function resultsView(page: Page): FrameLocator {
  return page.locator('iframe.webview.ready').last().contentFrame().frameLocator('#active-frame');
}

async function chooseTarget(page: Page, name: string): Promise<void> {
  await page
    .locator('.statusbar-item', { hasText: /Simulated cluster|local-pg|nowhere/ })
    .first()
    .click();
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await row.waitFor();
  await row.click();
  await page.locator('.statusbar-item', { hasText: name }).first().waitFor();
}

describe('running SQL in code-server, through Chromium', function () {
  this.timeout(5 * PATIENCE_MS);
  let server: CodeServer | undefined;
  let session: BrowserSession | undefined;
  let postgres: Awaited<ReturnType<typeof startPostgres>> | undefined;
  let page: Page;

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} exists (npm run package builds it; npm test runs that first)`);
    postgres = await startPostgres();
    server = await startCodeServer({
      workspaceSource: path.join(repoRoot, 'examples'),
      install: [VSIX],
      settings: {
        'crdbStudio.connections': [
          { name: 'local-pg', host: postgres.host, port: postgres.port, user: postgres.user, database: 'postgres', sslmode: 'disable' },
          // Nothing listens on port 1.
          { name: 'nowhere', host: '127.0.0.1', port: 1, user: 'root' },
        ],
      },
    });
    writeFileSync(
      path.join(server.workspace, 'scratch.sql'),
      ['SELECT 1 AS one, 2 AS two;', '', 'CREATE TABLE IF NOT EXISTS victim (id INT PRIMARY KEY);', '', 'DROP TABLE victim;', ''].join(
        '\n',
      ),
    );
    session = await openBrowser();
    page = session.page;
    await openWorkbench(page, server.url());
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(page, `failed-run-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  after(async () => {
    await session?.close();
    await server?.stop();
    await postgres?.stop();
  });

  it('runs a statement from its CodeLens on the simulated cluster and shows the rows', async () => {
    await quickOpen(page, 'scratch.sql');
    const lens = page.locator('.codelens-decoration a', { hasText: '▷ Run' }).first();
    await lens.waitFor();
    await lens.click();
    const view = resultsView(page);
    const grid = view.locator('[role=grid]').first();
    await grid.waitFor();
    assert.deepEqual(
      await grid
        .locator('[role=columnheader]')
        .allInnerTexts()
        .then((t) => t.map((s) => s.replace(/\s+/g, ' ').trim())),
      ['one INT8', 'two INT8'],
    );
    assert.deepEqual(await grid.locator('tbody [role=gridcell]').allInnerTexts(), ['1', '2']);
    assert.match(await view.locator('body').innerText(), /Simulated cluster/);
    await screenshot(page, 'run-sql-codelens');
  });

  it('runs a lesson block and shows each statement’s result', async () => {
    await quickOpen(page, '02-node-failure.md');
    const lens = page.locator('.codelens-decoration a', { hasText: '▷ Run' }).first();
    await lens.waitFor();
    await lens.click();
    const view = resultsView(page);
    await view.locator('td', { hasText: '1000000.00' }).first().waitFor({ state: 'attached' });
    const text = await view.locator('body').innerText();
    assert.match(text, /CREATE DATABASE bank/);
    assert.match(text, /SELECT count\(\*\) AS accounts/);
    await screenshot(page, 'run-lesson-block');
  });

  it('says why a connection fails and offers to retry', async () => {
    await quickOpen(page, 'scratch.sql');
    await chooseTarget(page, 'nowhere');
    await runCommand(page, 'crdb-studio: Run Statement at Cursor');
    // The message may show as a toast or only in the notification centre (code-server's browser
    // window may hold toasts back): read it from the centre, which lists it whenever it comes.
    await runCommand(page, 'Notifications: Show Notifications');
    const toast = page.locator('.notifications-center .notification-list-item', { hasText: 'cannot connect to nowhere' });
    await toast.waitFor();
    assert.match(await toast.innerText(), /refused|nothing listens/i);
    assert.ok(await toast.locator('.monaco-button', { hasText: 'Retry' }).count(), 'a Retry button');
    await screenshot(page, 'run-connection-refused');
    await page.keyboard.press('Escape');
  });

  it('asks for the password once, and asks before a destructive statement on a real cluster', async () => {
    assert.ok(postgres);
    await quickOpen(page, 'scratch.sql');
    await chooseTarget(page, 'local-pg');
    // Line 3: CREATE TABLE — the first run asks for the password.
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').fill(':3:1');
    await page.keyboard.press('Enter');
    await runCommand(page, 'crdb-studio: Run Statement at Cursor');
    const password = page.locator('.quick-input-widget input[type=password]');
    await password.waitFor();
    await password.fill(postgres.password);
    await page.keyboard.press('Enter');
    const check = new Client({
      host: postgres.host,
      port: postgres.port,
      user: postgres.user,
      password: postgres.password,
      database: 'postgres',
    });
    await check.connect();
    try {
      const exists = async (): Promise<boolean> =>
        (await check.query<{ e: boolean }>(`SELECT to_regclass('public.victim') IS NOT NULL AS e`)).rows[0]?.e === true;
      await until(exists, 'CREATE TABLE to run on the real PostgreSQL');
      // Line 5: DROP TABLE — declined, then accepted.
      await page.keyboard.press('Control+G');
      await page.locator('.quick-input-widget input').fill(':5:1');
      await page.keyboard.press('Enter');
      await runCommand(page, 'crdb-studio: Run Statement at Cursor');
      const dialog = page.locator('.monaco-dialog-box', { hasText: 'Run a destructive statement on local-pg?' });
      await dialog.waitFor();
      assert.match(await dialog.innerText(), /DROP TABLE/);
      await screenshot(page, 'run-destructive-confirmation');
      await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
      assert.equal(await exists(), true, 'declined: the table is still there');
      await runCommand(page, 'crdb-studio: Run Statement at Cursor');
      await dialog.waitFor();
      await dialog.locator('.monaco-button', { hasText: 'Run' }).click();
      await until(async () => !(await exists()), 'accepted: the table to be dropped');
    } finally {
      await check.end();
    }
  });

  it('draws the simulated cluster after a multi-region lesson; killing a node from the view moves its leases', async () => {
    await quickOpen(page, 'scratch.sql');
    await chooseTarget(page, 'Simulated cluster');
    await quickOpen(page, '01-multi-region-schema.md');
    // Every SQL block of the lesson, in order (the lesson's last statement reads SHOW RANGES).
    await runCommand(page, 'crdb-studio: Run File');
    await waitShowing(page, resultsView(page).locator('td', { hasText: 'us-west1' }), "the lesson's SHOW REGIONS result");
    await runCommand(page, 'crdb-studio: Show Topology');
    const view = resultsView(page);
    const node = (id: number) => view.locator(`.node[data-node-id="${id}"]`);
    await node(9).waitFor();
    assert.equal(await view.locator('.node').count(), 9);
    assert.equal(await view.locator('.node[data-liveness="live"]').count(), 9);
    // The node with the most leases (not node 1, the gateway of the editor's session).
    const leases = async (id: number): Promise<number> =>
      Number(/(\d+) leases?/.exec((await node(id).locator('.lease-count').textContent()) ?? '')?.[1] ?? 0);
    let victim = 2;
    for (let id = 2; id <= 9; id++) if ((await leases(id)) > (await leases(victim))) victim = id;
    assert.ok((await leases(victim)) > 0, 'the victim holds leases');
    await screenshot(page, 'topology-before-kill');
    await node(victim).locator('.node-name').click();
    await view.locator('.node-controls vscode-button', { hasText: 'Kill' }).click();
    await view.locator(`.node[data-node-id="${victim}"][data-liveness="dead"]`).waitFor();
    await until(async () => (await leases(victim)) === 0, 'its leases to move to live nodes');
    await screenshot(page, 'topology-after-kill');
    const cspViolations = (session?.consoleErrors ?? []).filter((line) => /Content Security Policy|Refused to/.test(line));
    assert.deepEqual(cspViolations, [], 'the webviews run under their strict CSP without violations');
  });
});
