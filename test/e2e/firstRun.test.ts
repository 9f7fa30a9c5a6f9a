/// <reference lib="dom" />
// A new user's first start, in code-server through Chromium with Workspace Trust on: the
// walkthrough opens by itself, the target is in the status bar before any file is opened, the
// folder's lessons do not run in Restricted Mode (the lenses offer to trust it), trusting ticks
// the walkthrough's step, and a lesson runs again and again from a clean cluster.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { PATIENCE_MS } from '../support/patience';
import { openBrowser, screenshot, type BrowserSession } from '../support/browser';
import { openWorkbench, quickOpen, runCommand } from '../support/workbench';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { repoRoot } from '../support/tools';

const VSIX = path.join(repoRoot, 'dist', 'crdb-studio.vsix');

/** The results view's document (the last webview opened). */
function resultsView(page: Page): FrameLocator {
  return page.locator('iframe.webview.ready').last().contentFrame().frameLocator('#active-frame');
}

/** A step of the open walkthrough, by its title. */
function walkthroughStep(page: Page, title: string) {
  return page.locator('.gettingStartedContainer .getting-started-step', { hasText: title }).first();
}

async function notification(page: Page, text: string | RegExp) {
  // Toasts may be held back in a background tab: the notification centre lists every message.
  await runCommand(page, 'Notifications: Show Notifications');
  const item = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
  await item.waitFor();
  return item;
}

describe('first run in code-server, through Chromium', function () {
  this.timeout(5 * PATIENCE_MS);
  let server: CodeServer | undefined;
  let session: BrowserSession | undefined;
  let page: Page;

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} exists (npm run package builds it; npm test runs that first)`);
    server = await startCodeServer({
      workspaceSource: path.join(repoRoot, 'examples'),
      install: [VSIX],
      workspaceTrust: true,
      // The modal question at start-up is VS Code's, not crdb-studio's: the status bar's
      // Restricted Mode item and crdb-studio's lenses are what this test is about.
      // The walkthrough opening by itself is what this test is about (the harness turns it off).
      settings: { 'security.workspace.trust.startupPrompt': 'never', 'crdbStudio.walkthrough.openOnFirstRun': true },
    });
    session = await openBrowser();
    page = session.page;
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(page, `failed-first-run-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  after(async () => {
    await session?.close();
    await server?.stop();
  });

  it('opens the walkthrough by itself and shows the target in the status bar before any file is opened', async () => {
    assert.ok(server);
    await openWorkbench(page, server.url());
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor();
    // The first activation of a freshly installed extension can take minutes on a loaded machine.
    await page.locator('.statusbar-item', { hasText: 'Simulated cluster' }).waitFor({ timeout: 3 * PATIENCE_MS });
    await page.locator('.gettingStartedContainer', { hasText: 'Get Started with crdb-studio' }).waitFor();
    for (const title of [
      'Trust the folder',
      'Lint a schema and apply a fix',
      'Run a lesson',
      'Open the topology and kill a node',
      'Connect a real cluster',
    ])
      await walkthroughStep(page, title).waitFor();
    assert.equal(await page.locator('.tab', { hasText: /\.(sql|md)$/ }).count(), 0, 'no file was opened');
    await screenshot(page, 'first-run-walkthrough');
  });

  it('in Restricted Mode runs nothing: the lenses offer to trust the folder, Run File says why', async () => {
    await quickOpen(page, '02-node-failure.md');
    await page.locator('.codelens-decoration a', { hasText: 'Trust this folder to run' }).first().waitFor();
    assert.equal(await page.locator('.codelens-decoration a', { hasText: '▷ Run' }).count(), 0, 'no run lens');
    await runCommand(page, 'crdb-studio: Run File');
    const refused = await notification(page, 'Restricted Mode');
    assert.match(await refused.innerText(), /its SQL and lessons do not run/);
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('iframe.webview').count(), 0, 'no results view opened');
    await screenshot(page, 'first-run-restricted-lenses');
  });

  it('trusting the folder from a lens ticks the walkthrough step and brings the run lenses', async () => {
    await page.locator('.codelens-decoration a', { hasText: 'Trust this folder to run' }).first().click();
    const trust = page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first();
    await trust.waitFor();
    await trust.click();
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ state: 'detached' });
    // VS Code shows Manage Workspace Trust as a modal editor: close it.
    const modal = page.locator('.monaco-modal-editor-block');
    await modal.locator('.codicon-close').first().click();
    await modal.waitFor({ state: 'detached' });
    await page.locator('.tab', { hasText: '02-node-failure.md' }).first().click();
    await page.locator('.codelens-decoration a', { hasText: '▷ Run Lesson from a Clean Cluster' }).first().waitFor();
    await runCommand(page, 'crdb-studio: Open Walkthrough');
    await walkthroughStep(page, 'Trust the folder').waitFor();
    await screenshot(page, 'first-run-trusted');
  });

  it('runs a lesson from a clean cluster twice, without "already exists", and ticks the lesson step', async () => {
    await page.locator('.tab', { hasText: '02-node-failure.md' }).first().click();
    for (let run = 1; run <= 2; run++) {
      await page.locator('.codelens-decoration a', { hasText: '▷ Run Lesson from a Clean Cluster' }).first().click();
      const view = resultsView(page);
      // The reset takes a moment; then the run shows as running (the lesson waits for failover
      // after it stops node 3) and ends done, or in error.
      await view.locator('.status-running').first().waitFor();
      const ended = view.locator('.status-done, .status-error, .status-cancelled').first();
      await ended.waitFor();
      assert.match((await ended.getAttribute('class')) ?? '', /status-done/, await view.locator('body').innerText());
      assert.doesNotMatch(await view.locator('body').innerText(), /already exists/, `run ${run}`);
    }
    await runCommand(page, 'crdb-studio: Open Walkthrough');
    await walkthroughStep(page, 'Run a lesson').waitFor();
    await screenshot(page, 'first-run-lesson-step');
  });

  it('resets the simulated cluster from the command palette', async () => {
    await runCommand(page, 'crdb-studio: Reset Simulated Cluster');
    await notification(page, 'the simulated cluster was reset');
    await page.keyboard.press('Escape');
  });
});
