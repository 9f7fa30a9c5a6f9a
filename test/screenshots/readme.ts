/// <reference lib="dom" />
// Takes the README's screenshots (docs/screenshot-*.png) from the packaged extension in a real
// VS Code (code-server) through Chromium, at 1600×1000 with the secondary side bar closed, so
// each shows its feature at a readable size:
//   npx tsc -p tsconfig.json && npm run --silent package && node out/test/screenshots/readme.js
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type FrameLocator, type Page } from 'playwright-core';
import { CHROMIUM } from '../support/browser';
import { startCodeServer } from '../support/codeServer';
import { PATIENCE_MS } from '../support/patience';
import { openWorkbench, quickOpen, runCommand } from '../support/workbench';
import { repoRoot } from '../support/tools';

const VSIX = path.join(repoRoot, 'dist', 'crdb-studio.vsix');
const DOCS = path.join(repoRoot, 'docs');
const VIEWPORT = { width: 1600, height: 1000 };

const MULTI_REGION_SQL = `CREATE DATABASE IF NOT EXISTS movr PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1";
CREATE TABLE IF NOT EXISTS movr.rides (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), city STRING NOT NULL, revenue DECIMAL(10,2), INDEX rides_by_city (city) STORING (revenue)) LOCALITY REGIONAL BY ROW;
CREATE TABLE IF NOT EXISTS movr.promo_codes (code STRING PRIMARY KEY, description STRING) LOCALITY GLOBAL;
CREATE TABLE IF NOT EXISTS movr.users (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), name STRING, email STRING UNIQUE) LOCALITY REGIONAL BY TABLE IN PRIMARY REGION;
`;

function webview(page: Page): FrameLocator {
  return page.locator('iframe.webview.ready').last().contentFrame().frameLocator('#active-frame');
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(DOCS, { recursive: true });
  const file = path.join(DOCS, `screenshot-${name}.png`);
  await page.mouse.move(VIEWPORT.width - 2, VIEWPORT.height / 2);
  await page.waitForTimeout(500);
  await page.screenshot({ path: file });
  process.stdout.write(`wrote ${path.relative(repoRoot, file)}\n`);
}

async function quickFix(page: Page): Promise<void> {
  await quickOpen(page, '01-sequential-keys.sql');
  await page.locator('.monaco-editor .squiggly-warning').first().waitFor();
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').fill(':6:5');
  await page.keyboard.press('Enter');
  const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Make id a UUID DEFAULT gen_random_uuid()' });
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+.');
    try {
      await fix.waitFor({ timeout: PATIENCE_MS / 4 });
      break;
    } catch (error) {
      if (attempt === 4) throw error;
      await page.keyboard.press('Escape');
    }
  }
  await shoot(page, 'quick-fix');
  await page.keyboard.press('Escape');
}

async function lessonNotebook(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  await quickOpen(page, '02-node-failure.md');
  await runCommand(page, 'crdb-studio: Open as CockroachDB Lesson');
  await page.locator('.notebook-editor .code-cell-row').first().waitFor();
  await runCommand(page, 'crdb-studio: Run All on a Clean Cluster');
  const cell = page.locator('.notebook-editor .code-cell-row', { hasText: 'SELECT count(*) AS accounts' }).first();
  await cell.locator('.codicon-notebook-state-success').waitFor({ timeout: 4 * PATIENCE_MS });
  await webview(page).locator('td', { hasText: '1000000.00' }).first().waitFor({ state: 'attached' });
  // The cell with its result table at the top of the notebook.
  await page.locator('.notebook-editor .cell-list-container').first().hover();
  await cell.scrollIntoViewIfNeeded();
  await page.mouse.wheel(0, 250);
  await shoot(page, 'lesson-notebook');
}

async function explorer(page: Page, workspace: string): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  writeFileSync(path.join(workspace, 'movr.sql'), MULTI_REGION_SQL);
  await runCommand(page, 'View: Show Explorer');
  await quickOpen(page, 'movr.sql');
  await runCommand(page, 'crdb-studio: Run File');
  await webview(page).locator('body', { hasText: 'CREATE TABLE' }).first().waitFor();
  await page.locator('.activitybar .action-item a[aria-label^="crdb-studio"]').first().click();
  const tree = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Schema Explorer' }) });
  const row = (text: string | RegExp) => tree.locator('.monaco-list-row', { hasText: text }).first();
  const expand = async (label: string | RegExp, child: string | RegExp): Promise<void> => {
    const parent = row(label);
    await parent.waitFor();
    if ((await parent.getAttribute('aria-expanded')) !== 'true') await parent.click();
    await row(child).waitFor();
  };
  await expand('Simulated cluster', /^movr/);
  await expand(/^movr/, /^rides/);
  await expand(/^rides/, 'Columns');
  await expand('Columns', /^city/);
  await expand('Indexes', /rides_by_city/);
  await shoot(page, 'explorer');
}

async function topology(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  await runCommand(page, 'View: Show Explorer');
  await quickOpen(page, '01-multi-region-schema.md');
  await runCommand(page, 'crdb-studio: Run File');
  await webview(page).locator('td', { hasText: 'us-west1' }).first().waitFor({ state: 'attached' });
  await runCommand(page, 'View: Close All Editors');
  await runCommand(page, 'View: Close Primary Side Bar');
  await runCommand(page, 'crdb-studio: Show Topology');
  const view = webview(page);
  const node = (id: number) => view.locator(`.node[data-node-id="${id}"]`);
  await node(9).waitFor();
  const leases = async (id: number): Promise<number> =>
    Number(/(\d+) leases?/.exec((await node(id).locator('.lease-count').textContent()) ?? '')?.[1] ?? 0);
  let victim = 2;
  for (let id = 2; id <= 9; id++) if ((await leases(id)) > (await leases(victim))) victim = id;
  await node(victim).locator('.node-name').click();
  await view.locator('.node-controls vscode-button', { hasText: 'Kill' }).click();
  await view.locator(`.node[data-node-id="${victim}"][data-liveness="dead"]`).waitFor();
  for (let i = 0; i < 600 && (await leases(victim)) > 0; i++) await page.waitForTimeout(200);
  await shoot(page, 'topology');
}

async function main(): Promise<void> {
  const only = new Set(process.argv.slice(2));
  const server = await startCodeServer({
    workspaceSource: path.join(repoRoot, 'examples'),
    install: [VSIX],
    settings: {
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'workbench.activityBar.location': 'default',
      'editor.minimap.enabled': false,
      'window.zoomLevel': 1,
      'workbench.startupEditor': 'none',
    },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const context = await browser.newContext({ viewport: VIEWPORT });
    context.setDefaultTimeout(PATIENCE_MS);
    const page = await context.newPage();
    await openWorkbench(page, server.url());
    // Activated once the target is in the status bar; the walkthrough it opens on this first
    // start is closed (it is not one of these pictures).
    await page.locator('.statusbar-item', { hasText: 'Simulated cluster' }).waitFor({ timeout: 3 * PATIENCE_MS });
    await runCommand(page, 'View: Close All Editors');
    const shots: [string, () => Promise<void>][] = [
      ['quick-fix', () => quickFix(page)],
      ['lesson-notebook', () => lessonNotebook(page)],
      ['explorer', () => explorer(page, server.workspace)],
      ['topology', () => topology(page)],
    ];
    for (const [name, take] of shots) if (only.size === 0 || only.has(name)) await take();
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
