// Which addresses in model output may become links: http(s) and mailto only. Everything else
// (javascript:, data:, vbscript:, relative paths that would resolve against the app) is dropped.

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The address when it is an absolute http(s) or mailto URL, else undefined. */
export function safeHref(href: string | null | undefined): string | undefined {
  if (!href) return undefined;
  // Browsers strip control characters and whitespace inside schemes ("java\tscript:"); so does URL.
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return undefined;
  }
  return SAFE_PROTOCOLS.has(url.protocol) ? url.href : undefined;
}

/** The host an http(s) address points to, for saying where a blocked image is from. */
export function remoteHost(href: string | null | undefined): string | undefined {
  const safe = safeHref(href);
  if (!safe) return undefined;
  const url = new URL(safe);
  return url.protocol === 'mailto:' ? undefined : url.host;
}
