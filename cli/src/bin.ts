// The crdb-studio command (dist/cli/cli.js): starts the CLI's bundle (dist/cli/main.js, built from
// cli.ts) with a V8 code cache in the user's cache directory (codeCache.ts), so that a lint does
// not parse and compile the bundle again on every start. This file stays tiny: it is the only
// code compiled without the cache. CRDB_STUDIO_CODE_CACHE=off runs without the cache, a
// directory moves it.
import * as path from 'node:path';
import type * as Cli from './cli';
import { codeCacheDirectory, loadBundle } from './codeCache';
import { lintInputBytes } from './lintArguments';
import { startingTiers, startWith, tierForInput } from './tiering';

const argv = process.argv.slice(2);
// A lint, the command the code cache is for, starts with the compiler tiers its input size calls
// for (tiering.ts), and reads the cache a lint made under the same flags: each way of starting has
// a cache file of its own, as V8 refuses a cache made under other flags. Other commands keep V8's
// defaults and compile the few functions of the bundle they run: neither node:v8 to load nor a
// cache to read.
const lint = argv[0] === 'lint';
const tiers = lint ? startingTiers(lintInputBytes(argv.slice(1))) : undefined;
if (tiers) startWith(tiers);
// main.js lies beside this file: this file's require resolves as the bundle's would.
const loaded = loadBundle(path.join(__dirname, 'main.js'), lint ? codeCacheDirectory() : undefined, require, tiers);
let inputBytes = 0;
const hooks = {
  inputBytes(bytes: number) {
    inputBytes = bytes;
    if (tiers) tierForInput(tiers, bytes);
  },
};
void (loaded.exports as typeof Cli).runProcess(argv, lint ? hooks : {}).then(() => {
  if (!lint) return;
  // Written after a lint, so that it holds the functions lint ran, under the flags the next start
  // checks it against; written again after a lint of much more input than the one that made it.
  if (tiers) startWith(tiers);
  loaded.saveCache(inputBytes);
  // Nothing is left to do: exiting now skips the teardown of the heap and of V8's compiler
  // threads, 1-2 ms of a small lint (bench/lint.mjs), unless output still waits in a stream.
  if ((loaded.exports as typeof Cli).outputWritten()) process.exit();
});
