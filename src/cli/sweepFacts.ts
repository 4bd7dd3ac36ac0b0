/**
 * The facts a sweep counts in each run's final context. A chat written by the eval (src/eval/plantedChat.ts)
 * comes with the facts planted in it, in a file beside it (`chat.jsonl` and `chat.facts.json`): a sweep counts
 * those, as the eval does (src/eval/factMatch.ts). Any other chat is counted by its Facts ledger.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { PlantedChat } from '../eval/plantedChat.js';
import { ALL_NAMES } from '../eval/plantedFacts.js';

/** The planted facts of a chat, as a file beside it: what factMatch reads of each fact, and the chat's people. */
export const PlantedFactsFileSchema = z.strictObject({
  format: z.literal('fms-planted-facts'),
  version: z.literal(1),
  /** Every named person of the chat (a card that names one of them is not the user's). */
  people: z.array(z.string()),
  facts: z.array(
    z.strictObject({
      attribute: z.string(),
      person: z.string().optional(),
      sentence: z.string(),
      value: z.string(),
      updates: z.array(z.strictObject({ sentence: z.string(), value: z.string() })),
    }),
  ),
});
export type PlantedFactsFile = z.infer<typeof PlantedFactsFileSchema>;

/** Where the planted facts of a chat file are: `x.jsonl` -> `x.facts.json`. */
export function factsFileOf(file: string): string {
  return `${file.replace(/\.(jsonl|json)$/i, '')}.facts.json`;
}

/** Whether a file is a planted-facts file (a directory sweep skips them: they are not chats). */
export const isFactsFile = (file: string): boolean => /\.facts\.json$/i.test(file);

/** The planted-facts file's content for an eval chat. */
export function plantedFactsOf(chat: PlantedChat): PlantedFactsFile {
  const facts: PlantedFactsFile['facts'] = chat.facts.map((f) => ({
    attribute: f.attribute,
    ...(f.person === undefined ? {} : { person: f.person }),
    sentence: f.sentence,
    value: f.value,
    updates: f.updates.map((u) => ({ sentence: u.sentence, value: u.value })),
  }));
  return { format: 'fms-planted-facts', version: 1, people: [...ALL_NAMES], facts };
}

/** Writes an eval chat as JSONL of messages and its planted facts beside it, so `fms sweep` counts them. */
export async function writePlantedChat(file: string, chat: PlantedChat): Promise<void> {
  await writeFile(file, chat.messages.map((m) => JSON.stringify({ role: m.role, content: m.content })).join('\n') + '\n');
  await writeFile(factsFileOf(file), `${JSON.stringify(plantedFactsOf(chat))}\n`);
}

/** The planted facts beside a chat file, if there is such a file; throws one line when it does not parse. */
export async function readPlantedFacts(file: string): Promise<PlantedFactsFile | undefined> {
  const at = factsFileOf(file);
  let text: string;
  try {
    text = await readFile(at, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${at}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${at}: not JSON (${(err as Error).message})`);
  }
  const parsed = PlantedFactsFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${at}: not a planted-facts file (${parsed.error.issues[0]?.path.join('.') || 'top level'}: ${parsed.error.issues[0]?.message})`);
  return parsed.data;
}
