import { setSparseView, type SparseVector } from './sparseVector.js';
/** Stable name of the lexical feature-hashing embedder (stored next to cached vectors). */
export const HASHING_EMBEDDER_NAME = 'lexical-hash-256';

const FNV_OFFSET_32 = 0x811c9dc5;
const FNV_PRIME_32 = 0x01000193;
/** A different offset basis gives an (approximately) independent second hash for the sign bit. */
const SIGN_OFFSET_32 = 0x9747b28c;

/** FNV-1a 32-bit over UTF-16 code units (features are short lowercase words), continuing from state h. */
function fnv1a32(text: string, h: number): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME_32);
  }
  return h >>> 0;
}

const DIGIT = /^\p{N}$/u;

/** Scratch of hashEmbed (reused: every new span is embedded): sums per bucket, first occurrence and count per word. */
let acc = new Float64Array(256);
let first = new Int32Array(64);
let counts = new Int32Array(64);

/** Lowercase words split on anything that is not a letter or digit; single characters kept only if digits. */
export function hashTokens(text: string): string[] {
  const ascii = asciiTokens(text);
  if (ascii) return ascii;
  const out: string[] = [];
  for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length > 1 || (raw.length === 1 && DIGIT.test(raw))) out.push(raw);
  }
  return out;
}

/** hashTokens of ASCII text in one scan (words are runs of [A-Za-z0-9], lowercased); undefined for other text. */
function asciiTokens(text: string): string[] | undefined {
  const n = text.length;
  let upper = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 127) return undefined;
    if (c >= 65 && c <= 90) upper = true;
  }
  const lower = upper ? text.toLowerCase() : text;
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? lower.charCodeAt(i) : 0;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (start < 0) start = i;
      continue;
    }
    if (start < 0) continue;
    if (i - start > 1) out.push(lower.slice(start, i));
    else {
      const d = lower.charCodeAt(start);
      if (d >= 48 && d <= 57) out.push(lower[start]);
    }
    start = -1;
  }
  return out;
}

/**
 * Feature-hashing embedding: word unigrams and adjacent-word bigrams, bucket from FNV-1a, sign from a
 * second hash, sublinear term frequency (1 + ln count), L2-normalized. Text without words gives zeros.
 * Every new span is embedded once, so this is on the semantic and hybrid policies' path: a bigram's
 * hashes continue its first word's (FNV over "a b" is FNV over "a", then " b"), and its text is made
 * only when it may repeat (both words occur more than once). Features are summed in order of first
 * occurrence (word i, then the bigram ending at i), as they always were: the same floating-point sums.
 */
export function hashEmbed(text: string, dim = 256): Float32Array {
  const nnz = accumulate(text, dim);
  const out = new Float32Array(dim);
  const inv = normInverse(nnz);
  let nonzero = 0;
  for (let t = 0; t < nnz; t++) {
    const i = touchedBuckets[t];
    if (inv > 0) out[i] = acc[i] * inv;
    acc[i] = 0;
    if (out[i] !== 0) nonzero++;
  }
  const viewIndex = new Int32Array(nonzero);
  const viewValue = new Float64Array(nonzero);
  let sqNorm = 0;
  for (let t = 0, k = 0; t < nnz; t++) {
    const x = out[touchedBuckets[t]];
    if (x === 0) continue;
    viewIndex[k] = touchedBuckets[t];
    viewValue[k++] = x;
    sqNorm += x * x;
  }
  setSparseView(out, { index: viewIndex, value: viewValue, sqNorm });
  return out;
}

/**
 * `toSparse(hashEmbed(text, dim))` without the dense vector (what the hybrid policy uses): the same
 * values, rounded to float32 as the vector stores them (Math.fround), in the same order.
 */
export function hashEmbedSparse(text: string, dim = 256): SparseVector {
  const nnz = accumulate(text, dim);
  const inv = normInverse(nnz);
  let nonzero = 0;
  for (let t = 0; t < nnz; t++) {
    const i = touchedBuckets[t];
    const x = inv > 0 ? Math.fround(acc[i] * inv) : 0;
    acc[i] = 0;
    if (x === 0) continue;
    touchedBuckets[nonzero] = i;
    scaled[nonzero++] = x;
  }
  const index = touchedBuckets.slice(0, nonzero);
  const value = scaled.slice(0, nonzero);
  let sqNorm = 0;
  for (let k = 0; k < nonzero; k++) sqNorm += value[k] * value[k];
  return { index, value, sqNorm };
}

/**
 * The inverse of the accumulated vector's norm (0 when it is zero), summed over the touched buckets
 * [0, nnz) of touchedBuckets in ascending order: the other terms of the full sum are exact zeros.
 */
function normInverse(nnz: number): number {
  let norm = 0;
  for (let t = 0; t < nnz; t++) {
    const i = touchedBuckets[t];
    norm += acc[i] * acc[i];
  }
  return norm > 0 ? 1 / Math.sqrt(norm) : 0;
}

