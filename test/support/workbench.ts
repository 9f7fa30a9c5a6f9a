// Driving VS Code's workbench in code-server through Chromium: Quick Open, the command palette.
import type { Locator, Page } from 'playwright-core';
import { screenshot } from './browser';

/**
 * Opens a file with Quick Open. The focus moves to the explorer first: keys typed while a webview
 * has focus stay in its frame. The row is clicked, not Enter'ed: Enter could hit the list before
 * it has filtered.
 */
export async function quickOpen(page: Page, fileName: string): Promise<void> {
  await page.locator('.explorer-folders-view .monaco-list-row').first().click();
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(fileName);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().click();
  await page.locator('.tab.active', { hasText: fileName }).first().waitFor();
}

/** Runs a command by its title from the command palette. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  // Once the list has filtered, its first match has the focus and Enter runs it. A click on the
  // row could land while the list redraws it and run nothing (a test then waited for a run that
  // never started); Enter before the filter applied would run the unfiltered list's first command.
  const row = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title });
  await row.waitFor();
  await input.press('Enter');
  // The command has run once its row is gone (the palette closed, or the command's own prompt replaced it).
  await row.waitFor({ state: 'hidden' });
}

/** Opens code-server's workbench and waits until the explorer lists the workspace. */
export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor();
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor();
}

/**
 * Waits for `target`; when it never comes, fails saying what the workbench showed instead (the
 * notifications, the webviews' text, a screenshot), so a failure in a CI log can be read without
 * running it again.
 */
export async function waitShowing(page: Page, target: Locator, what: string): Promise<void> {
  try {
    await target.first().waitFor({ state: 'attached' });
  } catch (error) {
    const shown = await workbenchState(page).catch((reason: unknown) => `(could not read the workbench: ${String(reason)})`);
    const file = await screenshot(page, `timeout-${what.replace(/\W+/g, '-').slice(0, 40)}`).catch(() => '(no screenshot)');
    throw new Error(
      `${what} never showed (${error instanceof Error ? error.message.split('\n')[0] : String(error)}).\n${shown}\nscreenshot: ${file}`,
      { cause: error },
    );
  }
}

async function workbenchState(page: Page): Promise<string> {
  const brief = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 1500);
  const notifications = (await page.locator('.notification-list-item-message').allTextContents()).map(brief);
  const tabs = (await page.locator('.tab').allTextContents()).map(brief);
  // Each editor group with its tabs: a group opened for a webview that never came shows none.
  const groups = await page
    .locator('.editor-group-container')
    .evaluateAll((elements) => elements.map((group) => [...group.querySelectorAll('.tab')].map((tab) => tab.textContent.trim())));
  const webviews: string[] = [];
  // A webview is two frames deep; its outer frame holds no text of its own.
  for (const frame of page.frames()) {
    if (frame === page.mainFrame() || frame.url().includes('webWorkerExtensionHost')) continue;
    const text = brief(
      await frame
        .locator('body')
        .innerText({ timeout: 5_000 })
        .catch(() => ''),
    );
    if (text !== '') webviews.push(text);
  }
  return [
    `tabs: ${tabs.join(' | ')}`,
    `editor groups: ${groups.map((titles, i) => `${i + 1}: [${titles.join(', ')}]`).join(' ')}`,
    `notifications: ${notifications.join(' | ') || '(none)'}`,
    ...webviews.map((w, i) => `webview ${i}: ${w}`),
  ].join('\n');
}
