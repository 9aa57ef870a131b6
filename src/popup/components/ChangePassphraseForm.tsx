import { useState } from 'preact/hooks';
import { sendMessage } from '../../platform/messaging';
import { checkNewPassphrase, type NewPassphraseErrors } from '../new-passphrase';
import { askVault, type VaultFormProps } from '../vault-request';
import { NewPassphraseFields } from './NewPassphraseFields';
import { PassphraseField } from './PassphraseField';

/** The current passphrase and a new one twice; a wrong current one is marked on its own field. */
export function ChangePassphraseForm({ onDone, onStart }: VaultFormProps) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<NewPassphraseErrors & { current?: string }>({});
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    onStart();
    const found = {
      ...(current ? {} : { current: 'Enter your current passphrase.' }),
      ...checkNewPassphrase(next, confirm),
    };
    setErrors(found);
    if (found.current || found.next || found.confirm) return;
    setBusy(true);
    const reply = await askVault(
      () => sendMessage('setPassphrase', { passphrase: next, currentPassphrase: current }),
      'changing the passphrase settings',
    );
    setBusy(false);
    if (!reply.ok) {
      setErrors(
        'kind' in reply && reply.kind === 'wrong_passphrase'
          ? { current: reply.message }
          : { next: reply.message },
      );
      return;
    }
    onDone({ text: 'Passphrase changed. Your secrets are encrypted with the new one.', tone: 'ok' });
  };

  return (
    <form
      class="passphrase-form"
      onSubmit={(e) => void onSubmit(e)}
      noValidate
      aria-label="Change passphrase"
    >
      <PassphraseField
        id="current-passphrase"
        label="Current passphrase"
        value={current}
        onInput={setCurrent}
        autoComplete="current-password"
        error={errors.current}
        focusOnMount
      />
      <NewPassphraseFields
        next={next}
        setNext={setNext}
        confirm={confirm}
        setConfirm={setConfirm}
        errors={errors}
      />
      <div class="form-actions">
        <button type="submit" class="secondary" aria-disabled={busy} aria-busy={busy}>
          {busy ? 'Re-encrypting…' : 'Change passphrase'}
        </button>
      </div>
    </form>
  );
}
