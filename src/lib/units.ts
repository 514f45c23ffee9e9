// Byte units and how sizes read in messages. Binary multiples throughout: WebLLM's vram_required_MB
// and its "…MB fetched" progress text count in MiB, and GPU limits are powers of two.

export const MIB = 1024 ** 2;
export const GIB = 1024 ** 3;

/** "123 MiB": buffer limits and workspaces, where the exact power of two matters. */
export const mib = (bytes: number): string => `${Math.round(bytes / MIB)} MiB`;
/** "1.5 GB": memory budgets and model sizes, as people speak of them. */
export const gb = (bytes: number): string => `${(bytes / GIB).toFixed(1)} GB`;