/** Words of the ASCII path: first char and length in the text, and their two FNV hashes (unsigned). */
const ASCII_MAX_WORDS = 96;
const wordStart = new Int32Array(ASCII_MAX_WORDS);
const wordLength = new Int32Array(ASCII_MAX_WORDS);
const wordBucket = new Float64Array(ASCII_MAX_WORDS);
const wordSign = new Float64Array(ASCII_MAX_WORDS);

/**
 * The words of an ASCII text (as asciiTokens: runs of [A-Za-z0-9] lowercased, single characters only
 * if digits) into the word columns, each hashed as it is scanned (no string per word); returns how
 * many, or -1 for text with a non-ASCII character or more than ASCII_MAX_WORDS words.
 */
function asciiWords(text: string): number {
  const n = text.length;
  let count = 0;
  let start = -1;
  let hb = 0;
  let hs = 0;
  for (let i = 0; i <= n; i++) {
    let c = i < n ? text.charCodeAt(i) : 0;
    if (c > 127) return -1;
    if (c >= 65 && c <= 90) c += 32;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (start < 0) {
        start = i;
        hb = FNV_OFFSET_32;
        hs = SIGN_OFFSET_32;
      }
      hb = Math.imul(hb ^ c, FNV_PRIME_32);
      hs = Math.imul(hs ^ c, FNV_PRIME_32);
      continue;
    }
    if (start < 0) continue;
    const len = i - start;
    if (len > 1 || text.charCodeAt(start) <= 57) {
      if (count === ASCII_MAX_WORDS) return -1;
      wordStart[count] = start;
      wordLength[count] = len;
      wordBucket[count] = hb >>> 0;
      wordSign[count] = hs >>> 0;
      count++;
    }
    start = -1;
  }
  return count;
}

/** FNV-1a 32 of word w of text (lowercased), continuing from state h. */
function fnvWord(text: string, w: number, h: number): number {
  const end = wordStart[w] + wordLength[w];
  for (let i = wordStart[w]; i < end; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    h = Math.imul(h ^ c, FNV_PRIME_32);
  }
  return h >>> 0;
}

/** Whether words a and b of text are the same word (equal hashes nearly always say so; the characters decide). */
function sameWord(text: string, a: number, b: number): boolean {
  if (wordBucket[a] !== wordBucket[b] || wordSign[a] !== wordSign[b] || wordLength[a] !== wordLength[b]) return false;
  const sa = wordStart[a];
  const sb = wordStart[b];
  for (let i = 0; i < wordLength[a]; i++) if ((text.charCodeAt(sa + i) | 32) !== (text.charCodeAt(sb + i) | 32)) return false;
  return true;
}

/** Sizes the reused buffers for a text of n words at dimension dim (both paths of accumulate). */
function scratchFor(n: number, dim: number): void {
  if (first.length < n) {
    first = new Int32Array(2 * n);
    counts = new Int32Array(2 * n);
  }
  if (acc.length !== dim) acc = new Float64Array(dim);
  if (touchedBuckets.length < 2 * n) {
    touchedBuckets = new Int32Array(4 * n);
    scaled = new Float64Array(4 * n);
  }
}

/**
 * accumulate for ASCII text of at most ASCII_MAX_WORDS words: the same features, hashes and sums in
 * the same order, with words found and hashed in one scan and compared by hash then characters, and
 * a bigram's repeats counted by its words' first occurrences (no feature strings). -1 when it does not apply.
 */
function accumulateAscii(text: string, dim: number): number {
  const n = asciiWords(text);
  if (n < 0) return -1;
  scratchFor(n, dim);
  let repeats = false;
  for (let i = 0; i < n; i++) {
    let j = 0;
    while (j < i && !sameWord(text, j, i)) j++;
    first[i] = j;
    counts[i] = 0;
    counts[j]++;
    if (j < i) repeats = true;
  }
  // bigrams that may occur more than once (both words repeat), keyed by their words' first occurrences
  let bigrams: Map<number, number> | undefined;
  if (repeats) {
    for (let i = 1; i < n; i++) {
      if (counts[first[i - 1]] < 2 || counts[first[i]] < 2) continue;
      bigrams ??= new Map();
      const f = first[i - 1] * ASCII_MAX_WORDS + first[i];
      bigrams.set(f, (bigrams.get(f) ?? 0) + 1);
    }
  }
  let touched = 0;
  for (let i = 0; i < n; i++) {
    if (first[i] === i) {
      const b = wordBucket[i] % dim;
      acc[b] += (wordSign[i] & 1 ? -1 : 1) * logCount(counts[i]);
      touchedBuckets[touched++] = b;
    }
    if (i > 0) {
      let c = 1;
      if (bigrams) {
        const f = first[i - 1] * ASCII_MAX_WORDS + first[i];
        const seen = bigrams.get(f);
        if (seen !== undefined) {
          c = seen;
          bigrams.set(f, 0); // summed: later occurrences are not
        }
      }
      if (c > 0) {
        const b = fnvWord(text, i, Math.imul(wordBucket[i - 1] ^ 32, FNV_PRIME_32)) % dim;
        const sign = fnvWord(text, i, Math.imul(wordSign[i - 1] ^ 32, FNV_PRIME_32));
        acc[b] += (sign & 1 ? -1 : 1) * logCount(c);
        touchedBuckets[touched++] = b;
      }
    }
  }
  return uniqueTouched(touched);
}

