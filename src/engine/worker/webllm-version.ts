// The pinned WebLLM version, injected at build time from its package.json (see vite.config.ts) so
// that naming it never loads the 6 MB bundle.
declare const __WEBLLM_VERSION__: string;

export const WEBLLM_VERSION: string = __WEBLLM_VERSION__;
