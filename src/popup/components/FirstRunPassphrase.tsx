import type { NewPassphraseErrors } from '../new-passphrase';
import { NewPassphraseFields } from './NewPassphraseFields';

/**
 * The first-run choice to encrypt, offered before the first save: a passphrase set later seals the secrets
 * from then on, but the browser may keep the clear copies it wrote before on disk for a while.
 */
export function FirstRunPassphrase({
  encrypt,
  setEncrypt,
  passphrase,
  setPassphrase,
  confirm,
  setConfirm,
  errors,
}: {
  encrypt: boolean;
  setEncrypt: (value: boolean) => void;
  passphrase: string;
  setPassphrase: (value: string) => void;
  confirm: string;
  setConfirm: (value: string) => void;
  errors: NewPassphraseErrors;
}) {
  return (
    <fieldset class="first-passphrase">
      <div class="check-field">
        <input
          type="checkbox"
          id="encrypt-secrets"
          checked={encrypt}
          onChange={(e) => setEncrypt(e.currentTarget.checked)}
          aria-describedby="encrypt-secrets-why"
        />
        <label for="encrypt-secrets">Encrypt the secrets with a passphrase</label>
      </div>
      <p id="encrypt-secrets-why" class="hint">
        Choose it now and no secret is ever written to disk unencrypted. You will enter the passphrase after
        each browser restart.
      </p>
      {encrypt && (
        <NewPassphraseFields
          idPrefix="first-"
          next={passphrase}
          setNext={setPassphrase}
          confirm={confirm}
          setConfirm={setConfirm}
          errors={errors}
          focusOnMount
        />
      )}
    </fieldset>
  );
}
