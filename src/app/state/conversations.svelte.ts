// Page state of the conversation list: the conversations, the active one and its visible path,
// rename, search, delete with undo, import, and each conversation's own settings. It works without
// an engine, so the no-WebGPU page uses it as it is; ChatState adds generating replies on top.
// Every change is saved (debounced) and can be flushed. Delete is immediate in IndexedDB; undo
// writes the conversation back as it was, so a reload never resurrects a deleted one.

import { effectiveSettings, type EffectiveSettings } from '../../lib/chat-request';
import {
  cleanTitle,
  createConversation,
  renameConversation,
  settleInterrupted,
  visiblePath,
  type Conversation,
  type ConversationSettings,
  type Message,
} from '../../lib/conversation';
import { describeMerge, mergeImport } from '../../lib/conversation-merge';
import { ImportError } from '../../engine/errors';
import {
  ConversationSaver,
  deleteConversation,
  loadConversations,
  saveConversation,
  saveConversations,
} from '../../user-data/conversations';
import type { ErrorState } from './errors.svelte';
import type { SettingsState } from './settings.svelte';
import { readImportFile } from '../read-import-file';

export class ConversationsState {
  protected readonly errors: ErrorState;
  protected readonly settings: SettingsState;
  readonly #saver: ConversationSaver;
  #conversations = $state.raw<Conversation[]>([]);
  #activeId = $state<string | undefined>(undefined);
  #loaded = $state(false);
  #active = $derived(this.#conversations.find((c) => c.id === this.#activeId));
  #path = $derived(this.#active ? visiblePath(this.#active) : []);
  #query = $state('');
  /** The last deleted conversation, where it was, and whether it was open: what Undo puts back. */
  #removed = $state.raw<{ conversation: Conversation; index: number; wasActive: boolean } | undefined>(undefined);

  constructor(errors: ErrorState, settings: SettingsState) {
    this.errors = errors;
    this.settings = settings;
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
  /** The search over the conversation list (kept while the list is closed and reopened). */
  get query(): string {
    return this.#query;
  }
  /** The deleted conversation Undo would restore. */
  get removed(): Conversation | undefined {
    return this.#removed?.conversation;
  }
  /** The active conversation's settings over the app-wide ones. */
  get effective(): EffectiveSettings {
    return effectiveSettings(this.settings.value, this.#active?.settings);
  }

  /** Reads the saved conversations; resolves false when they could not be read. */
  async restore(): Promise<boolean> {
    try {
      this.#conversations = await loadConversations();
      this.#activeId = this.#conversations[0]?.id;
      return true;
    } catch (err) {
      this.errors.report(err);
      return false;
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
    this.beforeRemove(id);
    this.#saver.forget(id);
    const index = this.#conversations.findIndex((c) => c.id === id);
    // A reply stopped with its conversation is kept as stopped: its run's last update went nowhere.
    const conversation = index >= 0 ? settleInterrupted(this.#conversations[index]!) : undefined;
    // The one deleted before can no longer be undone.
    if (conversation && this.#removed) this.removedForGood(this.#removed.conversation.id);
    if (conversation) this.#removed = { conversation, index, wasActive: this.#activeId === id };
    this.#conversations = this.#conversations.filter((c) => c.id !== id);
    if (this.#activeId === id) this.#activeId = this.#conversations[0]?.id;
    await deleteConversation(id).catch((err: unknown) => this.errors.report(err));
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
    await saveConversation(r.conversation).catch((err: unknown) => this.errors.report(err));
  }

  /** Closes the undo offer; the deletion stays. */
  forgetRemoved(): void {
    if (this.#removed) this.removedForGood(this.#removed.conversation.id);
    this.#removed = undefined;
  }

  /** Renames a conversation; resolves to why the title was refused, or undefined when it was saved. */
  rename(id: string, text: string): string | undefined {
    const title = cleanTitle(text);
    if (title) this.update(id, (c) => (c.title === title ? c : renameConversation(c, title)));
    return title ? undefined : 'A title cannot be empty. Type a name, or press Escape to keep the old one.';
  }

  search(query: string): void {
    this.#query = query;
  }

  /** Imports a conversations file; resolves to what was done, or undefined when the file was refused (the banner says why). */
  async importFile(file: File): Promise<string | undefined> {
    const parsed = await readImportFile(file);
    if (!parsed.ok) return void this.errors.report(new ImportError(parsed.reason));
    // Pending saves hold older copies that would overwrite the merged ones.
    await this.#saver.flush();
    const merged = mergeImport(this.#conversations, parsed.conversations);
    try {
      if (merged.changed.length) await saveConversations(merged.changed);
    } catch (err) {
      this.errors.report(err);
      return undefined;
    }
    // A reply may have ended (or a title changed) while the file was written: merge onto the list as it is now.
    const now = mergeImport(this.#conversations, parsed.conversations);
    for (const c of now.changed) this.#saver.schedule(c);
    this.#conversations = now.conversations;
    this.#activeId ??= now.conversations[0]?.id;
    if (this.errors.current instanceof ImportError) this.errors.dismiss();
    return describeMerge(merged);
  }

  /** Sets (or, with undefined, removes) the active conversation's own value of a setting. */
  setConversationSetting<K extends keyof ConversationSettings>(field: K, value: ConversationSettings[K] | undefined): void {
    const id = this.#activeId;
    if (!id) return;
    this.update(id, (c) => {
      const settings: ConversationSettings = { ...c.settings, [field]: value };
      if (value === undefined) delete settings[field];
      const { settings: _, ...rest } = c;
      return Object.keys(settings).length ? { ...rest, settings } : rest;
    });
  }

  /** Back to the app-wide settings for the active conversation. */
  resetConversationSettings(): void {
    const id = this.#activeId;
    if (id) this.update(id, ({ settings: _, ...c }) => c);
  }

  flush(): Promise<void> {
    return this.#saver.flush();
  }

  /** Called first when conversation `id` is deleted (ChatState stops a reply streaming into it). */
  protected beforeRemove(_id: string): void {}

  /** Called when deleted conversation `id` can no longer be undone (ChatState deletes its documents). */
  protected removedForGood(_id: string): void {}

  /** Writes conversation `id` now even if nothing in it changed (an empty one that has documents). */
  async keep(id: string): Promise<void> {
    const c = this.get(id);
    if (c) this.#saver.schedule(c);
    await this.flush();
  }

  protected get(id: string): Conversation | undefined {
    return this.#conversations.find((c) => c.id === id);
  }

  protected update(id: string, f: (c: Conversation) => Conversation): void {
    let changed: Conversation | undefined;
    this.#conversations = this.#conversations.map((c) => (c.id === id ? (changed = f(c)) : c));
    if (changed) this.#saver.schedule(changed);
  }
}
