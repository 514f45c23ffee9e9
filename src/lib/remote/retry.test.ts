import { describe, expect, it } from 'vitest';
import { REMOTE_RETRY, parseRetryAfter, retryWaitMs, waitInWords } from './retry';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
  });
  it('reads an HTTP date as seconds from now, never negative', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:12 GMT', NOW)).toBe(12);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', NOW)).toBe(0);
  });
  it('is undefined when absent or unreadable', () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter('', NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('-3', NOW)).toBeUndefined();
  });
});

describe('retryWaitMs', () => {
  it('waits as long as Retry-After says', () => {
    expect(retryWaitMs(429, 1, 3)).toBe(3_000);
    expect(retryWaitMs(503, 2, 0)).toBe(0);
  });
  it('backs off (doubling) when the server names no wait', () => {
    expect(retryWaitMs(429, 1, undefined)).toBe(REMOTE_RETRY.baseMs);
    expect(retryWaitMs(429, 2, undefined)).toBe(2 * REMOTE_RETRY.baseMs);
  });
  it('stops after maxTries requests in all', () => {
    expect(retryWaitMs(429, REMOTE_RETRY.maxTries, 1)).toBeUndefined();
  });
  it('does not sit through a wait longer than the cap (nor ask sooner)', () => {
    expect(retryWaitMs(429, 1, REMOTE_RETRY.maxWaitMs / 1000 + 1)).toBeUndefined();
    expect(retryWaitMs(429, 1, REMOTE_RETRY.maxWaitMs / 1000)).toBe(REMOTE_RETRY.maxWaitMs);
  });
  it('never retries other statuses', () => {
    for (const s of [400, 401, 403, 404, 500, 502]) expect(retryWaitMs(s, 1, 1)).toBeUndefined();
  });
});

describe('waitInWords', () => {
  it('keeps short waits in seconds and rounds longer ones up to minutes, then hours', () => {
    expect(waitInWords(0)).toBe('0 s');
    expect(waitInWords(119)).toBe('119 s');
    expect(waitInWords(120)).toBe('2 min');
    expect(waitInWords(150)).toBe('3 min');
    expect(waitInWords(3600)).toBe('60 min');
    expect(waitInWords(7200)).toBe('2 h');
    expect(waitInWords(7201)).toBe('2 h 1 min');
  });
});

describe('parseRetryAfter, edges', () => {
  it('reads whole seconds only: nothing, a fraction or trailing text is not a number of seconds', () => {
    expect(parseRetryAfter('', 0)).toBeUndefined();
    expect(parseRetryAfter('   ', 0)).toBeUndefined();
    expect(parseRetryAfter('12', 0)).toBe(12);
    expect(parseRetryAfter('120', 0)).toBe(120);
    expect(parseRetryAfter('12abc', 0)).toBeUndefined();
    expect(parseRetryAfter('1.5', 0)).toBeUndefined();
  });
});
