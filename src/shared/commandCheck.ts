/**
 * Checks a command from outside before anything acts on it: size, nesting, JSON, schema, and the
 * size of every text it carries. Used by browser mode's server (on the raw frame) and by the host
 * (on what arrives over a MessagePort), so a bad command is refused the same way everywhere.
 */
import { COMMAND_TYPES, EngineCommandSchema, firstIssue, ServerCommandSchema, type ClientCommand, type EngineCommandType, type HostErrorCode } from './protocol.js';
import { tooLarge, utf8Length, type Limits } from './limits.js';

/** Why a command was refused: the fields of the `error` event that says so. */
export interface CommandRefusal {
  code: HostErrorCode;
  message: string;
  command?: EngineCommandType;
  id?: string;
}

export type CommandCheck = { ok: true; command: ClientCommand } | { ok: false; error: CommandRefusal };

/** Deeper JSON than this is refused before it is parsed (valid commands nest 4 levels). */
export const MAX_JSON_DEPTH = 32;

const refuse = (code: HostErrorCode, message: string, command?: EngineCommandType, id?: string): CommandCheck => ({
  ok: false,
  error: { code, message, ...(command ? { command } : {}), ...(id ? { id } : {}) },
});

/** Nesting depth of JSON text (brackets outside strings), stopping as soon as it passes `max`. */
export function jsonDepth(text: string, max = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped char
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > max) return deepest;
    } else if (c === 93 || c === 125) depth--;
  }
  return deepest;
}

/** A command as a text frame (browser mode): its byte size, nesting and JSON, then `checkCommand`. */
export function checkCommandText(text: string, bytes: number, limits: Limits, allowServerCommands = true): CommandCheck {
  if (bytes > limits.commandBytes) return refuse('too-large', tooLarge('commandBytes', 'a command', bytes, limits));
  if (jsonDepth(text) > MAX_JSON_DEPTH) return refuse('bad-command', `malformed command: JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return refuse('bad-command', `malformed command: not JSON (${(err as Error).message.slice(0, 120)})`);
  }
  return checkCommand(value, limits, allowServerCommands);
}

/** Schema and text sizes of a parsed command. */
export function checkCommand(value: unknown, limits: Limits, allowServerCommands = false): CommandCheck {
  const type = value && typeof value === 'object' && !Array.isArray(value) ? (value as { type?: unknown }).type : undefined;
  if (allowServerCommands && type === 'restartEngine') {
    const server = ServerCommandSchema.safeParse(value);
    return server.success ? { ok: true, command: server.data } : refuse('bad-command', `malformed command "restartEngine": ${firstIssue(server.error)}`);
  }
  const parsed = EngineCommandSchema.safeParse(value);
  const known = COMMAND_TYPES.find((t) => t === type);
  if (!parsed.success) {
    const what = known ?? (typeof type === 'string' ? type.slice(0, 40) : typeof value === 'object' && value ? 'without a type' : JSON.stringify(value)?.slice(0, 40));
    return refuse('bad-command', `malformed command "${what}": ${firstIssue(parsed.error)}`, known);
  }
  const cmd = parsed.data;
  const id = 'id' in cmd ? cmd.id : undefined;
  const message = (text: string, what: string): CommandCheck | undefined => {
    const n = utf8Length(text, limits.messageBytes);
    return n > limits.messageBytes ? refuse('too-large', tooLarge('messageBytes', what, n, limits), cmd.type, id) : undefined;
  };
  switch (cmd.type) {
    case 'chat': {
      const bad = message(cmd.content, 'the message');
      if (bad) return bad;
      break;
    }
    case 'appendMessages':
    case 'replay':
      for (const [i, m] of cmd.messages.entries()) {
        const bad = message(m.content, `message ${i + 1}`);
        if (bad) return bad;
      }
      break;
    case 'newSession':
      if (cmd.systemPrompt !== undefined) {
        const bad = message(cmd.systemPrompt, 'the system prompt');
        if (bad) return bad;
      }
      break;
    case 'openBegin':
      if (cmd.bytes > limits.fileBytes) return refuse('too-large', tooLarge('fileBytes', `"${cmd.name}"`, cmd.bytes, limits), cmd.type, id);
      break;
    default:
      break;
  }
  return { ok: true, command: cmd };
}
