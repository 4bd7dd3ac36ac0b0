/**
 * Opens a conversation file from disk (Node only): only regular files (a FIFO would block forever,
 * /dev/zero never ends), within the file limit, streamed through ConversationReader so a JSONL export of
 * hundreds of MB is parsed line by line. Errors are one line naming the file.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { DEFAULT_LIMITS, tooLarge, TooLargeError, type Limits } from '../../shared/limits.js';
import { ConversationReader } from '../formats/conversationReader.js';
import type { ConversationText } from '../formats/conversationText.js';

/** The file could not be read (missing, not a regular file, permissions): an I/O problem, not a bad file. */
export class FileAccessError extends Error {}

export interface ReadOptions {
  limits?: Limits;
  /** Bytes read so far and the file's size, every chunk. */
  onProgress?: (read: number, total: number) => void;
  /** Of another tool's file that holds several chats, which to open (1-based, or a title; default the first). */
  conversation?: number | string;
}

export async function readConversationFile(file: string, options: ReadOptions = {}): Promise<ConversationText> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  // O_NONBLOCK: opening a FIFO with no writer returns at once instead of blocking; fstat then refuses it
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch((err: NodeJS.ErrnoException) => {
    throw new FileAccessError(`cannot read "${file}": ${openError(err)}`);
  });
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new FileAccessError(`cannot read "${file}": it is a directory`);
    if (!info.isFile()) throw new FileAccessError(`cannot read "${file}": not a regular file (a FIFO, device or socket); only files can be opened`);
    if (info.size > limits.fileBytes) throw new TooLargeError(tooLarge('fileBytes', `"${file}"`, info.size, limits));
    const reader = new ConversationReader(file, limits);
    let read = 0;
    for await (const chunk of handle.createReadStream({ encoding: 'utf8', highWaterMark: 2 ** 20, autoClose: false })) {
      reader.push(chunk as string);
      read = reader.bytes;
      options.onProgress?.(read, info.size);
    }
    // the session codec and the import formats (and the schemas they build) are loaded only for a file that is a document
    if (!reader.maybeDocument) return reader.end();
    const { documentParsers } = await import('../formats/conversationText.js');
    return reader.end(documentParsers(options.conversation));
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function openError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENXIO':
      return 'not a regular file (a socket or a device without a reader)';
    default:
      return err.message;
  }
}
