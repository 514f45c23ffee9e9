// Remote models end to end, against the local OpenAI-compatible test server (127.0.0.1 only): a
// server added in Settings, its models in the picker, a chat that says where it goes, the switch
// back to a local model, offline behaviour, and what is (and is not) kept on this device.
import type { Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './fixtures/axe';
import { expect, lastAssistant, loadModel, openReady, send, test } from './fixtures/app';
import { OpenAIServer } from './fixtures/openai-server';

let server: OpenAIServer;
test.beforeEach(async () => {
  server = new OpenAIServer({ models: ['test-70b-instruct', 'org/other-8b'], apiKey: 'sk-remote-test' });
  await server.start();
});
test.afterEach(() => server.stop());

/** The catalog id of a model of the test server (the endpoint id is made from host and port). */
const remoteId = (model: string) => `remote:127-0-0-1-${server.port}/${model}`;

async function addServer(page: Page, url = server.baseUrl, key = 'sk-remote-test'): Promise<void> {
  await page.getByTestId('settings-open').click();
  await page.getByTestId('remote-url').fill(url);
  await page.getByTestId('remote-key').fill(key);
  await page.getByTestId('remote-add').click();
}

test('a server added in Settings offers its models; a chat with one says where it goes; a local model takes over offline', async ({
  page,
  context,
}) => {
  await openReady(page);
  await addServer(page);
  const row = page.getByTestId('remote-endpoint');
  await expect(row).toHaveAttribute('data-url', server.baseUrl);
  await expect(row).toHaveAttribute('data-models', '2');
  await expect(row).toHaveAttribute('data-has-key', 'true');
  await expect(page.getByTestId('remote-url')).toHaveValue('');
  await expect(page.getByTestId('remote-key')).toHaveValue('');
  // The key is never shown again.
  await expect(page.locator('body')).not.toContainText('sk-remote-test');
  await expectNoSeriousA11yViolations(page, 'settings with a remote server');
  await page.getByTestId('settings-close').click();

  const option = page.locator(`[data-testid="model-option"][data-model-id="${remoteId('test-70b-instruct')}"]`);
  await expect(option).toHaveAttribute('data-source', 'remote');
  await expect(option).toHaveAttribute('data-available', 'true');
  await expect(option).toHaveAttribute('data-fit', '');
  await expect(option).toContainText(`127.0.0.1:${server.port}`);

  await loadModel(page, remoteId('test-70b-instruct'));
  await expect(page.getByTestId('engine-locality')).toHaveAttribute('data-local', 'false');
  await expect(page.getByTestId('engine-locality')).toContainText(`127.0.0.1:${server.port}`);
  // Nothing to download, no GPU fit for a model on a server.
  await expect(page.getByTestId('download-model')).toHaveCount(0);
  await expect(page.getByTestId('model-fit')).toHaveCount(0);

  await send(page, 'hello from the browser');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('Echo: hello from the browser');
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');
  await expect(lastAssistant(page).getByTestId('message-engine')).toHaveAttribute('data-local', 'false');
  await expect(lastAssistant(page).getByTestId('message-engine')).toContainText(`127.0.0.1:${server.port}`);
  await expect(lastAssistant(page).getByTestId('message-stats')).toHaveAttribute('data-spec', 'off');
  const [chat] = server.requestsTo('chat');
  expect(chat!.headers.authorization).toBe('Bearer sk-remote-test');
  expect(chat!.body).toMatchObject({
    model: 'test-70b-instruct',
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'hello from the browser' }],
  });

  // Back to this device, with the network off: the local model answers, the server hears nothing.
  await context.setOffline(true);
  await expect(option).toHaveAttribute('data-available', 'false');
  await loadModel(page, 'reference-tiny');
  await expect(page.getByTestId('engine-locality')).toHaveAttribute('data-local', 'true');
  await send(page, '/echo offline and local');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('offline and local');
  await expect(lastAssistant(page).getByTestId('message-engine')).toHaveAttribute('data-local', 'true');
  expect(server.requestsTo('chat')).toHaveLength(1);
  // The remote model cannot be chosen while its server is out of reach.
  await page.getByTestId('model-select').click();
  await option.click({ force: true });
  await expect(page.getByTestId('model-select')).toHaveAttribute('data-value', 'reference-tiny');
  await page.keyboard.press('Escape');
  await context.setOffline(false);
  await expect(option).toHaveAttribute('data-available', 'true');
});

test('a server that cannot be listed is not added, and says why; the form keeps what was typed', async ({ page }) => {
  await openReady(page);
  await addServer(page, server.baseUrl, 'sk-wrong');
  await expect(page.getByTestId('remote-error')).toContainText(/key/i);
  await expect(page.getByTestId('remote-endpoint')).toHaveCount(0);
  await expect(page.getByTestId('remote-url')).toHaveValue(server.baseUrl);
  await page.getByTestId('remote-url').fill('not a url');
  await page.getByTestId('remote-add').click();
  await expect(page.getByTestId('remote-error')).toContainText('is not a URL');
  await page.getByTestId('remote-url').fill('http://gpu-server.example:8000/v1');
  await page.getByTestId('remote-add').click();
  await expect(page.getByTestId('remote-error')).toContainText('AIRGAP_CONNECT_SRC');
  await page.getByTestId('remote-key').fill('sk-remote-test');
  await page.getByTestId('remote-url').fill(`${server.baseUrl}/`);
  await page.getByTestId('remote-add').click();
  await expect(page.getByTestId('remote-endpoint')).toHaveCount(1);
  await expect(page.getByTestId('remote-error')).toHaveCount(0);
});

test('servers and their keys stay after a reload, never go into a conversation export, and delete removes their models', async ({
  page,
}) => {
  await openReady(page);
  await addServer(page);
  await expect(page.getByTestId('remote-endpoint')).toHaveCount(1);
  await page.getByTestId('settings-close').click();
  await loadModel(page, remoteId('org/other-8b'));
  await send(page, 'remember me');
  await expect(lastAssistant(page)).toHaveAttribute('data-state', 'done');

  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  // The model used last is loaded again: the user chose it, and it needs no download.
  await expect(page.getByTestId('engine-locality')).toHaveAttribute('data-local', 'false');
  await expect(lastAssistant(page).getByTestId('message-engine')).toHaveAttribute('data-local', 'false');

  const download = page.waitForEvent('download');
  await page.getByTestId('export-button').click();
  const exported = await (await download).createReadStream();
  let text = '';
  for await (const piece of exported) text += String(piece);
  expect(text).toContain('remember me');
  expect(text).not.toContain('sk-remote-test');

  await page.getByTestId('settings-open').click();
  await page.getByTestId('remote-delete').click();
  await expect(page.getByTestId('remote-endpoint')).toHaveCount(0);
  await expect(page.locator('[data-testid="model-option"][data-source="remote"]')).toHaveCount(0);
  // Its model was loaded: it is not any more.
  await expect(page.getByTestId('engine-locality')).toHaveCount(0);
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'idle');
});
