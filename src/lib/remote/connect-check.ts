// Would the browser refuse a fetch from this page to a remote server? Two rules stop it before the
// request leaves: mixed content (an https page calling plain http, loopback excepted) and the page's
// Content-Security-Policy connect-src (lib/csp.ts; build-time extras from AIRGAP_CONNECT_SRC). Both
// fail as an opaque "Failed to fetch", so the settings say why in words before the user wonders.
// Source matching follows CSP Level 3 (§6.7.2.8 "Does url match expression in origin") as Chromium does.

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443 };

/** Schemes `*` stands for, besides the page's own. */
const NETWORK_SCHEMES = new Set(['http', 'https', 'ws', 'wss']);

/** A source's scheme also allows its secure upgrade (CSP3 "scheme-part match"). */
const SCHEME_UPGRADES: Record<string, string[]> = { http: ['https'], ws: ['wss', 'http', 'https'], wss: ['https'] };

// scheme-source (`https:`) and host-source (`[scheme://]host[:port][/path]`) from the CSP grammar.
const SCHEME_SOURCE = /^([a-z][a-z0-9+.-]*):$/i;
const HOST_SOURCE = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*|(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\*|\d+))?(\/[^?#]*)?$/i;

interface Target {
  scheme: string;
  host: string;
  /** The effective port: the URL's, or its scheme's default. */
  port: number;
  /** Whether the URL named no port (it is its scheme's default). */
  defaultPort: boolean;
  path: string;
}

function target(url: URL): Target {
  const scheme = url.protocol.slice(0, -1);
  const port = url.port === '' ? (DEFAULT_PORTS[scheme] ?? 0) : Number(url.port);
  return { scheme, host: url.hostname, port, defaultPort: url.port === '', path: url.pathname };
}

const schemeMatches = (source: string, scheme: string) => source === scheme || SCHEME_UPGRADES[source]?.includes(scheme) === true;

function hostMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith('*')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

/** A missing port is the default of the source's scheme (Chromium: none for a source without a scheme). */
function portMatches(sourcePort: string | undefined, sourceScheme: string | undefined, to: Target): boolean {
  if (sourcePort === '*') return true;
  if (sourcePort === undefined && to.defaultPort) return true;
  // Stryker disable next-line StringLiteral: any key that is not a scheme has no default port
  const port = sourcePort === undefined ? DEFAULT_PORTS[sourceScheme ?? ''] : Number(sourcePort);
  // An http source's port 80 also allows the https upgrade's 443.
  return port === to.port || (port === 80 && to.port === 443);
}

/** A path without a trailing "/" names one resource; with one, everything under it. */
function pathMatches(path: string | undefined, urlPath: string): boolean {
  if (path === undefined) return true;
  return path.endsWith('/') ? urlPath.startsWith(path) : path === urlPath;
}

function selfMatches(page: Target, to: Target): boolean {
  if (page.host !== to.host) return false;
  if (page.scheme === to.scheme && page.port === to.port) return true;
  const ports = page.port === to.port || (page.defaultPort && to.defaultPort);
  return ports && (to.scheme === 'https' || to.scheme === 'wss' || (page.scheme === 'http' && to.scheme === 'ws'));
}

function sourceMatches(source: string, page: Target, to: Target): boolean {
  // Keywords, schemes and hosts are case-insensitive; paths are not.
  const expr = source.toLowerCase();
  if (expr === '*') return NETWORK_SCHEMES.has(to.scheme) || to.scheme === page.scheme;
  if (expr === "'self'") return selfMatches(page, to);
  const scheme = SCHEME_SOURCE.exec(expr);
  if (scheme) return schemeMatches(scheme[1]!, to.scheme);
  const host = HOST_SOURCE.exec(source);
  if (!host) return false; // 'none', other keywords, nonces and hashes allow no URL
  const [, givenScheme, hostPart, port, path] = host;
  const sourceScheme = givenScheme?.toLowerCase();
  if (!schemeMatches(sourceScheme ?? page.scheme, to.scheme)) return false;
  return hostMatches(hostPart!.toLowerCase(), to.host) && portMatches(port, sourceScheme, to) && pathMatches(path, to.path);
}

/** The source list of a directive, by its (case-insensitive) name; the first occurrence wins. */
export function directiveSources(policy: string, name: string): string[] | undefined {
  for (const directive of policy.split(';')) {
    const [directiveName, ...sources] = directive.trim().split(/\s+/);
    if (directiveName!.toLowerCase() === name) return sources;
  }
  return undefined;
}

const isLoopback = (host: string) =>
  host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/**
 * Why the browser would refuse a fetch from a page at `pageOrigin` under `policy` (the page's CSP, if
 * any) to `url`, in a sentence; undefined when it would let it through. Pass a URL the app will
 * request (e.g. `${base}/models`): CSP paths match whole paths. A URL that does not parse has no answer here.
 */
export function connectBlockReason(policy: string | undefined, url: string, pageOrigin: string): string | undefined {
  let parsed: URL;
  let page: URL;
  try {
    parsed = new URL(url);
    page = new URL(pageOrigin);
  } catch {
    return undefined;
  }
  const to = target(parsed);
  if (page.protocol === 'https:' && to.scheme === 'http' && !isLoopback(to.host)) {
    return (
      `This app is served over https, so the browser will not let it call the http server at ${parsed.origin}; ` +
      'serve the server over https (or open the app over http on your own network).'
    );
  }
  if (policy === undefined) return undefined;
  const sources = directiveSources(policy, 'connect-src') ?? directiveSources(policy, 'default-src');
  if (sources === undefined || sources.some((s) => sourceMatches(s, target(page), to))) return undefined;
  const refused = `This app's security policy only lets it connect to the servers it was built for, and ${parsed.origin} is not one of them: `;
  // CSP has no form for an IPv6 address (Chrome ignores one in a policy), so AIRGAP_CONNECT_SRC cannot help.
  if (to.host.startsWith('['))
    return `${refused}a security policy cannot name an IPv6 address, so use the server's host name (localhost for this machine).`;
  return `${refused}build and serve the app with AIRGAP_CONNECT_SRC="${parsed.origin}" (README, "Remote servers").`;
}
