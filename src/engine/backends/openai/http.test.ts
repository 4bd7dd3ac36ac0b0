import { describe, expect, it } from 'vitest';
import { chatCompletionsUrl, modelsUrl, networkErrorText, serverErrorText } from './http.js';

describe('chatCompletionsUrl', () => {
  it('accepts a base URL with or without a trailing slash, /v1 or the full path', () => {
    const want = 'http://127.0.0.1:8080/v1/chat/completions';
    for (const base of ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/', 'http://127.0.0.1:8080/v1', 'http://127.0.0.1:8080/v1/', ' http://127.0.0.1:8080/v1/chat/completions ']) {
      expect(chatCompletionsUrl(base), base).toBe(want);
    }
    expect(chatCompletionsUrl('https://example.com/proxy/openai/v1')).toBe('https://example.com/proxy/openai/v1/chat/completions');
  });

  it('rejects what is not an http(s) URL', () => {
    expect(() => chatCompletionsUrl('localhost:8080')).toThrow(/invalid OpenAI base URL "localhost:8080"/);
    expect(() => chatCompletionsUrl('not a url')).toThrow(TypeError);
  });
});

describe('modelsUrl', () => {
  it('lists models beside chat/completions, whichever way the base URL was written', () => {
    const want = 'http://127.0.0.1:8080/v1/models';
    for (const base of ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/v1/', 'http://127.0.0.1:8080/v1/chat/completions', 'http://127.0.0.1:8080/v1/models']) {
      expect(modelsUrl(base), base).toBe(want);
    }
    expect(modelsUrl('https://example.com/proxy/openai/v1')).toBe('https://example.com/proxy/openai/v1/models');
    expect(() => modelsUrl('ftp://example.com')).toThrow(/only http and https/);
  });
});

describe('serverErrorText', () => {
  it('reads OpenAI-style and looser error bodies', () => {
    const openai = { error: { message: 'Incorrect API key provided: sk-bad.', type: 'invalid_request_error', code: 'invalid_api_key' } };
    expect(serverErrorText(JSON.stringify(openai))).toBe('Incorrect API key provided: sk-bad. (invalid_api_key)');
    expect(serverErrorText('{"error":"model not found"}')).toBe('model not found');
    expect(serverErrorText('{"detail":"Not Found"}')).toBe('Not Found');
    expect(serverErrorText('<html>\n  <body>Bad   Gateway</body>\n</html>')).toBe('<html> <body>Bad Gateway</body> </html>');
    expect(serverErrorText('x'.repeat(1000)).length).toBe(300);
  });
});

describe('networkErrorText', () => {
  it('digs the socket error out of fetch failed', () => {
    const err = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    expect(networkErrorText(err)).toBe('connect ECONNREFUSED 127.0.0.1:9');
  });
});
