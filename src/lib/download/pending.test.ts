import { describe, expect, it } from 'vitest';
import { endKeepsPending, goneMessage, normalisePending, planResume, withPending, withoutPending, type PendingDownload } from './pending';

const a: PendingDownload = { modelId: 'a', backend: 'cache', force: false };
const b: PendingDownload = { modelId: 'b', backend: 'opfs', force: true };

describe('pending downloads', () => {
  it('keeps one entry per model, the newest start winning', () => {
    const list = withPending(withPending([a], b), { ...a, force: true });
    expect(list).toEqual([b, { ...a, force: true }]);
    expect(withoutPending(list, 'a')).toEqual([b]);
    expect(withoutPending(list, 'zzz')).toEqual(list);
  });

  it('only a run cut off by the network stays pending', () => {
    expect(endKeepsPending('offline')).toBe(true);
    for (const end of ['done', 'paused', 'cancelled', 'refused', 'failed'] as const) expect(endKeepsPending(end), end).toBe(false);
  });

  it('reads whatever was stored without failing, dropping what does not parse', () => {
    expect(normalisePending(undefined)).toEqual([]);
    expect(normalisePending({ modelId: 'a' })).toEqual([]);
    expect(
      normalisePending([
        null,
        'a',
        { modelId: '', backend: 'cache' },
        { modelId: 'x', backend: 'floppy' },
        { modelId: 'a', backend: 'cache', force: 'yes' },
        { modelId: 'b', backend: 'opfs', force: true },
        { modelId: 'b', backend: 'opfs', force: true, extra: 1 },
      ]),
    ).toEqual([a, b]);
  });

  it('resumes models of this backend still in the catalog; others wait or are reported gone', () => {
    const c: PendingDownload = { modelId: 'c', backend: 'cache', force: true };
    const plan = planResume([a, b, c], 'cache', new Set(['a', 'b']));
    expect(plan).toEqual({ resume: [a], gone: [c], elsewhere: [b] });
    expect(planResume([], 'cache', new Set()).resume).toEqual([]);
  });

  it('says once which downloads could not resume', () => {
    expect(goneMessage([])).toBeUndefined();
    expect(goneMessage([a])).toContain('The download of a was not resumed: that model is no longer in the catalog');
    expect(goneMessage([a, b])).toContain('a, b');
    expect(goneMessage([a, b])).toContain('those models are');
  });
});
