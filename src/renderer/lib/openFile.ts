import type { HostEvent } from '../../shared/protocol';
import { tooLarge, utf8Length } from '../../shared/limits';
import { send, subscribeEvents } from '../client/connection';
import { notify, sessionStore } from '../state/stores';

/** Text per upload chunk (one command each; far under the command limit). */
const CHUNK_CHARS = 1 << 20;
/** Bytes sent and not yet taken by the engine at most: the upload waits for the engine, never floods it. */
const WINDOW_BYTES = 4 << 20;

/** The file this page last opened (a picked or dropped File, or a desktop dialog's grant): opened again for another of its conversations. */
export type OpenedSource = { file: File } | { handle: string };
let lastOpened: OpenedSource | undefined;

export function lastOpenedSource(): OpenedSource | undefined {
  return lastOpened;
}

/** Opens a file the desktop granted the engine (dialog, menu, recent list); of a file with several chats, `conversation`. */
export function openGranted(handle: string, conversation?: number): void {
  lastOpened = { handle };
  send(conversation === undefined ? { type: 'openSession', handle } : { type: 'openSession', handle, conversation });
}

/** Opens the last opened file again with another of its conversations (an import holding several). */
export function reopenConversation(conversation: number): boolean {
  const source = lastOpened;
  if (!source) return false;
  if ('handle' in source) openGranted(source.handle, conversation);
  else void openLocalFile(source.file, conversation);
  return true;
}

/**
 * Opens a dropped or picked file in the engine (JSONL chat, saved session, or another tool's chat) by
 * streaming its text in chunks: a file of hundreds of MB never travels as one message, the engine parses
 * it as it arrives, and the header shows the progress. Refused early when it is over the engine's file
 * limit. Of another tool's file with several chats, `conversation` (from 1) is the one opened.
 */
export async function openLocalFile(file: File, conversation?: number): Promise<void> {
  const { limits, upload, connection } = sessionStore.getState();
  if (connection !== 'connected') return notify('error', 'The engine is not connected yet; try again in a moment.');
  if (upload) return notify('error', `Still opening ${upload.name}; wait for it to finish.`);
  if (file.size > limits.fileBytes) return notify('error', tooLarge('fileBytes', file.name, file.size, limits));
  const id = `upload-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  let received = 0;
  let failed: string | undefined;
  let wake: (() => void) | undefined;
  const stop = subscribeEvents((e: HostEvent) => {
    if (e.type === 'openProgress' && e.id === id) received = e.received;
    else if (e.type === 'error' && e.id === id) failed = e.message; // the engine said why; it is shown already
    else if (e.type === 'helloAck') failed = 'the engine reconnected while the file was being sent';
    wake?.();
  });
  const progress = () => new Promise<void>((resolve) => (wake = resolve));
  sessionStore.setState({ upload: { id, name: file.name, received: 0, total: file.size } });
  lastOpened = { file };
  send(conversation === undefined ? { type: 'openBegin', id, name: file.name, bytes: file.size } : { type: 'openBegin', id, name: file.name, bytes: file.size, conversation });
  try {
    const reader = file.stream().getReader();
    const decoder = new TextDecoder();
    let sent = 0;
    let pending = '';
    for (;;) {
      const { done, value } = await reader.read();
      pending += done ? decoder.decode() : decoder.decode(value, { stream: true });
      if (pending.length >= CHUNK_CHARS || (done && pending !== '')) {
        sent += utf8Length(pending);
        send({ type: 'openChunk', id, text: pending });
        pending = '';
        while (failed === undefined && sent - received > WINDOW_BYTES) await progress();
      }
      if (failed !== undefined) {
        await reader.cancel().catch(() => undefined);
        break;
      }
      if (done) break;
    }
    if (failed === undefined) send({ type: 'openEnd', id });
    else sessionStore.setState({ upload: undefined });
  } catch (err) {
    notify('error', `cannot read ${file.name}: ${(err as Error).message}`);
    send({ type: 'cancel', id });
    sessionStore.setState({ upload: undefined });
  } finally {
    stop();
  }
}

/** The chat message limit, checked before sending (the engine would refuse it anyway). */
export function messageTooLarge(text: string): string | undefined {
  const { limits } = sessionStore.getState();
  const n = utf8Length(text, limits.messageBytes);
  return n > limits.messageBytes ? tooLarge('messageBytes', 'the message', n, limits) : undefined;
}
