import { countdown } from '../../core/expiry';
import type { TokenState } from '../../core/token-state';
import { useNow } from '../use-now';
import { LockIcon } from './LockIcon';
import { TokenExpiry } from './TokenExpiry';

/**
 * The token while the vault is locked: its expiry is not secret and is what the user came to check, so it
 * counts down here; the token itself is sealed and only the lock panel above opens it.
 */
export function LockedTokenPanel({ token }: { token: TokenState }) {
  const now = useNow();
  const left = countdown(token.expiresAt, now);
  return (
    <section class="token locked" aria-labelledby="token-heading">
      <div class="token-head">
        <h2 id="token-heading">Access token</h2>
        <span class="badge neutral">
          <LockIcon /> Locked
        </span>
      </div>
      <TokenExpiry token={token} left={left} now={now} />
      <p class="note">Unlock above to see, copy or refresh it.</p>
    </section>
  );
}
