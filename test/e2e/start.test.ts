// `npm start` as a user meets it: the script prints a URL, the page is a VS Code with the
// examples workspace and crdb-studio active in it.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PATIENCE_MS, until } from '../support/patience';
import { openBrowser, screenshot, type BrowserSession } from '../support/browser';
import { freePort } from '../support/codeServer';
import { repoRoot, toolPaths } from '../support/tools';

describe('npm start', function () {
  this.timeout(5 * PATIENCE_MS);
  let child: ChildProcess | undefined;
  let session: BrowserSession | undefined;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-start-'));

  after(async () => {
    await session?.close();
    if (child?.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
    rmSync(profile, { recursive: true, force: true });
  });

  it('prints a URL that opens the examples in VS Code with crdb-studio active', async () => {
    const port = await freePort();
    child = spawn('bash', [path.join(repoRoot, 'scripts', 'start.sh')], {
      // A throwaway HOME and profile, but the machine's tool cache (installed by the test command).
      env: { ...process.env, PORT: String(port), CRDB_START_PROFILE: profile, HOME: profile, CRDB_STUDIO_TOOLS: toolPaths().cache },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      child?.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /^(http:\/\/127\.0\.0\.1:\d+\/\S*)$/m.exec(stdout);
        if (match?.[1]) resolve(match[1]);
      });
      child?.once('exit', (code) => {
        reject(new Error(`npm start exited (${String(code)}) before printing a URL:\n${stderr}`));
      });
    });
    assert.equal(new URL(url).port, String(port));
    assert.equal(new URL(url).searchParams.get('folder'), path.join(repoRoot, 'examples'));

    session = await openBrowser();
    const page = session.page;
    await page.goto(url);
    // Workspace Trust is on, as for any user: a new profile opens the folder in Restricted
    // Mode, where crdb-studio still highlights and lints (it declares limited support).
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor();
    // crdb-studio activates on a folder with .sql/.md files: its target shows before any file
    // opens, and the walkthrough opens on this first start.
    await page.locator('.statusbar-item', { hasText: 'Simulated cluster' }).waitFor();
    await page.locator('.gettingStartedContainer', { hasText: 'Get Started with crdb-studio' }).waitFor();
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'schemas' }).waitFor();
    // Quick Open, asked again if its first answer came before the workspace's file search was
    // ready (it then lists nothing) or the key went to the walkthrough while it was settling.
    const input = page.locator('.quick-input-widget input');
    const found = page.locator('.quick-input-list .monaco-list-row', { hasText: '00-recommended.sql' }).first();
    await until(async () => {
      if (!(await input.isVisible())) {
        await page.locator('.explorer-folders-view .monaco-list-row').first().click();
        await page.keyboard.press('Control+P');
        await input.waitFor({ timeout: 10_000 }).catch(() => undefined);
        if (!(await input.isVisible())) return false;
        await input.fill('00-recommended.sql');
      }
      if (
        await found.waitFor({ timeout: 10_000 }).then(
          () => true,
          () => false,
        )
      )
        return true;
      await page.keyboard.press('Escape');
      return false;
    }, 'Quick Open listing 00-recommended.sql');
    await found.click();
    await page.locator('.statusbar-item', { hasText: 'CockroachDB v25.2' }).waitFor();
    await screenshot(page, 'npm-start');
  });
});
