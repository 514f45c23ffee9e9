// Reading a file the person chose for import, on the page: refused by size before it is read
// (MAX_IMPORT_BYTES), then parsed and checked by lib/conversation-import.ts. A refusal's reason
// starts with the file's name, so the banner says which file and what in it was wrong.

import { importSizeProblem, parseImport, type ImportResult } from '../lib/conversation-import';

export async function readImportFile(file: File): Promise<ImportResult> {
  const refuse = (reason: string): ImportResult => ({ ok: false, reason: `${JSON.stringify(file.name)}: ${reason}` });
  const tooBig = importSizeProblem(file.size);
  if (tooBig) return refuse(tooBig);
  const text = await file.text().catch(() => undefined);
  if (text === undefined) return refuse('the file could not be read');
  const parsed = parseImport(text, file.size);
  return parsed.ok ? parsed : refuse(parsed.reason);
}
