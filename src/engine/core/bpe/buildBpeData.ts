import { BPE_DATA_VERSION, type AddedTokenData, type BpeData } from './bpeData.js';

/** The parts of tokenizer.json that decide whether the fast path reproduces transformers.js exactly. */
interface TokenizerJson {
  normalizer?: { type?: string } | null;
  pre_tokenizer?: PreTokenizerJson | null;
  post_processor?: { type?: string } | null;
  decoder?: { type?: string } | null;
  added_tokens?: { id: number; content: string; special?: boolean; single_word?: boolean; lstrip?: boolean; rstrip?: boolean; normalized?: boolean }[];
  model?: {
    type?: string;
    vocab?: Record<string, number>;
    merges?: (string | [string, string])[];
    dropout?: unknown;
    byte_fallback?: boolean;
    ignore_merges?: boolean;
    end_of_word_suffix?: string | null;
    continuing_subword_suffix?: string | null;
    unk_token?: string | null;
  };
}
interface PreTokenizerJson {
  type?: string;
  pretokenizers?: PreTokenizerJson[];
  pattern?: { Regex?: string; String?: string };
  behavior?: string;
  invert?: boolean;
  add_prefix_space?: boolean;
  use_regex?: boolean;
}

/** GPT-2's byte-to-character map, as byte-level BPE vocabularies spell bytes. */
export function bytesToUnicode(): string[] {
  const out: string[] = new Array(256);
  let n = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    out[b] = String.fromCharCode(printable ? b : 256 + n++);
  }
  return out;
}

export type BuildResult = { data: BpeData } | { unsupported: string };

/**
 * The pre-tokenizer regex as transformers.js compiles it (its tokenizers library rewrites the
 * Oniguruma pattern for JavaScript, e.g. `\s` to `\p{White_Space}`): the same library builds it here,
 * once, so the pre-tokens are exactly its pre-tokens.
 */
async function preTokenizerPattern(pre: PreTokenizerJson | null | undefined): Promise<{ pattern: RegExp; keepGaps: boolean } | string> {
  const { SplitPreTokenizer, ByteLevelPreTokenizer } = await import('@huggingface/tokenizers');
  const byteLevel = (p: PreTokenizerJson | undefined): boolean => p?.type === 'ByteLevel' && !p.add_prefix_space;
  if (pre?.type === 'Sequence' && pre.pretokenizers?.length === 2) {
    const [split, bytes] = pre.pretokenizers;
    if (split.type !== 'Split' || split.pattern?.Regex === undefined || split.invert !== false || split.behavior !== 'Isolated') return 'the Split pre-tokenizer is not an Isolated regex split';
    if (!byteLevel(bytes) || bytes.use_regex !== false) return 'the second pre-tokenizer is not ByteLevel without its own regex';
    const pattern = (new SplitPreTokenizer(split as never) as unknown as { pattern: RegExp | null }).pattern;
    return pattern ? { pattern, keepGaps: true } : 'the Split pattern does not compile';
  }
  if (byteLevel(pre ?? undefined) && pre?.use_regex !== false) {
    return { pattern: (new ByteLevelPreTokenizer(pre as never) as unknown as { pattern: RegExp }).pattern, keepGaps: false };
  }
  return `pre-tokenizer ${pre?.type ?? 'none'} is not a regex split followed by byte-level`;
}

/**
 * Pre-parses a byte-level BPE tokenizer.json (+ tokenizer_config.json) into BpeData, or says why the
 * tokenizer is not of that kind (those keep the transformers.js path).
 */
