// The one-time link through which the service worker serves an exported bundle as a download, when
// the browser has no save dialog for the app to write into: the page hands the service worker a
// stream and an id, then navigates to the link, which the service worker answers once with that
// stream. Pure: shared by the page (src/app/bundle-save.ts) and the service worker (src/sw/bundle-download.ts).

/** Under the app's scope; the service worker's navigation fallback skips it. */
export const DOWNLOAD_PREFIX = 'bundle-download/';
/** The page → service worker message that registers a stream (its port answers once it is held). */
// Stryker disable next-line StringLiteral: both sides import this name, so any value pairs them the same
export const DOWNLOAD_MESSAGE = 'AIRGAP_BUNDLE_DOWNLOAD';

export interface DownloadOffer {
  type: typeof DOWNLOAD_MESSAGE;
  id: string;
  fileName: string;
  stream: ReadableStream<Uint8Array>;
}

export function downloadUrl(scope: string, id: string, fileName: string): string {
  return new URL(`${DOWNLOAD_PREFIX}${encodeURIComponent(id)}/${encodeURIComponent(fileName)}`, scope).href;
}

/** The id a download link carries, or undefined when the URL is not one under this scope. */
export function downloadId(url: string, scope: string): string | undefined {
  const prefix = new URL(DOWNLOAD_PREFIX, scope).href;
  if (!url.startsWith(prefix)) return undefined;
  const id = url.slice(prefix.length).split('/')[0];
  return id ? decodeURIComponent(id) : undefined;
}

/** A Content-Disposition that saves under `fileName` (an ASCII fallback, and the exact name per RFC 6266). */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
