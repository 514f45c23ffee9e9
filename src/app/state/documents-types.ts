// The types of the page's documents state: what it needs of the documents client and of the
// engine's embedder (both stand-ins in unit tests), and the rows it shows for files in flight.

import type { AddProgress, DocsCalls } from '../../docs/protocol';
import type { EmbedResult } from '../../engine/protocol';

/** The part of DocsClient this state uses (a fake in unit tests). */
export interface DocsCaller {
  call<K extends keyof DocsCalls>(
    kind: K,
    params: DocsCalls[K]['params'],
    onEvent?: (event: DocsCalls[K]['event']) => void,
  ): Promise<DocsCalls[K]['result']>;
}

/** A file being added, as its row shows it until the worker lists it. */
export interface AddingFile {
  name: string;
  state: AddProgress['state'] | 'waiting';
  fraction: number;
}

/** A file that was refused or failed, kept in the list so the person sees why. */
export type RefusedFile = { name: string; reason: string };

/** `query`: the texts are search queries (some embedding models embed those differently). */
export type Embed = (texts: string[], query?: boolean) => Promise<EmbedResult | null>;
