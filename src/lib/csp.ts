// The app's Content-Security-Policy, one source for the <meta> tag in the built index.html and the
// HTTP headers `vite preview` (npm start) sends. No inline or remote script; WebAssembly allowed
// (WebLLM compiles model libraries); images only from the app, data: and blob: (model output never
// loads remote images); connections only to the app, WebLLM's default model hosts and this machine
// (local mirrors, the test model servers on random ports). Extra model hosts: AIRGAP_CONNECT_SRC.

/** Where WebLLM's built-in models come from: weights (Hugging Face and its CDNs) and model libraries. */
export const MODEL_HOSTS = ['https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co', 'https://raw.githubusercontent.com'];
/** Model sources on this machine, any port. (CSP has no valid form for the IPv6 loopback `[::1]`: Chrome ignores it and logs an error.) */
export const LOOPBACK = ['http://127.0.0.1:*', 'http://localhost:*'];

export function cspDirectives(extraConnect: readonly string[] = []): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    // Styles cannot run code; what CSS could fetch is bounded by img-src and font-src.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...MODEL_HOSTS, ...LOOPBACK, ...extraConnect],
    'worker-src': ["'self'"],
    'manifest-src': ["'self'"],
    'frame-src': ["'none'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
  };
}

/** Directives a <meta> policy ignores; only the HTTP header can carry them. */
const HEADER_ONLY = { 'frame-ancestors': ["'none'"] };

export function cspString(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');
}

export function metaPolicy(extraConnect: readonly string[] = []): string {
  return cspString(cspDirectives(extraConnect));
}

export function headerPolicy(extraConnect: readonly string[] = []): string {
  return cspString({ ...cspDirectives(extraConnect), ...HEADER_ONLY });
}

/** Hosts from AIRGAP_CONNECT_SRC (space-separated CSP sources such as https://models.example.org). */
export function extraConnectSources(env: string | undefined): string[] {
  return (env ?? '').split(/\s+/).filter((s) => /^(https?:\/\/[^\s;,'"]+|'self')$/.test(s));
}
