export { createLocalBackend, LocalBackend } from './localBackend.js';
export { DEFAULT_CHAT_DTYPE, DEFAULT_CHAT_MODEL, DEFAULT_EMBEDDING_MODEL, MIN_REUSE_TOKENS, type LocalBackendOptions } from './options.js';
export { isLocalPath } from './load.js';
export { StreamDecoder } from './streamDecoder.js';
export type { LocalGenerateResult } from './types.js';
