// The load and download flow with stand-ins for the state it drives: when it asks first, and which
// draft model the load asks for.
import { describe, expect, it } from 'vitest';
import type { CatalogEntry, LoadOptions } from '../../engine/protocol';
import type { LoadQuestion } from '../../lib/gpu/sizing';
import type { SpecMode } from '../../lib/speculative/types';
import { LoadFlow } from './load-flow.svelte';
import type { ModelsState } from './models.svelte';
import type { SettingsState } from './settings.svelte';
import type { SizingState } from './sizing.svelte';
import type { StorageState } from './storage.svelte';

const target = { id: 'big', contextWindow: 4096, source: 'prebuilt' } as CatalogEntry;

function setup(o: {
  mode: SpecMode;
  stored?: string[];
  question?: LoadQuestion;
  last?: string;
  offlineReady?: string[];
  fails?: boolean;
  embedding?: string;
}) {
  const loads: [string, LoadOptions][] = [];
  const remembered: string[] = [];
  const downloads: string[] = [];
  const cacheQueries: string[][] = [];
  const models = {
    selected: target,
    find: (id: string) => (id === target.id ? target : undefined),
    select: () => {},
    cached: async (ids: string[]) => (cacheQueries.push(ids), Object.fromEntries(ids.map((id) => [id, (o.stored ?? []).includes(id)]))),
    load: async (id: string, options: LoadOptions) => (loads.push([id, options]), !o.fails),
  } as unknown as ModelsState;
  const storage = {
    cachedIds: new Set<string>(o.offlineReady ?? []),
    download: async (id: string) => void downloads.push(id),
    refresh: async () => {},
  } as unknown as StorageState;
  const sizing = {
    learnShape: async () => {},
    questionBeforeLoad: () => o.question,
    draftModelFor: () => 'small',
    contextFor: () => 2048,
    windowFor: () => ({}),
    verifyMemoryFor: () => undefined,
    embeddingModelFor: () => o.embedding,
  } as unknown as SizingState;
  const settings = {
    value: { specMode: o.mode, lastModelId: o.last },
    setLastModel: (id: string) => void remembered.push(id),
  } as unknown as SettingsState;
  return { flow: new LoadFlow(models, storage, sizing, settings), loads, downloads, cacheQueries, remembered };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('LoadFlow', () => {
  it('loads a stored embedding model beside the chat model when the sizing says both fit', async () => {
    const { flow, loads } = setup({ mode: 'off', embedding: 'snowflake-arctic-embed-s-q0f32-MLC-b4' });
    flow.requestLoad();
    await settle();
    expect(loads).toEqual([['big', { contextWindow: 2048, embeddingModelId: 'snowflake-arctic-embed-s-q0f32-MLC-b4' }]]);
  });

  it('"auto" never downloads a draft model: it loads the target alone when the draft is not stored', async () => {
    const { flow, loads, cacheQueries } = setup({ mode: 'auto' });
    flow.requestLoad();
    await settle();
    expect(cacheQueries).toEqual([['small']]);
    expect(loads).toEqual([['big', { contextWindow: 2048 }]]);
  });

  it('"auto" drafts with a stored draft model; "draft-model" asks for it either way', async () => {
    const auto = setup({ mode: 'auto', stored: ['small'] });
    auto.flow.requestLoad();
    await settle();
    expect(auto.loads[0]?.[1].draftModelId).toBe('small');
    const chosen = setup({ mode: 'draft-model' });
    chosen.flow.requestLoad();
    await settle();
    expect(chosen.cacheQueries).toEqual([]);
    expect(chosen.loads[0]?.[1].draftModelId).toBe('small');
  });

  it('asks first when the model will not fit, and loads or downloads only after the answer', async () => {
    const { flow, loads, downloads } = setup({ mode: 'off', question: { kind: 'no', reason: 'it needs 9 GB' } });
    flow.requestLoad();
    await settle();
    expect(flow.pending).toMatchObject({ entry: target, kind: 'no', reason: 'it needs 9 GB' });
    expect(loads).toEqual([]);
    flow.cancel();
    expect(flow.pending).toBeUndefined();
    flow.requestDownload(false);
    flow.confirm();
    await settle();
    expect(flow.pending).toBeUndefined();
    expect(downloads).toEqual(['big']);
    expect(loads).toEqual([]);
  });

  it('remembers a model that loaded, and not one that failed', async () => {
    const ok = setup({ mode: 'off' });
    ok.flow.requestLoad();
    await settle();
    expect(ok.remembered).toEqual(['big']);
    const failed = setup({ mode: 'off', fails: true });
    failed.flow.requestLoad();
    await settle();
    expect(failed.remembered).toEqual([]);
  });

  it('loads the last model again on start only when it is stored and needs no question', async () => {
    const stored = setup({ mode: 'off', last: 'big', offlineReady: ['big'] });
    expect(await stored.flow.resumeLast()).toBe(true);
    expect(stored.loads.map(([id]) => id)).toEqual(['big']);
    for (const o of [
      { last: 'big' },
      { last: 'gone', offlineReady: ['gone'] },
      {},
      { last: 'big', offlineReady: ['big'], question: { kind: 'no' as const, reason: 'it needs 9 GB' } },
    ]) {
      const s = setup({ mode: 'off', ...o });
      expect(await s.flow.resumeLast(), JSON.stringify(o)).toBe(false);
      expect(s.loads).toEqual([]);
    }
  });
});
