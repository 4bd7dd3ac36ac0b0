import { sentenceFlags } from './core/boundaries.js';
import type { BookState } from './core/turnBook.js';
import type { EngineParts } from './engineParts.js';
import type { MessageRecord } from './engineTypes.js';
import type { RecallState } from './recall/recallController.js';
import type { FactLedgerState } from './facts/ledger.js';
import { factsRestored } from './factsStep.js';

export interface RestoredRun {
  messageId: number;
  from: number;
  ids: Int32Array;
  flags: Uint8Array;
}

/** An engine's state as a saved session holds it, decoded (formats/sessionState.ts reads it from a session). */
export interface EngineRestore extends BookState {
  /** Every message, rolling summaries included; ids count up from 0. */
  messages: MessageRecord[];
  /** The retained tokens, run by run in ledger order (`from` is the offset into the message's tokens); read once, after the messages. */
  runs: Iterable<RestoredRun>;
  /** Where the ledger's next token goes: a check that the messages add up. */
  nextPos: number;
  /** The recall index, when the session has one. */
  recall?: RecallState;
  /** The fact ledger, when the session has one. */
  facts?: FactLedgerState;
}

/**
 * Puts a saved state into a fresh engine's parts: messages and retained tokens into the ledger, the
 * counters into the book, then the recall index (its spans are cut from the restored messages).
 * Throws a one-line error when the state does not add up.
 */
export function restoreParts(p: EngineParts, state: EngineRestore): void {
  const { ledger } = p;
  state.messages.forEach((m, i) => {
    if (m.id !== i) throw new Error(`session message ids must count up from 0 (message ${i} has id ${m.id})`);
    ledger.restoreMessage(m.role, m.turn, m.startPos, m.tokens, m.summary === true);
  });
  for (const run of state.runs) ledger.restoreTokens(run.messageId, run.from, run.ids, run.flags);
  if (ledger.nextPos !== state.nextPos) throw new Error(`session ledger is inconsistent: next position ${state.nextPos}, messages end at ${ledger.nextPos}`);
  p.book.restore(state);
  p.messages.push(...state.messages);
  if (state.recall) restoreRecall(p, state.recall);
  if (state.facts) restoreFacts(p, state.facts);
}

/** The ledger as saved; its held spans came back with the retained tokens (FLAG_FACT), so the share is as it was. */
function restoreFacts(p: EngineParts, facts: FactLedgerState): void {
  for (const s of facts.statements) {
    const m = p.messages[s.messageId];
    if (!m || s.to > m.tokens || s.from > s.to) throw new Error(`session fact ${s.id} refers to tokens ${s.from}–${s.to} of message ${s.messageId}, which it does not have`);
  }
  p.facts.importState(facts);
  factsRestored(p);
}

function restoreRecall(p: EngineParts, recall: RecallState): void {
  const { messages, tokenizer } = p;
  p.recall.importState(recall, (id) => {
    const m = messages[id];
    if (!m || m.summary) throw new Error(`session recall span refers to message ${id}, which is not a conversation message`);
    const ids = tokenizer.encode(m.content);
    if (ids.length !== m.tokens) throw new Error(`message ${id} encodes to ${ids.length} tokens, the session says ${m.tokens}`);
    return { ids, flags: sentenceFlags(ids, (t) => tokenizer.decodeToken(t)) };
  });
}
