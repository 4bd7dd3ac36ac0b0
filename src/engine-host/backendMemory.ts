import { mkdir, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BackendConfigSchema, type BackendConfig } from '../shared/protocol.js';
import { writeFileAtomic } from '../engine/node/sessionFile.js';

/**
 * Remembers the connected backend beside the autosave (never its API key), so a host restarted after a
 * crash reconnects to the same model. The key comes from the parent (main's encrypted store, or the
 * server's memory in browser mode).
 */
export class BackendMemory {
  readonly #file: string | undefined;

  constructor(file: string | undefined) {
    this.#file = file;
  }

  async remember(config: BackendConfig): Promise<void> {
    if (!this.#file) return;
    if (config.kind === 'none') {
      await unlink(this.#file).catch(() => undefined);
      return;
    }
    const stored: BackendConfig = config.kind === 'openai' ? { kind: 'openai', baseUrl: config.baseUrl, model: config.model } : config;
    // best effort: without it a restart comes back without a model, which the UI shows
    await mkdir(dirname(this.#file), { recursive: true }).catch(() => undefined);
    await writeFileAtomic(this.#file, JSON.stringify(stored), 'backend settings').catch(() => undefined);
  }

  async recall(): Promise<BackendConfig | undefined> {
    if (!this.#file) return undefined;
    try {
      const parsed = BackendConfigSchema.safeParse(JSON.parse(await readFile(this.#file, 'utf8')));
      return parsed.success && parsed.data.kind !== 'none' ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}
