// A lost device is reported once, for the latest load only, and never after our own unload.
import { describe, expect, it } from 'vitest';
import { DeviceWatch } from './device-watch';

function device() {
  let lose!: (info: { message?: string; reason?: string }) => void;
  const lost = new Promise<{ message?: string; reason?: string }>((r) => (lose = r));
  return { device: { lost }, lose };
}
const settle = () => new Promise((r) => setTimeout(r, 0));
/** A watch, two devices it may watch, and the messages it reported. */
function setup() {
  return { w: new DeviceWatch(), a: device(), b: device(), seen: [] as string[] };
}

describe('DeviceWatch', () => {
  it('reports a loss of the watched device once, with its message', async () => {
    const { w, a, seen } = setup();
    w.watch([a.device], (m) => seen.push(m));
    a.lose({ reason: 'unknown', message: 'out of memory' });
    await settle();
    expect(seen).toEqual(['the GPU device was lost: out of memory']);
  });

  it('ignores a loss after stop() (our unload) or after a newer watch (a reload)', async () => {
    const { w, a, b, seen } = setup();
    w.watch([a.device], () => seen.push('a'));
    w.watch([b.device], () => seen.push('b'));
    a.lose({});
    await settle();
    expect(seen).toEqual([]);
    w.stop();
    b.lose({ reason: 'destroyed' });
    await settle();
    expect(seen).toEqual([]);
  });

  it('reports the first of several devices lost (target and draft model), once', async () => {
    const { w, a, b, seen } = setup();
    w.watch([a.device, undefined, b.device], (m) => seen.push(m));
    b.lose({ message: 'draft' });
    a.lose({ message: 'target' });
    await settle();
    expect(seen).toEqual(['the GPU device was lost: draft']);
  });

  it('does nothing without a device to watch', async () => {
    const { w, a, seen } = setup();
    w.watch([a.device], () => seen.push('a'));
    w.watch([undefined], () => seen.push('none'));
    a.lose({});
    await settle();
    expect(seen).toEqual([]);
  });
});
