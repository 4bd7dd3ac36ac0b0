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

/**
 * Points transformers.js model and tokenizer downloads at `environment.HF_ENDPOINT` when it is set
 * (transformers.js is imported only then). Returns the host now used, undefined for the Hub itself.
 */
export async function applyHubEndpoint(environment: Record<string, string | undefined>): Promise<string | undefined> {
  const host = hubRemoteHost(environment.HF_ENDPOINT);
  if (!host) return undefined;
  const { env } = await import('@huggingface/transformers');
  env.remoteHost = host;
  env.remotePathTemplate = HUB_PATH_TEMPLATE;
  return host;
}
