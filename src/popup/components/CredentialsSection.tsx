import type { Profile } from '../../core/profile';
import type { VaultStatus } from '../../core/protocol';
import { useLoadedWhenOpened } from '../use-lazy-module';
import { Collapsible } from './Collapsible';
import { LoadingLine } from './LoadingLine';

/**
 * The form (with its validation and host parsing) loads the first time the section is open: at once for a
 * first-time user, on the first click for everyone else, whose popup then paints the token without it.
 */
const loadForm = () => import('./CredentialsForm');

/** Open for a first-time user; afterwards it stays as the user leaves it, also across a save. */
export function CredentialsSection({
  profile,
  vault,
  onSaved,
  onRefresh,
  refreshFirst = false,
}: {
  profile: Profile | undefined;
  vault: VaultStatus;
  onSaved: () => void;
  /** Refreshes the saved profile: offered as "Save and refresh" when given. */
  onRefresh?: ((profileId: string) => void) | undefined;
  /** "Save and refresh" as the main button: no token yet, or one the credentials must be fixed to get. */
  refreshFirst?: boolean;
}) {
  // Open, with the form loaded, while there is nothing to refresh: no profile yet, or a new or duplicated one.
  const startOpen = !profile || !profile.refreshToken;
  const { module: form, opened, onToggle } = useLoadedWhenOpened(startOpen, loadForm);
  return (
    <section class="credentials-section" aria-labelledby="credentials-heading">
      <Collapsible
        name="credentials"
        title={profile ? 'Credentials' : 'Your API app'}
        initiallyOpen={startOpen}
        onToggle={onToggle}
      >
        {form ? (
          <form.CredentialsForm
            profile={profile}
            offerPassphrase={!profile && !vault.enabled}
            onSaved={onSaved}
            onRefresh={onRefresh}
            refreshFirst={refreshFirst}
          />
        ) : (
          <LoadingLine opened={opened} text="Loading the form…" />
        )}
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
