import { useState } from 'preact/hooks';
import type { Profile } from '../core/profile';
import type { RefreshFailure } from '../core/refresh-outcome';
import { sendMessage } from '../platform/messaging';
import { Collapsible } from './components/Collapsible';
import { CredentialsForm } from './components/CredentialsForm';
import { EmptyState } from './components/EmptyState';
import { FailureNotice } from './components/FailureNotice';
import { HostAccess } from './components/HostAccess';
import { LockIcon } from './components/LockIcon';
import { LockPanel } from './components/LockPanel';
import { RequestDetails } from './components/RequestDetails';
import { SecuritySection } from './components/SecuritySection';
import { TokenPanel } from './components/TokenPanel';
import { useSnapshot } from './use-snapshot';

export function App() {
  const { snapshot, loadError, reload } = useSnapshot();
  const [clicked, setClicked] = useState(false);
  const [replyFailure, setReplyFailure] = useState<RefreshFailure>();

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
    try {
      const reply = await sendMessage('refresh', { profileId: profile.id });
      if (!reply.ok && !reply.token.lastError) setReplyFailure(reply.failure);
    } catch {
      // The worker stopped before answering; its next start notes the interrupted refresh, and reload() shows it.
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
          <button type="button" class="primary" onClick={refresh} aria-disabled={busy} aria-busy={busy}>
            {busy ? 'Refreshing…' : 'Refresh now'}
          </button>
          {!hasAccessToken && !busy && !failure && (
            <span class="hint">Saved. Press “Refresh now” to get an access token.</span>
          )}
        </div>
      )}
      {failure && <FailureNotice failure={failure} hadToken={hasAccessToken} />}
      {token?.accessToken && <TokenPanel token={{ ...token, accessToken: token.accessToken }} />}
      {token?.lastRequest && <RequestDetails request={token.lastRequest} />}
      {!locked && (
        <CredentialsSection profile={profile} vaultEnabled={snapshot.vault.enabled} onSaved={reload} />
      )}
      {!locked && <SecuritySection vault={snapshot.vault} onChanged={reload} />}
    </Shell>
  );
}

/** Open for a first-time user; afterwards it stays as the user leaves it, also across a save. */
function CredentialsSection({
  profile,
  vaultEnabled,
  onSaved,
}: {
  profile: Profile | undefined;
  vaultEnabled: boolean;
  onSaved: () => void;
}) {
  return (
    <section class="credentials-section" aria-labelledby="credentials-heading">
      <Collapsible
        name="credentials"
        title={profile ? 'Credentials' : 'Your API app'}
        initiallyOpen={!profile}
      >
        <CredentialsForm profile={profile} onSaved={onSaved} />
      </Collapsible>
      <p class="storage-note">
        {vaultEnabled ? (
          <>
            Stored only in this browser profile (<code>storage.local</code>), not synced. The client secret
            and tokens are encrypted with your passphrase.
          </>
        ) : (
          <>
            Stored only in this browser profile (<code>storage.local</code>), not synced and{' '}
            <strong>not encrypted</strong>. Set a passphrase under Security to encrypt the secrets.
          </>
        )}
      </p>
    </section>
  );
}

function Shell({
  children,
  profileName,
}: {
  children: preact.ComponentChildren;
  profileName?: string | undefined;
}) {
  return (
    <main>
      <header class="app-header">
        <img src="/icons/icon-32.png" alt="" width={24} height={24} />
        <h1>Sign Token Refresher</h1>
        {profileName && <span class="profile-name">{profileName}</span>}
      </header>
      {children}
    </main>
  );
}
