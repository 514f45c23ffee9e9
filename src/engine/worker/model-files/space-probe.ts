// Will `bytes` more fit in this origin's storage? navigator.storage.estimate() reports a padded
// quota (browsers hide the real one), so the check asks the quota system itself: it grows an empty
// file in the Origin Private File System to the size needed (no data is written) and removes it.
// Runs in the engine worker (sync access handles exist only in workers).

import { isQuotaExceeded } from '../../errors';

const PROBE_FILE = '.airgap-space-probe';

interface SyncHandle {
  truncate(size: number): void;
  getSize(): number;
  close(): void;
}

/** True when it fits, false when the quota refuses it, undefined when the browser cannot tell. */
export async function fitsInQuota(bytes: number): Promise<boolean | undefined> {
  if (bytes <= 0) return true;
  let root: FileSystemDirectoryHandle;
  try {
    root = await (globalThis as { navigator?: { storage: StorageManager } }).navigator!.storage.getDirectory();
  } catch {
    return undefined;
  }
  const file = await root.getFileHandle(PROBE_FILE, { create: true });
  const create = (file as unknown as { createSyncAccessHandle?: () => Promise<SyncHandle> }).createSyncAccessHandle;
  if (!create) return undefined;
  const handle = await create.call(file);
  try {
    handle.truncate(bytes);
    // Chrome may refuse the growth without throwing: the size tells.
    return handle.getSize() === bytes;
  } catch (err) {
    if (isQuotaExceeded(err)) return false;
    return undefined;
  } finally {
    try {
      handle.truncate(0);
    } finally {
      handle.close();
      await root.removeEntry(PROBE_FILE).catch(() => {});
    }
  }
}
