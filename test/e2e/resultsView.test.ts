/// <reference lib="dom" />
// The results view's browser bundle (dist/webview/results.js) in headless Chromium, under the CSP
// the extension gives its webviews, with a stand-in for VS Code's webview API that records what
// the view posts. `node esbuild.mjs` builds the bundle.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { ResultsToHost, ResultsToWebview, RunSummary, StatementView } from '../../protocol/src/results';
import { PATIENCE_MS } from '../support/patience';
import { afterMessages, installVsCodeApi, ORIGIN, serveWebview, setTheme, type RecordingWindow } from '../support/webviewPage';
import { openBrowser, screenshot, type BrowserSession } from '../support/browser';
import { repoRoot } from '../support/tools';

/** Plays the part of `webview.cspSource`: the only origin styles may come from. */
const BUNDLE = path.join(repoRoot, 'dist', 'webview', 'results.js');

type TestWindow = RecordingWindow<ResultsToHost>;

// ---- The host's side of the conversation ----

const run1: RunSummary = {
  runId: 'r1',
  target: 'Simulated cluster',
  source: 'bank.sql:12',
  startedAt: Date.UTC(2025, 0, 2, 10, 42),
  statements: 4,
  status: 'running',
};
const run0: RunSummary = {
  runId: 'r0',
  target: 'Simulated cluster',
  source: 'lesson.md: block 2',
  startedAt: Date.UTC(2025, 0, 2, 10, 30),
  statements: 1,
  status: 'done',
};

const selectStatement: StatementView = {
  id: 'r1:0',
  runId: 'r1',
  index: 0,
  statement: 'SELECT id, name, balance, opened\n  FROM accounts\n ORDER BY name',
  line: 12,
  status: 'done',
  columns: [
    { name: 'id', type: 'INT8' },
    { name: 'name', type: 'STRING' },
    { name: 'balance', type: 'DECIMAL' },
    { name: 'opened', type: 'TIMESTAMPTZ' },
  ],
  rows: [
    ['10', 'NULL', '7.25', '2024-03-01 09:00:00+00'],
    ['2', 'Bob, "the builder"', null, '2024-01-02 10:00:00+00'],
    ['9', 'alice', '100.00', '2024-02-01 08:30:00+00'],
  ],
  hasMore: false,
  tag: 'SELECT 3',
  rowCount: 3,
  elapsedMs: 12,
  simulatedLatencyMs: 45,
  notices: [],
};

const insertStatement: StatementView = {
  id: 'r1:1',
  runId: 'r1',
  index: 1,
  statement: "INSERT INTO accounts (id, name) VALUES (11, 'carol')",
  line: 16,
  status: 'done',
  columns: [],
  rows: [],
  hasMore: false,
  tag: 'INSERT 0 1',
  rowCount: 1,
  elapsedMs: 8,
  notices: [
    { severity: 'NOTICE', message: 'auto-committing transaction' },
    { severity: 'WARNING', message: 'there is no transaction in progress' },
  ],
  note: 'Retried once after a 40001 serialization failure.',
};

const errorStatement: StatementView = {
  id: 'r1:2',
  runId: 'r1',
  index: 2,
  statement: 'SELECT * FROM acounts',
  line: 18,
  status: 'error',
  columns: [],
  rows: [],
  hasMore: false,
  elapsedMs: 3,
  notices: [],
  error: {
    code: '42P01',
    message: 'relation "acounts" does not exist',
    detail: 'Looked in schema public.',
    hint: 'Did you mean "accounts"?',
    line: 18,
    column: 15,
  },
};

const LARGE = 10_000;
const PAGE = 500;

function largeRows(from: number, to: number): (string | null)[][] {
  const rows: (string | null)[][] = [];
  for (let n = from; n < to; n++) rows.push([String(n + 1), `row ${n + 1}`, n % 7 === 0 ? null : ((n * 37) % 1000).toFixed(2)]);
  return rows;
}

const largeStatement: StatementView = {
  id: 'r1:3',
  runId: 'r1',
  index: 3,
  statement: 'SELECT n, label, amount FROM big',
  line: 20,
  status: 'done',
  columns: [
    { name: 'n', type: 'INT8' },
    { name: 'label', type: 'STRING' },
    { name: 'amount', type: 'DECIMAL(10,2)' },
  ],
  rows: largeRows(0, PAGE),
  hasMore: true,
  rowCount: PAGE,
  elapsedMs: 140,
  notices: [],
};

