import { useCallback, useEffect, useState } from 'preact/hooks';
import type { AppSnapshot } from '../core/protocol';
import { sendMessage } from '../platform/messaging';
import { onDataChanged } from '../platform/storage';

/**
 * The state the popup renders, always re-read from the worker after storage changes, so what the popup shows
 * is what is stored (also when another page or the worker itself changed it).
 */
export function useSnapshot(): {
  snapshot: AppSnapshot | undefined;
  loadError: string | undefined;
  reload: () => void;
} {
  const [snapshot, setSnapshot] = useState<AppSnapshot>();
  const [loadError, setLoadError] = useState<string>();
  const reload = useCallback(() => {
    sendMessage('getSnapshot', {}).then(
      (next) => {
        setSnapshot(next);
        setLoadError(undefined);
      },
      () => setLoadError('The extension’s background worker did not answer. Close and reopen this panel.'),
    );
  }, []);
  useEffect(() => {
    reload();
    return onDataChanged(reload);
  }, [reload]);
  return { snapshot, loadError, reload };
}
