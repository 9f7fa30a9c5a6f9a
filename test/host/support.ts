// Shared by the host suites: the extension, opening example files (test/support/patience.ts waits).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CrdbStudioApi } from '../../client/src/extension';

export const EXTENSION_ID = 'crdb-studio.crdb-studio';

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
