import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticChat } from '../../testing/syntheticChat.js';
import { startTestServer } from '../../backends/openai/testServer.js';
import { startOtlpReceiver, type ReceivedSpan } from './testing/otlpReceiver.js';
import { runFmsAsync } from '../../testing/runFms.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fms-otel-'));
const chatFile = path.join(dir, 'chat.jsonl');
const USER_TURNS = 30;

/** Runs the CLI without blocking the event loop (the receiver answers in this process). */
function fms(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
  return runFmsAsync(args, { ...clean, ...env });
}

/** The replay's text with its timings masked: the only part that differs run to run. */
const untimed = (text: string): string => text.replace(/[\d.]+ ms/g, 'N ms');

interface JsonTurn {
  turn: number;
  contextTokens: number;
  evictedTokens: number;
  engineMs: number;
}

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-cli.mjs']);
  // small budget: evictions happen, so the evicted counts are not all zero
  const chat = syntheticChat({ seed: 7, turns: USER_TURNS - 1 });
  chat.push({ role: 'user', content: 'What did Kenji say about the March 3 report?' });
  writeFileSync(chatFile, chat.map((m) => JSON.stringify(m)).join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fms replay with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  let spanCount = 0;

  it('sends one GenAI chat span per user turn, its fms.* figures those of --json, with the profiler spans as children', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const r = await fms(['replay', chatFile, '--json', '--max-tokens', '600'], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SERVICE_NAME: 'fms-test' });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout) as { policy: string; tokenizer: string; config: { maxTokens: number }; turns: JsonTurn[] };
      const turns = json.turns.filter((t) => t.turn > 0);
      expect(turns).toHaveLength(USER_TURNS);
      expect(turns.some((t) => t.evictedTokens > 0)).toBe(true);

      const chats = receiver.spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
      expect(chats.map((s) => s.attributes['fms.turn'])).toEqual(turns.map((t) => t.turn));
      for (const [i, t] of turns.entries()) {
        const s = chats[i];
        expect(s.name).toBe(`chat ${json.tokenizer}`);
        expect(s.resource['service.name']).toBe('fms-test');
        expect(s.parentSpanId).toBeUndefined();
        expect(s.attributes).toEqual({
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': json.tokenizer,
          'gen_ai.usage.input_tokens': t.contextTokens,
          'gen_ai.usage.output_tokens': expect.any(Number),
          'fms.policy': json.policy,
          'fms.context.tokens': t.contextTokens,
          'fms.evicted.tokens': t.evictedTokens,
          'fms.recalled.tokens': expect.any(Number),
          'fms.engine.ms': t.engineMs,
          'fms.turn': t.turn,
          'fms.max_tokens': json.config.maxTokens,
        });
      }
      // recall is on by default: its tokens are counted in the turns it brought spans back in
      expect(chats.some((s) => (s.attributes['fms.recalled.tokens'] as number) > 0)).toBe(true);
      // every other span is a profiler span nested in its turn: its parent is received, and it lies inside it
      const byId = new Map(receiver.spans.map((s) => [s.spanId, s]));
      const rootOf = (s: ReceivedSpan): ReceivedSpan => (s.parentSpanId ? rootOf(byId.get(s.parentSpanId)!) : s);
      const children = receiver.spans.filter((s) => s.parentSpanId !== undefined);
      expect(children.length).toBeGreaterThan(USER_TURNS * 3);
      for (const c of children) {
        const parent = byId.get(c.parentSpanId!);
        expect(parent, c.name).toBeDefined();
        expect(c.start >= parent!.start && c.end <= parent!.end, `${c.name} inside ${parent!.name}`).toBe(true);
        expect(c.traceId).toBe(parent!.traceId);
      }
      for (const chat of chats) {
        const names = children.filter((c) => c.parentSpanId === chat.spanId).map((c) => c.name);
        expect(names).toContain('ingest:user'); // the user message that opens the turn is in it
        expect(children.filter((c) => rootOf(c) === chat).map((c) => c.name)).toEqual(expect.arrayContaining(['tokenize', 'build']));
      }
      spanCount = receiver.spans.length;
    } finally {
      await receiver.close();
    }
  });

  it.each([
    ['refuses every export (500)', 'HTTP 500'],
    ['is not there', 'ECONNREFUSED'],
  ])('when the collector %s: the same output, exit 0, one line with the dropped count', async (_what, why) => {
    const receiver = await startOtlpReceiver({ status: 500 });
    if (why === 'ECONNREFUSED') await receiver.close();
    try {
      const args = ['replay', chatFile, '--max-tokens', '600'];
      const [plain, exported] = await Promise.all([fms(args), fms(args, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint })]);
      expect(exported.code).toBe(0);
      expect(untimed(exported.stdout)).toBe(untimed(plain.stdout));
      expect(plain.stderr).toBe('');
      const url = `${receiver.endpoint}/v1/traces`;
      const lines = exported.stderr.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      const m = /^fms: OpenTelemetry: (\d+) spans dropped \(export to (\S+) failed: (.*)\)$/.exec(lines[0]);
      expect(m, lines[0]).not.toBeNull();
      expect(m![2]).toBe(url);
      expect(m![3]).toContain(why);
      if (spanCount > 0) expect(Number(m![1])).toBe(spanCount); // every span of the same replay
      if (why === 'HTTP 500') expect(receiver.requests).toBeGreaterThan(0);
    } finally {
      if (why !== 'ECONNREFUSED') await receiver.close();
    }
  });
});

describe('fms chat with OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', () => {
  it("sends the turn's span with the model, the server's usage and the finish reason before it exits", async () => {
    const [receiver, llm] = await Promise.all([startOtlpReceiver(), startTestServer()]);
    try {
      llm.queue({ type: 'stream', pieces: ['Forty', '-two', '.'], usage: { prompt_tokens: 20, completion_tokens: 3 } });
      const r = await fms(['chat', '--backend', 'openai', '--base-url', llm.baseUrl, '--model', 'test-model', '--message', 'What is six times seven?', '--json'], {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.endpoint}/v1/traces`,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-team=memory',
      });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { contextTokens: number };
      const [chat, ...rest] = receiver.spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
      expect(rest).toEqual([]);
      expect(chat.name).toBe('chat test-model');
      expect(chat.kind).toBe(3); // CLIENT
      expect(chat.attributes).toMatchObject({
        'gen_ai.request.model': 'test-model',
        'gen_ai.usage.input_tokens': 20,
        'gen_ai.usage.output_tokens': 3,
        'gen_ai.response.finish_reasons': ['stop'],
        'fms.turn': 1,
        'fms.context.tokens': out.contextTokens,
        'fms.policy': 'sliding',
      });
      expect(receiver.lastHeaders['x-team']).toBe('memory'); // OTEL_EXPORTER_OTLP_HEADERS, read by the SDK
      const children = receiver.spans.filter((s) => s.parentSpanId === chat.spanId).map((s) => s.name);
      expect(children).toEqual(['ingest:user', 'ingest:assistant']);
      // the reply's generation lies between the two ingests, inside the turn
      const [user, assistant] = receiver.spans.filter((s) => s.parentSpanId === chat.spanId);
      expect(user.end <= assistant.start && chat.start <= user.start && assistant.end <= chat.end).toBe(true);
    } finally {
      await Promise.all([receiver.close(), llm.close()]);
    }
  });
});