/** Sublinear term frequency 1 + ln(count): exactly 1 for a feature that occurs once (most), without the log. */
const logCount = (count: number): number => (count === 1 ? 1 : 1 + Math.log(count));

/** The touched buckets [0, count) of touchedBuckets sorted and deduplicated in place; returns how many. */
function uniqueTouched(count: number): number {
  // a sentence touches a few dozen buckets: an insertion sort beats the builtin's call there
  const touched = count <= 64 ? insertionSort(touchedBuckets, count) : touchedBuckets.subarray(0, count).sort();
  let prev = -1;
  let nnz = 0;
  for (let t = 0; t < touched.length; t++) {
    const i = touched[t];
    if (i === prev) continue;
    prev = i;
    touched[nnz++] = i;
  }
  return nnz;
}

/** Sorts a[0, count) ascending in place; returns that range. */
function insertionSort(a: Int32Array, count: number): Int32Array {
  for (let i = 1; i < count; i++) {
    const x = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > x) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = x;
  }
  return a.subarray(0, count);
}

/** The feature values of text summed into `acc`; returns how many buckets it touched (ascending, in touchedBuckets). */
function accumulate(text: string, dim: number): number {
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be a positive integer, got ${dim}`);
  const ascii = accumulateAscii(text, dim);
  if (ascii >= 0) return ascii;
  const tokens = hashTokens(text);
  const n = tokens.length;
  scratchFor(n, dim);
  // each word's first occurrence (by comparison for a sentence's few dozen words, else a map) and its count there
  const index = n > 96 ? new Map<string, number>() : undefined;
  let repeats = false;
  for (let i = 0; i < n; i++) {
    const t = tokens[i];
    let j = 0;
    if (index) {
      j = index.get(t) ?? i;
      if (j === i) index.set(t, i);
    } else while (tokens[j] !== t) j++;
    first[i] = j;
    counts[i] = 0;
    counts[j]++;
    if (j < i) repeats = true;
  }
  // bigrams that may occur more than once (both words repeat); any other occurs once. A space never
  // occurs inside a token, so bigram features cannot collide with unigram ones.
  let bigrams: Map<string, number> | undefined;
  if (repeats) {
    for (let i = 1; i < n; i++) {
      if (counts[first[i - 1]] < 2 || counts[first[i]] < 2) continue;
      bigrams ??= new Map();
      const f = `${tokens[i - 1]} ${tokens[i]}`;
      bigrams.set(f, (bigrams.get(f) ?? 0) + 1);
    }
  }
  const add = (bucketHash: number, signHash: number, count: number): void => {
    const b = bucketHash % dim;
    acc[b] += (signHash & 1 ? -1 : 1) * logCount(count);
    touchedBuckets[touchedCount++] = b;
  };
  let prevBucket = 0;
  let prevSign = 0;
  for (let i = 0; i < n; i++) {
    const t = tokens[i];
    const bucket = fnv1a32(t, FNV_OFFSET_32);
    const sign = fnv1a32(t, SIGN_OFFSET_32);
    if (first[i] === i) add(bucket, sign, counts[i]);
    if (i > 0) {
      let c = 1;
      if (bigrams) {
        const f = `${tokens[i - 1]} ${t}`;
        const seen = bigrams.get(f);
        if (seen !== undefined) {
          c = seen;
          bigrams.set(f, 0); // summed: later occurrences are not
        }
      }
      if (c > 0) add(fnv1a32(t, Math.imul(prevBucket ^ 32, FNV_PRIME_32)), fnv1a32(t, Math.imul(prevSign ^ 32, FNV_PRIME_32)), c);
    }
    prevBucket = bucket;
    prevSign = sign;
  }
  // only the touched buckets can be nonzero: the norm, the output and the reset visit them alone,
  // in ascending order, and the sparse view is made from them, as toSparse would make it
  const count = touchedCount;
  touchedCount = 0;
  return uniqueTouched(count);
}

/** Buckets hashEmbed added to since its last output (with repeats), in a reused buffer. */
let touchedBuckets = new Int32Array(256);
let touchedCount = 0;
/** hashEmbedSparse's scaled values, reused. */
let scaled = new Float64Array(256);
