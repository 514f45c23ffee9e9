// The MD5 worker: hashes the chunks of streamed model files on a thread of its own, so a download's
// transfer and writes never wait for the hash (md5-hasher.ts is its only client, in the engine
// worker). Messages: {id, chunk} adds bytes to file `id`, {id, end} answers {id, hex}, {id, drop}
// forgets a file whose transfer stopped. Holds one running hash per file in flight, nothing more.

import { Md5 } from '../../../lib/download/md5';

type Message = { id: number; chunk?: ArrayBuffer; end?: boolean; drop?: boolean };

const running = new Map<number, Md5>();

self.onmessage = (e: MessageEvent<Message>) => {
  const { id, chunk, end, drop } = e.data;
  if (drop) return void running.delete(id);
  let hash = running.get(id);
  if (!hash) running.set(id, (hash = new Md5()));
  if (chunk) hash.update(new Uint8Array(chunk));
  if (end) {
    running.delete(id);
    self.postMessage({ id, hex: hash.hex() });
  }
};
