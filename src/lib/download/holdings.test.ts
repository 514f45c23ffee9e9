import { describe, expect, it } from 'vitest';
import { shardFile as file } from '../../../test/fakes/model-file';
import type { ModelFile } from './files';
import { distinctBytes, fileKey, filesOnlyFor, listHoldings, type Candidate } from './holdings';

const shared = [file('w0', 10), file('w1', 10)];
const libA = file('a.wasm');
const libB = file('b.wasm');
const cand = (modelId: string, files: ModelFile[], registered: boolean, complete = true): Candidate => ({
  modelId,
  plan: { files, complete },
  registered,
});
const storedOf = (...files: [ModelFile, number][]) => new Map(files.map(([f, b]) => [fileKey(f), b]));

describe('holdings', () => {
  const stored = storedOf([shared[0]!, 10], [shared[1]!, 10], [libA, 3], [libB, 4]);

  it('list registered models, say what they share, and count shared bytes once', () => {
    const h = listHoldings([cand('a', [...shared, libA], true), cand('b', [...shared, libB], true)], stored);
    expect(h.map((x) => [x.modelId, x.bytes, x.sharedWith, x.sharedBytes, x.offlineReady])).toEqual([
      ['a', 23, ['b'], 20, true],
      ['b', 24, ['a'], 20, true],
    ]);
    expect(distinctBytes(h, stored)).toBe(27);
  });

  it('list an unregistered model only for stored files no listed model needs, in catalog order', () => {
    // "b" only uses files "a" claims (and its own library is not stored): not listed.
    const onlyA = storedOf([shared[0]!, 10], [shared[1]!, 10], [libA, 3]);
    expect(listHoldings([cand('b', [...shared, libB], false), cand('a', [...shared, libA], true)], onlyA).map((x) => x.modelId)).toEqual([
      'a',
    ]);
    // Files stored before there was an index: the first model needing them is listed, not both.
    expect(
      listHoldings([cand('a', [...shared, libA], false), cand('a-1k', [...shared, libA], false)], onlyA).map((x) => x.modelId),
    ).toEqual(['a']);
    // A registered model with nothing stored is not listed.
    expect(listHoldings([cand('c', [file('c0', 5)], true)], onlyA)).toEqual([]);
  });

  it('count a file only when it is complete', () => {
    const h = listHoldings([cand('a', [...shared, libA], true)], storedOf([shared[0]!, 10], [shared[1]!, 7], [libA, 3]));
    expect(h[0]).toMatchObject({ bytes: 13, filesPresent: 2, offlineReady: false });
  });

  it('delete only the files no other held model needs', () => {
    const h = listHoldings([cand('a', [...shared, libA], true), cand('b', [...shared, libB], true)], stored);
    expect(filesOnlyFor('a', h[0]!.plan, h)).toEqual([libA]);
    expect(
      filesOnlyFor(
        'a',
        h[0]!.plan,
        h.filter((x) => x.modelId === 'a'),
      ),
    ).toEqual([...shared, libA]);
  });
});
