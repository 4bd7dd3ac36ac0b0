import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHubServer } from '../testing/hubServer.js';
import { tinyLlamaDir } from '../testing/testModels.js';
import { applyHubEndpoint, hubRemoteHost } from './hubEndpoint.js';
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
    const saved = { remoteHost: env.remoteHost, remotePathTemplate: env.remotePathTemplate };
    const hub = await startHubServer({ 'mirror-org/tok': tinyLlamaDir() });
    try {
      expect(await applyHubEndpoint({})).toBeUndefined();
      expect(env.remoteHost).toBe(saved.remoteHost);
      expect(await applyHubEndpoint({ HF_ENDPOINT: hub.endpoint })).toBe(`${hub.endpoint}/`);
      const tok = await loadTokenizer('mirror-org/tok', { cacheDir: tmp });
      expect(tok.encode('Hello there.').length).toBeGreaterThan(1);
      expect(hub.requests.filter((r) => r.status === 200).map((r) => r.path)).toContain('/mirror-org/tok/resolve/main/tokenizer.json');
    } finally {
      Object.assign(env, saved);
      await hub.close();
    }
  });
});
