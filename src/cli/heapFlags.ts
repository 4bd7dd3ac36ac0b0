import { setFlagsFromString } from 'node:v8';

/**
 * `fms replay` is a batch run whose garbage dies young (per-turn events, texts, scores). V8 grows the
 * young generation from 1 MB to 16 MB semi-spaces as it allocates; kept at its first size, the
 * replay's peak RSS stays near what it holds: on the 1,600-turn chat at 8k 102 MB instead of 146 MB,
 * the same CPU time (bench/coldstart.bench.ts). Imported first by bin.ts. (--max-semi-space-size set
 * at run time does not take effect; the growth factor does.)
 */
if (process.argv[2] === 'replay') setFlagsFromString('--semi-space-growth-factor=1');
