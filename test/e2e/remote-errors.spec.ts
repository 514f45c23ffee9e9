// Remote models when things go wrong, end to end against the local OpenAI-compatible test server
// (127.0.0.1 only): an unreachable host, a CORS refusal, a refused key, a model the server does not
// serve, 429/503 with Retry-After, 5xx, a stream cut or garbled mid-reply, Stop; then reasoning,
// sampling settings as OpenAI parameters, and the Settings a remote model shows (with axe).
// Every failure is said in words (error-banner) and loses no message: the user's message stays, a
// partial reply stays and is marked. Waits are kept short (Retry-After 1 s) so the file stays fast.
import type { Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './fixtures/axe';
import { expect, lastAssistant, loadModel, openReady, send, test } from './fixtures/app';
import { OpenAIServer, type OpenAIServerOptions } from './fixtures/openai-server';

const MODEL = 'test-70b-instruct';
const KEY = 'sk-remote-test';
let server: OpenAIServer;

async function startServer(options: OpenAIServerOptions = {}): Promise<OpenAIServer> {
  server = new OpenAIServer({ models: [MODEL, 'org/other-8b'], apiKey: KEY, ...options });
  await server.start();
  return server;
}
test.afterEach(() => server?.stop());

const remoteId = (model = MODEL) => `remote:127-0-0-1-${server.port}/${model}`;
const banner = (page: Page) => page.getByTestId('error-banner');
const userMessage = (page: Page, text: string) => page.locator('[data-testid="message"][data-role="user"]', { hasText: text });
/** The error line under a failed reply (the text the message keeps, also after a reload). */
const replyError = (page: Page) => lastAssistant(page).locator('.error');

async function addServer(page: Page, url = server.baseUrl, key = KEY): Promise<void> {
  if (!(await page.getByTestId('remote-url').isVisible())) await page.getByTestId('settings-open').click();
  await page.getByTestId('remote-url').fill(url);
  await page.getByTestId('remote-key').fill(key);
  await page.getByTestId('remote-add').click();
}

/** The app with the test server added and its model loaded. */
async function openWithRemote(page: Page, path?: string, key = KEY): Promise<void> {
  await openReady(page, path);
  await addServer(page, server.baseUrl, key);
  await expect(page.getByTestId('remote-endpoint')).toHaveCount(1);
  await page.getByTestId('settings-close').click();
  await loadModel(page, remoteId());
}

/** A reply that failed with `errorName`: said in the banner and under the reply, the question kept. */
async function expectFailedReply(page: Page, question: string, errorName: string, words: RegExp): Promise<void> {
  await expect(banner(page)).toHaveAttribute('data-error-name', errorName);
  await expect(banner(page)).toContainText(words);
  await expect(userMessage(page, question)).toHaveCount(1);
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'error');
  await expect(replyError(page)).toContainText(words);
  await expect(banner(page)).not.toContainText(KEY);
}

test('a server that stopped after it was added: the reply fails as unreachable in words, the question stays', async ({ page }) => {
  await startServer();
  await openWithRemote(page);
  await server.stop();
  await send(page, 'are you still there');
  await expectFailedReply(page, 'are you still there', 'RemoteUnreachableError', /could not be reached/);
  await expect(banner(page)).toContainText('127.0.0.1');
  await expect(lastAssistant(page).getByTestId('message-engine')).toHaveAttribute('data-local', 'false');

  // A closed port is not added, and says why beside the form.
  const closed = new OpenAIServer();
  await closed.start();
  await closed.stop();
  await addServer(page, closed.baseUrl);
  await expect(page.getByTestId('remote-error')).toContainText('could not be reached');
});

test('a server that refuses the app origin (CORS) is not added; the message names CORS and the README section', async ({ page }) => {
  for (const allowOrigin of [null, 'https://another-app.example']) {
    await startServer({ allowOrigin });
    await openReady(page);
    await addServer(page);
    const error = page.getByTestId('remote-error');
    await expect(error).toContainText('CORS');
    await expect(error).toContainText('README, "Remote servers');
    await expect(error).toContainText(/vLLM, llama-server, Ollama and LM Studio/);
    await expect(page.getByTestId('remote-endpoint')).toHaveCount(0);
    // What was typed stays, to be corrected.
    await expect(page.getByTestId('remote-url')).toHaveValue(server.baseUrl);
    // The browser asked the server (its preflight was refused) and sent nothing further.
    expect(server.requestsTo('models', 'OPTIONS').length).toBeGreaterThan(0);
    expect(server.requestsTo('models')).toHaveLength(0);
    await server.stop();
  }
});

