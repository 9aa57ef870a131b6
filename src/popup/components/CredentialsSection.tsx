import type { Profile } from '../../core/profile';
import type { VaultStatus } from '../../core/protocol';
import { Collapsible } from './Collapsible';
import { CredentialsForm } from './CredentialsForm';

/** Open for a first-time user; afterwards it stays as the user leaves it, also across a save. */
export function CredentialsSection({
  profile,
  vault,
  onSaved,
}: {
  profile: Profile | undefined;
  vault: VaultStatus;
  onSaved: () => void;
}) {
  return (
    <section class="credentials-section" aria-labelledby="credentials-heading">
      <Collapsible
        name="credentials"
        title={profile ? 'Credentials' : 'Your API app'}
        initiallyOpen={!profile}
      >
        <CredentialsForm profile={profile} offerPassphrase={!profile && !vault.enabled} onSaved={onSaved} />
      </Collapsible>
      <p class="storage-note">
        {vault.enabled ? (
          <>
            Stored only in this browser profile (<code>storage.local</code>), not synced. The client secret
            and tokens are encrypted with your passphrase
            {vault.sealedAfterClear ? '; older unencrypted copies may remain on disk (see Security).' : '.'}
          </>
        ) : profile ? (
          <>
            Stored only in this browser profile (<code>storage.local</code>), not synced and{' '}
            <strong>not encrypted</strong>. Set a passphrase under Security to encrypt the secrets.
          </>
        ) : (
          <>
            Stored only in this browser profile (<code>storage.local</code>), not synced. Without a passphrase
            they are stored <strong>unencrypted</strong>.
          </>
        )}
      </p>
    </section>
  );
}
