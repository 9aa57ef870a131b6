import type { AppSnapshot } from '../core/protocol';
import type { StorageMirror } from '../platform/storage-mirror';
import { PopupContent } from './components/PopupContent';
import { Shell } from './components/Shell';
import { useSnapshot } from './use-snapshot';

/** The popup: what is stored, as the snapshot says, or why it cannot be read. */
export function App({
  first,
  storage,
}: {
  first?: AppSnapshot | undefined;
  storage?: StorageMirror | undefined;
}) {
  const { snapshot, loadError, reload } = useSnapshot(first, storage);
  if (loadError)
    return (
      <Shell>
        <p role="alert" class="notice error">
          {loadError}
        </p>
      </Shell>
    );
  if (!snapshot)
    return (
      <Shell>
        <p class="loading" aria-busy="true">
          Loading…
        </p>
      </Shell>
    );
  return <PopupContent snapshot={snapshot} reload={reload} />;
}
