import type { TurnStats } from '../shared/protocol.js';
import { SentenceScanner } from './core/boundaries.js';
import type { Tokenizer } from './core/tokenizer.js';
import { buildStep } from './contextStep.js';
import type { EngineParts } from './engineParts.js';
import type { Ingested, MessageInput, MessageRecord } from './engineTypes.js';
import type { PolicyModel } from './policies/index.js';
import { applyPolicy, modelStep, recallStep } from './policyStep.js';
import { scanFacts, scanFactsWithModel } from './factsStep.js';

/** Closes the turn in progress (when anything happened in it) and emits its stats. */
export function finishTurn(p: EngineParts): TurnStats | undefined {
  const done = p.book.finish(p.ledger);
  if (done) p.emit({ type: 'stats', stats: { ...p.book.stats }, turn: done, byRole: p.ledger.byRole() });
  return done;
}

/** One sentence scanner per tokenizer: each token id's text is scanned once, whichever engine meets it first. */
const scanners = new WeakMap<Tokenizer, SentenceScanner>();

function scannerOf(tokenizer: Tokenizer): SentenceScanner {
  let scanner = scanners.get(tokenizer);
  if (!scanner) scanners.set(tokenizer, (scanner = new SentenceScanner((id) => tokenizer.decodeToken(id))));
  return scanner;
}

/** Sentence flags of the message being appended (the ledger copies them into its ring): one buffer, not one per message. */
let flagScratch = new Uint8Array(1024);

/**
 * Appends a message whose tokens are already known (tokenization is not timed here); a user message starts a turn.
 * `scan` false leaves its facts to the caller (scanFactsWithModel).
 */
export function appendTokens(p: EngineParts, input: MessageInput, ids: Int32Array, scan = true): MessageRecord {
  const { book, ledger, tokenizer } = p;
  if (input.role === 'user') {
    finishTurn(p);
    book.nextTurn();
  }
  const turn = book.turn;
  p.profiler.setTurn(turn);
  const pinned = input.pinned ?? (p.config.pinSystem && input.role === 'system');
  const { hits, misses } = tokenizer.decodeCache;
  const scanner = scannerOf(tokenizer);
  const cached = scanner.cached;
  if (flagScratch.length < ids.length) flagScratch = new Uint8Array(Math.max(ids.length, flagScratch.length * 2));
  const flags = flagScratch;
  scanner.flagsInto(ids, flags);
  // a token the scanner knows would have been a hit in the tokenizer's decode cache
  book.stats.anchorCacheHits += tokenizer.decodeCache.hits - hits + (scanner.cached - cached);
  book.stats.anchorCacheMisses += tokenizer.decodeCache.misses - misses;
  const startPos = ledger.nextPos;
  const id = ledger.addMessage(input.role, turn, pinned, ids, flags);
  const record: MessageRecord = { id, role: input.role, turn, content: input.content, pinned, tokens: ids.length, startPos };
  p.messages.push(record);
  book.stats.tokensSeen += ids.length;
  book.current.tokensIn += ids.length;
  p.emit({ type: 'messageAppended', turn, messageId: id, role: input.role, pinned, startPos, tokens: ids.length, content: input.content });
  // the facts it states (timed as policy work: what the engine keeps depends on them)
  if (!scan) return record;
  const t0 = p.clock();
  scanFacts(p, record, ids, flags);
  book.current.policyMs += p.clock() - t0;
  return record;
}

/** Tokenizes (timed) and appends a message. */
export function append(p: EngineParts, input: MessageInput, scan = true): MessageRecord {
  const t0 = p.clock();
  const ids = p.profiler.measure('tokenize', () => p.tokenizer.encode(input.content));
  const ms = p.clock() - t0;
  const record = appendTokens(p, input, ids, scan);
  p.book.current.tokenizeMs += ms;
  return record;
}

/** Profiler span names per role, made once (not a new string per message). */
const ingestSpans = new Map<string, string>();

function ingestSpan(role: string): string {
  let span = ingestSpans.get(role);
  if (span === undefined) ingestSpans.set(role, (span = `ingest:${role}`));
  return span;
}

/** One step of a replay or chat: append, apply the policy, and build the context for user messages. */
export function ingest(p: EngineParts, input: MessageInput): Ingested {
  return p.profiler.measure(ingestSpan(input.role), () => afterAppend(p, input, append(p, input)));
}

/**
 * `ingest` with the policy's async model step first (logit probes, embeddings, a summary), when
 * the policy has one and a model is given. A failing model step is reported as a warning and the
 * policy runs on what it has (its labelled fallbacks), so a model error never loses the message.
 * With the modelFacts setting on, a model with completions also reads the user's and the assistant's messages
 * for facts (scanFactsWithModel): one more completion per message, so it is off by default.
 */
export async function ingestAsync(p: EngineParts, input: MessageInput, model: PolicyModel | undefined): Promise<Ingested> {
  p.profiler.begin(ingestSpan(input.role));
  try {
    const complete = p.config.modelFacts && model?.complete && (input.role === 'user' || input.role === 'assistant') ? model.complete.bind(model) : undefined;
    const message = append(p, input, complete === undefined);
    if (complete) await scanFactsWithModel(p, message, complete);
    if (model && p.policy.prepare) await modelStep(p, model);
    return afterAppend(p, input, message);
  } finally {
    p.profiler.end();
  }
}

function afterAppend(p: EngineParts, input: MessageInput, message: MessageRecord): Ingested {
  applyPolicy(p);
  if (input.role === 'user' && p.config.recall) recallStep(p, input.content);
  return { message, context: input.role === 'user' ? buildStep(p) : undefined };
}
