// Which files make a WebLLM model, where WebLLM keeps each one, and how WebLLM 0.2.86's reload
// resolves their URLs. Pure: URLs and parsed JSON in, plans out. Layout: mlc-model-manifest.json
// (when the record names one) and the chat config in "webllm/config", the model library in
// "webllm/wasm", tensor-cache.json, weight shards and the one tokenizer file reload reads in
// "webllm/model", all keyed by their absolute URL. Only files reload reads are planned: anything else
// would cost quota without making a load work offline (ARCHITECTURE.md, "Storage layout contract
// with WebLLM").

export type FileKind = 'package' | 'config' | 'wasm' | 'manifest' | 'shard' | 'tokenizer';

/** WebLLM's cacheBackend: where model files are kept. */
export const CACHE_BACKENDS = ['cache', 'indexeddb', 'opfs'] as const;
export type CacheBackend = (typeof CACHE_BACKENDS)[number];

/**
 * Our own Cache Storage cache, whatever the backend, for model libraries WebLLM never caches
 * (relative or "localhost" URLs): the downloader stores them there, the service worker serves them.
 */
export const MODEL_LIBS_CACHE = 'airgap-model-libs';
/** Every place a model file can be: WebLLM's three stores and ours. */
export const SCOPES = ['webllm/config', 'webllm/wasm', 'webllm/model', MODEL_LIBS_CACHE] as const;
export type Scope = (typeof SCOPES)[number];

export interface ModelFile {
  url: string;
  kind: FileKind;
  scope: Scope;
  /** How WebLLM reads it back (IndexedDB stores JSON parsed, everything else as bytes). */
  storeAs: 'json' | 'arraybuffer';
  /** Expected size where the source states it (weight shards). */
  bytes?: number;
  /** Subresource-integrity string ("sha256-…", "sha384-…", "sha512-…") where the source gives one. */
  integrity?: string;
  /** The record's integrity.onFailure is "warn": WebLLM logs a mismatch and loads the file anyway. */
  integrityWarnOnly?: boolean;
  /** The shard's "md5sum" from tensor-cache.json (lowercase hex), which MLC writes for every shard. */
  md5?: string;
}

interface TensorCacheManifest {
  records: { dataPath: string; nbytes: number; md5sum?: string; sha256?: string; records?: { byteOffset?: number; nbytes?: number }[] }[];
}

/** What WebLLM reads from mlc-model-manifest.json to find the other files. */
export interface ModelPackage {
  chatConfig: string;
  tensorCache: string;
  interfaceId: string;
  tasks: unknown;
}

export interface RecordFiles {
  model: string;
  model_lib: string;
  model_manifest?: string;
  overrides?: Record<string, unknown>;
  integrity?: { config?: string; model_lib?: string; tokenizer?: Record<string, string>; onFailure?: 'error' | 'warn' };
}

/** WebLLM's cleanModelUrl: a repository URL gets "resolve/main/" unless it already has "/resolve/<rev>/". */
export function modelBaseUrl(model: string): string {
  let url = model.endsWith('/') ? model : `${model}/`;
  if (!/.+\/resolve\/.+\//.test(url)) url += 'resolve/main/';
  return new URL(url).href;
}

/** WebLLM fetches a relative or "localhost" model library with plain fetch and never caches it. */
export function isUncachedModelLib(modelLib: string): boolean {
  return modelLib.includes('localhost') || !/^[a-z][a-z0-9+.-]*:\/\//i.test(modelLib);
}

/** mlc-model-manifest.json: reload reads it first (from "webllm/config") when the record names one. */
export function packageFile(record: RecordFiles): ModelFile | undefined {
  if (record.model_manifest === undefined) return undefined;
  return {
    url: new URL(record.model_manifest, modelBaseUrl(record.model)).href,
    kind: 'package',
    scope: 'webllm/config',
    storeAs: 'arraybuffer',
  };
}

/** The chat config, tensor-cache.json (resolved through the package manifest when there is one) and the model library. */
export function headFiles(record: RecordFiles, pageUrl: string, pkg?: ModelPackage): ModelFile[] {
  const base = modelBaseUrl(record.model);
  const warnOnly = record.integrity?.onFailure === 'warn';
  const files: ModelFile[] = [
    withIntegrity(
      {
        url: new URL(pkg?.chatConfig ?? 'mlc-chat-config.json', base).href,
        kind: 'config',
        scope: 'webllm/config',
        storeAs: 'arraybuffer',
      },
      record.integrity?.config,
      warnOnly,
    ),
    // tvmjs reads "tensor-cache.json" beside the base the manifest's weights path points into.
    {
      url: new URL('tensor-cache.json', new URL('.', new URL(pkg?.tensorCache ?? 'tensor-cache.json', base))).href,
      kind: 'manifest',
      scope: 'webllm/model',
      storeAs: 'json',
    },
  ];
  const libUrl = new URL(record.model_lib, pageUrl).href;
  files.push(
    withIntegrity(
      { url: libUrl, kind: 'wasm', scope: isUncachedModelLib(record.model_lib) ? MODEL_LIBS_CACHE : 'webllm/wasm', storeAs: 'arraybuffer' },
      record.integrity?.model_lib,
      warnOnly,
    ),
  );
  return files;
}

/** Shards listed by tensor-cache.json (relative to it) and the tokenizer file reload reads (relative to the model URL). */
export function bodyFiles(record: RecordFiles, tensorCacheUrl: string, manifest: TensorCacheManifest, tokenizer: string): ModelFile[] {
  const warnOnly = record.integrity?.onFailure === 'warn';
  const files: ModelFile[] = manifest.records.map((r) => {
    const f: ModelFile = {
      url: new URL(r.dataPath, tensorCacheUrl).href,
      kind: 'shard',
      scope: 'webllm/model',
      storeAs: 'arraybuffer',
      bytes: r.nbytes,
    };
    if (r.sha256) f.integrity = r.sha256.startsWith('sha256-') ? r.sha256 : `sha256-${hexToBase64(r.sha256)}`;
    if (typeof r.md5sum === 'string' && /^[0-9a-f]{32}$/i.test(r.md5sum)) f.md5 = r.md5sum.toLowerCase();
    return f;
  });
  files.push(
    withIntegrity(
      { url: new URL(tokenizer, modelBaseUrl(record.model)).href, kind: 'tokenizer', scope: 'webllm/model', storeAs: 'arraybuffer' },
      record.integrity?.tokenizer?.[tokenizer],
      warnOnly,
    ),
  );
  return files;
}

function withIntegrity(f: ModelFile, sri: string | undefined, warnOnly: boolean): ModelFile {
  if (sri) {
    f.integrity = sri;
    if (warnOnly) f.integrityWarnOnly = true;
  }
  return f;
}

function hexToBase64(hex: string): string {
  const bytes = hex.match(/../g)?.map((h) => parseInt(h, 16)) ?? [];
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

const SRI_DIGEST_BYTES = { sha256: 32, sha384: 48, sha512: 64 } as const;
type SriAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512';

/** WebLLM's SRI rule: "<sha256|sha384|sha512>-<base64 of exactly the digest's length>"; undefined when malformed. */
export function parseSri(sri: string): { algorithm: SriAlgorithm; base64: string } | undefined {
  const m = /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})$/.exec(sri);
  if (!m) return undefined;
  const algo = m[1] as keyof typeof SRI_DIGEST_BYTES;
  const b64 = m[2]!;
  if (b64.length % 4 === 1) return undefined;
  const pad = b64.match(/=+$/)?.[0].length ?? 0;
  if (pad > 0 && b64.length % 4 !== 0) return undefined;
  const decoded = Math.floor(b64.length / 4) * 3 - pad + (pad === 0 ? [0, 0, 1, 2][b64.length % 4]! : 0);
  if (decoded !== SRI_DIGEST_BYTES[algo]) return undefined;
  return { algorithm: algo === 'sha256' ? 'SHA-256' : algo === 'sha384' ? 'SHA-384' : 'SHA-512', base64: b64 };
}

