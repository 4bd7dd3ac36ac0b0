import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_LIMITS, LIMIT_CATALOG, parseByteSize, type Limits } from '../shared/limits.js';
import { settingOf } from '../shared/config.js';
import { COMMANDS, commandOptions, commandSpec, type CommandSpec } from './commands.js';
import { engineFlags, givenSettings } from './engineFlags.js';
import { commandHelp, overviewHelp, VERSION } from './help.js';
import { runReplay } from './replayCommand.js';
import { parseShard, SWEEP_AXES, type Shard } from './sweepGrid.js';
import { applyHubSettings, type HubSettings } from '../engine/node/hubEndpoint.js';
import { DEFAULT_TOKENIZER } from '../engine/node/loadTokenizer.js';

/** Thrown for bad input: printed as one line, exit code 2. */
export class UsageError extends Error {}

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** The subcommands, by name (their flags and help are in commands.ts). */
const RUN: Record<string, (values: Values, positionals: string[], hub?: HubSettings) => Promise<number>> = { replay, import: importChat, chat, serve, sweep };

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const out = (text: string): void => void process.stdout.write(text);
  if (command === undefined) return (out(overviewHelp()), 2);
  if (command === '--version' || command === '-V') return (out(`${VERSION}\n`), 0);
  try {
    if (command === 'help' || command === '--help' || command === '-h') return (out(helpFor(rest[0])), 0);
    const spec = commandSpec(command);
    if (!spec) throw new UsageError(`unknown command "${command}" (commands: ${COMMANDS.map((c) => c.name).join(', ')}; see fms help)`);
    if (wantsHelp(rest)) return (out(commandHelp(spec)), 0);
    const { values, positionals } = parse(spec, rest);
    const hub = needsHub(spec.name, values) ? await hubSettings() : undefined;
    return await RUN[spec.name](values, positionals, hub);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`fms: ${message.split('\n')[0]}\n`);
    return err instanceof UsageError || (err as { exitCode?: number }).exitCode === 2 ? 2 : 1;
  }
}

/**
 * Whether this command may load from the Hub through transformers.js in this process: a model, a local
 * chat backend, a tokenizer that is not a local folder. Not for the default tokenizer (applying the
 * settings imports transformers.js, the heaviest module we have; serve's engine host sets its own).
 */
function needsHub(command: string, values: Values): boolean {
  if (command === 'chat') return values.backend !== 'openai';
  if (command !== 'replay' && command !== 'sweep') return false;
  const tokenizer = str(values, 'tokenizer');
  return values.model !== undefined || (tokenizer !== undefined && tokenizer !== DEFAULT_TOKENIZER && !existsSync(tokenizer));
}

/** HF_ENDPOINT and the models folder, for the commands that load models in this process (serve's engine host sets its own). */
async function hubSettings(): Promise<HubSettings> {
  const { defaultDataDir } = await import('./serveCommand.js');
  const settings = { endpoint: process.env.HF_ENDPOINT, cacheDir: path.join(defaultDataDir(), 'models') };
  await applyHubSettings(settings).catch((err: Error) => Promise.reject(new UsageError(err.message)));
  return settings;
}

/** `fms help [COMMAND]`. */
function helpFor(name: string | undefined): string {
  if (name === undefined) return overviewHelp();
  const spec = commandSpec(name);
  if (!spec) throw new UsageError(`no help for "${name}": the commands are ${COMMANDS.map((c) => c.name).join(', ')}`);
  return commandHelp(spec);
}

/** `--help` or `-h` anywhere before a `--`. */
function wantsHelp(args: string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/** Strict flag parsing; a bad flag is one line that points at the command's --help. */
function parse(spec: CommandSpec, args: string[]): { values: Values; positionals: string[] } {
  try {
    return parseArgs({ args, options: commandOptions(spec), strict: true, allowPositionals: spec.args !== undefined });
  } catch (err) {
    throw new UsageError(`${parseProblem(spec, err as Error & { code?: string })} (see fms ${spec.name} --help)`);
  }
}

/** Node's parseArgs errors in our words. */
function parseProblem(spec: CommandSpec, err: Error & { code?: string }): string {
  const first = err.message.split('\n')[0];
  const quoted = /'([^']*)'/.exec(first)?.[1] ?? '';
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option '${quoted}'`;
  if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument '${quoted}': fms ${spec.name} takes no arguments`;
  const flag = /(--[\w-]+)/.exec(first)?.[1];
  if (flag && first.includes('does not take an argument')) return `${flag} takes no value`;
  if (flag && first.includes('ambiguous')) return `${flag} needs a value (one starting with a dash is written ${flag}=-VALUE)`;
  if (flag && first.includes('missing')) return `${flag} needs a value`;
  return first;
}

const str = (values: Values, key: string): string | undefined => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
const bool = (values: Values, key: string): boolean => values[key] === true;
const usage = (m: string): Error => new UsageError(m);

