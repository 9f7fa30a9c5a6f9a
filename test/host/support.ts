// Shared by the host suites: the extension, waiting for a condition, opening example files.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CrdbStudioApi } from '../../client/src/extension';

export const EXTENSION_ID = 'crdb-studio.crdb-studio';

export async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function extension(): vscode.Extension<CrdbStudioApi> {
  const found = vscode.extensions.getExtension<CrdbStudioApi>(EXTENSION_ID);
  assert.ok(found, `${EXTENSION_ID} is installed in the host`);
  return found;
}

export async function openFile(name: string): Promise<vscode.TextDocument> {
  const [file] = await vscode.workspace.findFiles(`**/${name}`, undefined, 1);
  assert.ok(file, `${name} is in the examples workspace`);
  const document = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(document);
  return document;
}
