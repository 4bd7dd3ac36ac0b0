import type { SummaryGate } from '../../shared/protocol.js';
import { extractSalient, salience } from './salientFacts.js';
import { knapsackBounded } from './knapsack.js';
import { candidateSpans, keepMostValuable, olderSentences, recencyOf, ringRanges, chooseSpans, spanTrack, SPAN_MAX_CELLS, type Span } from './spanValue.js';
import { PolicyTimeout, type Policy, type PolicyContext, type PolicyModel } from './types.js';

/** The summary may take at most this share of the budget, and at most half of what it summarizes. */
export const SUMMARY_SHARE = 0.3;
/** Summaries start once the context is this full (an emptier context loses nothing by waiting). */
const SUMMARIZE_FROM = 0.5;
const PREFIX = 'Summary of the earlier conversation: ';

interface SummaryState {
  /** ledger.nextPos when the last summary was made. */
  lastAt: number;
  /**
   * The sentences of the current summary, as chosen (re-splitting text would cut "Dr." or "3.5"), what
   * each encodes to alone once known (sparse), and its salience at that cost once scored (sparse):
   * the next summary weighs them again, and they do not change.
   */
  sentences?: { messageText: string; list: string[]; costs?: number[]; sal?: number[] };
  /** A model summary prepared for this source (see `signature`). */
  pending?: { signature: string; text: string; model: string };
  /** Why the model could not summarize this source. */
  failed?: { signature: string; reason: string };
}

function summaryState(ctx: PolicyContext): SummaryState {
  let s = ctx.state.get('summary') as SummaryState | undefined;
  if (!s) ctx.state.set('summary', (s = { lastAt: lastSummaryAt(ctx) }));
  return s;
}

/**
 * Where the conversation ended when the summary in the context was made (0 without one): a summary message
 * is added right after the message whose turn made it, so that message's end. A restored session's engine
 * starts its summary interval where the saved one was, instead of summarizing at once.
 */
function lastSummaryAt(ctx: PolicyContext): number {
  const { ledger } = ctx;
  const id = ledger.summary?.messageId;
  if (id === undefined || id === 0) return 0;
  return ledger.messageStart(id - 1) + ledger.messageTokens(id - 1);
}

interface Due {
  spans: Span[];
  /** Source text: the previous summary (without its prefix) and then the spans, in order. */
  previous: string;
  texts: string[];
  sourceTokens: number;
  cap: number;
  signature: string;
}

/** The oldest half of the candidate sentences, when a summary is due (every summaryInterval new tokens). */
function due(ctx: PolicyContext): Due | undefined {
  const st = summaryState(ctx);
  const { ledger } = ctx;
  if (ledger.nextPos - st.lastAt < ctx.params.summaryInterval || ledger.used() < SUMMARIZE_FROM * ctx.maxTokens) return undefined;
  const candidates = candidateSpans(ctx);
  let total = 0;
  for (const sp of candidates) total += sp.tokens;
  let count = 0;
  let taken = 0;
  while (count < candidates.length && taken < total / 2) taken += candidates[count++].tokens;
  if (count === 0) return undefined;
  const chosen = candidates.slice(0, count);
  const spans = ringRanges(chosen);
  const ring = ledger.window;
  const previous = (ctx.summaryText() ?? '').replace(PREFIX, '');
  const previousTokens = ledger.summaryTokens;
  const sourceTokens = taken + previousTokens;
  const cap = Math.max(16, Math.min(Math.floor(SUMMARY_SHARE * ctx.maxTokens), Math.floor(sourceTokens / 2)));
  const texts = chosen.map((sp) => sp.text);
  return { spans, previous, texts, sourceTokens, cap, signature: `${ring.pos(spans[0].from)}:${ring.pos(spans[spans.length - 1].to - 1)}:${previousTokens}` };
}

const normalize = (s: string): string => s.replace(/\s+/g, ' ');

/**
 * The summary QA gate: every number, date, proper name and quoted string in the summary must appear
 * in its source (whitespace-insensitive); `threshold` is the share that must be found.
 */
