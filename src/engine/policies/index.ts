import { hybridPolicy } from './hybrid.js';
import { importancePolicy } from './importance.js';
import { rollingSummaryPolicy } from './rollingSummary.js';
import { saliencePolicy } from './salience.js';
import { semanticPolicy } from './semantic.js';
import { slidingPolicy } from './sliding.js';
import type { Policy } from './types.js';
import { POLICY_NAMES, type PolicyName } from '../../shared/config.js';

export type { Policy, PolicyContext, PolicyModel, PolicyParams } from './types.js';
export { PolicyTimeout } from './types.js';

const POLICIES: Record<PolicyName, Policy> = {
  sliding: slidingPolicy,
  salience: saliencePolicy,
  importance: importancePolicy,
  semantic: semanticPolicy,
  rolling_summary: rollingSummaryPolicy,
  hybrid: hybridPolicy,
};

export { POLICY_NAMES };

/** The policy of that name, or undefined. */
export function getPolicy(name: string): Policy | undefined {
  return Object.hasOwn(POLICIES, name) ? POLICIES[name as PolicyName] : undefined;
}
