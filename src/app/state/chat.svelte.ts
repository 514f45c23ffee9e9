// Page state of the conversations: the list, the active one, sending and stopping. Streamed text
// is buffered and applied once per animation frame; every change is saved (debounced), and
// flushed at once when a reply ends. Managing the list (rename, search, delete with undo, import)
// works without an engine, so the no-WebGPU page uses it too. Delete is immediate in IndexedDB;
// undo writes the conversation back as it was, so a reload never resurrects a deleted one.

import {
  addDraftSpan,
  appendMessage,
  cleanTitle,
  createConversation,
  newId,
  renameConversation,
  promptMessages,
  updateMessage,
  visiblePath,
  type Conversation,
  type Message,
} from '../../lib/conversation';
import { FrameBuffer } from '../../lib/frame-buffer';
import { describeMerge, mergeImport } from '../../lib/conversation-merge';
import { ImportError, ModelNotLoadedError, toAirgapError } from '../../engine/errors';
import {
  ConversationSaver,
  deleteConversation,
  loadConversations,
  saveConversation,
  saveConversations,
} from '../../user-data/conversations';
import type { EngineState } from './engine.svelte';
import type { ErrorState } from './errors.svelte';
import type { SettingsState } from './settings.svelte';
import type { SpecRequest } from '../../engine/protocol';
import { readImportFile } from '../read-import-file';

export class ChatState {
  readonly #engine: EngineState;
  readonly #errors: ErrorState;
  readonly #saver: ConversationSaver;
  readonly #settings: SettingsState;
  readonly #specFor: (modelId: string) => SpecRequest;
  #conversations = $state.raw<Conversation[]>([]);
  #activeId = $state<string | undefined>(undefined);
  #loaded = $state(false);
  #active = $derived(this.#conversations.find((c) => c.id === this.#activeId));
  #path = $derived(this.#active ? visiblePath(this.#active) : []);
  #generating = $state(false);
  #query = $state('');
  /** The last deleted conversation, where it was, and whether it was open: what Undo puts back. */
  #removed = $state.raw<{ conversation: Conversation; index: number; wasActive: boolean } | undefined>(undefined);

  constructor(engine: EngineState, errors: ErrorState, settings: SettingsState, specFor: (modelId: string) => SpecRequest) {
    this.#engine = engine;
    this.#errors = errors;
    this.#settings = settings;
    this.#specFor = specFor;
    this.#saver = new ConversationSaver((err) => errors.report(err));
  }

  get conversations(): Conversation[] {
    return this.#conversations;
  }
  get activeId(): string | undefined {
    return this.#activeId;
  }
  get active(): Conversation | undefined {
    return this.#active;
  }
  /** The messages shown for the active conversation: one path through its tree. */
  get path(): Message[] {
    return this.#path;
  }
  /** The saved conversations are read. */
  get loaded(): boolean {
    return this.#loaded;
  }
  get generating(): boolean {
    return this.#generating;
  }
  /** The search over the conversation list (kept while the list is closed and reopened). */
  get query(): string {
    return this.#query;
  }
  /** The deleted conversation Undo would restore. */
  get removed(): Conversation | undefined {
    return this.#removed?.conversation;
  }

  async restore(): Promise<void> {
    try {
      this.#conversations = await loadConversations();
      this.#activeId = this.#conversations[0]?.id;
    } catch (err) {
      this.#errors.report(err);
    } finally {
      this.#loaded = true;
    }
  }

  newConversation(): void {
    const c = createConversation();
    this.#conversations = [c, ...this.#conversations];
    this.#activeId = c.id;
  }

  select(id: string): void {
    this.#activeId = id;
  }

