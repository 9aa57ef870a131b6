import { useId, useState } from 'preact/hooks';
import type { Profile } from '../../core/profile';
import { sendMessage } from '../../platform/messaging';
import { openUrlInTab } from '../../platform/views';
import { workerProblem } from '../worker-problem';

/**
 * Getting the first token (issue 11). "Authorize with Dropbox Sign" runs the whole flow in the worker (the
 * browser's authorization window, the code exchange, the token stored), so the popup may close meanwhile:
 * the outcome shows on the profile like a refresh's. Below it, the callback URL the app must have registered,
 * and the paste fallback for when it cannot (a second browser, a callback that points at the user's server).
 */
export function AuthorizePanel({
  profile,
  redirect,
}: {
  profile: Profile;
  /** The extension's callback URL (`identity.getRedirectURL()`), read by the section that loads this. */
  redirect: string;
}) {
  const id = useId();
  const [busy, setBusy] = useState<'window' | 'tab' | 'code'>();
  const [status, setStatus] = useState<{ text: string; bad: boolean }>();
  const [pasted, setPasted] = useState('');
  const [copied, setCopied] = useState('');
  const ready = Boolean(profile.clientId && profile.clientSecret);

  const run = async (what: 'window' | 'tab' | 'code', action: () => Promise<void>) => {
    setBusy(what);
    setStatus(undefined);
    try {
      await action();
    } catch (error) {
      setStatus({ text: workerProblem(error, 'authorizing the app'), bad: true });
    } finally {
      setBusy(undefined);
    }
  };
  const authorize = () =>
    run('window', async () => {
      const reply = await sendMessage('authorize', { profileId: profile.id });
      setStatus(
        reply.ok
          ? { text: 'Authorized: the new token and refresh token are stored.', bad: false }
          : { text: reply.failure.title, bad: true },
      );
    });
  const openPage = () =>
    run('tab', async () => {
      const reply = await sendMessage('beginAuthorization', { profileId: profile.id });
      if (!reply.ok) {
        setStatus({ text: reply.failure.title, bad: true });
        return;
      }
      await openUrlInTab(reply.url);
      setStatus({
        text: 'Approve in the new tab, then paste the address you land on (or its code) here.',
        bad: false,
      });
    });
  const exchangePasted = () =>
    run('code', async () => {
      const reply = await sendMessage('useAuthorizationCode', { profileId: profile.id, input: pasted });
      if (reply.ok) setPasted('');
      setStatus(
        reply.ok
          ? { text: 'Authorized: the new token and refresh token are stored.', bad: false }
          : { text: reply.failure.title, bad: true },
      );
    });
  const copyCallback = async () => {
    try {
      await navigator.clipboard.writeText(redirect);
      setCopied('Copied the callback URL.');
    } catch {
      setCopied('Copy failed: select the URL and copy it by hand.');
    }
  };

  if (!ready) {
    return (
      <p class="hint">Enter and save the client ID and client secret first: the authorization needs both.</p>
    );
  }
  return (
    <div class="authorize">
      <p>
        <button
          type="button"
          class={profile.refreshToken ? 'secondary' : 'primary'}
          onClick={() => void authorize()}
          aria-disabled={busy !== undefined}
          aria-busy={busy === 'window'}
        >
          {busy === 'window' ? 'Waiting for the authorization…' : 'Authorize with Dropbox Sign'}
        </button>
      </p>
      <p role="status" class={status?.bad ? 'authorize-status bad' : 'authorize-status'}>
        {status?.text ?? ''}
      </p>
      <div class="field">
        <label for={`${id}-callback`}>Callback URL to register</label>
        <div class="authorize-callback">
          <input id={`${id}-callback`} type="text" readOnly value={redirect} />
          <button type="button" class="secondary" onClick={() => void copyCallback()}>
            Copy callback URL
          </button>
        </div>
        <p class="hint">
          {copied ||
            'Put it in your app’s settings in Dropbox Sign (API → your app → Edit → OAuth callback URL). An app has one callback URL: for a second browser, or an app whose callback points at your own server, use the steps below or an API app of its own.'}
        </p>
      </div>
      <details class="authorize-paste">
        <summary>Authorize without the callback URL</summary>
        <p>
          <button
            type="button"
            class="secondary"
            onClick={() => void openPage()}
            aria-disabled={busy !== undefined}
          >
            Open authorization page
          </button>
        </p>
        <div class="field">
          <label for={`${id}-pasted`}>Callback URL or code</label>
          <div class="field-row">
            <input
              id={`${id}-pasted`}
              type="text"
              autocomplete="off"
              spellcheck={false}
              value={pasted}
              onInput={(e) => setPasted(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && pasted.trim()) void exchangePasted();
              }}
            />
            <button
              type="button"
              class="secondary"
              onClick={() => void exchangePasted()}
              aria-disabled={busy !== undefined || !pasted.trim()}
            >
              Use code
            </button>
          </div>
          <p class="hint">
            After approving, paste the whole address you land on; its state is checked against the page you
            opened. A bare code works too, but its state cannot be checked.
          </p>
        </div>
      </details>
    </div>
  );
}
