import { readFile, stat } from 'node:fs/promises';
import type { ChatMessageData } from '../shared/protocol.js';
import { parseConversationText } from '../engine/conversationText.js';

export type ReplayMessage = ChatMessageData;

const MAX_BYTES = 256 * 1024 * 1024;

/** Reads a replay input: JSONL of {"role","content"} lines, or a saved session. Throws one-line errors. */
export async function readReplayInput(file: string): Promise<{ messages: ReplayMessage[]; kind: 'jsonl' | 'session' }> {
  let text: string;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new Error(`"${file}" is a directory`);
    if (info.size > MAX_BYTES) throw new Error(`"${file}" is too large (${(info.size / 2 ** 20).toFixed(1)} MB; limit 256 MB)`);
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`cannot read "${file}": no such file`);
    if (code === 'EACCES') throw new Error(`cannot read "${file}": permission denied`);
    throw err instanceof Error ? err : new Error(String(err));
  }
  const parsed = parseConversationText(text, file);
  return { kind: parsed.kind, messages: parsed.messages };
}
