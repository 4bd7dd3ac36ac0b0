import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_LIMITS, formatBytes, LIMIT_CATALOG, parseByteSize, type Limits } from '../shared/limits.js';
import { flagHelp, flagUsage } from '../shared/config.js';
import { ENGINE_OPTIONS, engineFlags } from './engineFlags.js';
import { runReplay } from './replayCommand.js';

const USAGE = `usage: fms chat [--backend local|openai] [--model ID|PATH] [--base-url URL] [--api-key KEY]
                [POLICY FLAGS] [--max-new-tokens 512] [--system TEXT] [--message TEXT [--json]]
       fms serve [--port 5174] [--data DIR] [LIMIT FLAGS]
       fms replay <file> [POLICY FLAGS] [LIMIT FLAGS] [--model PATH [--embedding-model PATH]] [--json]
                   [--tokenizer qwen3|PATH|HUB_ID] [--metrics FILE] [--dump FILE]
                   [--profile FILE.speedscope.json] [--trace FILE.trace.json]
                   [--mask FILE.json [--mask-format block|dense|coo|longformer] [--mask-block 64]]
POLICY FLAGS: ${wrap(flagUsage(), 14)}
${flagHelp('              ')}
LIMIT FLAGS (sizes like 16MiB, 512KiB or bytes): ${LIMIT_CATALOG.map((l) => `[--${l.flag} ${formatBytes(l.default).replace(' ', '')}]`).join(' ')}
              ${LIMIT_CATALOG.map((l) => `--${l.flag}: ${l.help}`).join('; ')}
replay --model PATH: a local model for the policies' model step (importance probes, summaries; with
              --embedding-model, embeddings for semantic and hybrid); without it they use their
              labelled fallbacks.`;

/** Thrown for bad input: printed as one line, exit code 2. */
export class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  try {
    if (command === 'serve') return await serve(rest);
    if (command === 'chat') return await chat(rest);
    if (command !== 'replay') throw new UsageError(`unknown command "${command}"\n${USAGE}`);
    const { values, positionals } = parse(rest, {
      ...ENGINE_OPTIONS,
      json: { type: 'boolean', default: false },
      model: { type: 'string' },
      'embedding-model': { type: 'string' },
      tokenizer: { type: 'string', default: 'qwen3' },
      metrics: { type: 'string' },
      dump: { type: 'string' },
      profile: { type: 'string' },
      trace: { type: 'string' },
      mask: { type: 'string' },
      'mask-format': { type: 'string', default: 'block' },
      'mask-block': { type: 'string', default: '64' },
      ...LIMIT_OPTIONS,
    }, true);
    if (positionals.length !== 1) throw new UsageError(`replay takes exactly one file (got ${positionals.length})`);
    return await runReplay({
      file: positionals[0],
      ...engineFlags(values, (m) => new UsageError(m)),
      model: values.model,
      embeddingModel: values['embedding-model'],
      json: values.json,
      tokenizer: values.tokenizer,
      metrics: values.metrics,
      dump: values.dump,
      profile: values.profile,
      trace: values.trace,
      mask: values.mask,
      maskFormat: values['mask-format'],
      maskBlock: intFlag('--mask-block', values['mask-block']),
      limits: limitFlags(values),
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`fms: ${message.split('\n')[0]}\n`);
    return err instanceof UsageError || (err as { exitCode?: number }).exitCode === 2 ? 2 : 1;
  }
}

async function chat(args: string[]): Promise<number> {
  const { values } = parse(args, {
    ...ENGINE_OPTIONS,
    backend: { type: 'string', default: 'local' },
    model: { type: 'string' },
    'base-url': { type: 'string' },
    'api-key': { type: 'string' },
    'max-new-tokens': { type: 'string', default: '512' },
    system: { type: 'string' },
    message: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (values.backend !== 'local' && values.backend !== 'openai') throw new UsageError(`unknown backend "${values.backend}" (local or openai)`);
  if (values.json && values.message === undefined) throw new UsageError('--json needs --message');
  const { runChat } = await import('./chatCommand.js');
  return runChat({
    backend: values.backend,
    model: values.model,
    baseUrl: values['base-url'],
    apiKey: values['api-key'],
    ...engineFlags(values, (m) => new UsageError(m)),
    maxNewTokens: intFlag('--max-new-tokens', values['max-new-tokens']),
    system: values.system,
    message: values.message,
    json: values.json,
  });
}

async function serve(args: string[]): Promise<number> {
  const { values } = parse(args, { port: { type: 'string', default: '5174' }, data: { type: 'string' }, ...LIMIT_OPTIONS });
  const { runServe } = await import('./serveCommand.js');
  return runServe({ port: intFlag('--port', values.port), data: values.data, limits: limitFlags(values) });
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Size limits on input (one catalog in src/shared/limits.ts). */
const LIMIT_OPTIONS = Object.fromEntries(LIMIT_CATALOG.map((l) => [l.flag, { type: 'string' }])) as Record<string, { type: 'string' }>;

function limitFlags(values: Record<string, unknown>): Limits {
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

/** Strict flag parsing; a bad flag is a one-line usage error. */
function parse<O extends Options>(args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

function intFlag(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} must be a whole number (got "${value}")`);
  return Number(value);
}

/** Wraps a line of bracketed flags at about 100 columns, continuing lines at the indent. */
function wrap(text: string, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const part of text.split(/ (?=\[)/)) {
    if (line && indent + line.length + part.length + 1 > 100) {
      lines.push(line);
      line = part;
    } else line = line ? `${line} ${part}` : part;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}
