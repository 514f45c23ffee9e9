// Names of remote inference servers and their models as the catalog knows them. A remote model's
// catalog id is `remote:<endpoint id>/<model id>`: the prefix keeps it apart from every local id, and
// the model id after the first "/" is kept whole (server ids such as "meta-llama/Llama-3.3-70B" have slashes).

export const REMOTE_PREFIX = 'remote:';

export function remoteModelId(endpointId: string, modelId: string): string {
  return `${REMOTE_PREFIX}${endpointId}/${modelId}`;
}

/** The endpoint and the server's own model id of a remote catalog id; undefined for a local id. */
export function parseRemoteModelId(id: string): { endpointId: string; modelId: string } | undefined {
  if (!id.startsWith(REMOTE_PREFIX)) return undefined;
  const rest = id.slice(REMOTE_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return undefined;
  return { endpointId: rest.slice(0, slash), modelId: rest.slice(slash + 1) };
}

export const isRemoteModelId = (id: string): boolean => parseRemoteModelId(id) !== undefined;

/**
 * A base URL as the user typed it, made canonical: trimmed, http(s) only, no query or fragment, no
 * trailing slash ("http://host:8000/v1/" → "http://host:8000/v1"), so `${base}/models` is always right.
 * Throws a sentence when it is not such a URL.
 */
export function normaliseBaseUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new Error(`"${input.trim()}" is not a URL (expected e.g. http://gpu-server:8000/v1)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`"${input.trim()}" is not an http(s) URL`);
  if (url.username || url.password) throw new Error('put the API key in its own field, not in the URL');
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
