import { createInterface } from 'node:readline';
import path from 'node:path';
import { BackendError, type Backend, type GenerateResult } from '../engine/backend.js';
import { createEngine, type Engine } from '../engine/engine.js';
import { DEFAULT_CONFIG, problemsText, validateConfig } from '../shared/config.js';
import { loadTokenizer } from '../engine/node/loadTokenizer.js';
import type { Tokenizer } from '../engine/core/tokenizer.js';
import { defaultDataDir } from './serveCommand.js';
import { engineSettings, type EngineFlags } from './engineFlags.js';
import type { ReplyInfo } from '../engine/node/otel/index.js';
import { startTurnExport } from './turnExport.js';
import { inputError } from './inputError.js';

export interface ChatFlags extends EngineFlags {
  backend: 'local' | 'openai';
  model?: string;
  baseUrl?: string;
  apiKey?: string;
  maxNewTokens: number;
  system?: string;
  message?: string;
  json: boolean;
}

/** The backend; a local model brings its own tokenizer, a server is counted with Qwen3's. */
async function openBackend(flags: ChatFlags, tokenizer: () => Promise<Tokenizer>): Promise<Backend> {
  if (flags.backend === 'openai') {
    if (!flags.baseUrl) throw inputError('--backend openai needs --base-url (e.g. http://127.0.0.1:11434 for Ollama)');
    // asks the server for its models first: a server that cannot be used fails here, before the first turn
    const { connectOpenAIBackend } = await import('../engine/backends/openai/openaiBackend.js');
    const backend = await connectOpenAIBackend({ baseUrl: flags.baseUrl, model: flags.model ?? 'default', apiKey: flags.apiKey ?? process.env.OPENAI_API_KEY, tokenizer: await tokenizer() });
    if (backend.connection?.note) process.stderr.write(`fms: ${backend.connection.note}\n`);
    return backend;
  }
  const { createLocalBackend, DEFAULT_CHAT_MODEL } = await import('../engine/backends/local/index.js');
  let last = '';
  return createLocalBackend({
    model: flags.model ?? DEFAULT_CHAT_MODEL,
    cacheDir: path.join(defaultDataDir(), 'models'),
    onProgress: (p) => {
      const line = `downloading ${p.file} ${p.percent.toFixed(0)}%`;
      if (process.stderr.isTTY && p.status === 'progress' && line !== last) process.stderr.write(`\r${(last = line)}`);
    },
  });
}

/** One line about the window after a turn. */
function summary(engine: Engine, ms: number, cache?: { reusedTokens: number; recomputedTokens: number }): string {
  const s = engine.snapshot();
  const st = engine.stats();
  const kv = cache ? ` · kv reused ${cache.reusedTokens}/${cache.reusedTokens + cache.recomputedTokens}` : '';
  return `[window ${s.used}/${s.maxTokens} · evicted ${st.tokensEvicted} tok in ${st.evictions} events${kv} · ${(ms / 1000).toFixed(2)} s]`;
}

/** `fms chat`: an interactive terminal chat, or one turn with --message (and --json). */
export async function runChat(flags: ChatFlags): Promise<number> {
  const config = { ...DEFAULT_CONFIG, ...engineSettings(flags) };
  const problems = validateConfig(config);
  if (problems.length > 0) throw inputError(problemsText(problems));
  let backend: Backend;
  try {
    backend = await openBackend(flags, () => loadTokenizer());
  } catch (err) {
    throw inputError((err as Error).message);
  }
  // a live chat: the latency budget guards each turn
  const engine = createEngine({ tokenizer: backend.tokenizer, ...config, latencyBudget: true });
  // turn export: a span per turn with the model, the server's usage and the finish reason
  const exported = await startTurnExport(() => ({ model: backend.model, policy: engine.config().policy }));
  const telemetry = exported?.telemetry;
  if (telemetry) engine.subscribe((e) => telemetry.observe(e));
  if (flags.system) engine.ingest({ role: 'system', content: flags.system });
  const turn = async (content: string, signal?: AbortSignal) => {
    const t0 = performance.now();
    let turnNo: number | undefined;
    try {
      const out = await engine.chat(backend, content, {
        maxNewTokens: flags.maxNewTokens,
        signal,
        onToken: flags.json ? undefined : (t) => process.stdout.write(t),
        onUserMessage: () => telemetry?.awaitReply((turnNo = engine.turn)),
      });
      if (turnNo !== undefined) telemetry?.reply(turnNo, replyInfo(out.result));
      return { ...out, ms: performance.now() - t0 };
    } catch (err) {
      if (turnNo !== undefined) telemetry?.reply(turnNo, { error: (err as Error).message, errorType: err instanceof BackendError ? err.code : 'internal' });
      throw err;
    }
  };
  try {
    if (flags.message !== undefined) {
      const { result, context, ms } = await turn(flags.message);
      if (flags.json) {
        process.stdout.write(
          `${JSON.stringify({ reply: result.text, finishReason: result.finishReason, contextTokens: context.tokens, promptTokens: result.promptTokens, completionTokens: result.completionTokens, usageSource: result.usageSource, cachedPromptTokens: result.cachedPromptTokens ?? null, cache: result.cache ?? null, timings: { ...result.timings, turnMs: ms }, backend: backend.kind, model: backend.model })}\n`,
        );
      } else process.stdout.write(`\n${summary(engine, ms, result.cache)}\n`);
      return 0;
    }
    return await interactive(engine, turn);
  } catch (err) {
    if (err instanceof BackendError) throw inputError(err.message);
    throw err;
  } finally {
    await backend.dispose();
    await exported?.finish();
  }
}

/** A reply's outcome for its turn's span: the backend's own counts unless they are our tokenizer's estimate. */
function replyInfo(result: GenerateResult): ReplyInfo {
  const usage = result.usageSource === 'tokenizer' ? undefined : { inputTokens: result.promptTokens, outputTokens: result.completionTokens };
  return { finishReason: result.finishReason, ...(usage ? { usage } : {}) };
}

async function interactive(engine: Engine, turn: (content: string, signal?: AbortSignal) => Promise<{ result: { cache?: { reusedTokens: number; recomputedTokens: number } }; ms: number }>): Promise<number> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  let current: AbortController | undefined;
  rl.on('SIGINT', () => (current ? current.abort() : rl.close()));
  process.stdout.write('fms chat: type a message; Ctrl+C stops a reply, Ctrl+C again or Ctrl+D quits.\n');
  for await (const line of rl) {
    const content = line.trim();
    if (!content) continue;
    current = new AbortController();
    try {
      const { result, ms } = await turn(content, current.signal);
      process.stdout.write(`\n${summary(engine, ms, result.cache)}\n`);
    } catch (err) {
      process.stderr.write(`fms: ${(err as Error).message}\n`);
    } finally {
      current = undefined;
    }
  }
  return 0;
}
