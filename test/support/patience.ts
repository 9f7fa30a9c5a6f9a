// How long a test waits for something to happen. Tests wait on conditions, never on the clock: a
// limit only ends a test that hangs, so it is generous enough for a loaded 2-core machine, where
// a code-server start or a PGlite cluster can take many times its usual time.

/** The longest a test waits for one condition (a selector, a server, a message). */
export const PATIENCE_MS = 120_000;

/**
 * Resolves with the first value `probe` gives other than undefined or false, polling; throws
 * naming `what` once `limitMs` has passed without one.
 */
export async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  limitMs = PATIENCE_MS,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${limitMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
