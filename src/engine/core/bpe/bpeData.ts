/**
 * The compact binary form of a byte-level BPE tokenizer (a tokenizer.json of the Qwen2/3 or GPT-2
 * kind): each token's bytes, and the merges as a table keyed by integer pairs, in typed arrays that
 * load with one read and no parsing. Built once from tokenizer.json (buildBpeData.ts), kept in a
 * cache file (src/engine/node/bpeCache.ts).
 */

/** Bumped whenever the layout or the meaning of a field changes: older files are rebuilt. */
export const BPE_DATA_VERSION = 1;
const MAGIC = 'FMSBPE01';

/** An added token (`<|im_start|>`, `<think>`...): matched in the text before pre-tokenization. */
export interface AddedTokenData {
  id: number;
  content: string;
  special: boolean;
}

/** Everything that is not a table: small, kept as JSON in the file's header. */
export interface BpeHeader {
  version: number;
  /** The pre-tokenizer's regular expression, as transformers.js compiles it from tokenizer.json. */
  pattern: { source: string; flags: string };
  /** Split 'Isolated' keeps the text between matches as pre-tokens; ByteLevel's own regex drops it. */
  keepGaps: boolean;
  normalizer: 'NFC' | undefined;
  added: AddedTokenData[];
  /** Token id of each byte's single-byte token. */
  byteIds: number[];
  /** Ids below this have bytes in the tables (the model's vocabulary). */
  vocabSize: number;
  mergeCount: number;
  /** tokenizer_config.json's clean_up_tokenization_spaces (transformers.js default: true). */
  cleanUpSpaces: boolean;
}

export interface BpeData {
  header: BpeHeader;
  /** tokenBytes[tokenStart[id], tokenStart[id + 1]) are token id's bytes. */
  tokenStart: Uint32Array;
  tokenBytes: Uint8Array;
  /**
   * Merges whose left part is token a: rows mergeStart[a] to mergeStart[a + 1] - 1, sorted by their
   * right part (mergeRight), with the merge's rank (lower merges first) and the merged token's id.
   */
  mergeStart: Uint32Array;
  mergeRight: Int32Array;
  mergeRank: Int32Array;
  mergeResult: Int32Array;
}

const pad4 = (n: number): number => (n + 3) & ~3;

/** The file's bytes. */
export function encodeBpeData(data: BpeData): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(data.header));
  const tables = [data.tokenStart, data.tokenBytes, data.mergeStart, data.mergeRight, data.mergeRank, data.mergeResult];
  const headerBytes = 8 + 4 + pad4(json.length);
  const size = tables.reduce((n, t) => n + pad4(t.byteLength), headerBytes);
  const out = new Uint8Array(size);
  for (let i = 0; i < MAGIC.length; i++) out[i] = MAGIC.charCodeAt(i);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  let o = headerBytes;
  for (const t of tables) {
    out.set(new Uint8Array(t.buffer, t.byteOffset, t.byteLength), o);
    o += pad4(t.byteLength);
  }
  return out;
}

/** Reads a file written by encodeBpeData; undefined when it is not one, or of another version. */
export function decodeBpeData(bytes: Uint8Array): BpeData | undefined {
  try {
    return decodeTables(bytes);
  } catch {
    return undefined; // cut short or damaged: views out of range, a header that is not JSON
  }
}

function decodeTables(bytes: Uint8Array): BpeData | undefined {
  if (bytes.length < 12 || String.fromCharCode(...bytes.subarray(0, 8)) !== MAGIC) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + jsonLength))) as BpeHeader;
  if (header.version !== BPE_DATA_VERSION) return undefined;
  // the tables are views on the bytes read when they are 4-byte aligned (a file read into its own buffer), else on an aligned copy
  const start = 12 + pad4(jsonLength);
  const body = (bytes.byteOffset + start) % 4 === 0 ? bytes.subarray(start) : Uint8Array.prototype.slice.call(bytes, start);
  let o = 0;
  const take = <T>(make: (buffer: ArrayBufferLike, offset: number, length: number) => T, length: number, width: number): T => {
    const t = make(body.buffer, body.byteOffset + o, length);
    o += pad4(length * width);
    return t;
  };
  const tokenStart = take((b, off, n) => new Uint32Array(b, off, n), header.vocabSize + 1, 4);
  const tokenBytes = take((b, off, n) => new Uint8Array(b, off, n), tokenStart[header.vocabSize], 1);
  const mergeStart = take((b, off, n) => new Uint32Array(b, off, n), header.vocabSize + 1, 4);
  const mergeRight = take((b, off, n) => new Int32Array(b, off, n), header.mergeCount, 4);
  const mergeRank = take((b, off, n) => new Int32Array(b, off, n), header.mergeCount, 4);
  const mergeResult = take((b, off, n) => new Int32Array(b, off, n), header.mergeCount, 4);
  if (o !== body.length) return undefined;
  return { header, tokenStart, tokenBytes, mergeStart, mergeRight, mergeRank, mergeResult };
}
