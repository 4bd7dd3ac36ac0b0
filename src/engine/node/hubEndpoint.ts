/**
 * HF_ENDPOINT, the Hub-mirror convention of huggingface_hub and the hf CLI: a base URL that replaces
 * https://huggingface.co, with files at `${HF_ENDPOINT}/ORG/NAME/resolve/REVISION/FILE`. Applied once
 * at a process's start (engine host, CLI): transformers.js keeps the download host in its shared `env`.
 */

/** The Hub's path below the host, as transformers.js fills it in. */
export const HUB_PATH_TEMPLATE = '{model}/resolve/{revision}/';

/** transformers.js `remoteHost` for an HF_ENDPOINT value; undefined for none (the Hub itself). Throws on a value that is not an http(s) base URL. */
export function hubRemoteHost(endpoint: string | undefined): string | undefined {
  const value = endpoint?.trim();
  if (!value) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
    throw new Error(`HF_ENDPOINT "${value}" is not an http(s) base URL (e.g. https://hf-mirror.com)`);
  }
  return `${url.href.replace(/\/+$/, '')}/`;
}

/** Where a process downloads models from and keeps them. */
export interface HubSettings {
  /** HF_ENDPOINT's value: a Hub mirror (unset or empty: the Hub itself). */
  endpoint?: string;
  /** The models folder, made transformers.js's default cache too (see applyHubSettings). */
  cacheDir?: string;
}

/**
 * Points transformers.js model and tokenizer downloads at `endpoint` when set, and makes `cacheDir`
 * its default cache: transformers.js 4.3.1 checks a tokenizer's tokenizer_config.json (its
 * get_tokenizer_files) without the load's cache_dir or local_files_only, so a model cached only in a
 * folder given per call is looked up on the Hub again each time and fails to load offline. Throws
 * (changing nothing) on an endpoint that is not an http(s) base URL. Returns the host now used,
 * undefined for the Hub itself.
 */
export async function applyHubSettings(settings: HubSettings): Promise<string | undefined> {
  const host = hubRemoteHost(settings.endpoint);
  if (!host && !settings.cacheDir) return undefined;
  const { env } = await import('@huggingface/transformers');
  if (host) {
    env.remoteHost = host;
    env.remotePathTemplate = HUB_PATH_TEMPLATE;
  }
  if (settings.cacheDir) env.cacheDir = settings.cacheDir;
  return host;
}
