// Downloads one model's files into WebLLM's cache layout (the files its reload reads, found as it
// finds them: lib/download/plan), up to 4 at once, retries with backoff, complete files skipped. A file
// of known size without an SRI hash streams into the store, committed only once its size and MD5
// check (stream-file.ts); others are read whole and verified first (fetch-file.ts). Pause loses at most
// the files in flight; a file that fails for good stops the queue. Every phase waits for its in-flight
// writes, so nothing lands after the run returns. Runs in the worker.

import prettyBytes from 'pretty-bytes';
import type { FileTurns } from '../../../lib/download/file-turns';
import type { ModelFile, RecordFiles } from '../../../lib/download/files';
import { fileKey } from '../../../lib/download/holdings';
import { planModel, settleAll } from '../../../lib/download/plan';
import { MAX_PARALLEL_FILES, MAX_RETRIES, backoffMs, quotaShortfall } from '../../../lib/download/progress';
import { messageOf } from '../../../lib/message';
import { AirgapError, DownloadError, OfflineError, QuotaPreflightError, StorageFullError, isQuotaExceeded } from '../../errors';
import type { DownloadProgress, DownloadResult } from '../../protocol';
import { INVALID_JSON, readStoredJson, type ArtifactStore } from './artifact-store';
import { DownloadTracker } from './download-progress';
import { fetchFile, fileName, retryable, verifyFile } from './fetch-file';
import { fitsInQuota } from './space-probe';
import { streamFile } from './stream-file';

export interface DownloadOptions {
  modelId: string;
  record: RecordFiles;
  store: ArtifactStore;
  pageUrl: string;
  signal: AbortSignal;
  onProgress: (p: DownloadProgress) => void;
  /** Skip the quota preflight (the user chose "download anyway"). */
  force?: boolean;
  /** Stop ('paused') once the head files are stored and the rest passed the preflight (Background Fetch takes over). */
  prepareOnly?: boolean;
  retryBaseMs?: number;
  /** Shared with the model store's other fetches of model files, so no file is fetched twice at once. */
  turns?: FileTurns;
}

/** One run's shared state; the functions below take it instead of closing over it. */
interface Run {
  readonly o: DownloadOptions;
  readonly progress: DownloadTracker;
  /** Aborts every fetch in flight: on pause or cancel (o.signal), or when a file fails for good. */
  readonly stop: AbortController;
  /** Each file's one storing attempt in this run: awaited before the run reports its end. */
  readonly ensured: Map<string, Promise<void>>;
  /** The error of the file that failed for good, once one has. */
  fatal?: unknown;
}

class Paused extends Error {}

const fmt = (b: number) => prettyBytes(b);

export async function downloadModel(o: DownloadOptions): Promise<DownloadResult> {
  const run: Run = { o, progress: new DownloadTracker(o.modelId, o.onProgress), stop: new AbortController(), ensured: new Map() };
  const onAbort = () => run.stop.abort();
  o.signal.addEventListener('abort', onAbort);
  try {
    // 1. The package manifest, config and tensor-cache.json: they say what else there is.
    const plan = await planModel(o.record, o.pageUrl, (f) => readJson(run, f));
    if (plan.error) throw new DownloadError(`the model's files are not a WebLLM model (${plan.error})`);
    if (!plan.complete) throw new DownloadError("the model's config or tensor-cache.json could not be read back from storage");
    const rest = plan.files.filter((f) => !run.ensured.has(f.url));
    for (const f of plan.files) run.progress.track(f);
    // 2. Will the rest fit? Asked before fetching gigabytes, not learnt from a failed write at the end.
    if (!o.force) await preflight(o.store, rest);
    if (o.prepareOnly) return run.progress.finish('paused');
    // 3. Up to MAX_PARALLEL_FILES at a time; a file that fails for good empties the queue.
    run.progress.state = 'downloading';
    run.progress.emit(true);
    const queue = [...rest];
    await settleAll(
      Array.from({ length: MAX_PARALLEL_FILES }, async () => {
        for (let f = queue.shift(); f; f = queue.shift()) {
          if (run.stop.signal.aborted) throw interruption(run);
          await ensure(run, f);
        }
      }),
    );
    return run.progress.finish('done');
  } catch (err) {
    // Let every file in flight finish or fail before reporting, so no write lands later.
    await Promise.allSettled(run.ensured.values());
    if (run.fatal === undefined && (err instanceof Paused || o.signal.aborted)) return run.progress.paused();
    run.progress.state = 'failed';
    run.progress.emit(true);
    throw run.fatal ?? err;
  } finally {
    o.signal.removeEventListener('abort', onAbort);
  }
}

/** Why the run must end now: paused or cancelled, or another file failed for good. */
function interruption(run: Run): unknown {
  return run.o.signal.aborted ? new Paused() : run.fatal;
}