// ---- Helpers ----

async function send(page: Page, message: ResultsToWebview): Promise<void> {
  await page.evaluate((m) => {
    window.postMessage(m, '*');
  }, message);
}

async function posted(page: Page): Promise<ResultsToHost[]> {
  return page.evaluate(() => (window as unknown as TestWindow).posted);
}

/** Waits for the view to post a message like `expected` and returns it. */
async function waitForPosted(
  page: Page,
  expected: Partial<ResultsToHost> & { type: ResultsToHost['type'] },
  after = 0,
): Promise<ResultsToHost> {
  const handle = await page.waitForFunction(
    ({ want, skip }) =>
      (window as unknown as TestWindow).posted
        .slice(skip)
        .find((m) => Object.entries(want).every(([k, v]) => (m as unknown as Record<string, unknown>)[k] === v)),
    { want: expected, skip: after },
  );
  return (await handle.jsonValue()) as ResultsToHost;
}

const shown = 'vscode-tab-panel:not([hidden])';

/** The text of one column of the rows rendered in the shown panel. */
async function columnTexts(page: Page, column: number): Promise<string[]> {
  return page.$$eval(`${shown} tbody tr:not(.spacer)`, (rows, c) => rows.map((row) => row.children[c]?.textContent ?? ''), column);
}

async function selectTab(page: Page, index: number): Promise<void> {
  await page.locator('vscode-tab-header').nth(index).click();
  await page.locator('vscode-tab-header').nth(index).and(page.locator('[active]')).waitFor();
}

async function openPage(page: Page): Promise<void> {
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => (window as unknown as TestWindow).posted.some((m) => m.type === 'ready'));
}

