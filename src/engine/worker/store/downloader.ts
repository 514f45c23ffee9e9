// Downloads one model's files into WebLLM's cache layout: the files WebLLM's reload reads, found
// the way it finds them (lib/download/plan), up to 4 at once, retries with exponential backoff,
// complete files skipped, each file verified (size and MD5 from tensor-cache.json, the record's
// integrity hashes) before it is stored in one put. Pause loses at most the files in flight; a file
// that fails for good stops the queue at once. Every phase waits for its in-flight writes, so
// nothing lands after the run returns. Runs in the engine worker.

import prettyBytes from 'pretty-bytes';
import { parseSri, type ModelFile, type RecordFiles } from '../../../lib/download/files';
import { Md5 } from '../../../lib/download/md5';
import { planModel, settleAll } from '../../../lib/download/plan';
import { MAX_PARALLEL_FILES, MAX_RETRIES, RateMeter, backoffMs, quotaShortfall } from '../../../lib/download/progress';
import { messageOf } from '../../../lib/message';
import { AirgapError, DownloadError, QuotaPreflightError, StorageFullError, isQuotaExceeded } from '../../errors';
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
  /** Aborts every fetch in flight: on pause or cancel (o.signal), or when a file fails for good. */
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  o.signal.addEventListener('abort', onAbort);
  let fatal: unknown;
  const ensured = new Map<string, Promise<void>>();

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

  /** Why the run must end now: paused or cancelled, or another file failed for good. */
  const interruption = (): unknown => (o.signal.aborted ? new Paused() : fatal);

  /** Stores the file if it is not already complete (each file once per run). */
  const ensure = (f: ModelFile): Promise<void> => {
    let p = ensured.get(f.url);
    if (!p) {
      p = ensureOnce(f);
      ensured.set(f.url, p);
    }
    return p;
  };

  const ensureOnce = async (f: ModelFile): Promise<void> => {
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
      if (stop.signal.aborted) throw interruption();
      t.attempts = attempt + 1;
      t.state = attempt === 0 ? 'downloading' : 'retrying';
      t.bytesDone = 0;
      try {
        const { data, md5 } = await fetchFile(f, t, (n) => {
          bytesFetched += n;
          emit();
        });
        if (f.md5 && md5 !== f.md5) throw new DownloadError(`${fileName(f.url)} does not match its MD5 in tensor-cache.json (the file or the mirror is corrupt)`);
        let warning: string | undefined;
        await verify(f, data, (w) => (warning = w));
        try {
          await o.store.put(f.scope, f.url, data, f.storeAs);
        } catch (err) {
          if (isQuotaExceeded(err)) throw new StorageFullError(`${fmt(data.byteLength)} could not be stored for ${fileName(f.url)}`);
          throw err;
        }
        t.state = 'done';
        t.bytesTotal = data.byteLength;
        t.bytesDone = data.byteLength;
        filesFetched++;
        if (warning) note = warning;
        else if (note?.startsWith(fileName(f.url))) note = undefined;
        emit(true);
        return;
      } catch (err) {
        if (stop.signal.aborted) throw interruption();
        if (err instanceof StorageFullError || err instanceof DownloadError || !retryable(err) || attempt >= MAX_RETRIES) {
          t.state = 'failed';
          // Stop the queue and the files in flight: the run fails whatever the rest does.
          const message = messageOf(err);
          fatal = err instanceof AirgapError ? err : new DownloadError(message.startsWith(`${fileName(f.url)}:`) ? message : `${fileName(f.url)}: ${message}`);
          stop.abort();
          emit(true);
          throw fatal;
        }
        const wait = backoffMs(attempt, o.retryBaseMs);
        note = `${fileName(f.url)} failed (${messageOf(err)}); retrying in ${(wait / 1000).toFixed(1)} s`;
        t.state = 'retrying';
        emit(true);
        await sleep(wait, stop.signal);
      }
    }
  };

  /** The file's bytes, and their MD5 (hashed as they arrive) when the manifest gives one. */
  const fetchFile = async (f: ModelFile, t: DownloadFileProgress, onBytes: (n: number) => void): Promise<{ data: ArrayBuffer; md5?: string }> => {
    const stall = new AbortController();
    const abort = () => stall.abort();
    stop.signal.addEventListener('abort', abort);
    let timer = setTimeout(abort, STALL_TIMEOUT_MS);
    try {
      const res = await fetch(f.url, { signal: stall.signal, cache: 'no-store' });
      if (!res.ok) throw new HttpError(res.status, `${fileName(f.url)}: HTTP ${res.status} ${res.statusText}`.trim());
      const length = Number(res.headers.get('content-length'));
      if (t.bytesTotal === undefined && Number.isFinite(length) && length > 0) t.bytesTotal = length;
      const reader = res.body!.getReader();
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
      return hash ? { data: out.buffer, md5: hash.hex() } : { data: out.buffer };
    } finally {
      clearTimeout(timer);
      stop.signal.removeEventListener('abort', abort);
    }
  };

  /** Parsed JSON of a file the plan needs, downloaded first when it is not stored. */
  const readJson = async (f: ModelFile): Promise<unknown> => {
    await ensure(f);
    const data = await o.store.read(f.scope, f.url);
    if (!data) return undefined;
    try {
      return JSON.parse(new TextDecoder().decode(data)) as unknown;
    } catch {
      throw new DownloadError(`${fileName(f.url)} is not valid JSON, so this is not a WebLLM model`);
    }
  };

  try {
    // 1. The package manifest, config and tensor-cache.json: they say what else there is.
    const plan = await planModel(o.record, o.pageUrl, readJson);
    if (plan.error) throw new DownloadError(`the model's files are not a WebLLM model (${plan.error})`);
    if (!plan.complete) throw new DownloadError('the model\'s config or tensor-cache.json could not be read back from storage');
    const rest = plan.files.filter((f) => !ensured.has(f.url));
    plan.files.forEach(track);
    // 2. Will the rest fit?
    if (!o.force) {
      let need = 0;
      for (const f of rest) if ((await o.store.size(f.scope, f.url)) === undefined) need += f.bytes ?? 0;
      const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;
      const estimate = storage?.estimate ? await storage.estimate() : {};
      const short = quotaShortfall(need, estimate);
      if (short) throw new QuotaPreflightError(`it needs ${fmt(need)} more and only ${fmt(need - short)} of storage is free`);
      if ((await fitsInQuota(need)) === false) throw new QuotaPreflightError(`it needs ${fmt(need)} more than this site may store right now`);
    }
    // 3. Up to MAX_PARALLEL_FILES at a time; a file that fails for good empties the queue.
    state = 'downloading';
    emit(true);
    const queue = [...rest];
    await settleAll(
      Array.from({ length: MAX_PARALLEL_FILES }, async () => {
        for (let f = queue.shift(); f; f = queue.shift()) {
          if (stop.signal.aborted) throw interruption();
          await ensure(f);
        }
      }),
    );
    state = 'done';
    emit(true);
    return { modelId: o.modelId, state: 'done', bytesFetched, filesFetched, filesSkipped };
  } catch (err) {
    // Let every file in flight finish or fail before reporting, so no write lands later.
    await Promise.allSettled(ensured.values());
    if (fatal === undefined && (err instanceof Paused || o.signal.aborted)) {
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
    throw fatal ?? err;
  } finally {
    o.signal.removeEventListener('abort', onAbort);
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

/** Size, then the integrity string the way WebLLM checks it at reload (SHA-256/384/512 SRI, "warn" only logs). */
async function verify(f: ModelFile, data: ArrayBuffer, warn: (message: string) => void): Promise<void> {
  if (f.bytes !== undefined && data.byteLength !== f.bytes) throw new Error(`size ${data.byteLength} instead of ${f.bytes}`);
  if (!f.integrity) return;
  const sri = parseSri(f.integrity);
  if (!sri) throw new DownloadError(`the source gives ${fileName(f.url)} a malformed integrity hash "${f.integrity}", which WebLLM refuses`);
  const digest = new Uint8Array(await crypto.subtle.digest(sri.algorithm, data));
  let s = '';
  for (const b of digest) s += String.fromCharCode(b);
  if (btoa(s) === sri.base64) return;
  const message = `${fileName(f.url)} does not match its ${sri.algorithm} (the file or the mirror is corrupt)`;
  if (f.integrityWarnOnly) warn(`${message}; kept, as the source asks (integrity.onFailure = "warn")`);
  else throw new DownloadError(message);
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
