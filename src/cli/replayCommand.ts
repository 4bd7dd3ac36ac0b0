import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatBytes, type Limits } from '../shared/limits.js';
import { problemsText, validateConfig, type EngineConfig } from '../shared/config.js';
import { loadTokenizer } from '../engine/node/loadTokenizer.js';
import { statsToPrometheus, turnDumpLine } from '../engine/formats/telemetry.js';
import { exportMask, MASK_FORMATS, type MaskFormat } from '../engine/formats/maskExport.js';
import { formatReplay } from './format.js';
import { replayMessages, replayMessagesWithModel, type ReplayResult } from '../engine/replay.js';
import type { Backend } from '../engine/backend.js';
import type { EngineEvent } from '../shared/protocol.js';
import { policyModelOf } from '../engine/policies/policyModel.js';
import { importNote, readReplayInput, type ReplayInput, type ReplayMessage } from './replayInput.js';
import { VERSION } from './help.js';
import { replaySettings } from './replaySettings.js';
import { startTurnExport } from './turnExport.js';
import { inputError } from './inputError.js';

export interface ReplayFlags {
  file: string;
  /** The engine settings given as flags: over the catalog's defaults, or over a saved session's own settings. */
  settings: Partial<EngineConfig>;
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
  /** Writes the replayed session in the app's format. */
  saveSession?: string;
  /** Runs under the latency budget, as live turns do (replays are deterministic without it). */
  latencyBudget?: boolean;
  /** Of another tool's file that holds several chats, which to replay (1-based, or a title). */
  conversation?: number | string;
}

/** Refuses settings that do not validate, in the catalog's words. */
function checkConfig(config: Partial<EngineConfig>): void {
  const problems = validateConfig(config);
  if (problems.length > 0) throw inputError(problemsText(problems));
}

export async function runReplay(flags: ReplayFlags): Promise<number> {
  checkConfig(flags.settings); // each flag's own range, before the file is read
  if (flags.embeddingModel && !flags.model) throw inputError('--embedding-model needs --model');
  if (!MASK_FORMATS.includes(flags.maskFormat as MaskFormat)) throw inputError(`--mask-format must be one of ${MASK_FORMATS.join(', ')} (got "${flags.maskFormat}")`);
  let input;
  try {
    input = await readReplayInput(flags.file, flags.limits, flags.conversation);
  } catch (err) {
    throw inputError((err as Error).message);
  }
  if (input.imported) process.stderr.write(`fms: ${importNote(flags.file, input.imported)}`);
  const { config, note } = replaySettings(flags.settings, input.saved);
  checkConfig(config);
  if (note) process.stderr.write(`fms: ${note}\n`);
  let tokenizerName = flags.tokenizer;
  // turn export: the replay's events go to the turn recorder as they happen, the spans are sent after the output
  const exported = await startTurnExport(() => ({ model: flags.model ?? tokenizerName, policy: config.policy }));
  const result = await replayWith(flags, input.messages, config, exported && ((e) => exported.telemetry.observe(e)), (name) => (tokenizerName = name));
  const saved = flags.saveSession ? await saveReplayed(flags.saveSession, result, input) : undefined;
  await writeOutputs(flags, result);
  if (flags.json) {
    const { evictions, evictionCount, dump, spans, kept, pinnedPositions, conversationTokens, engine, ...rest } = result;
    void [evictions, dump, spans, kept, pinnedPositions, conversationTokens, engine];
    process.stdout.write(`${JSON.stringify({ ...rest, evictions: evictionCount })}\n`);
  } else {
    process.stdout.write(formatReplay(result));
    if (saved) process.stdout.write(`session saved to ${flags.saveSession} (${formatBytes(saved)})\n`);
  }
  await exported?.finish();
  return 0;
}

/** Loads the tokenizer (or the local model, which brings its own) and replays the messages. */
async function replayWith(flags: ReplayFlags, messages: ReplayMessage[], config: EngineConfig, onEvent?: (e: EngineEvent) => void, onTokenizer?: (name: string) => void): Promise<ReplayResult> {
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
  onTokenizer?.(tokenizer.name);
  try {
    const full = policyModelOf(backend);
    // without an embedding model the policies keep their lexical embeddings (no download mid-replay)
    const model = full && !flags.embeddingModel ? { ...full, embed: undefined } : full;
    // only what an output asks for is collected (the JSON and the summary need counts, not events)
    const options = { latencyBudget: flags.latencyBudget ?? false, keep: { evictions: false, dump: flags.dump !== undefined, profile: flags.profile !== undefined || flags.trace !== undefined }, ...(onEvent ? { onEvent } : {}) };
    return model ? await replayMessagesWithModel(messages, tokenizer, config, model, options) : replayMessages(messages, tokenizer, config, options);
  } catch (err) {
    throw inputError((err as Error).message);
  } finally {
    await backend?.dispose();
  }
}

/** The files asked for: metrics, turn dump, attention mask, profile and trace. */
async function writeOutputs(flags: ReplayFlags, result: ReplayResult): Promise<void> {
  if (flags.metrics) await writeFile(flags.metrics, statsToPrometheus(result.stats, { turns: result.turns }));
  if (flags.dump) await writeFile(flags.dump, result.dump.map(turnDumpLine).join(''));
  if (flags.mask) {
    const mask = exportMask(flags.maskFormat as MaskFormat, result.conversationTokens, result.kept, { blockSize: flags.maskBlock, window: result.config.window, globalTokens: result.pinnedPositions });
    await writeFile(flags.mask, JSON.stringify(mask));
  }
  if (flags.profile || flags.trace) {
    const { toChromeTrace, toSpeedscope } = await import('../engine/formats/profileExport.js'); // only for these flags: loaded on use
    if (flags.profile) await writeFile(flags.profile, JSON.stringify(toSpeedscope(result.spans, { name: `fms replay ${flags.file}` })));
    if (flags.trace) await writeFile(flags.trace, JSON.stringify(toChromeTrace(result.spans)));
  }
}

/**
 * Saves the replayed engine as a session, with the app's writer (temp file, fsync, rename): the app
 * opens it, and `fms replay` on it gives this replay again. Resolves with the bytes written.
 */
async function saveReplayed(file: string, result: ReplayResult, input: ReplayInput): Promise<number> {
  // the session writer (and node:crypto, for its temp name) load only for --save-session
  const [{ engineToSession }, { saveSessionFile }] = await Promise.all([import('../engine/formats/sessionState.js'), import('../engine/node/sessionFile.js')]);
  const now = new Date().toISOString();
  const title = input.title ?? path.basename(input.file).replace(/\.\w+$/, '');
  return saveSessionFile(file, engineToSession(result.engine, { title, app: `finite-memory-studio ${VERSION} (fms replay)`, createdAt: input.createdAt ?? now, savedAt: now }));
}
