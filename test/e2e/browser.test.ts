/// <reference lib="dom" />
// What a person sees: the packaged .vsix installed in code-server, driven through Chromium.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { fencedBlocks } from '../../sql/src/fencedBlocks';
import { PATIENCE_MS } from '../support/patience';
import { openBrowser, screenshot, type BrowserSession } from '../support/browser';
import { openWorkbench, quickOpen, runCommand } from '../support/workbench';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { repoRoot } from '../support/tools';

const VSIX = path.join(repoRoot, 'dist', 'crdb-studio.vsix');

/** The CSS class Monaco gave the first rendered token whose text is exactly `text`. */
async function tokenClass(page: Page, text: string): Promise<string> {
  // Monaco renders spaces as no-break spaces.
  const pattern = new RegExp(`^\\s*${text.replace(/ /g, '\\s')}\\s*$`);
  const span = page.locator('.monaco-editor .view-lines span span', { hasText: pattern }).first();
  await span.waitFor();
  return (await span.getAttribute('class')) ?? '';
}

describe('crdb-studio .vsix in code-server, through Chromium', function () {
  this.timeout(5 * PATIENCE_MS);
  let server: CodeServer | undefined;
  let session: BrowserSession | undefined;
  let page: Page;

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} exists (npm run package builds it; npm test runs that first)`);
    server = await startCodeServer({ workspaceSource: path.join(repoRoot, 'examples'), install: [VSIX] });
    session = await openBrowser();
    page = session.page;
    await openWorkbench(page, server.url());
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(page, `failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  after(async () => {
    await session?.close();
    await server?.stop();
  });

  it('highlights CockroachDB-only syntax in a .sql file as keywords and types', async () => {
    await quickOpen(page, '02-multi-region-mistakes.sql');
    const keyword = await tokenClass(page, 'CREATE');
    const identifier = await tokenClass(page, 'customer_id');
    assert.notEqual(keyword, identifier, 'keywords and identifiers are coloured differently');
    // VS Code's own SQL grammar knows none of these: only crdb-studio's grammar colours them.
    assert.equal(await tokenClass(page, 'LOCALITY'), keyword, 'LOCALITY is a keyword');
    assert.equal(await tokenClass(page, 'REGIONAL BY TABLE'), keyword, 'REGIONAL BY TABLE is one keyword phrase');
    assert.equal(await tokenClass(page, 'SURVIVE REGION FAILURE'), keyword, 'SURVIVE … FAILURE is one keyword phrase');
    assert.notEqual(await tokenClass(page, 'STRING'), identifier, 'STRING is a type');
    await screenshot(page, 'editor-cockroachdb-sql');
  });

  it('shows the language server and target version in the status bar', async () => {
    const item = page.locator('.statusbar-item', { hasText: 'CockroachDB v25.2' });
    await item.waitFor();
    assert.match((await item.getAttribute('aria-label')) ?? (await item.textContent()) ?? '', /CockroachDB v25\.2/);
  });

  it('highlights ```sql blocks in a Markdown lesson with the same grammar', async () => {
    await quickOpen(page, '02-node-failure.md');
    const keyword = await tokenClass(page, 'CREATE');
    assert.equal(await tokenClass(page, 'UUID'), await tokenClass(page, 'DECIMAL'), 'types inside the block share a colour');
    assert.equal(await tokenClass(page, 'CONFIGURE ZONE'), keyword, 'CONFIGURE ZONE is a keyword inside a lesson block');
    await screenshot(page, 'editor-markdown-lesson');
  });

  it('shows lint findings as squiggles and in Problems, and applies a quick fix from Ctrl+.', async () => {
    await quickOpen(page, '01-sequential-keys.sql');
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor();
    const problems = page.locator('#status\\.problems');
    await problems.waitFor();
    assert.match((await problems.getAttribute('aria-label')) ?? '', /Warnings: [1-9]/);
    await screenshot(page, 'editor-lint-findings');
    // Go to `id` in `id SERIAL PRIMARY KEY` (line 6) and open the quick fix menu.
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').fill(':6:5');
    await page.keyboard.press('Enter');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Make id a UUID DEFAULT gen_random_uuid()' });
    // On a loaded machine Ctrl+. can land while the Go to Line box is still closing, and the menu
    // never opens (the light bulb shows, nothing else): ask again until it does.
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
    await screenshot(page, 'editor-quick-fix-menu');
    await fix.click();
    await page.locator('.monaco-editor .view-line', { hasText: /id\sUUID\sDEFAULT\sgen_random_uuid\(\)\sPRIMARY\sKEY/ }).waitFor();
  });

  it('lists the lessons and schemas in the Getting Started webview and opens one', async () => {
    await runCommand(page, 'crdb-studio: Getting Started');
    const view: FrameLocator = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const lessons = view.locator('#lessons li');
    await lessons.first().waitFor();
    // Every lesson of the sample workspace with SQL to run, in path order, by its first heading.
    const lessonDir = path.join(repoRoot, 'examples', 'lessons');
    const expected = readdirSync(lessonDir)
      .filter((file) => file.endsWith('.md'))
      .sort()
      .map((file) => readFileSync(path.join(lessonDir, file), 'utf8'))
      .filter((text) => fencedBlocks(text).some((block) => block.language === 'sql'))
      .map((text) =>
        text
          .split('\n')
          .find((line) => line.startsWith('# '))
          ?.slice(2)
          .trim(),
      );
    assert.ok(expected.length >= 2 && expected[0] === 'Lesson 1: a multi-region schema', expected.join(', '));
    assert.deepEqual(await view.locator('#lessons li strong').allTextContents(), expected);
    assert.equal(await view.locator('#schemas li').count(), 4);
    assert.match((await view.locator('#version').textContent()) ?? '', /CockroachDB v25\.2/);
    // The shared stylesheet loaded (it ships in the .vsix and the CSP lets it in).
    assert.equal(await view.locator('#lessons').evaluate((list) => getComputedStyle(list).listStyleType), 'none');
    assert.equal(
      await view
        .locator('#lessons li')
        .first()
        .evaluate((row) => getComputedStyle(row).display),
      'flex',
    );
    await screenshot(page, 'welcome-webview');
    await view.locator('#lessons vscode-button').nth(1).click();
    await page.locator('.tab.active', { hasText: '02-node-failure.md' }).waitFor();
    const cspViolations = (session?.consoleErrors ?? []).filter((line) => /Content Security Policy|Refused to/.test(line));
    assert.deepEqual(cspViolations, [], 'the webview runs under its strict CSP without violations');
  });
});
