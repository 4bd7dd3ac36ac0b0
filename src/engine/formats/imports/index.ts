/**
 * Chat imports: chats saved in other tools' formats (OpenAI and Anthropic requests, an OpenAI response,
 * a ChatGPT data export, ShareGPT, Ollama, JSONL of `{messages}` lines) read into our messages, so they
 * can be replayed like our own JSONL. One module per format, each written to its public documentation;
 * this one tells them apart, picks the conversation and words the errors.
 */
import type { ChatMessageData } from '../../../shared/protocol.js';
import { readAnthropic } from './anthropic.js';
import { readChatGPTExport } from './chatgptExport.js';
import { FormatProblem, type Conversation, type ReadResult } from './common.js';
import { detectDocument, type DocumentFormat } from './detect.js';
import { readJsonlMessages, readJsonlValue } from './jsonlMessages.js';
import { readOllama } from './ollama.js';
import { readOpenAIRequest, readOpenAIResponse } from './openai.js';
import { readShareGPT } from './sharegpt.js';

export type ImportFormat = DocumentFormat;

/** Human names for messages, e.g. 'ChatGPT data export (conversations.json)'; in the order formats are tried. */
export const FORMAT_NAMES: Record<ImportFormat, string> = {
  'openai-request': 'OpenAI Chat Completions request',
  'openai-response': 'OpenAI Chat Completions response',
  'chatgpt-export': 'ChatGPT data export (conversations.json)',
  anthropic: 'Anthropic Messages request',
  sharegpt: 'ShareGPT',
  ollama: 'Ollama /api/chat request',
  'jsonl-messages': 'JSONL with a messages array per line',
};

/** One conversation in a file, as a list of them shows it. */
export interface ConversationInfo {
  /** 1-based, as users pick it. */
  index: number;
  /** The conversation's title, or 'conversation N' / 'line N'. */
  title: string;
  messages: number;
}

export interface ImportResult {
  format: ImportFormat;
  /** The chosen conversation's messages (at least one). */
  messages: ChatMessageData[];
  /** The chosen conversation (1-based) and its title. */
  chosen: number;
  title: string;
  /** Every conversation in the file (one entry for single-chat formats), in file order. */
  conversations: ConversationInfo[];
}

/** One-line error: `${name}: ...`. */
export class ImportError extends Error {
  override name = 'ImportError';
}

const FORMATS = Object.keys(FORMAT_NAMES) as ImportFormat[];

/** Reads a parsed document as `format` (a JSONL line on its own for jsonl-messages). */
const READERS: Record<ImportFormat, (value: unknown) => ReadResult> = {
  'openai-request': readOpenAIRequest,
  'openai-response': readOpenAIResponse,
  'chatgpt-export': readChatGPTExport,
  anthropic: readAnthropic,
  sharegpt: readShareGPT,
  ollama: readOllama,
  'jsonl-messages': (value) => readJsonlValue(value, 1),
};

/**
 * `text` is the whole file. Detects the format (JSON documents first; then JSONL lines with `messages`), parses it and
 * returns the chosen conversation: `conversation` is a 1-based index or a title (exact, then case-insensitive, then a
 * string of digits as an index), default 1.
 * Throws ImportError with one line: unknown shape -> names every format tried and the first field that did not fit
 * for the closest format; an unknown conversation -> says how many there are and how to list them; an empty
 * conversation -> says so.
 */
export function importChat(text: string, name: string, options: { conversation?: number | string } = {}): ImportResult {
  const { format, conversations } = readFile(text.replace(/^\uFEFF/, ''), name);
  const list: ConversationInfo[] = conversations.map((c, i) => ({ index: i + 1, title: c.title ?? `conversation ${i + 1}`, messages: c.messages.length }));
  const at = choose(list, options.conversation, name);
  const chosen = list[at];
  const messages = conversations[at]?.messages ?? [];
  if (!chosen || messages.length === 0) {
    const which = list.length === 1 ? 'the chat' : `conversation ${at + 1} (${JSON.stringify(chosen?.title ?? '')})`;
    throw new ImportError(`${name}: ${which} has no messages with text in it (read as ${FORMAT_NAMES[format]})`);
  }
  return { format, messages, chosen: chosen.index, title: chosen.title, conversations: list };
}

