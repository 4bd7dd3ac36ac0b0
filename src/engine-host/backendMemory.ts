import { mkdir, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BackendConfigSchema, type BackendConfig } from '../shared/protocol.js';
import { writeFileAtomic } from '../engine/node/sessionFile.js';

/**
 * A small JSON setting the host keeps beside the autosave: written whole, best effort (a write that
 * fails only means a restart comes back without it), and read back only when `read` accepts it.
 */
export class JsonMemory<T> {
  readonly #file: string | undefined;
  readonly #what: string;
  readonly #read: (value: unknown) => T | undefined;

  constructor(file: string | undefined, what: string, read: (value: unknown) => T | undefined) {
    this.#file = file;
    this.#what = what;
    this.#read = read;
  }

  async remember(value: unknown): Promise<void> {
    if (!this.#file) return;
    await mkdir(dirname(this.#file), { recursive: true }).catch(() => undefined);
    await writeFileAtomic(this.#file, JSON.stringify(value), this.#what).catch(() => undefined);
  }

  async forget(): Promise<void> {
    if (this.#file) await unlink(this.#file).catch(() => undefined);
  }

  async recall(): Promise<T | undefined> {
    if (!this.#file) return undefined;
    try {
      return this.#read(JSON.parse(await readFile(this.#file, 'utf8')));
    } catch {
      return undefined;
    }
  }
}

/**
 * Remembers the connected backend beside the autosave (never its API key), so a host restarted after a
 * crash reconnects to the same model. The key comes from the parent (main's encrypted store, or the
 * server's memory in browser mode).
 */
export class BackendMemory {
  readonly #memory: JsonMemory<BackendConfig>;

  constructor(file: string | undefined) {
    this.#memory = new JsonMemory(file, 'backend settings', (value) => {
      const parsed = BackendConfigSchema.safeParse(value);
      return parsed.success && parsed.data.kind !== 'none' ? parsed.data : undefined;
    });
  }

  async remember(config: BackendConfig): Promise<void> {
    if (config.kind === 'none') return this.#memory.forget();
    // without it a restart comes back without a model, which the UI shows
    await this.#memory.remember(config.kind === 'openai' ? { kind: 'openai', baseUrl: config.baseUrl, model: config.model } : config);
  }

  recall(): Promise<BackendConfig | undefined> {
    return this.#memory.recall();
  }
}
