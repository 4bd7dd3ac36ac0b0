import { stat } from 'node:fs/promises';
import path from 'node:path';
import { dialog, type BrowserWindow } from 'electron';
import type { PickedFile } from '../shared/bridge.js';
import { writeFileAtomic } from '../engine/node/sessionFile.js';
import type { AppStateStore } from './appState.js';

export const SESSION_FILTERS = [
  { name: 'Sessions and chats', extensions: ['json', 'jsonl'] },
  { name: 'All files', extensions: ['*'] },
];

export interface SessionFilesOptions {
  window: () => BrowserWindow | undefined;
  state: AppStateStore;
  /** Lets the engine host read or write exactly this file; resolves with the handle once it may. */
  grant: (file: string, mode: 'read' | 'write') => Promise<string>;
}

/** A dialog's default: a file name only, at most 200 characters (its extension kept). */
export function defaultFileName(name: string): string {
  const base = path.basename(name);
  if (base.length <= 200) return base;
  const ext = path.extname(base).slice(0, 20);
  return base.slice(0, 200 - ext.length) + ext;
}

/** A regular file (not a folder, device or pipe) that exists now. */
async function isRegularFile(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * Native dialogs for sessions, shared by the bridge and the menu: each picked file is granted to the
 * engine host before the renderer hears of it, and only its handle (plus a name to show) leaves main.
 */
export class SessionFiles {
  readonly #o: SessionFilesOptions;

  constructor(options: SessionFilesOptions) {
    this.#o = options;
  }

  async #picked(file: string, mode: 'read' | 'write'): Promise<PickedFile> {
    const handle = await this.#o.grant(file, mode);
    this.#o.state.addRecent(file);
    return { handle, name: path.basename(file), path: file };
  }

  async open(): Promise<PickedFile | undefined> {
    const win = this.#o.window();
    if (!win) return undefined;
    const r = await dialog.showOpenDialog(win, { properties: ['openFile'], filters: SESSION_FILTERS });
    const file = r.canceled ? undefined : r.filePaths[0];
    return file ? this.#picked(file, 'read') : undefined;
  }

  async save(defaultName: string): Promise<PickedFile | undefined> {
    const win = this.#o.window();
    if (!win) return undefined;
    const r = await dialog.showSaveDialog(win, { defaultPath: defaultFileName(defaultName), filters: [{ name: 'Session', extensions: ['json'] }] });
    return !r.canceled && r.filePath ? this.#picked(r.filePath, 'write') : undefined;
  }

  /** One recent file (the menu's Open Recent); an error when it is gone. */
  async openRecent(file: string): Promise<PickedFile> {
    if (!(await isRegularFile(file))) throw new Error(`${file} is no longer there`);
    return this.#picked(file, 'read');
  }

  /** The recent files that still exist, each granted for reading. */
  async recent(): Promise<PickedFile[]> {
    const files = this.#o.state.state.recent;
    const exists = await Promise.all(files.map(isRegularFile));
    const present = files.filter((_, i) => exists[i]);
    const handles = await Promise.all(present.map((file) => this.#o.grant(file, 'read')));
    return present.map((file, i) => ({ handle: handles[i], name: path.basename(file), path: file }));
  }

  /** Save dialog + atomic write by main (exports): resolves with the path, or undefined if cancelled. */
  async saveText(defaultName: string, text: string): Promise<string | undefined> {
    const win = this.#o.window();
    if (!win) return undefined;
    const r = await dialog.showSaveDialog(win, { defaultPath: defaultFileName(defaultName) });
    if (r.canceled || !r.filePath) return undefined;
    await writeFileAtomic(r.filePath, text, 'export');
    return r.filePath;
  }
}