/** Whether `value` (a parsed JSON value) is one of the document formats (cheap, no full parse): used to decide how to read a file. */
export function looksLikeImport(value: unknown): boolean {
  return detectDocument(value) !== undefined;
}

function readFile(text: string, name: string): { format: ImportFormat; conversations: Conversation[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return readJsonl(text, name, error);
  }
  const detected = detectDocument(value);
  if (detected) return { format: detected, conversations: read(detected, value, name) };
  // no format's keys: every document format is tried, and the one whose misfit lies deepest is the closest
  let closest: { format: ImportFormat; problem: string; depth: number } | undefined;
  for (const format of FORMATS) {
    if (format === 'jsonl-messages') continue; // a line on its own has `body.messages`, which detection saw
    const result = READERS[format](value);
    if (result.ok) return { format, conversations: result.conversations };
    if (!closest || result.depth > closest.depth) closest = { format, ...result };
  }
  throw unknownShape(name, closest?.format ?? 'openai-request', closest?.problem ?? 'Invalid input');
}

/** Text that is not one JSON value: JSONL with a `messages` array per line, or nothing this reads. */
function readJsonl(text: string, name: string, jsonError: unknown): { format: ImportFormat; conversations: Conversation[] } {
  const firstLine = text.split('\n').find((line) => line.trim() !== '') ?? '';
  try {
    JSON.parse(firstLine);
  } catch {
    const why = jsonError instanceof Error ? ` (${jsonError.message.split('\n')[0]})` : '';
    throw new ImportError(`${name}: not valid JSON${why}, nor JSONL with a messages array per line`);
  }
  const result = readJsonlMessages(text);
  if (!result.ok) throw unknownShape(name, 'jsonl-messages', result.problem);
  return { format: 'jsonl-messages', conversations: result.conversations };
}

/** Reads `value` as the format its keys name, or throws the unknown-shape error with that format as the closest. */
function read(format: ImportFormat, value: unknown, name: string): Conversation[] {
  let result: ReadResult;
  try {
    result = READERS[format](value);
  } catch (error) {
    if (error instanceof FormatProblem) throw new ImportError(`${name}: ${FORMAT_NAMES[format]}: ${error.message}`);
    throw error;
  }
  if (!result.ok) throw unknownShape(name, format, result.problem);
  return result.conversations;
}

function unknownShape(name: string, closest: ImportFormat, problem: string): ImportError {
  const tried = FORMATS.map((f) => FORMAT_NAMES[f]).join(', ');
  return new ImportError(`${name}: not a chat format this app reads (tried ${tried}); closest, ${FORMAT_NAMES[closest]}: ${problem}`);
}

/** The 0-based index of the conversation `choice` names (see importChat). */
function choose(list: readonly ConversationInfo[], choice: number | string | undefined, name: string): number {
  if (choice === undefined) return 0;
  let at = -1;
  if (typeof choice === 'number') at = Number.isInteger(choice) ? choice - 1 : -1;
  else {
    at = list.findIndex((c) => c.title === choice);
    if (at < 0) at = list.findIndex((c) => c.title.toLowerCase() === choice.toLowerCase());
    if (at < 0 && /^\d+$/.test(choice.trim())) at = Number(choice.trim()) - 1;
  }
  if (at >= 0 && at < list.length) return at;
  const count = list.length === 1 ? 'one conversation' : `${list.length} conversations (1 to ${list.length})`;
  const asked = typeof choice === 'number' ? String(choice) : JSON.stringify(choice);
  throw new ImportError(`${name}: no conversation ${asked}: the file holds ${count}; pick one by number or title (importing the file without a choice opens the first and lists them all)`);
}
