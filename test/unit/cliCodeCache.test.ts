// The CLI's V8 code cache (cli/src/codeCache.ts): a cache made for another bundle or another
// Node, or damaged, is ignored and replaced, and the CLI prints the same with and without it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  checksum,
  codeCacheDirectory,
  decodeCacheFile,
  encodeCacheFile,
  loadBundle,
  outgrows,
  userCacheDirectory,
} from '../../cli/src/codeCache';
import { lintInputBytes } from '../../cli/src/lintArguments';
import { interruptBudgetFor, keepsYoungGenerationSmall, startingTiers, turbofanPays, withoutMaglevInlining } from '../../cli/src/tiering';
import { repoRoot, toolPaths } from '../support/tools';

describe('CLI code cache', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-code-cache-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('file format', () => {
    const payload = Buffer.from(Array.from({ length: 1001 }, (_, i) => (i * 7) & 0xff));

    it('gives back the payload for the key it was made for, and the work that made it', () => {
      assert.deepEqual(decodeCacheFile(encodeCacheFile('key 1', payload, 38_150), 'key 1'), { payload, work: 38_150 });
      assert.equal(decodeCacheFile(encodeCacheFile('key 1', payload, 2 ** 40), 'key 1')?.work, 0xffffffff, 'capped, not wrapped');
    });

    it('ignores a file made for another key, cut short, damaged or of another format', () => {
      const file = encodeCacheFile('key 1', payload, 0);
      assert.equal(decodeCacheFile(file, 'key 2'), undefined);
      assert.equal(decodeCacheFile(file.subarray(0, file.length - 1), 'key 1'), undefined);
      assert.equal(decodeCacheFile(Buffer.concat([file, Buffer.from([0])]), 'key 1'), undefined);
      const damaged = Buffer.from(file);
      damaged[damaged.length - 10] = (damaged[damaged.length - 10] ?? 0) ^ 0x40;
      assert.equal(decodeCacheFile(damaged, 'key 1'), undefined);
      const otherFormat = Buffer.from(file);
      otherFormat[0] = 0;
      assert.equal(decodeCacheFile(otherFormat, 'key 1'), undefined);
      assert.equal(decodeCacheFile(Buffer.alloc(3), 'key 1'), undefined);
    });

    it('puts the payload at a multiple of 8 bytes, whatever the length of the key', () => {
      for (const key of ['k', 'key 1', 'a longer key of 23 byte', '12345678']) {
        const file = encodeCacheFile(key, payload, 0);
        const offset = file.length - payload.length;
        assert.equal(offset % 8, 0, `key '${key}': payload at ${offset}`);
        assert.deepEqual(file.subarray(offset), payload);
        assert.deepEqual(decodeCacheFile(file, key)?.payload, payload);
      }
    });

    it('the checksum reads every 256th byte and the last 256, aligned or not', () => {
      const bytes = Buffer.alloc(4099, 1);
      const unaligned = Buffer.alloc(4100, 1).subarray(1);
      assert.equal(checksum(bytes), checksum(unaligned));
      assert.notEqual(checksum(bytes.subarray(0, 4098)), checksum(bytes), 'the length');
      for (const at of [0, 1, 3, 256, 257, 512, 3840, 3843, 4000, 4095, 4096, 4098]) {
        const changed = Buffer.from(bytes);
        changed[at] = 2;
        assert.notEqual(checksum(changed), checksum(bytes), `byte ${at}`);
      }
    });
  });

  it('is made again by a run that did at least four times the work of the one that made it, up to 64 KiB', () => {
    assert.deepEqual(
      [outgrows(0, 3), outgrows(0, 4), outgrows(100, 399), outgrows(100, 400), outgrows(65_535, 1e9), outgrows(65_536, 1e9)],
      [false, true, false, true, true, false],
    );
  });

  it("lives in the user's cache directory of each platform, or where CRDB_STUDIO_CODE_CACHE says", () => {
    assert.equal(userCacheDirectory({}, 'linux', '/home/u'), path.join('/home/u', '.cache', 'crdb-studio'));
    assert.equal(userCacheDirectory({ XDG_CACHE_HOME: '/xdg' }, 'linux', '/home/u'), path.join('/xdg', 'crdb-studio'));
    assert.equal(userCacheDirectory({ XDG_CACHE_HOME: 'relative' }, 'linux', '/home/u'), path.join('/home/u', '.cache', 'crdb-studio'));
    assert.equal(userCacheDirectory({}, 'darwin', '/Users/u'), path.join('/Users/u', 'Library', 'Caches', 'crdb-studio'));
    assert.equal(userCacheDirectory({ LOCALAPPDATA: 'C:\\L' }, 'win32', 'C:\\u'), path.join('C:\\L', 'crdb-studio', 'Cache'));
    assert.equal(codeCacheDirectory({ CRDB_STUDIO_CODE_CACHE: 'off' }), undefined);
    assert.equal(codeCacheDirectory({ CRDB_STUDIO_CODE_CACHE: dir }), dir);
  });

  describe('loading a bundle', () => {
    const bundle = path.join(dir, 'bundle.js');
    const cacheDir = path.join(dir, 'cache');
    const source = (answer: number) =>
      `#!/usr/bin/env node\n'use strict';\nexports.answer = () => ${answer};\nexports.dirname = __dirname;\nexports.sep = require('node:path').sep;\nexports.self = module.exports === exports;\nexports.helper = require('./helper.js');\n`;
    const cacheFiles = () => readdirSync(cacheDir).map((name) => path.join(cacheDir, name));

    it('runs the bundle as a module, writes the cache once, then uses it', () => {
      writeFileSync(bundle, source(42));
      writeFileSync(path.join(dir, 'helper.js'), 'module.exports = 7;\n');
      const first = loadBundle(bundle, cacheDir);
      assert.equal(first.state, 'missing');
      const exports = first.exports as { answer(): number; dirname: string; sep: string; self: boolean; helper: number };
      assert.deepEqual([exports.answer(), exports.dirname, exports.sep, exports.self, exports.helper], [42, dir, path.sep, true, 7]);
      first.saveCache();
      assert.equal(cacheFiles().length, 1, 'one cache file, no temporary file left');
      const second = loadBundle(bundle, cacheDir);
      assert.equal(second.state, 'used');
      assert.equal((second.exports as { answer(): number }).answer(), 42);
      const written = readFileSync(cacheFiles()[0] ?? '');
      second.saveCache();
      assert.deepEqual(readFileSync(cacheFiles()[0] ?? ''), written, 'a used cache is not written again');
    });

    it('writes a used cache again after a run that outgrew the one that made it, keeping the larger work', () => {
      writeFileSync(bundle, source(41));
      rmSync(cacheDir, { recursive: true, force: true });
      loadBundle(bundle, cacheDir).saveCache(10);
      const stored = () => readFileSync(cacheFiles()[0] ?? '');
      const first = stored();
      const small = loadBundle(bundle, cacheDir);
      assert.equal(small.state, 'used');
      small.saveCache(39);
      assert.deepEqual(stored(), first, 'under four times the work: kept');
      const large = loadBundle(bundle, cacheDir);
      large.saveCache(40);
      const second = stored();
      assert.notDeepEqual(second, first, 'four times the work: written again');
      const next = loadBundle(bundle, cacheDir);
      assert.equal(next.state, 'used');
      next.saveCache(159);
      assert.deepEqual(stored(), second, 'the new cache records the larger work (40, not 10)');
    });

    it("reads an ASCII bundle and one with other characters (a dev build's comments) alike", () => {
      const text = path.join(dir, 'text.js');
      writeFileSync(text, "// Straße … 😀\nexports.words = ['Straße', '…', '\\u2026', 'plain'];\n");
      assert.deepEqual((loadBundle(text, undefined).exports as { words: string[] }).words, ['Straße', '…', '…', 'plain']);
      writeFileSync(text, "exports.words = ['\\u00df', 'plain'];\n");
      assert.deepEqual((loadBundle(text, undefined).exports as { words: string[] }).words, ['ß', 'plain']);
    });

    it('ignores the cache of a changed bundle, even of the same length, and replaces it', () => {
      writeFileSync(bundle, source(42));
      loadBundle(bundle, cacheDir).saveCache();
      writeFileSync(bundle, source(43));
      utimesSync(bundle, new Date(), new Date(Date.now() + 5000));
      const changed = loadBundle(bundle, cacheDir);
      assert.equal(changed.state, 'stale');
      assert.equal((changed.exports as { answer(): number }).answer(), 43);
      changed.saveCache();
      const again = loadBundle(bundle, cacheDir);
      assert.equal(again.state, 'used');
      assert.equal((again.exports as { answer(): number }).answer(), 43);
    });

    it('ignores a damaged or truncated cache file and replaces it', () => {
      writeFileSync(bundle, source(44));
      loadBundle(bundle, cacheDir).saveCache();
      const file = cacheFiles()[0] ?? '';
      const good = readFileSync(file);
      const damaged = Buffer.from(good);
      damaged[damaged.length - 100] = (damaged[damaged.length - 100] ?? 0) ^ 0xff;
      for (const bad of [damaged, good.subarray(0, good.length >> 1), Buffer.alloc(0)]) {
        writeFileSync(file, bad);
        const loaded = loadBundle(bundle, cacheDir);
        assert.equal(loaded.state, 'stale');
        assert.equal((loaded.exports as { answer(): number }).answer(), 44);
        loaded.saveCache();
        assert.equal(loadBundle(bundle, cacheDir).state, 'used');
      }
    });

    it('runs without a cache when it is off or cannot be written', () => {
      writeFileSync(bundle, source(45));
      const off = loadBundle(bundle, undefined);
      assert.equal(off.state, 'off');
      off.saveCache();
      const blocked = path.join(dir, 'a-file');
      writeFileSync(blocked, '');
      const unwritable = loadBundle(bundle, path.join(blocked, 'cache'));
      assert.equal((unwritable.exports as { answer(): number }).answer(), 45);
      assert.doesNotThrow(() => {
        unwritable.saveCache();
      });
    });
  });

  describe('crdb-studio lint', () => {
    const CLI = path.join(repoRoot, 'dist', 'cli', 'cli.js');
    const cacheDir = path.join(dir, 'cli-cache');
    const schema = path.join(dir, 'schema.sql');
    writeFileSync(
      schema,
      'CREATE TABLE events (id SERIAL PRIMARY KEY, v STRING, INDEX (v));\nCREATE INDEX ON events (v);\nCREATE TABLE c (x INT8) INTERLEAVE IN PARENT p (x);\nSELECT * FROM;\n',
    );
    const lint = (cache: string, file = schema) =>
      spawnSync(process.execPath, [CLI, 'lint', '--format', 'json', file], {
        encoding: 'utf8',
        cwd: dir,
        env: { ...process.env, CRDB_STUDIO_CODE_CACHE: cache },
      });
    const cacheFile = () => {
      const files = readdirSync(cacheDir);
      assert.equal(files.length, 1, files.join(', '));
      return path.join(cacheDir, files[0] ?? '');
    };

    it('prints the same findings without a cache, making it, using it, and from a damaged one', () => {
      const off = lint('off');
      assert.equal(off.status, 1, off.stderr);
      assert.ok((JSON.parse(off.stdout) as unknown[]).length >= 3, off.stdout);
      const making = lint(cacheDir);
      assert.deepEqual([making.status, making.stdout, making.stderr], [off.status, off.stdout, off.stderr]);
      const made = readFileSync(cacheFile());
      const using = lint(cacheDir);
      assert.deepEqual([using.status, using.stdout, using.stderr], [off.status, off.stdout, off.stderr]);
      assert.deepEqual(readFileSync(cacheFile()), made, 'a used cache stays as it is');

      const damaged = Buffer.from(made);
      for (let i = damaged.length >> 1; i < damaged.length; i += 97) damaged[i] = (damaged[i] ?? 0) ^ 0x5a;
      writeFileSync(cacheFile(), damaged);
      const fromDamaged = lint(cacheDir);
      assert.deepEqual([fromDamaged.status, fromDamaged.stdout, fromDamaged.stderr], [off.status, off.stdout, off.stderr]);
      assert.notDeepEqual(readFileSync(cacheFile()), damaged, 'the damaged cache was replaced');
      const before = statSync(cacheFile()).mtimeMs;
      const after = lint(cacheDir);
      assert.deepEqual([after.status, after.stdout], [off.status, off.stdout]);
      assert.equal(statSync(cacheFile()).mtimeMs, before, 'the replacement is used');
    });

    it('a cache made by a lint of an empty file is made again by a lint of a real schema, then used', () => {
      const empty = path.join(dir, 'empty.sql');
      writeFileSync(empty, '');
      rmSync(cacheDir, { recursive: true, force: true });
      assert.equal(lint(cacheDir, empty).status, 0);
      const thin = readFileSync(cacheFile());
      const outgrowing = lint(cacheDir);
      assert.equal(outgrowing.status, 1, outgrowing.stderr);
      const made = readFileSync(cacheFile());
      assert.ok(made.length > thin.length, `the new cache holds more functions (${made.length} vs ${thin.length} bytes)`);
      const using = lint(cacheDir);
      assert.deepEqual([using.status, using.stdout], [outgrowing.status, outgrowing.stdout]);
      assert.deepEqual(readFileSync(cacheFile()), made, 'then used as it is');
    });

    it('a cache made by a large lint, which turned TurboFan on, is used by the next small one', () => {
      // Large enough for TurboFan on every runtime this runs on, Maglev or not.
      const table = (i: number) => `CREATE TABLE t${i} (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), v STRING, INDEX (v));\n`;
      let text = '';
      for (let i = 0; text.length < 300 * 1024; i++) text += table(i);
      assert.equal(turbofanPays(text.length, '11.3.244.8'), true, 'the input is large for Node 20');
      const large = path.join(dir, 'large.sql');
      writeFileSync(large, text);
      rmSync(cacheDir, { recursive: true, force: true });
      const making = lint(cacheDir, large);
      assert.equal(making.status, 0, making.stderr);
      const made = readFileSync(cacheFile());
      const small = lint(cacheDir);
      assert.equal(small.status, 1, small.stderr);
      assert.deepEqual(readFileSync(cacheFile()), made, 'the cache was used, not refused and made again');
    });
    it('on a Node with Maglev, a small lint starts with Sparkplug as its top tier and keeps a cache file of its own', () => {
      // Node 24 is the VS Code host's runtime, which scripts/tools.sh installs before the unit stage.
      const node24 = toolPaths().node24;
      assert.ok(existsSync(node24), `Node 24 is not installed at ${node24}: run bash scripts/tools.sh node24 (npm test does)`);
      const lint24 = (file: string) =>
        spawnSync(node24, [CLI, 'lint', '--format', 'json', file], {
          encoding: 'utf8',
          cwd: dir,
          env: { ...process.env, CRDB_STUDIO_CODE_CACHE: cacheDir },
        });
      const table = (i: number) => `CREATE TABLE t${i} (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), v STRING, INDEX (v));\n`;
      let text = '';
      for (let i = 0; text.length < 300 * 1024; i++) text += table(i);
      assert.equal(startingTiers(text.length, '13.6.233.17-node.37'), 'without-turbofan', 'the large input runs with Maglev');
      const large = path.join(dir, 'large-24.sql');
      writeFileSync(large, text);
      rmSync(cacheDir, { recursive: true, force: true });
      const off = lint('off');
      const small = lint24(schema);
      assert.deepEqual([small.status, small.stdout, small.stderr], [off.status, off.stdout, off.stderr]);
      const baselineCache = () => readdirSync(cacheDir).filter((name) => name.endsWith('-baseline-only.v8cache'));
      assert.equal(baselineCache().length, 1, readdirSync(cacheDir).join(', '));
      const made = readFileSync(path.join(cacheDir, baselineCache()[0] ?? ''));
      assert.equal(lint24(large).status, 0);
      assert.equal(readdirSync(cacheDir).length, 2, `the large lint's cache is another file: ${readdirSync(cacheDir).join(', ')}`);
      const again = lint24(schema);
      assert.deepEqual([again.status, again.stdout], [off.status, off.stdout]);
      assert.deepEqual(readFileSync(path.join(cacheDir, baselineCache()[0] ?? '')), made, "the small lint's cache was used as it is");
    });

    it("sets V8's flags without a deprecation warning, and on Node 20 without loading node:v8 and its streams", () => {
      // What the process loaded, written when it exits by a module required before the CLI.
      const loadedList = path.join(dir, 'loaded.txt');
      const recorder = path.join(dir, 'record-loaded.js');
      writeFileSync(
        recorder,
        `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loadedList)}, process.moduleLoadList.join('\\n')));\n`,
      );
      const off = lint('off');
      for (const flag of ['--throw-deprecation', '--pending-deprecation']) {
        const run = spawnSync(process.execPath, [flag, '--require', recorder, CLI, 'lint', '--format', 'json', schema], {
          encoding: 'utf8',
          cwd: dir,
          env: { ...process.env, CRDB_STUDIO_CODE_CACHE: cacheDir },
        });
        assert.deepEqual([run.status, run.stdout, run.stderr], [off.status, off.stdout, off.stderr], flag);
        const loaded = readFileSync(loadedList, 'utf8').split('\n');
        if (process.versions.node.startsWith('20.')) {
          assert.ok(loaded.includes('Internal Binding v8'), 'the flags were set through the binding');
          assert.deepEqual(
            loaded.filter((name) => name === 'NativeModule v8' || name === 'NativeModule stream'),
            [],
            'node:v8 and the streams it requires were not loaded',
          );
        } else assert.ok(loaded.includes('NativeModule v8'), `Node ${process.version} sets the flags through node:v8`);
      }
    });
  });

  describe('compiler tiers', () => {
    it('a lint of less than 256 KB runs with Sparkplug as its top tier where V8 has Maglev, any other lint without TurboFan', () => {
      const node24 = '13.6.233.17-node.37';
      const node20 = '11.3.244.8-node.33';
      assert.deepEqual(
        [37_000, 256 * 1024 - 1, 256 * 1024, 400_000].map((bytes) => startingTiers(bytes, node24)),
        ['baseline-only', 'baseline-only', 'without-turbofan', 'without-turbofan'],
      );
      assert.equal(startingTiers(undefined, node24), 'without-turbofan', 'input not known before the start (a glob)');
      assert.equal(startingTiers(37_000, node20), 'without-turbofan');
    });

    it("knows a lint's input before it starts: its files' sizes, unless a glob or bad arguments hide them", () => {
      const a = path.join(dir, 'input-a.sql');
      const b = path.join(dir, 'input-b.md');
      writeFileSync(a, 'x'.repeat(1000));
      writeFileSync(b, 'y'.repeat(234));
      assert.equal(lintInputBytes(['--format', 'json', a, b]), 1234);
      assert.equal(lintInputBytes(['--config=c.json', '--', a]), 1000);
      assert.equal(lintInputBytes([a, path.join(dir, 'missing.sql')]), 1000, 'a missing file is reported by the lint, and reads nothing');
      assert.equal(lintInputBytes([path.join(dir, '*.sql')]), undefined);
      assert.equal(lintInputBytes(['--no-such-option', a]), undefined);
    });

    it('keeps the young generation at its first size unless the command line or NODE_OPTIONS says how it grows', () => {
      assert.deepEqual(
        ['', '--max-old-space-size=4096 ', ' --semi-space-growth-factor=4', '--semi-space-growth-factor=2 '].map((commandLine) =>
          keepsYoungGenerationSmall(commandLine),
        ),
        [true, true, false, false],
      );
    });

    it("where V8 has no Maglev, input from 256 KB up to 1 MB continues with four times V8 11's interrupt budget, other input as it started", () => {
      const node20 = '11.3.244.8-node.33';
      assert.deepEqual(
        [200_000, 256 * 1024, 400_000, 1024 * 1024 - 1, 1024 * 1024, 4_000_000].map((bytes) => interruptBudgetFor(bytes, node20)),
        [undefined, 4 * 67_584, 4 * 67_584, 4 * 67_584, undefined, undefined],
      );
      assert.equal(interruptBudgetFor(400_000, '13.6.233.17-node.37'), undefined, 'V8 with Maglev has no such flag');
    });

    it("turns Maglev's inlining off only on the V8 it was measured on, as another may not know the flag", () => {
      assert.deepEqual(
        ['11.3.244.8-node.33', '12.4.254.21-node.33', '13.6.233.17-node.37', '14.1.146.11-node.2'].map((v8) => withoutMaglevInlining(v8)),
        [false, false, true, false],
      );
    });

    it('a lint runs without TurboFan up to 256 KB where V8 has no Maglev (Node 20), up to 16 MB where it has', () => {
      assert.deepEqual(
        [200_000, 256 * 1024].map((bytes) => turbofanPays(bytes, '11.3.244.8-node.33')),
        [false, true],
      );
      assert.deepEqual(
        [200_000, 4_000_000, 20_000_000].map((bytes) => turbofanPays(bytes, '13.6.233.17-node.37')),
        [false, false, true],
      );
    });
  });
});
