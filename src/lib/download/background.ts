// Background Fetch, the parts the page and the service worker share: the registration id per model,
// the staging cache the service worker fills when a background fetch ends, and the message it then
// sends. The browser fetches; the engine worker still verifies and stores every file (it takes the
// staged responses from the staging cache in place of the network), so the layout has one home.

/** Raw responses of finished background fetches, until the engine worker has stored them. */
export const BGFETCH_STAGING_CACHE = 'airgap-bgfetch';
const ID_PREFIX = 'airgap-download:';
/** What the service worker posts to the app's windows once a background fetch's files are staged. */
export const BGFETCH_STAGED = 'AIRGAP_BGFETCH_STAGED';

export interface StagedMessage {
  type: typeof BGFETCH_STAGED;
  id: string;
  result: 'success' | 'failure';
}

export const bgFetchId = (modelId: string): string => `${ID_PREFIX}${modelId}`;
export const isOurBgFetch = (id: string): boolean => id.startsWith(ID_PREFIX);

export function isStagedMessage(data: unknown): data is StagedMessage {
  const m = data as Partial<StagedMessage> | null;
  return m?.type === BGFETCH_STAGED && typeof m.id === 'string' && (m.result === 'success' || m.result === 'failure');
}

interface PlannedFile {
  url: string;
  bytesTotal?: number;
  state: string;
}

/** The files a background fetch gets: those the worker's prepare step did not find stored. */
export function filesToFetch(files: readonly PlannedFile[]): PlannedFile[] {
  return files.filter((f) => f.state !== 'done' && f.state !== 'skipped');
}

/** Background Fetch's downloadTotal: the sum when every size is known, else 0 ("unknown", no cap). */
export function downloadTotal(files: readonly PlannedFile[]): number {
  let sum = 0;
  for (const f of files) {
    if (f.bytesTotal === undefined || f.bytesTotal <= 0) return 0;
    sum += f.bytesTotal;
  }
  return sum;
}

// TypeScript's DOM and WebWorker libs do not describe Background Fetch (WICG); the parts we use:
export interface BgFetchRegistration {
  readonly id: string;
  readonly downloaded: number;
  readonly downloadTotal: number;
  readonly result: '' | 'success' | 'failure';
  readonly failureReason: string;
  abort(): Promise<boolean>;
  addEventListener(type: 'progress', listener: () => void): void;
  removeEventListener(type: 'progress', listener: () => void): void;
}

export interface BgFetchManager {
  fetch(id: string, requests: string[], options?: { title?: string; downloadTotal?: number }): Promise<BgFetchRegistration>;
  get(id: string): Promise<BgFetchRegistration | undefined>;
}