/** Stores the file if it is not already complete (each file once per run). */
function ensure(run: Run, f: ModelFile): Promise<void> {
  let p = run.ensured.get(f.url);
  if (!p) {
    // In its turn, storeFile finds a file that another fetch has just stored, and skips it.
    p = run.o.turns ? run.o.turns.take(fileKey(f), () => storeFile(run, f)) : storeFile(run, f);
    run.ensured.set(f.url, p);
  }
  return p;
}

async function storeFile(run: Run, f: ModelFile): Promise<void> {
  const { o, progress, stop } = run;
  const t = progress.track(f);
  const have = await o.store.size(f.scope, f.url);
  if (have !== undefined && (f.bytes === undefined || have === f.bytes)) return progress.skipped(t, have);
  for (let attempt = 0; ; attempt++) {
    if (stop.signal.aborted) throw interruption(run);
    t.attempts = attempt + 1;
    t.state = attempt === 0 ? 'downloading' : 'retrying';
    t.bytesDone = 0;
    try {
      const onBytes = (n: number) => progress.fetched(n);
      const { putStream } = o.store;
      // SRI needs the whole file at once (WebCrypto has no streaming digest); IndexedDB stores JSON parsed.
      if (putStream && f.bytes !== undefined && !f.integrity && f.storeAs === 'arraybuffer') {
        const stored = await streamFile(f, t, stop.signal, onBytes, (body, bytes) =>
          quotaAsFull(f, bytes, putStream.call(o.store, f.scope, f.url, body, bytes)),
        );
        if (progress.note?.startsWith(fileName(f.url))) progress.note = undefined;
        return progress.stored(t, stored);
      }
      const { data, md5 } = await fetchFile(f, t, stop.signal, onBytes);
      const warning = await verifyFile(f, data, md5);
      await quotaAsFull(f, data.byteLength, o.store.put(f.scope, f.url, data, f.storeAs));
      if (warning) progress.note = warning;
      else if (progress.note?.startsWith(fileName(f.url))) progress.note = undefined;
      return progress.stored(t, data.byteLength);
    } catch (err) {
      if (stop.signal.aborted) throw interruption(run);
      // Offline, a retry cannot succeed: say so at once.
      if (
        err instanceof StorageFullError ||
        err instanceof DownloadError ||
        err instanceof OfflineError ||
        !retryable(err) ||
        attempt >= MAX_RETRIES
      )
        throw giveUp(run, f, err);
      const wait = backoffMs(attempt, o.retryBaseMs);
      progress.note = `${fileName(f.url)} failed (${messageOf(err)}); retrying in ${(wait / 1000).toFixed(1)} s`;
      t.state = 'retrying';
      progress.emit(true);
      await sleep(wait, stop.signal);
    }
  }
}

async function quotaAsFull(f: ModelFile, bytes: number, write: Promise<void>): Promise<void> {
  try {
    await write;
  } catch (err) {
    if (isQuotaExceeded(err)) throw new StorageFullError(`${fmt(bytes)} could not be stored for ${fileName(f.url)}`);
    throw err;
  }
}

/** The file failed for good: stop the queue and the files in flight, whatever the rest does. */
function giveUp(run: Run, f: ModelFile, err: unknown): unknown {
  run.progress.track(f).state = 'failed';
  const message = messageOf(err);
  run.fatal =
    err instanceof AirgapError
      ? err
      : new DownloadError(message.startsWith(`${fileName(f.url)}:`) ? message : `${fileName(f.url)}: ${message}`);
  run.stop.abort();
  run.progress.emit(true);
  return run.fatal;
}

/** Parsed JSON of a file the plan needs, downloaded first when it is not stored. */
async function readJson(run: Run, f: ModelFile): Promise<unknown> {
  await ensure(run, f);
  const json = await readStoredJson(run.o.store, f.scope, f.url);
  if (json === INVALID_JSON) throw new DownloadError(`${fileName(f.url)} is not valid JSON, so this is not a WebLLM model`);
  return json;
}

/** Refuses a download that will not fit: by the browser's estimate, then by the quota itself. */
export async function preflight(store: ArtifactStore, files: readonly ModelFile[]): Promise<void> {
  let need = 0;
  for (const f of files) if ((await store.size(f.scope, f.url)) === undefined) need += f.bytes ?? 0;
  const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;
  const estimate = storage?.estimate ? await storage.estimate() : {};
  const short = quotaShortfall(need, estimate);
  if (short) throw new QuotaPreflightError(`it needs ${fmt(need)} more and only ${fmt(need - short)} of storage is free`);
  if ((await fitsInQuota(need)) === false) throw new QuotaPreflightError(`it needs ${fmt(need)} more than this site may store right now`);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
