// The app's one error sink: what stays on screen when several things fail.
import { describe, expect, it } from 'vitest';
import {
  ContextFitError,
  ContextWindowExceededError,
  DeviceLostError,
  EngineCrashedError,
  ModelNotLoadedError,
  QuotaPreflightError,
} from '../../engine/errors';
import { ErrorState } from './errors.svelte';

describe('ErrorState', () => {
  it('shows every report as a typed error, and the user can dismiss it', () => {
    const errors = new ErrorState();
    errors.report(new Error('disk on fire'));
    expect(errors.current?.message).toBe('disk on fire');
    errors.report(new QuotaPreflightError('2 GB short'));
    expect(errors.current).toBeInstanceOf(QuotaPreflightError);
    errors.dismiss();
    expect(errors.current).toBeUndefined();
  });

  it('after a lost device, what fails next is a consequence: the cause stays', () => {
    const errors = new ErrorState();
    errors.raise(new DeviceLostError('gone'));
    errors.report(new ModelNotLoadedError('send without a loaded model'));
    expect(errors.current).toBeInstanceOf(DeviceLostError);
    errors.dismiss();
    errors.report(new ModelNotLoadedError('send without a loaded model'));
    expect(errors.current).toBeInstanceOf(ModelNotLoadedError);
  });

  it('a resolved condition leaves the banner; anything else stays', () => {
    const errors = new ErrorState();
    errors.report(new ContextFitError('too long'));
    errors.resolve(ContextFitError, ContextWindowExceededError);
    expect(errors.current).toBeUndefined();
    errors.report(new ContextWindowExceededError('webllm'));
    errors.resolve(ContextFitError, ContextWindowExceededError);
    expect(errors.current).toBeUndefined();
    errors.report(new QuotaPreflightError('2 GB short'));
    errors.resolve(ContextFitError, ContextWindowExceededError);
    expect(errors.current).toBeInstanceOf(QuotaPreflightError);
    errors.pin(new EngineCrashedError('worker died'));
    errors.resolve(EngineCrashedError);
    expect(errors.current).toBeInstanceOf(EngineCrashedError);
  });

  it('a crash stays until the engine restarts', () => {
    const errors = new ErrorState();
    errors.pin(new EngineCrashedError('worker died'));
    errors.report(new Error('a call that failed with it'));
    errors.raise(new DeviceLostError('gone'));
    errors.dismiss();
    expect(errors.current).toBeInstanceOf(EngineCrashedError);
    errors.reset();
    expect(errors.current).toBeUndefined();
    errors.report(new Error('later'));
    expect(errors.current?.message).toBe('later');
  });
});