/** Validates a tensor-cache.json, including what tvmjs checks at load: every tensor lies inside its shard. */
export function parseManifest(json: unknown): TensorCacheManifest {
  const records = (json as { records?: unknown })?.records;
  if (!Array.isArray(records)) throw new Error('tensor-cache.json has no "records" list');
  for (const r of records) {
    if (typeof r?.dataPath !== 'string' || !Number.isSafeInteger(r?.nbytes) || r.nbytes < 0)
      throw new Error('tensor-cache.json has a record without dataPath or nbytes');
    for (const t of Array.isArray(r.records) ? (r.records as { byteOffset?: unknown; nbytes?: unknown }[]) : []) {
      const at = t?.byteOffset;
      const n = t?.nbytes;
      if (
        !Number.isSafeInteger(at) ||
        !Number.isSafeInteger(n) ||
        (at as number) < 0 ||
        (n as number) < 0 ||
        (at as number) + (n as number) > r.nbytes
      ) {
        throw new Error(`tensor-cache.json has a tensor outside ${r.dataPath}`);
      }
    }
  }
  return { records: records as TensorCacheManifest['records'] };
}

/**
 * The fields of mlc-model-manifest.json WebLLM uses to find files, with the checks its parser makes
 * on them (schema, version, the two fixed file names). The interface_id hash is checked by the caller.
 */
export function parsePackage(json: unknown): ModelPackage {
  const o = json as Record<string, unknown> | null;
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new Error('mlc-model-manifest.json is not an object');
  if (o.schema !== 'mlc.model-package') throw new Error('mlc-model-manifest.json is not an "mlc.model-package"');
  if (o.schema_version !== 1) throw new Error(`mlc-model-manifest.json has unsupported schema_version ${String(o.schema_version)}`);
  const chatConfig = o.chat_config ?? 'mlc-chat-config.json';
  if (chatConfig !== 'mlc-chat-config.json') throw new Error('mlc-model-manifest.json names another chat config than mlc-chat-config.json');
  const weights = o.weights as { manifest?: unknown } | undefined;
  if (weights?.manifest !== 'tensor-cache.json')
    throw new Error('mlc-model-manifest.json names another weight manifest than tensor-cache.json');
  if (typeof o.interface_id !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(o.interface_id))
    throw new Error('mlc-model-manifest.json has no valid interface_id');
  if (!o.tasks || typeof o.tasks !== 'object') throw new Error('mlc-model-manifest.json has no tasks');
  return { chatConfig, tensorCache: weights.manifest, interfaceId: o.interface_id, tasks: o.tasks };
}

/** MLC's canonical JSON (sorted keys, no spaces, undefined dropped): interface_id = sha256 of it over {tasks}. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The one tokenizer file reload reads: tokenizer.json when tokenizer_files (of the config merged
 * with the record's overrides) lists it, else tokenizer.model; others are never read.
 */
export function tokenizerFileOf(config: unknown, overrides?: Record<string, unknown>): string | undefined {
  const merged = { ...(config as Record<string, unknown>), ...overrides };
  const files = Array.isArray(merged.tokenizer_files) ? (merged.tokenizer_files as unknown[]) : [];
  if (files.includes('tokenizer.json')) return 'tokenizer.json';
  if (files.includes('tokenizer.model')) return 'tokenizer.model';
  return undefined;
}
