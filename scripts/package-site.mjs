#!/usr/bin/env node
// `npm run package -- [--out <dir>] [--no-build] <bundle.airgap.tar | model folder>...`: the app
// (dist/) and the given models in one folder for a site's own static server. Models go where
// WebLLM fetches them from the same origin (scripts/site/layout.mjs); airgap-site.json tells the
// app, at start, to offer them. Everything is written to a temporary sibling folder and renamed
// into place at the end, so a failure (a damaged bundle, a failed build) leaves no output.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyBundle } from './site/copy-bundle.mjs';
import { copyFolder } from './site/copy-folder.mjs';
import { APP_CONFIG, SITE_FILE, appConfig, appConfigEntry, siteFile } from './site/layout.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = 'usage: npm run package -- [--out <dir>] [--no-build] [--dist <dir>] <bundle.airgap.tar | model folder>...';

export function parseArgs(argv) {
  const opts = { out: 'airgap-site', build: true, dist: join(ROOT, 'dist'), inputs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out' || a === '--dist') {
      if (!argv[i + 1]) throw new Error(`${a} needs a folder`);
      opts[a.slice(2)] = argv[++i];
    } else if (a === '--no-build') opts.build = false;
    else if (a === '--help' || a === '-h') return { help: USAGE };
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}\n${USAGE}`);
    else opts.inputs.push(a);
  }
  if (opts.inputs.length === 0) throw new Error(`name at least one model bundle or model folder\n${USAGE}`);
  return opts;
}

/** A folder this command may replace: absent, empty, or one it made before (it has the site file). */
async function checkOut(out) {
  if (!existsSync(out)) return;
  const names = await readdir(out).catch(() => {
    throw new Error(`${out} exists and is not a folder`);
  });
  if (names.length && !names.includes(SITE_FILE)) throw new Error(`${out} exists and was not made by this command; choose another --out`);
}

function build() {
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('vite build failed');
}

/** Lays out the models, then the app, in a temporary folder; renames it to `out` when all is done. */
export async function packageSite(opts, log = (line) => console.log(line)) {
  const out = resolve(opts.out);
  await checkOut(out);
  await mkdir(dirname(out), { recursive: true });
  const tmp = await mkdtemp(join(dirname(out), `.${basename(out)}.partial-`));
  try {
    const libs = new Map();
    const ids = new Set();
    const entries = [];
    for (const input of opts.inputs) {
      const isDir = (await stat(input).catch(() => undefined))?.isDirectory();
      if (isDir === undefined) throw new Error(`${input}: no such file or folder`);
      const { record, libFile } = isDir ? await copyFolder(input, tmp, libs) : await copyBundle(input, tmp, libs);
      if (ids.has(record.model_id)) throw new Error(`${input}: the model ${record.model_id} is given twice`);
      ids.add(record.model_id);
      entries.push(appConfigEntry(record, libFile));
      log(`  ${record.model_id}: checked and copied`);
    }
    if (opts.build) build();
    if (!existsSync(join(opts.dist, 'index.html'))) throw new Error(`${opts.dist} holds no built app (run without --no-build)`);
    await cp(opts.dist, tmp, { recursive: true });
    await writeFile(join(tmp, APP_CONFIG), `${JSON.stringify(appConfig(entries), null, 2)}\n`);
    await writeFile(join(tmp, SITE_FILE), `${JSON.stringify(siteFile(), null, 2)}\n`);
    if (existsSync(out)) await rm(out, { recursive: true });
    await rename(tmp, out);
    log(`${out}: the app and ${entries.length} model${entries.length === 1 ? '' : 's'}; serve this folder as the site's root`);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    if (opts.help) console.log(opts.help);
    else await packageSite(opts);
  } catch (err) {
    console.error(`npm run package: ${err.message}`);
    process.exitCode = 1;
  }
}
