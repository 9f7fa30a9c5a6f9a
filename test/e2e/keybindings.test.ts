/// <reference lib="dom" />
// crdb-studio's keybindings on a .sql file, pressed as a person presses them: the packaged .vsix in
// code-server, through Chromium, on the simulated cluster. Ctrl+Alt+Enter runs the whole file
// (every statement's result in the results view), Ctrl+Alt+E explains the statement under the
// cursor (its plan in the results view). On macOS the same keys are Cmd+Alt+….
import * as assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { PATIENCE_MS, until } from '../support/patience';
import { openBrowser, screenshot, type BrowserSession } from '../support/browser';
import { openWorkbench, quickOpen } from '../support/workbench';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { repoRoot } from '../support/tools';

// CRDB_VSIX: a package built aside, when another build in the same tree may be rewriting dist/.
const VSIX = process.env['CRDB_VSIX'] ?? path.join(repoRoot, 'dist', 'crdb-studio.vsix');

const FILE = 'keys.sql';
const SQL = [
  'CREATE TABLE IF NOT EXISTS keyed (id INT PRIMARY KEY, name STRING NOT NULL);',
  "UPSERT INTO keyed VALUES (1, 'first'), (2, 'second');",
  'SELECT name FROM keyed WHERE id = 2;',
  '',
].join('\n');

/** The results view's document (the last webview opened). */
function resultsView(page: Page): FrameLocator {
  return page.locator('iframe.webview.ready').last().contentFrame().frameLocator('#active-frame');
}

/** The results view's text once it holds every one of `parts`. */
async function resultsShowing(page: Page, parts: readonly string[], what: string): Promise<string> {
  let text = '';
  await until(
    async () => {
      text = await resultsView(page)
        .locator('body')
        .innerText()
        .catch(() => '');
      return parts.every((part) => text.includes(part));
    },
    what,
    2 * PATIENCE_MS,
  ).catch(() => undefined);
  for (const part of parts) assert.ok(text.includes(part), `${what}: "${part}" in\n${text}`);
  return text;
}

describe('keybindings on a .sql file in code-server, through Chromium', function () {
  this.timeout(5 * PATIENCE_MS);
  let server: CodeServer | undefined;
  let session: BrowserSession | undefined;
  let page: Page;

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} exists (npm run package builds it; npm test runs that first)`);
    server = await startCodeServer({
      workspaceSource: path.join(repoRoot, 'examples'),
      install: [VSIX],
      settings: { 'crdbStudio.walkthrough.openOnFirstRun': false },
    });
    writeFileSync(path.join(server.workspace, FILE), SQL);
    session = await openBrowser();
    page = session.page;
    await openWorkbench(page, server.url());
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(page, `failed-keys-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  after(async () => {
    await session?.close();
    await server?.stop();
  });

  it('Ctrl+Alt+Enter runs the whole file and shows every result', async () => {
    await quickOpen(page, FILE);
    // The ▷ Run lenses say the extension has read the file and its commands are there.
    await page.locator('.codelens-decoration a', { hasText: '▷ Run' }).first().waitFor();
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Alt+Enter');
    const grid = resultsView(page).locator('[role=grid]', { hasText: 'second' }).first();
    await grid.waitFor();
    assert.deepEqual(await grid.locator('tbody [role=gridcell]').allInnerTexts(), ['second']);
    // All three statements ran, in order, as one run.
    await resultsShowing(
      page,
      ['CREATE TABLE IF NOT EXISTS keyed', 'UPSERT INTO keyed', 'SELECT name FROM keyed WHERE id = 2'],
      'the run of the file',
    );
    await screenshot(page, 'keys-run-file');
  });

  it('Ctrl+Alt+E shows the plan of the statement under the cursor', async () => {
    await quickOpen(page, FILE);
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').fill(':3:10');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+Alt+E');
    // A point lookup on the primary key: one scan of keyed@keyed_pkey, one span.
    const text = await resultsShowing(page, ['EXPLAIN SELECT name FROM keyed WHERE id = 2', '• scan', 'keyed@keyed_pkey'], 'the plan');
    assert.match(text, /spans?: \[\/2 - \/2\]/);
    await screenshot(page, 'keys-explain');
  });
});
