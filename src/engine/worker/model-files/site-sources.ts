// The site's own model sources: read from the same-origin site file (src/lib/site.ts) at each
// worker start and kept in Cache Storage beside the source configs, so an offline start reads the
// copy and makes no request. A missing or unreadable file means "no site sources", never an error:
// an ordinary deployment has none (and an SPA host answers it with index.html). Runs in the engine worker.

import { parseSiteFile } from '../../../lib/site';
import { CacheDocuments } from './cache-store';
import { FETCH_TIMEOUT_MS, SOURCES_CACHE } from './sources';

function parse(text: string | undefined, fileUrl: string): string[] | undefined {
  if (text === undefined) return undefined;
  try {
    return parseSiteFile(JSON.parse(text), fileUrl);
  } catch {
    return undefined;
  }
}

export async function loadSiteSources(fileUrl: string): Promise<string[]> {
  const cache = new CacheDocuments(SOURCES_CACHE);
  if (!navigator.onLine) return parse(await cache.get(fileUrl), fileUrl) ?? [];
  let res: Response;
  try {
    res = await fetch(fileUrl, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), cache: 'no-store' });
  } catch {
    // The server is unreachable for now: the copy from the last start stands.
    return parse(await cache.get(fileUrl), fileUrl) ?? [];
  }
  if (res.status >= 500) return parse(await cache.get(fileUrl), fileUrl) ?? [];
  const text = res.ok ? await res.text().catch(() => undefined) : undefined;
  const urls = parse(text, fileUrl);
  // The site answered: what it says now replaces the copy (no file, no site sources).
  if (urls === undefined || text === undefined) {
    await cache.delete(fileUrl);
    return [];
  }
  await cache.put(fileUrl, text);
  return urls;
}
