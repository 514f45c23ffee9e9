// Fetching and checking one model file whole: the body read in (MD5 hashed as it arrives when the
// manifest gives one), a stalled transfer aborted, the size and integrity checked the way WebLLM
// checks them at reload; stream-file.ts streams a file into the store with the same checks. Runs
// in the engine worker. Nothing here stores or retries; the downloader decides that from what these
// functions throw (retryable() tells the two kinds apart).

import { parseSri, type ModelFile } from '../../../lib/download/files';
import { Md5 } from '../../../lib/download/md5';
import { DownloadError, isNetworkFailure, networkError } from '../../errors';
import type { DownloadFileProgress } from '../../protocol';
import { concatBytes } from '../../../lib/bytes';
import { takeStaged } from './staged-files';

const STALL_TIMEOUT_MS = 30_000;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** 4xx answers will not change on a retry (408 and 429 excepted). */
export function retryable(err: unknown): boolean {
  const status = (err as { status?: number }).status;
  return status === undefined || status >= 500 || status === 408 || status === 429;
}

export function fileName(url: string): string {
  return url.split('/').pop() || url;
}

/** A file's response in flight, with its stall guard: `tick` on each chunk, `end` once done. */
export interface OpenFile {
  res: Response;
  /** The size the file must have: tensor-cache.json's, else the Content-Length. */
  expected: number | undefined;
  tick(): void;
  end(): void;
  /** Aborts the transfer (its body then errors). */
  abort(): void;
}

/** Starts the fetch of a file; `signal` aborts it, and so does STALL_TIMEOUT_MS without a byte. */
export async function openFile(f: ModelFile, t: DownloadFileProgress, signal: AbortSignal): Promise<OpenFile> {
  const stall = new AbortController();
  const abort = () => stall.abort();
  signal.addEventListener('abort', abort);
  let timer = setTimeout(abort, STALL_TIMEOUT_MS);
  const end = () => {
    clearTimeout(timer);
    signal.removeEventListener('abort', abort);
  };
  try {
    const res =
      (await takeStaged(f.url)) ??
      (await fetch(f.url, { signal: stall.signal, cache: 'no-store' }).catch((err: unknown) => {
        throw isNetworkFailure(err) ? networkError(f.url) : err;
      }));
    if (!res.ok) throw new HttpError(res.status, `${fileName(f.url)}: HTTP ${res.status} ${res.statusText}`.trim());
    const length = Number(res.headers.get('content-length'));
    const known = Number.isFinite(length) && length > 0 ? length : undefined;
    if (t.bytesTotal === undefined && known !== undefined) t.bytesTotal = known;
    const tick = () => {
      clearTimeout(timer);
      timer = setTimeout(abort, STALL_TIMEOUT_MS);
    };
    return { res, expected: f.bytes ?? known, tick, end, abort };
  } catch (err) {
    end();
    throw err;
  }
}

/** The file's bytes, and their MD5 when the manifest gives one. `t.bytesDone` follows the transfer. */
export async function fetchFile(
  f: ModelFile,
  t: DownloadFileProgress,
  signal: AbortSignal,
  onBytes: (n: number) => void,
): Promise<{ data: ArrayBuffer; md5?: string }> {
  const open = await openFile(f, t, signal);
  try {
    const reader = open.res.body!.getReader();
    const chunks: Uint8Array[] = [];
    const hash = f.md5 ? new Md5() : undefined;
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      hash?.update(value);
      received += value.byteLength;
      t.bytesDone = received;
      onBytes(value.byteLength);
      open.tick();
    }
    checkReceived(received, open.expected);
    const data = concatBytes(chunks).buffer;
    return hash ? { data, md5: hash.hex() } : { data };
  } finally {
    open.end();
  }
}

/** A transfer that ended short (or ran long) is retried, not stored. */
export function checkReceived(received: number, expected: number | undefined): void {
  if (expected !== undefined && received !== expected) throw new Error(`received ${received} of ${expected} bytes`);
}

/** The MD5 check, apart from the bytes: a streamed file is checked as its last chunk passes. */
export function checkMd5(f: ModelFile, md5: string | undefined): void {
  if (f.md5 && md5 !== f.md5)
    throw new DownloadError(`${fileName(f.url)} does not match its MD5 in tensor-cache.json (the file or the mirror is corrupt)`);
}

/**
 * Size, MD5 (from tensor-cache.json), then the integrity string the way WebLLM checks it at reload
 * (SHA-256/384/512 SRI). Returns a warning instead of throwing when the source says "warn".
 */
export async function verifyFile(f: ModelFile, data: ArrayBuffer, md5: string | undefined): Promise<string | undefined> {
  checkMd5(f, md5);
  if (f.bytes !== undefined && data.byteLength !== f.bytes) throw new Error(`size ${data.byteLength} instead of ${f.bytes}`);
  if (!f.integrity) return undefined;
  const sri = parseSri(f.integrity);
  if (!sri)
    throw new DownloadError(`the source gives ${fileName(f.url)} a malformed integrity hash "${f.integrity}", which WebLLM refuses`);
  const digest = new Uint8Array(await crypto.subtle.digest(sri.algorithm, data));
  let s = '';
  for (const b of digest) s += String.fromCharCode(b);
  if (btoa(s) === sri.base64) return undefined;
  const message = `${fileName(f.url)} does not match its ${sri.algorithm} (the file or the mirror is corrupt)`;
  if (f.integrityWarnOnly) return `${message}; kept, as the source asks (integrity.onFailure = "warn")`;
  throw new DownloadError(message);
}
