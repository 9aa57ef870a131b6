import type { Profile } from '../../core/profile';
import { callbackUrl } from '../../platform/identity';
import { useLoadedWhenOpened } from '../use-lazy-module';
import { Collapsible } from './Collapsible';
import { LoadingLine } from './LoadingLine';
import './folded-sections.css';

// The panel comes with the credentials form's chunk (CredentialsForm.tsx re-exports it, and says why).
const loadPanel = () => import('./CredentialsForm');

/**
 * "Authorize the app": open (and its code loaded) while the profile has no refresh token, so a new profile
 * leads straight to the authorization; folded otherwise, and its code loads on the first opening.
 */
export function AuthorizeSection({ profile }: { profile: Profile }) {
  const startOpen = !profile.refreshToken;
  const { module, opened, onToggle } = useLoadedWhenOpened(startOpen, loadPanel);
  return (
    <section class="authorize-section" aria-labelledby="authorize-heading">
      <Collapsible name="authorize" title="Authorize the app" initiallyOpen={startOpen} onToggle={onToggle}>
        {module ? (
          <module.AuthorizePanel profile={profile} redirect={callbackUrl()} />
        ) : (
          <LoadingLine opened={opened} text="Loading…" />
        )}
      </Collapsible>
    </section>
  );
}
