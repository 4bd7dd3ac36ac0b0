import { BackendError, type GenerateRequest, type GenerateResult } from '../../backend.js';
import type { Tokenizer } from '../../core/tokenizer.js';
import { Failure, httpFailure } from './failure.js';
import { networkErrorText, oneLine } from './http.js';
import { ReplyLimit } from './replyLimit.js';
import { backoffMs, type Sleep } from './retry.js';
import { consumeJson } from './nonStreamed.js';
import { consumeStream, type Completion } from './stream.js';

/** A server asking us to wait longer than this gets an error now rather than a silent long wait. */
export const MAX_RETRY_AFTER_MS = 60_000;

export interface GenerationConfig {
  url: string;
  /** "URL (model "x")", for messages. */
  where: string;
  model: string;
  apiKey?: string;
  tokenizer: Tokenizer;
  timeoutMs: number;
  idleTimeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  fetch: typeof fetch;
  sleep: Sleep;
}

/** Why a generation was aborted; the first reason wins. */
export type StopReason = 'cancel' | 'dispose' | 'first-byte' | 'idle';

/** One generate() call: attempts, retries with backoff, timeouts and cancellation. */
export class Generation {
  readonly #cfg: GenerationConfig;
  readonly #req: GenerateRequest;
  readonly #ctl = new AbortController();
  readonly #started = performance.now();
  readonly #c: Completion = { text: '', sawDone: false, cutOff: false };
  readonly #limit: ReplyLimit;
  #stop: StopReason | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #firstTokenAt: number | undefined;

  constructor(cfg: GenerationConfig, req: GenerateRequest) {
    this.#cfg = cfg;
    this.#req = req;
    this.#limit = new ReplyLimit(cfg.tokenizer, req.maxNewTokens);
  }

