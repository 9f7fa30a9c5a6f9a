/// <reference lib="dom" />
// A lesson as a notebook, as a person uses it: the packaged .vsix in code-server, through
// Chromium. Open a lesson with "Open as CockroachDB Lesson", run every cell on a clean simulated
// cluster, see a result table and the `cockroach node status` table inline, edit one cell, save,
// reopen: the file's bytes are the original ones except the edited cell's.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { lessonCells, lessonText, lineEndOf } from '../../client/src/notebook/lessonCells';
import { PATIENCE_MS, until } from '../support/patience';
import { openBrowser, screenshot, type BrowserSession } from '../support/browser';
import { openWorkbench, runCommand } from '../support/workbench';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { repoRoot } from '../support/tools';

// CRDB_VSIX: a package built aside, when another build in the same tree may be rewriting dist/.
const VSIX = process.env['CRDB_VSIX'] ?? path.join(repoRoot, 'dist', 'crdb-studio.vsix');
const LESSON = '02-node-failure.md';

/** The notebook's output webview (the last webview opened). */
function outputs(page: Page): FrameLocator {
  return page.locator('iframe.webview.ready').last().contentFrame().frameLocator('#active-frame');
}

/** The notebook's find widget's count of matches ("1 of 3"). */
function findMatches(page: Page): ReturnType<Page['locator']> {
  return page.locator('.notebook-editor .matchesCount').first();
}

/** Opens the notebook's find widget on `text`; false if it did not open (the next try opens it). */
async function askFind(page: Page, text: string): Promise<boolean> {
  await page
    .locator('.notebook-editor .cell-list-container')
    .first()
    .click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+F');
  const matches = findMatches(page);
  await matches.waitFor({ timeout: 5_000 }).catch(() => undefined);
  if (!(await matches.isVisible())) return false;
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
  return true;
}

/**
 * The code cell holding `text`, in view: the notebook renders only the cells near its viewport,
 * so the notebook's own find widget looks for the text (it reads every cell, drawn or not) and
 * reveals each match in turn until the code cell is drawn. Scrolling with the mouse wheel is not
 * dependable: over a cell's output the wheel goes to the output's webview.
 */
async function revealCell(page: Page, text: string): Promise<ReturnType<Page['locator']>> {
  const cell = page.locator('.notebook-editor .code-cell-row', { hasText: text }).first();
  let asked = false;
  await until(async () => {
    if (await cell.isVisible()) return true;
    if (!asked || !(await findMatches(page).isVisible())) {
      asked = await askFind(page, text);
      if (!asked) return false;
    }
    // The next match: a code cell's text, or the same words in the prose around it.
    await page.keyboard.press('Enter');
    await cell.waitFor({ timeout: 2_000 }).catch(() => undefined);
    return cell.isVisible();
  }, `the cell with ${text} revealed by the notebook's find widget`);
  await page.keyboard.press('Escape');
  await cell.scrollIntoViewIfNeeded();
  return cell;
}

/** A cell's source as the editor shows it (Monaco draws spaces as no-break spaces). */
async function cellText(cell: ReturnType<Page['locator']>): Promise<string> {
  return (await cell.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
}

/**
 * Opens the lesson through its context menu in the explorer, as a user does. A click that lands
 * while the menu is still settling leaves it open with the entry highlighted; the entry is then
 * chosen with Enter, and the whole menu opened again if it closed without opening the notebook.
 */
async function openAsLesson(page: Page): Promise<void> {
  const notebook = page.locator('.notebook-editor .code-cell-row').first();
  const entry = page.locator('.context-view .action-label', { hasText: 'Open as CockroachDB Lesson' }).first();
  await until(async () => {
    if (await notebook.isVisible()) return true;
    if (!(await entry.isVisible())) {
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: LESSON }).first().click({ button: 'right' });
      await entry.click();
    } else {
      await entry.hover();
      await page.keyboard.press('Enter');
    }
    await notebook.waitFor({ timeout: 10_000 }).catch(() => undefined);
    return notebook.isVisible();
  }, 'the lesson opened as a notebook from its context menu');
}

