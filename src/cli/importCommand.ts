import type { Limits } from '../shared/limits.js';
import { formatBytes } from '../shared/limits.js';
import { writeFileAtomic } from '../engine/node/sessionFile.js';
import { importNote, readReplayInput } from './replayInput.js';
import { inputError } from './inputError.js';

export interface ImportFlags {
  file: string;
  /** Where the JSONL goes (atomically); stdout without it. */
  out?: string;
  conversation?: number | string;
  limits?: Limits;
}

/**
 * `fms import FILE [--out FILE]`: another tool's chat (or our own JSONL or session) as JSONL of
 * {"role","content"} lines (a pin kept as "pinned"), with one stderr line on what was read.
 */
export async function runImport(flags: ImportFlags): Promise<number> {
  let input;
  try {
    input = await readReplayInput(flags.file, flags.limits, flags.conversation);
  } catch (err) {
    throw inputError((err as Error).message);
  }
  const text = input.messages.map((m) => `${JSON.stringify(m.pinned === undefined ? { role: m.role, content: m.content } : { role: m.role, content: m.content, pinned: m.pinned })}\n`).join('');
  const note = input.imported ? importNote(flags.file, input.imported) : `${flags.file}: ${input.kind === 'session' ? 'a saved session' : 'JSONL of messages'}, ${input.messages.length} messages\n`;
  process.stderr.write(`fms: ${note}`);
  if (!flags.out) {
    process.stdout.write(text);
    return 0;
  }
  const bytes = await writeFileAtomic(flags.out, text, 'JSONL file').catch((err: Error) => Promise.reject(inputError(err.message)));
  process.stderr.write(`fms: wrote ${input.messages.length} messages to ${flags.out} (${formatBytes(bytes)})\n`);
  return 0;
}
