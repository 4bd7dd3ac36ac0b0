export {
  createLocalBackend,
  DEFAULT_CHAT_DTYPE,
  DEFAULT_CHAT_MODEL,
  DEFAULT_EMBEDDING_MODEL,
  LocalBackend,
  MIN_REUSE_TOKENS,
  type LocalBackendOptions,
} from './localBackend.js';
export { isLocalPath } from './load.js';
export { StreamDecoder } from './streamDecoder.js';
export type { LocalGenerateResult } from './types.js';
