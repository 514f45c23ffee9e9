// Custom model sources for self-hosted mirrors and air-gapped networks: a WebLLM-format app config
// (JSON with model_list) at a URL, or a mirror base URL holding app-config.json. Fetched when
// online and kept in Cache Storage ("airgap-sources"), so an offline start reads the copy and makes
// no request. Runs in the engine worker.

import { ModelSourceError } from '../../errors';
import { CacheDocuments } from './cache-store';

/** Where source configs (and the site file) are kept for offline starts. */
export const SOURCES_CACHE = 'airgap-sources';
export const FETCH_TIMEOUT_MS = 10_000;

export interface SourceRecord {
  model_id: string;
  model: string;
  model_lib: string;
  [key: string]: unknown;
}

/**
 * Adds source records to a backend's list in place: an id already listed keeps its record, unless
 * `replace` (the site's own sources: the server the app came from), which swaps it in place.
 * Returns the ids that are new to the list.
 */
/** Where records come from: a source the user added, an imported bundle or folder, or the site's own file (which replaces). */
export type RecordSource = 'custom' | 'imported' | 'site';

export function mergeRecords<R extends { model_id: string }>(list: R[], records: readonly R[], replace: boolean): string[] {
  const added: string[] = [];
  for (const r of records) {
    const at = list.findIndex((m) => m.model_id === r.model_id);
    if (at < 0) added.push(r.model_id);
    if (at < 0) list.push(r);
    else if (replace) list[at] = r;
  }
  return added;
}

/** The app config's URL: the URL itself when it names a .json file, else <base>/app-config.json. */
export function configUrlOf(url: string): string {
  const u = new URL(url);
  if (/\.json$/i.test(u.pathname)) return u.href;
  return new URL('app-config.json', u.href.endsWith('/') ? u.href : `${u.href}/`).href;
}

export function parseSource(json: unknown, configUrl: string): SourceRecord[] {
  const list = (json as { model_list?: unknown })?.model_list;
  if (!Array.isArray(list)) throw new ModelSourceError('it has no "model_list" array');
  if (list.length === 0) throw new ModelSourceError('its "model_list" is empty');
  return list.map((raw, i) => {
    const r = raw as Record<string, unknown>;
    for (const field of ['model_id', 'model', 'model_lib'] as const) {
      if (typeof r?.[field] !== 'string' || !(r[field] as string).trim()) throw new ModelSourceError(`model ${i + 1} has no "${field}"`);
    }
    // Relative locations are relative to the config's own URL.
    return {
      ...r,
      model_id: r.model_id as string,
      model: new URL(r.model as string, configUrl).href,
      model_lib: new URL(r.model_lib as string, configUrl).href,
    };
  });
}

export async function loadSource(url: string): Promise<SourceRecord[]> {
  let configUrl: string;
  try {
    configUrl = configUrlOf(url);
  } catch {
    throw new ModelSourceError(`"${url}" is not a URL`);
  }
  const cache = new CacheDocuments(SOURCES_CACHE);
  let text: string | undefined;
  if (navigator.onLine) {
    let res: Response | undefined;
    try {
      res = await fetch(configUrl, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), cache: 'no-store' });
    } catch {
      res = undefined;
    }
    if (res && !res.ok) throw new ModelSourceError(`${configUrl} answered HTTP ${res.status}`);
    text = res ? await res.text() : await cache.get(configUrl);
    if (text === undefined)
      throw new ModelSourceError(`${configUrl} could not be reached (network error, or the server does not allow cross-origin requests)`);
  } else {
    text = await cache.get(configUrl);
    if (text === undefined) throw new ModelSourceError(`${configUrl} is not available offline (it was never fetched)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ModelSourceError(`${configUrl} is not valid JSON`);
  }
  const records = parseSource(json, configUrl);
  await cache.put(configUrl, text);
  return records;
}
