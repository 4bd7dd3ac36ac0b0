import type { EngineConfig } from '../engine/engine.js';

/** The engine settings every command takes as flags. */
export type EngineFlags = Pick<EngineConfig, 'policy' | 'maxTokens' | 'window' | 'recall' | 'maxPolicyMs' | 'probes' | 'summaryInterval' | 'summaryGate' | 'weights'>;

/** Just the engine settings of a command's flags. */
export function engineSettings(f: EngineFlags): EngineFlags {
  return { policy: f.policy, maxTokens: f.maxTokens, window: f.window, recall: f.recall, maxPolicyMs: f.maxPolicyMs, probes: f.probes, summaryInterval: f.summaryInterval, summaryGate: f.summaryGate, weights: f.weights };
}
