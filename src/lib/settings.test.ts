import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, clampContextWindow, clampDraftTokens, clampGpuMemory, clampTemperature, normaliseSettings } from './settings';

describe('setting overrides are clamped with a message', () => {
  it('context window', () => {
    expect(clampContextWindow('2048', 4096)).toEqual({ value: 2048 });
    expect(clampContextWindow('', 4096)).toEqual({ value: undefined });
    expect(clampContextWindow('abc', 4096)).toMatchObject({ value: undefined, message: expect.stringMatching(/not a number/) });
    expect(clampContextWindow('0', 4096)).toMatchObject({ value: 256, message: expect.stringMatching(/at least 256/) });
    expect(clampContextWindow('-5', 4096)).toMatchObject({ value: 256 });
    expect(clampContextWindow('100000', 4096)).toMatchObject({ value: 4096, message: expect.stringMatching(/at most 4096/) });
    expect(clampContextWindow('1500.7', 4096)).toMatchObject({ value: 1501, message: expect.stringMatching(/whole number/) });
    expect(clampContextWindow(100, 128)).toMatchObject({ value: 128 });
  });

  it('draft tokens', () => {
    expect(clampDraftTokens('4')).toEqual({ value: 4 });
    expect(clampDraftTokens('9')).toMatchObject({ value: 8, message: expect.stringMatching(/at most 8/) });
    expect(clampDraftTokens('-1')).toMatchObject({ value: 0 });
    expect(clampDraftTokens('x')).toMatchObject({ value: undefined });
  });

  it('GPU memory and temperature', () => {
    expect(clampGpuMemory('12')).toEqual({ value: 12 });
    expect(clampGpuMemory('0')).toMatchObject({ value: undefined, message: expect.any(String) });
    expect(clampGpuMemory('9999')).toMatchObject({ value: 512 });
    expect(clampTemperature('0')).toEqual({ value: 0 });
    expect(clampTemperature('3')).toMatchObject({ value: 2 });
    expect(clampTemperature('hot')).toMatchObject({ value: DEFAULT_SETTINGS.temperature });
  });

  it('stored settings from any build are normalised', () => {
    expect(normaliseSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(
      normaliseSettings({
        temperature: 9,
        topP: 'x',
        specMode: 'warp',
        perModel: { a: { contextWindow: 2048, draftTokens: -1, draftModelId: 'd' }, b: {} },
        gpuMemoryGB: 16,
      }),
    ).toEqual({
      ...DEFAULT_SETTINGS,
      gpuMemoryGB: 16,
      perModel: { a: { contextWindow: 2048, draftTokens: 0, draftModelId: 'd' } },
    });
    expect(normaliseSettings({ specMode: 'prompt-lookup', highlightDrafts: true })).toMatchObject({
      specMode: 'prompt-lookup',
      highlightDrafts: true,
    });
  });

  it('the last loaded model is kept when stored as a non-empty string', () => {
    expect(normaliseSettings({ lastModelId: 'reference-tiny' }).lastModelId).toBe('reference-tiny');
    expect(normaliseSettings({ lastModelId: 7 })).not.toHaveProperty('lastModelId');
    expect(normaliseSettings({ lastModelId: '' })).not.toHaveProperty('lastModelId');
  });

  it('stored numbers are clamped again when read, as when they were typed', () => {
    const s = normaliseSettings({
      gpuMemoryGB: 4096,
      perModel: { a: { contextWindow: 12.6, draftTokens: 99 }, b: { contextWindow: 3000.4 } },
    });
    expect(s.gpuMemoryGB).toBe(512);
    expect(s.perModel).toEqual({ a: { contextWindow: 256, draftTokens: 8 }, b: { contextWindow: 3000 } });
    expect(normaliseSettings({ gpuMemoryGB: 0.01 }).gpuMemoryGB).toBe(0.1);
    expect(normaliseSettings({ gpuMemoryGB: 11.97 }).gpuMemoryGB).toBe(12);
  });
});
