// The CLI's line index gives the positions an LSP TextDocument gives (the editor's), for every
// offset of texts mixing \n, \r\n, lone \r and characters outside the BMP.
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex } from '../../cli/src/lineIndex';

describe('CLI line index', () => {
  it('places every offset where TextDocument.positionAt does', () => {
    const pieces = ['a', 'bc', '\n', '\r\n', '\r', '\n\r', '😀', 'é', ' ', ';'];
    let seed = 7;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return seed;
    };
    let compared = 0;
    for (let round = 0; round < 300; round++) {
      let text = '';
      const length = next() % 25;
      for (let k = 0; k < length; k++) text += pieces[next() % pieces.length] ?? '';
      const document = TextDocument.create('file:///t.sql', 'sql', 1, text);
      const index = new LineIndex(text);
      for (let offset = -1; offset <= text.length + 1; offset++) {
        assert.deepEqual(index.positionAt(offset), document.positionAt(offset), `${JSON.stringify(text)} at ${offset}`);
        compared++;
      }
    }
    assert.ok(compared > 3000, `${compared} offsets compared`);
  });
});
