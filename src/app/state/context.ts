// The page state every component may read, shared through Svelte context rather than props: main.ts
// builds it once, App.svelte provides it, components call `useApp()`. Each part keeps its writable
// fields private and changes them through intent-named methods.

import { createContext } from 'svelte';
import type { ChatState } from './chat.svelte';
import type { DocumentsState } from './documents.svelte';
import type { EngineState } from './engine.svelte';
import type { ErrorState } from './errors.svelte';
import type { ImportState } from './import.svelte';
import type { LoadFlow } from './load-flow.svelte';
import type { ModelsState } from './models.svelte';
import type { PwaState } from './pwa.svelte';
import type { RemoteState } from './remote.svelte';
import type { SettingsState } from './settings.svelte';
import type { SizingState } from './sizing.svelte';
import type { StorageState } from './storage.svelte';

export interface AppState {
  errors: ErrorState;
  engine: EngineState;
  models: ModelsState;
  storage: StorageState;
  imports: ImportState;
  sizing: SizingState;
  loads: LoadFlow;
  settings: SettingsState;
  chat: ChatState;
  pwa: PwaState;
  remote: RemoteState;
  docs: DocumentsState;
}

const [useApp, provideApp] = createContext<AppState>();

export { provideApp, useApp };
