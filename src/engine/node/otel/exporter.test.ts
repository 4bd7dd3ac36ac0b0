import { describe, expect, it } from 'vitest';
import type { ProfileSpan } from '../../../shared/protocol.js';
import { otelTracesUrl, startTurnTelemetry } from './index.js';
import { startOtlpReceiver } from './testing/otlpReceiver.js';
import type { TurnRecord } from './turnRecorder.js';

/** `n` turns of one ingest span with three nested spans each, 1 ms apart. */
function turns(n: number): TurnRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const t = i * 10;
    const span = (name: string, start: number, end: number, depth: number): ProfileSpan => ({ name, start, end, depth, turn: i + 1 });
    return {
      stats: { turn: i + 1, tokensIn: 10, tokenizeMs: 0.1, policyMs: 0.2, buildMs: 0.3, engineMs: 0.5, evictedTokens: i, evictionEvents: 0, contextTokens: 50, used: 50 },
      spans: [span('tokenize', t + 1, t + 2, 1), span('policy:sliding', t + 2, t + 3, 1), span('build', t + 3, t + 4, 1), span('ingest:user', t, t + 5, 0)],
      promptTokens: 50,
      outputTokens: 0,
      maxTokens: 256,
      policy: 'sliding',
      closedAt: t + 5,
    };
  });
}

const start = (env: Record<string, string>, onFirstFailure: (line: string) => void = () => undefined, maxBacklogSpans?: number) =>
  startTurnTelemetry({ env, serviceName: 'fms-test', version: '0', clock: () => 0, context: () => ({ policy: 'sliding' }), onFirstFailure, ...(maxBacklogSpans ? { maxBacklogSpans } : {}) });

describe('turn export: a bounded queue', () => {
  it('sends a burst far larger than the queue in full: turns wait in the backlog until the exporter settles', async () => {
    const receiver = await startOtlpReceiver();
    const telemetry = (await start({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_MAX_QUEUE_SIZE: '64' }))!;
    telemetry.exportTurns(turns(300)); // 1,500 spans, synchronously, as a replay ends its turns
    expect(await telemetry.finish()).toEqual({ spans: 1500, exported: 1500, dropped: 0 });
    expect(receiver.spans).toHaveLength(1500);
    const roots = receiver.spans.filter((s) => s.parentSpanId === undefined);
    expect(roots.map((s) => s.attributes['fms.turn'])).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    // times as given: the turn spans its ingest (0..5 ms of the clock), the build 3..4 ms
    const first = receiver.spans.filter((s) => s.traceId === roots[0].traceId);
    const at = (name: string) => first.find((s) => s.name === name)!;
    expect(Number(at('ingest:user').end - at('ingest:user').start)).toBe(5e6);
    expect(Number(at('build').start - at('ingest:user').start)).toBe(3e6);
    expect(at('build').parentSpanId).toBe(at('ingest:user').spanId);
    expect(at('ingest:user').parentSpanId).toBe(roots[0].spanId);
    await receiver.close();
  });

  it('against a refusing collector holds at most maxBacklogSpans, counts every span dropped, and says why once', async () => {
    const receiver = await startOtlpReceiver({ status: 500 });
    const lines: string[] = [];
    const telemetry = (await start({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_MAX_QUEUE_SIZE: '64' }, (l) => lines.push(l), 200))!;
    telemetry.exportTurns(turns(1600));
    const summary = await telemetry.finish();
    const failure = `export to ${receiver.endpoint}/v1/traces failed: HTTP 500 Internal Server Error`;
    expect(summary).toEqual({ spans: 8000, exported: 0, dropped: 8000, failure });
    expect(lines).toEqual([failure]);
    // only what fit in the queue was ever sent: the backlog beyond it was dropped without a request each
    expect(receiver.requests).toBeLessThanOrEqual(2);
    await receiver.close();
  });

  it('is off, with nothing loaded, when no endpoint is set', async () => {
    expect(await start({})).toBeUndefined();
    expect(await start({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBeUndefined();
    expect(await start({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(await start({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
    expect(otelTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toBe('http://collector:4318/v1/traces');
    expect(otelTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/custom' })).toBe('http://b:4318/custom');
  });
});
