// The site file: a same-origin airgap-site.json (written by `npm run package` beside the app)
// that names the model sources the site's own server offers. The app reads it at start and
// offers those sources with no configuration. Only sources on the app's own origin count: the
// file can point the app at the site's models, never at another host. Pure.

/** The site file's name, beside index.html. scripts/site/layout.mjs writes it (a test checks the two agree). */
export const SITE_FILE = 'airgap-site.json';

/** Where the site file of the app page at `pageUrl` is: beside the page (the app is one page, index.html). */
export function siteFileUrl(pageUrl: string): string {
  return new URL(SITE_FILE, pageUrl).href;
}

/** The site file's sources as absolute URLs; throws when it is not a site file. */
export function parseSiteFile(json: unknown, fileUrl: string): string[] {
  const list = (json as { modelSources?: unknown } | null)?.modelSources;
  if (!Array.isArray(list)) throw new Error('the site file has no "modelSources" list');
  const origin = new URL(fileUrl).origin;
  const urls: string[] = [];
  for (const s of list) {
    if (typeof s !== 'string' || !s.trim()) continue;
    const url = new URL(s, fileUrl);
    if (url.origin === origin && !urls.includes(url.href)) urls.push(url.href);
  }
  return urls;
}
