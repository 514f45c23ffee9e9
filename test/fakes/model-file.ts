// A weight shard as the download planner lists it, for tests of download bookkeeping: the name
// makes the URL, and a size is given only where the record states one.

import type { ModelFile } from '../../src/lib/download/files';

export const shardFile = (name: string, bytes?: number): ModelFile => ({
  url: `https://m.example/${name}`,
  kind: 'shard',
  scope: 'webllm/model',
  storeAs: 'arraybuffer',
  ...(bytes !== undefined ? { bytes } : {}),
});
