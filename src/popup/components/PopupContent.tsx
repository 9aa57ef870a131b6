import { useEffect, useRef, useState } from 'preact/hooks';
import type { AppSnapshot, RefreshReply } from '../../core/protocol';
import type { RefreshFailure } from '../../core/refresh-outcome';
import type { TokenState } from '../../core/token-state';
import { sendMessage, WorkerFailedError } from '../../platform/messaging';
import { failureFix } from '../failure-fix';
import { formatWhen } from '../format-when';
import { useNow } from '../use-now';
import { useLazyModule } from '../use-lazy-module';
import { workerProblem } from '../worker-problem';
import type { AuthorizeSection } from './AuthorizeSection';
import type { AutomaticRefreshSection } from './AutomaticRefreshSection';
import type { UseTokenSection } from './UseTokenSection';
import { CredentialsSection } from './CredentialsSection';
import { FailureNotice } from './FailureNotice';
import type { HostAccess } from './HostAccess';
import { LockedTokenPanel } from './LockedTokenPanel';
import { LockPanel } from './LockPanel';
import { ProfileBar } from './ProfileBar';
import type { ProfilesFileSection } from './ProfilesFileSection';
import type { SecuritySection } from './SecuritySection';
import { Shell } from './Shell';
import { TokenPanel } from './TokenPanel';

/**
 * One snapshot, rendered: what the user came for (Refresh now, the token and its countdown) first, so it fits
 * a 600 px popup without scrolling; the credentials and security settings fold away below once they are set.
 */
export function PopupContent({ snapshot, reload }: { snapshot: AppSnapshot; reload: () => void }) {
  // The profile picked in the switcher, shown at once from the snapshot (which holds every profile's token)
  // while the worker stores the switch; the stored choice takes over with the next snapshot.
  const [picked, setPicked] = useState<string>();
  const activeId =
    picked !== undefined && snapshot.profiles.some((p) => p.id === picked)
      ? picked
      : snapshot.activeProfileId;
  const locked = snapshot.vault.enabled && !snapshot.vault.unlocked;
  useEffect(() => {
    if (picked !== undefined && snapshot.activeProfileId === picked) setPicked(undefined);
  }, [snapshot.activeProfileId, picked]);
  return (
    <Shell>
      <ProfileBar
        profiles={snapshot.profiles}
        activeId={activeId}
        locked={locked}
        onSwitch={setPicked}
        reload={reload}
      />
      {/* Keyed by profile: nothing of one profile's view (a refresh click, a reply, a half-filled form)
          carries over to another's. */}
      <ProfileView
        key={useViewKey(activeId)}
        snapshot={{ ...snapshot, activeProfileId: activeId }}
        reload={reload}
      />
      <LazyViewLinks />
    </Shell>
  );
}

// Below the token: comes with the credentials form's chunk, loaded after the first frame (CredentialsForm.tsx).
const loadSetupChunk = () => import('./CredentialsForm');

function AutomaticRefresh(props: Parameters<typeof AutomaticRefreshSection>[0]) {
  const module = useLazyModule(true, loadSetupChunk);
  return module ? <module.AutomaticRefreshSection {...props} /> : null;
}

/** "Last request sent", and verify, inspect, copy as code, history: with the same chunk. */
function LaterParts({
  request,
  useToken,
}: {
  request: string | undefined;
  useToken: Parameters<typeof UseTokenSection>[0] | undefined;
}) {
  const module = useLazyModule(true, loadSetupChunk);
  if (!module) return null;
  return (
    <>
      {request && <module.RequestDetails request={request} />}
      {useToken && <module.UseTokenSection {...useToken} />}
    </>
  );
}

/**
 * The folded sections below the credentials (Authorize the app, Export and import, Security): with the same
 * chunk, so their headings stay out of the code the first frame waits for. A profile without a refresh
 * token has Authorize open: it comes a moment after the first frame, under "has no refresh token yet".
 */
function LazyAuthorizeSection(props: Parameters<typeof AuthorizeSection>[0]) {
  const module = useLazyModule(true, loadSetupChunk);
  return module ? <module.AuthorizeSection {...props} /> : null;
}

