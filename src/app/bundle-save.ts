// Where an exported bundle is saved, chosen on the page: a file from the save dialog where the
// browser has showSaveFilePicker (the engine worker writes into it), otherwise a download streamed
// through the service worker (src/sw/bundle-download.ts) from a stream the engine worker fills.
// Runs on the page. Never holds the bundle's bytes: they go from the worker to the disk.

import { BundleExportError } from '../engine/errors';
import type { BundleTarget } from '../engine/protocol';
import { DOWNLOAD_MESSAGE, downloadUrl, type DownloadOffer } from '../lib/bundle/download-link';
import { bundleFileName } from '../lib/bundle/format';

type SaveFilePicker = (o: {
  suggestedName: string;
  types: { description: string; accept: Record<string, string[]> }[];
}) => Promise<FileSystemFileHandle>;

export interface BundleSave {
  target: BundleTarget;
  /** What moves to the worker with the call. */
  transfer: Transferable[];
  /** Called once the worker has the target: starts the download where there is one. */
  start(): void;
}

const SW_ANSWER_MS = 5_000;

/** The save target for a model's bundle; undefined when the person dismissed the save dialog. */
export async function chooseBundleSave(modelId: string): Promise<BundleSave | undefined> {
  const fileName = bundleFileName(modelId);
  const picker = (window as { showSaveFilePicker?: SaveFilePicker }).showSaveFilePicker;
  if (picker) {
    try {
      const handle = await picker({
        suggestedName: fileName,
        types: [{ description: 'Model bundle (tar archive)', accept: { 'application/x-tar': ['.tar'] } }],
      });
      return { target: { kind: 'file', handle }, transfer: [], start: () => {} };
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return undefined;
      throw err;
    }
  }
  return streamedDownload(fileName);
}

async function streamedDownload(fileName: string): Promise<BundleSave> {
  const registration = await Promise.race([navigator.serviceWorker?.ready, new Promise<undefined>((r) => setTimeout(r, SW_ANSWER_MS))]);
  const sw = registration?.active;
  if (!registration || !sw)
    throw new BundleExportError(
      'this browser has no save dialog, and the service worker that streams downloads is not running (reload the app)',
    );
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const id = crypto.randomUUID();
  const channel = new MessageChannel();
  const held = new Promise<boolean>((resolve) => {
    channel.port1.onmessage = () => resolve(true);
    setTimeout(() => resolve(false), SW_ANSWER_MS);
  });
  const offer: DownloadOffer = { type: DOWNLOAD_MESSAGE, id, fileName, stream: readable };
  sw.postMessage(offer, [readable, channel.port2]);
  // Navigating to a link no service worker answers would leave the app: make sure this one holds the stream.
  if (!(await held)) throw new BundleExportError('the service worker did not take the download (reload the app to update it)');
  channel.port1.close();
  return {
    target: { kind: 'stream', stream: writable },
    transfer: [writable],
    start() {
      // An attachment answer turns the navigation into a download; the app stays on screen.
      const a = document.createElement('a');
      a.href = downloadUrl(registration.scope, id, fileName);
      document.body.append(a);
      a.click();
      a.remove();
    },
  };
}
