import { useState } from 'preact/hooks';
import type { RefreshFailure } from '../core/refresh-outcome';
import { sendMessage, WorkerFailedError } from '../platform/messaging';
import { CredentialsSection } from './components/CredentialsSection';
import { EmptyState } from './components/EmptyState';
import { FailureNotice } from './components/FailureNotice';
import { HostAccess } from './components/HostAccess';
import { LockIcon } from './components/LockIcon';
import { LockPanel } from './components/LockPanel';
import { RequestDetails } from './components/RequestDetails';
import { SecuritySection } from './components/SecuritySection';
import { Shell } from './components/Shell';
import { TokenPanel } from './components/TokenPanel';
import { useSnapshot } from './use-snapshot';
import { workerProblem } from './worker-problem';

export function App() {
  const { snapshot, loadError, reload } = useSnapshot();
  const [clicked, setClicked] = useState(false);
  const [replyFailure, setReplyFailure] = useState<RefreshFailure>();
  const [sendProblem, setSendProblem] = useState<string>();

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

  const profile = snapshot.profiles.find((p) => p.id === snapshot.activeProfileId);
  const token = profile ? snapshot.tokens[profile.id] : undefined;
  const busy = clicked || (profile ? snapshot.refreshing.includes(profile.id) : false);
  const failure = token?.lastError ?? replyFailure;
  const hasAccessToken = Boolean(token?.accessToken);
  // Locked: the snapshot holds no secret, so there is no token to show and no credentials to edit.
  const locked = snapshot.vault.enabled && !snapshot.vault.unlocked;

  const refresh = async () => {
    if (!profile || busy || locked) return; // the worker joins concurrent refreshes too; this spares the message
    setClicked(true);
    setReplyFailure(undefined);
    setSendProblem(undefined);
    try {
      const reply = await sendMessage('refresh', { profileId: profile.id });
      if (!reply.ok && !reply.token.lastError) setReplyFailure(reply.failure);
    } catch (error) {
      // No answer: the worker stopped before answering; its next start notes the interrupted refresh, and
      // reload() shows it. An answer that its handler failed is said here: nothing else will show it.
      if (error instanceof WorkerFailedError) setSendProblem(workerProblem(error, 'refreshing the token'));
    } finally {
      setClicked(false);
      reload();
    }
  };

  return (
    <Shell profileName={profile?.name}>
      {snapshot.storageProblem && (
        <p role="alert" class="notice warn">
          {snapshot.storageProblem}
        </p>
      )}
      {locked && <LockPanel onUnlocked={reload} />}
      {!profile && !locked && <EmptyState />}
      {profile && <HostAccess origin={profile.oauthHost} />}
      {profile && locked && (
        <div class="refresh-row">
          <button type="button" class="primary locked" disabled aria-describedby="lock-heading">
            <LockIcon /> Locked
          </button>
          <span class="hint">Unlock above to refresh.</span>
        </div>
      )}
      {profile && !locked && (
        <div class="refresh-row">
          <button
            type="button"
            class="primary"
            onClick={() => void refresh()}
            aria-disabled={busy}
            aria-busy={busy}
          >
            {busy ? 'Refreshing…' : 'Refresh now'}
          </button>
          {!hasAccessToken && !busy && !failure && (
            <span class="hint">Saved. Press “Refresh now” to get an access token.</span>
          )}
        </div>
      )}
      {sendProblem && (
        <p role="alert" class="notice error">
          {sendProblem}
        </p>
      )}
      {failure && <FailureNotice failure={failure} hadToken={hasAccessToken} />}
      {token?.accessToken && <TokenPanel token={{ ...token, accessToken: token.accessToken }} />}
      {token?.lastRequest && <RequestDetails request={token.lastRequest} />}
      {!locked && <CredentialsSection profile={profile} vault={snapshot.vault} onSaved={reload} />}
      {!locked && <SecuritySection vault={snapshot.vault} hasProfile={Boolean(profile)} onChanged={reload} />}
    </Shell>
  );
}
