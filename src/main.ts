// Boot (started by boot.ts once the static shell has painted): check WebGPU, create the page state,
// mount the app in place of the shell, then (after its first paint) start the service-worker bridge.
// Test hooks are read from the URL (?engine=reference&tps=N).

import { mount } from 'svelte';
import App from './app/App.svelte';
import { ChatState } from './app/state/chat.svelte';
import type { AppState } from './app/state/context';
import type { DownloadProgress } from './engine/protocol';
import { EngineState } from './app/state/engine.svelte';
import { ErrorState } from './app/state/errors.svelte';
import { LoadFlow } from './app/state/load-flow.svelte';
import { ModelsState } from './app/state/models.svelte';
import { PwaState } from './app/state/pwa.svelte';
import { SettingsState } from './app/state/settings.svelte';
import { SizingState } from './app/state/sizing.svelte';
import { StorageState } from './app/state/storage.svelte';
import { DownloadJournal } from './app/state/download-journal';
import { loadPendingDownloads, savePendingDownloads } from './user-data/pending-downloads';
import { ImportState } from './app/state/import.svelte';
import { RemoteState } from './app/state/remote.svelte';
import { readHooks } from './lib/url-hooks';
import { DocumentsState } from './app/state/documents.svelte';
import { retriever } from './app/state/retrieval';
import { DocsClient } from './docs/client';

const hooks = readHooks(location.search);

async function checkWebGPU(): Promise<'ok' | 'missing' | 'no-adapter'> {
  if (!('gpu' in navigator) || !navigator.gpu) return 'missing';
  try {
    return (await navigator.gpu.requestAdapter()) ? 'ok' : 'no-adapter';
  } catch {
    return 'no-adapter';
  }
}

const webgpu = checkWebGPU();
const errors = new ErrorState();
const { modelSources: urlSources, maxDocBytes, ...engineHooks } = hooks;
const engine = new EngineState(
  engineHooks,
  () => new Worker(new URL('./engine/worker/entry.ts', import.meta.url), { type: 'module', name: 'airgap-engine' }),
  errors,
);
const settings = new SettingsState((err) => errors.report(err));
const models = new ModelsState(engine);
const journal = new DownloadJournal({ load: loadPendingDownloads, save: savePendingDownloads });
const storage = new StorageState(engine, models, settings, errors, urlSources, journal);
const imports = new ImportState(engine, models, storage);
const sizing = new SizingState(engine, models, settings);
const loads = new LoadFlow(models, storage, sizing, settings);
const remote = new RemoteState(engine, settings, models);
// The documents worker starts the first time documents are needed, never at start.
const docs = new DocumentsState(
  () => new DocsClient(() => new Worker(new URL('./docs/worker/entry.ts', import.meta.url), { type: 'module', name: 'airgap-docs' })),
  (texts, query) => (engine.ready ? engine.call('embed', { texts, ...(query && { query }) }) : Promise.resolve(null)),
  maxDocBytes,
);
const chat = new ChatState(
  engine,
  errors,
  settings,
  (modelId) => ({ mode: settings.value.specMode, draftTokens: sizing.draftTokensFor(modelId) }),
  (modelId) => models.find(modelId)?.server,
  retriever(docs),
);
// What a reload would interrupt now. Updates wait for it, whichever tab activated them.
const pwa = new PwaState(() => {
  if (chat.generating) return 'this reply';
  if (engine.status === 'loading') return 'the model load';
  const running = (d: DownloadProgress) => (d.state === 'preparing' || d.state === 'downloading') && !storage.inBackground(d.modelId);
  if ([...storage.downloads.values()].some(running)) return 'the download';
  if (imports.running) return 'the model import';
  return undefined;
});
const app: AppState = { errors, engine, models, storage, imports, sizing, loads, settings, chat, pwa, remote, docs };

// The static shell from index.html goes in the same task as the mount: no frame paints in between.
const target = document.getElementById('app')!;
target.replaceChildren();
mount(App, { target, props: { app, webgpu } });

void webgpu.then(async (state) => {
  // Saved conversations and settings are read on every page: without WebGPU a person can still
  // read, export and delete conversations and manage stored models.
  // Documents of conversations deleted for good in an earlier visit go, once the list is known to be complete.
  void chat.restore().then(async (read) => {
    if (read) await docs.sweep(new Set(chat.conversations.map((c) => c.id))).catch((err: unknown) => errors.report(err));
  });
  await settings.restore();
  if (state !== 'ok') return;
  engine.configure(storage.workerConfig);
  await engine.boot();
  // Start from the first model that fits this GPU, or the one used last when it is stored.
  const first = sizing.recommended;
  if (first) models.select(first.id);
  // Downloads a closed tab cut off go on by themselves (not awaited: a download is no part of start).
  if (engine.ready) void storage.resumePending();
  await loads.resumeLast();
});
requestAnimationFrame(() => setTimeout(() => void pwa.startServiceWorker(`${import.meta.env.BASE_URL}sw.js`)));

if (hooks.engine === 'reference') {
  // Test hooks, only with the reference engine.
  (window as unknown as { __airgap: unknown }).__airgap = { crashEngine: () => engine.crashForTest() };
}
