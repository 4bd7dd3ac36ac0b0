import { BackendError, type BackendErrorCode } from '../../backend.js';
import { serverErrorText } from './http.js';
import { parseRetryAfter } from './retry.js';

/** A failed attempt, before we know whether it will be retried. */
export class Failure {
  constructor(
    readonly code: BackendErrorCode,
    readonly message: string,
    readonly retryable: boolean,
    readonly cause?: unknown,
    readonly retryAfterMs?: number,
  ) {}
  toError(suffix = ''): BackendError {
    return new BackendError(this.code, this.message + suffix, { retryable: this.retryable, cause: this.cause });
  }
}

/**
 * The failure an HTTP error response means: 429 is 'rate-limited' and 5xx is 'http', both retryable
 * (with the server's Retry-After); other statuses are 'http' and final. Quotes the server's message.
 */
export function httpFailure(res: Pick<Response, 'status' | 'statusText' | 'headers'>, body: string, where: string, hasApiKey: boolean): Failure {
  const status = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  const detail = body.trim() ? `: ${serverErrorText(body)}` : '';
  const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
  if (res.status === 429) return new Failure('rate-limited', `${where} is rate-limiting requests (${status})${detail}`, true, undefined, retryAfter);
  if (res.status >= 500) return new Failure('http', `${where} failed with ${status}${detail}`, true, undefined, retryAfter);
  const hint = res.status === 401 && !hasApiKey ? ' (no API key is set)' : '';
  return new Failure('http', `${where} rejected the request with ${status}${detail}${hint}`, false);
}
