import type { FactsEvent, FactState } from '../shared/protocol.js';
import { FLAG_FACT, FLAG_SENTENCE_START } from './core/tokenRing.js';
import type { RecalledSpan } from './core/ledger.js';
import type { EngineParts } from './engineParts.js';
import type { MessageRecord } from './engineTypes.js';
import { extractFacts, type FactRole, type FactStatement } from './facts/extract.js';
import { charOffsets, tokenScan, type TokenScan } from './facts/tokenScan.js';
import type { Complete, ModelFactsAnswer } from './facts/modelFacts.js';
import { holderRank, type Statement } from './facts/ledger.js';
import { sentenceFlags } from './core/boundaries.js';

const STATE_CODE: Record<FactState, string> = { context: 'c', held: 'h', evicted: 'e', recalled: 'r', forgotten: 'f' };

/** A sentence longer than this is not a fact's sentence (a pasted paragraph): not scanned, never held. */
const MAX_FACT_SENTENCE = 64;

/**
 * Calls fn(from, to, text) for each sentence of a message a fact may be in (sentence flags as the ledger has
 * them; with a token `scan`, the sentences it lets through): the text sliced from the message where its
 * tokens' offsets are known, decoded otherwise.
 */
function forEachSentence(p: EngineParts, ids: Int32Array, flags: Uint8Array, content: string, fn: (from: number, to: number, text: string) => void, scan?: TokenScan): void {
  const n = ids.length;
  let offsets: Int32Array | undefined | null = null; // computed for the first sentence read
  for (let a = 0; a < n; ) {
    let b = a + 1;
    while (b < n && (flags[b] & FLAG_SENTENCE_START) === 0) b++;
    if (b - a <= MAX_FACT_SENTENCE && (!scan || scan.mayState(a, b))) {
      if (offsets === null) offsets = scan ? scan.charOffsets(content) : charOffsets(p.tokenizer, ids, content);
      fn(a, b, offsets ? content.slice(offsets[a], offsets[b]) : p.tokenizer.decode(ids.subarray(a, b)));
    }
    a = b;
  }
}

/** Records fact f, stated by tokens [from, to) of the message, and evicts the statement it supersedes. */
function addFact(p: EngineParts, message: MessageRecord, f: FactStatement, from: number, to: number, text: string, source: Statement['source']): void {
  const { holder, attribute, label, value, update, retracts, cue } = f;
  const { superseded } = p.facts.add({ holder, attribute, label, value, update, retracts, cue, messageId: message.id, turn: message.turn, from, to, startPos: message.startPos + from, text: text.trim(), source });
  if (superseded) evictStatement(p, superseded, `superseded by #${message.id}: ${superseded.label} ${superseded.value} → ${f.retracts ? 'no longer' : f.value}`);
}

/**
 * Finds the facts a new message states, one sentence at a time, records them in the fact ledger and
 * evicts the statements they supersede.
 */
export function scanFacts(p: EngineParts, message: MessageRecord, ids: Int32Array, flags: Uint8Array): void {
  // the rules' two checks, on the tokens first: only a sentence that may pass them is cut out and read
  forEachSentence(
    p,
    ids,
    flags,
    message.content,
    (from, to, text) => {
      for (const f of extractFacts(text, message.role as FactRole)) addFact(p, message, f, from, to, text, 'rules');
    },
    tokenScan(p.tokenizer, ids),
  );
}

/**
 * scanFacts with the model's facts too (ingestAsync, when a model with completions is connected): the
 * model reads the message's sentences (askModelForFacts: prompted JSON, schema-checked, grounded); each
 * fact it finds that the rules did not find in the same sentence (same holder and attribute) is added
 * after the rules' facts of that sentence, with source 'model', so the ledger stays in position order.
 * A failed answer is one 'model-step-failed' warning and the rules' facts alone. The model's time is the
 * turn's modelMs, the rest policyMs as in scanFacts.
 */
