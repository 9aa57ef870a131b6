import type { AppSnapshot, VaultStatus } from './protocol';
import type { StoredData } from './stored-data';

/**
 * What the popup renders, from what is stored: one function, so the popup's first frame (read straight from
 * storage) and the worker's answer to `getSnapshot` cannot disagree.
 */
export function buildSnapshot(
  read: { data: StoredData; problem?: string; vault: VaultStatus },
  refreshing: readonly string[],
): AppSnapshot {
  const { data, problem, vault } = read;
  return {
    activeProfileId: data.activeProfileId,
    profiles: data.profiles,
    tokens: data.tokens,
    refreshing: [...new Set(refreshing)],
    vault,
    ...(problem ? { storageProblem: problem } : {}),
  };
}
