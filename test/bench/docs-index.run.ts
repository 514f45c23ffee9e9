// Indexing a 300-page PDF (made here with pdf-lib) in the documents worker's code, keyword index
// only: time per phase and peak memory (Node, PDF.js's legacy build, fake IndexedDB); then the
// keyword search's cost and recall with MiniSearch's prefix and fuzzy matching off, light and on.
import 'fake-indexeddb/auto';
import { expect, test, vi } from 'vitest';
import { createRng } from '../../src/lib/rng';
import { fileOf, makePdf } from '../e2e/fixtures/documents';
import { createDocsHandlers } from '../../src/docs/worker/handler';
import { KeywordIndex } from '../../src/docs/worker/keyword-index';
import { DocStore } from '../../src/docs/worker/store';

vi.mock('../../src/docs/worker/read/pdfjs', () => import('../e2e/fixtures/documents'));

const PAGES = 300;
const LINES = 40;
const WORDS =
  'contract payment tenant deposit clause termination notice period liability insurance invoice amount due date schedule ' +
  'delivery warranty repair supplier customer agreement party obligation breach remedy damages court jurisdiction law ' +
  'confidential information disclosure employee salary bonus holiday leave report budget forecast revenue cost margin';
const VOCAB = WORDS.split(' ');

function pageLines(rng: () => number, page: number): string[] {
  return Array.from(
    { length: LINES },
    (_, l) => Array.from({ length: 12 }, () => VOCAB[Math.floor(rng() * VOCAB.length)]).join(' ') + (l === 0 ? ` section${page}` : ''),
  );
}

const MB = 1024 * 1024;

test('indexing a 300-page PDF, and keyword search options', async () => {
  const rng = createRng(13);
  const pdf = await makePdf(Array.from({ length: PAGES }, (_, p) => pageLines(rng, p + 1)));
  const h = createDocsHandlers();
  global.gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 5);
  const t0 = performance.now();
  let readMs = 0;
  const [doc] = await h.add({ collection: 'named:bench', files: [fileOf('report.pdf', pdf)] }, (e) => {
    sample();
    if (e.state === 'indexing' && !readMs) readMs = performance.now() - t0;
  });
  const totalMs = performance.now() - t0;
  clearInterval(timer);
  expect(doc).toMatchObject({ state: 'ready', pages: PAGES });

  console.log(
    `\n| indexing a ${PAGES}-page PDF (${(pdf.length / MB).toFixed(1)} MB, ${doc!.chars} chars, ${doc!.passages} passages) | value |\n|---|---:|`,
  );
  console.log(`| reading (PDF.js text layer) | ${readMs.toFixed(0)} ms |`);
  console.log(`| splitting, storing, keyword index | ${(totalMs - readMs).toFixed(0)} ms |`);
  console.log(`| total | ${totalMs.toFixed(0)} ms |`);
  console.log(`| peak RSS above start | ${((peakRss - base.rss) / MB).toFixed(0)} MB |`);
  console.log(`| peak JS heap above start | ${((peakHeap - base.heapUsed) / MB).toFixed(0)} MB |`);

  // A fresh index loaded from storage, as after a restart.
  const t1 = performance.now();
  const index = new KeywordIndex(new DocStore());
  await index.search('named:bench', 'warm up');
  const loadMs = performance.now() - t1;
  const store = new DocStore();
  const passages = await store.passages(doc!.id);
  const pageOf = (id: string | undefined) => (id ? passages[Number(id.split('#')[1])]?.page : undefined);
  // A question naming a page's marker word, written right and with one letter swapped.
  const pages = Array.from({ length: 50 }, (_, i) => 1 + ((i * 37) % PAGES));
  const kinds = {
    'written right': (p: number) => `${VOCAB[p % VOCAB.length]} ${VOCAB[(p * 7) % VOCAB.length]} section${p}`,
    'with a typo': (p: number) => `${VOCAB[p % VOCAB.length]} ${VOCAB[(p * 7) % VOCAB.length]} setcion${p}`,
  };
  const options = {
    exact: { prefix: false, fuzzy: false },
    prefix: { prefix: true, fuzzy: false },
    'fuzzy 0.2 (used)': { prefix: false, fuzzy: 0.2 },
    'prefix + fuzzy 0.2': { prefix: true, fuzzy: 0.2 },
  } as const;
  // Warm-up: the first option timed would otherwise pay for the JIT.
  for (const o of Object.values(options)) for (const p of pages) await index.search('named:bench', kinds['with a typo'](p), o);
  console.log(
    `\n| keyword search, ${doc!.passages} passages (index loaded in ${loadMs.toFixed(0)} ms) | query | ms per query | right page first |\n|---|---|---:|---:|`,
  );
  for (const [name, o] of Object.entries(options)) {
    for (const [kind, make] of Object.entries(kinds)) {
      const tops: (string | undefined)[] = [];
      const t = performance.now();
      for (const p of pages) tops.push((await index.search('named:bench', make(p), { ...o, combineWith: 'OR' }))[0]?.id);
      const ms = (performance.now() - t) / pages.length;
      const right = tops.filter((id, i) => pageOf(id) === pages[i]).length;
      console.log(`| ${name} | ${kind} | ${ms.toFixed(2)} | ${right}/${pages.length} |`);
    }
    // A long chat message used whole as the query.
    const long = Array.from({ length: 200 }, (_, i) => `${VOCAB[(i * 5) % VOCAB.length]}${i % 3 ? '' : 's'}`).join(' ');
    const t = performance.now();
    for (let i = 0; i < 5; i++) await index.search('named:bench', long, { ...o, combineWith: 'OR' });
    console.log(`| ${name} | a 200-word message | ${((performance.now() - t) / 5).toFixed(2)} | — |`);
  }
});
