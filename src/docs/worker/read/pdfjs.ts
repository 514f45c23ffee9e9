// Loads PDF.js for the documents worker, run in this worker's own thread: importing its worker
// module sets `globalThis.pdfjsWorker`, so getDocument uses it in place of starting a sub-worker
// (one worker per page of the app is enough, and a sub-worker URL would need its own chunk).
// Node tests replace this module with PDF.js's legacy build (the modern one needs DOMMatrix).

export async function loadPdfjs(): Promise<typeof import('pdfjs-dist')> {
  await import('pdfjs-dist/build/pdf.worker.mjs');
  return import('pdfjs-dist');
}
