/** Stable name of the lexical feature-hashing embedder (stored next to cached vectors). */
export const HASHING_EMBEDDER_NAME = 'lexical-hash-256';

const FNV_OFFSET_32 = 0x811c9dc5;
const FNV_PRIME_32 = 0x01000193;
/** A different offset basis gives an (approximately) independent second hash for the sign bit. */
const SIGN_OFFSET_32 = 0x9747b28c;

/** FNV-1a 32-bit over UTF-16 code units (features are short lowercase words). */
function fnv1a32(text: string, offset: number): number {
  let h = offset >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME_32);
  }
  return h >>> 0;
}

const DIGIT = /^\p{N}$/u;

/** Lowercase words split on anything that is not a letter or digit; single characters kept only if digits. */
export function hashTokens(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length > 1 || (raw.length === 1 && DIGIT.test(raw))) out.push(raw);
  }
  return out;
}

/**
 * Feature-hashing embedding: word unigrams and adjacent-word bigrams, bucket from FNV-1a, sign from a
 * second hash, sublinear term frequency (1 + ln count), L2-normalized. Text without words gives zeros.
 */
export function hashEmbed(text: string, dim = 256): Float32Array {
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be a positive integer, got ${dim}`);
  const tokens = hashTokens(text);
  const counts = new Map<string, number>();
  const add = (feature: string): void => {
    counts.set(feature, (counts.get(feature) ?? 0) + 1);
  };
  for (let i = 0; i < tokens.length; i++) {
    add(tokens[i]);
    // A space never occurs inside a token, so bigram features cannot collide with unigram ones.
    if (i > 0) add(`${tokens[i - 1]} ${tokens[i]}`);
  }
  const acc = new Float64Array(dim);
  for (const [feature, count] of counts) {
    const bucket = fnv1a32(feature, FNV_OFFSET_32) % dim;
    const sign = fnv1a32(feature, SIGN_OFFSET_32) & 1 ? -1 : 1;
    acc[bucket] += sign * (1 + Math.log(count));
  }
  let norm = 0;
  for (let i = 0; i < dim; i++) norm += acc[i] * acc[i];
  const out = new Float32Array(dim);
  if (norm === 0) return out;
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < dim; i++) out[i] = acc[i] * inv;
  return out;
}
