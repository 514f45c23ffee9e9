// Page state of the user's remote inference servers. The list lives in settings (keys included, on
// this device only); the worker lists each server's models (remoteSet) at boot, after every change
// and when the browser goes on- or offline, and the catalog follows. Adding checks the server first
// (remoteCheck): one that cannot be listed is not added, and the reason stays beside the form.
// No server is contacted unless the user added it here.

import { toAirgapError } from '../../engine/errors';
import type { RemoteEndpoint, RemoteStatus } from '../../engine/protocol';
import { connectBlockReason } from '../../lib/remote/connect-check';
import { endpointIdFor } from '../../lib/remote/endpoint-settings';
import { normaliseBaseUrl } from '../../lib/remote/ids';
import { messageOf } from '../../lib/message';
import type { EngineState } from './engine.svelte';
import type { ModelsState } from './models.svelte';
import type { SettingsState } from './settings.svelte';

/** The page's own Content-Security-Policy (the <meta> tag the build writes). */
function pagePolicy(): string | undefined {
  return document.querySelector<HTMLMetaElement>('meta[http-equiv="Content-Security-Policy"]')?.content;
}

export class RemoteState {
  readonly #engine: EngineState;
  readonly #settings: SettingsState;
  readonly #models: ModelsState;
  #statuses = $state.raw<ReadonlyMap<string, RemoteStatus>>(new Map());
  #addError = $state<string | undefined>(undefined);
  #checking = $state(false);
  /** The worker was told of servers since it started (so an emptied list must reach it too). */
  #told = false;

  constructor(engine: EngineState, settings: SettingsState, models: ModelsState) {
    this.#engine = engine;
    this.#settings = settings;
    this.#models = models;
    engine.onRestart(() => (this.#told = false));
    engine.onBoot(() => this.sync());
    if (typeof window !== 'undefined')
      for (const ev of ['online', 'offline']) addEventListener(ev, () => void (engine.ready ? this.sync() : undefined));
  }

  get endpoints(): readonly RemoteEndpoint[] {
    return this.#settings.value.remoteEndpoints;
  }
  /** How a server answered its latest listing (undefined before the first). */
  status(id: string): RemoteStatus | undefined {
    return this.#statuses.get(id);
  }
  /** Why the last server could not be added. */
  get addError(): string | undefined {
    return this.#addError;
  }
  /** A server is being checked before it is added. */
  get checking(): boolean {
    return this.#checking;
  }

  /** Tells the worker the list, lists every server again, remembers what each listed, refreshes the catalog. */
  async sync(): Promise<void> {
    const endpoints = this.endpoints;
    // Without servers the worker never loads its remote code.
    if (!endpoints.length && !this.#told) return;
    this.#told = true;
    let statuses: RemoteStatus[];
    try {
      statuses = await this.#engine.call('remoteSet', { endpoints: endpoints.map((e) => ({ ...e })) });
    } catch (err) {
      this.#engine.fail(err);
      return;
    }
    this.#statuses = new Map(statuses.map((s) => [s.id, s]));
    const listed = (e: RemoteEndpoint) => {
      const s = this.#statuses.get(e.id);
      return s && !s.error ? { ...e, models: s.models } : e;
    };
    const next = endpoints.map(listed);
    if (JSON.stringify(next) !== JSON.stringify(endpoints)) this.#settings.setRemoteEndpoints(next);
    await this.#models.refreshCatalog();
    // The worker dropped a model whose server is gone.
    const loaded = this.#engine.loaded?.modelId;
    if (loaded && !this.#models.find(loaded)) this.#engine.forget(loaded);
  }

  /** Checks and adds a server; false (with `addError` set, nothing saved) when it cannot be used. */
  async add(url: string, apiKey: string): Promise<boolean> {
    this.#addError = undefined;
    let baseUrl: string;
    try {
      baseUrl = normaliseBaseUrl(url);
    } catch (err) {
      this.#addError = messageOf(err);
      return false;
    }
    if (this.endpoints.some((e) => e.baseUrl === baseUrl)) {
      this.#addError = `${baseUrl} is already in the list.`;
      return false;
    }
    // A URL the app will request: a policy source with a path names that path exactly.
    const blocked = connectBlockReason(pagePolicy(), `${baseUrl}/models`, location.origin);
    if (blocked) {
      this.#addError = blocked;
      return false;
    }
    const key = apiKey.trim();
    const endpoint: RemoteEndpoint = {
      id: endpointIdFor(baseUrl, new Set(this.endpoints.map((e) => e.id))),
      baseUrl,
      label: new URL(baseUrl).host,
      ...(key ? { apiKey: key } : {}),
    };
    this.#checking = true;
    try {
      endpoint.models = await this.#engine.call('remoteCheck', { endpoint });
    } catch (err) {
      this.#addError = toAirgapError(err).userMessage;
      return false;
    } finally {
      this.#checking = false;
    }
    this.#settings.setRemoteEndpoints([...this.endpoints, endpoint]);
    await this.sync();
    return true;
  }

  /** Forgets a server (and its key); its models leave the catalog, and one of them loaded is unloaded. */
  async remove(id: string): Promise<void> {
    this.#settings.setRemoteEndpoints(this.endpoints.filter((e) => e.id !== id));
    await this.sync();
  }
}
