/**
 * The zod schemas derived from the settings catalog (config.ts) and the limits (limits.ts), for the
 * protocol and saved sessions. Kept apart from the catalogs so the CLI's replay path, which validates
 * settings with validateConfig, starts without loading zod.
 */
import { z } from 'zod';
import { crossFieldProblems, SETTINGS, settingMessage, settingValid, type EngineConfig, type SettingName, type SettingSpec } from './config.js';
import type { Limits } from './limits.js';

/** A setting's zod schema; its message is the catalog's. */
export function settingSchema(s: SettingSpec): z.ZodType {
  const error = (iss: { input?: unknown }) => settingMessage(s, iss.input);
  const base = s.kind === 'boolean' ? z.boolean({ error }) : s.kind === 'enum' ? z.string({ error }).max(200) : s.kind === 'weights' ? z.strictObject({ importance: z.number(), uniqueness: z.number(), recency: z.number() }, { error }) : z.number({ error });
  return base.superRefine((v, ctx) => {
    if (!settingValid(s, v)) ctx.addIssue({ code: 'custom', message: settingMessage(s, v) });
  });
}

type Shape = { [K in SettingName]: z.ZodType<EngineConfig[K]> };
const SHAPE = Object.fromEntries(SETTINGS.map((s) => [s.name, settingSchema(s)])) as unknown as Shape;

/** A whole config, as the host reports it (`configChanged`) and clients send it (partial). */
export const EngineConfigSchema = z.strictObject(SHAPE).superRefine(checkBetweenSettings);

/** The rules between settings as a zod refinement (for schemas that hold a whole config). */
export function checkBetweenSettings(c: Partial<EngineConfig>, ctx: z.RefinementCtx): void {
  for (const p of crossFieldProblems(c)) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
}
/** Some settings; the rest keep their current values. */
export const PartialConfigSchema = z.strictObject(SHAPE).partial();
/** The settings in a saved session: the same shape, each optional (older sessions lack newer settings). */
export const SessionSettingsShape = z.strictObject(SHAPE).partial().shape;

/** The limits' values; the host sends them in `helloAck`. */
export const LimitsSchema: z.ZodType<Limits> = z.strictObject({
  /** One chat message's text (UTF-8 bytes). */
  messageBytes: z.int().min(0),
  /** One command as it arrives (a WebSocket frame or an IPC message: JSON text bytes). */
  commandBytes: z.int().min(0),
  /** One opened file (JSONL chats are read as a stream; saved sessions are parsed whole). */
  fileBytes: z.int().min(0),
  /** One line of an opened JSONL file. */
  lineBytes: z.int().min(0),
});
