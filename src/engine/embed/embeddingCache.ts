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
 * LRU cache of embeddings keyed by contentHash. Each embedAll makes at most one batch call with the
 * distinct texts it has not seen. Counting: every input text is one hit or one miss; a repeat of a
 * missing text inside the same call is served from that batch and counts as a hit.
 * Returned vectors are shared with the cache: treat them as read-only.
 */
export class EmbeddingCache<V = Float32Array> {
  readonly #embed: (texts: string[]) => V[];
  readonly #capacity: number;
  /** Map iteration order is the recency order: first entry = least recently used. */
  readonly #entries = new Map<string, V>();
  #hits = 0;
  #misses = 0;
  /** Keys stored by `put` and not asked for yet. */
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
    return this.#entries.has(contentHash(text));
  }

  /**
   * Stores an embedding computed elsewhere (an async model batch, before the sync call that uses it).
   * The first `embedAll` that asks for it counts the miss it was; a text already cached is kept.
   */
  put(text: string, vector: V): void {
    const key = contentHash(text);
    if (this.#entries.has(key)) return;
    this.#entries.set(key, vector);
    this.#fresh.add(key);
    this.#evict();
  }

  embedAll(texts: readonly string[]): V[] {
    const out = new Array<V | undefined>(texts.length);
    const pending = new Map<string, { text: string; indices: number[] }>();
    for (let i = 0; i < texts.length; i++) {
      const key = contentHash(texts[i]);
      const cached = this.#entries.get(key);
      if (cached !== undefined) {
        this.#entries.delete(key);
        this.#entries.set(key, cached);
        out[i] = cached;
        if (this.#fresh.delete(key)) this.#misses++;
        else this.#hits++;
        continue;
      }
      const waiting = pending.get(key);
      if (waiting !== undefined) {
        waiting.indices.push(i);
        this.#hits++;
      } else {
        pending.set(key, { text: texts[i], indices: [i] });
        this.#misses++;
      }
    }
    if (pending.size > 0) {
      const batch = [...pending.values()];
      const vectors = this.#embed(batch.map((p) => p.text));
      if (vectors.length !== batch.length) {
        throw new Error(`embedder returned ${vectors.length} vectors for ${batch.length} texts`);
      }
      let j = 0;
      for (const [key, { indices }] of pending) {
        const vector = vectors[j++];
        for (const i of indices) out[i] = vector;
        this.#entries.set(key, vector);
      }
      this.#evict();
    }
    return out as V[];
  }

  #evict(): void {
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.#capacity) return;
      this.#entries.delete(key);
      this.#fresh.delete(key);
    }
  }
}
