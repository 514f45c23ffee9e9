import { describe, expect, it } from 'vitest';
import { abortableSleep, requestHeaders } from './remote-fetch';

describe('requestHeaders', () => {
  it('asks for a stream or JSON, and carries the key only when there is one', () => {
    expect(requestHeaders('k', false)).toEqual({
      Accept: 'text/event-stream',
      'Content-Type': 'application/json',
      Authorization: 'Bearer k',
    });
    expect(requestHeaders(undefined, true)).toEqual({ Accept: 'application/json' });
    expect(requestHeaders('', true)).toEqual({ Accept: 'application/json' });
  });
});

describe('abortableSleep', () => {
  it('rejects as an AbortError when stopped during the wait (Stop during a Retry-After wait)', async () => {
    const abort = new AbortController();
    const waiting = abortableSleep(60_000, abort.signal);
    abort.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });
  it('rejects at once when already stopped', async () => {
    await expect(abortableSleep(60_000, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
  });
});
