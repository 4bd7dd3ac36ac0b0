import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubServer, type HubServer } from '../engine/testing/hubServer.js';
import { tinyLlamaDir } from '../engine/testing/testModels.js';
import { runFmsAsync } from '../engine/testing/runFms.js';

const REPO = 'fms-test/tiny-llama';
const tmp = mkdtempSync(path.join(tmpdir(), 'fms-chat-hub-'));
let hub: HubServer;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-cli.mjs']);
  hub = await startHubServer({ [REPO]: tinyLlamaDir() });
});
afterAll(async () => {
  await hub?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** `fms` with its data folder (and so its model cache) in `data`; async, as the mirror lives in this process. */
const fms = (env: Record<string, string>, ...args: string[]) => runFmsAsync(args, { ...process.env, ...env });

const chat = ['chat', '--backend', 'local', '--model', REPO, '--max-new-tokens', '8', '--message', 'Hello from the mirror.', '--json'];

describe('fms chat with a Hub model through HF_ENDPOINT', () => {
  it('downloads the model from the mirror into its data folder and replies; the next run needs no mirror', async () => {
    const data = path.join(tmp, 'data');
    const r = await fms({ HF_ENDPOINT: hub.endpoint, XDG_DATA_HOME: data }, ...chat);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ backend: 'local', model: REPO });
    expect(typeof out.reply).toBe('string');
    expect(out.completionTokens).toBeGreaterThan(0);
    expect(hub.requests.filter((q) => q.status >= 400)).toEqual([]);
    expect([...new Set(hub.served(REPO))].sort()).toEqual(['config.json', 'generation_config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    expect(existsSync(path.join(data, 'finite-memory-studio', 'models', REPO, 'onnx', 'model.onnx'))).toBe(true);

    // downloaded once: the next run loads from the models folder without asking a mirror anything
    const empty = await startHubServer({});
    try {
      const again = await fms({ HF_ENDPOINT: empty.endpoint, XDG_DATA_HOME: data }, ...chat);
      expect(again.stderr).toBe('');
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ backend: 'local', model: REPO });
      expect(empty.requests).toEqual([]);
    } finally {
      await empty.close();
    }
  });

  it('names the mirror when the model is not there, and refuses an HF_ENDPOINT that is not a URL', async () => {
    const data = path.join(tmp, 'missing');
    const missing = await fms({ HF_ENDPOINT: hub.endpoint, XDG_DATA_HOME: data }, 'chat', '--backend', 'local', '--model', 'fms-test/not-there', '--message', 'x');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(new RegExp(`^fms: model "fms-test/not-there" could not be downloaded from the Hub mirror ${hub.endpoint}/ `));
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);

    const bad = await fms({ HF_ENDPOINT: 'hf-mirror.com', XDG_DATA_HOME: data }, ...chat);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('fms: HF_ENDPOINT "hf-mirror.com" is not an http(s) base URL (e.g. https://hf-mirror.com)\n');
  });
});

describe('fms sweep with a Hub tokenizer through HF_ENDPOINT', () => {
  it('loads the tokenizer in its worker threads from the mirror into the data folder', async () => {
    const data = path.join(tmp, 'sweep');
    const file = path.join(tmp, 'sweep-chat.jsonl');
    writeFileSync(file, ['My locker code is 5521.', 'Noted.', 'What is my locker code?'].map((content, i) => JSON.stringify({ role: i % 2 ? 'assistant' : 'user', content })).join('\n') + '\n');
    const r = await fms({ HF_ENDPOINT: hub.endpoint, XDG_DATA_HOME: data }, 'sweep', file, '--tokenizer', REPO, '--max-tokens', '256,512', '--window', '64', '--workers', '2', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { grid: { tokenizer: string }; runs: { contextTokens: number }[] };
    expect(out.grid.tokenizer).toBe(REPO);
    expect(out.runs).toHaveLength(2);
    expect(out.runs.every((run) => run.contextTokens > 0)).toBe(true);
    expect(hub.served(REPO)).toContain('tokenizer.json');
    expect(existsSync(path.join(data, 'finite-memory-studio', 'models', REPO, 'tokenizer.json'))).toBe(true);
  });
});
