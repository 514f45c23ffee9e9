import { describe, expect, it } from 'vitest';
import { extraConnectSources, headerPolicy, metaPolicy } from './csp';

describe('Content-Security-Policy', () => {
  it('allows no inline or remote script, no plugins, no <base>, images only from the app, data: and blob:', () => {
    const p = metaPolicy();
    expect(p).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(p).toContain("object-src 'none'");
    expect(p).toContain("base-uri 'none'");
    expect(p).toContain("img-src 'self' data: blob:;");
    expect(p).not.toContain("'unsafe-eval'");
    expect(p).not.toMatch(/script-src[^;]*(https?:|\*|'unsafe-inline')/);
  });
  it('the meta policy leaves out what a meta tag cannot carry; the header adds it', () => {
    expect(metaPolicy()).not.toContain('frame-ancestors');
    expect(headerPolicy()).toContain("frame-ancestors 'none'");
  });
  it('connects to the app, the default model hosts, this machine and configured extra hosts only', () => {
    const connect = /connect-src ([^;]*)/.exec(metaPolicy(extraConnectSources('https://models.example.org  bogus;x https://a b')))![1]!;
    expect(connect.split(' ')).toEqual([
      "'self'",
      'https://huggingface.co',
      'https://*.huggingface.co',
      'https://*.hf.co',
      'https://raw.githubusercontent.com',
      'http://127.0.0.1:*',
      'http://localhost:*',
      'https://models.example.org',
      'https://a',
    ]);
  });
});
