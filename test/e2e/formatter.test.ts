/// <reference lib="dom" />
// The SQL formatter as a person uses it: the packaged .vsix in code-server, through Chromium.
// Format Document and Format Selection (from the command palette: in a browser, Shift+Alt+F goes
// to the menu bar) on a .sql file give the language server's edits, with no "There is no formatter" or "multiple formatters" prompt:
// crdb-studio is the formatter of CockroachDB SQL files.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formattingEdits } from '../../server/src/features/formatting';
import { PATIENCE_MS, until } from '../support/patience';
import { openBrowser, screenshot, type BrowserSession } from '../support/browser';
import { openWorkbench, quickOpen } from '../support/workbench';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { repoRoot } from '../support/tools';

// CRDB_VSIX: a package built aside, when another build in the same tree may be rewriting dist/.
const VSIX = process.env['CRDB_VSIX'] ?? path.join(repoRoot, 'dist', 'crdb-studio.vsix');

/** The first statement has a lint warning: its squiggle says the language server has read the file. */
const DOCUMENT = [
  'create table events (id serial primary key, kind string not null, at timestamptz default now(), index (kind));',
  "select kind, count(*) as n from events where at > now() - interval '1 day' group by kind order by n desc;",
  '-- a comment stays where it is',
  "upsert into events (kind) values ('signup');",
  '',
].join('\n');

const SELECTION = [
  'select id from events where kind = $1;',
  'select kind, max(at) from events group by kind having count(*) > 1;',
  "delete from events where at < now() - interval '30 days';",
  '',
].join('\n');

/** What the language server answers VS Code for this text and editor options (two spaces). */
function formatted(text: string, line?: number): string {
  const document = TextDocument.create('file:///f.sql', 'sql', 1, text);
  const range =
    line === undefined ? undefined : { start: { line, character: 0 }, end: { line, character: (text.split('\n')[line] ?? '').length } };
  const request = { document, options: { tabSize: 2, insertSpaces: true }, keywordCase: 'upper' as const };
  return TextDocument.applyEdits(document, formattingEdits(range ? { ...request, range } : request));
}

/** Runs the command palette's entry titled exactly `title` (not "Format Document With…"). */
async function runExactly(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.getByText(title, { exact: true }) })
    .first()
    .click();
}

/** Waits until the file on disk reads `expected`, saving the editor meanwhile. */
async function savedAs(page: Page, file: string, expected: string): Promise<string> {
  let saved = '';
  await until(
    async () => {
      await page.keyboard.press('Control+S');
      saved = readFileSync(file, 'utf8');
      return saved === expected;
    },
    `${path.basename(file)} saved formatted`,
  ).catch(() => undefined);
  return saved;
}

/** No notification says that no formatter, or more than one, is there for the file. */
async function assertNoFormatterPrompt(page: Page): Promise<void> {
  const prompts = page.locator('.notifications-toasts .notification-list-item, .notifications-center .notification-list-item', {
    hasText: /formatter/i,
  });
  assert.equal(await prompts.count(), 0, (await prompts.allInnerTexts()).join('\n'));
}

describe('the SQL formatter in code-server, through Chromium', function () {
  this.timeout(4 * PATIENCE_MS);
  let server: CodeServer | undefined;
  let session: BrowserSession | undefined;
  let page: Page;

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} exists (npm run package builds it; npm test runs that first)`);
    server = await startCodeServer({
      workspaceSource: path.join(repoRoot, 'examples'),
      install: [VSIX],
      settings: {
        'crdbStudio.walkthrough.openOnFirstRun': false,
        // The indent the expected text is computed with, whatever a file's own indentation.
        'editor.tabSize': 2,
        'editor.insertSpaces': true,
        'editor.detectIndentation': false,
      },
    });
    writeFileSync(path.join(server.workspace, 'format-document.sql'), DOCUMENT);
    writeFileSync(path.join(server.workspace, 'format-selection.sql'), SELECTION);
    session = await openBrowser();
    page = session.page;
    await openWorkbench(page, server.url());
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(page, `failed-formatter-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  after(async () => {
    await session?.close();
    await server?.stop();
  });

  it('formats the whole document with Format Document, no formatter prompt', async () => {
    assert.ok(server);
    await quickOpen(page, 'format-document.sql');
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor();
    await page.locator('.monaco-editor .view-lines').first().click();
    await runExactly(page, 'Format Document');
    const expected = formatted(DOCUMENT);
    assert.notEqual(expected, DOCUMENT);
    assert.match(expected, /^CREATE TABLE events \(\n {2}id SERIAL PRIMARY KEY,\n/);
    const saved = await savedAs(page, path.join(server.workspace, 'format-document.sql'), expected);
    await assertNoFormatterPrompt(page);
    assert.equal(saved, expected);
    await screenshot(page, 'formatter-document');
  });

  it('formats only the statement under the cursor with Format Selection', async () => {
    assert.ok(server);
    await quickOpen(page, 'format-selection.sql');
    await page.locator('.monaco-editor .view-lines').first().click();
    // The cursor on line 2, nothing selected: VS Code asks for that line, the server formats the
    // statement it touches, whole, and leaves the others as written.
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').fill(':2:5');
    await page.keyboard.press('Enter');
    await runExactly(page, 'Format Selection');
    const expected = formatted(SELECTION, 1);
    const lines = SELECTION.split('\n');
    assert.equal(expected, `${lines[0]}\nSELECT kind, max(at)\nFROM events\nGROUP BY kind\nHAVING count(*) > 1;\n${lines[2]}\n`);
    const saved = await savedAs(page, path.join(server.workspace, 'format-selection.sql'), expected);
    await assertNoFormatterPrompt(page);
    assert.equal(saved, expected);
    await screenshot(page, 'formatter-selection');
  });
});
