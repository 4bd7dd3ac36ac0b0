const encoder = new TextEncoder();

/** UTF-8 bytes of the text being hashed (reused: a text needs at most 3 bytes per UTF-16 unit). */
let bytes = new Uint8Array(1024);

/**
 * FNV-1a 64-bit of the UTF-8 bytes, as 16 lowercase hex chars. Computed in two 32-bit lanes:
 * the prime is 2^40 + 0x1b3, so h * prime = h * 0x1b3 + (lo << 40) (mod 2^64). The bytes are
 * encoded into a reused buffer (encodeInto) and read by index: every new span is hashed once.
 */
export function contentHash(text: string): string {
  if (bytes.length < 3 * text.length) bytes = new Uint8Array(3 * text.length);
  const n = encoder.encodeInto(text, bytes).written;
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < n; i++) {
    lo = (lo ^ bytes[i]) >>> 0;
    const t = lo * 0x1b3; // < 2^41, exact in a double
    const carry = Math.floor(t / 0x1_0000_0000);
    hi = (Math.imul(hi, 0x1b3) + ((lo << 8) >>> 0) + carry) >>> 0;
    lo = t >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/**
 * LRU cache of embeddings keyed by their text. Each embedAll makes at most one batch call with the
 * distinct texts it has not seen. Counting: every input text is one hit or one miss; a repeat of a
 * missing text inside the same call is served from that batch and counts as a hit.
 * Returned vectors are shared with the cache: treat them as read-only.
 * (Keyed by the text itself: V8 hashes a string once, natively, where a contentHash per lookup cost
 * ~1 us of script per new span; the texts are the spans' own, kept alive by them anyway.)
 */
export class EmbeddingCache<V = Float32Array> {
  readonly #embed: (texts: string[]) => V[];
  readonly #capacity: number;
  /** Map iteration order is the recency order: first entry = least recently used. */
  readonly #entries = new Map<string, V>();
  #hits = 0;
  #misses = 0;
  /** Texts stored by `put` and not asked for yet. */
  readonly #fresh = new Set<string>();

  constructor(embed: (texts: string[]) => V[], capacity = 4096) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`capacity must be a non-negative integer, got ${capacity}`);
    this.#embed = embed;
    this.#capacity = capacity;
  }

  get hits(): number {
    return this.#hits;
  }

  get misses(): number {
    return this.#misses;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Whether the text's embedding is cached (does not count as a hit or a miss, does not touch recency). */
  has(text: string): boolean {
    return this.#entries.has(text);
  }

  /**
   * Stores an embedding computed elsewhere (an async model batch, before the sync call that uses it).
   * The first `embedAll` that asks for it counts the miss it was; a text already cached is kept.
   */
  put(text: string, vector: V): void {
    if (this.#entries.has(text)) return;
    this.#entries.set(text, vector);
    this.#fresh.add(text);
    this.#evict();
  }

  embedAll(texts: readonly string[]): V[] {
    const out = new Array<V>(texts.length);
    const entries = this.#entries;
    // misses by text, with the inputs that asked for each (made at the first miss)
    let pending: Map<string, number[]> | undefined;
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i];
      const cached = entries.get(text);
      if (cached !== undefined) {
        entries.delete(text);
        entries.set(text, cached);
        out[i] = cached;
        if (this.#fresh.size > 0 && this.#fresh.delete(text)) this.#misses++;
        else this.#hits++;
        continue;
      }
      pending ??= new Map();
      const waiting = pending.get(text);
      if (waiting !== undefined) {
        waiting.push(i);
        this.#hits++;
      } else {
        pending.set(text, [i]);
        this.#misses++;
      }
    }
    if (pending !== undefined) {
      const batch = [...pending.keys()];
      const vectors = this.#embed(batch);
      if (vectors.length !== batch.length) {
        throw new Error(`embedder returned ${vectors.length} vectors for ${batch.length} texts`);
      }
      let j = 0;
      for (const [text, indices] of pending) {
        const vector = vectors[j++];
        for (const i of indices) out[i] = vector;
        entries.set(text, vector);
      }
      this.#evict();
    }
    return out;
  }

  #evict(): void {
    if (this.#entries.size <= this.#capacity) return;
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.#capacity) return;
      this.#entries.delete(key);
      this.#fresh.delete(key);
    }
  }
}
