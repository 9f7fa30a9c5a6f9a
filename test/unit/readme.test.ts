// The README's rule table and settings table list exactly what the code has.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../../server/src/lint/rules';
import { repoRoot } from '../support/tools';

describe('README', () => {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

  it('documents every lint rule with its default severity and docs link', () => {
    for (const rule of allRules) {
      assert.ok(readme.includes(`[\`${rule.id}\`](${rule.docs})`), `${rule.id} is in the README`);
    }
  });

  it('documents every setting of the manifest', () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, unknown> } };
    };
    for (const key of Object.keys(manifest.contributes.configuration.properties))
      assert.ok(readme.includes(`\`${key}\``), `${key} is in the README`);
  });
});
