import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';
import { z } from 'zod';
import type { SecretStatus, SecretStorage } from '../shared/bridge.js';

const FileSchema = z.record(z.string(), z.string());

/**
 * Secrets (the API key) for main and the engine host only: no IPC handler returns one. Encrypted with
 * safeStorage (base64 in userData/secrets.json) where the OS has a keyring. Where it has none (Linux's
 * `basic_text` backend, whose "encryption" is a fixed key, or no encryption at all) nothing is written:
 * the secret is kept in memory for this run only.
 */
export class SecretStore {
  readonly #file: string;
  readonly #platform: NodeJS.Platform;
  readonly #memory = new Map<string, string>();

  constructor(dir: string, platform: NodeJS.Platform = process.platform) {
    this.#file = path.join(dir, 'secrets.json');
    this.#platform = platform;
  }

  /** Asked each time: the keyring backend is known only once the app is ready. */
  get storage(): SecretStorage {
    if (!safeStorage.isEncryptionAvailable()) return 'session-only';
    if (this.#platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return 'session-only';
    return 'encrypted';
  }

  status(name: string): SecretStatus {
    return { saved: this.get(name) !== undefined, storage: this.storage };
  }

  /** Stores (or, for '', forgets) a secret; forgetting also removes it from disk. */
  set(name: string, value: string): SecretStatus {
    const storage = this.storage;
    const onDisk = this.#read();
    if (value === '' || storage === 'session-only') {
      if (value === '') this.#memory.delete(name);
      else this.#memory.set(name, value);
      if (name in onDisk) this.#write(onDisk, name, undefined);
    } else {
      this.#memory.delete(name);
      this.#write(onDisk, name, safeStorage.encryptString(value).toString('base64'));
    }
    return this.status(name);
  }

  /** For main only (it hands the key to the host). */
  get(name: string): string | undefined {
    const kept = this.#memory.get(name);
    if (kept !== undefined) return kept;
    const enc = this.#read()[name];
    if (!enc || !safeStorage.isEncryptionAvailable()) return undefined;
    let value: string;
    try {
      value = safeStorage.decryptString(Buffer.from(enc, 'base64'));
    } catch {
      return undefined; // another keyring, or not ours: leave it for a run that can read it
    }
    if (this.storage === 'session-only') {
      // written without a keyring (an older build): only obfuscated, so keep it in memory and drop the file's copy
      this.#memory.set(name, value);
      this.#write(this.#read(), name, undefined);
    }
    return value;
  }

  #read(): Record<string, string> {
    try {
      const parsed = FileSchema.safeParse(JSON.parse(readFileSync(this.#file, 'utf8')));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }

  #write(all: Record<string, string>, name: string, value: string | undefined): void {
    const next = { ...all };
    if (value === undefined) delete next[name];
    else next[name] = value;
    mkdirSync(path.dirname(this.#file), { recursive: true });
    const tmp = `${this.#file}.tmp`;
    writeFileSync(tmp, JSON.stringify(next), { mode: 0o600 });
    renameSync(tmp, this.#file);
  }
}
