// Where `npm run package` puts each model file in the site folder, and the two JSON files the app
// reads there: airgap-site.json (the site's model sources, read by the app at start) and
// models/app-config.json (a WebLLM-format app config). Model URLs are relative to the app config,
// so the folder works under any host name; WebLLM adds "resolve/main/" to a model URL, so files go
// under models/<model_id>/resolve/main/<key>, libraries under models/libs/<file>. Pure.

/** The site file's name; the app's copy of it is src/lib/site.ts's SITE_FILE (checked by a test). */
export const SITE_FILE = 'airgap-site.json';
export const APP_CONFIG = 'models/app-config.json';
const RESERVED_IDS = new Set(['libs', 'app-config.json']);

/** A model id names a folder: one path segment, nothing a file system or URL would read otherwise. */
export function checkModelId(id) {
  if (typeof id !== 'string' || !id || id === '.' || id === '..' || /[/\\\0]/.test(id) || RESERVED_IDS.has(id))
    throw new Error(`the model id "${id}" cannot name a folder on the site`);
  return id;
}

export const modelFilePath = (modelId, key) => `models/${checkModelId(modelId)}/resolve/main/${key}`;
export const libPath = (lib) => `models/libs/${lib}`;

const encodePath = (p) => p.split('/').map(encodeURIComponent).join('/');

/** The model's record in the site's app config: its own fields, with locations on this site. */
export function appConfigEntry(record, libFile) {
  return {
    ...record,
    model_id: checkModelId(record.model_id),
    // "./" keeps an id such as "a:b" from reading as a URL scheme.
    model: `./${encodeURIComponent(record.model_id)}/`,
    model_lib: `./libs/${encodePath(libFile)}`,
  };
}

export const appConfig = (entries) => ({ model_list: entries });

/** The site file: the app adds these sources (relative to the site file) as the site's own. */
export const siteFile = () => ({ modelSources: [APP_CONFIG] });
