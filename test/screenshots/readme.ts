/// <reference lib="dom" />
// Takes the README's screenshots (docs/screenshot-*.png) from the packaged extension in a real
// VS Code (code-server) through Chromium:
//   npx tsc -p tsconfig.json && npm run --silent package && node out/test/screenshots/readme.js [name…]
// The page is 1280×800 CSS pixels drawn at a device scale of 1.25, so each picture is 1600×1000
// with every letter a quarter larger than VS Code's default: the README shows them at about
// 60%, where text at scale 1 is too small to read. The secondary side bar stays closed, side
// bars and panels open only where they are the subject, and notifications are cleared.
// Every wait is on a condition with a generous limit (the machine may be shared and slow); a
// shot that fails leaves test-artifacts/readme-<name>-failed.png and the others still run.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { artifactsDir, CHROMIUM } from '../support/browser';
import { startCodeServer } from '../support/codeServer';
import { PATIENCE_MS, until } from '../support/patience';
import { openWorkbench, runCommand } from '../support/workbench';
import { repoRoot } from '../support/tools';

const VSIX = process.env['CRDB_SCREENSHOT_VSIX'] ?? path.join(repoRoot, 'dist', 'crdb-studio.vsix');
const DOCS = path.join(repoRoot, 'docs');
const VIEWPORT = { width: 1280, height: 800 };
const SCALE = 1.25;
/** The longest wait for something slow (a lesson run, a cluster start, a failover). */
const LONG_MS = 5 * PATIENCE_MS;

// The simulated cluster starts with cockroach demo's movr (not multi-region): it is replaced.
const MULTI_REGION_SQL = `-- A multi-region schema: rows live in the region they belong to.
DROP DATABASE IF EXISTS movr CASCADE;
CREATE DATABASE movr PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1";

CREATE TABLE IF NOT EXISTS movr.rides (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    city STRING NOT NULL,
    rider_id UUID NOT NULL,
    revenue DECIMAL(10, 2),
    INDEX rides_by_city (city) STORING (revenue),
    INDEX rides_by_rider (rider_id)
) LOCALITY REGIONAL BY ROW;

CREATE TABLE IF NOT EXISTS movr.promo_codes (
    code STRING PRIMARY KEY,
    description STRING
) LOCALITY GLOBAL;

CREATE TABLE IF NOT EXISTS movr.users (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name STRING,
    email STRING UNIQUE
) LOCALITY REGIONAL BY TABLE IN "us-west1";

INSERT INTO movr.rides (crdb_region, city, rider_id, revenue)
    SELECT 'us-west1', 'seattle', gen_random_uuid(), 12.50 FROM generate_series(1, 800);
INSERT INTO movr.rides (crdb_region, city, rider_id, revenue)
    SELECT 'us-east1', 'new york', gen_random_uuid(), 18.00 FROM generate_series(1, 1200);
INSERT INTO movr.rides (crdb_region, city, rider_id, revenue)
    SELECT 'europe-west1', 'paris', gen_random_uuid(), 15.00 FROM generate_series(1, 450);
`;

let movrCreated = false;

/** Runs movr.sql (the multi-region movr) once, from the editor, and closes its editors. */
async function createMultiRegionMovr(page: Page, workspace: string): Promise<void> {
  if (movrCreated) return;
  await runCommand(page, 'View: Close All Editors');
  writeFileSync(path.join(workspace, 'movr.sql'), MULTI_REGION_SQL);
  await openFile(page, 'movr.sql');
  await runCommand(page, 'crdb-studio: Run File');
  const results = webview(page);
  await results.locator('body', { hasText: 'INSERT' }).first().waitFor({ timeout: LONG_MS });
  await until(
    async () => (await results.locator('body', { hasText: /Error|✕/ }).count()) === 0 || 'error',
    'movr.sql to run',
    LONG_MS,
  ).then(async (outcome) => {
    if (outcome === 'error') throw new Error(`movr.sql failed: ${await results.locator('body').innerText()}`);
  });
  movrCreated = true;
}

function webview(page: Page): FrameLocator {
  return page.locator('iframe.webview.ready').last().contentFrame().frameLocator('#active-frame');
}

/** Clears notifications and parks the mouse where nothing shows a hover (the activity bar's gap). */
async function tidy(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'hidden' });
  await page.mouse.move(20, VIEWPORT.height / 2);
  await page.locator('.workbench-hover-container').first().waitFor({ state: 'hidden' });
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(DOCS, { recursive: true });
  const file = path.join(DOCS, `screenshot-${name}.png`);
  await page.mouse.move(20, VIEWPORT.height / 2);
  // Let the last layout and fade-in settle: two animation frames, then a short pause.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.waitForTimeout(1000);
  await page.screenshot({ path: file });
  process.stdout.write(`wrote ${path.relative(repoRoot, file)}\n`);
}

async function visible(locator: Locator): Promise<boolean> {
  return (await locator.count()) > 0 && (await locator.first().isVisible());
}

