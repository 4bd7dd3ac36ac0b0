import type { BackendConfig } from '../shared/protocol.js';
import { BackendError, type Backend, type DownloadProgress } from '../engine/backend.js';
import type { Tokenizer } from '../engine/core/tokenizer.js';

export interface BackendFactoryOptions {
  /** Where downloaded models are cached. */
  cacheDir?: string;
  onProgress?: (p: DownloadProgress) => void;
}

/** Creates the backend a client asked for. Backends are imported lazily: they are heavy. */
export async function createBackend(config: BackendConfig, tokenizer: Tokenizer, options: BackendFactoryOptions = {}): Promise<Backend> {
  switch (config.kind) {
    case 'openai': {
      // probes GET /v1/models first: an unreachable server is an error here, not a "connected" that fails at the first chat
      const { connectOpenAIBackend } = await import('../engine/backends/openai/openaiBackend.js');
      return connectOpenAIBackend({ baseUrl: config.baseUrl, model: config.model, apiKey: config.apiKey, tokenizer });
    }
    case 'local': {
      const { createLocalBackend } = await import('../engine/backends/local/index.js');
      return createLocalBackend({ model: config.model, cacheDir: options.cacheDir, onProgress: options.onProgress });
    }
    case 'none':
      throw new BackendError('model-unavailable', 'no backend selected');
  }
}
