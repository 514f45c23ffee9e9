import { describe, expect, it } from 'vitest';
import { endpointIdFor, normaliseEndpoints } from './endpoint-settings';

const LAB = { id: 'lab', baseUrl: 'http://gpu-server:8000/v1', label: 'Lab' };

describe('normaliseEndpoints', () => {
  it('keeps a well-formed server whole', () => {
    const full = { ...LAB, apiKey: 'sk-1', models: [{ id: 'meta-llama/Llama-3.3-70B', contextWindow: 131072 }, { id: 'small' }] };
    expect(normaliseEndpoints([full])).toEqual([full]);
  });

  it('reads anything that is not a list as no servers', () => {
    for (const raw of [undefined, null, 'lab', 3, { 0: LAB }]) expect(normaliseEndpoints(raw)).toEqual([]);
  });

  it('drops entries that are not objects, and stores the canonical base URL', () => {
    expect(normaliseEndpoints([null, 'http://gpu:8000', 7, [LAB], { ...LAB, baseUrl: ' http://gpu-server:8000/v1/?x=1 ' }])).toEqual([LAB]);
  });

  it('drops a server whose base URL is missing, not a URL, not http(s) or carries a key', () => {
    for (const baseUrl of [undefined, 42, '', 'not a url', 'ftp://gpu/v1', 'http://u:p@gpu/v1'])
      expect(normaliseEndpoints([{ ...LAB, baseUrl }]), String(baseUrl)).toEqual([]);
  });

  it('drops a server whose id is missing, empty or has a "/"', () => {
    for (const id of [undefined, 7, '', 'a/b', '/']) expect(normaliseEndpoints([{ ...LAB, id }]), String(id)).toEqual([]);
  });

  it('keeps the first of two servers with one id or one base URL', () => {
    const again = { id: 'lab', baseUrl: 'http://other:8000/v1', label: 'Other' };
    const sameUrl = { id: 'lab2', baseUrl: 'http://gpu-server:8000/v1/', label: 'Same' };
    const other = { id: 'b', baseUrl: 'http://b:1/v1', label: 'B' };
    expect(normaliseEndpoints([LAB, again, sameUrl, other])).toEqual([LAB, other]);
    // A refused entry claims neither its id nor its URL.
    expect(normaliseEndpoints([{ ...LAB, baseUrl: 'nope' }, LAB])).toEqual([LAB]);
  });

  it("names a server after its URL's host when it has no name", () => {
    for (const label of [undefined, '', '   ', 5])
      expect(normaliseEndpoints([{ ...LAB, label }])[0]!.label, String(label)).toBe('gpu-server:8000');
    expect(normaliseEndpoints([{ ...LAB, baseUrl: 'https://llm.example.org/v1', label: undefined }])[0]!.label).toBe('llm.example.org');
    expect(normaliseEndpoints([{ ...LAB, label: '  Lab  ' }])[0]!.label).toBe('Lab');
  });

  it('keeps an API key only when it is a non-empty string', () => {
    expect(normaliseEndpoints([{ ...LAB, apiKey: 'sk-2' }])[0]!.apiKey).toBe('sk-2');
    for (const apiKey of ['', 42, null, { k: 1 }])
      expect(normaliseEndpoints([{ ...LAB, apiKey }])[0]!, String(apiKey)).not.toHaveProperty('apiKey');
  });

  it('keeps listed models as an id and, when a positive integer, a context window', () => {
    const models = [
      { id: 'a', contextWindow: 8192, extra: true },
      { id: 'b', contextWindow: 0 },
      { id: 'c', contextWindow: -4 },
      { id: 'd', contextWindow: 1.5 },
      { id: 'e', contextWindow: '4096' },
      { id: 'f', contextWindow: 1 },
      { id: '' },
      { id: 3 },
      'g',
      null,
    ];
    expect(normaliseEndpoints([{ ...LAB, models }])[0]!.models).toEqual([
      { id: 'a', contextWindow: 8192 },
      { id: 'b' },
      { id: 'c' },
      { id: 'd' },
      { id: 'e' },
      { id: 'f', contextWindow: 1 },
    ]);
    expect(normaliseEndpoints([{ ...LAB, models: [] }])[0]!.models).toEqual([]);
    expect(normaliseEndpoints([{ ...LAB, models: 'a' }])[0]!).not.toHaveProperty('models');
  });
});

describe('endpointIdFor', () => {
  it('is the host and port as a lower-case slug', () => {
    expect(endpointIdFor('http://gpu-server:8000/v1', new Set())).toBe('gpu-server-8000');
    expect(endpointIdFor('http://GPU.Lab.example:8000/v1', new Set())).toBe('gpu-lab-example-8000');
    expect(endpointIdFor('https://llm.example.org/v1', new Set())).toBe('llm-example-org');
    expect(endpointIdFor('http://192.168.1.20:11434', new Set())).toBe('192-168-1-20-11434');
    expect(endpointIdFor('http://[::1]:8000/v1', new Set())).toBe('1-8000');
    expect(endpointIdFor('http://xn--bcher-kva.example/v1', new Set())).toBe('xn-bcher-kva-example');
  });

  it('is the same for the same server, whatever its path', () => {
    expect(endpointIdFor('http://gpu:8000/v1', new Set())).toBe(endpointIdFor('http://gpu:8000/openai/v1', new Set()));
  });

  it('counts up past the ids already taken', () => {
    expect(endpointIdFor('http://gpu:8000/v1', new Set(['gpu-8000']))).toBe('gpu-8000-2');
    expect(endpointIdFor('http://gpu:8000/v1', new Set(['gpu-8000', 'gpu-8000-2', 'gpu-8000-3']))).toBe('gpu-8000-4');
    expect(endpointIdFor('http://gpu:8000/v1', new Set(['gpu-8000-2']))).toBe('gpu-8000');
  });

  it('falls back to a generic name when the URL gives none', () => {
    expect(endpointIdFor('not a url', new Set())).toBe('server');
    expect(endpointIdFor('not a url', new Set(['server']))).toBe('server-2');
  });

  it('gives ids that normaliseEndpoints keeps', () => {
    for (const url of ['http://gpu-server:8000/v1', 'http://[::1]:8000', 'https://a.b.c/v1']) {
      const id = endpointIdFor(url, new Set());
      expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(normaliseEndpoints([{ id, baseUrl: url }])).toHaveLength(1);
    }
  });
});
