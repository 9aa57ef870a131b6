/**
 * The Security section's forms, in a chunk of their own: the section starts folded, so the popup's first
 * frame neither downloads nor parses them. `SecuritySection` imports this module when it is first opened.
 */
export { VaultOffPanel } from './VaultOffPanel';
export { VaultOnPanel } from './VaultOnPanel';
