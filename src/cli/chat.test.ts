import { execFileSync, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../engine/backends/openai/testServer.js';
import { tinyLlamaDir } from '../engine/testing/testModels.js';
import { CLI as cli, runFms, runFmsAsync } from '../engine/testing/runFms.js';

let llm: TestServer;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-cli.mjs']);
  llm = await startTestServer();
});
afterAll(async () => llm?.close());

const fms = runFms;
/** Async, for runs that talk to the test server living in this process (spawnSync would block it). */
const fmsAsync = (...args: string[]) => runFmsAsync(args);

describe('fms chat', () => {
  it('does one turn with the tiny local model and prints one JSON object', () => {
    const r = fms('chat', '--backend', 'local', '--model', tinyLlamaDir(), '--max-new-tokens', '12', '--message', 'Hello there.', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(typeof out.reply).toBe('string');
    expect(out.completionTokens).toBeGreaterThan(0);
    expect(out.completionTokens).toBeLessThanOrEqual(12);
    expect(out.contextTokens).toBeGreaterThan(3);
    expect(out.cache).toMatchObject({ hit: false, reusedTokens: 0 });
    expect(out.timings.totalMs).toBeGreaterThan(0);
    expect(out.backend).toBe('local');
  });

  it('streams from an OpenAI-compatible server and prints a window summary', async () => {
    llm.queue({ type: 'stream', pieces: ['Forty', '-two', '.'], usage: { prompt_tokens: 20, completion_tokens: 3 } });
    const r = await fmsAsync('chat', '--backend', 'openai', '--base-url', llm.baseUrl, '--model', 'm', '--message', 'What is six times seven?');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Forty-two\.\n\[window \d+\/2048 · evicted 0 tok in 0 events · [\d.]+ s\]\n$/);
    expect(llm.requests.at(-1)?.body).toMatchObject({ model: 'm', stream: true, max_tokens: 512 });
    // the server was asked for its models first, and does not list "m": one line says so
    expect(llm.requests.at(-2)).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(r.stderr).toBe('fms: the server does not list "m" (it lists "test-model"); chats may fail until you pick a listed model\n');
    llm.queue({ type: 'stream', pieces: ['Ok.'], usage: { prompt_tokens: 20, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 16 } } });
    const json = await fmsAsync('chat', '--backend', 'openai', '--base-url', llm.baseUrl, '--model', 'test-model', '--message', 'Hi.', '--json');
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toMatchObject({ promptTokens: 20, completionTokens: 1, usageSource: 'server', cachedPromptTokens: 16 });
  });

  it('chats interactively from stdin, one summary line per turn', async () => {
    llm.queue({ type: 'stream', pieces: ['One.'] }, { type: 'stream', pieces: ['Two.'] });
    const child = spawn(process.execPath, [cli, 'chat', '--backend', 'openai', '--base-url', llm.baseUrl, '--model', 'm', '--max-tokens', '64', '--window', '8'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stdin.write('First question, please.\n');
    await new Promise((r) => setTimeout(r, 1500));
    child.stdin.end('Second question, please.\n');
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(0);
    expect(out).toMatch(/One\.\n\[window \d+\/64/);
    expect(out).toMatch(/Two\.\n\[window \d+\/64/);
  });

  it('exits 2 with one line on bad flags, a missing model or a dead server', () => {
    const cases: [string[], RegExp][] = [
      [['chat', '--backend', 'magic'], /unknown backend "magic"/],
      [['chat', '--json'], /--json needs --message/],
      [['chat', '--backend', 'openai', '--message', 'x'], /needs --base-url/],
      [['chat', '--backend', 'local', '--model', '/nonexistent/model', '--message', 'x'], /nonexistent/],
      [['chat', '--backend', 'openai', '--base-url', 'http://127.0.0.1:9', '--message', 'x'], /127\.0\.0\.1:9/],
    ];
    for (const [args, pattern] of cases) {
      const r = fms(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
