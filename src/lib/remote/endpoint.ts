// A remote inference server as the user added it: the settings store these (on this device only),
// the page sends them to the engine worker, which lists and calls them. The models it listed last
// are kept, so that when it cannot be reached its models are still shown, as unavailable.

/** One model a server listed, as remembered from its last listing. */
export interface RemoteModelInfo {
  id: string;
  /** Its context window when the server says (vLLM's max_model_len). */
  contextWindow?: number;
}

export interface RemoteEndpoint {
  /** Stable and short: it is part of every catalog id of its models (no "/"). */
  id: string;
  /** Canonical base URL (lib/remote/ids.ts normaliseBaseUrl), e.g. http://gpu-server:8000/v1. */
  baseUrl: string;
  /** Sent only to this server, as a Bearer token; never logged or exported. */
  apiKey?: string;
  /** What the user calls it; the host when they gave no name. */
  label: string;
  /** What the server listed last time it answered. */
  models?: RemoteModelInfo[];
}

/** How a server answered its latest listing. */
export interface RemoteStatus {
  id: string;
  /** The models it lists now (empty when it could not be reached). */
  models: RemoteModelInfo[];
  /** Why it could not be listed, in words. */
  error?: string;
  /** The error's class name (RemoteUnreachableError, RemoteAuthError, …). */
  errorName?: string;
}
