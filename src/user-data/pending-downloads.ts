// Downloads in progress, kept in IndexedDB ("airgap-downloads") so they outlive the tab: the page
// starts them again on its next start (app/state/download-journal.ts). Runs on the page, beside the
// settings: the page is where the user's intent (pause, cancel, "download anyway") is known.

import { get, set } from 'idb-keyval';
import { normalisePending, type PendingDownload } from '../lib/download/pending';
import { openVersionedStore } from './db';

const PENDING_KEY = 'pending';
const db = openVersionedStore('airgap-downloads', 'downloads', 1, async () => {});

export async function loadPendingDownloads(): Promise<PendingDownload[]> {
  await db.ready;
  return normalisePending(await get(PENDING_KEY, db.store));
}

export async function savePendingDownloads(list: readonly PendingDownload[]): Promise<void> {
  await db.ready;
  await set(PENDING_KEY, list, db.store);
}
