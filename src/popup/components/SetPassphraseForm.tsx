import { useState } from 'preact/hooks';
import { sendMessage } from '../../platform/messaging';
import { checkNewPassphrase, type NewPassphraseErrors } from '../new-passphrase';
import { askVault, type VaultFormProps } from '../vault-request';
import { NewPassphraseFields } from './NewPassphraseFields';

/**
 * "Protect with a passphrase" over credentials already stored in clear: said before the user submits, since
 * the browser may keep the clear copies on disk after they are sealed.
 */
export function SetPassphraseForm({ onDone, onStart }: VaultFormProps) {
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<NewPassphraseErrors>({});
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    onStart();
    const found = checkNewPassphrase(next, confirm);
    setErrors(found);
    if (found.next || found.confirm) return;
    setBusy(true);
    const reply = await askVault(
      () => sendMessage('setPassphrase', { passphrase: next }),
      'changing the passphrase settings',
    );
    setBusy(false);
    if (!reply.ok) {
      setErrors({ next: reply.message });
      return;
    }
    setNext('');
    setConfirm('');
    onDone({ text: 'Passphrase set. Your secrets are now encrypted.', tone: 'ok' });
  };

  return (
    <form
      class="passphrase-form"
      onSubmit={(e) => void onSubmit(e)}
      noValidate
      aria-labelledby="protect-heading"
    >
      <h3 id="protect-heading">Protect with a passphrase</h3>
      <p class="hint">
        This encrypts what is stored from now on. The browser may keep the unencrypted copies it already wrote
        on disk for a while: if this browser profile may have been copied, also rotate the client secret in
        Dropbox Sign and authorize again for a new refresh token.
      </p>
      <NewPassphraseFields
        next={next}
        setNext={setNext}
        confirm={confirm}
        setConfirm={setConfirm}
        errors={errors}
      />
      <p class="hint">A forgotten passphrase cannot be recovered: you would enter the credentials again.</p>
      <div class="form-actions">
        <button type="submit" class="secondary" aria-disabled={busy} aria-busy={busy}>
          {busy ? 'Encrypting…' : 'Set passphrase'}
        </button>
      </div>
    </form>
  );
}
