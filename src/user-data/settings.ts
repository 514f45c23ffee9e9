// The user's settings in IndexedDB ("airgap-settings"), one record under SETTINGS_KEY. Runs on the
// page. Whatever is stored is normalised on read, so a broken or older record never breaks boot.

import { get, set } from 'idb-keyval';
import { SETTINGS_SCHEMA, normaliseSettings, type Settings } from '../lib/settings';
import { openVersionedStore } from './db';

const SETTINGS_KEY = 'settings';
const db = openVersionedStore('airgap-settings', 'settings', SETTINGS_SCHEMA, async () => {});

export async function loadSettings(): Promise<Settings> {
  await db.ready;
  return normaliseSettings(await get(SETTINGS_KEY, db.store));
}

export async function saveSettings(s: Settings): Promise<void> {
  await db.ready;
  await set(SETTINGS_KEY, s, db.store);
}
