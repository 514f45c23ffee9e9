import { describe, expect, it } from 'vitest';
import { FileTurns } from './file-turns';

const later = () => {
  let resolve!: () => void;
  const p = new Promise<void>((r) => (resolve = r));
  return { p, resolve };
};

describe('FileTurns', () => {
  it('runs work on one key one at a time, in order, and other keys alongside', async () => {
    const turns = new FileTurns();
    const log: string[] = [];
    const gate = later();
    const a = turns.take('x', async () => {
      log.push('a start');
      await gate.p;
      log.push('a end');
      return 1;
    });
    const b = turns.take('x', async () => void log.push('b'));
    const c = turns.take('y', async () => void log.push('c'));
    await c;
    expect(log).toEqual(['a start', 'c']);
    gate.resolve();
    await Promise.all([a, b]);
    expect(log).toEqual(['a start', 'c', 'a end', 'b']);
    expect(await a).toBe(1);
    expect(turns.busy).toBe(0);
  });

  it('a failed turn passes its error to its caller only, and the next turn still runs', async () => {
    const turns = new FileTurns();
    const a = turns.take('x', () => Promise.reject(new Error('nope')));
    const b = turns.take('x', async () => 'ok');
    await expect(a).rejects.toThrow('nope');
    await expect(b).resolves.toBe('ok');
  });
});