describe('results view in Chromium, under the webview CSP', function () {
  this.timeout(3 * PATIENCE_MS);
  let session: BrowserSession | undefined;
  let page: Page;

  before(async () => {
    assert.ok(existsSync(BUNDLE), `${BUNDLE} exists (node esbuild.mjs builds it)`);
    session = await openBrowser();
    page = session.page;
    await serveWebview(session.context, 'results', ['results.css'], 'Results');
    await page.addInitScript(installVsCodeApi);
    await openPage(page);
    await setTheme(page, 'dark');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(page, `results-failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  after(async () => {
    await session?.close();
  });

  it('posts ready, then shows a run: a tab per statement with status and row counts', async () => {
    assert.deepEqual((await posted(page))[0], { type: 'ready' });
    await send(page, { type: 'history', runs: [run0] });
    await send(page, { type: 'run-started', run: run1 });
    await send(page, {
      type: 'statement',
      statement: { ...selectStatement, status: 'running', rows: [], columns: [], rowCount: undefined, tag: undefined },
    });
    await page.locator('vscode-tab-header vscode-progress-ring').waitFor();
    assert.equal(await page.locator('.run-bar vscode-button', { hasText: 'Cancel' }).isVisible(), true, 'Cancel shows while the run runs');
    for (const statement of [selectStatement, insertStatement, errorStatement, largeStatement])
      await send(page, { type: 'statement', statement });

    const headers = page.locator('vscode-tab-header');
    await headers.nth(3).waitFor();
    assert.deepEqual(await page.locator('vscode-tab-header .tab-title').allTextContents(), [
      'SELECT id, name, balance, opened',
      "INSERT INTO accounts (id, name) VALUES (11, 'carol')",
      'SELECT * FROM acounts',
      'SELECT n, label, amount FROM big',
    ]);
    assert.equal(await page.locator('vscode-tab-header vscode-progress-ring').count(), 0, 'no spinner once every statement is done');
    assert.equal(await headers.nth(0).locator('vscode-badge').textContent(), '3');
    assert.equal(await headers.nth(3).locator('vscode-badge').textContent(), '500+');
    assert.match((await headers.nth(2).getAttribute('aria-label')) ?? '', /Statement 3: SELECT \* FROM acounts, Error/);
    await page.waitForFunction(() => document.querySelector('[role="status"]')?.textContent === 'Statement 4 finished: 500+ rows');

    // The view follows the run statement by statement and stays on the one that failed.
    assert.equal(await headers.nth(2).getAttribute('active'), '', 'the failed statement is shown');
    await selectTab(page, 0);
    const summary = page.locator(`${shown} .summary`);
    assert.match((await summary.textContent()) ?? '', /Done.*3 rows.*12 ms.*simulated latency 45 ms.*line 12/);
  });

  it('shows column names with their types, and NULL apart from the string NULL', async () => {
    assert.deepEqual(await page.locator(`${shown} th .column-name`).allTextContents(), ['id', 'name', 'balance', 'opened']);
    assert.deepEqual(await page.locator(`${shown} th .column-type`).allTextContents(), ['INT8', 'STRING', 'DECIMAL', 'TIMESTAMPTZ']);
    assert.equal(await page.locator(`${shown} table[role="grid"]`).getAttribute('aria-rowcount'), '4');
    const nullCells = page.locator(`${shown} td.null`);
    assert.equal(await nullCells.count(), 1, 'one real NULL');
    assert.equal(await nullCells.first().getAttribute('aria-colindex'), '3', 'the NULL is the balance of a row');
    const stringNull = page.locator(`${shown} td`, { hasText: /^NULL$/ }).and(page.locator(':not(.null)'));
    assert.equal(await stringNull.count(), 1, "the string 'NULL' is plain text");
    const [nullStyle, textStyle] = await Promise.all([
      nullCells.first().evaluate((td) => getComputedStyle(td).fontStyle),
      stringNull.first().evaluate((td) => getComputedStyle(td).fontStyle),
    ]);
    assert.notEqual(nullStyle, textStyle, 'NULL looks different');
    await screenshot(page, 'results-dark');
  });

  it('sorts by a column when its header is clicked: by value for numbers, NULLs first', async () => {
    const id = page.locator(`${shown} th`).nth(0);
    await id.click();
    assert.deepEqual(await columnTexts(page, 0), ['2', '9', '10'], 'INT8 sorts by value');
    assert.equal(await id.getAttribute('aria-sort'), 'ascending');
    await id.click();
    assert.deepEqual(await columnTexts(page, 0), ['10', '9', '2']);
    assert.equal(await id.getAttribute('aria-sort'), 'descending');
    await id.click();
    assert.deepEqual(await columnTexts(page, 0), ['10', '2', '9'], 'a third click restores the arrival order');
    assert.equal(await id.getAttribute('aria-sort'), null);
    const balance = page.locator(`${shown} th`).nth(2);
    await balance.click();
    assert.deepEqual(await columnTexts(page, 2), ['NULL', '7.25', '100.00'], 'DECIMAL by value, NULL first');
    await balance.click();
    await balance.click();
  });

  it('filters the loaded rows by a substring of any cell', async () => {
    const filter = page.locator(`${shown} vscode-textfield input`);
    await filter.fill('ALI');
    await page.waitForFunction((sel) => document.querySelectorAll(`${sel} tbody tr:not(.spacer)`).length === 1, shown);
    assert.deepEqual(await columnTexts(page, 1), ['alice']);
    assert.equal(await page.locator(`${shown} .shown-count`).textContent(), '1 of 3 rows loaded match');
    await filter.fill('');
    await page.waitForFunction((sel) => document.querySelectorAll(`${sel} tbody tr:not(.spacer)`).length === 3, shown);
  });

  it('copies a cell with Ctrl+C and a row as CSV from the context menu', async () => {
    const cell = page.locator(`${shown} td`, { hasText: 'Bob, "the builder"' });
    await cell.click();
    let before = (await posted(page)).length;
    await page.keyboard.press('Control+C');
    assert.deepEqual(await waitForPosted(page, { type: 'copy' }, before), { type: 'copy', text: 'Bob, "the builder"' });

    before = (await posted(page)).length;
    await cell.click({ button: 'right' });
    const menu = page.locator('.context-menu[role="menu"]');
    await menu.waitFor();
    await screenshot(page, 'results-context-menu-dark');
    await menu.getByRole('menuitem', { name: 'Copy row as CSV' }).click();
    assert.deepEqual(await waitForPosted(page, { type: 'copy' }, before), {
      type: 'copy',
      text: '2,"Bob, ""the builder""",,2024-01-02 10:00:00+00',
    });
    assert.equal(await menu.isHidden(), true);

    // The same from the keyboard: Shift+F10 opens the menu on the focused cell.
    before = (await posted(page)).length;
    await page.locator(`${shown} td.null`).click();
    await page.keyboard.press('Shift+F10');
    await menu.waitFor();
    await page.keyboard.press('Enter');
    assert.deepEqual(await waitForPosted(page, { type: 'copy' }, before), { type: 'copy', text: 'NULL' });
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('null')), true, 'focus returns to the cell');
  });

  it('asks the host to export all rows as CSV or JSON', async () => {
    let before = (await posted(page)).length;
    await page.locator(`${shown} vscode-button`, { hasText: 'CSV' }).click();
    assert.deepEqual(await waitForPosted(page, { type: 'export' }, before), { type: 'export', id: 'r1:0', format: 'csv' });
    before = (await posted(page)).length;
    await page.locator(`${shown} vscode-button`, { hasText: 'JSON' }).click();
    assert.deepEqual(await waitForPosted(page, { type: 'export' }, before), { type: 'export', id: 'r1:0', format: 'json' });
  });

  it('shows a DML statement’s tag, rows affected, notices and note', async () => {
    await selectTab(page, 1);
    const panel = page.locator(shown);
    assert.match((await panel.locator('.command-done').textContent()) ?? '', /INSERT 0 1 — 1 row affected/);
    assert.equal(await panel.locator('.note').textContent(), 'Retried once after a 40001 serialization failure.');
    // A notice as such; a warning says it is one.
    assert.deepEqual(await panel.locator('.notices li').allTextContents(), [
      'auto-committing transaction',
      'WARNING: there is no transaction in progress',
    ]);
    assert.equal(await panel.locator('.grid-scroller').isHidden(), true, 'no table for a statement without columns');
  });

  it('shows an error with SQLSTATE, detail, hint and a clickable position', async () => {
    await selectTab(page, 2);
    const error = page.locator(`${shown} .error-block`);
    assert.equal(await error.locator('.error-message').textContent(), 'ERROR 42P01 relation "acounts" does not exist');
    assert.equal(await error.locator('.error-detail').textContent(), 'DETAIL: Looked in schema public.');
    assert.equal(await error.locator('.error-hint').textContent(), 'HINT: Did you mean "accounts"?');
    const color = await error
      .locator('.error-label')
      .first()
      .evaluate((el) => getComputedStyle(el).color);
    assert.equal(color, 'rgb(248, 81, 73)', 'errors use --vscode-errorForeground');
    await screenshot(page, 'results-error-dark');
    const before = (await posted(page)).length;
    await error.getByRole('button', { name: 'line 18, column 15' }).click();
    assert.deepEqual(await waitForPosted(page, { type: 'reveal' }, before), { type: 'reveal', id: 'r1:2' });
  });

  it('switches tabs with the arrow keys and reaches the grid and its cells with Tab and arrows', async () => {
    await page.locator('vscode-tab-header').nth(2).focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.locator('vscode-tab-header').nth(0).and(page.locator('[active]')).waitFor();
    assert.equal(await page.locator(`${shown} th .column-name`).first().textContent(), 'id');
    // Tab on from the tab header until the focus is in the grid.
    let role: string | null = null;
    for (let i = 0; i < 20 && role !== 'gridcell' && role !== 'columnheader'; i++) {
      await page.keyboard.press('Tab');
      role = await page.evaluate(() => document.activeElement?.getAttribute('role') ?? null);
    }
    assert.ok(role === 'gridcell' || role === 'columnheader', `Tab reaches the grid (focus on ${role ?? 'nothing'})`);
    const active = (): Promise<[string | null, string | null, string | null]> =>
      page.evaluate(() => {
        const el = document.activeElement;
        return [
          el?.parentElement?.getAttribute('aria-rowindex') ?? null,
          el?.getAttribute('aria-colindex') ?? null,
          el?.textContent ?? null,
        ];
      });
    await page.keyboard.press('Control+Home');
    assert.deepEqual(await active(), ['1', '1', 'idINT8']);
    await page.keyboard.press('ArrowDown');
    assert.deepEqual(await active(), ['2', '1', '10']);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    assert.deepEqual(await active(), ['3', '2', 'Bob, "the builder"']);
    await page.keyboard.press('End');
    assert.deepEqual(await active(), ['3', '4', '2024-01-02 10:00:00+00']);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Home');
    assert.deepEqual(await active(), ['1', '1', 'idINT8']);
    // Enter on a header sorts, like a click.
    await page.keyboard.press('Enter');
    assert.equal(await page.locator(`${shown} th`).first().getAttribute('aria-sort'), 'ascending');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator(`${shown} th`).first().getAttribute('aria-sort'), null);
  });

  it('loads a 10,000-row result page by page, keeping the DOM small and the grid responsive', async () => {
    await selectTab(page, 3);
    const loadMore = page.locator(`${shown} .more vscode-button`);
    for (let loaded = PAGE; loaded < LARGE; loaded += PAGE) {
      const before = (await posted(page)).length;
      await loadMore.click();
      assert.deepEqual(await waitForPosted(page, { type: 'load-more' }, before), { type: 'load-more', id: 'r1:3' });
      await send(page, {
        type: 'rows',
        id: 'r1:3',
        rows: largeRows(loaded, loaded + PAGE),
        hasMore: loaded + PAGE < LARGE,
        rowCount: loaded + PAGE,
      });
    }
    await page.locator(`${shown} table[aria-rowcount="${LARGE + 1}"]`).waitFor();
    assert.equal(await page.locator(`${shown} .more`).isHidden(), true, 'no Load more once everything is loaded');
    assert.equal(await page.locator('vscode-tab-header').nth(3).locator('vscode-badge').textContent(), '10,000');
    const domRows = await page.locator(`${shown} tbody tr:not(.spacer)`).count();
    assert.ok(domRows > 0 && domRows < 150, `only the visible window is rendered (${domRows} rows)`);

    // Scroll to the end: the last rows are rendered, still only a window of them.
    await page.locator(`${shown} .grid-scroller`).evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await page.locator(`${shown} tr[aria-rowindex="${LARGE + 1}"]`).waitFor();
    assert.ok((await page.locator(`${shown} tbody tr:not(.spacer)`).count()) < 150);

    // Sort 10,000 rows descending by n: two clicks, answered by the next frame.
    await page.locator(`${shown} .grid-scroller`).evaluate((el) => {
      el.scrollTop = 0;
    });
    await page.evaluate(async (sel) => {
      const th = document.querySelector<HTMLElement>(`${sel} th`);
      th?.click();
      th?.click();
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }, shown);
    assert.equal((await columnTexts(page, 0))[0], '10000');
    // Keyboard to the last row: Ctrl+End scrolls it into view and focuses it.
    await page.locator(`${shown} td[role="gridcell"]`).first().click();
    await page.keyboard.press('Control+End');
    const last = await page.evaluate(() => [
      document.activeElement?.parentElement?.getAttribute('aria-rowindex'),
      document.activeElement?.textContent,
    ]);
    assert.equal(last[0], String(LARGE + 1), 'Ctrl+End reaches the last row');
    await page.keyboard.press('Control+Home');
    await screenshot(page, 'results-large-dark');
  });

  it('offers Cancel while running, then Re-run, and opens or re-runs a run from the history', async () => {
    let before = (await posted(page)).length;
    await page.locator('.run-bar vscode-button', { hasText: 'Cancel' }).click();
    assert.deepEqual(await waitForPosted(page, { type: 'cancel' }, before), { type: 'cancel', runId: 'r1' });
    await send(page, { type: 'run-finished', run: { ...run1, status: 'done' } });
    await page.locator('.run-bar vscode-button', { hasText: 'Cancel' }).waitFor({ state: 'hidden' });
    before = (await posted(page)).length;
    await page.locator('.run-bar vscode-button', { hasText: 'Re-run' }).click();
    assert.deepEqual(await waitForPosted(page, { type: 'rerun' }, before), { type: 'rerun', runId: 'r1' });

    await send(page, { type: 'history', runs: [{ ...run1, status: 'done' }, run0] });
    await page.locator('.history summary').click();
    const items = page.locator('.history-item');
    assert.equal(await items.count(), 2);
    assert.match((await items.nth(0).textContent()) ?? '', /bank\.sql:12.*Simulated cluster.*Done/);
    assert.equal(await items.nth(0).locator('.history-open').getAttribute('aria-current'), 'true');
    await screenshot(page, 'results-history-dark');
    before = (await posted(page)).length;
    await items.nth(1).locator('.history-open').click();
    assert.deepEqual(await waitForPosted(page, { type: 'open-run' }, before), { type: 'open-run', runId: 'r0' });
    before = (await posted(page)).length;
    await items.nth(1).locator('vscode-button', { hasText: 'Re-run' }).click();
    assert.deepEqual(await waitForPosted(page, { type: 'rerun' }, before), { type: 'rerun', runId: 'r0' });
    await page.locator('.history summary').click();
  });

  it('comes back with the same tab and scroll position after being hidden and shown', async () => {
    await selectTab(page, 3);
    await page.locator(`${shown} .grid-scroller`).evaluate((el) => {
      el.scrollTop = 4_800;
    });
    // Switching away and back keeps the position too.
    await selectTab(page, 0);
    await selectTab(page, 3);
    await page.waitForFunction((sel) => Math.abs((document.querySelector(`${sel} .grid-scroller`)?.scrollTop ?? 0) - 4_800) < 2, shown);
    // setState is batched: wait until what was saved last has both the tab and its position (an
    // earlier batch may hold the position with the other tab selected).
    await page.waitForFunction(() => {
      const saved = JSON.parse(sessionStorage.getItem('vscode-state') ?? '{}') as {
        selectedId?: string;
        statements?: Record<string, { scrollTop?: number }>;
      };
      return saved.selectedId === 'r1:3' && Math.abs((saved.statements?.['r1:3']?.scrollTop ?? 0) - 4_800) < 2;
    });
    await page.reload();
    await page.waitForFunction(() => (window as unknown as TestWindow).posted.some((m) => m.type === 'ready'));
    await setTheme(page, 'dark');
    await send(page, { type: 'history', runs: [{ ...run1, status: 'done' }, run0] });
    await send(page, {
      type: 'show-run',
      runId: 'r1',
      statements: [
        selectStatement,
        insertStatement,
        errorStatement,
        { ...largeStatement, rows: largeRows(0, LARGE), hasMore: false, rowCount: LARGE },
      ],
    });
    await page.locator('vscode-tab-header').nth(3).and(page.locator('[active]')).waitFor();
    await page.waitForFunction((sel) => Math.abs((document.querySelector(`${sel} .grid-scroller`)?.scrollTop ?? 0) - 4_800) < 2, shown);
    assert.equal(await page.locator(`${shown} th`).first().getAttribute('aria-sort'), 'descending', 'the sort is remembered too');
  });

  it('looks right in a light theme', async () => {
    await setTheme(page, 'light');
    await selectTab(page, 0);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(background, 'rgb(255, 255, 255)');
    await screenshot(page, 'results-light');
    await selectTab(page, 2);
    await screenshot(page, 'results-error-light');
  });

  it('keeps a long run’s tabs in a strip that scrolls on its own, the running statement’s tab in view', async () => {
    await setTheme(page, 'dark');
    const many: RunSummary = { ...run1, runId: 'r5', source: 'many.sql:1', statements: 30, status: 'running' };
    await send(page, { type: 'run-started', run: many });
    for (let i = 0; i < 30; i++)
      await send(page, {
        type: 'statement',
        statement: {
          ...insertStatement,
          id: `r5:${i}`,
          runId: 'r5',
          index: i,
          line: i + 1,
          statement: `INSERT INTO accounts_${i} VALUES (${i})`,
        },
      });
    await send(page, { type: 'run-finished', run: { ...many, status: 'done' } });
    await page.locator('vscode-tab-header').nth(29).and(page.locator('[active]')).waitFor();
    const layout = await page.evaluate(() => {
      const tabs = document.querySelector('vscode-tabs');
      const strip = tabs?.shadowRoot?.querySelector('.header');
      const active = document.querySelector('vscode-tab-header[active]');
      if (!strip || !active) return undefined;
      const s = strip.getBoundingClientRect();
      const a = active.getBoundingClientRect();
      return {
        stripScrolls: strip.scrollWidth > strip.clientWidth,
        activeInView: a.left >= s.left - 1 && a.right <= s.right + 1,
        pageScrollsSideways: document.documentElement.scrollWidth > document.documentElement.clientWidth,
      };
    });
    assert.deepEqual(layout, { stripScrolls: true, activeInView: true, pageScrollsSideways: false });
    await screenshot(page, 'results-many-tabs-dark');
  });

  it('lists the history by SQL with file:line beside it, and filters it with a search', async () => {
    const runs: RunSummary[] = [
      { ...run1, runId: 'h3', source: 'movr.sql:40', sql: "UPDATE rides SET revenue = 0\nWHERE city = 'rome'", status: 'error' },
      { ...run1, runId: 'h2', source: 'movr.sql:12', sql: 'SELECT city, count(*) FROM rides GROUP BY city', status: 'done' },
      { ...run0, runId: 'h1', sql: 'SHOW REGIONS FROM DATABASE movr' },
    ];
    await send(page, { type: 'history', runs });
    if (!(await page.locator('.history').evaluate((d) => (d as HTMLDetailsElement).open))) await page.locator('.history summary').click();
    const sqlTexts = page.locator('.history-item .history-sql');
    assert.deepEqual(await sqlTexts.allTextContents(), [
      'UPDATE rides SET revenue = 0',
      'SELECT city, count(*) FROM rides GROUP BY city',
      'SHOW REGIONS FROM DATABASE movr',
    ]);
    assert.match((await page.locator('.history-item .history-detail').first().textContent()) ?? '', /movr\.sql:40 · Simulated cluster/);
    const search = page.locator('.history-search input');
    await search.fill('rides');
    await page.waitForFunction(() => document.querySelectorAll('.history-item').length === 2);
    await search.fill('movr.sql:12');
    await page.waitForFunction(() => document.querySelectorAll('.history-item').length === 1);
    assert.deepEqual(await sqlTexts.allTextContents(), ['SELECT city, count(*) FROM rides GROUP BY city']);
    await screenshot(page, 'results-history-search-dark');
    await search.fill('no such run');
    await page.locator('.history-list .empty', { hasText: 'No run matches the search.' }).waitFor();
    await search.fill('');
    await page.waitForFunction(() => document.querySelectorAll('.history-item').length === 3);
    await page.locator('.history summary').click();
  });

  it('after a run that could not connect shows its failure, not the last run’s Done', async () => {
    const failed: RunSummary = { ...run1, runId: 'r6', source: 'bank.sql:3', target: 'prod', statements: 1, status: 'running' };
    await send(page, { type: 'run-started', run: failed });
    await send(page, {
      type: 'statement',
      statement: {
        ...insertStatement,
        id: 'r6:0',
        runId: 'r6',
        status: 'error',
        tag: undefined,
        rowCount: undefined,
        notices: [],
        error: { message: 'cannot connect to prod: connection refused (is the server running on localhost:26257?)' },
        note: 'Not run: could not connect to prod.',
      },
    });
    await send(page, { type: 'run-finished', run: { ...failed, status: 'error' } });
    await page.locator('.run-bar .status-error', { hasText: 'Error' }).waitFor();
    assert.equal(await page.locator('.run-bar .status-done').count(), 0, 'no Done left from the run before');
    assert.equal(await page.locator('vscode-tab-header').count(), 1);
    assert.match((await page.locator(`${shown} .error-message`).textContent()) ?? '', /cannot connect to prod: connection refused/);
    await screenshot(page, 'results-not-connected-dark');
    // In a panel as narrow as an editor split beside a lesson, the run's status still shows whole.
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 300, height: viewport?.height ?? 600 });
    try {
      const status = page.locator('.run-bar .run-info > .status.status-error');
      await page.waitForFunction(() => document.documentElement.clientWidth === 300);
      const box = await status.boundingBox();
      const info = await page.locator('.run-bar .run-info').boundingBox();
      assert.ok(box && info, 'the status and the run info are laid out');
      assert.ok(
        box.width > 0 && box.x >= info.x && box.x + box.width <= info.x + info.width + 0.5,
        `status inside the bar: ${JSON.stringify({ box, info })}`,
      );
      await screenshot(page, 'results-narrow-status');
    } finally {
      if (viewport) await page.setViewportSize(viewport);
    }
  });

  it('ignores unknown and malformed messages, and logs no errors or CSP violations', async () => {
    const tabs = await page.locator('vscode-tab-header').count();
    for (const junk of [null, 'hello', { type: 'nope' }, { type: 'rows', id: 'r1:3' }, { type: 'statement', statement: { id: 1 } }])
      await page.evaluate((m) => {
        window.postMessage(m, '*');
      }, junk);
    await afterMessages(page);
    assert.equal(await page.locator('vscode-tab-header').count(), tabs);
    assert.deepEqual(await page.evaluate(() => (window as unknown as TestWindow).cspViolations), []);
    assert.deepEqual(session?.consoleErrors ?? [], []);
  });
});
