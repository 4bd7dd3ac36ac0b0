import path from 'node:path';
import { CommandError } from './errors.js';

interface Grant {
  path: string;
  mode: 'read' | 'write';
}

/**
 * Files the host may touch beyond its own data folder: exactly the ones the user picked in a native
 * dialog, each granted by the parent (Electron main) under an opaque handle. A client names a handle,
 * never a path; in browser mode there are no grants, and files travel as text over the socket.
 */
export class FileGrants {
  readonly #grants = new Map<string, Grant>();

  grant(handle: string, file: string, mode: Grant['mode']): void {
    this.#grants.set(handle, { path: path.resolve(file), mode });
  }

  /** The path behind a handle, for this kind of access; a CommandError when there is none. */
  resolve(handle: string, mode: Grant['mode']): string {
    const g = this.#grants.get(handle);
    if (!g) {
      throw new CommandError(
        'io',
        this.#grants.size === 0
          ? 'this engine opens and saves files only through the app (browser mode: open uploads the file, save downloads it)'
          : 'that file is no longer available to the engine (it restarted since the file was picked); pick it again',
      );
    }
    if (g.mode !== mode) throw new CommandError('io', `"${path.basename(g.path)}" was picked for ${g.mode === 'read' ? 'opening' : 'saving'}, not ${mode === 'read' ? 'opening' : 'saving'}`);
    return g.path;
  }
}
