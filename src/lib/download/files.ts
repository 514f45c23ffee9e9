// Which files make a WebLLM model, where WebLLM keeps each one, and when a model counts as
// offline-ready. Pure: URLs and sizes in, plans out. The layout mirrors WebLLM 0.2.86: config in
// "webllm/config", the model library in "webllm/wasm", tensor-cache.json, weight shards and
// tokenizer files in "webllm/model", all keyed by their absolute URL.

export type FileKind = 'config' | 'wasm' | 'manifest' | 'shard' | 'tokenizer';
export type Scope = 'webllm/config' | 'webllm/wasm' | 'webllm/model' | 'airgap-model-libs';

export interface ModelFile {
  url: string;
  kind: FileKind;
  scope: Scope;
  /** How WebLLM reads it back (IndexedDB stores JSON parsed, everything else as bytes). */
  storeAs: 'json' | 'arraybuffer';
  /** Expected size where the source states it (weight shards). */
  bytes?: number;
  /** Subresource-integrity hash ("sha256-…") where the source provides one. */
  integrity?: string;
}

export interface TensorCacheManifest {
  records: { dataPath: string; nbytes: number; md5sum?: string; sha256?: string }[];
}

/** WebLLM's rule: a repository URL gets "resolve/main/" unless it already has "/resolve/<rev>/". */
export function modelBaseUrl(model: string): string {
  let url = model.endsWith('/') ? model : `${model}/`;
  if (!/.+\/resolve\/.+\//.test(url)) url += 'resolve/main/';
  return new URL(url).href;
}

/** WebLLM fetches a relative or "localhost" model library with plain fetch and never caches it. */
export function isUncachedModelLib(modelLib: string): boolean {
  return modelLib.includes('localhost') || !/^[a-z][a-z0-9+.-]*:\/\//i.test(modelLib);
}

export interface RecordFiles {
  model: string;
  model_lib: string;
  integrity?: { config?: string; model_lib?: string; tokenizer?: Record<string, string> };
}

/** The files known before anything is fetched: config, model library, tensor-cache.json. */
export function headFiles(record: RecordFiles, pageUrl: string): ModelFile[] {
  const base = modelBaseUrl(record.model);
  const files: ModelFile[] = [
    withIntegrity({ url: new URL('mlc-chat-config.json', base).href, kind: 'config', scope: 'webllm/config', storeAs: 'arraybuffer' }, record.integrity?.config),
    { url: new URL('tensor-cache.json', base).href, kind: 'manifest', scope: 'webllm/model', storeAs: 'json' },
  ];
  const libUrl = new URL(record.model_lib, pageUrl).href;
  files.push(withIntegrity({ url: libUrl, kind: 'wasm', scope: isUncachedModelLib(record.model_lib) ? 'airgap-model-libs' : 'webllm/wasm', storeAs: 'arraybuffer' }, record.integrity?.model_lib));
  return files;
}

/** Shards listed by tensor-cache.json and tokenizer files named by mlc-chat-config.json. */
export function bodyFiles(record: RecordFiles, manifest: TensorCacheManifest, tokenizerFiles: readonly string[]): ModelFile[] {
  const base = modelBaseUrl(record.model);
  const files: ModelFile[] = manifest.records.map((r) => {
    const f: ModelFile = { url: new URL(r.dataPath, base).href, kind: 'shard', scope: 'webllm/model', storeAs: 'arraybuffer', bytes: r.nbytes };
    if (r.sha256) f.integrity = r.sha256.startsWith('sha256-') ? r.sha256 : `sha256-${hexToBase64(r.sha256)}`;
    return f;
  });
  for (const name of tokenizerFiles) {
    files.push(withIntegrity({ url: new URL(name, base).href, kind: 'tokenizer', scope: 'webllm/model', storeAs: 'arraybuffer' }, record.integrity?.tokenizer?.[name]));
  }
  return files;
}

function withIntegrity(f: ModelFile, sri: string | undefined): ModelFile {
  if (sri) f.integrity = sri;
  return f;
}

function hexToBase64(hex: string): string {
  const bytes = hex.match(/../g)?.map((h) => parseInt(h, 16)) ?? [];
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** Validates a tensor-cache.json. */
export function parseManifest(json: unknown): TensorCacheManifest {
  const records = (json as { records?: unknown })?.records;
  if (!Array.isArray(records)) throw new Error('tensor-cache.json has no "records" list');
  for (const r of records) {
    if (typeof r?.dataPath !== 'string' || !Number.isSafeInteger(r?.nbytes) || r.nbytes < 0) throw new Error('tensor-cache.json has a record without dataPath or nbytes');
  }
  return { records: records as TensorCacheManifest['records'] };
}

/** The tokenizer files an mlc-chat-config.json names. */
export function tokenizerFilesOf(config: unknown): string[] {
  const files = (config as { tokenizer_files?: unknown })?.tokenizer_files;
  return Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : [];
}
