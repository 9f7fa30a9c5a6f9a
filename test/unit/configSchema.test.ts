// The JSON schema VS Code uses to validate .crdb-studio.json agrees with the code that reads it.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readConfig } from '../../server/src/lint/config';
import { allRules } from '../../server/src/lint/rules';
import { repoRoot } from '../support/tools';

interface Schema {
  properties: { rules: { properties: Record<string, { enum: string[]; default: string }> } };
}

describe('.crdb-studio.json schema', () => {
  const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schemas', 'crdb-studio.schema.json'), 'utf8')) as Schema;

  it('lists exactly the rules the linter has, with the severities it accepts and each default', () => {
    const inSchema = Object.keys(schema.properties.rules.properties).sort();
    assert.deepEqual(inSchema, allRules.map((r) => r.id).sort());
    for (const [id, property] of Object.entries(schema.properties.rules.properties)) {
      for (const severity of property.enum) assert.deepEqual(readConfig({ rules: { [id]: severity } }).problems, [], `${id}: ${severity}`);
      assert.equal(property.default, allRules.find((r) => r.id === id)?.defaultSeverity, `${id}: default`);
    }
  });

  it('is contributed to VS Code for .crdb-studio.json', () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      contributes: { jsonValidation: { fileMatch: string; url: string }[] };
    };
    assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: '.crdb-studio.json', url: './schemas/crdb-studio.schema.json' }]);
  });
});
