import { describe, expect, it } from 'vitest';
import {
  ContextWindowExceededError,
  DeviceLostError,
  EngineError,
  ModelNotLoadedError,
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