/** Says nothing until its permission check has answered, and nearly always nothing then: with the same chunk. */
function LazyHostAccess(props: Parameters<typeof HostAccess>[0]) {
  const module = useLazyModule(true, loadSetupChunk);
  return module ? <module.HostAccess {...props} /> : null;
}

function LazyProfilesFileSection(props: Parameters<typeof ProfilesFileSection>[0]) {
  const module = useLazyModule(true, loadSetupChunk);
  return module ? <module.ProfilesFileSection {...props} /> : null;
}

function LazySecuritySection(props: Parameters<typeof SecuritySection>[0]) {
  const module = useLazyModule(true, loadSetupChunk);
  return module ? <module.SecuritySection {...props} /> : null;
}

/** At the foot of the popup: with the same chunk. */
function LazyViewLinks() {
  const module = useLazyModule(true, loadSetupChunk);
  return module ? <module.ViewLinks /> : null;
}

/** First run only: its steps load with the credentials form, so a popup with a token never loads them. */
const loadEmptyState = () => import('./EmptyState');

function FirstRunSteps() {
  const module = useLazyModule(true, loadEmptyState);
  return module ? <module.EmptyState /> : null;
}

/**
 * The key of the profile view: the active profile's id, except when the very first profile is saved. Then
 * the form the user just filled stays mounted, with its "Saved" line and the section left open.
 */
function useViewKey(activeId: string | null): string {
  const key = useRef<{ id: string | null; key: string }>({ id: activeId, key: activeId ?? 'none' });
  if (key.current.id !== activeId) {
    const firstSave = key.current.id === null && activeId !== null;
    key.current = { id: activeId, key: firstSave ? key.current.key : (activeId ?? 'none') };
  }
  return key.current.key;
}

