import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { ROLES, type Role } from '../shared/protocol.js';
import { parseSession } from '../engine/sessionCodec.js';

export interface ReplayMessage {
  role: Role;
  content: string;
}

const MAX_BYTES = 256 * 1024 * 1024;
const LineSchema = z.object({ role: z.enum(ROLES), content: z.string() });

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
  if (looksLikeSession(text)) {
    const parsed = parseSession(text);
    if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`);
    return { kind: 'session', messages: parsed.session.messages.map((m) => ({ role: m.role, content: m.content })) };
  }
  return { kind: 'jsonl', messages: parseJsonl(text, file) };
}

/** Sessions are one pretty-printed JSON object that opens with its "format" key; JSONL lines open with {"role". */
function looksLikeSession(text: string): boolean {
  const head = text.trimStart();
  const firstLine = head.slice(0, head.indexOf('\n') >>> 0).trim();
  return firstLine === '{' || /^\{\s*"format"/.test(head.slice(0, 200));
}

/** Parses JSONL messages; blank lines are skipped; errors name the line. */
export function parseJsonl(text: string, file = 'input'): ReplayMessage[] {
  const out: ReplayMessage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${i + 1}: not valid JSON`);
    }
    const parsed = LineSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${file}:${i + 1}: ${issue.path.join('.') || 'message'}: ${issue.message}`);
    }
    out.push(parsed.data);
  }
  if (out.length === 0) throw new Error(`${file}: no messages`);
  return out;
}
