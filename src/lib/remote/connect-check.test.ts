import { describe, expect, it } from 'vitest';
import { metaPolicy } from '../csp';
import { connectBlockReason, directiveSources } from './connect-check';

const HTTP_PAGE = 'http://app.lan:8080';
const HTTPS_PAGE = 'https://app.example.org';

/** Whether `url` may be fetched under a policy whose connect-src is `sources`. */
const allowed = (sources: string, url: string, page = HTTP_PAGE) => connectBlockReason(`connect-src ${sources}`, url, page) === undefined;

describe('connectBlockReason: mixed content', () => {
  it('refuses http from an https page, in words naming the origin', () => {
    expect(connectBlockReason(undefined, 'http://gpu:8000/v1/models', HTTPS_PAGE)).toBe(
      'This app is served over https, so the browser will not let it call the http server at http://gpu:8000; ' +
        'serve the server over https (or open the app over http on your own network).',
    );
  });

  it('allows loopback http from an https page (127.0.0.0/8, localhost, *.localhost, [::1])', () => {
    for (const url of [
      'http://127.0.0.1:8000',
      'http://127.10.200.254:1/v1',
      'http://localhost:11434',
      'http://gpu.localhost',
      'http://[::1]:8000',
    ])
      expect(connectBlockReason(undefined, url, HTTPS_PAGE), url).toBeUndefined();
    for (const url of ['http://128.0.0.1', 'http://localhost.example', 'http://mylocalhost', 'http://[::2]', 'http://127.0.0.1.nip.io'])
      expect(connectBlockReason(undefined, url, HTTPS_PAGE), url).toMatch(/^This app is served over https/);
  });

  it('allows https from an https page, and http from an http page', () => {
    expect(connectBlockReason(undefined, 'https://gpu:8000', HTTPS_PAGE)).toBeUndefined();
    expect(connectBlockReason(undefined, 'http://gpu:8000', HTTP_PAGE)).toBeUndefined();
  });

  it('is checked before the policy, which could not help', () => {
    expect(connectBlockReason('connect-src *', 'http://gpu:8000', HTTPS_PAGE)).toMatch(/^This app is served over https/);
  });
});

