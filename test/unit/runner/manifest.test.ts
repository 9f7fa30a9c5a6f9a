// What the manifest promises about Restricted Mode for running SQL: a workspace the user has not
// trusted can neither point the runner at a server nor switch off the question before a
// destructive statement.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../support/tools';

interface Manifest {
  capabilities: { untrustedWorkspaces: { restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, unknown> } | { properties: Record<string, unknown> }[] };
}

describe('runner: manifest settings in Restricted Mode', () => {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
  const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [];

  it('restricts the connections and the confirmation of destructive statements', () => {
    assert.ok(restricted.includes('crdbStudio.connections'), restricted.join(', '));
    assert.ok(restricted.includes('crdbStudio.run.confirmDestructive'), restricted.join(', '));
  });

  it('restricts only settings the extension contributes', () => {
    const configuration = manifest.contributes.configuration;
    const sections = Array.isArray(configuration) ? configuration : [configuration];
    const known = new Set(sections.flatMap((section) => Object.keys(section.properties)));
    for (const key of restricted) assert.ok(known.has(key), `${key} is not a contributed setting`);
  });
});
