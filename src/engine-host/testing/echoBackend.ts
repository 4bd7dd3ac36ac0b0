import type { Backend, GenerateResult } from '../../engine/backend.js';

/** A server-like backend that answers every turn with the same reply and reports the usage given. */
export function echoBackend(model: string, answer: Pick<GenerateResult, 'finishReason' | 'promptTokens' | 'completionTokens'>): Backend {
  return {
    kind: 'openai',
    model,
    tokenizer: undefined as never,
    capabilities: { logits: false, embeddings: false, kvReuse: false },
    async generate() {
      return { text: 'Noted, and filed with the rest of the week.', ...answer, usageSource: 'server', timings: { firstTokenMs: 0, totalMs: 0 } };
    },
    async dispose() {},
  };
}
