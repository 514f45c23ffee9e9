import { describe, expect, it } from 'vitest';
import { shardFile as file } from '../../../../test/fakes/model-file';
import type { DownloadProgress } from '../../protocol';
import { DownloadTracker } from './download-progress';

function tracker() {
  let clock = 0;
  const events: DownloadProgress[] = [];
  const t = new DownloadTracker(
    'm',
    (p) => events.push(p),
    () => clock,
  );
  return { t, events, advance: (ms: number) => void (clock += ms) };
}

describe('DownloadTracker', () => {
  it('throttles byte events to one per 100 ms, but never a state change', () => {
    const { t, events, advance } = tracker();
    const a = t.track(file('a', 10));
    t.fetched(1);
    t.fetched(1);
    expect(events).toHaveLength(1);
    advance(100);
    t.fetched(1);
    expect(events).toHaveLength(2);
    t.stored(a, 10);
    expect(events).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({ bytesDone: 10, bytesTotal: 10, bytesFetched: 3 });
  });

  it('counts skipped and fetched files, and a file of unknown size by its bytes so far', () => {
    const { t } = tracker();
    t.skipped(t.track(file('a', 4)), 4);
    const b = t.track(file('b'));
    b.bytesDone = 6;
    t.state = 'downloading';
    t.stored(t.track(file('c', 2)), 2);
    expect(t.finish('done')).toEqual({ modelId: 'm', state: 'done', bytesFetched: 0, filesFetched: 1, filesSkipped: 1 });
  });

  it('a pause puts the files in flight back in the queue with no bytes, and keeps complete ones', () => {
    const { t, events } = tracker();
    const a = t.track(file('a', 8));
    const b = t.track(file('b', 8));
    t.stored(a, 8);
    b.state = 'retrying';
    b.bytesDone = 5;
    expect(t.paused().state).toBe('paused');
    const last = events.at(-1)!;
    expect(last.state).toBe('paused');
    expect(last.files.map((f) => [f.state, f.bytesDone])).toEqual([
      ['done', 8],
      ['queued', 0],
    ]);
  });

  it('events carry copies, and the ETA only while downloading', () => {
    const { t, events, advance } = tracker();
    const a = t.track(file('a', 100));
    t.state = 'downloading';
    t.emit(true);
    advance(1000);
    a.bytesDone = 50;
    t.fetched(50);
    expect(events.at(-1)!.etaSeconds).toBeCloseTo(1);
    expect(events[0]!.files[0]!.bytesDone).toBe(0);
    t.state = 'failed';
    t.emit(true);
    expect(events.at(-1)!.etaSeconds).toBeUndefined();
  });
});
