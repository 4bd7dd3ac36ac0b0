/**
 * The chat-completions endpoint for a base URL given as "http://host:port", "http://host:port/",
 * ".../v1", ".../v1/" or even the full ".../v1/chat/completions". Throws a TypeError for anything
 * that is not an http(s) URL.
 */
export function chatCompletionsUrl(baseUrl: string): string {
  return apiUrl(baseUrl, 'chat/completions');
}

/** The model-list endpoint (`GET .../v1/models`) for a base URL written any way chatCompletionsUrl accepts. */
export function modelsUrl(baseUrl: string): string {
  return apiUrl(baseUrl, 'models');
}

/** `{root}/v1/{endpoint}`, where root is the base URL without a trailing slash, "/v1", "/chat/completions" or "/models". */
function apiUrl(baseUrl: string, endpoint: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new TypeError(`invalid OpenAI base URL "${baseUrl}": expected http(s)://host[:port][/v1]`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`invalid OpenAI base URL "${baseUrl}": only http and https are supported`);
  }
  const path = url.pathname
    .replace(/\/+$/, '')
    .replace(/\/(chat\/completions|models)$/, '')
    .replace(/\/v1$/, '');
  url.pathname = `${path}/v1/${endpoint}`;
  return url.toString();
}

/** Squeezes whitespace (a message must fit on one line) and cuts long text. */
export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * What an error response says, from an OpenAI-style body (`{"error":{"message":...}}`), the looser
 * shapes other servers use (`{"error":"..."}`, `{"message":"..."}`, `{"detail":"..."}`), or the raw text.
 */
export function serverErrorText(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return oneLine(body);
  }
  const pick = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? oneLine(v) : undefined);
  if (parsed && typeof parsed === 'object') {
    const o = parsed as Record<string, unknown>;
    const err = o.error;
    if (err && typeof err === 'object') {
      const e = err as Record<string, unknown>;
      const message = pick(e.message);
      const code = pick(e.code) ?? pick(e.type);
      if (message) return code && !message.includes(code) ? `${message} (${code})` : message;
    }
    const text = pick(err) ?? pick(o.message) ?? pick(o.detail);
    if (text) return text;
  }
  return oneLine(body);
}

/**
 * The root cause of a failed fetch in a few words. Node's fetch rejects with TypeError("fetch failed")
 * and hides the socket error (ECONNREFUSED, ECONNRESET, ENOTFOUND...) in `cause`.
 */
export function networkErrorText(err: unknown): string {
  const codes: string[] = [];
  const messages: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 4; depth++) {
    const e = cur as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof e.code === 'string') codes.push(e.code);
    if (typeof e.message === 'string' && e.message && e.message !== 'fetch failed') messages.push(e.message);
    cur = e.cause;
  }
  const text = messages.join(': ');
  const missing = [...new Set(codes)].filter((c) => !text.includes(c));
  return oneLine([...missing, text].filter(Boolean).join(': ') || String(err), 200);
}
