// The crdb-studio walkthrough as a browser test reads it in code-server: its steps, their
// checkmarks, and a palette that may close while the walkthrough takes the focus.
import * as assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { PATIENCE_MS, until } from './patience';

/** A step of the open walkthrough, by its title. */
export function walkthroughStep(page: Page, title: string): Locator {
  return page.locator('.gettingStartedContainer .getting-started-step', { hasText: title }).first();
}

/** The step's checkbox: VS Code marks it `complete` (the checkmark) once its completion event fired. */
export function stepCheckbox(page: Page, title: string): Locator {
  return walkthroughStep(page, title).locator('.codicon[role=checkbox]').first();
}

/**
 * Runs a command from the palette, again if the palette closed before its row was clicked: the
 * Getting Started editor moves the focus to the step it selects a moment after it opens, and the
 * palette closes when it loses the focus.
 */
export async function paletteCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  const attempt = PATIENCE_MS / 8;
  await until(async () => {
    try {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: attempt });
      await input.fill(`>${title}`, { timeout: attempt });
      await row.click({ timeout: attempt });
      return true;
    } catch {
      await page.keyboard.press('Escape');
      return false;
    }
  }, `the command ${title} to run`);
}

/** Opens the walkthrough and waits for the step's checkmark. */
export async function stepDone(page: Page, title: string): Promise<void> {
  await paletteCommand(page, 'crdb-studio: Open Walkthrough');
  await walkthroughStep(page, title).locator('.codicon.complete[aria-checked=true]').waitFor();
}

/** Opens the walkthrough and checks the step has no checkmark yet. */
export async function stepNotDone(page: Page, title: string): Promise<void> {
  await paletteCommand(page, 'crdb-studio: Open Walkthrough');
  const checkbox = stepCheckbox(page, title);
  await checkbox.waitFor();
  // The page has selected the first step not done (and taken the focus): it holds still now.
  await page.locator('.gettingStartedContainer .getting-started-step[aria-expanded=true]').first().waitFor();
  assert.equal(await checkbox.getAttribute('aria-checked'), 'false', `${title}: not done yet`);
}
