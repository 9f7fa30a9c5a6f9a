/// <reference lib="dom" />
// The schema explorer as a person uses it: the packaged .vsix in code-server, through Chromium.
// The crdb-studio activity-bar view lists the targets; on the simulated cluster a multi-region
// database (made by running a .sql file) expands to its tables with their locality badges and a
// table to its columns; a real PostgreSQL profile, after its password, lists its tables.
import * as assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import type { Locator, Page } from 'playwright-core';
import { PATIENCE_MS } from '../support/patience';
import { openBrowser, screenshot, type BrowserSession } from '../support/browser';
import { openWorkbench, quickOpen, runCommand, waitShowing } from '../support/workbench';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { startPostgres } from '../support/postgres';
import { repoRoot } from '../support/tools';

const VSIX = path.join(repoRoot, 'dist', 'crdb-studio.vsix');

const MULTI_REGION_SQL = [
  'CREATE DATABASE IF NOT EXISTS explorer_movr PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1";',
  '',
  'CREATE TABLE IF NOT EXISTS explorer_movr.rides (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), city STRING NOT NULL, revenue DECIMAL(10,2)) LOCALITY REGIONAL BY ROW;',
  '',
  'CREATE TABLE IF NOT EXISTS explorer_movr.promo_codes (code STRING PRIMARY KEY) LOCALITY GLOBAL;',
  '',
].join('\n');

describe('schema explorer in code-server, through Chromium', function () {
  this.timeout(5 * PATIENCE_MS);
  let server: CodeServer | undefined;
  let session: BrowserSession | undefined;
  let postgres: Awaited<ReturnType<typeof startPostgres>> | undefined;
  let page: Page;

  /** The explorer view's tree. */
  const tree = (): Locator => page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Schema Explorer' }) });
  /** A row of the tree by its label (and description). */
  const row = (text: string | RegExp): Locator => tree().locator('.monaco-list-row', { hasText: text }).first();

  /** Expands a row (a click on a collapsed row) and waits for one of its children. */
  async function expand(label: string | RegExp, child: string | RegExp): Promise<Locator> {
    const parent = row(label);
    await parent.waitFor();
    if ((await parent.getAttribute('aria-expanded')) !== 'true') await parent.click();
    const found = row(child);
    await found.waitFor();
    return found;
  }

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} exists (npm run package builds it; npm test runs that first)`);
    postgres = await startPostgres();
    const client = new Client({
      host: postgres.host,
      port: postgres.port,
      user: postgres.user,
      password: postgres.password,
      database: 'postgres',
    });
    await client.connect();
    await client.query('CREATE TABLE pg_inventory (sku TEXT PRIMARY KEY, quantity INT NOT NULL)');
    await client.end();
    server = await startCodeServer({
      workspaceSource: path.join(repoRoot, 'examples'),
      install: [VSIX],
      settings: {
        'crdbStudio.connections': [
          { name: 'local-pg', host: postgres.host, port: postgres.port, user: postgres.user, database: 'postgres', sslmode: 'disable' },
        ],
      },
    });
    writeFileSync(path.join(server.workspace, 'explorer-demo.sql'), MULTI_REGION_SQL);
    session = await openBrowser();
    page = session.page;
    await openWorkbench(page, server.url());
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(page, `failed-explorer-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  after(async () => {
    await session?.close();
    await server?.stop();
    await postgres?.stop();
  });

  it('opens from the activity bar and lists the targets', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="crdb-studio"]').first().click();
    await row('Simulated cluster').waitFor();
    await row('local-pg').waitFor();
  });

  it('expands the simulated cluster to a multi-region database, its tables’ localities and a table’s columns', async () => {
    // The database is made the way a user would: running a .sql file on the simulated cluster.
    await runCommand(page, 'View: Show Explorer');
    await quickOpen(page, 'explorer-demo.sql');
    await runCommand(page, 'crdb-studio: Run File');
    const resultsFrame = page.locator('iframe.webview.ready').last().contentFrame().frameLocator('#active-frame');
    await waitShowing(page, resultsFrame.locator('body', { hasText: 'CREATE TABLE' }), 'the run of explorer-demo.sql');

    await page.locator('.activitybar .action-item a[aria-label^="crdb-studio"]').first().click();
    const database = await expand('Simulated cluster', 'explorer_movr');
    assert.match(await database.innerText(), /3 regions, primary us-east1, survive zone/);
    const rides = await expand('explorer_movr', /^rides/);
    assert.match(await rides.innerText(), /REGIONAL BY ROW/);
    assert.match(await row(/^promo_codes/).innerText(), /GLOBAL/);
    await expand(/^rides/, 'Columns');
    const city = await expand('Columns', /^city/);
    assert.match(await city.innerText(), /STRING NOT NULL/);
    assert.match(await row(/^crdb_region/).innerText(), /hidden/);
    await expand('Indexes', /rides_pkey/);
    await screenshot(page, 'explorer-multi-region');
  });

  it('lists a real PostgreSQL’s tables, after its password', async () => {
    assert.ok(postgres);
    // The simulated cluster's rows out of the way (collapsing it also cancels any read below it).
    const simulated = row('Simulated cluster');
    if ((await simulated.getAttribute('aria-expanded')) === 'true') await simulated.click();
    await row('local-pg').click();
    const password = page.locator('.quick-input-widget input[type=password]');
    await password.waitFor();
    await password.fill(postgres.password);
    await page.keyboard.press('Enter');
    await row(/^postgres/).waitFor();
    assert.match(await row(/PostgreSQL: not available/).innerText(), /regions, localities, partitions and zone configurations/);
    const table = await expand(/^postgres/, 'pg_inventory');
    assert.doesNotMatch(await table.innerText(), /REGIONAL|GLOBAL/);
    await expand('pg_inventory', 'Columns');
    await expand(/^Columns/, /^quantity/);
    await screenshot(page, 'explorer-postgres');
  });
});
