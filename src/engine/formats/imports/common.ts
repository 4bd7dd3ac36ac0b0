import type { z } from 'zod';
import type { ChatMessageData } from '../../../shared/protocol.js';

/** One conversation a format module read: its title when the file names it, and its messages in order. */
export interface Conversation {
  title?: string;
  messages: ChatMessageData[];
}

/**
 * What a format module made of a value: its conversations, or the first field that did not fit and how
 * deep it lies (the import error names the format whose misfit lies deepest as the closest).
 */
export type ReadResult = { ok: true; conversations: Conversation[] } | { ok: false; problem: string; depth: number };

/**
 * A file that has a format's shape but cannot be read as it (a ChatGPT export whose parent links loop):
 * thrown by the format modules, turned into an ImportError naming the file and the format by index.ts.
 */
export class FormatProblem extends Error {}

/** One line per tool call, the same in every format: `[tool call NAME(ARGUMENTS)]`. */
export function toolCallLine(name: string, args: string): string {
  return `[tool call ${name}(${args})]`;
}

/** JSON text of a tool's input as a line shows it (`{}` for a missing input). */
export function jsonText(value: unknown): string {
  return JSON.stringify(value) ?? '{}';
}

/** Joins a message's pieces with newlines, leaving out empty ones. */
export function joinLines(pieces: readonly string[]): string {
  return pieces.filter((p) => p !== '').join('\n');
}

/** Adds a message unless its text is empty or blank: an empty message is nothing to replay. */
export function pushMessage(out: ChatMessageData[], role: ChatMessageData['role'], content: string): void {
  if (content.trim() !== '') out.push({ role, content });
}

/** Whether a parsed JSON value is a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own property of a parsed JSON object (never one inherited from Object.prototype). */
export function own(value: unknown, key: string): unknown {
  return isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** Parses `value` with `schema` and reads it, or says which field did not fit. */
export function readWith<T>(schema: z.ZodType<T>, value: unknown, read: (data: T) => Conversation[], prefix: PropertyKey[] = []): ReadResult {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, conversations: read(parsed.data) };
  return misfit(parsed.error.issues, prefix);
}

/** The first issue of a failed parse as `path: message`, with its depth. */
export function misfit(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[] = []): Extract<ReadResult, { ok: false }> {
  const first = issues[0];
  if (!first) return { ok: false, problem: 'Invalid input', depth: prefix.length };
  const { path, message } = explain(first);
  const full = [...prefix, ...path];
  const where = formatPath(full);
  return { ok: false, problem: where === '' ? message : `${where}: ${message}`, depth: full.length };
}

/**
 * One issue in plain words. A union's own message is only "Invalid input": when one of its options got
 * further into the value, that option's first issue is the one to show; when none did (the value is of
 * none of the types), the types are listed.
 */
function explain(issue: z.core.$ZodIssue): { path: PropertyKey[]; message: string } {
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const firsts = issue.errors.map((errors) => errors[0]).filter((i): i is z.core.$ZodIssue => i !== undefined);
    const deepest = firsts.reduce<z.core.$ZodIssue | undefined>((best, i) => (best === undefined || i.path.length > best.path.length ? i : best), undefined);
    if (deepest && deepest.path.length > 0) {
      const inner = explain(deepest);
      return { path: [...issue.path, ...inner.path], message: inner.message };
    }
    if (firsts.length > 0 && firsts.every((i) => i.code === 'invalid_type')) {
      const expected = [...new Set(firsts.map((i) => (i.code === 'invalid_type' ? i.expected : '')))];
      const received = / received (\w+)$/.exec(firsts[0]?.message ?? '')?.[1];
      return { path: [...issue.path], message: `Invalid input: expected ${expected.join(' or ')}${received ? `, received ${received}` : ''}` };
    }
    if (deepest) return { path: [...issue.path], message: deepest.message };
  }
  return { path: [...issue.path], message: issue.message };
}

/** `conversations[2].from`, `mapping["a-b"].parent`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}