export async function scanFactsWithModel(p: EngineParts, message: MessageRecord, complete: Complete): Promise<void> {
  const { clock, profiler, tokenizer } = p;
  const role = message.role as FactRole;
  let t0 = clock();
  const ids = tokenizer.encode(message.content);
  const sentences: { from: number; to: number; text: string }[] = [];
  forEachSentence(p, ids, sentenceFlags(ids, (t) => tokenizer.decodeToken(t)), message.content, (from, to, text) => sentences.push({ from, to, text }));
  p.book.current.policyMs += clock() - t0;
  let answer: ModelFactsAnswer = { ok: true, facts: [], dropped: [] };
  if (sentences.length > 0) {
    profiler.begin('model:facts');
    t0 = clock();
    try {
      // loaded on first use: its zod schema pulls zod into every start otherwise (~45 ms of a cold replay)
      const { askModelForFacts } = await import('./facts/modelFacts.js');
      answer = await askModelForFacts(complete, sentences.map((s) => s.text), role);
    } finally {
      const current = p.book.current;
      current.modelMs = (current.modelMs ?? 0) + (clock() - t0);
      profiler.end();
    }
  }
  if (!answer.ok) p.emit({ type: 'warning', turn: p.book.turn, code: 'model-step-failed', message: `facts: ${answer.reason}; the rules' facts are kept` });
  const byModel = answer.ok ? answer.facts : [];
  t0 = clock();
  profiler.measure('facts', () =>
    sentences.forEach(({ from, to, text }, i) => {
      const rules = extractFacts(text, role);
      for (const f of rules) addFact(p, message, f, from, to, text, 'rules');
      for (const { index, fact } of byModel) {
        if (index === i && !rules.some((r) => r.holder === fact.holder && r.attribute === fact.attribute)) addFact(p, message, fact, from, to, text, 'model');
      }
    }),
  );
  p.book.current.policyMs += clock() - t0;
}

/** Where statement s's sentence is: its window ring index (all of it there), or its held/recalled span. */
function locate(p: EngineParts, s: Statement): { at: number } | { span: RecalledSpan } | undefined {
  const len = s.to - s.from;
  const ring = p.ledger.window;
  const at = ring.indexOfPos(s.startPos);
  if (at >= 0 && at + len <= ring.length && ring.pos(at + len - 1) === s.startPos + len - 1) return { at };
  for (const span of p.ledger.recalled) if (span.startPos <= s.startPos && span.startPos + span.ids.length >= s.startPos + len) return { span };
  return undefined;
}

/**
 * Takes a statement's sentence out of the context (superseded or forgotten): from the window as a
 * 'superseded' eviction, or its held or recalled span.
 */
export function evictStatement(p: EngineParts, s: Statement, detail: string): void {
  const where = locate(p, s);
  if (!where) return;
  // indexed for recall like any evicted sentence: the fact ledger's `blocks` keeps recall from bringing it back
  if ('at' in where) return p.evictor.evictRange(where.at, where.at + (s.to - s.from), 'superseded', detail);
  const usedBefore = p.ledger.used();
  const gone = p.ledger.releaseRecalled((r) => r !== where.span);
  p.evictor.expireRecalled(gone, detail, usedBefore, 'facts', 'superseded');
}

/**
 * What the facts share may hold: pinned facts always, then facts the conversation revised (restated with a
 * new value, or stated as an update: the ones whose latest value matters), then the user's own, the
 * assistant's, other people's; newest first.
 */
function ranked(p: EngineParts): Statement[] {
  const { facts } = p;
  const live: Statement[] = [];
  for (const s of facts.latest.values()) if (facts.isLive(s) && !s.retracts && s.to - s.from <= MAX_FACT_SENTENCE) live.push(s);
  const pinned = (s: Statement): number => (facts.pinned.has(s.key) ? 1 : 0);
  const revised = (s: Statement): number => (s.update || facts.revised.has(s.key) ? 1 : 0);
  return live.sort((a, b) => pinned(b) - pinned(a) || revised(b) - revised(a) || holderRank(b.holder) - holderRank(a.holder) || Number(b.cue) - Number(a.cue) || b.startPos - a.startPos);
}

/** The facts share's cap in tokens. */
const shareTokens = (p: EngineParts): number => Math.floor(p.config.factShare * p.config.maxTokens);

/**
 * Keeps the live facts' sentences in the context under the facts share (factShare × maxTokens): the best
 * ranked that are still in the context are held (moved out of the window, where no policy evicts them),
 * the rest released (back into the window, under the policy); a pinned fact is held whatever the share,
 * and brought back from its message when it was evicted.
 */
function keepFacts(p: EngineParts): void {
  const cap = shareTokens(p);
  const want = new Set<number>();
  let total = 0;
  for (const s of ranked(p)) {
    const cost = s.to - s.from;
    const pinned = p.facts.pinned.has(s.key);
    if (!pinned && total + cost > cap) continue;
    const where = locate(p, s);
    if (!where && !pinned) continue;
    want.add(s.id);
    total += cost;
  }
  release(p, want);
  for (const id of want) hold(p, p.facts.statements[id]);
  p.facts.keptAt = { version: p.facts.version, cap };
}

