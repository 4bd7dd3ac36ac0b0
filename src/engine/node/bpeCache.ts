import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeBpeData, encodeBpeData, BPE_DATA_VERSION, type BpeData } from '../core/bpe/bpeData.js';

/**
 * Where pre-parsed tokenizers are kept: FMS_TOKENIZER_CACHE, else node_modules/.cache/fms-tokenizers
 * beside the installed packages (the usual place for build caches; `npm ci` rebuilds it through
 * `prepare`, and a missing file is rebuilt on first use), else the temp folder.
 */
export function bpeCacheDir(nodeModules: string | undefined): string {
  return process.env.FMS_TOKENIZER_CACHE || (nodeModules ? path.join(nodeModules, '.cache', 'fms-tokenizers') : path.join(tmpdir(), 'fms-tokenizers'));
}

/** The cache file's name for a tokenizer folder: changes with the files' size and time and the data version. */
function cacheKey(dir: string): string {
  const stamp = (name: string): string => {
    try {
      const s = statSync(path.join(dir, name));
      return `${s.size}:${s.mtimeMs}`;
    } catch {
      return '-';
    }
  };
  const abs = path.resolve(dir);
  const hash = fnv1a64(`${BPE_DATA_VERSION}\0${abs}\0${stamp('tokenizer.json')}\0${stamp('tokenizer_config.json')}`);
  return `${path.basename(path.dirname(abs))}-${path.basename(abs)}-${hash}`.replace(/[^\w.-]/g, '_');
}

/** FNV-1a, 64 bits as 16 hex digits: a file name, not a secret (node:crypto costs start-up time to load). */
function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) h = BigInt.asUintN(64, (h ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n);
  return h.toString(16).padStart(16, '0');
}

/** The pre-parsed tokenizer, or why there is none; `built` when it was built from tokenizer.json just now. */
export type BpeLoad = ({ data: BpeData } | { unsupported: string }) & { built?: boolean };

/**
 * The pre-parsed form of the tokenizer in `dir`: read from the cache, else built from tokenizer.json
 * (about a second) and written there for the next process; `unsupported` (remembered too) when the
 * tokenizer is not a byte-level BPE that BpeTokenizer reproduces exactly.
 */
export async function loadBpeData(dir: string, cacheDir: string): Promise<BpeLoad> {
  const file = path.join(cacheDir, `${cacheKey(dir)}.bin`);
  const cached = readCached(file);
  if (cached) return cached;
  const built = await buildFromJson(dir);
  const bytes = 'data' in built ? encodeBpeData(built.data) : new TextEncoder().encode(`unsupported: ${built.unsupported}`);
  try {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, file); // whole or not at all, also with several processes building at once
    // the folder's older files (changed tokenizer, older format) go: one file per tokenizer folder
    const prefix = path.basename(file).replace(/[0-9a-f]{16}\.bin$/, '');
    for (const f of readdirSync(cacheDir)) if (f.startsWith(prefix) && /^[0-9a-f]{16}\.bin$/.test(f.slice(prefix.length)) && f !== path.basename(file)) rmSync(path.join(cacheDir, f), { force: true });
  } catch {
    // a read-only install: this process keeps what it built
  }
  return { ...built, built: true };
}

function readCached(file: string): BpeLoad | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const text = bytes.subarray(0, 13).toString('latin1');
  if (text === 'unsupported: ') return { unsupported: bytes.subarray(13).toString('utf8') };
  const data = decodeBpeData(bytes);
  return data ? { data } : undefined;
}

async function buildFromJson(dir: string): Promise<BpeLoad> {
  const { buildBpeData } = await import('../core/bpe/buildBpeData.js');
  const json: unknown = JSON.parse(readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'));
  return buildBpeData(json as Parameters<typeof buildBpeData>[0], readConfig(dir));
}

/** tokenizer_config.json, or {} without one. */
export function readConfig(dir: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8');
  } catch {
    return {};
  }
  return JSON.parse(text) as Record<string, unknown>;
}
