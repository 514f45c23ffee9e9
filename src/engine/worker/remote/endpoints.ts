// The user's remote inference servers as the worker knows them (the page sends the list from its
// settings), and what each serves: `GET {base}/models` → catalog entries with source "remote" and
// namespaced ids (lib/remote/ids.ts). Runs in the worker. Invariants: base URLs end without a slash;
// a key is sent only to its own server; remote entries carry no size or GPU-fit data.

import type { CatalogEntry } from '../../protocol';
import { RemoteServerError } from '../../errors';
import { normaliseBaseUrl, remoteModelId } from '../../../lib/remote/ids';
import type { RemoteEndpoint } from '../../../lib/remote/endpoint';
import type { RemoteWhere } from './remote-errors';

export type { RemoteEndpoint };
import { remoteFetch, requestHeaders, type FetchDeps } from './remote-fetch';

/** One entry of an OpenAI-compatible model list (vLLM adds max_model_len; llama-server and Ollama add other fields). */
interface ListedModel {
  id?: unknown;
  max_model_len?: unknown;
}

export class RemoteEndpoints {
  readonly #byId = new Map<string, RemoteEndpoint>();

  /** Replaces the whole list (settings are the one home of endpoints); throws in words on a bad one. */
  set(endpoints: readonly RemoteEndpoint[]): void {
    const next = new Map<string, RemoteEndpoint>();
    for (const e of endpoints) {
      if (!e.id || e.id.includes('/')) throw new Error(`endpoint id "${e.id}" must be non-empty and have no "/"`);
      if (next.has(e.id)) throw new Error(`endpoint id "${e.id}" is used twice`);
      next.set(e.id, { ...e, baseUrl: normaliseBaseUrl(e.baseUrl) });
    }
    this.#byId.clear();
    for (const [id, e] of next) this.#byId.set(id, e);
  }

  get(id: string): RemoteEndpoint | undefined {
    return this.#byId.get(id);
  }

  list(): RemoteEndpoint[] {
    return [...this.#byId.values()];
  }
}

/** Who answered, for messages: the user's name for the server and its host (never the key). */
export function whereOf(endpoint: RemoteEndpoint): RemoteWhere {
  const host = new URL(endpoint.baseUrl).host;
  const server = endpoint.label && endpoint.label !== host ? `${endpoint.label} (${host})` : host;
  return endpoint.apiKey ? { server, apiKey: endpoint.apiKey } : { server };
}

export function remoteCatalogEntry(endpoint: RemoteEndpoint, model: { id: string; contextWindow?: number }): CatalogEntry {
  return {
    id: remoteModelId(endpoint.id, model.id),
    source: 'remote',
    server: endpoint.label || new URL(endpoint.baseUrl).host,
    quantization: 'unknown',
    // 0: not told; the server fits (or refuses) the prompt itself.
    contextWindow: model.contextWindow ?? 0,
    needsShaderF16: false,
    lowResource: false,
    kind: 'llm',
    libName: '',
    recurrentState: false,
    slidingWindow: false,
  };
}

/** The models a server lists, as catalog entries; errors in words (unreachable, key, rate limit, not a list). */
export async function listModels(endpoint: RemoteEndpoint, deps: FetchDeps = {}, signal?: AbortSignal): Promise<CatalogEntry[]> {
  const where = whereOf(endpoint);
  const res = await remoteFetch(`${endpoint.baseUrl}/models`, { headers: requestHeaders(endpoint.apiKey, true), signal }, where, deps);
  const notAList = () => new RemoteServerError(`${where.server} answered /models with something that is not a model list`);
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw notAList();
  }
  const data = (json as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw notAList();
  return (data as ListedModel[])
    .filter((m): m is ListedModel & { id: string } => typeof m?.id === 'string' && m.id.length > 0)
    .map((m) =>
      remoteCatalogEntry(
        endpoint,
        typeof m.max_model_len === 'number' && m.max_model_len > 0 ? { id: m.id, contextWindow: m.max_model_len } : { id: m.id },
      ),
    );
}
