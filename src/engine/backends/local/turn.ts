import type { CacheReport, GenerateRequest, GenerateResult } from '../../backend.js';
import type { Tokenizer } from '../../core/tokenizer.js';
import type { KvCache } from './kvCache.js';
import type { LmRunner } from './lmRunner.js';
import { pickToken } from './sampling.js';
import { StreamDecoder } from './streamDecoder.js';
import type { LocalGenerateResult } from './types.js';

export interface TurnContext {
  runner: LmRunner;
  cache: KvCache;
  tokenizer: Tokenizer;
  stopIds: ReadonlySet<number>;
  random: () => number;
  /** Reuse the cached prefix; false recomputes every prompt from scratch. */
  reuse: boolean;
  /** A shorter common prefix counts as a miss (the prompt changed at its start). */
  minReuseTokens: number;
}

/** Reuses the longest cached prefix of the prompt, runs the rest, then decodes token by token. */
export async function runTurn(ctx: TurnContext, req: GenerateRequest): Promise<LocalGenerateResult> {
  const t0 = performance.now();
  const { cache, runner } = ctx;
  const { signal } = req;
  const prompt = ctx.tokenizer.encodeRendered(ctx.tokenizer.renderChat(req.messages, true));
  const common = ctx.reuse && runner.croppable ? cache.commonPrefix(prompt) : 0;
  const reused = common >= Math.max(1, ctx.minReuseTokens) ? common : 0;
  cache.crop(reused);
  const report: CacheReport = { hit: reused > 0, reusedTokens: reused, recomputedTokens: prompt.length - reused };

  const decoder = new StreamDecoder((ids) => ctx.tokenizer.decode(ids));
  const emit = (piece: string) => {
    if (piece) req.onToken?.(piece);
  };
  const completion: number[] = [];
  let firstTokenMs: number | undefined;
  let finishReason: GenerateResult['finishReason'] = 'length';
  let logits = signal?.aborted || req.maxNewTokens <= 0 ? undefined : await runner.extend(cache, prompt.subarray(reused), signal);
  if (signal?.aborted && !logits) finishReason = 'cancelled';
  while (logits) {
    const id = pickToken(logits, req.temperature ?? 0, ctx.random);
    firstTokenMs ??= performance.now() - t0;
    if (ctx.stopIds.has(id)) {
      finishReason = 'stop';
      break;
    }
    completion.push(id);
    emit(decoder.push(id));
    if (completion.length >= req.maxNewTokens) break;
    if (signal?.aborted) {
      finishReason = 'cancelled';
      break;
    }
    logits = await runner.extend(cache, [id]);
  }
  emit(decoder.flush());
  const totalMs = performance.now() - t0;
  return {
    text: decoder.text,
    finishReason,
    promptTokens: prompt.length,
    completionTokens: completion.length,
    usageSource: 'model',
    cache: report,
    timings: { firstTokenMs: firstTokenMs ?? totalMs, totalMs },
    completionIds: Int32Array.from(completion),
  };
}