test('a key the server no longer takes (403) or a key it now wants (401) fails in words as a key problem', async ({ page }) => {
  await startServer();
  await openWithRemote(page);
  server.apiKey = 'sk-rotated';
  await send(page, 'is my key fine');
  await expectFailedReply(page, 'is my key fine', 'RemoteAuthError', /403.*API key/);

  // A server added without a key that starts to want one.
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(userMessage(page, 'is my key fine')).toHaveCount(1);
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'error');
  await page.getByTestId('settings-open').click();
  await page.getByTestId('remote-delete').click();
  await expect(page.getByTestId('remote-endpoint')).toHaveCount(0);
  server.apiKey = undefined;
  await addServer(page, server.baseUrl, '');
  await expect(page.getByTestId('remote-endpoint')).toHaveAttribute('data-has-key', 'false');
  await page.getByTestId('settings-close').click();
  await loadModel(page, remoteId());
  server.apiKey = KEY;
  await send(page, 'no key at all');
  await expectFailedReply(page, 'no key at all', 'RemoteAuthError', /401.*API key/);
  await expect(userMessage(page, 'is my key fine')).toHaveCount(1);
});

test('a model the server stops serving (404) fails in words as a model problem, the question stays', async ({ page }) => {
  await startServer();
  await openWithRemote(page);
  server.fail('chat', { status: 404 });
  await send(page, 'first question');
  await expectFailedReply(page, 'first question', 'RemoteModelError', /404.*does not serve this model/);

  // The server drops the model from its list: chat answers 404 as well.
  server.models = ['org/other-8b'];
  await send(page, 'second question');
  await expectFailedReply(page, 'second question', 'RemoteModelError', /does not exist/);
  await expect(userMessage(page, 'first question')).toHaveCount(1);
});

for (const status of [429, 503] as const) {
  test(`${status} with Retry-After: asked again after the wait, and the reply arrives`, async ({ page }) => {
    await startServer();
    await openWithRemote(page);
    server.fail('chat', { status, retryAfterS: 1 });
    await send(page, `busy ${status}`);
    await expect(lastAssistant(page).getByTestId('message-content')).toHaveText(`Echo: busy ${status}`);
    await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
    expect(server.requestsTo('chat')).toHaveLength(2);
    await expect(banner(page)).toHaveCount(0);
  });
}

test("a 429 whose Retry-After the page cannot read (vLLM's CORS exposes no headers) is retried after a backoff", async ({ page }) => {
  await startServer({ exposeRetryAfter: false });
  await openWithRemote(page);
  server.fail('chat', { status: 429, retryAfterS: 1 });
  await send(page, 'busy, unsaid wait');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('Echo: busy, unsaid wait');
  expect(server.requestsTo('chat')).toHaveLength(2);
});

test('a server that keeps answering 429 is asked three times at most, then the user is told', async ({ page }) => {
  await startServer();
  await openWithRemote(page);
  server.fail('chat', { status: 429, retryAfterS: 1 }, { status: 429, retryAfterS: 1 }, { status: 429, retryAfterS: 1 });
  await send(page, 'still busy');
  await expectFailedReply(page, 'still busy', 'RemoteRateLimitError', /429.*try again later/);
  expect(server.requestsTo('chat')).toHaveLength(3);
});

test('Stop during a wait between tries ends the reply as stopped, without asking again', async ({ page }) => {
  await startServer();
  await openWithRemote(page);
  server.fail('chat', { status: 503, retryAfterS: 15 });
  await send(page, 'never mind');
  await expect.poll(() => server.requestsTo('chat').length).toBe(1);
  await page.getByTestId('stop-button').click();
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'stopped');
  await expect(banner(page)).toHaveCount(0);
  await expect(userMessage(page, 'never mind')).toHaveCount(1);
  // The next message goes out at once: the engine is not still waiting.
  await send(page, 'now then');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('Echo: now then');
  expect(server.requestsTo('chat')).toHaveLength(2);
});

test('a 500 fails in words as a server problem, asked once', async ({ page }) => {
  await startServer();
  await openWithRemote(page);
  server.fail('chat', { status: 500 });
  await send(page, 'break please');
  await expectFailedReply(page, 'break please', 'RemoteServerError', /500.*failed on its side/);
  expect(server.requestsTo('chat')).toHaveLength(1);
});

test('a Retry-After longer than the app waits is not sat through: the user is told when to retry', async ({ page }) => {
  await startServer();
  await openWithRemote(page);
  server.fail('chat', { status: 429, retryAfterS: 3600 });
  await send(page, 'in a hurry');
  await expectFailedReply(page, 'in a hurry', 'RemoteRateLimitError', /asked to wait 60 min.*try again later/);
  expect(server.requestsTo('chat')).toHaveLength(1);
});

test('a 503 with a Retry-After longer than the app waits (a model still loading) says how long the server asked to wait', async ({
  page,
}) => {
  await startServer();
  await openWithRemote(page);
  server.fail('chat', { status: 503, retryAfterS: 150 });
  await send(page, 'are you loaded');
  await expectFailedReply(page, 'are you loaded', 'RemoteServerError', /503.*asked to wait 3 min/);
  expect(server.requestsTo('chat')).toHaveLength(1);
});

