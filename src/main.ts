// Boot: check WebGPU, create the page state, mount the app, then (after first paint) start the
// service-worker bridge. Test hooks are read from the URL (?engine=reference&tps=N).

import { mount } from 'svelte';
import App from './app/App.svelte';
import { ChatState } from './app/state/chat.svelte';
import { EngineState } from './app/state/engine.svelte';
import { PwaState } from './app/state/pwa.svelte';
import { SettingsState } from './app/state/settings.svelte';
import { SizingState } from './app/state/sizing.svelte';
import { readHooks } from './lib/url-hooks';
import './app/global.css';

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
const { modelSources: urlSources, ...engineHooks } = hooks;
const engine = new EngineState(
  engineHooks,
  () => new Worker(new URL('./engine/worker/entry.ts', import.meta.url), { type: 'module', name: 'airgap-engine' }),
);
const settings = new SettingsState((err) => engine.report(err));
const sizing = new SizingState(engine, settings);
const chat = new ChatState(engine, settings, (modelId) => ({ mode: settings.value.specMode, draftTokens: sizing.draftTokensFor(modelId) }));
const pwa = new PwaState();

mount(App, { target: document.getElementById('app')!, props: { engine, chat, pwa, settings, sizing, webgpu, urlSources } });

void webgpu.then(async (state) => {
  if (state !== 'ok') return;
  void chat.restore();
  await settings.restore();
  engine.configure({
    cacheBackend: settings.value.cacheBackend,
    modelSources: [...new Set([...settings.value.modelSources, ...urlSources])],
  });
  await engine.boot();
  // Start from the first model that fits this GPU.
  const first = sizing.sortedCatalog[0];
  if (first) engine.selectedId = first.id;
});
requestAnimationFrame(() => setTimeout(() => void pwa.startServiceWorker(`${import.meta.env.BASE_URL}sw.js`)));

if (hooks.engine === 'reference') {
  // Test hooks, only with the reference engine.
  (window as unknown as { __airgap: unknown }).__airgap = { crashEngine: () => engine.crashForTest() };
}