describe('a lesson as a notebook in code-server, through Chromium', function () {
  this.timeout(8 * PATIENCE_MS);
  let server: CodeServer | undefined;
  let session: BrowserSession | undefined;
  let page: Page;
  let lessonPath: string;
  let original: string;

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} exists (npm run package builds it; npm test runs that first)`);
    server = await startCodeServer({
      workspaceSource: path.join(repoRoot, 'examples'),
      install: [VSIX],
      // The walkthrough would open on the first activation and take the editor's focus.
      settings: { 'crdbStudio.walkthrough.openOnFirstRun': false },
    });
    lessonPath = path.join(server.workspace, 'lessons', LESSON);
    original = readFileSync(lessonPath, 'utf8');
    session = await openBrowser();
    page = session.page;
    await openWorkbench(page, server.url());
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(page, `failed-notebook-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  after(async () => {
    await session?.close();
    await server?.stop();
  });

  it('opens a lesson as a notebook and runs every cell on a clean cluster, results inline', async () => {
    // As a user does: the lesson's context menu in the explorer, once the extension's status bar
    // item says it has loaded (a menu opened earlier lacks the extension's entries).
    await page.locator('.statusbar-item', { hasText: 'Simulated cluster' }).first().waitFor();
    const lessons = page.locator('.explorer-folders-view .monaco-list-row', { hasText: LESSON });
    if ((await lessons.count()) === 0)
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'lessons' }).first().click();
    const openedAt = performance.now();
    await openAsLesson(page);
    await page.locator('.notebook-editor .code-cell-row').first().waitFor();
    const openMs = performance.now() - openedAt;
    // The sh block comes first, as a shell cell; the prose around it as markdown.
    assert.match(await cellText(page.locator('.notebook-editor .code-cell-row').first()), /cockroach demo --global --nodes 9/);
    // No ▷ Run lenses inside the notebook's cells: they run from the notebook's own buttons.
    assert.equal(await page.locator('.notebook-editor .codelens-decoration').count(), 0);

    const ranAt = performance.now();
    await runCommand(page, 'crdb-studio: Run All on a Clean Cluster');
    // The last cell succeeds, or a cell fails and the ones after it say so: then the test stops
    // at once with every output the notebook shows (the failed cell's error among them). The
    // cell is revealed again each time: the outputs of the cells above it push it down, out of
    // the rendered part of the list.
    await until(
      async () => {
        const last = await revealCell(page, '\\demo restart 3');
        if ((await last.locator('.codicon-notebook-state-success').count()) > 0) return true;
        const shown = await outputs(page)
          .locator('body')
          .innerText()
          .catch(() => '');
        if (shown.includes('Not run: an earlier cell failed')) assert.fail(`a cell failed during Run All:\n${shown}`);
        return false;
      },
      'the last cell (\\demo restart 3) ran and succeeded',
      4 * PATIENCE_MS,
    );
    const runMs = performance.now() - ranAt;
    await screenshot(page, 'notebook-run-all');

    const view = outputs(page);
    // The `cockroach node status` cell: a table with every column, one row per node, monospace.
    const statusCell = await revealCell(page, 'cockroach node status');
    await statusCell.locator('.codicon-notebook-state-success').waitFor();
    const status = view.locator('table', { has: view.locator('th', { hasText: 'ranges_underreplicated' }) });
    await status.first().waitFor({ state: 'attached' });
    // The SQL cell before it: its sum, as a table.
    await view.locator('td', { hasText: '1000000.00' }).first().waitFor({ state: 'attached' });
    const headers = await status.first().locator('th').allInnerTexts();
    for (const column of ['id', 'address', 'locality', 'is_available', 'is_live', 'replicas_leaseholders', 'ranges'])
      assert.ok(
        headers.some((h) => h.startsWith(column)),
        `${column} in ${headers.join(', ')}`,
      );
    assert.equal(await status.first().locator('tbody tr').count(), 9, 'one row per node of the nine');
    const font = await status
      .first()
      .locator('td')
      .first()
      .evaluate((td) => getComputedStyle(td).fontFamily);
    assert.match(font, /mono|courier|consolas|menlo/i, `a monospace font, not ${font}`);
    const whiteSpace = await status
      .first()
      .locator('td')
      .first()
      .evaluate((td) => getComputedStyle(td).whiteSpace);
    assert.equal(whiteSpace, 'pre');
    // Nothing ran as markup: no script element came from the data.
    assert.equal(await view.locator('.crdb-out script').count(), 0);
    await screenshot(page, 'notebook-node-status');
    console.log(`      notebook figures: open ${openMs.toFixed(0)} ms, run all on a clean cluster ${runMs.toFixed(0)} ms`);
  });

  it('saves an edited cell and keeps every other byte of the file', async () => {
    // The second code cell (ALTER TABLE … CONFIGURE ZONE): add a statement at its end.
    const cell = await revealCell(page, 'CONFIGURE ZONE USING num_replicas');
    await cell.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('SHOW ZONE CONFIGURATION FROM DATABASE bank;');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+S');
    const cells = lessonCells(original);
    const codeCells = cells.filter((c) => c.kind !== 'markdown');
    const edited = codeCells[2];
    assert.ok(edited);
    const value = `${edited.value}\nSHOW ZONE CONFIGURATION FROM DATABASE bank;`;
    const expected = lessonText(
      cells.map((c) => (c === edited ? { ...c, value } : c)),
      lineEndOf(original),
    );
    let saved = '';
    for (let i = 0; i < 100 && saved !== expected; i++) {
      await page.waitForTimeout(200);
      saved = readFileSync(lessonPath, 'utf8');
    }
    assert.equal(saved, expected);
    // Only the edited block differs from the original.
    const before = original.slice(0, original.indexOf('ALTER TABLE accounts CONFIGURE ZONE'));
    assert.ok(saved.startsWith(before));
    const tail = original.slice(original.indexOf('## 2. Who holds what'));
    assert.ok(saved.endsWith(tail));
    await screenshot(page, 'notebook-edited');
  });

  // A notebook draws only the cells (and the part of a cell) inside its scrolled list, so the
  // reopened notebook is searched with its own find widget, which reads every cell's text and
  // reveals the match: the count proves the edit is in the reopened cells, the revealed lines
  // prove it sits at the end of the edited cell.
  it('reopens the saved lesson with the edit in its cell', async () => {
    await runCommand(page, 'View: Close All Editors');
    await until(async () => (await page.locator('.tabs-container .tab').count()) === 0, 'every editor closed');
    // Opened again as in the first test: the lesson's context menu in the explorer.
    await openAsLesson(page);
    await page.locator('.notebook-editor .code-cell-row').first().waitFor();
    const added = 'SHOW ZONE CONFIGURATION FROM DATABASE bank;';
    const matches = findMatches(page);
    await until(async () => {
      if (!(await matches.isVisible()) && !(await askFind(page, added))) return false;
      await page.keyboard.press('Enter');
      return /\b1 of 1\b/.test(await matches.innerText());
    }, `the reopened notebook's find widget finding "${added}" once`);
    const cell = page.locator('.notebook-editor .code-cell-row', { hasText: 'FROM DATABASE bank' }).first();
    let text = '';
    await until(async () => {
      text = (await cell.count()) > 0 ? await cellText(cell) : '';
      if (text.includes(added)) return true;
      // A reopened notebook restores its scroll position when it is ready, which can be after the
      // find widget revealed the match (a CI run's screenshot showed "1 of 1" with the cell out
      // of view): the find widget is asked again, its Enter revealing the one match again.
      if (await askFind(page, added)) await page.keyboard.press('Enter');
      return false;
    }, 'the found cell drawn with the added statement').catch(() => undefined);
    const onDisk = readFileSync(lessonPath, 'utf8');
    const lastLines = text.split('\n').slice(-2).join('\n');
    assert.equal(
      lastLines,
      `SHOW ZONE CONFIGURATION FROM TABLE accounts;\n${added}`,
      `the file on disk holds: ${onDisk.slice(onDisk.indexOf('ALTER TABLE accounts'), onDisk.indexOf('## 2.'))}`,
    );
    await page.keyboard.press('Escape');
    await screenshot(page, 'notebook-reopened');
  });
});
