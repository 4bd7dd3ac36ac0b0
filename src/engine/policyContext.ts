import type { EngineParts } from './engineParts.js';
import type { PolicyContext, PolicyParams } from './policies/index.js';
import { summarize } from './summaryStep.js';

/** What the policies see of an engine: its ledger and settings, and the ways tokens may leave the context. */
export function createPolicyContext(p: EngineParts): PolicyContext {
  const { ledger, config, tokenizer, evictor } = p;
  return {
    ledger,
    get params(): PolicyParams {
      return { probes: config.probes, summaryInterval: config.summaryInterval, summaryGate: config.summaryGate, weights: config.weights };
    },
    get maxTokens() {
      return config.maxTokens;
    },
    get window() {
      return config.window;
    },
    evictFront: evictor.evictFront,
    evictRange: evictor.evictRange,
    evictSpans: evictor.evictSpans,
    decode: (ids) => tokenizer.decode(ids),
    encode: (text) => tokenizer.encode(text),
    summaryText: () => (ledger.summary ? p.messages[ledger.summary.messageId].content : undefined),
    summarize: (spans, text, info) => summarize(p, spans, text, info),
    state: new Map<string, unknown>(),
    warn: (code, message) => p.emit({ type: 'warning', turn: p.book.turn, code, message }),
    timeUp: () => p.clock() > p.deadline,
    report: (event) => p.emit({ ...event, turn: p.book.turn }),
  };
}
