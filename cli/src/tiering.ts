// Which of V8's optimizing compilers a crdb-studio command runs with. A lint of a few thousand
// lines is over before TurboFan's code repays its compilation: on Node 24 a 4,000-line lint takes
// ~18 ms longer with TurboFan than without, a 10,000-line one as much (bench/lint.mjs). Where V8
// also has Maglev, its faster-compiling middle tier (on by default from V8 12, Node 22), Maglev
// alone keeps pace with TurboFan up to 100,000 lines; Node 20 has no Maglev, and there TurboFan
// wins from about 100 KB of input. So a lint starts without TurboFan and turns it on once it
// knows its input is large; the other commands (a demo cluster, a lesson, a workload: long runs)
// keep V8's defaults, and so does a small lint where Maglev runs (startingTiers). Without Maglev,
// the functions TurboFan gets are also chosen later (twice V8 11's interrupt budget): it then
// compiles fewer that would not have paid, 10,000 lines on Node 20 taking 230 ms instead of 280.
//
// V8's code cache records the flags it was made under and is refused under others: the start's
// flags are put back before the cache is written (startWithoutTurbofan again), and a lint that
// starts with V8's defaults has a cache file of its own (bin.ts).

/** V8's flags set from here on. node:v8 is loaded on first use: only a lint sets flags, and loading it costs a start ~3 ms. */
function setFlagsFromString(flags: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('node:v8') as typeof import('node:v8')).setFlagsFromString(flags);
}

/** Inputs from this size on run with TurboFan where V8 has no Maglev (Node 20: measured crossover ~96 KB). */
const TURBOFAN_FROM_BYTES_WITHOUT_MAGLEV = 96 * 1024;
/** Where Maglev runs, TurboFan is left off up to sizes that were measured (3.8 MB) and beyond, not without bound. */
const TURBOFAN_FROM_BYTES_WITH_MAGLEV = 16 * 1024 * 1024;

/** Whether V8 of this version tiers up to Maglev by default (V8 12: Node 22 and later). */
export function hasMaglev(v8Version: string = process.versions.v8): boolean {
  return Number.parseInt(v8Version, 10) >= 12;
}

/**
 * Where V8 has Maglev, a lint of less input than this starts with V8's defaults: TurboFan neither
 * helps nor costs it measurably (1,000 lines, 37 KB), while setting any flag means loading
 * node:v8, ~3 ms of a ~110 ms run. From 2,000 lines (74 KB) on, TurboFan's compilations cost more
 * than they repay (bench/lint.mjs, Node 24).
 */
const DEFAULTS_BELOW_BYTES_WITH_MAGLEV = 48 * 1024;

/** How a lint starts: with V8's defaults (no flag set, node:v8 never loaded), or without TurboFan. */
export type StartingTiers = 'v8-defaults' | 'without-turbofan';

/** How a lint of `inputBytes` (undefined: not known before it starts) starts. */
export function startingTiers(inputBytes: number | undefined, v8Version: string = process.versions.v8): StartingTiers {
  return inputBytes !== undefined && inputBytes < DEFAULTS_BELOW_BYTES_WITH_MAGLEV && hasMaglev(v8Version)
    ? 'v8-defaults'
    : 'without-turbofan';
}

/** Whether input of `bytes` is large enough for TurboFan to pay for itself. */
export function turbofanPays(bytes: number, v8Version: string = process.versions.v8): boolean {
  return bytes >= (hasMaglev(v8Version) ? TURBOFAN_FROM_BYTES_WITH_MAGLEV : TURBOFAN_FROM_BYTES_WITHOUT_MAGLEV);
}

/** V8 11's --interrupt-budget (67,584 bytes of bytecode run before a function is considered), doubled. */
const INTERRUPT_BUDGET_WITHOUT_MAGLEV = 2 * 67_584;

/** The flags a command starts with, and which the code cache is made and checked under. */
export function startWithoutTurbofan(): void {
  setFlagsFromString('--no-turbofan');
  // V8 12 has no such flag (it counts invocations instead) and would print an error for it.
  if (!hasMaglev()) setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET_WITHOUT_MAGLEV}`);
}

/** Turns TurboFan on when a lint's input turns out to be large. */
export function tierForInput(bytes: number): void {
  if (turbofanPays(bytes)) setFlagsFromString('--turbofan');
}
