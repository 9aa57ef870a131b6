import { useState } from 'preact/hooks';
import { sendMessage } from '../../platform/messaging';
import { askVault, type VaultFormProps } from '../vault-request';
import { PassphraseField } from './PassphraseField';

/** Decrypts the secrets and stores them in clear again; needs the current passphrase. */
export function RemovePassphraseForm({ onDone, onStart }: VaultFormProps) {
  const [current, setCurrent] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    onStart();
    if (!current) {
      setError('Enter your current passphrase.');
      return;
    }
    setBusy(true);
    setError('');
    const reply = await askVault(
      () => sendMessage('removePassphrase', { passphrase: current }),
      'changing the passphrase settings',
    );
    setBusy(false);
    if (!reply.ok) {
      setError(reply.message);
      return;
    }
    onDone({ text: 'Passphrase removed. Your secrets are stored unencrypted again.', tone: 'ok' });
  };

  return (
    <form
      class="passphrase-form"
      onSubmit={(e) => void onSubmit(e)}
      noValidate
      aria-label="Remove passphrase"
    >
      <p class="hint">The secrets will be decrypted and stored unencrypted in this browser profile again.</p>
      <PassphraseField
        id="current-passphrase"
        label="Current passphrase"
        value={current}
        onInput={(value) => {
          setCurrent(value);
          setError('');
        }}
        autoComplete="current-password"
        error={error}
        focusOnMount
      />
      <div class="form-actions">
        <button type="submit" class="secondary danger" aria-disabled={busy} aria-busy={busy}>
          {busy ? 'Decrypting…' : 'Remove passphrase'}
        </button>
      </div>
    </form>
  );
}
