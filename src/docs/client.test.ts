import { describe, expect, it } from 'vitest';
import { DocumentReadError, DocumentsCrashedError, serializeError } from '../engine/errors';
import type { WorkerLike } from '../engine/rpc-client';
import { DocsClient } from './client';

class FakeWorker extends EventTarget implements WorkerLike {
  posted: { id: number; kind: string; params: unknown }[] = [];
  postMessage(m: unknown) {
    this.posted.push(m as (typeof this.posted)[number]);
  }
  terminate() {}
  reply(data: unknown) {
    this.dispatchEvent(Object.assign(new Event('message'), { data }));
  }
}

describe('DocsClient', () => {
  it('streams add progress, then rebuilds a document error as its class with its words for the user', async () => {
    const w = new FakeWorker();
    const client = new DocsClient(() => w);
    const events: unknown[] = [];
    const p = client.call('add', { collection: 'conv:1', files: [] }, (e) => events.push(e));
    const { id } = w.posted[0]!;
    w.reply({ id, type: 'event', event: { docId: 'd', name: 'a.pdf', state: 'reading', fraction: 0.5 } });
    w.reply({ id, type: 'error', error: serializeError(new DocumentReadError('"a.pdf" is empty (0 bytes)')) });
    const err = await p.catch((e: unknown) => e);
    expect(events).toEqual([{ docId: 'd', name: 'a.pdf', state: 'reading', fraction: 0.5 }]);
    expect(err).toBeInstanceOf(DocumentReadError);
    expect((err as InstanceType<typeof DocumentReadError>).userMessage).toBe(
      '"a.pdf" is empty (0 bytes). Nothing of this file was kept; your other documents are unchanged.',
    );
  });

  it('rejects pending calls with DocumentsCrashedError when the worker dies', async () => {
    const w = new FakeWorker();
    const client = new DocsClient(() => w);
    const crashes: unknown[] = [];
    client.onCrash((e) => crashes.push(e));
    const p = client.call('list', {});
    w.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message: 'boom' }));
    await expect(p).rejects.toBeInstanceOf(DocumentsCrashedError);
    expect((crashes[0] as Error).message).toBe('the documents worker failed: boom');
    await expect(client.call('list', {})).rejects.toThrow('the documents worker is not running');
  });
});
