import { send } from '../engine/connection';
import { notify } from '../state/stores';

const MAX_BYTES = 256 * 2 ** 20;

/** Reads a dropped or picked file and asks the engine to open it (JSONL chat or saved session). */
export async function openLocalFile(file: File): Promise<void> {
  if (file.size > MAX_BYTES) {
    notify('error', `${file.name} is too large (${(file.size / 2 ** 20).toFixed(1)} MB; limit 256 MB)`);
    return;
  }
  try {
    send({ type: 'openSessionText', name: file.name, text: await file.text() });
  } catch (err) {
    notify('error', `cannot read ${file.name}: ${(err as Error).message}`);
  }
}
