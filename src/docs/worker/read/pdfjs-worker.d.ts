// PDF.js ships no types for its worker module; it is imported only for its side effect.
declare module 'pdfjs-dist/build/pdf.worker.mjs';