const streamFaults = [
  ['cut mid-reply', { cutAfter: 3 }],
  ['carrying a malformed chunk', { malformedAfter: 3 }],
  ['ending in an error event', { errorEventAfter: 3 }],
] as const;
for (const [what, fault] of streamFaults) {
  test(`a stream ${what}: the partial reply is kept and marked, also after a reload`, async ({ page }) => {
    await startServer();
    await openWithRemote(page);
    // Events a few ms apart, as a model makes them: a browser drops the bytes that arrive in the
    // same read as a broken connection, so a cut right after a burst would keep nothing to show.
    server.chunkDelayMs = 30;
    server.fail('chat', fault);
    const question = 'tell me a rather long story please';
    await send(page, question);
    const check = async () => {
      await expect(lastAssistant(page)).toHaveAttribute('data-state', 'error');
      // The role chunk, then "Echo: " and "tell ": what arrived before the fault.
      await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('Echo: tell');
      await expect(replyError(page)).toContainText(/cut off.*What arrived is kept/);
      await expect(userMessage(page, question)).toHaveCount(1);
    };
    await check();
    await expect(banner(page)).toHaveAttribute('data-error-name', 'RemoteStreamError');
    await page.reload();
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    await check();
  });
}

test('Stop during a slow stream aborts the request at the server and keeps the partial reply as stopped', async ({ page }) => {
  await startServer();
  await openWithRemote(page);
  server.fail('chat', { chunkDelayMs: 150 });
  const question = 'one two three four five six seven eight nine ten eleven twelve';
  await send(page, question);
  await expect(lastAssistant(page).getByTestId('message-content')).toContainText('Echo: one');
  await page.getByTestId('stop-button').click();
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'stopped');
  await expect.poll(() => server.requestsTo('chat')[0]?.aborted).toBe(true);
  const partial = (await lastAssistant(page).getByTestId('message-content').textContent()) ?? '';
  expect(partial).toMatch(/^Echo: one/);
  expect(partial).not.toContain('twelve');
  await expect(userMessage(page, question)).toHaveCount(1);
  await expect(banner(page)).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'stopped');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText(partial.trim());
});

for (const reasoning of ['reasoning_content', 'think-tags'] as const) {
  test(`reasoning sent as ${reasoning} shows folded, and the reply renders as Markdown`, async ({ page }) => {
    await startServer({ reasoning });
    await openWithRemote(page);
    await send(page, 'a **bold** claim');
    await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
    const content = lastAssistant(page).getByTestId('message-content');
    const think = content.getByTestId('think');
    await expect(think).toHaveCount(1);
    await expect(think).not.toHaveAttribute('open');
    await expect(think.getByTestId('think-summary')).toHaveText(/^Thought( for \d+ s)?$/);
    await think.getByTestId('think-summary').click();
    await expect(think).toContainText('Thinking about a **bold** claim');
    await expect(content.locator('strong', { hasText: 'bold' })).toHaveCount(1);
    await expect(content).toContainText('Echo: a bold claim');
  });
}

test('per-conversation sampling settings and the system prompt are sent as OpenAI parameters', async ({ page }) => {
  await startServer();
  await openWithRemote(page);
  await page.getByTestId('new-conversation').click();
  await page.getByTestId('conversation-settings-open').click();
  const set = async (name: string, value: string) => {
    await page.getByTestId(`conv-setting-${name}`).fill(value);
    await page.getByTestId(`conv-setting-${name}`).press('Tab');
  };
  await set('temperature', '0.3');
  await set('top-p', '0.8');
  await set('max-tokens', '3');
  await set('system-prompt', 'Answer like a sailor.');
  await expect(page.getByTestId('effective-settings')).toHaveAttribute('data-system-prompt', 'own');
  await send(page, 'how is the weather today');
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
  // Max tokens 3: the server stopped after three pieces.
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('Echo: how is');
  const [chat] = server.requestsTo('chat');
  expect(chat!.body).toMatchObject({
    model: MODEL,
    temperature: 0.3,
    top_p: 0.8,
    max_tokens: 3,
    messages: [
      { role: 'system', content: 'Answer like a sailor.' },
      { role: 'user', content: 'how is the weather today' },
    ],
  });
});

for (const scheme of ['light', 'dark'] as const) {
  test(`a remote model's Settings show notes instead of GPU and speculative settings; axe, ${scheme} theme, phone width`, async ({
    page,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: scheme });
    await startServer();
    await openWithRemote(page);
    await expect(page.getByTestId('app')).toHaveAttribute('data-theme', scheme);
    await send(page, 'a reply to scan');
    await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
    await expectNoSeriousA11yViolations(page, `chat with a remote reply (${scheme}, phone)`);
    // A failed reply too: its error line and the banner in this theme's danger colour.
    server.fail('chat', { status: 500 });
    await send(page, 'a failure to scan');
    await expect(banner(page)).toHaveAttribute('data-error-name', 'RemoteServerError');
    await expectNoSeriousA11yViolations(page, `chat with a failed remote reply (${scheme}, phone)`);

    await page.getByTestId('settings-open').click();
    await expect(page.getByTestId('remote-spec-note')).toContainText('does its own decoding');
    await expect(page.getByTestId('remote-model-note')).toContainText(`127.0.0.1:${server.port}`);
    await expect(page.getByTestId('setting-spec-mode')).toHaveCount(0);
    await expect(page.getByTestId('setting-context-size')).toHaveCount(0);
    await expect(page.getByTestId('setting-draft-tokens')).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, `settings of a remote model (${scheme}, phone)`);
  });
}