export function summaryGate(summary: string, source: string, threshold: number): SummaryGate {
  const s = extractSalient(summary);
  const facts = [...new Set([...s.numbers, ...s.dates, ...s.names, ...s.quotes])];
  const src = normalize(source);
  const missing = facts.filter((f) => !src.includes(normalize(f)));
  const found = facts.length - missing.length;
  return { threshold, checked: facts.length, found, missing: missing.slice(0, 20), passed: facts.length === 0 || found / facts.length >= threshold };
}

/**
 * Sentences of a summary restored from a session or written by a model: split after . ! ? followed by
 * a space and a capital, except after a one- or two-letter abbreviation ("Dr.", "St.").
 */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=(?<!\b\p{Lu}\p{Ll}?)[.!?]["”’)]?)\s+(?=["“]?\p{Lu})/u)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

/**
 * Extractive summary: the source's sentences (the previous summary's and the spans') valued by
 * salience per token (a sentence stating a live fact by the fact ledger's value), chosen by knapsack under the cap, in their original order, verbatim.
 */
export function extractiveSummary(ctx: PolicyContext, d: Due): { text: string; sentences: string[]; costs: number[]; sal: number[] } {
  const st = summaryState(ctx);
  const same = st.sentences && st.sentences.messageText === ctx.summaryText();
  const previous = same && st.sentences ? st.sentences.list : splitSentences(d.previous);
  // a previous sentence costs what it encodes to alone (known once encoded: kept with the sentences)
  const costs = same && st.sentences?.costs ? st.sentences.costs : [];
  const sals = same && st.sentences?.sal ? st.sentences.sal : [];
  const old = previous.map((text, i) => ({ text, cost: (costs[i] ??= Math.max(1, ctx.encode(text).length)), sal: sals[i], known: true }));
  // a sentence that states a live fact is worth at least the fact ledger's value (the summary carries the live facts forward)
  const ring = ctx.ledger.window;
  const factOf = (sp: { from: number; to: number }): number => ctx.factValue(ring.pos(sp.from), ring.pos(sp.to - 1) + 1);
  const fresh = d.texts.map((text, i) => ({ text: text.trim(), cost: d.spans[i].to - d.spans[i].from, sal: factOf(d.spans[i]) || undefined, known: false }));
  const all = [...old, ...fresh].filter((c) => c.text.length > 0);
  const cost = Int32Array.from(all, (c) => c.cost);
  const value = Float64Array.from(all, (c, i) => ((c.sal ??= salience(c.text, c.cost)) + 0.05 * ((i + 1) / all.length)) * c.cost);
  const keep = chooseSummary(cost, value, d.cap);
  const chosen = all.filter((_c, i) => keep[i] === 1);
  // sparse: a sentence from a span has no known cost of its own yet (nor its salience at that cost)
  const known: number[] = [];
  const sal: number[] = [];
  chosen.forEach((c, i) => {
    if (!c.known) return;
    known[i] = c.cost;
    sal[i] = c.sal as number;
  });
  return { text: chosen.map((c) => c.text).join(' '), sentences: chosen.map((c) => c.text), costs: known, sal };
}

/**
 * Past this many DP cells (sentences × cap: a budget of several thousand tokens, ~400 sentences
 * under a ~2,500-token cap, a 1M-cell table per summary) the summary's sentences are chosen by
 * knapsackBounded (exact where the undecided sentences' DP fits its 30k cells, else the core
 * nearest the critical ratio); below it, by the exact DP as before (small budgets unchanged).
 */
export const SUMMARY_EXACT_CELLS = 2e5;

function chooseSummary(cost: Int32Array, value: Float64Array, cap: number): Uint8Array {
  let total = 0;
  for (let i = 0; i < cost.length; i++) total += cost[i];
  if (cost.length * Math.min(cap, total) <= SUMMARY_EXACT_CELLS) return chooseSpans(cost, value, cap);
  return knapsackBounded(cost, value, cap, { maxCells: SPAN_MAX_CELLS }).keep;
}

function modelPrompt(d: Due): string {
  const words = Math.max(12, Math.floor(d.cap * 0.6));
  return [
    `Summarize the conversation excerpt below in at most ${words} words.`,
    'Keep every number, date, name and quoted string exactly as written; leave out small talk.',
    'Write plain sentences with no preamble.',
    '',
    [d.previous, ...d.texts].filter((t) => t.length > 0).join(' '),
  ].join('\n');
}

