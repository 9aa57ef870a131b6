import type { AppSnapshot } from '../../core/protocol';
import { useSnapshot } from '../use-snapshot';
import { CredentialsSection } from './CredentialsSection';
import { ErrorBoundary } from './ErrorBoundary';
import { LockPanel } from './LockPanel';
import { Shell } from './Shell';

/**
 * What the popup shows when something in it threw while rendering: what happened in plain words (the
 * error's name, never its text or stack), and the credentials, so the user can still check and save them.
 * It reads its own snapshot: the one the failed view held may be what made it fail.
 */
export function RenderFailure({ error, onRetry }: { error: Error; onRetry: () => void }) {
  const { snapshot, loadError, reload } = useSnapshot();
  const retry = () => {
    reload();
    onRetry();
  };
  return (
    <Shell>
      <div role="alert" class="notice error">
        <p class="notice-title">Part of this panel could not be shown</p>
        <p>
          It stopped on data it did not expect ({error.name}). Nothing was changed. Your credentials are
          below: check them and save them again, then try again.
        </p>
        <p>
          <button type="button" class="secondary" onClick={retry}>
            Try again
          </button>
        </p>
      </div>
      {loadError && (
        <p role="alert" class="notice error">
          {loadError}
        </p>
      )}
      {snapshot && (
        <ErrorBoundary
          fallback={() => (
            <p class="notice error">
              The credentials could not be shown either. Restart the browser; if this stays, remove and add
              the extension again, then enter the credentials again.
            </p>
          )}
        >
          <RecoveryCredentials snapshot={snapshot} onSaved={retry} />
        </ErrorBoundary>
      )}
    </Shell>
  );
}

/** The credentials form on its own, or the lock panel first while the secrets are locked. */
function RecoveryCredentials({ snapshot, onSaved }: { snapshot: AppSnapshot; onSaved: () => void }) {
  if (snapshot.vault.enabled && !snapshot.vault.unlocked) return <LockPanel onUnlocked={onSaved} />;
  const profile = snapshot.profiles.find((p) => p.id === snapshot.activeProfileId);
  return <CredentialsSection profile={profile} vault={snapshot.vault} onSaved={onSaved} />;
}
