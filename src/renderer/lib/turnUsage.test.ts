import { describe, expect, it } from 'vitest';
import { emptyServerTotals } from '../../shared/view/serverUsage';
import { serverCacheBar, serverCacheText, usageBadge } from './turnUsage';

describe('usageBadge', () => {
  it("shows the server's prompt and reply tokens beside the engine's count, with its cached tokens", () => {
    const b = usageBadge({ backend: 'openai', enginePromptTokens: 1812, backendUsage: { promptTokens: 1820, completionTokens: 45, cachedPromptTokens: 1024 } });
    expect(b.label).toBe('prompt 1,812 engine · 1,820 server · reply 45 · 1,024 cached');
    expect(b.title).toBe(
      'The engine counts 1,812 prompt tokens in the context it built (chat template included). The server counts 1,820 prompt tokens and 45 reply tokens. It served 1,024 prompt tokens from its prompt cache.',
    );
  });

  it('says when a server reports usage without cached tokens', () => {
    const b = usageBadge({ backend: 'openai', enginePromptTokens: 9, backendUsage: { promptTokens: 10, completionTokens: 1 } });
    expect(b.label).toBe('prompt 9 engine · 10 server · reply 1');
    expect(b.title).toMatch(/1 reply token\. It did not report cached tokens \(usage\.prompt_tokens_details\.cached_tokens\)\.$/);
  });

  it("shows only the engine's count when the server reported no usage, and says so on hover", () => {
    const b = usageBadge({ backend: 'openai', enginePromptTokens: 1 });
    expect(b).toEqual({ label: 'prompt 1 engine', title: 'The engine counts 1 prompt token in the context it built (chat template included). The server reported no usage.' });
  });

  it("names a local model's own counts as the model's", () => {
    const b = usageBadge({ backend: 'local', enginePromptTokens: 30, backendUsage: { promptTokens: 30, completionTokens: 8 } });
    expect(b.label).toBe('prompt 30 engine · 30 model · reply 8');
    expect(b.title).toBe('The engine counts 30 prompt tokens in the context it built (chat template included). The model counts 30 prompt tokens and 8 reply tokens.');
  });
});

describe('serverCacheText', () => {
  const totals = (t: Partial<ReturnType<typeof emptyServerTotals>>) => ({ ...emptyServerTotals(), ...t });

  it('says nothing before a server turn, and says plainly what the server does not report', () => {
    expect(serverCacheText(emptyServerTotals())).toBeUndefined();
    expect(serverCacheText(totals({ turns: 1 }))).toBe('Server prompt cache: not reported (the server reported no usage on 1 server turn)');
    expect(serverCacheText(totals({ turns: 5, withUsage: 5 }))).toBe(
      'Server prompt cache: not reported (the server does not report cached tokens, usage.prompt_tokens_details.cached_tokens, on 5 server turns)',
    );
  });

  it('gives the share of prompt tokens served from the cache over the turns that report it', () => {
    expect(serverCacheText(totals({ turns: 2, withUsage: 2, withCached: 2, promptTokens: 4000, cachedTokens: 1000 }))).toBe('Server prompt cache: 25.0% of prompt tokens cached (1,000 of 4,000 over 2 turns)');
    expect(serverCacheText(totals({ turns: 3, withUsage: 3, withCached: 1, promptTokens: 100, cachedTokens: 0 }))).toBe(
      'Server prompt cache: 0.0% of prompt tokens cached (0 of 100 over 1 turn); 2 of 3 server turns did not report it',
    );
  });
});

describe('serverCacheBar', () => {
  it('splits a reported prompt into cached and uncached, and shows an unreported one whole', () => {
    expect(serverCacheBar({ turn: 3, enginePromptTokens: 90, promptTokens: 100, completionTokens: 5, cachedTokens: 64 })).toEqual({ turn: 3, cached: 64, uncached: 36, unreported: 0 });
    expect(serverCacheBar({ turn: 4, enginePromptTokens: 90, promptTokens: 100, completionTokens: 5 })).toEqual({ turn: 4, cached: 0, uncached: 0, unreported: 100 });
    expect(serverCacheBar({ turn: 5, enginePromptTokens: 90 })).toEqual({ turn: 5, cached: 0, uncached: 0, unreported: 90 });
  });
});