/**
 * Rolling summary: every `summaryInterval` new tokens (once the context is half full) the oldest
 * half of the sentences older than the recent window, with the previous summary, become one summary
 * message that stands in for them. With a model the summary is written by it (a prompt that asks for
 * numbers, names and dates) and must pass the QA gate — facts in the summary must appear in the
 * source — or the extractive summary (salient sentences, verbatim) is used and the event says why.
 * Between summaries the budget is kept like the salience policy keeps it.
 */
export const rollingSummaryPolicy: Policy = {
  name: 'rolling_summary',
  async prepare(ctx: PolicyContext, model: PolicyModel) {
    if (!model.complete) return;
    const d = due(ctx);
    const st = summaryState(ctx);
    if (!d || st.pending?.signature === d.signature) return;
    try {
      const text = (await model.complete(modelPrompt(d), Math.ceil(d.cap * 1.2))).trim();
      st.pending = { signature: d.signature, text, model: model.name };
    } catch (err) {
      st.failed = { signature: d.signature, reason: `the model could not summarize (${err instanceof Error ? err.message : String(err)})` };
    }
  },
  apply(ctx: PolicyContext): void {
    const d = due(ctx);
    if (d) {
      if (ctx.timeUp()) throw new PolicyTimeout('before summarizing');
      const st = summaryState(ctx);
      const source = [d.previous, ...d.texts].join(' ');
      const threshold = ctx.params.summaryGate;
      let fallback: string | undefined;
      let made: { text: string; method: 'model' | 'extractive'; gate: SummaryGate } | undefined;
      if (st.pending?.signature === d.signature) {
        const text = st.pending.text;
        const gate = summaryGate(text, source, threshold);
        const tokens = ctx.encode(text).length;
        if (text.length === 0) fallback = `${st.pending.model} returned an empty summary`;
        else if (!gate.passed) fallback = `${st.pending.model}'s summary failed the QA gate: ${gate.found}/${gate.checked} facts found in the source (needs ${Math.round(threshold * 100)}%), missing ${gate.missing.slice(0, 5).join(', ')}`;
        else if (tokens > d.cap * 1.5) fallback = `${st.pending.model}'s summary took ${tokens} tokens, over the ${d.cap}-token cap`;
        else made = { text, method: 'model', gate };
      } else if (st.failed?.signature === d.signature) {
        fallback = st.failed.reason;
      }
      let chosen: string[];
      let costs: number[] | undefined;
      let sal: number[] | undefined;
      if (made) chosen = splitSentences(made.text);
      else {
        const extract = extractiveSummary(ctx, d);
        chosen = extract.sentences;
        costs = extract.costs;
        sal = extract.sal;
        made = { text: extract.text, method: 'extractive', gate: summaryGate(extract.text, source, threshold) };
      }
      st.pending = undefined;
      st.failed = undefined;
      st.lastAt = ctx.ledger.nextPos;
      if (made.text.length > 0) {
        ctx.summarize(d.spans, made.text, { method: made.method, gate: made.gate, sourceTokens: d.sourceTokens, ...(fallback ? { fallback } : {}) });
        st.sentences = { messageText: ctx.summaryText() ?? '', list: chosen, ...(costs ? { costs } : {}), ...(sal ? { sal } : {}) };
      } else
        ctx.evictSpans(
          d.spans.map((sp) => ({ ...sp, detail: 'due for the summary, but nothing in it was worth keeping (no facts): dropped' })),
          'span-value',
        );
      // the summarized (or dropped) spans are the oldest candidates: the tracker lets them go
      const track = spanTrack(ctx);
      const keep = new Uint8Array(track.spans.length).fill(1);
      keep.fill(0, 0, d.spans.length);
      track.remove(keep);
    }
    const older = olderSentences(ctx);
    if (!older) return;
    const { spans, track } = older;
    const n = spans.length;
    const score = new Float64Array(n);
    const { sal } = track;
    for (let k = 0; k < n; k++) score[k] = sal[k] + 0.5 * recencyOf(k, n);
    keepMostValuable(ctx, 'rolling_summary', older.over, track, { score, why: (k) => `between summaries: salience ${spans[k].sal.toFixed(2)}, recency ${recencyOf(k, n).toFixed(2)}` });
  },
};
