/// <reference types="node" />
/**
 * OpenTelemetry export from browser mode: `fms serve` started with OTEL_EXPORTER_OTLP_ENDPOINT in its
 * environment hands it to the engine host it forks, and the turns the page shows (the bundled demo's,
 * replayed when it opens) arrive at a 127.0.0.1 OTLP/HTTP receiver as GenAI chat spans with the engine's
 * figures, the profiler spans as their children.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../src/engine/node/otel/testing/otlpReceiver';
import { openStudio, type Studio } from './harness';

let s: Studio;
let receiver: OtlpReceiver;
const before = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.endpoint; // the server forks the engine host with its environment
  s = await openStudio();
});
afterAll(async () => {
  await s?.close();
  if (before === undefined) delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  else process.env.OTEL_EXPORTER_OTLP_ENDPOINT = before;
  await receiver?.close();
});
afterEach(() => {
  expect(s.consoleErrors).toEqual([]);
});

describe('OpenTelemetry from browser mode', () => {
  it("sends the demo session's turns as chat spans with the engine's numbers", async () => {
    await expect.poll(() => s.page.getByLabel('Session title').innerText(), { timeout: 30_000 }).toMatch(/Demo - planted facts · \d+ messages/);
    const chats = () => receiver.spans.filter((x) => x.attributes['gen_ai.operation.name'] === 'chat');
    await expect.poll(() => chats().length, { timeout: 30_000 }).toBeGreaterThan(10);
    const turns = chats().map((x) => x.attributes['fms.turn'] as number);
    expect(turns.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    const first = chats()[0];
    expect(first.attributes).toMatchObject({ 'fms.policy': 'sliding', 'fms.max_tokens': 2048, 'gen_ai.operation.name': 'chat' });
    expect(first.attributes['fms.context.tokens']).toBeGreaterThan(0);
    // the engine's spans of the turn are its children
    const children = receiver.spans.filter((x) => x.parentSpanId === first.spanId).map((x) => x.name);
    expect(children).toContain('ingest:user');
  });

  it('sends the turns to the endpoint set in Settings from then on (a re-run of the session)', async () => {
    const other = await startOtlpReceiver();
    try {
      await s.page.getByRole('button', { name: 'Settings' }).click();
      const settings = s.page.getByRole('dialog', { name: 'Settings' });
      expect(await settings.getByLabel('Telemetry status').innerText()).toContain(`exported to ${receiver.endpoint} (from OTEL_EXPORTER_OTLP_ENDPOINT)`);
      await settings.getByLabel('OTLP endpoint').fill('ftp://nope');
      expect(await settings.getByRole('alert').innerText()).toMatch(/http\(s\) URL/);
      await settings.getByLabel('OTLP endpoint').fill(other.endpoint);
      await settings.getByRole('button', { name: 'Apply' }).click();
      await expect.poll(() => settings.getByLabel('Telemetry status').innerText()).toContain(`exported to ${other.endpoint} (set here)`);
      await settings.getByRole('button', { name: 'Close' }).click();
      await s.page.getByRole('region', { name: 'Policy', exact: true }).getByRole('button', { name: 'Apply and re-run' }).click();
      await expect.poll(() => other.spans.filter((x) => x.attributes['gen_ai.operation.name'] === 'chat').length, { timeout: 30_000 }).toBeGreaterThan(10);
    } finally {
      await other.close();
    }
  });
});
