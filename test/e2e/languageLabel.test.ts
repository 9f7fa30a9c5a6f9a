/// <reference lib="dom" />
// The packaged .vsix in code-server with Workspace Trust off (as in most browser tests), through
// Chromium: the language indicator of a .sql file, and the walkthrough's first step.
// VS Code's built-in SQL support names the `sql` language "MS SQL"; crdb-studio contributes its
// own first alias for it, and VS Code shows the name from the last contribution that gives
// aliases — the extension's, as the extensions load after the built-in ones.
import * as assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { PATIENCE_MS, until } from '../support/patience';
import { openBrowser, screenshot, type BrowserSession } from '../support/browser';
import { openWorkbench, quickOpen } from '../support/workbench';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { repoRoot } from '../support/tools';
import { stepDone } from '../support/walkthrough';

// CRDB_VSIX: a package built aside, when another build in the same tree may be rewriting dist/.
const VSIX = process.env['CRDB_VSIX'] ?? path.join(repoRoot, 'dist', 'crdb-studio.vsix');

describe('a .sql file and the walkthrough in code-server with Workspace Trust off, through Chromium', function () {
  this.timeout(4 * PATIENCE_MS);
  let server: CodeServer | undefined;
  let session: BrowserSession | undefined;
  let page: Page;

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} exists (npm run package builds it; npm test runs that first)`);
    server = await startCodeServer({ workspaceSource: path.join(repoRoot, 'examples'), install: [VSIX] });
    writeFileSync(path.join(server.workspace, 'label.sql'), 'SELECT 1;\n');
    session = await openBrowser();
    page = session.page;
    await openWorkbench(page, server.url());
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(page, 'failed-language-label').catch(() => undefined);
  });

  after(async () => {
    await session?.close();
    await server?.stop();
  });

  it('reads CockroachDB SQL in the status bar, not MS SQL', async () => {
    await quickOpen(page, 'label.sql');
    const mode = page.locator('#status\\.editor\\.mode');
    await mode.waitFor();
    await until(async () => ((await mode.textContent()) ?? '').includes('CockroachDB SQL'), 'the language indicator reads CockroachDB SQL');
    assert.doesNotMatch((await mode.textContent()) ?? '', /MS SQL/);
  });

  // With Workspace Trust off every folder is trusted: the step is done, not waiting for a
  // trust VS Code will never ask for.
  it('ticks the walkthrough step "Trust the folder" when Workspace Trust is off', async () => {
    await stepDone(page, 'Trust the folder');
    await screenshot(page, 'walkthrough-trust-off');
  });
});
