// Error classes shared by page and worker. Errors cross the worker boundary as {name, message,
// cause} and are rebuilt here into named classes, each with a message meant for the user, so the
// UI branches on classes, never on strings. Foreign errors (WebLLM's, which it does not export, and
// the DOM's QuotaExceededError) are recognised by name here and nowhere else.

import type { SerializedError } from './protocol';

export class AirgapError extends Error {
  override name = 'AirgapError';
  /** What to tell the user. */
  get userMessage(): string {
    return this.message;
  }
}

type ErrorClass = new (message?: string, options?: ErrorOptions) => AirgapError;
/** The name in the instance type keeps kinds apart for the type checker (`instanceof` narrows). */
type KindClass<N extends string> = new (message?: string, options?: ErrorOptions) => AirgapError & { readonly name: N };

/** Each failure kind is a class of its own (`instanceof`, and `name` crosses the worker boundary);
 *  all that differs between kinds is the name and what the user is told, given the detail. */
function defineErrors<K extends string>(userMessages: Record<K, ((detail: string) => string) | null>): { [N in K]: KindClass<N> } {
  const classes = {} as { [N in K]: KindClass<N> };
  for (const name of Object.keys(userMessages) as K[]) {
    const tell = userMessages[name];
    const Cls = class extends AirgapError {
      override name = name;
      override get userMessage(): string {
        return tell ? tell(this.message) : this.message;
      }
    };
    Object.defineProperty(Cls, 'name', { value: name });
    classes[name] = Cls as KindClass<typeof name>;
  }
  return classes;
}

const KINDS = defineErrors({
  WebGPUUnavailableError: () =>
    'This browser does not offer WebGPU, which Airgap needs to run models on your GPU. Use a recent Chrome or Edge on desktop (113 or later) or Chrome on Android (121 or later).',
  EngineCrashedError: () => 'The engine stopped unexpectedly. Your conversation is safe: restart the engine to continue.',
  ModelNotLoadedError: () => 'No model is loaded yet. Choose a model and press Load, then send your message again.',
  UnknownModelError: null,
  ModelLoadError: (detail) => `The model could not be loaded: ${detail}`,
  DeviceLostError: () =>
    'The GPU device was lost, most often because the model or its context did not fit in GPU memory. Try a smaller model or a smaller context window.',
  ShaderF16UnsupportedError: () =>
    'This model needs the WebGPU feature shader-f16, which this GPU or browser does not offer. Choose the q4f32 variant of the same model.',
  ContextWindowExceededError: () =>
    "The conversation no longer fits in the model's context window. Start a new conversation or load the model with a larger context.",
  /** The prompt cannot be fitted into the context window (our own words: lib/context-fit.ts). */
  ContextFitError: (detail) => detail,
  EngineBusyError: () => 'The engine is busy with another request. Wait for it to finish or press Stop.',
  StorageFullError: (detail) =>
    `The browser ran out of storage while saving the model (${detail}). Nothing half-written was kept. Free space (delete other models in Storage) or ask for persistent storage, then resume.`,
  /** A download would not fit the storage quota; the message carries the figures. */
  QuotaPreflightError: (detail) => `This download will probably not fit: ${detail}. Free space first, or download anyway.`,
  DownloadError: (detail) => `The download failed: ${detail}. Files already complete are kept; resume to continue.`,
  ModelSourceError: (detail) => `The model source could not be added: ${detail}.`,
  /** A request failed with no answer while the browser says it is offline. */
  OfflineError: () =>
    'You are offline. Stored (offline-ready) models still work; downloading a model needs the network. Reconnect, then try again.',
  /** A request failed with no answer while online; the detail names the host. */
  HostUnreachableError: (detail) =>
    `${detail}. Check your internet connection, that no firewall, proxy or content blocker stops requests to it, and, for a custom model source, that the server is up and allows cross-origin requests. Then try again.`,
  /** A conversations file was refused; the detail names the file, and the conversation, message and field at fault. */
  ImportError: (detail) => `Nothing was imported (your conversations are unchanged): ${detail}.`,
  /** A model could not be written as a bundle file; the detail says why (e.g. which files are missing). */
  BundleExportError: (detail) => `The model was not exported: ${detail}.`,
  /** A bundle or model folder was refused; the detail says why. */
  ModelImportError: (detail) => `The model was not imported: ${detail}. Nothing of it was kept.`,
  EngineError: null,
  // A remote (OpenAI-compatible) inference server; each detail names the server and what it answered.
  /** 401/403: the server refused the API key (or wants one). */
  RemoteAuthError: (detail) =>
    `${detail}. The server refused the API key: check the key saved for this server in Settings (or add one if the server needs it).`,
  /** 404: the server does not serve this model (any more). */
  RemoteModelError: (detail) => `${detail}. The server does not serve this model: refresh its model list and choose another.`,
  /** 429: the server asked to wait longer than the app waits on its own, or kept refusing; the detail says how long. */
  RemoteRateLimitError: (detail) => `${detail}. The server is handling too many requests: try again later.`,
  /** 5xx: the server failed, or was unavailable, after the retries. */
  RemoteServerError: (detail) => `${detail}. The server failed on its side: try again, or tell its administrator.`,
  /** Another 4xx: the server refused the request itself (its own words in the detail). */
  RemoteRequestError: (detail) => `The server refused the request: ${detail}.`,
  /** No answer: the host is down or unreachable, or it refused this app's origin (CORS); the browser cannot tell which. */
  RemoteUnreachableError: (detail) =>
    `${detail}. Either the server is down or not reachable from this device (check the URL, the network, a VPN), or it does not allow requests from this app's address (CORS): the browser cannot tell which. README, "Remote servers and CORS", gives the flag that allows it for vLLM, llama-server, Ollama and LM Studio.`,
  /** The reply stream broke off or carried something unreadable; what arrived is kept. */
  RemoteStreamError: (detail) => `The reply was cut off: ${detail}. What arrived is kept.`,
  // Private documents (src/docs/): the detail names the file and what was wrong with it.
  /** A file could not be read (empty, too large, malformed, of a type not read); nothing of it was kept. */
  DocumentReadError: (detail) => `${detail}. Nothing of this file was kept; your other documents are unchanged.`,
  DocumentsCrashedError: () => 'The documents worker stopped unexpectedly. Your stored documents are safe: try again.',
  /** Any other failure of the documents worker (storage, a bad call). */
  DocumentsError: (detail) => `The documents could not be updated: ${detail}.`,
});

