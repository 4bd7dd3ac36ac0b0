import { hybridPolicy } from './hybrid.js';
import { importancePolicy } from './importance.js';
import { rollingSummaryPolicy } from './rollingSummary.js';
import { saliencePolicy } from './salience.js';
import { semanticPolicy } from './semantic.js';
import { slidingPolicy } from './sliding.js';
import type { Policy } from './types.js';

export type { Policy, PolicyContext, PolicyModel, PolicyParams } from './types.js';
export { PolicyTimeout } from './types.js';

const POLICIES: Record<string, Policy> = {
  sliding: slidingPolicy,
  salience: saliencePolicy,
  importance: importancePolicy,
  semantic: semanticPolicy,
  rolling_summary: rollingSummaryPolicy,
  hybrid: hybridPolicy,
};

export const POLICY_NAMES = Object.keys(POLICIES);

/** The policy of that name, or undefined. */
export function getPolicy(name: string): Policy | undefined {
  return Object.hasOwn(POLICIES, name) ? POLICIES[name] : undefined;
}
