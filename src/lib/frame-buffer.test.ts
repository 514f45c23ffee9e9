import { describe, expect, it } from 'vitest';
import { FrameBuffer } from './frame-buffer';

describe('FrameBuffer', () => {
  it('delivers all deltas of a frame in one write', () => {
    const frames: (() => void)[] = [];
    const writes: string[] = [];
    const b = new FrameBuffer(
      (cb) => frames.push(cb),
      (t) => writes.push(t),
    );
    b.push('a');
    b.push('b');
    b.push('');
    b.push('c');
    expect(frames).toHaveLength(1);
    expect(writes).toEqual([]);
    frames.shift()!();
    expect(writes).toEqual(['abc']);
    b.push('d');
    expect(frames).toHaveLength(1);
    b.flush();
    expect(writes).toEqual(['abc', 'd']);
    frames.shift()!();
    expect(writes).toEqual(['abc', 'd']);
  });
});
