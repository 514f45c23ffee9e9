// Generating replies, on top of the conversation list (ConversationsState): send, regenerate, edit
// and continue go through one flow (#generate); stopping; the branch actions. Streamed text is
// buffered and applied once per animation frame; every change is saved (debounced), and flushed at
// once when a reply ends. One reply generates at a time. A new reply first searches the
// conversation's documents (retrieval.ts): the passages go into its prompt and onto the reply.

import { branchIndex, deleteMessage, type BranchSpot, selectPath, selectSibling } from '../../lib/branches';
import { appendMessage, newId, updateMessage, type Conversation, type Message } from '../../lib/conversation';
import { ContextFitError, ContextWindowExceededError, ModelNotLoadedError, toAirgapError } from '../../engine/errors';
import type { EngineState } from './engine.svelte';
import type { ErrorState } from './errors.svelte';
import type { SettingsState } from './settings.svelte';
import type { SpecRequest } from '../../engine/protocol';
import { chatRequest } from './chat-request';
import { ConversationsState } from './conversations.svelte';
import { ReplyStream } from './reply-stream';
import type { Retrieval, Retrieved } from './retrieval';
import { effectiveSettings } from '../../lib/chat-request';

/** A reply being generated; abandoned when its conversation is deleted meanwhile. */
type Run = { convId: string; replyId: string; abandoned: boolean };

export class ChatState extends ConversationsState {
  readonly #engine: EngineState;
  readonly #specFor: (modelId: string) => SpecRequest;
  /** The remote server a model runs on (undefined: this device), recorded on each reply. */
  readonly #serverOf: (modelId: string) => string | undefined;
  /** Passages of the conversation's documents for a reply (absent: no documents on this page). */
  readonly #retrieve: Retrieval | undefined;
  #branches = $derived(this.active ? branchIndex(this.active) : new Map<string, BranchSpot>());
  #run = $state.raw<Run | undefined>(undefined);
  /** Settles when the engine call of the latest run has returned. */
  #settled: Promise<void> = Promise.resolve();
  /** Messages the last reply left out to fit the context window, per conversation (this session). */
  #dropped = $state.raw<Readonly<Record<string, number>>>({});

  constructor(
    engine: EngineState,
    errors: ErrorState,
    settings: SettingsState,
    specFor: (modelId: string) => SpecRequest,
    serverOf: (modelId: string) => string | undefined = () => undefined,
    retrieve?: Retrieval,
  ) {
    super(errors, settings);
    this.#engine = engine;
    this.#specFor = specFor;
    this.#serverOf = serverOf;
    this.#retrieve = retrieve;
  }

