/**
 * The one validated configuration object (load.ts builds it). Its shape is declared in parts:
 * the kernel's in settings.ts, each module's in its own settings.ts (TypeScript declaration
 * merging), beside the setting definitions they come from.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging.
export interface Config {}