async function closePanel(page: Page): Promise<void> {
  const panel = page.locator('.part.panel');
  if (!(await visible(panel))) return;
  // By its command: the panel's title actions change with the view it shows.
  await runCommand(page, 'View: Hide Panel');
  await panel.waitFor({ state: 'hidden' });
}

async function closeSideBars(page: Page): Promise<void> {
  if (await visible(page.locator('.part.sidebar'))) await runCommand(page, 'View: Close Primary Side Bar');
  await page.locator('.part.sidebar').waitFor({ state: 'hidden' });
  await closePanel(page);
}

/** Opens a workspace file by name with Go to File (the explorer may be closed). */
async function openFile(page: Page, fileName: string): Promise<void> {
  await runCommand(page, 'Go to File...');
  const input = page.locator('.quick-input-widget input');
  await until(async () => (await input.inputValue()) === '', 'Go to File to open');
  await input.fill(fileName);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().click();
  await page.locator('.tab.active', { hasText: fileName }).first().waitFor({ timeout: LONG_MS });
}

async function quickFix(page: Page): Promise<void> {
  await openFile(page, '01-sequential-keys.sql');
  await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: LONG_MS });
  await closeSideBars(page);
  // The findings of the file listed under the code, then the fixes of the first one.
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel .monaco-tl-row', { hasText: 'SERIAL' }).first().waitFor({ timeout: LONG_MS });
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').fill(':6:5');
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await tidy(page);
  const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Make id a UUID DEFAULT gen_random_uuid()' });
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+.');
    try {
      await fix.waitFor({ timeout: PATIENCE_MS / 2 });
      break;
    } catch (error) {
      if (attempt === 6) throw error;
      await page.keyboard.press('Escape');
    }
  }
  await shoot(page, 'quick-fix');
  await page.keyboard.press('Escape');
}

/**
 * Scrolls the notebook until `cell`'s top is `top` CSS pixels below the notebook's top, wheeling
 * `direction` (1 down, -1 up) while the cell is not drawn (the list draws only what is near).
 */
async function scrollNotebookTo(page: Page, cell: Locator, top: number, direction: 1 | -1): Promise<void> {
  const list = page.locator('.notebook-editor .cell-list-container').first();
  const listBox = await list.boundingBox();
  if (!listBox) throw new Error('no notebook list');
  const shown = cell.filter({ visible: true }).first();
  await page.mouse.move(listBox.x + listBox.width / 2, listBox.y + listBox.height / 2);
  let previous = Number.NaN;
  let lastDelta = 0;
  await until(
    async () => {
      const box = (await shown.count()) > 0 ? await shown.boundingBox() : null;
      const delta = box ? box.y - listBox.y - top : direction * 400;
      // There, as far as the list goes, or just past it (a wheel step may move more than asked).
      if (box && (Math.abs(delta) < 24 || box.y === previous || (Math.sign(delta) !== Math.sign(lastDelta) && Math.abs(delta) < 80)))
        return true;
      previous = box ? box.y : Number.NaN;
      lastDelta = box ? delta : 0;
      await page.mouse.wheel(0, Math.max(-600, Math.min(600, delta)));
      await page.waitForTimeout(400);
      return false;
    },
    'the notebook to scroll to its cell',
    LONG_MS,
  );
}

async function lessonNotebook(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  await openFile(page, '02-node-failure.md');
  await runCommand(page, 'crdb-studio: Open as CockroachDB Lesson');
  await page.locator('.notebook-editor .code-cell-row').first().waitFor({ timeout: LONG_MS });
  // Only the notebook: the Markdown text editor it was opened from is closed.
  await runCommand(page, 'View: Close Other Editors in Group');
  await closeSideBars(page);
  await runCommand(page, 'crdb-studio: Run All on a Clean Cluster');
  // The run ends with the last cell (the restarted node's liveness) succeeding.
  const cells = page.locator('.notebook-editor .code-cell-row');
  const last = cells.filter({ hasText: /demo\s+restart\s+3/ });
  const shutdown = cells.filter({ hasText: /demo\s+shutdown\s+3/ });
  await scrollNotebookTo(page, last, 40, 1);
  await last.locator('.codicon-notebook-state-success').first().waitFor({ timeout: LONG_MS });
  // The node stopped, writes carrying on, and the node status table with node 3 dead.
  await scrollNotebookTo(page, shutdown, 0, -1);
  await shutdown.locator('.codicon-notebook-state-success').first().waitFor({ timeout: LONG_MS });
  await until(
    async () =>
      (await webview(page)
        .locator('td', { hasText: /^(false|f)$/ })
        .count()) > 0,
    'a dead node in node status',
    LONG_MS,
  );
  await tidy(page);
  await shoot(page, 'lesson-notebook');
}

