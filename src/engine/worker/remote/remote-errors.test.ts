import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  EngineError,
  OfflineError,
  RemoteAuthError,
  RemoteModelError,
  RemoteRateLimitError,
  RemoteRequestError,
  RemoteServerError,
  RemoteUnreachableError,
  rehydrateError,
  serializeError,
} from '../../errors';
import { type RemoteRateLimit, fetchError, httpError, serverMessage } from './remote-errors';

const WHERE = { server: 'Lab (gpu:8000)', apiKey: 'sk-secret-123' };

describe('serverMessage', () => {
  it("quotes the server's own words in each server's error shape", () => {
    // llama-server / OpenAI, vLLM, Ollama (native), plain text
    expect(serverMessage('{"error":{"code":401,"message":"Invalid API Key","type":"authentication_error"}}')).toBe('Invalid API Key');
    expect(serverMessage('{"object":"error","message":"The model `x` does not exist.","type":"NotFoundError","code":404}')).toBe(
      'The model `x` does not exist.',
    );
    expect(serverMessage('{"error":"model \\"x\\" not found, try pulling it first"}')).toBe('model "x" not found, try pulling it first');
    expect(serverMessage('Service Unavailable')).toBe('Service Unavailable');
  });
  it('leaves out HTML pages and empty bodies, and shortens long text', () => {
    expect(serverMessage('<html><body>502 Bad Gateway</body></html>')).toBeUndefined();
    expect(serverMessage('')).toBeUndefined();
    expect(serverMessage('x'.repeat(500))!.length).toBe(201);
  });
});

describe('httpError', () => {
  it('maps each status to its class, naming the server and its words', () => {
    const auth = httpError(401, 'Unauthorized', '{"error":{"message":"Invalid API Key"}}', WHERE);
    expect(auth).toBeInstanceOf(RemoteAuthError);
    expect(auth.userMessage).toMatch(/^Lab \(gpu:8000\) answered 401 Unauthorized \("Invalid API Key"\)\. The server refused the API key/);
    expect(httpError(403, 'Forbidden', '', WHERE)).toBeInstanceOf(RemoteAuthError);
    expect(httpError(404, 'Not Found', '', WHERE).userMessage).toMatch(/does not serve this model/);
    expect(httpError(404, 'Not Found', '', WHERE)).toBeInstanceOf(RemoteModelError);
    expect(httpError(500, 'Internal Server Error', '', WHERE)).toBeInstanceOf(RemoteServerError);
    expect(httpError(503, '', '', WHERE)).toBeInstanceOf(RemoteServerError);
    expect(httpError(400, 'Bad Request', '{"message":"max_tokens is too large"}', WHERE).userMessage).toBe(
      'The server refused the request: Lab (gpu:8000) answered 400 Bad Request ("max_tokens is too large").',
    );
    expect(httpError(400, '', '', WHERE)).toBeInstanceOf(RemoteRequestError);
  });
  it('carries the wait a 429 asked for, in the words and on the error', () => {
    const err = httpError(429, 'Too Many Requests', '', WHERE, 90) as RemoteRateLimit;
    expect(err).toBeInstanceOf(RemoteRateLimitError);
    expect(err.retryAfterSeconds).toBe(90);
    expect(err.userMessage).toMatch(/asked to wait 90 s\. The server is handling too many requests/);
  });
  it('says the wait a 503 asked for (a model still loading), rounded up', () => {
    const err = httpError(503, 'Service Unavailable', '', WHERE, 150);
    expect(err).toBeInstanceOf(RemoteServerError);
    expect(err.userMessage).toMatch(/answered 503 Service Unavailable and asked to wait 3 min\. The server failed on its side/);
  });
  it('never shows the API key, even when the server echoes it', () => {
    const err = httpError(401, '', '{"error":{"message":"Incorrect API key provided: sk-secret-123"}}', WHERE);
    expect(err.userMessage).not.toContain('sk-secret-123');
    expect(JSON.stringify(serializeError(err))).not.toContain('sk-secret-123');
  });
  it('crosses the worker boundary as the same class', () => {
    const back = rehydrateError(serializeError(httpError(404, '', '', WHERE)));
    expect(back).toBeInstanceOf(RemoteModelError);
    expect(back.userMessage).toMatch(/^Lab \(gpu:8000\) answered 404/);
  });
});

describe('fetchError', () => {
  const failed = () => new TypeError('Failed to fetch');
  it('says unreachable-or-CORS when online (the browser cannot tell them apart), offline when offline', () => {
    const err = fetchError(failed(), WHERE, true) as RemoteUnreachableError;
    expect(err).toBeInstanceOf(RemoteUnreachableError);
    expect(err.userMessage).toMatch(
      /^Lab \(gpu:8000\) could not be reached\. Either the server is down .* \(CORS\).*Remote servers and CORS/,
    );
    expect(fetchError(failed(), WHERE, false)).toBeInstanceOf(OfflineError);
  });
  it('passes an abort through untouched (Stop is no error)', () => {
    const abort = new DOMException('The operation was aborted.', 'AbortError');
    expect(fetchError(abort, WHERE, true)).toBe(abort);
  });
  it('keeps the key out of anything else', () => {
    const err = fetchError(new Error('bad header sk-secret-123'), WHERE, true) as Error;
    expect(err).toBeInstanceOf(EngineError);
    expect(err.message).toBe('bad header …');
  });
});

describe('a real refused connection', () => {
  it('is a network failure in Node too', async () => {
    // A port that was just listened on and closed: nothing answers there.
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await new Promise((done) => server.close(done));
    const err = await fetch(`http://127.0.0.1:${port}/v1/models`).catch((e: unknown) => e);
    expect(fetchError(err, WHERE, true)).toBeInstanceOf(RemoteUnreachableError);
  });
});
