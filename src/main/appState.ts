import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const DEFAULT_BOUNDS = { width: 1400, height: 900 };

// Each field falls back on its own: odd window bounds must not cost the user their recent files.
const StateSchema = z.object({
  bounds: z.object({ width: z.int().min(400), height: z.int().min(300), x: z.int().optional(), y: z.int().optional() }).catch(DEFAULT_BOUNDS),
  recent: z.array(z.string()).max(20).catch([]),
});
export type AppState = z.infer<typeof StateSchema>;

const MAX_RECENT = 10;

/** Window size and recent sessions, remembered in userData/state.json (a corrupt file means defaults). */
export class AppStateStore {
  readonly #file: string;
  readonly #recentListeners = new Set<() => void>();
  state: AppState;

  constructor(dir: string) {
    this.#file = path.join(dir, 'state.json');
    this.state = AppStateStore.read(this.#file);
  }

  static read(file: string): AppState {
    try {
      const parsed = StateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // missing or corrupt: defaults
    }
    return StateSchema.parse({});
  }

  addRecent(file: string): void {
    this.state.recent = [file, ...this.state.recent.filter((f) => f !== file)].slice(0, MAX_RECENT);
    this.save();
    for (const listener of this.#recentListeners) listener();
  }

  /** Called after the recent list changed (main rebuilds the Open Recent menu); returns an unsubscribe. */
  onRecentChange(listener: () => void): () => void {
    this.#recentListeners.add(listener);
    return () => this.#recentListeners.delete(listener);
  }

  setBounds(bounds: AppState['bounds']): void {
    this.state.bounds = bounds;
    this.save();
  }

  save(): void {
    mkdirSync(path.dirname(this.#file), { recursive: true });
    const tmp = `${this.#file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state, undefined, 2));
    renameSync(tmp, this.#file);
  }
}
