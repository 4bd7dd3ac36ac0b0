import type { SummaryGate } from '../shared/protocol.js';
import { FLAG_MESSAGE_START, FLAG_SENTENCE_START, FLAG_SUMMARY } from './core/tokenRing.js';
import type { EngineParts } from './engineParts.js';
import type { MessageRecord } from './engineTypes.js';

export interface SummaryInfo {
  method: 'model' | 'extractive';
  fallback?: string;
  gate: SummaryGate;
  sourceTokens: number;
}

/**
 * The rolling-summary step (a policy's `ctx.summarize`): a summary message stands in for window
 * spans (ascending, disjoint ring ranges) and for the previous summary, if any. The spans leave as
 * 'summarized', the summary goes where the first of them was, and a summary event says how it was
 * made and how it did on the QA gate.
 */
export function summarize(p: EngineParts, spans: readonly { from: number; to: number }[], text: string, info: SummaryInfo): void {
  const { ledger, book, evictor } = p;
  const turn = book.turn;
  const ring = ledger.window;
  const previous = ledger.summary;
  const startPos = previous ? previous.startPos : spans.length > 0 ? ring.pos(spans[0].from) : ledger.nextPos;
  const endPos = spans.length > 0 ? ring.pos(spans[spans.length - 1].to - 1) + 1 : (previous?.startPos ?? startPos);
  const usedBefore = ledger.used();
  const content = `Summary of the earlier conversation: ${text}`;
  const ids = p.tokenizer.encode(content);
  const id = ledger.addDetachedMessage('system', turn, startPos, ids.length);
  const record: MessageRecord = { id, role: 'system', turn, content, pinned: false, tokens: ids.length, startPos, summary: true };
  p.messages.push(record);
  p.emit({ type: 'messageAppended', turn, messageId: id, role: 'system', pinned: false, startPos, tokens: ids.length, content, summary: true });
  const label = `summary #${id} (${info.method}${info.fallback ? ', fallback' : ''}; gate ${info.gate.found}/${info.gate.checked} facts found in the source)`;
  if (previous) {
    ledger.removeSummary();
    evictor.expireSummary(previous, `the previous summary was folded into ${label}`);
  }
  evictor.evictSpans(spans.map((sp) => ({ ...sp, detail: `summarized into ${label}` })), 'summarized');
  const flags = new Uint8Array(ids.length).fill(FLAG_SUMMARY);
  if (flags.length > 0) flags[0] |= FLAG_SENTENCE_START | FLAG_MESSAGE_START;
  ledger.setSummary({ messageId: id, startPos, ids, flags });
  const budget = { maxTokens: p.config.maxTokens, usedBefore, usedAfter: ledger.used() };
  p.emit({ type: 'summary', turn, seq: book.nextSeq(), messageId: id, startPos, endPos, sourceTokens: info.sourceTokens, tokens: ids.length, method: info.method, ...(info.fallback ? { fallback: info.fallback } : {}), gate: info.gate, text: content, budget });
}
