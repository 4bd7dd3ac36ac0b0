import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHubServer } from '../testing/hubServer.js';
import { tinyLlamaDir } from '../testing/testModels.js';
import { applyHubSettings, hubRemoteHost } from './hubEndpoint.js';
import { loadTokenizer } from './loadTokenizer.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'fms-hub-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('HF_ENDPOINT', () => {
  it('is a base URL replacing https://huggingface.co, with or without a path or a trailing slash', () => {
    expect(hubRemoteHost(undefined)).toBeUndefined();
    expect(hubRemoteHost('  ')).toBeUndefined();
    expect(hubRemoteHost('https://hf-mirror.com')).toBe('https://hf-mirror.com/');
    expect(hubRemoteHost('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080/');
    expect(hubRemoteHost('https://proxy.example/hf//')).toBe('https://proxy.example/hf/');
    for (const bad of ['hf-mirror.com', 'ftp://mirror.example', 'https://m.example/?x=1', 'not a url']) expect(() => hubRemoteHost(bad), bad).toThrow(/HF_ENDPOINT .* is not an http\(s\) base URL/);
  });

  it('sends transformers.js downloads to the mirror', async () => {
    const { env } = await import('@huggingface/transformers');
    const saved = { remoteHost: env.remoteHost, remotePathTemplate: env.remotePathTemplate, cacheDir: env.cacheDir };
    const hub = await startHubServer({ 'mirror-org/tok': tinyLlamaDir() });
    const gone = await startHubServer({}); // a mirror without the files
    try {
      expect(await applyHubSettings({})).toBeUndefined();
      expect(env.remoteHost).toBe(saved.remoteHost);
      await expect(applyHubSettings({ endpoint: 'nope', cacheDir: tmp })).rejects.toThrow(/HF_ENDPOINT "nope"/);
      expect(env.cacheDir).toBe(saved.cacheDir);
      expect(await applyHubSettings({ endpoint: hub.endpoint, cacheDir: tmp })).toBe(`${hub.endpoint}/`);
      const tok = await loadTokenizer('mirror-org/tok', { cacheDir: tmp });
      expect(tok.encode('Hello there.').length).toBeGreaterThan(1);
      expect(hub.served('mirror-org/tok')).toContain('tokenizer.json');
      // once cached, the tokenizer loads without asking the mirror anything (transformers.js's own check included)
      await applyHubSettings({ endpoint: gone.endpoint });
      const cached = await loadTokenizer('mirror-org/tok', { cacheDir: tmp });
      expect(cached.encode('Hello there.')).toEqual(tok.encode('Hello there.'));
      expect(gone.requests).toEqual([]);
    } finally {
      Object.assign(env, saved);
      await hub.close();
      await gone.close();
    }
  });
});
