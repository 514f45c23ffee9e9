import { describe, expect, it } from 'vitest';
import {
  ContextWindowExceededError,
  DeviceLostError,
  EngineError,
  HostUnreachableError,
  ModelNotLoadedError,
  OfflineError,
  isNetworkFailure,
  networkError,
  ShaderF16UnsupportedError,
  WebGPUUnavailableError,
  rehydrateError,
  serializeError,
  toAirgapError,
} from './errors';

describe('errors across the worker boundary', () => {
  it('round-trip into the same named class with a user-facing message', () => {
    const e = rehydrateError(serializeError(new ModelNotLoadedError('x is not loaded')));
    expect(e).toBeInstanceOf(ModelNotLoadedError);
    expect(e.name).toBe('ModelNotLoadedError');
    expect(e.message).toBe('x is not loaded');
    expect(e.userMessage).toMatch(/No model is loaded/);
  });

  it("map WebLLM's error names onto ours", () => {
    expect(rehydrateError({ name: 'ShaderF16SupportError', message: 'm' })).toBeInstanceOf(ShaderF16UnsupportedError);
    expect(rehydrateError({ name: 'WebGPUNotAvailableError', message: 'm' })).toBeInstanceOf(WebGPUUnavailableError);
    expect(rehydrateError({ name: 'ContextWindowSizeExceededError', message: 'm' })).toBeInstanceOf(ContextWindowExceededError);
    expect(rehydrateError({ name: 'DeviceLostError', message: 'm' })).toBeInstanceOf(DeviceLostError);
  });

  it('keep unknown errors readable and carry the cause', () => {
    const inner = new TypeError('bad');
    const s = serializeError(new Error('outer', { cause: inner }));
    expect(s).toEqual({ name: 'Error', message: 'outer', cause: 'TypeError: bad' });
    const e = rehydrateError(s);
    expect(e).toBeInstanceOf(EngineError);
    expect(e.userMessage).toBe('outer');
    expect(toAirgapError('plain string')).toBeInstanceOf(EngineError);
  });
});

describe('network failures', () => {
  it('are recognised by the messages browsers and Node reject fetch with, and nothing else', () => {
    for (const m of ['Failed to fetch', 'NetworkError when attempting to fetch resource.', 'Load failed', 'fetch failed'])
      expect(isNetworkFailure(new TypeError(m))).toBe(true);
    expect(isNetworkFailure(new Error('Failed to fetch'))).toBe(false);
    expect(isNetworkFailure(new TypeError('x is not a function'))).toBe(false);
  });

  it('say offline, or name the host that did not answer, never "Failed to fetch"', () => {
    const offline = networkError('https://huggingface.co/mlc-ai/x/resolve/main/', false);
    expect(offline).toBeInstanceOf(OfflineError);
    expect(offline.userMessage).toMatch(/^You are offline\. Stored .* models still work; downloading a model needs the network/);
    const host = networkError('https://huggingface.co/mlc-ai/x/resolve/main/', true);
    expect(host).toBeInstanceOf(HostUnreachableError);
    expect(host.userMessage).toMatch(/^huggingface\.co could not be reached\. Check your internet connection/);
    expect(networkError('not a url', true).userMessage).toMatch(/^The model host could not be reached/);
  });

  it('a raw fetch failure from the worker arrives as a network error in words', () => {
    const e = rehydrateError(serializeError(new TypeError('Failed to fetch')));
    expect(e).toBeInstanceOf(HostUnreachableError);
    expect(e.userMessage).not.toMatch(/Failed to fetch/);
  });
});
