/// <reference lib="dom" />
// Completion and hover from the live catalog, as a person meets them: the packaged .vsix in
// code-server, through Chromium. A multi-region database exists only on the simulated cluster
// (made by running a .sql file that sorts after the edited one, so the workspace's schema model
// does not see it); once the schema explorer has read the cluster, the language server is told its
// catalog. In a .sql file, `catalog_movr.` then lists that database's tables (the cluster's, and
// one only a workspace file declares), a table or an alias followed by `.` its columns, and a
// hover on a table its locality and row estimate there.
import * as assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { PATIENCE_MS, until } from '../support/patience';
import { openBrowser, screenshot, type BrowserSession } from '../support/browser';
import { openWorkbench, quickOpen, runCommand } from '../support/workbench';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { repoRoot } from '../support/tools';

// CRDB_VSIX: a package built aside, when another build in the same tree may be rewriting dist/.
const VSIX = process.env['CRDB_VSIX'] ?? path.join(repoRoot, 'dist', 'crdb-studio.vsix');

/** Run on the cluster; its name sorts after the edited file, so the schema model never reads it. */
const CLUSTER_SETUP = 'zz-catalog-setup.sql';
const CLUSTER_SQL = [
  'CREATE DATABASE IF NOT EXISTS catalog_movr PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1";',
  '',
  'CREATE TABLE IF NOT EXISTS catalog_movr.vehicles (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), city STRING NOT NULL, battery_level INT8) LOCALITY REGIONAL BY ROW;',
  '',
  'CREATE TABLE IF NOT EXISTS catalog_movr.promo_codes (code STRING PRIMARY KEY, discount DECIMAL(4,2)) LOCALITY GLOBAL;',
  '',
  // A REGIONAL BY ROW table's region default reads the session's database: it must be multi-region.
  'USE catalog_movr;',
  '',
  "INSERT INTO catalog_movr.vehicles (city, battery_level) VALUES ('new york', 80), ('boston', 64), ('paris', 12);",
  '',
  // Statistics now, as the automatic refresher would collect them soon after: the row estimate.
  'ANALYZE catalog_movr.vehicles;',
  '',
].join('\n');

/** Declared in the workspace only, never run: completion merges it with the cluster's tables. */
const DECLARED = 'catalog-declared.sql';
const DECLARED_SQL = [
  'CREATE DATABASE IF NOT EXISTS catalog_movr PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1";',
  '',
  'CREATE TABLE IF NOT EXISTS catalog_movr.vouchers (code STRING PRIMARY KEY, amount DECIMAL(10,2)) LOCALITY GLOBAL;',
  '',
].join('\n');

/** The file the test types in; it sorts after the declared file and before the setup file. */
const EDITED = 'catalog-query.sql';

