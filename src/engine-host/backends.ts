import type { BackendConfig } from '../shared/protocol.js';
import { BackendError, type Backend } from '../engine/backend.js';
import type { Tokenizer } from '../engine/tokenizer.js';

/** Creates the backend a client asked for. Backends are imported lazily: they are heavy. */
export async function createBackend(config: BackendConfig, tokenizer: Tokenizer, _options: { cacheDir?: string } = {}): Promise<Backend> {
  switch (config.kind) {
    case 'openai': {
      const { createOpenAIBackend } = await import('../engine/backends/openai/openaiBackend.js');
      return createOpenAIBackend({ baseUrl: config.baseUrl, model: config.model, apiKey: config.apiKey, tokenizer });
    }
    case 'local':
      throw new BackendError('model-unavailable', `local models are not available in this build (asked for "${config.model}")`);
    case 'none':
      throw new BackendError('model-unavailable', 'no backend selected');
  }
}
