// The crdb-studio command (dist/cli/cli.js): starts the CLI's bundle (dist/cli/main.js, built from
// cli.ts) with a V8 code cache in the user's cache directory (codeCache.ts), so that a lint does
// not parse and compile the bundle again on every start. This file stays tiny: it is the only
// code compiled without the cache. CRDB_STUDIO_CODE_CACHE=off runs without the cache, a
// directory moves it.
import * as path from 'node:path';
import type * as Cli from './cli';
import { codeCacheDirectory, loadBundle } from './codeCache';
import { startWithoutTurbofan, tierForInput, useTurbofan } from './tiering';

const argv = process.argv.slice(2);
startWithoutTurbofan();
// main.js lies beside this file: this file's require resolves as the bundle's would.
const loaded = loadBundle(path.join(__dirname, 'main.js'), codeCacheDirectory(), require);
if (argv[0] !== 'lint') useTurbofan();
void (loaded.exports as typeof Cli).runProcess(argv, { inputBytes: tierForInput }).then(() => {
  // Written after a lint, the command the cache is for, so that it holds the functions lint ran,
  // under the flags the next start checks it against.
  if (argv[0] === 'lint') {
    startWithoutTurbofan();
    loaded.saveCache();
    // Nothing is left to do: exiting now skips the teardown of the heap and of V8's compiler
    // threads, 1-2 ms of a small lint (bench/lint.mjs), unless output still waits in a stream.
    if ((loaded.exports as typeof Cli).outputWritten()) process.exit();
  }
});
