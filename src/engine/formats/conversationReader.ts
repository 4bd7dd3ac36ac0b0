import type { ChatMessageData } from '../../shared/protocol.js';
import { DEFAULT_LIMITS, DEFAULT_MAX_SESSION_BYTES, tooLarge, TooLargeError, utf8Length, type Limits } from '../../shared/limits.js';
import { ROLES } from '../../shared/roles.js';
import type { Session } from '../../shared/session.js';

/** What an imported file held (formats/imports): its format, the conversation chosen and every one in the file. */
export interface ImportSummary {
  format: string;
  /** The format's name for people ("ChatGPT data export (conversations.json)"). */
  formatName: string;
  /** The conversation opened (1-based) and its title. */
  chosen: number;
  title: string;
  conversations: { index: number; title: string; messages: number }[];
}

/**
 * A conversation file's content: JSONL messages, a saved session with its conversation (rolling summaries
 * left out), or a chat in another tool's format (OpenAI, ChatGPT export, Anthropic, ShareGPT, Ollama).
 */
export type ConversationText =
  | { kind: 'jsonl'; messages: ChatMessageData[] }
  | { kind: 'session'; messages: ChatMessageData[]; session: Session }
  | { kind: 'import'; messages: ChatMessageData[]; imported: ImportSummary };

/**
 * Parses a saved session's whole text into the session and its conversation, throwing one-line errors
 * naming the file (formats/sessionText.ts). Passed in rather than imported: building the session and
 * protocol schemas is a good part of a JSONL replay's start-up, so only a file that is a session loads it.
 */
export type SessionTextParser = (text: string, name: string) => Omit<Extract<ConversationText, { kind: 'session' }>, 'kind'>;
/** Parses another tool's chat file (formats/imports), passed in for the same reason. */
export type ImportTextParser = (text: string, name: string) => Omit<Extract<ConversationText, { kind: 'import' }>, 'kind'>;
/** The parsers a whole document may need: a saved session's, an import's. */
export interface DocumentParsers {
  session?: SessionTextParser;
  import?: ImportTextParser;
}

/**
 * Checks one JSONL line's value: `{role, content}` (other keys ignored). By hand, not zod: this is the
 * only schema a JSONL replay needs, and loading zod was an eighth of its start-up. The messages are
 * zod's own for the same schema, `z.object({ role: z.enum(ROLES), content: z.string() })` (the test
 * checks both agree on any value).
 */
export function lineProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `message: Invalid input: expected object, received ${typeName(value)}`;
  const { role, content } = value as { role?: unknown; content?: unknown };
  if (!(ROLES as readonly unknown[]).includes(role)) return `role: Invalid option: expected one of ${ROLES.map((r) => `"${r}"`).join('|')}`;
  if (typeof content !== 'string') return `content: Invalid input: expected string, received ${typeName(content)}`;
  return undefined;
}

/** zod's name for a value's type in its messages. */
function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * Reads a conversation file as it streams in, chunk by chunk: JSONL is parsed line by line as each
 * line completes (a file of any size up to the file limit costs its messages, not its text twice); a
 * JSON document — a saved session (opening with its "format" key) or another tool's chat (an array, an
 * object whose first key is not a message's, a pretty-printed object) — is collected and parsed at the
 * end. Limits: the file, each line, each message, a document. Errors are one line naming the file (and
 * the line).
 */
export class ConversationReader {
  readonly #name: string;
  readonly #limits: Limits;
  #kind: 'unknown' | 'jsonl' | 'document' = 'unknown';
  /** Text not yet parsed: the head until the kind is known, a session's whole text, or a partial line. */
  #parts: string[] = [];
  #partLength = 0;
  #bytes = 0;
  #line = 0;
  #messages: ChatMessageData[] = [];

  constructor(name: string, limits: Limits = DEFAULT_LIMITS) {
    this.#name = name;
    this.#limits = limits;
  }

  /** Bytes (UTF-8) received so far. */
  get bytes(): number {
    return this.#bytes;
  }

  get messages(): number {
    return this.#messages.length;
  }

  /** Whether end() may need a document parser (session or import): the file is a document, or too short to tell yet. */
  get maybeDocument(): boolean {
    return this.#kind !== 'jsonl';
  }