/** Drags the primary side bar's edge to `width` CSS pixels. */
async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) throw new Error('no side bar');
  const edge = box.x + box.width;
  await page.mouse.move(edge + 1, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(edge + 1 + (width - box.width) / 2, box.y + box.height / 2, { steps: 5 });
  await page.mouse.move(box.x + width + 1, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
}

async function explorer(page: Page, workspace: string): Promise<void> {
  await createMultiRegionMovr(page, workspace);
  // Beside the tree, the schema it shows (not the results of its last INSERT).
  await runCommand(page, 'View: Close All Editors');
  await openFile(page, 'movr.sql');
  await closePanel(page);
  await page.locator('.activitybar .action-item a[aria-label^="crdb-studio"]').first().click();
  const tree = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Schema Explorer' }) });
  await tree.first().waitFor();
  // The other views of the container fold, so the tree has the side bar's height.
  const others = page.locator('.part.sidebar .pane-header[aria-expanded="true"]', { hasNotText: 'Schema Explorer' });
  while ((await others.count()) > 0) await others.first().click();
  await widenSideBar(page, 560);
  const row = (text: string | RegExp) => tree.locator('.monaco-list-row', { hasText: text }).first();
  const expand = async (label: string | RegExp, child: string | RegExp): Promise<void> => {
    const parent = row(label);
    await parent.waitFor({ timeout: LONG_MS });
    if ((await parent.getAttribute('aria-expanded')) !== 'true') await parent.click();
    await row(child).waitFor({ timeout: LONG_MS });
  };
  await expand('Simulated cluster', /^movr/);
  await expand(/^movr/, /^rides/);
  await expand(/^Regions/, /^europe-west1/);
  await expand(/^rides/, /^Columns/);
  await expand(/^Indexes/, /^rides_by_city/);
  await expand(/^Columns/, /^city/);
  await tidy(page);
  await shoot(page, 'explorer');
}

async function topology(page: Page, workspace: string): Promise<void> {
  await createMultiRegionMovr(page, workspace);
  await runCommand(page, 'View: Close All Editors');
  await closeSideBars(page);
  await runCommand(page, 'crdb-studio: Show Topology');
  const view = webview(page);
  const node = (id: number) => view.locator(`.node[data-node-id="${id}"]`);
  await node(9).waitFor({ timeout: LONG_MS });
  const leases = async (id: number): Promise<number> =>
    Number(/(\d+) leases?/.exec((await node(id).locator('.lease-count').textContent()) ?? '')?.[1] ?? 0);
  let victim = 2;
  for (let id = 2; id <= 9; id++) if ((await leases(id)) > (await leases(victim))) victim = id;
  await node(victim).locator('.node-name').click();
  await view.locator('.node-controls vscode-button', { hasText: 'Kill' }).click();
  await view.locator(`.node[data-node-id="${victim}"][data-liveness="dead"]`).waitFor({ timeout: LONG_MS });
  await until(async () => (await leases(victim)) === 0, `n${victim}'s leases to move`, LONG_MS);
  // Where movr.rides lives now: its nodes light up, leaseholders linked to their followers.
  await view.locator('.filters select').nth(0).selectOption('movr');
  await view.locator('.filters select').nth(1).selectOption('rides');
  await view.locator('body', { hasText: 'Partitions of rides' }).first().waitFor({ timeout: LONG_MS });
  await tidy(page);
  await shoot(page, 'topology');
}

/** The walkthrough as a first start shows it: its five steps, the first one open. */
async function walkthrough(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  // Before the walkthrough opens: once it shows, the command palette comes up inert.
  await closeSideBars(page);
  await runCommand(page, 'Welcome: Open Walkthrough...');
  const input = page.locator('.quick-input-widget input');
  await input.fill('crdb-studio');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get Started with crdb-studio' }).first().click();
  await page.locator('.gettingStartedContainer', { hasText: 'Get Started with crdb-studio' }).waitFor({ timeout: LONG_MS });
  await shoot(page, 'walkthrough');
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
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.layoutControl.enabled': false,
      'chat.commandCenter.enabled': false,
    },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  const failed: string[] = [];
  try {
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: SCALE });
    context.setDefaultTimeout(PATIENCE_MS);
    context.setDefaultNavigationTimeout(PATIENCE_MS);
    const page = await context.newPage();
    await openWorkbench(page, server.url());
    // Activated once the target is in the status bar (minutes for a freshly installed
    // extension on a loaded machine).
    await page.locator('.statusbar-item', { hasText: 'Simulated cluster' }).waitFor({ timeout: LONG_MS });
    await runCommand(page, 'View: Close All Editors');
    const shots: [string, () => Promise<void>][] = [
      ['quick-fix', () => quickFix(page)],
      ['lesson-notebook', () => lessonNotebook(page)],
      ['explorer', () => explorer(page, server.workspace)],
      ['topology', () => topology(page, server.workspace)],
      ['walkthrough', () => walkthrough(page)],
    ];
    for (const [name, take] of shots) {
      if (only.size > 0 && !only.has(name)) continue;
      try {
        await take();
      } catch (error) {
        failed.push(name);
        console.error(`${name}:`, error);
        mkdirSync(artifactsDir, { recursive: true });
        await page.screenshot({ path: path.join(artifactsDir, `readme-${name}-failed.png`) }).catch(() => undefined);
        await page.keyboard.press('Escape').catch(() => undefined);
      }
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  if (failed.length > 0) throw new Error(`no screenshot for: ${failed.join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
