import type { AppSnapshot } from '../core/protocol';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { RenderFailure } from './components/RenderFailure';

/** The popup behind an error boundary: whatever throws while rendering, the user still sees words and credentials. */
export function Popup({ first }: { first?: AppSnapshot | undefined }) {
  return (
    <ErrorBoundary fallback={(error, retry) => <RenderFailure error={error} onRetry={retry} />}>
      <App first={first} />
    </ErrorBoundary>
  );
}
