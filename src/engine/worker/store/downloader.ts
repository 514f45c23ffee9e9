// Downloads one model's files into WebLLM's cache layout: up to 4 files at once, retries with
// exponential backoff, files already complete skipped, each file verified (size from
// tensor-cache.json, SHA-256 where the source gives one) before it is stored in one put. Pause or
// a dropped connection loses at most the files in flight. Runs in the engine worker.

import prettyBytes from 'pretty-bytes';
import { bodyFiles, headFiles, parseManifest, tokenizerFilesOf, type ModelFile, type RecordFiles } from '../../../lib/download/files';
import { MAX_PARALLEL_FILES, MAX_RETRIES, RateMeter, backoffMs, quotaShortfall } from '../../../lib/download/progress';
import { DownloadError, QuotaPreflightError, StorageFullError } from '../../errors';
import type { DownloadFileProgress, DownloadProgress, DownloadResult } from '../../protocol';
import type { ArtifactStore } from './artifact-store';
import { fitsInQuota } from './space-probe';

const PROGRESS_INTERVAL_MS = 100;
const STALL_TIMEOUT_MS = 30_000;

export interface DownloadOptions {
  modelId: string;
  record: RecordFiles;
  store: ArtifactStore;
  pageUrl: string;
  signal: AbortSignal;
  onProgress: (p: DownloadProgress) => void;
  /** Skip the quota preflight (the user chose "download anyway"). */
  force?: boolean;
  retryBaseMs?: number;
}

class Paused extends Error {}

const fmt = (b: number) => prettyBytes(b);

