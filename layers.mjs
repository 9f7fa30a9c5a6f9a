// The import matrix: which top-level package may import which. Folders follow dependencies:
// `sql` and `protocol` are leaves, `client` is the only importer of 'vscode'. ESLint enforces it
// (eslint.config.mjs); test/unit/layers.test.ts proves every forbidden edge is caught and that the
// README's Layout section says the same.
export const layers = {
  sql: [],
  protocol: [],
  server: ['sql', 'protocol'],
  cluster: ['sql', 'protocol'],
  runner: ['sql', 'protocol'],
  webview: ['protocol'],
  cli: ['sql', 'protocol', 'server', 'cluster'],
  client: ['sql', 'protocol', 'server', 'cluster', 'runner'],
};

/** ESLint `no-restricted-imports` options for files of `layer`. */
export function restrictedImports(layer) {
  const allowed = new Set([layer, ...layers[layer]]);
  const forbidden = Object.keys(layers).filter((other) => !allowed.has(other));
  const patterns = forbidden.length
    ? [
        {
          regex: `(^|/)(${forbidden.join('|')})/src(/|$)`,
          message: `${layer}/ may import only ${[...allowed].sort().join(', ')} (layers.mjs).`,
        },
      ]
    : [];
  const paths = layer === 'client' ? [] : [{ name: 'vscode', message: 'Only client/ may import vscode.' }];
  return { paths, patterns };
}
