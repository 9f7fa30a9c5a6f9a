// The JSON schema VS Code uses to validate .crdb-studio.json agrees with the code that reads it.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readConfig } from '../../server/src/lint/config';
import { allRules } from '../../server/src/lint/rules';
import { repoRoot } from '../support/tools';

interface Schema {
  properties: {
    rules: { properties: Record<string, { enum: string[]; default: string }> };
    databases: { additionalProperties: { properties: Record<string, { enum?: string[] }> } };
  };
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

  it('declares databases with exactly the fields the reader accepts', () => {
    const fields = schema.properties.databases.additionalProperties.properties;
    assert.deepEqual(Object.keys(fields).sort(), ['primaryRegion', 'regions', 'secondaryRegion', 'survivalGoal']);
    const movr = {
      regions: ['us-east1', 'us-west1', 'europe-west1'],
      primaryRegion: 'us-east1',
      secondaryRegion: 'us-west1',
      survivalGoal: 'region',
    };
    const read = readConfig({ databases: { movr } });
    assert.deepEqual(read.problems, []);
    assert.deepEqual(read.config.databases, { movr });
    for (const goal of fields['survivalGoal']?.enum ?? [])
      assert.deepEqual(readConfig({ databases: { d: { survivalGoal: goal } } }).problems, []);
  });

  it('says what is wrong with a database declaration and leaves it out', () => {
    const read = readConfig({
      databases: {
        a: { regions: 'us-east1' },
        b: { primaryRegion: 'us-east1', survivalGoal: 'planet' },
        c: { regions: ['us-east1'] },
        d: { primaryRegion: 'us-east1', zones: 3 },
        e: [],
      },
    });
    assert.deepEqual(read.problems, [
      'database "a": "regions" must be a list of region names',
      'database "b": "survivalGoal" must be "zone" or "region"',
      'database "c": regions need a primaryRegion (a database is multi-region once it has one)',
      'database "d": unknown key "zones"',
      'database "e" must be an object',
    ]);
    assert.deepEqual(Object.keys(read.config.databases ?? {}), ['d']);
    assert.deepEqual(readConfig({ databases: 3 }).problems, [
      '"databases" must be an object of database name to { regions, primaryRegion, survivalGoal }',
    ]);
  });

  it('is contributed to VS Code for .crdb-studio.json', () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      contributes: { jsonValidation: { fileMatch: string; url: string }[] };
    };
    assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: '.crdb-studio.json', url: './schemas/crdb-studio.schema.json' }]);
  });
});
