import * as assert from 'node:assert/strict';
import { normaliseCockroachVersion } from '../../protocol/src/languageServer';

describe('normaliseCockroachVersion', () => {
  const accepted: [unknown, string][] = [
    ['v25.2', 'v25.2'],
    ['25.2', 'v25.2'],
    [' v23.2.4 ', 'v23.2'],
    ['v24.1.0', 'v24.1'],
  ];
  for (const [input, expected] of accepted)
    it(`reads ${JSON.stringify(input)} as ${expected}`, () => {
      assert.equal(normaliseCockroachVersion(input), expected);
    });

  for (const input of ['latest', '', 'v25', '25.x', 'v1000.1', 25.2, null, undefined, {}]) {
    it(`rejects ${input === undefined ? 'undefined' : JSON.stringify(input)}`, () => {
      assert.equal(normaliseCockroachVersion(input), undefined);
    });
  }
});