  stop(why: StopReason): void {
    if (this.#stop) return;
    this.#stop = why;
    clearTimeout(this.#timer);
    this.#ctl.abort();
  }

  async run(): Promise<GenerateResult> {
    const signal = this.#req.signal;
    if (signal?.aborted) return this.#result('cancelled');
    const onAbort = (): void => this.stop('cancel');
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (let attempt = 0; ; attempt++) {
        const outcome = await this.#attempt();
        if (!(outcome instanceof Failure)) return outcome;
        const retries = attempt === 0 ? '' : ` (gave up after ${attempt} ${attempt === 1 ? 'retry' : 'retries'})`;
        if (!outcome.retryable || this.#c.text !== '' || attempt >= this.#cfg.maxRetries) throw outcome.toError(retries);
        const { retryAfterMs } = outcome;
        if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) {
          throw outcome.toError(`; the server asks to retry after ${Math.ceil(retryAfterMs / 1000)} s`);
        }
        try {
          await this.#cfg.sleep(retryAfterMs ?? backoffMs(attempt, this.#cfg.retryBaseMs), this.#ctl.signal);
        } catch {
          // an injected sleep may reject when aborted; the stop reason below says what happened
        }
        const stopped = this.#stopped();
        if (stopped instanceof Failure) throw stopped.toError();
        if (stopped) return stopped;
      }
    } finally {
      clearTimeout(this.#timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async #attempt(): Promise<GenerateResult | Failure> {
    const { url, where, idleTimeoutMs } = this.#cfg;
    // Retries start only while no text has streamed (and nothing was cut off, which ends the generation),
    // so only the stream's end markers need resetting.
    Object.assign(this.#c, { finishReason: undefined, usage: undefined, sawDone: false });
    this.#arm('first-byte', this.#cfg.timeoutMs);
    try {
      let res: Response;
      try {
        res = await this.#cfg.fetch(url, { method: 'POST', headers: this.#headers(), body: this.#body(), signal: this.#ctl.signal });
      } catch (err) {
        return this.#stopped() ?? new Failure('connection', `cannot connect to ${where}: ${networkErrorText(err)}`, true, err);
      }
      if (!res.ok) return await this.#httpFailure(res);
      if (!res.body) return new Failure('bad-stream', `${where} answered with an empty body`, false);
      // a server that ignores stream: true answers with the whole chat.completion as JSON
      const consume = /json/i.test(res.headers.get('content-type') ?? '') ? consumeJson : consumeStream;
      try {
        await consume(res.body, this.#c, {
          where,
          onBytes: () => this.#arm('idle', idleTimeoutMs),
          admit: (piece) => this.#limit.admit(piece),
          onPiece: (piece) => this.#piece(piece),
          stopped: () => this.#stop !== undefined,
        });
      } catch (err) {
        const stopped = this.#stopped();
        if (stopped) return stopped;
        if (err instanceof BackendError) return new Failure(err.code, err.message, false, err.cause ?? err);
        return this.#dropped(`dropped the connection (${networkErrorText(err)})`, err);
      }
      const stopped = this.#stopped();
      if (stopped) return stopped;
      if (!this.#c.sawDone && this.#c.finishReason === undefined) return this.#dropped('ended the stream without [DONE] or a finish_reason');
      return this.#result(this.#c.finishReason === 'length' ? 'length' : 'stop');
    } finally {
      clearTimeout(this.#timer);
    }
  }

  #dropped(what: string, cause?: unknown): Failure {
    const n = this.#c.text.length;
    // Nothing reached the caller yet, so trying again cannot duplicate text.
    return new Failure('stream-dropped', `${this.#cfg.where} ${what} after ${n} characters of reply`, n === 0, cause);
  }

  async #httpFailure(res: Response): Promise<GenerateResult | Failure> {
    let body = '';
    try {
      body = await res.text();
    } catch (err) {
      const stopped = this.#stopped();
      if (stopped) return stopped;
      body = `(error body unreadable: ${networkErrorText(err)})`;
    }
    return httpFailure(res, body, this.#cfg.where, this.#cfg.apiKey !== undefined && this.#cfg.apiKey !== '');
  }

  /** What an abort means: a cancelled result, or the failure that caused it; undefined if not aborted. */
  #stopped(): GenerateResult | Failure | undefined {
    const { where, timeoutMs, idleTimeoutMs } = this.#cfg;
    switch (this.#stop) {
      case undefined:
        return undefined;
      case 'cancel':
        return this.#result('cancelled');
      case 'dispose':
        return new Failure('cancelled', `request to ${where} aborted: the backend was disposed`, false);
      case 'first-byte':
        return new Failure('timeout', `no response from ${where} within ${timeoutMs} ms`, false);
      case 'idle':
        return new Failure('timeout', `stream from ${where} stalled: no data for ${idleTimeoutMs} ms after ${this.#c.text.length} characters of reply`, false);
      default:
        return assertNever(this.#stop);
    }
  }

  #arm(why: 'first-byte' | 'idle', ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.stop(why), ms);
  }

  #piece(piece: string): void {
    this.#firstTokenAt ??= performance.now();
    try {
      this.#req.onToken?.(piece);
    } catch (err) {
      throw new BackendError('internal', `onToken callback threw: ${oneLine(String(err), 120)}`, { cause: err });
    }
  }

  #headers(): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
    if (this.#cfg.apiKey) headers.authorization = `Bearer ${this.#cfg.apiKey}`;
    return headers;
  }

  #body(): string {
    const { model } = this.#cfg;
    const { messages, temperature, maxNewTokens } = this.#req;
    return JSON.stringify({
      model,
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
      stream: true,
      stream_options: { include_usage: true },
      temperature,
      max_tokens: maxNewTokens,
    });
  }

  #result(finishReason: GenerateResult['finishReason']): GenerateResult {
    const { tokenizer } = this.#cfg;
    const { text, cutOff } = this.#c;
    // A server that ran past our limit counts tokens we did not keep (if it sent usage at all).
    const usage = cutOff ? undefined : this.#c.usage;
    let completionTokens = usage?.completionTokens ?? tokenizer.encode(text).length;
    // Whole-text and piece-by-piece counts can differ slightly; the limit is on the pieces' count.
    if (cutOff && this.#limit.maxTokens !== undefined) completionTokens = Math.min(completionTokens, this.#limit.tokens);
    const totalMs = performance.now() - this.#started;
    return {
      text,
      finishReason,
      promptTokens: usage?.promptTokens ?? tokenizer.countTokens(tokenizer.renderChat(this.#req.messages, true)),
      completionTokens,
      usageSource: usage ? 'server' : 'tokenizer',
      ...(usage?.cachedPromptTokens !== undefined ? { cachedPromptTokens: usage.cachedPromptTokens } : {}),
      timings: { firstTokenMs: this.#firstTokenAt === undefined ? totalMs : this.#firstTokenAt - this.#started, totalMs },
    };
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected stop reason ${String(x)}`);
}
