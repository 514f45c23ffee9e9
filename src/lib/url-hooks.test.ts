import { describe, expect, it } from 'vitest';
import { readHooks } from './url-hooks';

describe('URL test hooks', () => {
  it('defaults to WebLLM and ignores tps without the reference engine', () => {
    expect(readHooks('')).toEqual({ engine: 'webllm', modelSources: [] });
    expect(readHooks('?tps=5')).toEqual({ engine: 'webllm', modelSources: [] });
    expect(readHooks('?engine=other')).toMatchObject({ engine: 'webllm' });
  });
  it('reads the reference engine, its rate and model sources', () => {
    expect(readHooks('?engine=reference&tps=12&models=https%3A%2F%2Fm%2Fc.json')).toEqual({
      engine: 'reference',
      tokensPerSecond: 12,
      modelSources: ['https://m/c.json'],
    });
    expect(readHooks('?engine=reference&tps=-3')).toEqual({ engine: 'reference', modelSources: [] });
  });
  it('loses the device after load only with the reference engine', () => {
    expect(readHooks('?engine=reference&devicelost=after-load')).toMatchObject({ deviceLostForTest: 'after-load' });
    expect(readHooks('?devicelost=after-load')).not.toHaveProperty('deviceLostForTest');
    expect(readHooks('?engine=reference&devicelost=now')).not.toHaveProperty('deviceLostForTest');
  });
  it('caps reply length only with the reference engine and a positive whole number', () => {
    expect(readHooks('?engine=reference&maxtokens=4')).toMatchObject({ maxTokensForTest: 4 });
    expect(readHooks('?maxtokens=4')).not.toHaveProperty('maxTokensForTest');
    expect(readHooks('?engine=reference&maxtokens=2.5')).not.toHaveProperty('maxTokensForTest');
    expect(readHooks('?engine=reference&maxtokens=0')).not.toHaveProperty('maxTokensForTest');
  });
  it('lowers the document size limit only with the reference engine and a positive whole number', () => {
    expect(readHooks('?engine=reference&maxdocbytes=3000')).toMatchObject({ maxDocBytes: 3000 });
    expect(readHooks('?maxdocbytes=3000')).not.toHaveProperty('maxDocBytes');
    expect(readHooks('?engine=reference&maxdocbytes=0')).not.toHaveProperty('maxDocBytes');
  });

  it('delays each file of a model import with any engine, for a positive whole number of ms', () => {
    expect(readHooks('?importdelay=400')).toMatchObject({ importDelayMsForTest: 400 });
    expect(readHooks('?importdelay=-1')).not.toHaveProperty('importDelayMsForTest');
  });
});
