// Fetches a model's mlc-chat-config.json alone (before any weights) to learn its KV shape. It is
// read from, and stored in, WebLLM's own "webllm/config" cache under the URL WebLLM uses, so a
// later load finds it there and never fetches it twice. Runs in the engine worker.

import { kvShapeFromChatConfig } from '../../lib/gpu/kv-shapes';
import type { KvShape } from '../../lib/gpu/types';

const CONFIG_CACHE = 'webllm/config';
const FETCH_TIMEOUT_MS = 10_000;

/** WebLLM's rule: a Hugging Face repository URL gets "resolve/main/" appended. */
export function modelBaseUrl(model: string): string {
  let url = model.endsWith('/') ? model : `${model}/`;
  if (!/.+\/resolve\/.+\//.test(url)) url += 'resolve/main/';
  return new URL(url).href;
}

export function chatConfigUrl(model: string): string {
  return new URL('mlc-chat-config.json', modelBaseUrl(model)).href;
}

export async function fetchKvShape(model: string): Promise<KvShape | undefined> {
  const url = chatConfigUrl(model);
  try {
    const cache = await caches.open(CONFIG_CACHE);
    let response = await cache.match(url);
    if (!response) {
      if (!navigator.onLine) return undefined;
      const fetched = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!fetched.ok) return undefined;
      await cache.put(url, fetched.clone());
      response = fetched;
    }
    return kvShapeFromChatConfig(await response.json());
  } catch {
    return undefined;
  }
}
