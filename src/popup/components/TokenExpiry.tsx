import type { Countdown } from '../../core/expiry';
import type { TokenState } from '../../core/token-state';
import { formatWhen } from '../format-when';

/**
 * When the access token stops working, on one line: "Expires in 0:59:12" counting down, or once it is over,
 * "Expired at 06:21:25 PM". The details that matter less (the exact time, the type, when it arrived) follow
 * in a quieter line. Nothing here is secret, so the locked panel shows it too.
 */
export function TokenExpiry({ token, left, now }: { token: TokenState; left: Countdown; now: number }) {
  const at = token.expiresAt !== undefined ? formatWhen(token.expiresAt, now) : undefined;
  const expired = left.phase === 'expired';
  const meta = [
    !expired && token.expiresAt !== undefined ? `Expires at ${formatWhen(token.expiresAt, now, false)}` : '',
    token.tokenType ?? 'Bearer',
    token.receivedAt !== undefined ? `received ${formatWhen(token.receivedAt, now, false)}` : '',
  ].filter(Boolean);
  return (
    <div class={`expiry ${left.phase}`}>
      <p class="expiry-main" id="expiry-main">
        {/* Named "Expires in" also once expired, where the visible words say "Expired at …" instead. */}
        <span id="expires-in-label" class="expiry-label" hidden={expired}>
          Expires in
        </span>
        <span role="timer" aria-labelledby="expires-in-label" class="countdown mono">
          {left.text}
        </span>
        {expired && at && <span class="expiry-at">at {at}</span>}
        {left.phase === 'expiring' && <span class="badge warn">Expiring soon</span>}
      </p>
      <p class="expiry-meta">{meta.join(' · ')}</p>
    </div>
  );
}
