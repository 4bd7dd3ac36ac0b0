import { z } from 'zod';
import { formatBytes } from '../../../shared/limits.js';
import { MAX_LISTED_MODELS, MAX_MODEL_NAME } from '../../../shared/protocol.js';
import { BackendError } from '../../backend.js';
import { readCappedText } from './body.js';
import { httpFailure } from './failure.js';
import { modelsUrl, networkErrorText, oneLine } from './http.js';

/** A model list bigger than this is not read (the server is still used, with the typed model name). */
export const MAX_MODELS_BYTES = 4 * 2 ** 20;
// Model ids kept from a list, in the server's order, and the longest id kept: the protocol's bounds.
export { MAX_LISTED_MODELS, MAX_MODEL_NAME } from '../../../shared/protocol.js';
/** An error body is read up to this much, for its message. */
const MAX_ERROR_BYTES = 64 * 1024;

export interface ModelsProbeOptions {
  /** As for createOpenAIBackend: "http://host:port", with or without "/v1". */
  baseUrl: string;
  /** The model the user typed: checked against the list. */
  model: string;
  apiKey?: string;
  /** For the whole probe: connecting, the status and reading the list. Default 10000. */
  timeoutMs?: number;
  /** Default MAX_MODELS_BYTES. */
  maxBytes?: number;
  fetch?: typeof fetch;
}

/** What `GET /v1/models` said about a server that answered. */
export interface ModelsProbe {
  /** The listed model ids (at most MAX_LISTED_MODELS); undefined when the server does not list its models. */
  models?: string[];
  /** What the user should know: no list, the typed model not in it, a list too large to read; undefined when all is well. */
  note?: string;
}

/** `{"data": [{"id": ...}, ...]}`, the OpenAI shape; entries without a string id are skipped, not fatal. */
const ModelListSchema = z.object({ data: z.array(z.unknown()) });
const ModelEntrySchema = z.object({ id: z.string().min(1).max(MAX_MODEL_NAME) });

/**
 * Asks an OpenAI-compatible server which models it serves (`GET {base}/v1/models`), within a timeout
 * and a size cap. Rejects with BackendError when the server cannot be used: unreachable (refused, DNS,
 * timeout), 5xx, 401/403 and other refusals, or a 200 that is not a model list. A server that answers
 * 404 or 501 does not list its models but may still chat: resolves with a note saying so.
 */
export async function probeModels(options: ModelsProbeOptions): Promise<ModelsProbe> {
  const url = modelsUrl(options.baseUrl);
  const where = `GET ${url}`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  const timedOut = (): BackendError => new BackendError('timeout', `no answer from ${where} within ${timeoutMs} ms`);
  try {
    let res: Response;
    try {
      const headers: Record<string, string> = { accept: 'application/json', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) };
      res = await (options.fetch ?? fetch)(url, { method: 'GET', headers, signal: ctl.signal });
    } catch (err) {
      if (ctl.signal.aborted) throw timedOut();
      throw new BackendError('connection', `cannot connect to ${url}: ${networkErrorText(err)}`, { cause: err });
    }
    const read = (max: number) => readCapped(res, max).catch((err: unknown) => {
      if (ctl.signal.aborted) throw timedOut();
      throw new BackendError('connection', `${where} dropped the connection: ${networkErrorText(err)}`, { cause: err });
    });
    if (res.status === 404 || res.status === 501) {
      await res.body?.cancel().catch(() => undefined);
      return { note: `the server does not list its models (${where}: HTTP ${res.status}); using "${options.model}"` };
    }
    if (!res.ok) throw httpFailure(res, (await read(MAX_ERROR_BYTES)) ?? '', where, Boolean(options.apiKey)).toError();
    const body = await read(options.maxBytes ?? MAX_MODELS_BYTES);
    if (body === undefined) return { note: `the server's model list is larger than ${formatBytes(options.maxBytes ?? MAX_MODELS_BYTES)} and was not read; using "${options.model}"` };
    return listed(parseModelList(body, where, res.headers.get('content-type')), options.model);
  } finally {
    clearTimeout(timer);
  }
}

/** The model ids in a `/v1/models` body; throws when it is not a model list at all. */
export function parseModelList(body: string, where: string, contentType: string | null = null): string[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const list = ModelListSchema.safeParse(json);
  if (!list.success) {
    const what = `${contentType ?? 'no content-type'}: ${oneLine(body, 80) || '(empty)'}`;
    throw new BackendError('http', `${where} answered with something that is not a model list (${what}); is the base URL an OpenAI-compatible server?`);
  }
  const ids: string[] = [];
  for (const entry of list.data.data) {
    const parsed = ModelEntrySchema.safeParse(entry);
    if (parsed.success && !ids.includes(parsed.data.id)) ids.push(parsed.data.id);
    if (ids.length >= MAX_LISTED_MODELS) break;
  }
  return ids;
}

/** The probe for a listed set of models, with a note when the typed model is not among them. */
function listed(models: string[], model: string): ModelsProbe {
  if (models.length === 0) return { models, note: `the server lists no models; using "${model}"` };
  if (models.includes(model)) return { models };
  const shown = models.slice(0, 5).map((m) => `"${m}"`).join(', ') + (models.length > 5 ? `, … (${models.length} in all)` : '');
  return { models, note: `the server does not list "${model}" (it lists ${shown}); chats may fail until you pick a listed model` };
}

/** The body as text, or undefined when it is longer than `maxBytes` (declared or as it arrives). */
async function readCapped(res: Response, maxBytes: number): Promise<string | undefined> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    return declared > maxBytes ? undefined : '';
  }
  return readCappedText(res.body, maxBytes);
}
