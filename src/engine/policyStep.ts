import type { WindowSnapshotEvent } from '../shared/protocol.js';
import type { EngineParts } from './engineParts.js';
import { PolicyTimeout, type PolicyModel } from './policies/index.js';
import { slidingPolicy } from './policies/sliding.js';
import { emitFacts, keepFactsIfChanged } from './factsStep.js';

/** Profiler span names per policy, made once (not a new string per call). */
const spanNames = new Map<string, string>();

function policySpan(name: string): string {
  let span = spanNames.get(name);
  if (span === undefined) spanNames.set(name, (span = `policy:${name}`));
  return span;
}

/**
 * Runs the policy, under its latency budget when the engine has it on (an overrun keeps what the
 * policy did and finishes the turn with sliding), lets an over-budget summary go, and emits the
 * window's snapshot.
 */
export function applyPolicy(p: EngineParts): void {
  const { clock, config, profiler, policy, policyContext } = p;
  const t0 = clock();
  p.deadline = p.latencyBudget && config.maxPolicyMs > 0 ? t0 + config.maxPolicyMs : Infinity;
  keepFactsIfChanged(p);
  try {
    profiler.measure(policySpan(policy.name), () => policy.apply(policyContext));
  } catch (err) {
    if (!(err instanceof PolicyTimeout)) throw err;
    p.deadline = Infinity;
    profiler.measure('policy:sliding (fallback)', () => slidingPolicy.apply(policyContext));
    p.book.stats.fallbackCount++;
    p.emit({ type: 'warning', turn: p.book.turn, code: 'policy-fallback', message: `${policy.name} overran its ${config.maxPolicyMs} ms latency budget (${err.step}); this turn fell back to sliding` });
  }
  dropSummaryOverBudget(p);
  p.book.policyRan(clock() - t0);
  p.book.refresh(p.ledger);
  p.emit(windowSnapshot(p));
  emitFacts(p);
}

/**
 * A rolling summary is outside the window: when pinned messages and the summary alone overflow (or
 * the policy changed to one that does not summarize), the summary itself gives way.
 */
function dropSummaryOverBudget(p: EngineParts): void {
  const { ledger } = p;
  const summary = ledger.summary;
  if (!summary || ledger.used() <= p.config.maxTokens) return;
  ledger.removeSummary();
  p.evictor.expireSummary(summary, `over budget with nothing else to evict: summary #${summary.messageId} left the context`, 'budget');
}

/**
 * Query-aware recall for a user message: evicted spans relevant to it come back (timed as policy
 * time), and the policy runs again when any did.
 */
export function recallStep(p: EngineParts, query: string): void {
  const t0 = p.clock();
  const admitted = p.profiler.measure('recall', () => p.recall.recallFor(query));
  p.book.current.policyMs += p.clock() - t0;
  // recalled tokens are back in the context: tokensEvicted counts what is out of it now
  p.book.stats.tokensEvicted -= admitted;
  if (admitted > 0) applyPolicy(p);
}

/**
 * The policy's async model step (logit probes, embeddings, a summary), when it has one. A failing
 * model step is reported as a warning and the policy runs on what it has (its labelled fallbacks).
 */
export async function modelStep(p: EngineParts, model: PolicyModel): Promise<void> {
  const { policy, profiler, clock } = p;
  if (!policy.prepare) return;
  profiler.begin(`prepare:${policy.name}`);
  const t0 = clock();
  try {
    await policy.prepare(p.policyContext, model);
  } catch (err) {
    p.emit({ type: 'warning', turn: p.book.turn, code: 'model-step-failed', message: `${policy.name}: the model step failed (${err instanceof Error ? err.message : String(err)}); this turn used the policy's fallback` });
  } finally {
    const current = p.book.current;
    current.modelMs = (current.modelMs ?? 0) + (clock() - t0);
    profiler.end();
  }
}

export function windowSnapshot(p: EngineParts): WindowSnapshotEvent {
  const { ledger } = p;
  return {
    type: 'windowSnapshot',
    turn: p.book.turn,
    maxTokens: p.config.maxTokens,
    used: ledger.used(),
    pinned: ledger.pinnedTokens,
    retained: ledger.retainedTokens,
    recalled: ledger.recalledTokens,
    byRole: ledger.byRole(),
    windowStartPos: ledger.window.length > 0 ? ledger.window.pos(0) : -1,
    endPos: ledger.nextPos,
  };
}