export const {
  WebGPUUnavailableError,
  EngineCrashedError,
  ModelNotLoadedError,
  UnknownModelError,
  ModelLoadError,
  DeviceLostError,
  ShaderF16UnsupportedError,
  ContextWindowExceededError,
  ContextFitError,
  EngineBusyError,
  StorageFullError,
  QuotaPreflightError,
  DownloadError,
  ModelSourceError,
  OfflineError,
  HostUnreachableError,
  ImportError,
  BundleExportError,
  ModelImportError,
  EngineError,
  RemoteAuthError,
  RemoteModelError,
  RemoteRateLimitError,
  RemoteServerError,
  RemoteRequestError,
  RemoteUnreachableError,
  RemoteStreamError,
  DocumentReadError,
  DocumentsCrashedError,
  DocumentsError,
} = KINDS;
/** Signatures that name a kind use its instance type. */
export type EngineCrashedError = InstanceType<typeof EngineCrashedError>;
export type DownloadError = InstanceType<typeof DownloadError>;
export type RemoteStreamError = InstanceType<typeof RemoteStreamError>;
export type RemoteUnreachableError = InstanceType<typeof RemoteUnreachableError>;
export type DocumentsCrashedError = InstanceType<typeof DocumentsCrashedError>;

const BY_NAME: Record<string, ErrorClass> = {
  ...KINDS,
  QuotaExceededError: StorageFullError,
  // WebLLM does not export its error classes (WebLLM 0.2.86 error.ts), so its names are matched here
  // and nowhere else.
  WebGPUNotAvailableError: WebGPUUnavailableError,
  WebGPUNotFoundError: WebGPUUnavailableError,
  ShaderF16SupportError: ShaderF16UnsupportedError,
  ContextWindowSizeExceededError: ContextWindowExceededError,
  ModelNotFoundError: UnknownModelError,
  WorkerEngineModelNotLoadedError: ModelNotLoadedError,
};

/** How a fetch that got no answer rejects: Chromium, Firefox, Safari, Node (undici). */
const FETCH_FAILURE = /^(Failed to fetch|NetworkError when attempting to fetch resource\.?|Load failed|fetch failed)$/;

/** A fetch rejected without any answer (offline, DNS, refused, CORS): never an HTTP status. */
export function isNetworkFailure(err: unknown): boolean {
  return err instanceof Error && err.name === 'TypeError' && FETCH_FAILURE.test(err.message);
}

/** `navigator.onLine` of this context (page or worker); undefined where there is none (Node). */
const onLine = (): boolean | undefined => (typeof navigator === 'undefined' ? undefined : navigator.onLine);

/** What a network failure means for the user: offline, or which host did not answer. */
export function networkError(url: string | undefined, online = onLine()): AirgapError {
  if (online === false) return new OfflineError('network request while offline');
  let host = 'The model host';
  try {
    if (url) host = new URL(url).host;
  } catch {
    // Not a URL: the generic wording stays.
  }
  return new HostUnreachableError(`${host} could not be reached`);
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `${err.cause.name}: ${err.cause.message}` : undefined;
    return cause ? { name: err.name, message: err.message, cause } : { name: err.name, message: err.message };
  }
  return { name: 'EngineError', message: String(err) };
}

export function rehydrateError(e: SerializedError): AirgapError {
  // A raw fetch failure that crossed without a URL: still said in words, never "Failed to fetch".
  if (e.name === 'TypeError' && FETCH_FAILURE.test(e.message)) return networkError(undefined);
  const Cls = BY_NAME[e.name] ?? EngineError;
  const err = new Cls(e.message);
  if (e.cause) err.cause = e.cause;
  return err;
}

/** The browser refused to store more: DOMException has no subclasses, so its name is all there is. */
export function isQuotaExceeded(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'QuotaExceededError';
}

/** Any thrown value as an AirgapError (same-context errors pass through unchanged). */
export function toAirgapError(err: unknown): AirgapError {
  return err instanceof AirgapError ? err : rehydrateError(serializeError(err));
}