describe('completion and hover from the live catalog in code-server, through Chromium', function () {
  this.timeout(6 * PATIENCE_MS);
  let server: CodeServer | undefined;
  let session: BrowserSession | undefined;
  let page: Page;

  const tree = (): Locator => page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Schema Explorer' }) });
  const row = (text: string | RegExp): Locator => tree().locator('.monaco-list-row', { hasText: text }).first();
  const editor = (): Locator => page.locator('.editor-group-container.active .monaco-editor').first();
  const suggestRows = (): Locator => page.locator('.editor-widget.suggest-widget.visible .monaco-list-row');

  /** Replaces the edited file's text by typing `text` on one line (no Enter: it could accept a suggestion). */
  async function typeLine(text: string): Promise<void> {
    await page.locator('.tab.active', { hasText: EDITED }).first().click();
    await editor().locator('.view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(text);
    await page.keyboard.press('Escape');
  }

  /** The labels the suggest widget lists once triggered by hand (Ctrl+Space). */
  async function suggestions(): Promise<string[]> {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Space');
    await suggestRows().first().waitFor();
    // The list can be refined by a second answer while it opens: read it once it holds still.
    let previous = '';
    return until(async () => {
      const labels = await suggestRows().evaluateAll((rows) =>
        rows.map((r) => (r.querySelector('.label-name')?.textContent ?? r.getAttribute('aria-label') ?? '').trim()),
      );
      const now = labels.join('\n');
      const settled = now === previous && labels.length > 0;
      previous = now;
      return settled ? labels : undefined;
    }, 'the suggest widget to settle');
  }

  /** Triggers suggest until it lists `expected` (the catalog arrives after the explorer's read). */
  async function suggestionsWith(expected: string): Promise<string[]> {
    let last: string[] = [];
    try {
      return await until(async () => {
        last = await suggestions();
        return last.includes(expected) ? last : undefined;
      }, `suggestions to include ${expected}`);
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}; last listed: ${last.join(', ')}`, { cause: error });
    }
  }

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} exists (npm run package builds it; npm test runs that first)`);
    server = await startCodeServer({ workspaceSource: path.join(repoRoot, 'examples'), install: [VSIX] });
    writeFileSync(path.join(server.workspace, CLUSTER_SETUP), CLUSTER_SQL);
    writeFileSync(path.join(server.workspace, DECLARED), DECLARED_SQL);
    writeFileSync(path.join(server.workspace, EDITED), '-- completion from the live catalog\n');
    session = await openBrowser();
    page = session.page;
    await openWorkbench(page, server.url());
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(page, `failed-catalog-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  after(async () => {
    await session?.close();
    await server?.stop();
  });

  it('makes a multi-region database on the simulated cluster by running a file', async () => {
    await quickOpen(page, CLUSTER_SETUP);
    await runCommand(page, 'crdb-studio: Run File');
    const results = page.locator('iframe.webview.ready').last().contentFrame().frameLocator('#active-frame');
    // The run's own status in the run bar: each statement's row carries a status too.
    const ended = results.locator('.run-info > .status-done, .run-info > .status-error, .run-info > .status-cancelled').first();
    await ended.waitFor();
    assert.match((await ended.getAttribute('class')) ?? '', /status-done/, await results.locator('body').innerText());
  });

  it('before the explorer connected, `catalog_movr.` lists only what the workspace declares', async () => {
    // No background reads until the user opens the explorer on a target.
    await quickOpen(page, EDITED);
    await typeLine('SELECT * FROM catalog_movr.');
    const labels = await suggestionsWith('vouchers');
    assert.ok(!labels.includes('vehicles'), `the cluster's catalog is not read yet: ${labels.join(', ')}`);
    await page.keyboard.press('Escape');
  });

  it('expands the simulated cluster to the database in the schema explorer', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="crdb-studio"]').first().click();
    const simulated = row('Simulated cluster');
    await simulated.waitFor();
    if ((await simulated.getAttribute('aria-expanded')) !== 'true') await simulated.click();
    await row('catalog_movr').waitFor();
    await runCommand(page, 'View: Show Explorer');
  });

  it('after `catalog_movr.` lists the cluster’s tables and the one only a workspace file declares, not keywords', async () => {
    await typeLine('SELECT * FROM catalog_movr.');
    const labels = await suggestionsWith('vehicles');
    assert.ok(labels.includes('promo_codes'), `the cluster's other table: ${labels.join(', ')}`);
    assert.ok(labels.includes('vouchers'), `the table only the workspace declares: ${labels.join(', ')}`);
    for (const keyword of ['ALTER DATABASE', 'BEGIN', 'SELECT'])
      assert.ok(!labels.some((l) => l.startsWith(keyword)), `no keyword ${keyword}: ${labels.join(', ')}`);
    await screenshot(page, 'catalog-completion-tables');
    await page.keyboard.press('Escape');
  });

  it('after a table’s name or an alias and `.` lists the cluster table’s columns', async () => {
    await typeLine('SELECT * FROM catalog_movr.vehicles AS v WHERE v.');
    const byAlias = await suggestionsWith('battery_level');
    assert.ok(byAlias.includes('city'), byAlias.join(', '));
    assert.ok(!byAlias.includes('vouchers'), `columns only: ${byAlias.join(', ')}`);
    await screenshot(page, 'catalog-completion-alias-columns');
    await typeLine('SELECT * FROM catalog_movr.vehicles WHERE vehicles.');
    const byName = await suggestionsWith('battery_level');
    assert.ok(byName.includes('id') && byName.includes('city'), byName.join(', '));
    await page.keyboard.press('Escape');
  });

  it('hovering a table only the cluster has shows its locality and row estimate there', async () => {
    await typeLine('SELECT * FROM catalog_movr.vehicles');
    // The cursor is at the end of `vehicles`: one step left is inside the name; Ctrl+K Ctrl+I shows the hover.
    await page.keyboard.press('ArrowLeft');
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'catalog_movr.vehicles' }).first();
    const text = await until(async () => {
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      try {
        await hover.waitFor({ timeout: 10_000 });
        return await hover.innerText();
      } catch {
        return undefined;
      }
    }, 'the hover on vehicles');
    // Three rows were inserted and the statistics collected: the estimate says so.
    assert.match(text, /Locality: REGIONAL BY ROW · Estimated rows: 3\b/);
    assert.match(text, /Simulated cluster/);
    assert.match(text, /battery_level/);
    await screenshot(page, 'catalog-hover-live-table');
    await page.keyboard.press('Escape');
  });
});
