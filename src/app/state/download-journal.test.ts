import { describe, expect, it } from 'vitest';
import type { PendingDownload } from '../../lib/download/pending';
import { DownloadJournal, type PendingStore } from './download-journal';

function memory(initial: PendingDownload[] = []): PendingStore & { saved: PendingDownload[][] } {
  let stored = initial;
  const saved: PendingDownload[][] = [];
  return {
    saved,
    load: () => new Promise((r) => setTimeout(() => r(stored), 5)),
    save: (list) =>
      new Promise((r) =>
        setTimeout(() => {
          stored = [...list];
          saved.push(stored);
          r();
        }, 1),
      ),
  };
}

const entry = (modelId: string, force = false): PendingDownload => ({ modelId, backend: 'cache', force });

describe('DownloadJournal', () => {
  it('keeps what was stored before this start and applies changes in order', async () => {
    const store = memory([entry('old')]);
    const j = new DownloadJournal(store);
    void j.started(entry('a'));
    void j.started(entry('b', true));
    void j.ended('a', 'done');
    await j.ended('b', 'offline');
    expect(store.saved.at(-1)).toEqual([entry('old'), entry('b', true)]);
  });

  it('forgets a download paused, cancelled, refused or failed; keeps one cut off by the network', async () => {
    const store = memory();
    const j = new DownloadJournal(store);
    for (const [id, end] of [
      ['p', 'paused'],
      ['c', 'cancelled'],
      ['r', 'refused'],
      ['f', 'failed'],
      ['d', 'done'],
      ['o', 'offline'],
    ] as const) {
      await j.started(entry(id));
      await j.ended(id, end);
    }
    expect(store.saved.at(-1)).toEqual([entry('o')]);
  });

  it('take: resumes this backend, drops models no longer in the catalog, keeps other backends', async () => {
    const other: PendingDownload = { modelId: 'x', backend: 'opfs', force: false };
    const store = memory([entry('a'), entry('gone'), other]);
    const j = new DownloadJournal(store);
    const plan = await j.take('cache', new Set(['a', 'x']));
    expect(plan.resume).toEqual([entry('a')]);
    expect(plan.gone).toEqual([entry('gone')]);
    expect(store.saved.at(-1)).toEqual([entry('a'), other]);
    // Said once: a second take finds nothing gone.
    expect((await j.take('cache', new Set(['a', 'x']))).gone).toEqual([]);
  });

  it('a storage that fails to read or write does not stop the journal', async () => {
    const j = new DownloadJournal({ load: () => Promise.reject(new Error('no idb')), save: () => Promise.reject(new Error('full')) });
    await j.started(entry('a'));
    expect((await j.take('cache', new Set(['a']))).resume).toEqual([entry('a')]);
  });
});