/** Runs keepFacts when the ledger or the share changed since it last ran (otherwise it would do nothing). */
export function keepFactsIfChanged(p: EngineParts): void {
  const { facts } = p;
  const kept = facts.keptAt;
  if (kept.version === facts.version && kept.cap === shareTokens(p)) return;
  keepFacts(p);
}

/**
 * Held spans no longer wanted go back into the window at their positions: under the policy again, as if the
 * share had never held them (the policy that runs next may evict them, with its reason).
 */
function release(p: EngineParts, want: Set<number>): void {
  const { ledger } = p;
  if (ledger.heldTokens === 0) return;
  const heldIds = new Map<RecalledSpan, number>();
  for (const span of ledger.recalled) {
    if (!span.held) continue;
    for (const s of p.facts.overlapping(span.startPos, span.startPos + span.ids.length)) if (s.startPos === span.startPos) heldIds.set(span, s.id);
  }
  const gone = ledger.releaseRecalled((r) => !r.held || want.has(heldIds.get(r) ?? -1));
  for (const r of gone) ledger.insertWindow(r.messageId, r.startPos, r.ids, r.flags);
}

/** Holds statement s's sentence: moved out of the window, or brought back from its message (a pinned fact). */
function hold(p: EngineParts, s: Statement): void {
  const { ledger } = p;
  const where = locate(p, s);
  if (where && 'span' in where) return; // held or recalled already: in the context
  const len = s.to - s.from;
  let ids: Int32Array;
  let flags: Uint8Array;
  if (where) {
    const ring = ledger.window;
    ids = ring.ids(where.at, where.at + len);
    flags = new Uint8Array(len);
    for (let k = 0; k < len; k++) flags[k] = ring.flags(where.at + k) | FLAG_FACT;
    ledger.evictRange(where.at, where.at + len);
  } else {
    const m = p.messages[s.messageId];
    const all = p.tokenizer.encode(m.content);
    ids = all.slice(s.from, s.to);
    flags = sentenceFlags(all, (t) => p.tokenizer.decodeToken(t)).slice(s.from, s.to);
    for (let k = 0; k < len; k++) flags[k] |= FLAG_FACT;
    p.book.stats.tokensEvicted -= len;
  }
  ledger.addRecalled({ recallId: -1, messageId: s.messageId, from: s.from, to: s.to, startPos: s.startPos, ids, flags, held: true });
}

/** Where a fact's latest statement is now. */
export function factState(p: EngineParts, s: Statement): FactState {
  const where = locate(p, s);
  if (!where) return 'evicted';
  if ('at' in where) return 'context';
  return where.span.held ? 'held' : 'recalled';
}

export function factsEvent(p: EngineParts, maxRows?: number): FactsEvent {
  const { facts, ledger } = p;
  return {
    type: 'facts',
    turn: p.book.turn,
    rows: facts.rows((s) => factState(p, s), maxRows),
    total: facts.latest.size,
    superseded: facts.superseded,
    heldTokens: ledger.heldTokens,
    shareTokens: shareTokens(p),
  };
}

/** Every fact's state, one letter each: what the last facts event showed, to compare with. */
function stateCodes(p: EngineParts): string {
  let states = '';
  for (const s of p.facts.latest.values()) states += STATE_CODE[factState(p, s)];
  return states;
}

/**
 * A restored ledger is as the saved engine last reported it (its client got that event before the save):
 * the next facts event comes when something changes, as it would have in the original engine.
 */
export function factsRestored(p: EngineParts): void {
  const { facts } = p;
  facts.keptAt = { version: facts.version, cap: shareTokens(p) };
  facts.emitted = { version: facts.version, states: stateCodes(p) };
}

/**
 * Emits the facts event when the ledger changed or a fact's state did (a policy evicted a sentence) since
 * the last one: the Facts view always shows the states as they are.
 */
export function emitFacts(p: EngineParts): void {
  const { facts } = p;
  if (facts.statements.length === 0) return;
  const states = stateCodes(p);
  if (facts.emitted.version === facts.version && facts.emitted.states === states) return;
  facts.emitted = { version: facts.version, states };
  p.emit(factsEvent(p));
}
