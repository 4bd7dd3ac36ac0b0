import type { ChatMessageData } from '../../shared/protocol.js';
import { DEFAULT_LIMITS, DEFAULT_MAX_SESSION_BYTES, tooLarge, TooLargeError, utf8Length, type Limits } from '../../shared/limits.js';
import { ROLES } from '../../shared/roles.js';
import type { Session } from '../../shared/session.js';

/** A conversation file's content: JSONL messages, or a saved session with its conversation (rolling summaries left out). */
export type ConversationText = { kind: 'jsonl'; messages: ChatMessageData[] } | { kind: 'session'; messages: ChatMessageData[]; session: Session };

/**
 * Parses a saved session's whole text into the session and its conversation, throwing one-line errors
 * naming the file (formats/sessionText.ts). Passed in rather than imported: building the session and
 * protocol schemas is a good part of a JSONL replay's start-up, so only a file that is a session loads it.
 */
export type SessionTextParser = (text: string, name: string) => Omit<Extract<ConversationText, { kind: 'session' }>, 'kind'>;

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
 * saved session (a JSON document opening with `{` on its own line or `{"format"`) is collected and
 * parsed at the end. Limits: the file, each line, each message. Errors are one line naming the file
 * (and the line).
 */
export class ConversationReader {
  readonly #name: string;
  readonly #limits: Limits;
  #kind: 'unknown' | 'jsonl' | 'session' = 'unknown';
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

  /** Whether end() may need the session parser: the file is a session, or too short to tell yet. */
  get maybeSession(): boolean {
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
      this.#kind = looksLikeSessionHead(head) ? 'session' : 'jsonl';
      text = head;
    }
    if (this.#kind === 'session') {
      if (this.#bytes > DEFAULT_MAX_SESSION_BYTES) throw new TooLargeError(`${this.#name}: a saved session over ${DEFAULT_MAX_SESSION_BYTES / 2 ** 20} MB cannot be opened (sessions are parsed whole; export the chat as JSONL)`);
      this.#keep(text);
      return;
    }
    this.#lines(text);
  }

  /** The file has ended: the conversation it holds (`parseSessionText` is needed when maybeSession). */
  end(parseSessionText?: SessionTextParser): ConversationText {
    if (this.#kind === 'session') {
      if (!parseSessionText) throw new Error(`${this.#name}: a saved session, but no session parser was given`);
      const text = this.#parts.join('');
      this.#parts = [];
      return { kind: 'session', ...parseSessionText(text, this.#name) };
    }
    const rest = this.#parts.join('');
    this.#parts = [];
    this.#partLength = 0;
    if (this.#kind === 'unknown' && looksLikeSessionHead(rest)) {
      this.#kind = 'session';
      this.#parts = [rest];
      return this.end(parseSessionText);
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

/** Sessions are one pretty-printed JSON object that opens with its "format" key; JSONL lines open with {"role". */
export function looksLikeSessionHead(text: string): boolean {
  const head = text.trimStart();
  const firstLine = head.slice(0, head.indexOf('\n') >>> 0).trim();
  return firstLine === '{' || /^\{\s*"format"/.test(head.slice(0, 200));
}