async function replay(values: Values, positionals: string[]): Promise<number> {
  if (positionals.length !== 1) throw new UsageError(`replay takes exactly one file (got ${positionals.length}; see fms replay --help)`);
  return runReplay({
    file: positionals[0],
    settings: givenSettings(values, usage),
    model: str(values, 'model'),
    embeddingModel: str(values, 'embedding-model'),
    json: bool(values, 'json'),
    tokenizer: str(values, 'tokenizer')!,
    metrics: str(values, 'metrics'),
    dump: str(values, 'dump'),
    profile: str(values, 'profile'),
    trace: str(values, 'trace'),
    mask: str(values, 'mask'),
    maskFormat: str(values, 'mask-format')!,
    maskBlock: intFlag('--mask-block', str(values, 'mask-block')!),
    limits: limitFlags(values),
    saveSession: str(values, 'save-session'),
    latencyBudget: bool(values, 'latency-budget'),
    conversation: conversationFlag(str(values, 'conversation')),
  });
}

async function importChat(values: Values, positionals: string[]): Promise<number> {
  if (positionals.length !== 1) throw new UsageError(`import takes exactly one file (got ${positionals.length}; see fms import --help)`);
  const { runImport } = await import('./importCommand.js');
  return runImport({ file: positionals[0], out: str(values, 'out'), conversation: conversationFlag(str(values, 'conversation')), limits: limitFlags(values) });
}

/** --conversation: a number from 1, or a title. */
function conversationFlag(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) {
    if (Number(value) < 1) throw new UsageError('--conversation counts from 1');
    return Number(value);
  }
  if (value.trim() === '') throw new UsageError('--conversation needs a number (from 1) or a title');
  return value;
}

async function chat(values: Values): Promise<number> {
  const backend = str(values, 'backend')!;
  if (backend !== 'local' && backend !== 'openai') throw new UsageError(`unknown backend "${backend}" (local or openai)`);
  const json = bool(values, 'json');
  const message = str(values, 'message');
  if (json && message === undefined) throw new UsageError('--json needs --message');
  const { runChat } = await import('./chatCommand.js');
  return runChat({
    backend,
    model: str(values, 'model'),
    baseUrl: str(values, 'base-url'),
    apiKey: str(values, 'api-key'),
    ...engineFlags(values, usage),
    maxNewTokens: intFlag('--max-new-tokens', str(values, 'max-new-tokens')!),
    system: str(values, 'system'),
    message,
    json,
  });
}

async function sweep(values: Values, positionals: string[], hub?: HubSettings): Promise<number> {
  const { runSweep, runSweepMerge } = await import('./sweepCommand.js');
  if (positionals[0] === 'merge') return runSweepMerge(positionals.slice(1), bool(values, 'json'));
  if (positionals.length !== 1) throw new UsageError(`sweep takes one file or folder (got ${positionals.length}; see fms sweep --help)`);
  const axes: Record<string, string[]> = {};
  const single: Values = { ...values };
  for (const axis of SWEEP_AXES) {
    const flag = settingOf(axis).flag;
    const given = values[flag];
    if (Array.isArray(given)) axes[axis] = given.map(String);
    delete single[flag];
  }
  const workers = str(values, 'workers');
  return runSweep({
    target: positionals[0],
    axes,
    settings: givenSettings(single, usage),
    json: bool(values, 'json'),
    ...(workers === undefined ? {} : { workers: positiveInt('--workers', workers) }),
    ...(str(values, 'shard') === undefined ? {} : { shard: shardFlag(str(values, 'shard')!) }),
    progress: bool(values, 'progress'),
    tokenizer: str(values, 'tokenizer')!,
    limits: limitFlags(values),
    // the workers load a Hub tokenizer themselves: through the same mirror, into the same models folder
    ...(hub ? { hub } : {}),
  });
}

/** --shard i/n, its problems as usage errors. */
function shardFlag(text: string): Shard {
  try {
    return parseShard(text);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function positiveInt(name: string, value: string): number {
  const n = intFlag(name, value);
  if (n < 1) throw new UsageError(`${name} must be at least 1 (got ${value})`);
  return n;
}

async function serve(values: Values): Promise<number> {
  const { runServe } = await import('./serveCommand.js');
  return runServe({ port: intFlag('--port', str(values, 'port')!), data: str(values, 'data'), limits: limitFlags(values) });
}

function limitFlags(values: Values): Limits {
  const out = { ...DEFAULT_LIMITS };
  for (const l of LIMIT_CATALOG) {
    const raw = values[l.flag];
    if (typeof raw !== 'string') continue;
    const n = parseByteSize(raw);
    if (n === undefined) throw new UsageError(`--${l.flag} must be a size such as 16MiB, 512KiB or a number of bytes (got "${raw}")`);
    out[l.name] = n;
  }
  return out;
}

function intFlag(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} must be a whole number (got "${value}")`);
  return Number(value);
}