function ProfileView({ snapshot, reload }: { snapshot: AppSnapshot; reload: () => void }) {
  const [clicked, setClicked] = useState(false);
  const [replyFailure, setReplyFailure] = useState<RefreshFailure>();
  const [sendProblem, setSendProblem] = useState<string>();
  const [copied, setCopied] = useState<{ text: string; warn: boolean }>();
  const now = useNow();

  const profile = snapshot.profiles.find((p) => p.id === snapshot.activeProfileId);
  const token = profile ? snapshot.tokens[profile.id] : undefined;
  const busy = clicked || (profile ? snapshot.refreshing.includes(profile.id) : false);
  const failure = token?.lastError ?? replyFailure;
  const hasAccessToken = Boolean(token?.accessToken);
  // Locked: the snapshot holds no secret, so there is no token to show and no credentials to edit.
  const locked = snapshot.vault.enabled && !snapshot.vault.unlocked;
  // When refreshing again cannot help, the failure notice's fix is the main action, not Refresh now.
  const fix = failure && !busy ? failureFix(failure.kind) : undefined;

  const refresh = async (profileId: string): Promise<RefreshReply | undefined> => {
    if (busy || locked) return undefined; // the worker joins concurrent refreshes too; this spares the message
    setClicked(true);
    setReplyFailure(undefined);
    setSendProblem(undefined);
    setCopied(undefined);
    try {
      // The worker stores the answer before it replies: the storage change has already brought it here.
      const reply = await sendMessage('refresh', { profileId });
      if (!reply.ok && !reply.token.lastError) setReplyFailure(reply.failure);
      return reply;
    } catch (error) {
      // An answer that its handler failed is said here: nothing else will show it. No answer: the worker
      // stopped before answering; reload() wakes it, and its start notes the interrupted refresh.
      if (error instanceof WorkerFailedError) setSendProblem(workerProblem(error, 'refreshing the token'));
      else reload();
      return undefined;
    } finally {
      setClicked(false);
    }
  };

  // "Authorize again": the worker runs the whole flow and stores its outcome, which the storage change brings.
  const authorizeAgain = async (profileId: string) => {
    setSendProblem(undefined);
    try {
      await sendMessage('authorize', { profileId });
    } catch (error) {
      if (error instanceof WorkerFailedError) setSendProblem(workerProblem(error, 'authorizing the app'));
      else reload();
    }
  };

  // "Refresh and copy": the new token is copied once it is stored, and the line says which one it was.
  const refreshAndCopy = async (profileId: string) => {
    const reply = await refresh(profileId);
    if (!reply?.ok || !reply.token.accessToken) return;
    try {
      await navigator.clipboard.writeText(reply.token.accessToken);
      const expires = reply.token.expiresAt;
      setCopied({
        text: `Copied the new access token ${maskedEnd(reply.token.accessToken)}${
          expires === undefined ? '' : `, which expires at ${formatWhen(expires, Date.now(), false)}`
        }.`,
        warn: false,
      });
    } catch {
      setCopied({ text: 'Refreshed, but the copy failed: copy the token below by hand.', warn: true });
    }
  };

  return (
    <>
      {snapshot.storageProblem && (
        <p role="alert" class="notice warn">
          {snapshot.storageProblem}
        </p>
      )}
      {locked && <LockPanel onUnlocked={reload} />}
      {!profile && !locked && <FirstRunSteps />}
      {profile && <LazyHostAccess origin={profile.oauthHost} />}
      {/* A new profile (or a duplicate, which never takes the refresh token): nothing to refresh yet. */}
      {profile && !locked && !profile.refreshToken && (
        <p class="hint new-profile-hint">
          “{profile.name}” has no refresh token yet: authorize the app below, or paste one into its
          credentials.
        </p>
      )}
      {profile && !locked && profile.refreshToken && (
        <div class="refresh-row">
          <button
            type="button"
            class={fix ? 'refresh-now secondary' : 'refresh-now primary'}
            onClick={() => void refresh(profile.id)}
            aria-disabled={busy}
            aria-busy={busy}
          >
            {busy ? 'Refreshing…' : 'Refresh now'}
          </button>
          <button
            type="button"
            class="secondary"
            onClick={() => void refreshAndCopy(profile.id)}
            aria-disabled={busy}
          >
            Refresh and copy
          </button>
          {!hasAccessToken && !busy && !failure && (
            <span class="hint">Saved. Press “Refresh now” to get an access token.</span>
          )}
        </div>
      )}
      <p role="status" class={copied?.warn ? 'refresh-copy-status warn' : 'refresh-copy-status'}>
        {copied?.text ?? ''}
      </p>
      {sendProblem && (
        <p role="alert" class="notice error">
          {sendProblem}
        </p>
      )}
      {failure && (
        <FailureNotice
          failure={failure}
          hadToken={hasAccessToken}
          onAuthorize={profile ? () => void authorizeAgain(profile.id) : undefined}
        />
      )}
      {token?.accessToken && <TokenPanel token={{ ...token, accessToken: token.accessToken }} />}
      {locked && token && hadToken(token) && <LockedTokenPanel token={token} />}
      {profile && !locked && profile.refreshToken && (
        <AutomaticRefresh profile={profile} token={token} now={now} />
      )}
      {locked && profile?.autoRefresh && (
        <p class="auto-status paused">Automatic refresh is on: it waits for you to unlock.</p>
      )}
      {/* Below the fold, so with the setup chunk: "Last request sent", and "Use the token". */}
      <LaterParts
        request={token?.lastRequest}
        useToken={
          profile && !locked && (profile.refreshToken || token)
            ? { profile, token, onRefresh: () => void refresh(profile.id) }
            : undefined
        }
      />
      {/* Saved without a refresh token, authorizing is the way on: it comes before the credentials. */}
      {!locked && profile && !profile.refreshToken && <LazyAuthorizeSection profile={profile} />}
      {!locked && (
        <CredentialsSection
          profile={profile}
          vault={snapshot.vault}
          onSaved={reload}
          onRefresh={(id) => void refresh(id)}
          refreshFirst={!hasAccessToken || Boolean(fix)}
        />
      )}
      {!locked && profile && profile.refreshToken && <LazyAuthorizeSection profile={profile} />}
      {!locked && <LazyProfilesFileSection profiles={snapshot.profiles} onImported={reload} />}
      {!locked && (
        <LazySecuritySection vault={snapshot.vault} hasProfile={Boolean(profile)} onChanged={reload} />
      )}
    </>
  );
}

/** The token's last characters, so the user can tell which one was copied without it being shown. */
function maskedEnd(token: string): string {
  return `ending …${token.slice(-4)}`;
}

/** A token was received once: while locked only its access token is withheld, its times are still there. */
function hadToken(token: TokenState): boolean {
  return token.receivedAt !== undefined || token.expiresAt !== undefined;
}
