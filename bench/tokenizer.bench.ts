// Tokenizer throughput (Qwen3 through transformers.js): chunked vs one-call encoding of a 1 MB text,
// and sentence-flag computation with the decoded-token cache.
import { sentenceFlags } from '../src/engine/boundaries.js';
import { loadTokenizer } from '../src/engine/node/loadTokenizer.js';
import { messageText, rng } from '../src/engine/testing/syntheticChat.js';
import { table } from './util.js';

const t0 = performance.now();
const tokenizer = await loadTokenizer();
const loadMs = performance.now() - t0;

let text = '';
const next = rng(9);
while (text.length < 1_000_000) text += `${messageText(next, 20)}\n`;
const mbytes = new TextEncoder().encode(text).length / 1e6;

const time = <T>(fn: () => T): [T, number] => {
  const s = performance.now();
  const out = fn();
  return [out, performance.now() - s];
};

tokenizer.encode(text.slice(0, 50_000)); // warm up
const [chunked, chunkedMs] = time(() => tokenizer.encode(text));
const [whole, wholeMs] = time(() => tokenizer.encodeRendered(text));
const [, flagsColdMs] = time(() => sentenceFlags(chunked, (id) => tokenizer.decodeToken(id)));
const [, flagsWarmMs] = time(() => sentenceFlags(chunked, (id) => tokenizer.decodeToken(id)));
if (chunked.length !== whole.length) console.warn(`note: chunked ${chunked.length} vs whole ${whole.length} tokens`);

const rate = (ms: number) => `${(mbytes / (ms / 1000)).toFixed(2)} MB/s, ${Math.round(chunked.length / (ms / 1000)).toLocaleString('en-US')} tok/s`;
console.log(
  table(`Tokenizer (Qwen3, ${mbytes.toFixed(2)} MB text, ${chunked.length.toLocaleString('en-US')} tokens; load ${loadMs.toFixed(0)} ms)`, ['step', 'ms', 'throughput'], [
    ['encode in 4 KB chunks', chunkedMs, rate(chunkedMs)],
    ['encode in one call', wholeMs, rate(wholeMs)],
    ['sentence flags, cold decode cache', flagsColdMs, rate(flagsColdMs)],
    ['sentence flags, warm decode cache', flagsWarmMs, rate(flagsWarmMs)],
  ]),
);