export async function downloadModel(o: DownloadOptions): Promise<DownloadResult> {
  const files = new Map<string, DownloadFileProgress>();
  const meter = new RateMeter();
  let bytesFetched = 0;
  let filesFetched = 0;
  let filesSkipped = 0;
  let lastEmit = 0;
  let note: string | undefined;
  let state: DownloadProgress['state'] = 'preparing';

  const emit = (force = false) => {
    const now = performance.now();
    if (!force && now - lastEmit < PROGRESS_INTERVAL_MS) return;
    lastEmit = now;
    const list = [...files.values()];
    const bytesTotal = list.reduce((n, f) => n + (f.bytesTotal ?? f.bytesDone), 0);
    const bytesDone = list.reduce((n, f) => n + f.bytesDone, 0);
    meter.add(now, bytesFetched);
    const p: DownloadProgress = { modelId: o.modelId, state, bytesDone, bytesTotal, bytesFetched, bytesPerSecond: meter.rate, files: list.map((f) => ({ ...f })) };
    const eta = meter.etaSeconds(Math.max(0, bytesTotal - bytesDone));
    if (eta !== undefined && state === 'downloading') p.etaSeconds = eta;
    if (note) p.note = note;
    o.onProgress(p);
  };

  const track = (f: ModelFile): DownloadFileProgress => {
    let t = files.get(f.url);
    if (!t) {
      t = { url: f.url, kind: f.kind, bytesDone: 0, state: 'queued', attempts: 0 };
      if (f.bytes !== undefined) t.bytesTotal = f.bytes;
      files.set(f.url, t);
    }
    return t;
  };

  /** Stores the file if it is not already complete; returns its bytes. */
  const ensure = async (f: ModelFile): Promise<void> => {
    const t = track(f);
    const have = await o.store.size(f.scope, f.url);
    if (have !== undefined && (f.bytes === undefined || have === f.bytes)) {
      t.state = 'skipped';
      t.bytesDone = have;
      t.bytesTotal = have;
      filesSkipped++;
      emit();
      return;
    }
    for (let attempt = 0; ; attempt++) {
      if (o.signal.aborted) throw new Paused();
      t.attempts = attempt + 1;
      t.state = attempt === 0 ? 'downloading' : 'retrying';
      t.bytesDone = 0;
      try {
        const data = await fetchFile(f, t, (n) => {
          bytesFetched += n;
          emit();
        });
        await verify(f, data);
        try {
          await o.store.put(f.scope, f.url, data, f.storeAs);
        } catch (err) {
          if (err instanceof DOMException && err.name === 'QuotaExceededError') throw new StorageFullError(`${fmt(data.byteLength)} could not be stored for ${fileName(f.url)}`);
          throw err;
        }
        t.state = 'done';
        t.bytesTotal = data.byteLength;
        t.bytesDone = data.byteLength;
        filesFetched++;
        note = undefined;
        emit(true);
        return;
      } catch (err) {
        if (o.signal.aborted) throw new Paused();
        if (err instanceof StorageFullError || !retryable(err) || attempt >= MAX_RETRIES) {
          t.state = 'failed';
          emit(true);
          throw err instanceof Error && err.name !== 'Error' ? err : new DownloadError(`${fileName(f.url)}: ${err instanceof Error ? err.message : String(err)}`);
        }
        const wait = backoffMs(attempt, o.retryBaseMs);
        note = `${fileName(f.url)} failed (${err instanceof Error ? err.message : String(err)}); retrying in ${(wait / 1000).toFixed(1)} s`;
        t.state = 'retrying';
        emit(true);
        await sleep(wait, o.signal);
      }
    }
  };

  const fetchFile = async (f: ModelFile, t: DownloadFileProgress, onBytes: (n: number) => void): Promise<ArrayBuffer> => {
    const stall = new AbortController();
    const abort = () => stall.abort();
    o.signal.addEventListener('abort', abort);
    let timer = setTimeout(abort, STALL_TIMEOUT_MS);
    try {
      const res = await fetch(f.url, { signal: stall.signal, cache: 'no-store' });
      if (!res.ok) throw new HttpError(res.status, `${fileName(f.url)}: HTTP ${res.status} ${res.statusText}`.trim());
      const length = Number(res.headers.get('content-length'));
      if (t.bytesTotal === undefined && Number.isFinite(length) && length > 0) t.bytesTotal = length;
      const reader = res.body!.getReader();
      const chunks: Uint8Array[] = [];
      let received = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.byteLength;
        t.bytesDone = received;
        onBytes(value.byteLength);
        clearTimeout(timer);
        timer = setTimeout(abort, STALL_TIMEOUT_MS);
      }
      const expected = f.bytes ?? (Number.isFinite(length) && length > 0 ? length : undefined);
      if (expected !== undefined && received !== expected) throw new Error(`received ${received} of ${expected} bytes`);
      const out = new Uint8Array(received);
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.byteLength;
      }
      return out.buffer;
    } finally {
      clearTimeout(timer);
      o.signal.removeEventListener('abort', abort);
    }
  };

  try {
    // 1. Config, tensor-cache.json and the model library: they say what else there is.
    const head = headFiles(o.record, o.pageUrl);
    head.forEach(track);
    emit(true);
    await Promise.all(head.map(ensure));
    const readJson = async (f: ModelFile) => JSON.parse(new TextDecoder().decode((await o.store.read(f.scope, f.url))!)) as unknown;
    let manifest;
    let tokenizers: string[];
    try {
      manifest = parseManifest(await readJson(head[1]!));
      tokenizers = tokenizerFilesOf(await readJson(head[0]!));
    } catch (err) {
      throw new DownloadError(`the model's files are not a WebLLM model (${err instanceof Error ? err.message : String(err)})`);
    }
    const body = bodyFiles(o.record, manifest, tokenizers);
    body.forEach(track);
    // 2. Will the rest fit?
    if (!o.force) {
      let need = 0;
      for (const f of body) if ((await o.store.size(f.scope, f.url)) === undefined) need += f.bytes ?? 0;
      const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;
      const estimate = storage?.estimate ? await storage.estimate() : {};
      const short = quotaShortfall(need, estimate);
      if (short) throw new QuotaPreflightError(`it needs ${fmt(need)} more and only ${fmt(need - short)} of storage is free`);
      if ((await fitsInQuota(need)) === false) throw new QuotaPreflightError(`it needs ${fmt(need)} more than this site may store right now`);
    }
    // 3. Up to MAX_PARALLEL_FILES at a time.
    state = 'downloading';
    emit(true);
    const queue = [...body];
    const workers = Array.from({ length: MAX_PARALLEL_FILES }, async () => {
      for (let f = queue.shift(); f; f = queue.shift()) await ensure(f);
    });
    const results = await Promise.allSettled(workers);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    state = 'done';
    emit(true);
    return { modelId: o.modelId, state: 'done', bytesFetched, filesFetched, filesSkipped };
  } catch (err) {
    if (err instanceof Paused || o.signal.aborted) {
      state = 'paused';
      for (const t of files.values()) if (t.state === 'downloading' || t.state === 'retrying') {
        t.state = 'queued';
        t.bytesDone = 0;
      }
      emit(true);
      return { modelId: o.modelId, state: 'paused', bytesFetched, filesFetched, filesSkipped };
    }
    state = 'failed';
    emit(true);
    throw err;
  }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** 4xx answers will not change on a retry (408 and 429 excepted). */
function retryable(err: unknown): boolean {
  const status = (err as { status?: number }).status;
  return status === undefined || status >= 500 || status === 408 || status === 429;
}

async function verify(f: ModelFile, data: ArrayBuffer): Promise<void> {
  if (f.bytes !== undefined && data.byteLength !== f.bytes) throw new Error(`size ${data.byteLength} instead of ${f.bytes}`);
  if (!f.integrity) return;
  const [algo, expected] = f.integrity.split('-', 2) as [string, string];
  if (algo !== 'sha256') return;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  let s = '';
  for (const b of digest) s += String.fromCharCode(b);
  if (btoa(s) !== expected) throw new DownloadError(`${fileName(f.url)} does not match its SHA-256 (the file or the mirror is corrupt)`);
}

export function fileName(url: string): string {
  return url.split('/').pop() || url;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