  push(text: string): void {
    this.#bytes += utf8Length(text);
    if (this.#bytes > this.#limits.fileBytes) throw new TooLargeError(tooLarge('fileBytes', this.#name, this.#bytes, this.#limits));
    if (this.#kind === 'unknown') {
      this.#keep(text);
      const head = this.#parts.join('');
      const start = head.search(/\S/);
      const newline = start < 0 ? -1 : head.indexOf('\n', start);
      if (newline < 0 && head.length - Math.max(start, 0) < 200) return; // the first line is not here yet
      this.#parts = [];
      this.#partLength = 0;
      this.#kind = isDocumentHead(head) ? 'document' : 'jsonl';
      text = head;
    }
    if (this.#kind === 'document') {
      if (this.#bytes > DEFAULT_MAX_SESSION_BYTES) throw new TooLargeError(`${this.#name}: ${documentKind(this.#parts)} over ${DEFAULT_MAX_SESSION_BYTES / 2 ** 20} MB cannot be opened (it is parsed whole; as JSONL of {"role","content"} lines a chat of any size can)`);
      this.#keep(text);
      return;
    }
    this.#lines(text);
  }

  /** The file has ended: the conversation it holds (`parsers` are needed when maybeDocument). */
  end(parsers: DocumentParsers = {}): ConversationText {
    if (this.#kind === 'document') {
      const text = this.#parts.join('');
      this.#parts = [];
      if (looksLikeSessionHead(text)) {
        if (!parsers.session) throw new Error(`${this.#name}: a saved session, but no session parser was given`);
        return { kind: 'session', ...parsers.session(text, this.#name) };
      }
      if (!parsers.import) throw new Error(`${this.#name}: a JSON document, but no import parser was given`);
      return { kind: 'import', ...parsers.import(text, this.#name) };
    }
    const rest = this.#parts.join('');
    this.#parts = [];
    this.#partLength = 0;
    if (this.#kind === 'unknown' && isDocumentHead(rest)) {
      this.#kind = 'document';
      this.#parts = [rest];
      return this.end(parsers);
    }
    this.#parseLine(rest);
    if (this.#messages.length === 0) throw new Error(`${this.#name}: no messages`);
    return { kind: 'jsonl', messages: this.#messages };
  }

  #keep(text: string): void {
    this.#parts.push(text);
    this.#partLength += text.length;
  }

  #lines(text: string): void {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const piece = text.slice(start, nl);
      const line = this.#parts.length > 0 ? this.#parts.join('') + piece : piece;
      this.#parts = [];
      this.#partLength = 0;
      this.#parseLine(line);
      start = nl + 1;
    }
    if (start < text.length) {
      this.#keep(text.slice(start));
      // a line's UTF-16 length bounds its bytes from below: refuse as soon as it is certainly too long
      if (this.#partLength > this.#limits.lineBytes) throw new TooLargeError(`${this.#name}:${this.#line + 1}: ${tooLarge('lineBytes', 'the line', this.#partLength, this.#limits)}`);
    }
  }

  #parseLine(raw: string): void {
    this.#line++;
    // a UTF-16 unit is at most 3 UTF-8 bytes: a line (or message) that short is within its limit uncounted
    const bytes = raw.length * 3 <= this.#limits.lineBytes ? 0 : utf8Length(raw, this.#limits.lineBytes);
    if (bytes > this.#limits.lineBytes) throw new TooLargeError(`${this.#name}:${this.#line}: ${tooLarge('lineBytes', 'the line', bytes, this.#limits)}`);
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${this.#name}:${this.#line}: not valid JSON`);
    }
    const problem = lineProblem(value);
    if (problem !== undefined) throw new Error(`${this.#name}:${this.#line}: ${problem}`);
    const { role, content } = value as ChatMessageData;
    const size = content.length * 3 <= this.#limits.messageBytes ? 0 : utf8Length(content, this.#limits.messageBytes);
    if (size > this.#limits.messageBytes) throw new TooLargeError(`${this.#name}:${this.#line}: ${tooLarge('messageBytes', 'the message', size, this.#limits)}`);
    this.#messages.push({ role, content });
  }
}

/** Sessions are one pretty-printed JSON object that opens with its "format" key. */
export function looksLikeSessionHead(text: string): boolean {
  return /^\s*\{\s*"format"\s*:/.test(text.slice(0, 200));
}

/**
 * Whether a file that opens with `head` is one JSON document (a saved session, another tool's chat) rather
 * than JSONL of messages: an array; an object on a line of its own or one whose line ends open (`{`,
 * `[`, `,`: pretty-printed); an object whose first key is not a message's (`role`, `content`), unless
 * its whole first line is a message with more keys. Anything else is read as JSONL (and a line that is
 * not JSON is an error naming it).
 */
export function isDocumentHead(head: string): boolean {
  const text = head.trimStart();
  if (text.startsWith('[')) return true;
  if (!text.startsWith('{')) return false;
  const newline = text.indexOf('\n');
  const firstLine = (newline < 0 ? text : text.slice(0, newline)).trim();
  if (firstLine === '{' || /[[{,]$/.test(firstLine)) return true;
  const key = /^\{\s*"((?:[^"\\]|\\.)*)"/.exec(text)?.[1];
  if (key === undefined || key === 'role' || key === 'content') return false;
  // a message line with other keys first ({"id": 3, "role": ...}) when the whole line is here to tell
  if (newline >= 0) {
    try {
      const value: unknown = JSON.parse(firstLine);
      if (typeof value === 'object' && value !== null && ('role' in value || 'content' in value)) return false;
    } catch {
      return false; // not JSON: read as JSONL, whose error names the line
    }
  }
  return true;
}

/** "a saved session" or "a JSON document", for a size error before the document is parsed. */
function documentKind(parts: string[]): string {
  return looksLikeSessionHead(parts[0] ?? '') ? 'a saved session' : 'a JSON document';
}