  /** Where message `id` of the active conversation stands among its alternatives (0-based index, count). */
  branchOf(id: string): BranchSpot | undefined {
    return this.#branches.get(id);
  }
  get generating(): boolean {
    return this.#run !== undefined;
  }
  /** How many messages the active conversation's last reply left out to fit the context window. */
  get dropped(): number {
    return (this.activeId && this.#dropped[this.activeId]) || 0;
  }

  protected override beforeRemove(id: string): void {
    if (this.#run?.convId !== id) return;
    // Its reply has nowhere to go: stop it now rather than stream into nothing.
    this.#run.abandoned = true;
    this.#run = undefined;
    void this.#engine.interrupt();
  }

  protected override removedForGood(id: string): void {
    void this.#retrieve?.forget(id).catch((err: unknown) => this.errors.report(err));
  }

  /** Sends `text`; resolves false (and keeps nothing) when it could not be sent. */
  async send(text: string): Promise<boolean> {
    const content = text.trim();
    if (!content || this.#run) return false;
    const modelId = this.#modelId();
    if (!modelId) return false;
    if (!this.active) this.newConversation();
    const convId = this.activeId!;
    const user: Message = { id: newId(), role: 'user', content, state: 'done', createdAt: Date.now() };
    this.update(convId, (c) => appendMessage(c, user));
    await this.#generate(convId, modelId, { parentId: user.id });
    return true;
  }

  /** Another reply to the same prompt as reply `id`, as its new alternative (the earlier ones stay). */
  async regenerate(id: string): Promise<void> {
    const found = this.#find(id);
    const modelId = found && !this.#run ? this.#modelId() : undefined;
    if (!found || !modelId) return;
    // A question left without its reply (the reply was deleted) gets one.
    await this.#generate(found.convId, modelId, { parentId: found.message.role === 'user' ? id : found.message.parentId });
  }

  /** Asks `text` in place of user message `userId`: a new alternative of it, and a reply to that. */
  async edit(userId: string, text: string): Promise<void> {
    const content = text.trim();
    const found = this.#find(userId);
    const modelId = content && found?.message.role === 'user' && !this.#run ? this.#modelId() : undefined;
    if (!found || !modelId) return;
    const user: Message = { id: newId(), role: 'user', content, state: 'done', createdAt: Date.now(), parentId: found.message.parentId };
    this.update(found.convId, (c) => appendMessage(c, user));
    await this.#generate(found.convId, modelId, { parentId: user.id });
  }

  /** Goes on with a reply that ended at max tokens; the new text is appended to it. */
  async continueReply(replyId: string): Promise<void> {
    const found = this.#find(replyId);
    const modelId = found?.message.finishReason === 'length' && !this.#run ? this.#modelId() : undefined;
    if (!found || !modelId) return;
    await this.#generate(found.convId, modelId, { continueId: replyId });
  }

  /** Shows the alternative before (-1) or after (+1) message `id`. */
  selectSibling(id: string, step: -1 | 1): void {
    const found = this.#find(id);
    if (!found || this.#run?.convId === found.convId) return;
    this.update(found.convId, (c) => selectSibling(c, id, step));
    void this.flush();
  }

  /** Deletes message `id` and everything after it on its branch (not while that conversation generates). */
  deleteMessage(id: string): void {
    const found = this.#find(id);
    if (!found || this.#run?.convId === found.convId) return;
    this.update(found.convId, (c) => deleteMessage(c, id));
    // A deliberate change is written at once, not after the debounce.
    void this.flush();
  }

  /**
   * The one generation flow: a new reply under `parentId` (send, regenerate, edit), or more text
   * for reply `continueId`. Streams once per frame, saves, reports errors. A run whose
   * conversation was deleted is abandoned: it changes nothing and reports nothing.
   */
  async #generate(convId: string, modelId: string, target: { parentId: string | undefined } | { continueId: string }): Promise<void> {
    const continuing = 'continueId' in target;
    const replyId = continuing ? target.continueId : newId();
    const before = continuing ? this.get(convId)?.messages.find((m) => m.id === replyId) : undefined;
    if (continuing) this.update(convId, (c) => selectPath(c, replyId));
    else {
      const server = this.#serverOf(modelId);
      const reply: Message = {
        id: replyId,
        role: 'assistant',
        content: '',
        state: 'streaming',
        createdAt: Date.now(),
        modelId,
        ...(server ? { server } : {}),
      };
      this.update(convId, (c) => selectPath(appendMessage(c, { ...reply, parentId: target.parentId }), replyId));
    }
    // The prompt is taken now (a continued reply is about to be marked streaming, which leaves it out).
    const conversation = this.get(convId)!;
    if (continuing) this.update(convId, (c) => updateMessage(c, replyId, { state: 'streaming' }));
    const run: Run = { convId, replyId, abandoned: false };
    this.#run = run;
    const previous = this.#settled;
    let settle = () => {};
    this.#settled = new Promise<void>((resolve) => (settle = resolve));
    const stream = new ReplyStream(before, (text) => this.update(convId, (c) => updateMessage(c, replyId, text)));
    try {
      // A reply abandoned with its conversation may still be ending in the worker (one step at most).
      await previous;
      if (run.abandoned) return;
      const question = continuing ? undefined : conversation.messages.find((m) => m.id === target.parentId);
      const retrieved = continuing ? undefined : await this.#sources(conversation, question?.content, modelId);
      if (run.abandoned) return;
      if (retrieved) this.update(convId, (c) => updateMessage(c, replyId, { sources: retrieved.sources }));
      // A continued reply goes on from the same passages it was given.
      const sources = retrieved?.prompt ?? (before?.sources?.length ? this.#retrieve?.prompt(before.sources) : undefined);
      const request = chatRequest(conversation, modelId, this.settings.value, this.#specFor(modelId), continuing, sources);
      const result = await this.#engine.chat(request, (delta, fromDraft) => stream.push(delta, fromDraft));
      this.update(convId, (c) =>
        updateMessage(c, replyId, {
          ...stream.final(result.text),
          state: result.finishReason === 'abort' ? 'stopped' : 'done',
          finishReason: result.finishReason,
          stats: { ...result.usage },
          spec: { ...result.speculation },
        }),
      );
      this.#dropped = { ...this.#dropped, [convId]: result.dropped ?? 0 };
      // An earlier overflow banner is out of date once a reply got through.
      this.errors.resolve(ContextFitError, ContextWindowExceededError);
    } catch (err) {
      const sofar = stream.flush();
      if (run.abandoned) return;
      const e = toAirgapError(err);
      // A failed continuation keeps the reply as it was (and what arrived), still continuable.
      const patch: Partial<Message> = stream.continued ? { ...sofar, state: 'done' } : { state: 'error', error: e.userMessage };
      this.update(convId, (c) => updateMessage(c, replyId, patch));
      this.errors.report(e);
    } finally {
      if (this.#run === run) this.#run = undefined;
      settle();
      await this.flush();
    }
  }

  /** Passages for a reply to `question`; a search that fails is reported and the reply goes without. */
  async #sources(c: Conversation, question: string | undefined, modelId: string): Promise<Retrieved | undefined> {
    if (!this.#retrieve || !question) return undefined;
    const loaded = this.#engine.loaded;
    const e = effectiveSettings(this.settings.value, c.settings);
    try {
      return await this.#retrieve.find(c, question, {
        contextWindow: loaded?.modelId === modelId ? loaded.contextWindow : undefined,
        maxTokens: e.maxTokens,
        systemPrompt: e.systemPrompt,
      });
    } catch (err) {
      this.errors.report(err);
      return undefined;
    }
  }

  #modelId(): string | undefined {
    const modelId = this.#engine.loaded?.modelId;
    if (!modelId) this.errors.report(new ModelNotLoadedError('send without a loaded model'));
    return modelId;
  }

  #find(id: string): { convId: string; message: Message } | undefined {
    const c = this.active;
    const message = c?.messages.find((m) => m.id === id);
    return c && message ? { convId: c.id, message } : undefined;
  }

  stop(): Promise<void> {
    return this.#engine.interrupt();
  }
}
