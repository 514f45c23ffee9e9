import { describe, expect, it } from 'vitest';
import { isRemoteModelId, normaliseBaseUrl, parseRemoteModelId, remoteModelId } from './ids';

describe('remote model ids', () => {
  it('round-trips, keeping slashes in the server model id', () => {
    const id = remoteModelId('lab', 'meta-llama/Llama-3.3-70B-Instruct');
    expect(id).toBe('remote:lab/meta-llama/Llama-3.3-70B-Instruct');
    expect(parseRemoteModelId(id)).toEqual({ endpointId: 'lab', modelId: 'meta-llama/Llama-3.3-70B-Instruct' });
  });
  it('does not take local ids (or malformed remote ones) for remote ones', () => {
    for (const id of ['Llama-3.2-1B-Instruct-q4f16_1-MLC', 'remote:lab', 'remote:/m', 'remote:lab/']) {
      expect(parseRemoteModelId(id)).toBeUndefined();
      expect(isRemoteModelId(id)).toBe(false);
    }
  });
});

describe('normaliseBaseUrl', () => {
  it('ends without a slash and drops query and fragment', () => {
    expect(normaliseBaseUrl(' http://gpu:8000/v1/ ')).toBe('http://gpu:8000/v1');
    expect(normaliseBaseUrl('https://x.example/v1//?a=1#f')).toBe('https://x.example/v1');
    expect(normaliseBaseUrl('http://127.0.0.1:11434')).toBe('http://127.0.0.1:11434');
  });
  it('refuses what is not an http(s) URL, or a key in the URL', () => {
    expect(() => normaliseBaseUrl('gpu:8000')).toThrow(/not an http/);
    expect(() => normaliseBaseUrl('not a url')).toThrow(/not a URL/);
    expect(() => normaliseBaseUrl('ftp://gpu/v1')).toThrow(/not an http/);
    expect(() => normaliseBaseUrl('http://u:secret@gpu/v1')).toThrow(/own field/);
  });
});

describe('ids and URLs, edges', () => {
  it('only the remote: prefix makes a remote id', () => {
    expect(parseRemoteModelId('xemote:lab/model')).toBeUndefined();
    expect(parseRemoteModelId('abcdefglab/model')).toBeUndefined();
    expect(isRemoteModelId('remote:lab/model')).toBe(true);
    expect(isRemoteModelId('Llama-3.2-1B-Instruct-q4f16_1-MLC')).toBe(false);
  });

  it('trims what was typed, in the URL and in every message', () => {
    expect(normaliseBaseUrl('  http://gpu:8000/v1/  ')).toBe('http://gpu:8000/v1');
    expect(() => normaliseBaseUrl('  nope  ')).toThrow('"nope" is not a URL (expected e.g. http://gpu-server:8000/v1)');
    expect(() => normaliseBaseUrl('  ftp://gpu/v1  ')).toThrow('"ftp://gpu/v1" is not an http(s) URL');
  });

  it('refuses a user name alone in the URL too', () => {
    expect(() => normaliseBaseUrl('http://sk-key@gpu:8000/v1')).toThrow('put the API key in its own field');
  });
});
