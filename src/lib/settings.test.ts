import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  MAX_REPLY_TOKENS,
  clampContextWindow,
  clampDraftTokens,
  clampGpuMemory,
  clampMaxTokens,
  clampTemperature,
  clampTopP,
  normaliseSettings,
} from './settings';

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

  it('top-p', () => {
    expect(clampTopP('0.9')).toEqual({ value: 0.9 });
    expect(clampTopP('1')).toEqual({ value: 1 });
    expect(clampTopP('0.01')).toEqual({ value: 0.01 });
    expect(clampTopP('0')).toEqual({ value: 0.01, message: 'Top-p must be at least 0.01; set to 0.01.' });
    expect(clampTopP('1.5')).toEqual({ value: 1, message: 'Top-p can be at most 1; set to 1.' });
    expect(clampTopP('')).toMatchObject({ value: DEFAULT_SETTINGS.topP, message: expect.stringMatching(/above 0, at most 1/) });
    expect(clampTopP('wide')).toMatchObject({ value: DEFAULT_SETTINGS.topP });
  });

  it('max tokens: empty is no limit', () => {
    expect(clampMaxTokens('256')).toEqual({ value: 256 });
    expect(clampMaxTokens('1')).toEqual({ value: 1 });
    expect(clampMaxTokens('')).toEqual({ value: undefined });
    expect(clampMaxTokens('lots')).toEqual({ value: undefined, message: '“lots” is not a number; replies have no length limit.' });
    expect(clampMaxTokens('0')).toEqual({ value: 1, message: 'Max tokens must be at least 1; set to 1.' });
    expect(clampMaxTokens(String(MAX_REPLY_TOKENS))).toEqual({ value: MAX_REPLY_TOKENS });
    expect(clampMaxTokens(String(MAX_REPLY_TOKENS + 1))).toMatchObject({
      value: MAX_REPLY_TOKENS,
      message: expect.stringMatching(/at most/),
    });
    expect(clampMaxTokens('99.6')).toEqual({ value: 100, message: 'Max tokens must be a whole number; set to 100.' });
  });

  it('keeps Background Fetch downloads on unless they were turned off', () => {
    expect(normaliseSettings({}).backgroundDownloads).toBe(true);
    expect(normaliseSettings({ backgroundDownloads: 'no' }).backgroundDownloads).toBe(true);
    expect(normaliseSettings({ backgroundDownloads: false }).backgroundDownloads).toBe(false);
  });

  it('stored top-p, max tokens and overflow policy are normalised', () => {
    expect(normaliseSettings({ topP: 0.5, maxTokens: 300, overflow: 'stop' })).toMatchObject({
      topP: 0.5,
      maxTokens: 300,
      overflow: 'stop',
    });
    const s = normaliseSettings({ topP: 0.001, maxTokens: -3, overflow: 'explode' });
    expect(s).toMatchObject({ topP: DEFAULT_SETTINGS.topP, maxTokens: 1, overflow: 'drop-oldest' });
    expect('maxTokens' in normaliseSettings({ maxTokens: 'x' })).toBe(false);
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

  it('remote servers survive a round trip, and a broken stored list is cleaned, not fatal', () => {
    const lab = {
      id: 'lab',
      baseUrl: 'http://gpu-server:8000/v1',
      label: 'Lab',
      apiKey: 'sk-1',
      models: [{ id: 'big', contextWindow: 8192 }],
    };
    const saved = { ...DEFAULT_SETTINGS, remoteEndpoints: [lab] };
    expect(normaliseSettings(JSON.parse(JSON.stringify(saved)))).toEqual(saved);
    expect(normaliseSettings({}).remoteEndpoints).toEqual([]);
    expect(normaliseSettings({ remoteEndpoints: 'lab' }).remoteEndpoints).toEqual([]);
    expect(
      normaliseSettings({
        remoteEndpoints: [
          { ...lab, baseUrl: 'http://gpu-server:8000/v1/' },
          { id: 'x/y', baseUrl: 'http://x' },
        ],
      }).remoteEndpoints,
    ).toEqual([lab]);
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
