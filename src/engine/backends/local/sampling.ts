/** Deterministic PRNG: the same seed gives the same sampled replies. */
export { mulberry32 } from '../../core/rng.js';

/** Index of the largest logit (the first one on ties; NaN never wins). */
export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    if (logits[i] > max) {
      max = logits[i];
      best = i;
    }
  }
  return best;
}

/** Greedy when temperature is 0, otherwise a draw from softmax(logits / temperature). */
export function pickToken(logits: ArrayLike<number>, temperature: number, random: () => number): number {
  if (!(temperature > 0)) return argmax(logits);
  const max = logits[argmax(logits)];
  const weights = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const w = Number.isFinite(logits[i]) ? Math.exp((logits[i] - max) / temperature) : 0;
    weights[i] = w;
    sum += w;
  }
  let r = random() * sum;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return argmax(logits);
}
