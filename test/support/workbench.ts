// Driving VS Code's workbench in code-server through Chromium: Quick Open, the command palette.
import type { Page } from 'playwright-core';

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
