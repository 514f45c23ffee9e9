import { describe, expect, it } from 'vitest';
import { ROOT, UNTITLED, type Conversation, type Message } from './conversation';
import { EXPORT_VERSION, exportJson } from './conversation-export';
import { cleanSelection } from './branches';
import { MAX_IMPORT_BYTES, importSizeProblem, parseImport } from './conversation-import';

const msg = (id: string, extra: Partial<Message> = {}): Message => ({
  id,
  role: 'user',
  content: `text ${id}`,
  state: 'done',
  createdAt: 1,
  ...extra,
});

function tree(): Conversation {
  return {
    id: 'c1',
    title: 'Trip',
    createdAt: 1,
    updatedAt: 5,
    messages: [
      msg('u1'),
      msg('a1', {
        role: 'assistant',
        parentId: 'u1',
        modelId: 'm',
        finishReason: 'length',
        draftSpans: [
          [0, 2],
          [2, 2],
        ],
      }),
      msg('a2', {
        role: 'assistant',
        parentId: 'u1',
        stats: { promptTokens: 1, completionTokens: 2, prefillTokensPerSecond: 3, decodeTokensPerSecond: 4 },
        spec: { used: 'prompt-lookup', drafted: 4, accepted: 3, targetPasses: 2, passTokens: 5, reason: 'r' },
      }),
      msg('u2', { parentId: 'a1', state: 'error', error: 'boom' }),
    ],
    selected: { [ROOT]: 'u1', u1: 'a1', a1: 'u2' },
    settings: { systemPrompt: 'Be brief', temperature: 0.5, topP: 0.9, maxTokens: 64 },
    titleByUser: true,
  };
}

/** A file holding `conversations` (plain objects, possibly broken on purpose). */
function file(conversations: unknown[], top: Record<string, unknown> = {}): string {
  return JSON.stringify({ format: 'airgap-conversations', version: 1, exportedAt: '2026-01-01T00:00:00.000Z', conversations, ...top });
}
const parse = (text: string) => parseImport(text, text.length);
function reason(text: string): string {
  const r = parse(text);
  if (r.ok) throw new Error('expected a refusal');
  return r.reason;
}
/** A JSON object of any shape, to break on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

/** The tree with one change applied to a plain copy. */
function broken(change: (c: Loose) => void): string {
  const c = structuredClone(tree()) as unknown as Loose;
  change(c);
  return file([c]);
}

