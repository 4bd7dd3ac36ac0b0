// SSE parsing throughput: one 20 MB data line cut into 64 KiB chunks (a runaway server, or one huge
// event) and 100k small chat-completion events, each beside the floor of looking at every byte once.
import { SseParser } from '../src/engine/backends/openai/sse.js';
import { table } from './util.js';

const CHUNK = 64 * 1024;
const utf8 = new TextEncoder();
const gc = (globalThis as { gc?: () => void }).gc;

function cut(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** Runs `fn` over the chunks; ms, MB/s and peak RSS above the starting RSS (sampled every 64 KiB of input). */
function measure(name: string, chunks: Uint8Array[], fn: (chunk: Uint8Array) => void, finish: () => void): (string | number)[] {
  gc?.();
  const rss0 = process.memoryUsage.rss();
  let peak = rss0;
  const t0 = performance.now();
  let unsampled = 0;
  for (const chunk of chunks) {
    fn(chunk);
    unsampled += chunk.length;
    if (unsampled < CHUNK) continue;
    unsampled = 0;
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  }
  finish();
  const ms = performance.now() - t0;
  const bytes = chunks.reduce((n, c) => n + c.length, 0);
  return [name, ms, bytes / 1e6 / (ms / 1000), (peak - rss0) / 2 ** 20];
}

/** The floor: decode each chunk and find its line breaks with indexOf, keeping nothing. */
function indexOfLoop(chunks: Uint8Array[]): (string | number)[] {
  const decoder = new TextDecoder();
  let breaks = 0;
  return measure(
    "decode + indexOf('\\n') only",
    chunks,
    (chunk) => {
      const s = decoder.decode(chunk, { stream: true });
      for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) breaks++;
    },
    () => {
      if (breaks < 0) console.log(breaks);
    },
  );
}

function parse(chunks: Uint8Array[], check: (events: number, dataChars: number) => void): (string | number)[] {
  // The 20 MB line is over the default 16 MiB limit, which is what a real stream gets.
  const parser = new SseParser({ maxLineBytes: 32 * 2 ** 20, maxEventBytes: 32 * 2 ** 20 });
  let events = 0;
  let dataChars = 0;
  const take = (out: { data: string }[]) => {
    events += out.length;
    for (const e of out) dataChars += e.data.length;
  };
  return measure(
    'SseParser',
    chunks,
    (chunk) => take(parser.push(chunk)),
    () => {
      take(parser.end());
      check(events, dataChars);
    },
  );
}

const header = ['run', 'ms', 'MB/s', 'peak RSS delta (MiB)'];

// One 20 MB line: `data: {"choices":[{"delta":{"content":"xxxx..."}}]}` and its blank line.
const content = 'x'.repeat(20 * 1e6);
const hugeLine = `data: {"choices":[{"delta":{"content":"${content}"}}]}\n\n`;
const hugeChunks = cut(utf8.encode(hugeLine), CHUNK);
const hugeRows = [
  indexOfLoop(hugeChunks),
  parse(hugeChunks, (events, chars) => {
    if (events !== 1 || chars !== hugeLine.length - 'data: \n\n'.length) throw new Error(`huge line: ${events} events, ${chars} chars`);
  }),
];
console.log(table(`SSE: one ${(hugeLine.length / 1e6).toFixed(1)} MB data line in ${hugeChunks.length} chunks of 64 KiB`, header, hugeRows));

// 100k small events, as a chat completion streams them.
const N = 100_000;
let small = '';
for (let i = 0; i < N; i++) {
  small += `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'm', choices: [{ index: 0, delta: { content: ` tok${i}` }, finish_reason: null }] })}\n\n`;
}
const smallBytes = utf8.encode(small);
const smallChunks = cut(smallBytes, CHUNK);
// One event per chunk, as a server flushing each token on its own would send them.
const perEvent = small.split(/(?<=\n\n)/).map((e) => utf8.encode(e));
const checkSmall = (events: number) => {
  if (events !== N) throw new Error(`small events: ${events}`);
};
const named = (prefix: string, [name, ...rest]: (string | number)[]) => [`${prefix}: ${name}`, ...rest];
const smallRows = [
  named('64 KiB chunks', indexOfLoop(smallChunks)),
  named('64 KiB chunks', parse(smallChunks, checkSmall)),
  named('one event a chunk', indexOfLoop(perEvent)),
  named('one event a chunk', parse(perEvent, checkSmall)),
];
console.log(table(`SSE: ${N.toLocaleString('en-US')} small events (${(smallBytes.length / 1e6).toFixed(1)} MB)`, header, smallRows));
