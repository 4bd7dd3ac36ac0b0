import type { Backend, GenerateResult } from './backend.js';
import type { BuiltContext } from './core/contextBuilder.js';
import type { MessageRecord } from './engineTypes.js';

/** The slice of the engine a chat turn needs (kept narrow so engine.ts stays small). */
export interface ChatEngine {
  ingest(input: { role: 'user' | 'assistant'; content: string }): Promise<{ message: MessageRecord; context?: BuiltContext }>;
  contextMessages(built: BuiltContext): { role: MessageRecord['role']; content: string }[];
  finishTurn(): unknown;
}

export interface ChatOptions {
  maxNewTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
  onToken?: (text: string) => void;
  /** Called once the user's message is in the ledger, before generation starts. */
  onUserMessage?: (message: MessageRecord, context: BuiltContext) => Promise<void> | void;
}

export interface ChatTurn {
  user: MessageRecord;
  /** The reply, unless it was cancelled or empty: a partial reply is never appended. */
  reply?: MessageRecord;
  context: BuiltContext;
  result: GenerateResult;
}

/**
 * One chat turn: append the user message (policy + context build), generate through the backend
 * while streaming tokens, then append the reply and apply the policy again. A failed generation
 * rejects with the backend's error; the user's message stays in the conversation.
 */
export async function chatTurn(engine: ChatEngine, backend: Backend, content: string, options: ChatOptions = {}): Promise<ChatTurn> {
  const { message: user, context } = await engine.ingest({ role: 'user', content });
  if (!context) throw new Error('no context was built for the user message');
  await options.onUserMessage?.(user, context);
  let result: GenerateResult;
  try {
    result = await backend.generate({
      messages: engine.contextMessages(context),
      maxNewTokens: options.maxNewTokens ?? 512,
      temperature: options.temperature ?? 0,
      signal: options.signal,
      onToken: options.onToken,
    });
  } catch (err) {
    engine.finishTurn();
    throw err;
  }
  const reply = result.finishReason !== 'cancelled' && result.text.length > 0 ? (await engine.ingest({ role: 'assistant', content: result.text })).message : undefined;
  engine.finishTurn();
  return { user, reply, context, result };
}
