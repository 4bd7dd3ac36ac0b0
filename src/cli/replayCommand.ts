import { writeFile } from 'node:fs/promises';
import { DEFAULT_CONFIG, problemsText, validateConfig } from '../shared/config.js';
import { loadTokenizer } from '../engine/node/loadTokenizer.js';
import { statsToPrometheus, turnDumpLine } from '../engine/formats/telemetry.js';
import { toChromeTrace, toSpeedscope } from '../engine/formats/profileExport.js';
import { exportMask, MASK_FORMATS, type MaskFormat } from '../engine/formats/maskExport.js';
import { formatReplay } from './format.js';
import { replayMessages, replayMessagesWithModel } from '../engine/replay.js';
import type { Backend } from '../engine/backend.js';
import { policyModelOf } from '../engine/policies/policyModel.js';
import { engineSettings, type EngineFlags } from './engineFlags.js';
import { readReplayInput } from './replayInput.js';
import type { Limits } from '../shared/limits.js';

export interface ReplayFlags extends EngineFlags {
  file: string;
  /** A local model for the policies' model step. */
  model?: string;
  /** A local feature-extraction model for semantic/hybrid embeddings (with --model). */
  embeddingModel?: string;
  json: boolean;
  tokenizer: string;
  metrics?: string;
  dump?: string;
  /** speedscope JSON of the engine's profiler spans. */
  profile?: string;
  /** Chrome trace-event JSON of the same spans (opens in Perfetto). */
  trace?: string;
  /** Attention mask of the final context over the conversation's positions. */
  mask?: string;
  maskFormat: string;
  maskBlock: number;
  limits?: Limits;
}

/** Errors about the user's input: exit code 2. */
const inputError = (message: string): Error => Object.assign(new Error(message), { exitCode: 2 });

export async function runReplay(flags: ReplayFlags): Promise<number> {
  const config = { ...DEFAULT_CONFIG, ...engineSettings(flags) };
  const problems = validateConfig(config);
  if (problems.length > 0) throw inputError(problemsText(problems));
  if (flags.embeddingModel && !flags.model) throw inputError('--embedding-model needs --model');
  if (!MASK_FORMATS.includes(flags.maskFormat as MaskFormat)) throw inputError(`--mask-format must be one of ${MASK_FORMATS.join(', ')} (got "${flags.maskFormat}")`);
  let input;
  try {
    input = await readReplayInput(flags.file, flags.limits);
  } catch (err) {
    throw inputError((err as Error).message);
  }
  let backend: Backend | undefined;
  let tokenizer;
  try {
    if (flags.model) {
      const { createLocalBackend } = await import('../engine/backends/local/index.js');
      backend = await createLocalBackend({ model: flags.model, ...(flags.embeddingModel ? { embeddingModel: flags.embeddingModel } : {}) });
      tokenizer = backend.tokenizer;
    } else tokenizer = await loadTokenizer(flags.tokenizer, { allowRemote: true });
  } catch (err) {
    throw inputError((err as Error).message);
  }
  let result;
  try {
    const full = policyModelOf(backend);
    // without an embedding model the policies keep their lexical embeddings (no download mid-replay)
    const model = full && !flags.embeddingModel ? { ...full, embed: undefined } : full;
    result = model ? await replayMessagesWithModel(input.messages, tokenizer, config, model) : replayMessages(input.messages, tokenizer, config);
  } catch (err) {
    throw inputError((err as Error).message);
  } finally {
    await backend?.dispose();
  }
  if (flags.metrics) await writeFile(flags.metrics, statsToPrometheus(result.stats, { turns: result.turns }));
  if (flags.dump) await writeFile(flags.dump, result.dump.map(turnDumpLine).join(''));
  if (flags.mask) {
    const mask = exportMask(flags.maskFormat as MaskFormat, result.conversationTokens, result.kept, { blockSize: flags.maskBlock, window: flags.window, globalTokens: result.pinnedPositions });
    await writeFile(flags.mask, JSON.stringify(mask));
  }
  if (flags.profile) await writeFile(flags.profile, JSON.stringify(toSpeedscope(result.spans, { name: `fms replay ${flags.file}` })));
  if (flags.trace) await writeFile(flags.trace, JSON.stringify(toChromeTrace(result.spans)));
  if (flags.json) {
    const { evictions, dump, spans, kept, pinnedPositions, conversationTokens, ...rest } = result;
    void [dump, spans, kept, pinnedPositions, conversationTokens];
    process.stdout.write(`${JSON.stringify({ ...rest, evictions: evictions.length })}\n`);
  } else {
    process.stdout.write(formatReplay(result));
  }
  return 0;
}