  async remove(id: string): Promise<void> {
    this.#saver.forget(id);
    const index = this.#conversations.findIndex((c) => c.id === id);
    if (index >= 0) this.#removed = { conversation: this.#conversations[index]!, index, wasActive: this.#activeId === id };
    this.#conversations = this.#conversations.filter((c) => c.id !== id);
    if (this.#activeId === id) this.#activeId = this.#conversations[0]?.id;
    await deleteConversation(id).catch((err: unknown) => this.#errors.report(err));
  }

  /** Puts the last deleted conversation back where it was (messages, branches, settings, place in the list). */
  async undoRemove(): Promise<void> {
    const r = this.#removed;
    if (!r) return;
    this.#removed = undefined;
    const list = [...this.#conversations];
    list.splice(Math.min(r.index, list.length), 0, r.conversation);
    this.#conversations = list;
    if (r.wasActive || !this.#activeId) this.#activeId = r.conversation.id;
    await saveConversation(r.conversation).catch((err: unknown) => this.#errors.report(err));
  }

  /** Closes the undo offer; the deletion stays. */
  forgetRemoved(): void {
    this.#removed = undefined;
  }

  /** Renames a conversation; resolves to why the title was refused, or undefined when it was saved. */
  rename(id: string, text: string): string | undefined {
    const title = cleanTitle(text);
    if (title) this.#update(id, (c) => (c.title === title ? c : renameConversation(c, title)));
    return title ? undefined : 'A title cannot be empty. Type a name, or press Escape to keep the old one.';
  }

  search(query: string): void {
    this.#query = query;
  }

  /** Imports a conversations file; resolves to what was done, or undefined when the file was refused (the banner says why). */
  async importFile(file: File): Promise<string | undefined> {
    const parsed = await readImportFile(file);
    if (!parsed.ok) return void this.#errors.report(new ImportError(parsed.reason));
    // Pending saves hold older copies that would overwrite the merged ones.
    await this.#saver.flush();
    const merged = mergeImport(this.#conversations, parsed.conversations);
    try {
      if (merged.changed.length) await saveConversations(merged.changed);
    } catch (err) {
      this.#errors.report(err);
      return undefined;
    }
    this.#conversations = merged.conversations;
    this.#activeId ??= merged.conversations[0]?.id;
    if (this.#errors.current instanceof ImportError) this.#errors.dismiss();
    return describeMerge(merged);
  }

  /** Sends `text`; resolves false (and keeps nothing) when it could not be sent. */
  async send(text: string): Promise<boolean> {
    const content = text.trim();
    if (!content || this.#generating) return false;
    const modelId = this.#engine.loaded?.modelId;
    if (!modelId) {
      this.#errors.report(new ModelNotLoadedError('send without a loaded model'));
      return false;
    }
    if (!this.#active) this.newConversation();
    const convId = this.#activeId!;
    const user: Message = { id: newId(), role: 'user', content, state: 'done', createdAt: Date.now() };
    this.#update(convId, (c) => appendMessage(c, user));
    const history = promptMessages(this.#get(convId)!);
    const system = this.#settings.value.systemPrompt.trim();
    const messages = system ? [{ role: 'system' as const, content: system }, ...history] : history;
    const reply: Message = { id: newId(), role: 'assistant', content: '', state: 'streaming', createdAt: Date.now(), modelId };
    this.#update(convId, (c) => appendMessage(c, reply));

    let streamed = '';
    let length = 0;
    const spans: [number, number][] = [];
    const buffer = new FrameBuffer(
      (cb) => requestAnimationFrame(cb),
      (delta) => {
        streamed += delta;
        this.#update(convId, (c) => updateMessage(c, reply.id, { content: streamed, draftSpans: spans.map((s) => [s[0], s[1]]) }));
      },
    );
    this.#generating = true;
    try {
      const result = await this.#engine.chat(
        {
          modelId,
          messages,
          temperature: this.#settings.value.temperature,
          topP: this.#settings.value.topP,
          speculative: this.#specFor(modelId),
        },
        (delta, fromDraft) => {
          if (fromDraft) addDraftSpan(spans, length, length + delta.length);
          length += delta.length;
          buffer.push(delta);
        },
      );
      buffer.flush();
      this.#update(convId, (c) =>
        updateMessage(c, reply.id, {
          content: result.text,
          state: result.finishReason === 'abort' ? 'stopped' : 'done',
          stats: { ...result.usage },
          spec: { ...result.speculation },
          draftSpans: spans,
        }),
      );
    } catch (err) {
      buffer.flush();
      const e = toAirgapError(err);
      this.#update(convId, (c) => updateMessage(c, reply.id, { state: 'error', error: e.userMessage }));
      this.#errors.report(e);
    } finally {
      this.#generating = false;
      await this.#saver.flush();
    }
    return true;
  }

  stop(): Promise<void> {
    return this.#engine.interrupt();
  }

  flush(): Promise<void> {
    return this.#saver.flush();
  }

  #get(id: string): Conversation | undefined {
    return this.#conversations.find((c) => c.id === id);
  }

  #update(id: string, f: (c: Conversation) => Conversation): void {
    let changed: Conversation | undefined;
    this.#conversations = this.#conversations.map((c) => (c.id === id ? (changed = f(c)) : c));
    if (changed) this.#saver.schedule(changed);
  }
}