describe('connectBlockReason: the policy', () => {
  it('says which origin to add to AIRGAP_CONNECT_SRC', () => {
    expect(connectBlockReason("connect-src 'self'", 'http://gpu:8000/v1/models', HTTP_PAGE)).toBe(
      "This app's security policy only lets it connect to the servers it was built for, and http://gpu:8000 is not one of them: " +
        'build and serve the app with AIRGAP_CONNECT_SRC="http://gpu:8000" (README, "Remote servers").',
    );
  });

  it('says to use a host name for an IPv6 address, which no policy can name', () => {
    expect(connectBlockReason(metaPolicy(), 'http://[::1]:8000/v1/models', 'http://127.0.0.1:4173')).toBe(
      "This app's security policy only lets it connect to the servers it was built for, and http://[::1]:8000 is not one of them: " +
        "a security policy cannot name an IPv6 address, so use the server's host name (localhost for this machine).",
    );
    expect(connectBlockReason('connect-src *', 'http://[::1]:8000/v1/models', 'http://127.0.0.1:4173')).toBeUndefined();
  });

  it('has nothing to say without a policy, or when neither connect-src nor default-src is set', () => {
    expect(connectBlockReason(undefined, 'http://gpu:8000', HTTP_PAGE)).toBeUndefined();
    expect(connectBlockReason("script-src 'self'; img-src 'none'", 'http://gpu:8000', HTTP_PAGE)).toBeUndefined();
    expect(connectBlockReason('', 'http://gpu:8000', HTTP_PAGE)).toBeUndefined();
  });

  it('uses connect-src, else default-src', () => {
    expect(connectBlockReason("default-src 'none'; connect-src http://gpu:8000", 'http://gpu:8000', HTTP_PAGE)).toBeUndefined();
    expect(connectBlockReason("default-src http://gpu:8000; connect-src 'self'", 'http://gpu:8000', HTTP_PAGE)).toBeDefined();
    expect(connectBlockReason("script-src 'self'; default-src http://gpu:8000", 'http://gpu:8000', HTTP_PAGE)).toBeUndefined();
    expect(connectBlockReason("script-src http://gpu:8000; default-src 'self'", 'http://gpu:8000', HTTP_PAGE)).toBeDefined();
  });

  it('reads directive names case-insensitively, around stray spaces and empty directives; the first of a name wins', () => {
    expect(connectBlockReason("  CONNECT-SRC   http://gpu:8000 ;; default-src 'none' ", 'http://gpu:8000', HTTP_PAGE)).toBeUndefined();
    expect(connectBlockReason("connect-src 'none'; connect-src http://gpu:8000", 'http://gpu:8000', HTTP_PAGE)).toBeDefined();
    expect(directiveSources("img-src data:;connect-src 'self'\thttps://a", 'connect-src')).toEqual(["'self'", 'https://a']);
    expect(directiveSources('connect-src', 'connect-src')).toEqual([]);
    expect(directiveSources("connect-src  'self' \t https://a ", 'connect-src')).toEqual(["'self'", 'https://a']);
  });

  it("an empty source list and 'none' allow nothing; other keywords, nonces and hashes allow no URL", () => {
    expect(allowed('', 'http://gpu:8000')).toBe(false);
    expect(allowed("'none'", 'http://gpu:8000')).toBe(false);
    expect(allowed("'unsafe-inline' 'nonce-abc' 'sha256-abc=' 'strict-dynamic'", 'http://gpu:8000')).toBe(false);
  });

  it('* allows any http(s) or ws(s) URL, and the scheme of the page', () => {
    expect(allowed('*', 'http://gpu:8000')).toBe(true);
    expect(allowed('*', 'https://gpu')).toBe(true);
    expect(allowed('*', 'ws://gpu')).toBe(true);
    expect(allowed('*', 'wss://gpu')).toBe(true);
    expect(allowed('*', 'ftp://gpu')).toBe(false);
    expect(allowed('*', 'http://127.0.0.1:8000', HTTPS_PAGE)).toBe(true);
    expect(allowed('*', 'ftp://gpu', 'ftp://app')).toBe(true);
  });

  it('a scheme source allows its scheme and its secure upgrade, nothing else', () => {
    expect(allowed('https:', 'https://gpu:8000')).toBe(true);
    expect(allowed('https:', 'http://gpu:8000')).toBe(false);
    expect(allowed('http:', 'http://gpu:8000')).toBe(true);
    expect(allowed('HTTP:', 'https://gpu:8000')).toBe(true);
    expect(allowed('ws:', 'https://gpu')).toBe(true);
    expect(allowed('ws:', 'http://gpu')).toBe(true);
    expect(allowed('ws:', 'wss://gpu')).toBe(true);
    expect(allowed('wss:', 'https://gpu')).toBe(true);
    expect(allowed('wss:', 'http://gpu')).toBe(false);
    expect(allowed('data:', 'http://gpu')).toBe(false);
    expect(allowed('=https:', 'https://gpu')).toBe(false);
  });

  it('a host source matches its host exactly, case-insensitively', () => {
    expect(allowed('http://gpu:8000', 'http://gpu:8000/v1/models')).toBe(true);
    expect(allowed('http://GPU:8000', 'http://gpu:8000')).toBe(true);
    expect(allowed('http://gpu:8000', 'http://gpu2:8000')).toBe(false);
    expect(allowed('http://gpu:8000', 'http://my-gpu:8000')).toBe(false);
    expect(allowed('http://10.0.0.5:8000', 'http://10.0.0.5:8000')).toBe(true);
    expect(allowed('http://10.0.0.5:8000', 'http://10.0.0.6:8000')).toBe(false);
    expect(allowed('=http://gpu:8000', 'http://gpu:8000')).toBe(false);
  });

  it('*. allows every subdomain but not the domain itself; a lone * host allows every host', () => {
    expect(allowed('https://*.example.org', 'https://gpu.example.org')).toBe(true);
    expect(allowed('https://*.example.org', 'https://a.b.example.org')).toBe(true);
    expect(allowed('https://*.example.org', 'https://example.org')).toBe(false);
    expect(allowed('https://*.example.org', 'https://badexample.org')).toBe(false);
    expect(allowed('https://*:8443', 'https://anything:8443')).toBe(true);
    expect(allowed('https://*:8443', 'https://anything:8444')).toBe(false);
  });

  it("a host source's scheme allows itself and the https upgrade; without one, the page's scheme applies", () => {
    expect(allowed('http://gpu:8000', 'https://gpu:8000')).toBe(true);
    expect(allowed('https://gpu:8000', 'http://gpu:8000')).toBe(false);
    expect(allowed('ws://gpu:8000', 'https://gpu:8000')).toBe(true);
    expect(allowed('ftp://gpu:8000', 'http://gpu:8000')).toBe(false);
    expect(allowed('gpu:8000', 'http://gpu:8000', 'http://app')).toBe(true);
    expect(allowed('gpu:8000', 'https://gpu:8000', 'http://app')).toBe(true);
    expect(allowed('gpu:8000', 'https://gpu:8000', 'https://app')).toBe(true);
    expect(allowed('127.0.0.1:8000', 'http://127.0.0.1:8000', 'https://app.local')).toBe(false);
    expect(allowed('127.0.0.1:8000', 'https://127.0.0.1:8000', 'https://app.local')).toBe(true);
    expect(allowed('gpu:8000', 'http://gpu:8000', 'ftp://app')).toBe(false);
  });

  it('a port allows that port; :* any port; no port the default port, and 80 also allows 443', () => {
    expect(allowed('http://gpu:8000', 'http://gpu:8001')).toBe(false);
    expect(allowed('http://gpu:*', 'http://gpu:8001')).toBe(true);
    expect(allowed('http://gpu:*', 'http://gpu')).toBe(true);
    expect(allowed('http://gpu', 'http://gpu')).toBe(true);
    expect(allowed('http://gpu', 'http://gpu:80')).toBe(true);
    expect(allowed('http://gpu', 'http://gpu:8000')).toBe(false);
    expect(allowed('http://gpu', 'https://gpu')).toBe(true);
    expect(allowed('http://gpu', 'https://gpu:443')).toBe(true);
    expect(allowed('http://gpu', 'https://gpu:8443')).toBe(false);
    expect(allowed('https://gpu', 'https://gpu:80')).toBe(false);
    expect(allowed('http://gpu:80', 'https://gpu')).toBe(true);
    expect(allowed('http://gpu:80', 'http://gpu:443')).toBe(true);
    expect(allowed('http://gpu', 'http://gpu:443')).toBe(true);
    expect(allowed('http://gpu:443', 'http://gpu:80')).toBe(false);
    expect(allowed('http://gpu:8080', 'https://gpu')).toBe(false);
    expect(allowed('gpu', 'http://gpu:443', 'http://app')).toBe(false);
    expect(allowed('gpu', 'https://gpu', 'http://app')).toBe(true);
  });

  it('a path without a trailing slash names one path; with one, everything under it', () => {
    expect(allowed('http://gpu:8000/v1', 'http://gpu:8000/v1')).toBe(true);
    expect(allowed('http://gpu:8000/v1', 'http://gpu:8000/v1/models')).toBe(false);
    expect(allowed('http://gpu:8000/v1/', 'http://gpu:8000/v1/models')).toBe(true);
    expect(allowed('http://gpu:8000/v1/', 'http://gpu:8000/v2/models')).toBe(false);
    expect(allowed('http://gpu:8000/', 'http://gpu:8000/anything')).toBe(true);
    expect(allowed('http://gpu:8000/V1/', 'http://gpu:8000/v1/models')).toBe(false);
  });

  it("'self' is the page's origin, and its secure upgrade on the default ports", () => {
    expect(allowed("'self'", 'http://app.lan:8080/v1/models', 'http://app.lan:8080')).toBe(true);
    expect(allowed("'SELF'", 'http://app.lan:8080', 'http://app.lan:8080')).toBe(true);
    expect(allowed("'self'", 'http://app.lan:8081', 'http://app.lan:8080')).toBe(false);
    expect(allowed("'self'", 'http://other.lan:8080', 'http://app.lan:8080')).toBe(false);
    expect(allowed("'self'", 'https://app.lan:8080', 'http://app.lan:8080')).toBe(true);
    expect(allowed("'self'", 'https://app.lan', 'http://app.lan')).toBe(true);
    expect(allowed("'self'", 'https://app.lan:8443', 'http://app.lan')).toBe(false);
    expect(allowed("'self'", 'http://app.lan', 'https://app.lan')).toBe(false);
    expect(allowed("'self'", 'ws://app.lan:8080', 'http://app.lan:8080')).toBe(true);
    expect(allowed("'self'", 'ws://app.lan:8080', 'https://app.lan:8080')).toBe(false);
    expect(allowed("'self'", 'wss://app.lan', 'http://app.lan')).toBe(true);
    expect(allowed("'self'", 'ftp://app.lan', 'http://app.lan')).toBe(false);
  });

  it("under the app's own policy: loopback and the built-in hosts pass, any other server needs AIRGAP_CONNECT_SRC", () => {
    const page = 'http://127.0.0.1:4173';
    expect(connectBlockReason(metaPolicy(), 'http://127.0.0.1:8000/v1/models', page)).toBeUndefined();
    expect(connectBlockReason(metaPolicy(), 'http://localhost:11434/v1/models', page)).toBeUndefined();
    expect(connectBlockReason(metaPolicy(), 'https://huggingface.co/x', page)).toBeUndefined();
    expect(connectBlockReason(metaPolicy(), 'http://gpu-server:8000/v1/models', page)).toMatch(
      /AIRGAP_CONNECT_SRC="http:\/\/gpu-server:8000"/,
    );
    expect(connectBlockReason(metaPolicy(['http://gpu-server:8000']), 'http://gpu-server:8000/v1/models', page)).toBeUndefined();
  });

  it('has no answer for a URL that does not parse', () => {
    expect(connectBlockReason("connect-src 'none'", 'not a url', HTTP_PAGE)).toBeUndefined();
    expect(connectBlockReason("connect-src 'none'", 'http://gpu', 'not an origin')).toBeUndefined();
  });
});
