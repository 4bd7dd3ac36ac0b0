/**
 * The chat roles, on their own: the engine's hot modules (ledger, chat template, the JSONL reader) need
 * the list at run time, and importing it from the protocol would build every protocol schema at start-up.
 */
export const ROLES = ['system', 'user', 'assistant', 'tool'] as const;
export type Role = (typeof ROLES)[number];
