import { statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

/** Inputs from this size on replay with a young generation kept at its first size. */
const LARGE_INPUT_BYTES = 64 * 1024;

const isLargeFile = (arg: string): boolean => {
  try {
    return statSync(arg).size >= LARGE_INPUT_BYTES;
  } catch {
    return false;
  }
};

/**
 * `fms replay` of a long chat is a batch run whose garbage dies young (per-turn events, texts,
 * scores). V8 grows the young generation from 1 MB to 16 MB semi-spaces as it allocates; kept at its
 * first size, the replay's peak RSS stays near what it holds: on the 1,600-turn chat at 8k 102 MB
 * instead of 146 MB, the same CPU time (bench/coldstart.bench.ts). It has to be set before the CLI's
 * modules load (set later, the young generation has already grown: 127 MB), which costs start-up
 * scavenges (~20-40 ms CPU), so small inputs, where start-up is most of the run, keep the default.
 * Imported first by bin.ts. (--max-semi-space-size set at run time does not take effect; the growth
 * factor does.)
 */
if (process.argv[2] === 'replay' && process.argv.slice(3).some(isLargeFile)) setFlagsFromString('--semi-space-growth-factor=1');
