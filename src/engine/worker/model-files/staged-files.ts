// Files a background fetch brought, handed to the engine worker's download: the service worker put
// each response that arrived whole in the staging cache (sw/bg-fetch.ts); the download takes it from
// there instead of the network, once, and verifies and stores it like any fetched file. Reading the
// cache here (not through the service worker's fetch handler) keeps model transfers out of the
// service worker, whose busy fetch events would hold back an update's activation.

import { BGFETCH_STAGING_CACHE } from '../../../lib/download/background';
import { takeResponse } from './cache-store';

/** The staged response for `url`, removed from staging as it is handed over; undefined when none. */
export async function takeStaged(url: string): Promise<Response | undefined> {
  if (typeof caches === 'undefined') return undefined;
  // Dropped as it is handed over: a file that fails its checks is fetched from the network next time.
  const hit = await takeResponse(BGFETCH_STAGING_CACHE, url);
  return hit?.ok ? hit : undefined;
}
