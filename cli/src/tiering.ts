// Which of V8's compilers a crdb-studio lint runs with, and how its young generation grows
// (keepsYoungGenerationSmall). A lint is one short burst of work: code
// that a compiler optimizes late in it never repays its compilation. Measured whole-process on
// generated schemas (bench/lint.mjs sizes, the flags set as this file sets them: V8 flags given
// on the command line cost a start more, as Node's own code cache is then refused):
//   - Where V8 has Maglev (V8 12, Node 22 and later), a lint of up to ~6,000 lines (230 KB) is
//     fastest with Sparkplug, V8's baseline compiler, as its top tier: 1,000 lines 119 → 112 ms,
//     3,000 lines 190 → 151 ms on Node 24. Maglev's compilations cost such a run more than its
//     code saves. From ~7,000 lines on, Maglev pays, and TurboFan does not until far beyond
//     100,000 lines.
//   - Where V8 has no Maglev (Node 20), a lint runs without TurboFan up to ~256 KB of input, and
//     with it beyond; the functions TurboFan gets are chosen later (twice V8 11's interrupt
//     budget): it then compiles fewer that would not have paid, 10,000 lines taking 230 ms
//     instead of 280. Sparkplug alone makes no difference there.
// The other commands (a demo cluster, a lesson, a workload: long runs) keep V8's defaults.
//
// V8's code cache records the flags it was made under and is refused under others: the start's
// flags are put back before the cache is written (startWith again), and each way of starting has
// a cache file of its own (bin.ts).

/** What sets V8's flags: node:v8's function, or Node 20's binding of it. */
type FlagSetter = (flags: string) => void;
let flagSetter: FlagSetter | undefined;

/**
 * Node 20's process.binding('v8') has the very setFlagsFromString node:v8 exports, without the
 * streams node:v8 loads when it is required (29 modules): a 1,000-line lint 2.5% faster, runs
 * interleaved. The binding is deprecated (DEP0111) and Node 24 has it no more: there, and wherever
 * it is missing, node:v8 is used. Node 20 is past its end of life, so its binding no longer changes.
 * The deprecation warning is about this one access, which is deliberate: it is not printed.
 */
