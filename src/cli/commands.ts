import type { ParseArgsConfig } from 'node:util';
import { DEFAULT_CHAT_MODEL } from '../shared/config.js';
import { LIMIT_CATALOG } from '../shared/limits.js';
import { ENGINE_OPTIONS } from './engineFlags.js';

/** One flag of a command (the engine settings and the size limits come from their catalogs). */
export interface FlagSpec {
  /** Without the dashes. */
  flag: string;
  /** The value's placeholder; absent for a switch. */
  value?: string;
  default?: string;
  help: string;
}

/** A subcommand: what `fms help NAME` prints and what its flags parse as. */
export interface CommandSpec {
  name: string;
  /** Positional arguments in the usage line: `<file>`. */
  args?: string;
  /** One line for `fms help`. */
  brief: string;
  summary: string;
  flags: FlagSpec[];
  /** Takes a flag per engine setting (src/shared/config.ts). */
  engine?: { heading: string };
  /** Takes the size limits (src/shared/limits.ts). */
  limits?: boolean;
  /** Engine flags that may be given more than once (sweep's lists). */
  repeatable?: readonly string[];
}

/** The formats formats/imports reads, for the commands' help. */
const IMPORT_FORMATS_TEXT =
  'OpenAI Chat Completions request or response JSON, a ChatGPT data export conversations.json, an Anthropic Messages request, ShareGPT, an Ollama /api/chat request, JSONL with a messages array per line';

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'replay',
    args: '<file>',
    brief: 'replay a chat or a saved session through the engine and report what it kept',
    summary:
      'Replays a chat through the engine: JSONL with one {"role","content"} message per line, a saved session, or another tool\'s chat (' + IMPORT_FORMATS_TEXT + '; the format is detected). The last user message is the query; messages after it are not replayed.',
    flags: [
      { flag: 'json', help: 'print one JSON object (contextTokens, evictions, stats, turns, ...) instead of the report' },
      { flag: 'conversation', value: 'N|TITLE', help: 'of a file that holds several chats (a ChatGPT export, a ShareGPT dataset, JSONL with a messages array per line), the one to replay: its number (from 1) or title; default the first (the others are listed on stderr)' },
      { flag: 'tokenizer', value: 'qwen3|PATH|HUB_ID', default: 'qwen3', help: 'the tokenizer that counts tokens (with --model, the model\'s own)' },
      { flag: 'model', value: 'PATH', help: "a local model for the policies' model step (importance probes, summaries); without it they use their labelled fallbacks" },
      { flag: 'embedding-model', value: 'PATH', help: 'with --model: a local feature-extraction model for the semantic and hybrid embeddings' },
      { flag: 'metrics', value: 'FILE', help: 'write the final stats as Prometheus text' },
      { flag: 'dump', value: 'FILE', help: 'write one JSON line per turn: input, output, token counts, eviction decisions' },
      { flag: 'profile', value: 'FILE', help: "write the engine's profiler spans as speedscope JSON" },
      { flag: 'trace', value: 'FILE', help: 'write the same spans as Chrome trace-event JSON (opens in Perfetto)' },
      { flag: 'mask', value: 'FILE', help: "write the final context's attention mask over the conversation's positions" },
      { flag: 'mask-format', value: 'block|dense|coo|longformer', default: 'block', help: 'the format of --mask' },
      { flag: 'mask-block', value: 'N', default: '64', help: 'the block size of --mask-format block' },
      { flag: 'latency-budget', help: 'run under --max-policy-ms as a live turn does: a policy call over it (a stall included) falls back to sliding, so results may vary run to run; lists the turns that fell back. Without it a replay is deterministic' },
      { flag: 'save-session', value: 'FILE', help: "write the replayed session in the app's session format (atomically): the app opens it, and fms replay on it gives this replay again" },
    ],
    engine: { heading: 'Engine settings (a saved session replays under its own settings; these flags override them one by one)' },
    limits: true,
  },
  {
    name: 'import',
    args: '<file>',
    brief: "convert another tool's chat to JSONL of messages",
    summary:
      "Reads a chat in another tool's format (" + IMPORT_FORMATS_TEXT + '; the format is detected), or our own JSONL or saved session, and writes it as JSONL with one {"role","content"} message per line: what fms replay and the app read fastest. Stderr says which format it read and, for a file with several chats, lists them.',
    flags: [
      { flag: 'out', value: 'FILE', help: 'write the JSONL here (atomically); without it, to stdout' },
      { flag: 'conversation', value: 'N|TITLE', help: 'of a file that holds several chats, the one to convert: its number (from 1) or title; default the first' },
    ],
    limits: true,
  },
  {
    name: 'chat',
    brief: 'chat with a local model or an OpenAI-compatible server in the terminal',
    summary: 'Chats in the terminal with a local model or an OpenAI-compatible server, under the engine; --message does one turn and exits.',
    flags: [
      { flag: 'backend', value: 'local|openai', default: 'local', help: 'a local model (transformers.js) or an OpenAI-compatible server' },
      { flag: 'model', value: 'ID|PATH', help: `local: a Hub id or a model folder (default ${DEFAULT_CHAT_MODEL}); openai: the server's model name (default "default")` },
      { flag: 'base-url', value: 'URL', help: 'the server, with --backend openai (e.g. http://127.0.0.1:11434 for Ollama)' },
      { flag: 'api-key', value: 'KEY', help: "the server's API key (default: $OPENAI_API_KEY)" },
      { flag: 'max-new-tokens', value: 'N', default: '512', help: 'most tokens of one reply' },
      { flag: 'system', value: 'TEXT', help: 'a system prompt, first in the conversation' },
      { flag: 'message', value: 'TEXT', help: 'send one message, print the reply and exit (without it: an interactive chat)' },
      { flag: 'json', help: 'with --message: print one JSON object (reply, token counts, cache, timings)' },
    ],
    engine: { heading: 'Engine settings' },
  },
  {
    name: 'sweep',
    args: '<file|dir> | merge <a.json> <b.json>...',
    brief: 'replay every combination of settings on every chat, on all cores',
    summary:
      'Replays every combination of the listed settings on every chat (a file, or every .jsonl and .json chat in a folder that fms replay reads) on worker threads, and prints a table or one JSON object of runs: contextTokens, evictions and engine time as fms replay --json gives them, and facts kept: the live facts of the run\'s Facts ledger (the latest value of each holder\'s attribute; the ledger holds every fact the chat states whatever the budget) whose sentence is in the final context, or for a chat written by the eval with its planted facts beside it (x.jsonl and x.facts.json), the planted facts as the eval counts them. --policy, --max-tokens, --window and --recall take comma-separated lists and --weights I,U,R triples separated by ; (each may also be repeated); the other engine flags take one value, applied to every run (a saved session runs under its own settings, overridden by the flags). Replays are deterministic: the same settings give the same numbers. `fms sweep merge a.json b.json ...` joins the --json outputs of the shards of one grid.',
    flags: [
      { flag: 'json', help: 'print one JSON object {grid, shard, runs: [{index, file, settings, contextTokens, factsKept, factsTotal, evictions, engineMsTotal, ...}]} instead of the table' },
      { flag: 'workers', value: 'N', help: 'worker threads (default: every core); the output does not depend on it' },
      { flag: 'shard', value: 'i/n', help: 'run only the i-th of n slices of the grid (every n-th run): sweep outputs of all n merge with fms sweep merge' },
      { flag: 'progress', help: 'runs done / total on stderr even when it is not a terminal (on a terminal it always is)' },
      { flag: 'tokenizer', value: 'qwen3|PATH|HUB_ID', default: 'qwen3', help: 'the tokenizer that counts tokens (each worker loads it once)' },
    ],
    engine: { heading: 'Engine settings (the swept five take lists, as above; the others one value, for every run)' },
    limits: true,
    repeatable: ['policy', 'max-tokens', 'window', 'recall', 'weights'],
  },
  {
    name: 'serve',
    brief: 'browser mode: the UI and the engine on 127.0.0.1',
    summary: 'Browser mode: serves the UI and the engine on 127.0.0.1 until Ctrl+C (needs `npm run build`).',
    flags: [
      { flag: 'port', value: 'N', default: '5174', help: 'the port on 127.0.0.1' },
      { flag: 'data', value: 'DIR', help: 'where the autosave and downloaded models live (default $XDG_DATA_HOME/finite-memory-studio)' },
    ],
    limits: true,
  },
];

export function commandSpec(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Size limits on input (one catalog in src/shared/limits.ts). */
export const LIMIT_OPTIONS = Object.fromEntries(LIMIT_CATALOG.map((l) => [l.flag, { type: 'string' }])) as Record<string, { type: 'string' }>;

/** A command's parseArgs options: its own flags, then the engine settings and limits it takes. */
export function commandOptions(spec: CommandSpec): Options {
  const own = Object.fromEntries(spec.flags.map((f) => [f.flag, f.value === undefined ? { type: 'boolean', default: false } : { type: 'string', ...(f.default === undefined ? {} : { default: f.default }) }]));
  const engine = spec.engine ? Object.fromEntries(Object.entries(ENGINE_OPTIONS).map(([flag, o]) => [flag, spec.repeatable?.includes(flag) ? { ...o, multiple: true } : o])) : {};
  return { ...own, ...engine, ...(spec.limits ? LIMIT_OPTIONS : {}) } as Options;
}