describe('import: what is accepted', () => {
  it('reads back exactly what export wrote: the whole tree, selection and settings', () => {
    const r = parse(exportJson([tree()], 0));
    expect(r).toEqual({ ok: true, conversations: [tree()] });
  });

  it('drops unknown fields, stops a reply left streaming, titles an untitled one, removes selections that point nowhere', () => {
    const r = parse(
      broken((c) => {
        c.extra = 1;
        c.title = '  ';
        c.messages[0].junk = true;
        c.messages[3].state = 'streaming';
        c.selected = { [ROOT]: 'u1', u1: 'a2', gone: 'a1', a1: 'a2', u2: 'missing' };
      }),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.conversations[0]!;
    expect(c).not.toHaveProperty('extra');
    expect(c.messages[0]).not.toHaveProperty('junk');
    expect(c.title).toBe(UNTITLED);
    expect(c.messages[3]!.state).toBe('stopped');
    expect(c.selected).toEqual({ [ROOT]: 'u1', u1: 'a2' });
  });

  it('leaves out `selected` when none of it points anywhere, and accepts an empty list', () => {
    const r = parse(broken((c) => (c.selected = { x: 'y' })));
    expect(r.ok && r.conversations[0]).not.toHaveProperty('selected');
    expect(parse(file([]))).toEqual({ ok: true, conversations: [] });
  });

  it('accepts exactly the size limit and refuses one byte more, before parsing', () => {
    expect(importSizeProblem(MAX_IMPORT_BYTES)).toBeUndefined();
    expect(importSizeProblem(MAX_IMPORT_BYTES + 1)).toBe('the file is 50 MB; the largest accepted is 50 MB');
    expect(importSizeProblem(61.25 * 1024 * 1024)).toBe('the file is 61.3 MB; the largest accepted is 50 MB');
    expect(parseImport('not even json', MAX_IMPORT_BYTES + 1)).toEqual({ ok: false, reason: importSizeProblem(MAX_IMPORT_BYTES + 1) });
    expect(parseImport(file([]), MAX_IMPORT_BYTES).ok).toBe(true);
  });
});

describe('import: every refusal says what was wrong', () => {
  it('not JSON', () => {
    expect(reason('{"format": ')).toMatch(/^the file is not valid JSON \(.+\)$/);
    expect(reason('')).toMatch(/^the file is not valid JSON/);
  });

  it('not an object, wrong format', () => {
    expect(reason('[1]')).toBe('the file must hold a JSON object (found a list)');
    expect(reason('null')).toBe('the file must hold a JSON object (found null)');
    expect(reason('{"format":"other","version":1}')).toBe(
      'this is not an Airgap conversations export ("format" is the text "other", expected "airgap-conversations")',
    );
    expect(reason('{"version":1}')).toContain('"format" is nothing');
  });

  it('a newer version is refused with words; a version that is no version is refused', () => {
    expect(reason(file([], { version: EXPORT_VERSION + 1 }))).toBe(
      'the file was written by a newer version of Airgap (format version 2; this version reads up to 1). Update Airgap, then import it again',
    );
    for (const v of [0, 1.5, '1', null])
      expect(reason(file([], { version: v }))).toMatch(/^"version" must be a whole number from 1 \(found /);
  });

  it('conversations not a list', () => {
    expect(reason(file([], { conversations: {} }))).toBe('"conversations" must be a list (found an object)');
  });

  it('a conversation that is not an object, or lacks a field, or has one of the wrong type', () => {
    expect(reason(file([42]))).toBe('conversation 1 must be an object (found number 42)');
    expect(reason(broken((c) => delete c.id))).toBe('conversation 1 ("Trip"): "id" is missing');
    expect(reason(broken((c) => (c.id = '')))).toBe('conversation 1 ("Trip"): "id" must be a non-empty text id (found the text "")');
    expect(reason(broken((c) => (c.title = 7)))).toBe('conversation 1: "title" must be text (found number 7)');
    expect(reason(broken((c) => (c.titleByUser = 'yes')))).toBe(
      'conversation 1 ("Trip"): "titleByUser" must be true or false (found the text "yes")',
    );
    expect(reason(broken((c) => (c.createdAt = 'x')))).toBe('conversation 1 ("Trip"): "createdAt" must be a number (found the text "x")');
    expect(reason(broken((c) => (c.updatedAt = null)))).toBe('conversation 1 ("Trip"): "updatedAt" must be a number (found null)');
    expect(reason(broken((c) => (c.messages = 'none')))).toBe('conversation 1 ("Trip"): "messages" must be a list (found the text "none")');
    expect(reason(broken((c) => delete c.messages))).toBe('conversation 1 ("Trip"): "messages" must be a list (found nothing)');
    expect(reason(broken((c) => (c.selected = ['a'])))).toBe(
      'conversation 1 ("Trip"): "selected" must be an object of message ids (found a list)',
    );
    expect(reason(broken((c) => (c.selected = { u1: 3 })))).toBe(
      'conversation 1 ("Trip"): "selected" entry "u1" must be a non-empty text id (found number 3)',
    );
    expect(reason(broken((c) => (c.settings = 'hot')))).toBe(
      'conversation 1 ("Trip"): "settings" must be an object (found the text "hot")',
    );
    expect(reason(broken((c) => (c.settings.temperature = 'hot')))).toBe(
      'conversation 1 ("Trip"): "settings": "temperature" must be a number (found the text "hot")',
    );
    expect(reason(broken((c) => (c.settings.systemPrompt = false)))).toContain('"systemPrompt" must be text (found boolean false)');
    expect(reason(broken((c) => (c.settings.topP = Infinity)))).toContain('"topP" must be a number (found null)');
    expect(reason(broken((c) => (c.settings.maxTokens = [])))).toContain('"maxTokens" must be a number (found a list)');
  });

  it('a message with a missing or wrongly typed field names the conversation, the message and the field', () => {
    const at = 'conversation 1 ("Trip"), message 2 (id "a1")';
    expect(reason(broken((c) => (c.messages[1] = 'hi')))).toBe(
      'conversation 1 ("Trip"), message 2 must be an object (found the text "hi")',
    );
    expect(reason(broken((c) => delete c.messages[1].content))).toBe(`${at}: "content" is missing`);
    expect(reason(broken((c) => (c.messages[1].role = 'robot')))).toBe(
      `${at}: "role" must be one of system, user, assistant (found the text "robot")`,
    );
    expect(reason(broken((c) => (c.messages[1].state = 'odd')))).toBe(
      `${at}: "state" must be one of streaming, done, stopped, error (found the text "odd")`,
    );
    expect(reason(broken((c) => (c.messages[1].createdAt = '1')))).toBe(`${at}: "createdAt" must be a number (found the text "1")`);
    expect(reason(broken((c) => (c.messages[1].modelId = 1)))).toBe(`${at}: "modelId" must be text (found number 1)`);
    expect(reason(broken((c) => (c.messages[1].error = {})))).toBe(`${at}: "error" must be text (found an object)`);
    expect(reason(broken((c) => (c.messages[1].parentId = 5)))).toBe(`${at}: "parentId" must be a non-empty text id (found number 5)`);
    expect(reason(broken((c) => (c.messages[1].finishReason = 'done')))).toBe(
      `${at}: "finishReason" must be one of stop, length, abort (found the text "done")`,
    );
    expect(reason(broken((c) => delete c.messages[1].id))).toBe('conversation 1 ("Trip"), message 2: "id" is missing');
  });

  it('stats, speculation and draft spans are checked field by field', () => {
    const at = 'conversation 1 ("Trip"), message 3 (id "a2")';
    expect(reason(broken((c) => delete c.messages[2].stats.decodeTokensPerSecond))).toBe(
      `${at}: "stats": "decodeTokensPerSecond" is missing`,
    );
    expect(reason(broken((c) => (c.messages[2].stats.promptTokens = '1')))).toContain('"stats": "promptTokens" must be a number');
    expect(reason(broken((c) => (c.messages[2].spec.used = 'magic')))).toBe(
      `${at}: "spec": "used" must be one of off, prompt-lookup, draft-model (found the text "magic")`,
    );
    expect(reason(broken((c) => (c.messages[2].spec.reason = 1)))).toBe(`${at}: "spec": "reason" must be text (found number 1)`);
    for (const field of ['drafted', 'accepted', 'targetPasses', 'passTokens']) {
      expect(reason(broken((c) => delete c.messages[2].spec[field]))).toBe(`${at}: "spec": "${field}" is missing`);
    }
    const spans = 'conversation 1 ("Trip"), message 2 (id "a1"): "draftSpans"';
    expect(reason(broken((c) => (c.messages[1].draftSpans = 'x')))).toBe(
      `${spans} must be a list of [start, end] pairs (found the text "x")`,
    );
    for (const bad of [[1], [1, 2, 3], [2, 1], [-1, 2], [0.5, 1], ['0', 1], {}]) {
      expect(reason(broken((c) => (c.messages[1].draftSpans = [[0, 1], bad])))).toMatch(
        new RegExp(`^${spans.replace(/[()[\]]/g, '\\$&')} item 2 must be a pair \\[start, end\\] of whole numbers, start ≤ end`),
      );
    }
  });

  it('ids: unique conversations, unique messages, parents inside the conversation, no cycles', () => {
    expect(reason(file([tree(), { ...tree(), title: 'Other' }]))).toBe('conversations 1 and 2 have the same id "c1"');
    expect(reason(broken((c) => (c.messages[3].id = 'u1')))).toBe('conversation 1 ("Trip"): messages 1 and 4 have the same id "u1"');
    expect(reason(broken((c) => (c.messages[3].parentId = 'elsewhere')))).toBe(
      'conversation 1 ("Trip"), message 4 (id "u2"): "parentId" "elsewhere" is not a message of this conversation',
    );
    expect(reason(broken((c) => (c.messages[0].parentId = 'u1')))).toBe(
      'conversation 1 ("Trip"), message 1 (id "u1"): its "parentId" chain loops back on itself',
    );
    // u1 → u2 → a1 → u1: a loop through three messages, found from the first one walked.
    expect(reason(broken((c) => (c.messages[0].parentId = 'u2')))).toBe(
      'conversation 1 ("Trip"), message 1 (id "u1"): its "parentId" chain loops back on itself',
    );
  });

  it('a loop is found even when the messages before it are fine', () => {
    const c = structuredClone(tree()) as unknown as Loose;
    c.messages.push(msg('x', { parentId: 'y' }), msg('y', { parentId: 'x' }));
    expect(reason(file([c]))).toBe('conversation 1 ("Trip"), message 5 (id "x"): its "parentId" chain loops back on itself');
  });

  it('long titles and ids are cut in messages', () => {
    const long = 'a'.repeat(50);
    expect(reason(broken((c) => ((c.title = long), (c.createdAt = 'x'))))).toBe(
      `conversation 1 ("${'a'.repeat(39)}…"): "createdAt" must be a number (found the text "x")`,
    );
    const fits = 'b'.repeat(40);
    expect(reason(broken((c) => ((c.title = fits), (c.createdAt = 'x'))))).toContain(`conversation 1 ("${fits}")`);
  });
});

describe('cleanSelection', () => {
  it('keeps a choice only when the child belongs to that parent', () => {
    const ms = tree().messages;
    expect(cleanSelection(ms, { [ROOT]: 'u1', u1: 'a2', a2: 'u2', u2: 'u1' })).toEqual({ [ROOT]: 'u1', u1: 'a2' });
    expect(cleanSelection(ms, { [ROOT]: 'a1' })).toBeUndefined();
    expect(cleanSelection(ms, undefined)).toBeUndefined();
  });
});
