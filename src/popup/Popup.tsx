import type { AppSnapshot } from '../core/protocol';
import type { StorageMirror } from '../platform/storage-mirror';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { RenderFailure } from './components/RenderFailure';

/** The popup behind an error boundary: whatever throws while rendering, the user still sees words and credentials. */
export function Popup({ first, storage }: { first?: AppSnapshot | undefined; storage?: StorageMirror }) {
  return (
    <ErrorBoundary fallback={(error, retry) => <RenderFailure error={error} onRetry={retry} />}>
      <App first={first} storage={storage} />
    </ErrorBoundary>
  );
}
