// Page state of the user's settings: loaded from IndexedDB, changed through intent-named methods
// that clamp every value and say what they corrected, saved after each change.

import {
  DEFAULT_SETTINGS,
  clampContextWindow,
  clampDraftTokens,
  clampGpuMemory,
  clampMaxTokens,
  clampTemperature,
  clampTopP,
  type ModelOverrides,
  type Settings,
} from '../../lib/settings';
import { OVERFLOW_POLICIES, type OverflowPolicy } from '../../lib/context-fit';
import { SPEC_MODES, type SpecMode } from '../../lib/speculative/types';
import { isThemeChoice, type ThemeChoice } from '../../lib/theme';
import { loadSettings, saveSettings } from '../../user-data/settings';

export class SettingsState {
  #value = $state.raw<Settings>(DEFAULT_SETTINGS);
  #loaded = $state(false);
  #messages = $state.raw<Readonly<Record<string, string>>>({});
  readonly #onError: (err: unknown) => void;

  constructor(onError: (err: unknown) => void) {
    this.#onError = onError;
  }

  get value(): Settings {
    return this.#value;
  }
  /** The saved settings are read. */
  get loaded(): boolean {
    return this.#loaded;
  }
  /** The last correction per field, shown beside it. */
  get messages(): Readonly<Record<string, string>> {
    return this.#messages;
  }

  async restore(): Promise<void> {
    try {
      this.#value = await loadSettings();
    } catch (err) {
      this.#onError(err);
    } finally {
      this.#loaded = true;
    }
  }

  overrides(modelId: string): ModelOverrides {
    return this.value.perModel[modelId] ?? {};
  }

  setContextWindow(modelId: string, input: string, compiledMax: number): void {
    const c = clampContextWindow(input, compiledMax);
    this.#setModel(modelId, { contextWindow: c.value }, 'contextWindow', c.message);
  }

  setDraftTokens(modelId: string, input: string): void {
    const c = clampDraftTokens(input);
    this.#setModel(modelId, { draftTokens: c.value }, 'draftTokens', c.message);
  }

  setGpuMemory(input: string): void {
    const c = clampGpuMemory(input);
    const next = { ...this.value };
    if (c.value === undefined) delete next.gpuMemoryGB;
    else next.gpuMemoryGB = c.value;
    this.#commit(next, 'gpuMemory', c.message);
  }

  setTemperature(input: string): void {
    const c = clampTemperature(input);
    this.#commit({ ...this.value, temperature: c.value ?? DEFAULT_SETTINGS.temperature }, 'temperature', c.message);
  }

  setTopP(input: string): void {
    const c = clampTopP(input);
    this.#commit({ ...this.value, topP: c.value ?? DEFAULT_SETTINGS.topP }, 'topP', c.message);
  }

  /** Empty: no limit. */
  setMaxTokens(input: string): void {
    const c = clampMaxTokens(input);
    const next = { ...this.value };
    if (c.value === undefined) delete next.maxTokens;
    else next.maxTokens = c.value;
    this.#commit(next, 'maxTokens', c.message);
  }

  setOverflow(policy: OverflowPolicy): void {
    this.#commit(
      { ...this.value, overflow: OVERFLOW_POLICIES.includes(policy) ? policy : DEFAULT_SETTINGS.overflow },
      'overflow',
      undefined,
    );
  }

  setSpecMode(mode: SpecMode): void {
    this.#commit({ ...this.value, specMode: SPEC_MODES.includes(mode) ? mode : 'auto' }, 'specMode', undefined);
  }

  setBackgroundDownloads(on: boolean): void {
    this.#commit({ ...this.value, backgroundDownloads: on }, 'backgroundDownloads', undefined);
  }

  setHighlightDrafts(on: boolean): void {
    this.#commit({ ...this.value, highlightDrafts: on }, 'highlightDrafts', undefined);
  }

  /** '' = automatic, 'none' = no draft model, else a model id. */
  setDraftModel(modelId: string, draftModelId: string): void {
    this.#setModel(modelId, { draftModelId: draftModelId || undefined }, 'draftModel', undefined);
  }

  setCacheBackend(backend: Settings['cacheBackend']): void {
    this.#commit({ ...this.value, cacheBackend: backend }, 'cacheBackend', undefined);
  }

  addModelSource(url: string): void {
    if (this.value.modelSources.includes(url)) return;
    this.#commit({ ...this.value, modelSources: [...this.value.modelSources, url] }, 'modelSources', undefined);
  }

  removeModelSource(url: string): void {
    this.#commit({ ...this.value, modelSources: this.value.modelSources.filter((u) => u !== url) }, 'modelSources', undefined);
  }

  /** The remote servers as the remote state checked them (keys stay on this device). */
  setRemoteEndpoints(endpoints: Settings['remoteEndpoints']): void {
    this.#commit({ ...this.value, remoteEndpoints: endpoints }, 'remoteEndpoints', undefined);
  }

  setTheme(theme: ThemeChoice): void {
    this.#commit({ ...this.value, theme: isThemeChoice(theme) ? theme : 'system' }, 'theme', undefined);
  }

  /** Remembers the model just loaded, for the next start. */
  setLastModel(modelId: string): void {
    if (this.value.lastModelId !== modelId) this.#commit({ ...this.value, lastModelId: modelId }, 'lastModel', undefined);
  }

  setSystemPrompt(text: string): void {
    this.#commit({ ...this.value, systemPrompt: text }, 'systemPrompt', undefined);
  }

  #setModel(modelId: string, patch: ModelOverrides, field: string, message: string | undefined): void {
    const merged: ModelOverrides = { ...this.overrides(modelId), ...patch };
    for (const k of Object.keys(merged) as (keyof ModelOverrides)[]) if (merged[k] === undefined) delete merged[k];
    const perModel = { ...this.value.perModel };
    if (Object.keys(merged).length) perModel[modelId] = merged;
    else delete perModel[modelId];
    this.#commit({ ...this.value, perModel }, field, message);
  }

  #commit(next: Settings, field: string, message: string | undefined): void {
    this.#value = next;
    const messages = { ...this.#messages };
    if (message) messages[field] = message;
    else delete messages[field];
    this.#messages = messages;
    saveSettings(next).catch(this.#onError);
  }
}
