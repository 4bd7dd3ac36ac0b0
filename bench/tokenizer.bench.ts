// Tokenizer throughput (Qwen3 through transformers.js): chunked vs one-call encoding of a 1 MB text,
// sentence-flag computation with the decoded-token cache, and one-word messages (long runs, cut into
// pieces of MAX_PRETOKEN_BYTES) beside the same words encoded uncut in one call, as before the cut.
import { sentenceFlags } from '../src/engine/core/boundaries.js';
import { defaultTokenizerDir, loadTokenizer } from '../src/engine/node/loadTokenizer.js';
import { messageText, rng } from '../src/engine/testing/syntheticChat.js';
import type { HfTokenizerLike } from '../src/engine/core/tokenizer.js';
import { table } from './util.js';

const t0 = performance.now();
const tokenizer = await loadTokenizer();
const loadMs = performance.now() - t0;
// The transformers.js tokenizer itself, for the uncut one-call rows (read from the bundled folder).
const { AutoTokenizer } = await import('@huggingface/transformers');
const raw = (await AutoTokenizer.from_pretrained(defaultTokenizerDir(), { local_files_only: true })) as unknown as HfTokenizerLike;

let text = '';
const next = rng(9);
while (text.length < 1_000_000) text += `${messageText(next, 20)}\n`;

const time = <T>(fn: () => T): [T, number] => {
  const s = performance.now();
  const out = fn();
  return [out, performance.now() - s];
};
const utf8 = (s: string) => Buffer.byteLength(s, 'utf8') / 1e6;
const rate = (mbytes: number, tokens: number, ms: number) =>
  `${(mbytes / (ms / 1000)).toFixed(2)} MB/s, ${Math.round(tokens / (ms / 1000)).toLocaleString('en-US')} tok/s`;

tokenizer.encode(text.slice(0, 50_000)); // warm up
const [chunked, chunkedMs] = time(() => tokenizer.encode(text));
const [whole, wholeMs] = time(() => tokenizer.encodeRendered(text));
const [, flagsColdMs] = time(() => sentenceFlags(chunked, (id) => tokenizer.decodeToken(id)));
const [, flagsWarmMs] = time(() => sentenceFlags(chunked, (id) => tokenizer.decodeToken(id)));
if (chunked.length !== whole.length) console.warn(`note: chunked ${chunked.length} vs whole ${whole.length} tokens`);

const mbytes = utf8(text);
const natural = (ms: number) => rate(mbytes, chunked.length, ms);
console.log(
  table(`Tokenizer (Qwen3, ${mbytes.toFixed(2)} MB text, ${chunked.length.toLocaleString('en-US')} tokens; load ${loadMs.toFixed(0)} ms)`, ['step', 'ms', 'throughput'], [
    ['encode in 4 KB chunks', chunkedMs, natural(chunkedMs)],
    ['encode in one call', wholeMs, natural(wholeMs)],
    ['sentence flags, cold decode cache', flagsColdMs, natural(flagsColdMs)],
    ['sentence flags, warm decode cache', flagsWarmMs, natural(flagsWarmMs)],
  ]),
);

/** Seeded base64 of random bytes: one word of letters, digits, '+' and '/'. */
const base64 = (chars: number) => {
  const r = rng(17);
  return Buffer.from(Array.from({ length: Math.ceil((chars * 3) / 4) }, () => Math.floor(r() * 256))).toString('base64').slice(0, chars);
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
for (const [name, word] of [words[0], words[4]]) {
  const small = word.slice(0, 200_000);
  const [ids, ms] = time(() => raw.encode(small, { add_special_tokens: false }));
  rows.push([`before: 200 KB one word uncut, ${name}`, ms, rate(utf8(small), ids.length, ms)]);
}
rows.push(['natural text, encode in 4 KB chunks (peer)', chunkedMs, natural(chunkedMs)]);
console.log(table('One-word messages (runs cut at MAX_PRETOKEN_BYTES) vs uncut and vs natural text', ['input', 'ms', 'throughput'], rows));
