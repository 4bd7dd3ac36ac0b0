// Tokenizer throughput (Qwen3): the fast tokenizer (BpeTokenizer over the pre-parsed tokenizer.json)
// beside gpt-tokenizer (the peer: o200k and cl100k on the same text) and transformers.js (the path it
// replaces; its tokenizers library is @huggingface/tokenizers, the maintained pure-JS implementation),
// medians of interleaved rounds on 1 MB of synthetic English; sentence-flag computation with the
// decoded-token cache; one-word messages (long runs, cut into pieces of MAX_PRETOKEN_BYTES), and
// inputs whose every piece is new to the cache, at two sizes to show the time stays linear.
import { encode as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { encode as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { sentenceFlags } from '../src/engine/core/boundaries.js';
import { defaultTokenizerDir, loadTokenizer } from '../src/engine/node/loadTokenizer.js';
import { messageText, rng } from '../src/engine/testing/syntheticChat.js';
import type { HfTokenizerLike, Tokenizer } from '../src/engine/core/tokenizer.js';
import { record, summarize, table } from './util.js';

const time = <T>(fn: () => T): [T, number] => {
  const s = performance.now();
  const out = fn();
  return [out, performance.now() - s];
};
const [tokenizer, loadMs] = await (async () => {
  const s = performance.now();
  const t = await loadTokenizer();
  return [t, performance.now() - s] as const;
})();
const [hf, hfLoadMs] = await (async () => {
  const s = performance.now();
  const t = await loadTokenizer(undefined, { fast: false });
  return [t, performance.now() - s] as const;
})();
// The transformers.js tokenizer itself, for the uncut one-call rows (read from the bundled folder).
const { AutoTokenizer } = await import('@huggingface/transformers');
const raw = (await AutoTokenizer.from_pretrained(defaultTokenizerDir(), { local_files_only: true })) as unknown as HfTokenizerLike;

let text = '';
const next = rng(9);
while (text.length < 1_000_000) text += `${messageText(next, 20)}\n`;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8') / 1e6;
const mbytes = utf8(text);
const tokS = (tokens: number, ms: number) => tokens / (ms / 1000);
const fmtTokS = (v: number) => `${Math.round(v).toLocaleString('en-US')} tok/s`;
const rate = (mb: number, tokens: number, ms: number) => `${(mb / (ms / 1000)).toFixed(2)} MB/s, ${fmtTokS(tokS(tokens, ms))}`;

// warm every encoder (JIT and caches), then interleave rounds
tokenizer.encode(text);
o200k(text);
cl100k(text);
hf.encode(text.slice(0, 50_000));
const ROUNDS = Math.max(1, Number(process.env.FMS_BENCH_TOKENIZER_ROUNDS ?? 5));
const runs: Record<'fast' | 'rendered' | 'o200k' | 'cl100k', number[]> = { fast: [], rendered: [], o200k: [], cl100k: [] };
let counts = { fast: 0, o200k: 0, cl100k: 0 };
for (let r = 0; r < ROUNDS; r++) {
  const [ids, fastMs] = time(() => tokenizer.encode(text));
  const [, renderedMs] = time(() => tokenizer.encodeRendered(text));
  const [o, oMs] = time(() => o200k(text));
  const [c, cMs] = time(() => cl100k(text));
  runs.fast.push(fastMs);
  runs.rendered.push(renderedMs);
  runs.o200k.push(oMs);
  runs.cl100k.push(cMs);
  counts = { fast: ids.length, o200k: o.length, cl100k: c.length };
}
const med = (xs: number[]) => summarize(xs).p50;
// a fresh tokenizer: every pre-token is new to its cache
const fresh = await loadTokenizer();
const [, coldMs] = time(() => fresh.encode(text));
const [hfIds, hfMs] = time(() => hf.encode(text));
const chunked = tokenizer.encode(text);
if (hfIds.length !== chunked.length || !hfIds.every((id, i) => id === chunked[i])) throw new Error('the fast tokenizer and transformers.js disagree on the bench text');
const [, flagsColdMs] = time(() => sentenceFlags(chunked, (id) => fresh.decodeToken(id)));
const [, flagsWarmMs] = time(() => sentenceFlags(chunked, (id) => fresh.decodeToken(id)));

const ours = tokS(counts.fast, med(runs.fast));
const peer = tokS(counts.o200k, med(runs.o200k));
console.log(
  table(
    `Tokenizer (Qwen3, ${mbytes.toFixed(2)} MB of synthetic English, ${counts.fast.toLocaleString('en-US')} tokens; load ${loadMs.toFixed(0)} ms fast, ${hfLoadMs.toFixed(0)} ms transformers.js; median of ${ROUNDS} interleaved rounds)`,
    ['encoder', 'ms', 'throughput'],
    [
      ['fast (BpeTokenizer): encode in 4 KB chunks', med(runs.fast), rate(mbytes, counts.fast, med(runs.fast))],
      ['fast: encodeRendered, one call', med(runs.rendered), rate(mbytes, counts.fast, med(runs.rendered))],
      ['fast: first encode, empty pre-token cache', coldMs, rate(mbytes, counts.fast, coldMs)],
      ['peer: gpt-tokenizer o200k_base', med(runs.o200k), rate(mbytes, counts.o200k, med(runs.o200k))],
      ['peer: gpt-tokenizer cl100k_base', med(runs.cl100k), rate(mbytes, counts.cl100k, med(runs.cl100k))],
      ['before: transformers.js (@huggingface/tokenizers), 4 KB chunks, same ids', hfMs, rate(mbytes, hfIds.length, hfMs)],
      ['sentence flags, cold decode cache', flagsColdMs, rate(mbytes, counts.fast, flagsColdMs)],
      ['sentence flags, warm decode cache', flagsWarmMs, rate(mbytes, counts.fast, flagsWarmMs)],
    ],
  ),
);

/** Seeded base64 of random bytes: one word of letters, digits, '+' and '/'. */
const base64 = (chars: number) => {
  const r = rng(17);
  return Buffer.from(Array.from({ length: Math.ceil((chars * 3) / 4) }, () => Math.floor(r() * 256))).toString('base64').slice(0, chars);
};
/** Seeded random characters from `alphabet`: every cut piece of it is new to the cache. */
const randomOf = (alphabet: string, length: number) => {
  const r = rng(23);
  return Array.from({ length }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
};
const words: [string, string][] = [
  ['"a" repeated', 'a'.repeat(5_000_000)],
  ['"=" repeated', '='.repeat(5_000_000)],
  ['spaces', ' '.repeat(5_000_000)],
  ['"中" repeated', '中'.repeat(5_000_000 / 3)],
  ['base64 of random bytes', base64(5_000_000)],
];
const rows: (string | number)[][] = [];
for (const [name, word] of words) {
  const [ids, ms] = time(() => tokenizer.encode(word));
  rows.push([`5 MB one word, ${name}`, ms, rate(utf8(word), ids.length, ms)]);
}
// every piece new: random letters (255-byte letter runs), random CJK, random punctuation; 0.5 and 5 MB
const unique: [string, string][] = [
  ['random letters', randomOf('abcdefghijklmnopqrstuvwxyz', 5_000_000)],
  ['random CJK', randomOf(Array.from({ length: 3000 }, (_, i) => String.fromCharCode(0x4e00 + i * 7)).join(''), 5_000_000 / 3)],
  ['random punctuation', randomOf('!"#$%&()*+,-./:;<=>?@[]^_`{|}~', 5_000_000)],
];
let linear = true;
for (const [name, word] of unique) {
  const rates: number[] = [];
  for (const size of [0.1, 1]) {
    const piece = word.slice(0, Math.floor(word.length * size));
    const fresh2: Tokenizer = await loadTokenizer(); // an empty pre-token cache for each size
    const [ids, ms] = time(() => fresh2.encode(piece));
    rows.push([`${(utf8(piece)).toFixed(1)} MB one word, ${name}`, ms, rate(utf8(piece), ids.length, ms)]);
    rates.push(utf8(piece) / ms);
  }
  if (rates[1] < rates[0] / 2) linear = false; // ten times the input in more than twenty times the time
}
for (const [name, word] of [words[0], words[4]]) {
  const small = word.slice(0, 200_000);
  const [ids, ms] = time(() => raw.encode(small, { add_special_tokens: false }));
  rows.push([`before: 200 KB one word uncut (transformers.js), ${name}`, ms, rate(utf8(small), ids.length, ms)]);
}
rows.push(['natural text, encode in 4 KB chunks (for scale)', med(runs.fast), rate(mbytes, counts.fast, med(runs.fast))]);
console.log(table('One-word messages (runs cut at MAX_PRETOKEN_BYTES), and pieces all new to the cache at 10x the size', ['input', 'ms', 'throughput'], rows));

record({
  key: 'tokenizer',
  figure: 'tokenizer on natural English text (linear on any input)',
  value: `${fmtTokS(ours)}${linear ? '' : '; not linear'}`,
  peer: `gpt-tokenizer o200k ${fmtTokS(peer)}`,
  ratio: `${(ours / peer).toFixed(2)}x`,
  target: '>= 1M tok/s, linear on any input',
  holds: ours >= 1e6 && linear,
});
