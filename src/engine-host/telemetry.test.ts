import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver } from '../engine/node/otel/testing/otlpReceiver.js';
import { PROTOCOL_VERSION } from '../shared/protocol.js';
import { echoBackend } from './testing/echoBackend.js';
import { hostPair } from './testing/harness.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fms-host-otel-'));
beforeAll(() => execFileSync(process.execPath, ['scripts/build-cli.mjs'])); // dist/host/index.js, as fms serve runs it
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A server that answers every turn with the same reply and reports its usage. */
const echo = echoBackend('echo-1', { finishReason: 'length', promptTokens: 321, completionTokens: 12 });

describe('engine host: OpenTelemetry export of its turns', () => {
  it('the host process fms serve starts sends a span per appended turn to the endpoint in its environment', async () => {
    const receiver = await startOtlpReceiver();
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
    // as browser-server/hostChild.ts forks it: its own environment plus the server's
    const child = fork(path.resolve('dist/host/index.js'), [], {
      serialization: 'advanced',
      env: { ...clean, FMS_AUTOSAVE: path.join(dir, 'autosave.json'), OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SERVICE_NAME: 'fms-serve-test' },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const client = (data: unknown) => child.send({ ch: 'client', data });
    try {
      client({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'otel-test' });
      client({ type: 'newSession', systemPrompt: 'You are terse.' });
      client({ type: 'appendMessages', messages: [{ role: 'user', content: 'Kenji moved the March 3 report to Friday.' }, { role: 'assistant', content: 'Noted: the report is due Friday.' }] });
      client({ type: 'appendMessages', messages: [{ role: 'user', content: 'Which report did Kenji move?' }] });
      await receiver.waitFor(2, 'spans');
      const turns = () => receiver.spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
      // the spans of one turn may come in two exports: wait until both turns and their children are in
      await new Promise<void>((resolve) => {
        const check = (): void => void (turns().length >= 2 ? resolve() : receiver.waitFor(receiver.spans.length + 1).then(check));
        check();
      });
      const [first, second] = turns();
      expect(first.name).toBe('chat');
      expect(first.resource['service.name']).toBe('fms-serve-test');
      expect([first.attributes['fms.turn'], second.attributes['fms.turn']]).toEqual([1, 2]);
      expect(first.attributes['fms.policy']).toBe('sliding');
      expect(first.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0); // the assistant's message, as we count it
      expect(first.attributes['fms.recalled.tokens']).toBe(0);
      // on shutdown the host sends what is still queued before it exits
      child.send({ ch: 'parent', data: { type: 'shutdown' } });
      expect(await exited).toBe(0);
      const children = receiver.spans.filter((s) => s.parentSpanId === first.spanId).map((s) => s.name);
      expect(children).toEqual(expect.arrayContaining(['ingest:user', 'ingest:assistant']));
      expect(stderr).toBe('');
    } finally {
      child.kill();
      await receiver.close();
    }
  });

  it("a chat turn's span names the model, the server's usage and the finish reason; a refusing collector is one telemetry-export-failed warning", async () => {
    const receiver = await startOtlpReceiver();
    const h = await hostPair({ createBackend: async () => echo, otelEnv: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.endpoint}/v1/traces` } });
    h.client.hello();
    h.client.send({ type: 'setBackend', backend: { kind: 'openai', baseUrl: 'http://127.0.0.1:1', model: 'echo-1' } });
    await h.waitFor('backendChanged');
    h.client.send({ type: 'chat', id: 'c1', content: 'Which report did Kenji move, and to when?' });
    const done = await h.waitFor('chatDone', (e) => e.id === 'c1');
    await receiver.waitFor(1);
    const [chat] = receiver.spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    expect(chat.name).toBe('chat echo-1');
    expect(chat.kind).toBe(3); // CLIENT
    expect(chat.attributes).toMatchObject({
      'gen_ai.request.model': 'echo-1',
      'gen_ai.usage.input_tokens': 321,
      'gen_ai.usage.output_tokens': 12,
      'gen_ai.response.finish_reasons': ['length'],
      'fms.turn': done.turn,
    });
    await h.close();
    await receiver.close();

    const refusing = await startOtlpReceiver({ status: 500 });
    const r = await hostPair({ otelEnv: { OTEL_EXPORTER_OTLP_ENDPOINT: refusing.endpoint } });
    r.client.hello();
    for (let i = 0; i < 3; i++) r.client.send({ type: 'appendMessages', messages: [{ role: 'user', content: `Turn ${i}: Kenji moved the report.` }] });
    const warning = await r.waitFor('warning', (e) => e.code === 'telemetry-export-failed');
    expect(warning.message).toBe(`OpenTelemetry: export to ${refusing.endpoint}/v1/traces failed: HTTP 500 Internal Server Error; spans are dropped while it fails`);
    r.client.send({ type: 'appendMessages', messages: [{ role: 'user', content: 'And one more after the failure.' }] });
    await r.waitFor('stats', (e) => e.turn?.turn === 4);
    await r.close();
    expect(r.of('warning').filter((e) => e.code === 'telemetry-export-failed')).toHaveLength(1);
    expect(r.of('error').filter((e) => e.message.startsWith('OpenTelemetry:'))).toHaveLength(0);
    await refusing.close();
  });

  it('the Settings endpoint replaces the environment\'s at once, is remembered for the next host, and empty turns export off', async () => {
    const fromEnv = await startOtlpReceiver();
    const fromSettings = await startOtlpReceiver();
    const autosavePath = path.join(dir, 'settings', 'autosave.json');
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: fromEnv.endpoint };
    const a = await hostPair({ autosavePath, otelEnv: env });
    a.client.hello();
    expect((await a.waitFor('helloAck')).telemetry).toEqual({ endpoint: fromEnv.endpoint, source: 'environment' });
    a.client.send({ type: 'appendMessages', messages: [{ role: 'user', content: 'One turn for the environment.' }] });
    await fromEnv.waitFor(1);
    a.client.send({ type: 'setTelemetry', endpoint: fromSettings.endpoint });
    expect(await a.waitFor('telemetryChanged')).toMatchObject({ endpoint: fromSettings.endpoint, source: 'settings' });
    a.client.send({ type: 'appendMessages', messages: [{ role: 'user', content: 'One turn for the Settings.' }] });
    await fromSettings.waitFor(1);
    expect(fromSettings.spans.filter((x) => x.attributes['gen_ai.operation.name'] === 'chat').map((x) => x.attributes['fms.turn'])).toEqual([2]);
    await a.close();
    // the next host (same data folder) starts with the Settings' endpoint, over the environment's
    const b = await hostPair({ autosavePath, otelEnv: env });
    b.client.hello();
    expect((await b.waitFor('helloAck')).telemetry).toEqual({ endpoint: fromSettings.endpoint, source: 'settings' });
    b.client.send({ type: 'setTelemetry', endpoint: '' });
    expect(await b.waitFor('telemetryChanged')).toEqual({ type: 'telemetryChanged', source: 'off' });
    // an endpoint that is not an http(s) URL is refused before the host
    b.client.send({ type: 'setTelemetry', endpoint: 'file:///etc/passwd' } as never);
    expect((await b.waitFor('error', (e) => e.command === 'setTelemetry')).code).toBe('bad-command');
    await b.close();
    await fromEnv.close();
    await fromSettings.close();
  });
});
