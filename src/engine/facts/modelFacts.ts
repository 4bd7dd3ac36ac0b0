/**
 * Facts found by the connected model: the message's sentences, numbered, go into a small prompt that asks
 * for a JSON array of durable facts; the answer's first JSON array is read (code fences and prose around
 * it allowed, not an array inside a word or sentence), checked by a bounded zod schema, normalised like the rules' facts (normalizeAttribute's
 * keys, "my X" / "the assistant's X" / "X's Y" labels) and grounded: a fact whose value is not in its
 * sentence, or whose holder's name is not in the message, is dropped (a model's guess never supersedes
 * what the user wrote). Any failure is a reason, never an exception: the engine (factsStep.ts) keeps the
 * rules' facts and warns once.
 */
import { z } from 'zod';
import { normalizeAttribute } from './extractClause.js';
import type { FactRole, FactStatement } from './extractTypes.js';

/** Facts an answer may hold; a longer list is refused. */
export const MAX_MODEL_FACTS = 20;
/** Characters a holder, attribute or value may have. */
export const MAX_FIELD = 200;
/** Sentences a prompt numbers at most (the first ones of a longer message: a pasted document states few facts). */
export const MAX_PROMPT_SENTENCES = 40;
/** Characters of an answer that are read (a model that rambles past this is refused). */
const MAX_ANSWER_CHARS = 16_000;
/** Tries at a '[' that may open an answer before the answer counts as having no JSON array. */
const MAX_STARTS = 16;

/** Tokens the model may write for `n` sentences: about one short fact each, 600 at most. */
export const answerTokens = (n: number): number => Math.min(600, 48 + 40 * n);

const WRITER: Record<FactRole, string> = { user: 'the user', assistant: 'the assistant', system: 'the system', tool: 'a tool' };

/** The prompt for a message's sentences (already cut at MAX_PROMPT_SENTENCES by the caller). */
export function factsPrompt(sentences: readonly string[], role: FactRole): string {
  return [
    'List the durable facts the numbered sentences state, as a JSON array of',
    '{"sentence": number, "holder": "user" | "assistant" | a person\'s name as written, "attribute": string, "value": string as written, "update": boolean}.',
    'Durable: names, places, codes, numbers, dates, preferences, decisions; not moods, plans, questions or small talk. "update": it changes an earlier value. None: [].',
    'Example: "1. My sister Ana lives in Porto." → [{"sentence":1,"holder":"Ana","attribute":"city","value":"Porto","update":false}]',
    `Sentences by ${WRITER[role]}:`,
    ...sentences.map((s, i) => `${i + 1}. ${s.replace(/\s+/g, ' ').trim()}`),
    'JSON:',
  ].join('\n');
}

/** Index just past the bracket that closes the one at `start` (strings and escapes skipped), or -1. */
function closing(s: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) depth++;
    else if ((c === 93 || c === 125) && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * Whether a '[' at i may open an answer: at the start of the text or of a line (after spaces, e.g. under a
 * code fence's first line), or after a colon ("Facts: [...]"). An array inside a word or a sentence
 * ("To[]lick", "see [1]") is not an answer.
 */
function opensAnswer(s: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j--;
  if (j < 0) return true;
  const c = s.charCodeAt(j);
  return c === 10 || c === 13 || c === 58;
}

/** The first JSON array in `text` that starts it, a line, or follows a colon (prose or a code fence around it allowed), or undefined. */
export function firstJsonArray(text: string): unknown[] | undefined {
  const s = text.length > MAX_ANSWER_CHARS ? text.slice(0, MAX_ANSWER_CHARS) : text;
  let tries = 0;
  for (let start = s.indexOf('['); start >= 0 && tries < MAX_STARTS; start = s.indexOf('[', start + 1)) {
    if (!opensAnswer(s, start)) continue;
    tries++;
    const end = closing(s, start);
    if (end < 0) continue;
    try {
      const value: unknown = JSON.parse(s.slice(start, end));
      if (Array.isArray(value)) return value;
    } catch {
      // not JSON from this bracket: try the next one
    }
  }
  return undefined;
}

const field = z.string().trim().min(1).max(MAX_FIELD);

/** The answer's schema for a prompt of `count` sentences. */
export function modelFactsSchema(count: number) {
  return z
    .array(
      z.object({
        sentence: z.number().int().min(1).max(count),
        holder: field,
        attribute: field,
        value: field,
        update: z.boolean().optional(),
      }),
    )
    .max(MAX_MODEL_FACTS);
}

/** A fact the model found, in sentence `index` (0-based) of the prompt. */
export interface ModelFact {
  index: number;
  fact: FactStatement;
}

export type ModelFactsAnswer = { ok: true; facts: ModelFact[]; dropped: string[] } | { ok: false; reason: string };

const fold = (s: string): string => s.replace(/[“”]/g, '"').replace(/’/g, "'").replace(/\s+/g, ' ').toLowerCase();
const unquote = (v: string): string => v.replace(/^["“'](.*)["”']$/s, '$1').trim();

/**
 * Reads a model's answer for `sentences` (the prompt's, in order): its facts, and why any were dropped;
 * or why the whole answer was refused.
 */
export function readModelFacts(text: string, sentences: readonly string[]): ModelFactsAnswer {
  const raw = firstJsonArray(text);
  if (raw === undefined) return { ok: false, reason: "the model's answer was not a JSON array" };
  const parsed = modelFactsSchema(sentences.length).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `the model's answer did not fit the schema (${issue.path.join('.') || 'the array'}: ${issue.message})` };
  }
  const message = sentences.join(' ');
  const facts: ModelFact[] = [];
  const dropped: string[] = [];
  const seen = new Set<string>();
  for (const f of parsed.data) {
    const index = f.sentence - 1;
    const who = f.holder.toLowerCase().replace(/^the /, '');
    const holder = who === 'user' || who === 'assistant' ? who : f.holder;
    const { key, update } = normalizeAttribute(f.attribute);
    const value = f.value.replace(/[\s.,;!]+$/, '');
    if (key.length === 0 || value.length === 0) {
      dropped.push(`sentence ${f.sentence}: no attribute or value`);
      continue;
    }
    if (holder !== 'user' && holder !== 'assistant' && !message.includes(holder)) {
      dropped.push(`sentence ${f.sentence}: the holder "${holder}" is not in the message`);
      continue;
    }
    if (!fold(sentences[index]).includes(fold(unquote(value)))) {
      dropped.push(`sentence ${f.sentence}: the value "${value}" is not in the sentence`);
      continue;
    }
    const id = `${index}\u0000${holder}\u0000${key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const label = holder === 'user' ? `my ${key}` : holder === 'assistant' ? `the assistant's ${key}` : `${holder}'s ${key}`;
    facts.push({ index, fact: { holder, attribute: key, label, value, update: (f.update ?? false) || update, retracts: false, cue: false } });
  }
  return { ok: true, facts, dropped };
}

/** A greedy completion: PolicyModel.complete. */
export type Complete = (prompt: string, maxNewTokens: number) => Promise<string>;

/** Asks the model for the facts `sentences` state; a model that throws is a refused answer with its error. */
export async function askModelForFacts(complete: Complete, sentences: readonly string[], role: FactRole): Promise<ModelFactsAnswer> {
  const asked = sentences.slice(0, MAX_PROMPT_SENTENCES);
  let text: string;
  try {
    text = await complete(factsPrompt(asked, role), answerTokens(asked.length));
  } catch (err) {
    return { ok: false, reason: `the model failed (${err instanceof Error ? err.message : String(err)})` };
  }
  return readModelFacts(text, asked);
}
