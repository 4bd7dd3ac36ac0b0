/**
 * The protocol's schemas now live in protocol.ts beside their `z.infer` types (one source). This module
 * only re-exports them for its remaining importers; import from protocol.ts in new code.
 */
export {
  BackendConfigSchema,
  COMMAND_TYPES,
  EngineCommandSchema,
  EngineConfigDataSchema,
  EngineEventSchema,
  EventBatchSchema,
  firstIssue,
  HostEventSchema,
  NoticeSchema,
  ServerCommandSchema,
} from './protocol.js';
