import type { VaultFormProps } from '../vault-request';
import { SetPassphraseForm } from './SetPassphraseForm';

/**
 * No passphrase yet. With credentials stored, offers one and says plainly what it cannot undo: the clear
 * copies written before. With nothing stored, points to the first-run choice in the credentials form, which
 * seals the secrets before anything is written.
 */
export function VaultOffPanel({ hasProfile, onDone, onStart }: VaultFormProps & { hasProfile: boolean }) {
  if (!hasProfile) {
    return (
      <p class="security-note">
        Nothing is stored yet. To keep every secret encrypted from the start, choose “Encrypt the secrets with
        a passphrase” in the form above before you save.
      </p>
    );
  }
  return (
    <>
      <p class="security-note warn">
        Your client secret, refresh token and access token are stored <strong>unencrypted</strong> in this
        browser profile: anyone who can read its files can read them.
      </p>
      <SetPassphraseForm onDone={onDone} onStart={onStart} />
    </>
  );
}