export async function buildBpeData(json: TokenizerJson, config: Record<string, unknown>): Promise<BuildResult> {
  const model = json.model;
  if (model?.type !== 'BPE' || !model.vocab || !model.merges) return { unsupported: 'the model is not BPE' };
  if (model.dropout || model.byte_fallback || model.ignore_merges || model.end_of_word_suffix || model.continuing_subword_suffix) {
    return { unsupported: 'the BPE model uses dropout, byte fallback, ignore_merges or word suffixes' };
  }
  if (json.normalizer && json.normalizer.type !== 'NFC') return { unsupported: `normalizer ${json.normalizer.type}` };
  if (json.decoder?.type !== 'ByteLevel') return { unsupported: 'the decoder is not ByteLevel' };
  if (json.post_processor && json.post_processor.type !== 'ByteLevel') return { unsupported: `post-processor ${json.post_processor.type}` };
  if (config.remove_space || config.do_lowercase_and_remove_accent) return { unsupported: 'the config removes spaces or accents' };
  const pre = await preTokenizerPattern(json.pre_tokenizer);
  if (typeof pre === 'string') return { unsupported: pre };

  const added: AddedTokenData[] = [];
  for (const t of json.added_tokens ?? []) {
    if (t.single_word || t.lstrip || t.rstrip) return { unsupported: `added token ${t.content} strips or matches single words` };
    if (json.normalizer && (t.normalized ?? !t.special)) return { unsupported: `added token ${t.content} is normalized` };
    if (t.content.length === 0) return { unsupported: 'an added token is empty' };
    added.push({ id: t.id, content: t.content, special: t.special ?? false });
  }

  // token strings to ids as transformers.js resolves them: the vocabulary, then the added tokens over it
  const ids = new Map<string, number>(Object.entries(model.vocab));
  for (const t of added) ids.set(t.content, t.id);
  let vocabSize = 0;
  for (const id of Object.values(model.vocab)) vocabSize = Math.max(vocabSize, id + 1);

  const unicode = bytesToUnicode();
  const byteOf = new Map(unicode.map((c, b) => [c, b]));
  const byteIds = unicode.map((c) => ids.get(c) ?? -1);
  if (byteIds.includes(-1)) return { unsupported: 'a byte has no token' };

  const tokens: (string | undefined)[] = new Array(vocabSize);
  for (const [s, id] of Object.entries(model.vocab)) tokens[id] = s;
  const tokenStart = new Uint32Array(vocabSize + 1);
  const bytes: number[] = [];
  for (let id = 0; id < vocabSize; id++) {
    tokenStart[id] = bytes.length;
    for (const c of tokens[id] ?? '') {
      const b = byteOf.get(c);
      if (b === undefined) return { unsupported: `token ${id} is not byte-level` };
      bytes.push(b);
    }
  }
  tokenStart[vocabSize] = bytes.length;

  // a pair listed twice keeps its last rank, as transformers.js's Map of ranks does
  const rankOf = new Map<string, { a: number; b: number; rank: number; result: number }>();
  for (let rank = 0; rank < model.merges.length; rank++) {
    const m = model.merges[rank];
    const [left, right] = Array.isArray(m) ? m : (m.split(' ', 2) as [string, string]);
    const a = ids.get(left);
    const b = ids.get(right);
    if (a === undefined || b === undefined || a >= vocabSize || b >= vocabSize) continue; // never applies: its parts are never symbols
    const result = ids.get(left + right);
    if (result === undefined || tokens[result] !== left + right) return { unsupported: `merge ${left} ${right} makes a token outside the vocabulary` };
    rankOf.set(`${a} ${b}`, { a, b, rank, result });
  }
  const merges = [...rankOf.values()].sort((x, y) => x.a - y.a || x.b - y.b);
  const mergeStart = new Uint32Array(vocabSize + 1);
  const mergeRight = new Int32Array(merges.length);
  const mergeRank = new Int32Array(merges.length);
  const mergeResult = new Int32Array(merges.length);
  merges.forEach((m, i) => {
    mergeStart[m.a + 1]++;
    mergeRight[i] = m.b;
    mergeRank[i] = m.rank;
    mergeResult[i] = m.result;
  });
  for (let a = 0; a < vocabSize; a++) mergeStart[a + 1] += mergeStart[a];

  return {
    data: {
      header: {
        version: BPE_DATA_VERSION,
        pattern: { source: pre.pattern.source, flags: pre.pattern.flags },
        keepGaps: pre.keepGaps,
        normalizer: json.normalizer ? 'NFC' : undefined,
        added,
        byteIds,
        vocabSize,
        mergeCount: merges.length,
        cleanUpSpaces: (config.clean_up_tokenization_spaces as boolean | undefined) ?? true,
      },
      tokenStart,
      tokenBytes: Uint8Array.from(bytes),
      mergeStart,
      mergeRight,
      mergeRank,
      mergeResult,
    },
  };
}
