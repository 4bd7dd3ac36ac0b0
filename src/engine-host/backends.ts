import type { BackendConfig } from '../shared/protocol.js';
import { BackendError, type Backend } from '../engine/backend.js';
import type { Tokenizer } from '../engine/tokenizer.js';

/** Creates the backend a client asked for. Backends are imported lazily: they are heavy. */
export async function createBackend(config: BackendConfig, _tokenizer: Tokenizer, _options: { cacheDir?: string } = {}): Promise<Backend> {
  throw new BackendError('model-unavailable', `no ${config.kind} backend is available in this build`);
}