function nodeFlagSetter(): FlagSetter {
  if (process.versions.node.startsWith('20.')) {
    const noDeprecation = process.noDeprecation;
    process.noDeprecation = true; // read when the warning is raised, synchronously
    try {
      // Not in Node's type declarations, being deprecated.
      const legacy = process as unknown as { binding(name: string): { setFlagsFromString?: unknown } };
      const set = legacy.binding('v8').setFlagsFromString;
      if (typeof set === 'function') return set as FlagSetter;
    } catch {
      // A permission model or a build without the binding: node:v8 below.
    } finally {
      process.noDeprecation = noDeprecation;
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:v8') as typeof import('node:v8')).setFlagsFromString;
}

/** V8's flags set from here on. What sets them is loaded on first use: only a lint sets flags. */
function setFlagsFromString(flags: string): void {
  flagSetter ??= nodeFlagSetter();
  flagSetter(flags);
}

/**
 * Inputs from this size on run with TurboFan where V8 has no Maglev. Node 20, measured: without it
 * 4,000 lines (154 KB) take 204 ms instead of 216, 6,000 lines (231 KB) ~5 ms less; with it 10,000
 * lines (386 KB) take 296 ms instead of 308.
 */
const TURBOFAN_FROM_BYTES_WITHOUT_MAGLEV = 256 * 1024;
/** Where Maglev runs, TurboFan is left off up to sizes that were measured (3.8 MB) and beyond, not without bound. */
const TURBOFAN_FROM_BYTES_WITH_MAGLEV = 16 * 1024 * 1024;

/** Whether V8 of this version tiers up to Maglev by default (V8 12: Node 22 and later). */
export function hasMaglev(v8Version: string = process.versions.v8): boolean {
  return majorOf(v8Version) >= 12;
}

/** V8's major version, from a version such as `13.6.233.17-node.37`. */
function majorOf(v8Version: string): number {
  return Number.parseInt(v8Version, 10);
}

/** Whether a lint turns Maglev's inlining off on V8 of this version: where it was measured (V8 13, Node 24). */
export function withoutMaglevInlining(v8Version: string = process.versions.v8): boolean {
  return majorOf(v8Version) === 13;
}

/**
 * Where V8 has Maglev, a lint of less input than this runs with Sparkplug as its top tier: the
 * measured crossover (Node 24) lies between 6,000 lines (231 KB, Sparkplug 12 ms ahead) and 8,000
 * lines (309 KB, Maglev 8 ms ahead; at 10,000 lines 20 ms).
 */
const BASELINE_ONLY_BELOW_BYTES = 256 * 1024;

/**
 * How a lint starts: with Sparkplug as its top tier (neither Maglev nor TurboFan), or without TurboFan (Maglev
 * on where V8 has it, TurboFan turned on later for large input).
 */
export type StartingTiers = 'baseline-only' | 'without-turbofan';

/** How a lint of `inputBytes` (undefined: not known before it starts) starts. */
export function startingTiers(inputBytes: number | undefined, v8Version: string = process.versions.v8): StartingTiers {
  return inputBytes !== undefined && inputBytes < BASELINE_ONLY_BELOW_BYTES && hasMaglev(v8Version) ? 'baseline-only' : 'without-turbofan';
}

/** Whether input of `bytes` is large enough for TurboFan to pay for itself. */
export function turbofanPays(bytes: number, v8Version: string = process.versions.v8): boolean {
  return bytes >= (hasMaglev(v8Version) ? TURBOFAN_FROM_BYTES_WITH_MAGLEV : TURBOFAN_FROM_BYTES_WITHOUT_MAGLEV);
}

/** V8 11's --interrupt-budget: 67,584 bytes of bytecode run before a function is considered. */
const V8_11_INTERRUPT_BUDGET = 67_584;
/** Where V8 has no Maglev, a lint starts with the budget doubled (tiering.ts' header). */
const INTERRUPT_BUDGET_WITHOUT_MAGLEV = 2 * V8_11_INTERRUPT_BUDGET;
/**
 * Where V8 has no Maglev, input from TurboFan's threshold up to this size runs with four times the
 * budget: the lint is still short for the functions TurboFan would compile with twice it. Node 20,
 * whole-process, runs interleaved against twice the budget: 7,000 lines (270 KB) 210 -> 207 ms,
 * 10,000 lines (386 KB) 264 -> 255, 20,000 lines (778 KB) 379 -> 358; beyond, the functions it
 * keeps waiting pay for themselves: 50,000 lines (1.9 MB) 635 -> 648, 100,000 lines 1,083 -> 1,116.
 */
const LATE_TURBOFAN_BELOW_BYTES = 1024 * 1024;

/**
 * The --interrupt-budget a lint of `bytes` continues with once its input is known, when it is not
 * the one it started with; undefined where V8 has Maglev, which has no such flag.
 */
export function interruptBudgetFor(bytes: number, v8Version: string = process.versions.v8): number | undefined {
  if (hasMaglev(v8Version) || !turbofanPays(bytes, v8Version) || bytes >= LATE_TURBOFAN_BELOW_BYTES) return undefined;
  return 4 * V8_11_INTERRUPT_BUDGET;
}

/**
 * Whether a lint keeps V8's young generation at its first size (--semi-space-growth-factor=1)
 * rather than doubling it while its schema model survives scavenges: what survives one is then
 * promoted at once, and the young generation's 1 MB halves stay in the processor's caches.
 * Measured whole-process, runs interleaved (bench/schema.mjs sizes): 1,000 and 10,000 lines ~3-6%
 * faster on Node 20 and Node 24, 100,000 lines ~3% on Node 20 and ~20% on Node 24. V8 reads the
 * factor at each resize, so it holds when set after the start; a command line (or NODE_OPTIONS)
 * that sets it wins.
 */
export function keepsYoungGenerationSmall(
  commandLine: string = `${process.execArgv.join(' ')} ${process.env['NODE_OPTIONS'] ?? ''}`,
): boolean {
  return !commandLine.includes('semi-space-growth-factor');
}

/** Sets the flags a lint starts with, which its code cache is made and checked under. */
export function startWith(tiers: StartingTiers): void {
  if (keepsYoungGenerationSmall()) setFlagsFromString('--semi-space-growth-factor=1');
  if (tiers === 'baseline-only') {
    // Not --max-opt=1, which V8 reads once, when it starts: set later, it changes nothing.
    setFlagsFromString('--no-maglev --no-turbofan');
    return;
  }
  setFlagsFromString('--no-turbofan');
  // V8 12 has no such flag (it counts invocations instead) and would print an error for it.
  if (!hasMaglev()) setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET_WITHOUT_MAGLEV}`);
  // Maglev without inlining: 10,000 and 20,000 lines ~6% faster on Node 24 (V8 13), 100,000 lines
  // the same. Only where it was measured: a flag that a V8 does not know is an error on stderr.
  else if (withoutMaglevInlining()) setFlagsFromString('--no-maglev-inlining');
}

/**
 * Turns TurboFan on when a lint that started without it turns out to have large input, with the
 * budget that input calls for. Set after the code cache was read, and put back by startWith
 * before it is written: the cache is checked under the start's flags.
 */
export function tierForInput(tiers: StartingTiers, bytes: number): void {
  if (tiers !== 'without-turbofan' || !turbofanPays(bytes)) return;
  const budget = interruptBudgetFor(bytes);
  if (budget !== undefined) setFlagsFromString(`--interrupt-budget=${budget}`);
  setFlagsFromString('--turbofan');
}
