// Page state of the conversations: the list, the active one, sending and stopping. Streamed text
// is buffered and applied once per animation frame; every change is saved (debounced), and
// flushed at once when a reply ends.

import {
  addDraftSpan,
  appendMessage,
  createConversation,
  newId,
  promptMessages,
  updateMessage,
  visiblePath,
  type Conversation,
  type ConversationSettings,
  type Message,
} from '../../lib/conversation';
import { buildChatRequest, effectiveSettings, type EffectiveSettings } from '../../lib/chat-request';
import { FrameBuffer } from '../../lib/frame-buffer';
import { ContextFitError, ContextWindowExceededError, ModelNotLoadedError, toAirgapError } from '../../engine/errors';
import { ConversationSaver, deleteConversation, loadConversations } from '../../user-data/conversations';
import type { EngineState } from './engine.svelte';
import type { ErrorState } from './errors.svelte';
import type { SettingsState } from './settings.svelte';
import type { SpecRequest } from '../../engine/protocol';

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
  /** Messages the last reply left out to fit the context window, per conversation (this session). */
  #dropped = $state.raw<Readonly<Record<string, number>>>({});

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

  /** The active conversation's settings over the app-wide ones. */
  get effective(): EffectiveSettings {
    return effectiveSettings(this.#settings.value, this.#active?.settings);
  }
  /** How many messages the active conversation's last reply left out to fit the context window. */
  get dropped(): number {
    return (this.#activeId && this.#dropped[this.#activeId]) || 0;
  }

  /** Sets (or, with undefined, removes) the active conversation's own value of a setting. */
  setConversationSetting<K extends keyof ConversationSettings>(field: K, value: ConversationSettings[K] | undefined): void {
    const id = this.#activeId;
    if (!id) return;
    this.#update(id, (c) => {
      const settings: ConversationSettings = { ...c.settings, [field]: value };
      if (value === undefined) delete settings[field];
      const { settings: _, ...rest } = c;
      return Object.keys(settings).length ? { ...rest, settings } : rest;
    });
  }

  /** Back to the app-wide settings for the active conversation. */
  resetConversationSettings(): void {
    const id = this.#activeId;
    if (id) this.#update(id, ({ settings: _, ...c }) => c);
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
    this.#conversations = this.#conversations.filter((c) => c.id !== id);
    if (this.#activeId === id) this.#activeId = this.#conversations[0]?.id;
    await deleteConversation(id).catch((err: unknown) => this.#errors.report(err));
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
    const conversation = this.#get(convId)!;
    const prompt = buildChatRequest(
      promptMessages(conversation),
      effectiveSettings(this.#settings.value, conversation.settings),
      this.#settings.value.overflow,
    );
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
      const result = await this.#engine.chat({ modelId, ...prompt, speculative: this.#specFor(modelId) }, (delta, fromDraft) => {
        if (fromDraft) addDraftSpan(spans, length, length + delta.length);
        length += delta.length;
        buffer.push(delta);
      });
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
      this.#dropped = { ...this.#dropped, [convId]: result.dropped ?? 0 };
      // An earlier overflow banner is out of date once a reply got through.
      this.#errors.resolve(ContextFitError, ContextWindowExceededError);
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
