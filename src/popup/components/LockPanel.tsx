import { useRef, useState } from 'preact/hooks';
import { sendMessage } from '../../platform/messaging';
import { workerProblem } from '../worker-problem';
import { LockIcon } from './LockIcon';
import { PassphraseField } from './PassphraseField';

/**
 * Shown at the top while the vault is locked: nothing secret is on the page until the passphrase opens it.
 * Unlocking derives the key (PBKDF2, 600,000 iterations), which takes a moment, so the button says so.
 */
export function LockPanel({ onUnlocked }: { onUnlocked: () => void }) {
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLInputElement>(null);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (!passphrase) {
      setError('Enter your passphrase.');
      field.current?.focus();
      return;
    }
    setBusy(true);
    setError('');
    try {
      const reply = await sendMessage('unlockVault', { passphrase });
      if (reply.ok) {
        setPassphrase('');
        onUnlocked();
        return;
      }
      setError(reply.message);
      field.current?.select();
    } catch (error) {
      setError(workerProblem(error, 'unlocking the secrets'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="lock-panel" aria-labelledby="lock-heading">
      <h2 id="lock-heading">
        <LockIcon /> Secrets are locked
      </h2>
      <p>
        Your client secret and tokens are encrypted in this browser profile. Unlock them with your passphrase;
        they stay unlocked until you lock them or restart the browser.
      </p>
      <form class="unlock-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <PassphraseField
          id="unlock-passphrase"
          label="Passphrase"
          value={passphrase}
          onInput={(value) => {
            setPassphrase(value);
            setError('');
          }}
          autoComplete="current-password"
          error={error}
          focusOnMount
          inputRef={field}
        />
        <button type="submit" aria-disabled={busy} aria-busy={busy}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </form>
    </section>
  );
}
