import { describe, expect, it } from 'vitest';
import { httpFailure } from './failure.js';

const res = (status: number, statusText: string, headers: Record<string, string> = {}) => ({ status, statusText, headers: new Headers(headers) });
const where = 'http://h/v1/chat/completions (model "m")';

describe('httpFailure', () => {
  it('classifies statuses and carries Retry-After', () => {
    const limited = httpFailure(res(429, 'Too Many Requests', { 'retry-after': '3' }), '', where, true);
    expect(limited).toMatchObject({ code: 'rate-limited', retryable: true, retryAfterMs: 3000 });
    expect(limited.message).toBe(`${where} is rate-limiting requests (HTTP 429 Too Many Requests)`);
    expect(httpFailure(res(502, 'Bad Gateway'), 'upstream down', where, true)).toMatchObject({ code: 'http', retryable: true, retryAfterMs: undefined });
    expect(httpFailure(res(400, ''), '{"error":{"message":"bad messages"}}', where, true)).toMatchObject({
      code: 'http',
      retryable: false,
      message: `${where} rejected the request with HTTP 400: bad messages`,
    });
  });

  it('hints at a missing API key on 401', () => {
    expect(httpFailure(res(401, 'Unauthorized'), '', where, false).message).toBe(`${where} rejected the request with HTTP 401 Unauthorized (no API key is set)`);
    expect(httpFailure(res(401, 'Unauthorized'), '', where, true).message).not.toContain('no API key');
  });

  it('turns into a BackendError with a suffix', () => {
    const err = httpFailure(res(503, 'Service Unavailable'), '', where, true).toError(' (gave up after 3 retries)');
    expect(err).toMatchObject({ name: 'BackendError', code: 'http', retryable: true });
    expect(err.message).toBe(`${where} failed with HTTP 503 Service Unavailable (gave up after 3 retries)`);
  });
});
