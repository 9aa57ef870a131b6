import { useState } from 'preact/hooks';
import { countdown } from '../../core/expiry';
import { MASK } from '../../core/redact';
import type { TokenState } from '../../core/token-state';
import { useCopy } from '../use-copy';
import { useNow } from '../use-now';
import { TokenExpiry } from './TokenExpiry';

type AccessToken = TokenState & { accessToken: string };

/**
 * The latest access token: masked until revealed, its expiry counting down, copyable. Once it has expired the
 * copy buttons step back and say so when used: a dead token on the clipboard only fails later, elsewhere.
 */
export function TokenPanel({ token }: { token: AccessToken }) {
  const [revealed, setRevealed] = useState(false);
  const now = useNow();
  const left = countdown(token.expiresAt, now);
  const expired = left.phase === 'expired';
  const { status, warn, copy } = useCopy(expired);
  const header = `Authorization: ${token.tokenType ?? 'Bearer'} ${token.accessToken}`;
  return (
    <section class={`token${expired ? ' is-expired' : ''}`} aria-labelledby="token-heading">
      <div class="token-head">
        <h2 id="token-heading">Access token</h2>
        <button
          type="button"
          class="ghost"
          aria-pressed={revealed}
          aria-label={revealed ? 'Hide access token' : 'Show access token'}
          onClick={() => setRevealed(!revealed)}
        >
          {revealed ? 'Hide' : 'Show'}
        </button>
      </div>
      <div class="token-box">
        <div
          class={`token-value mono${revealed ? '' : ' masked'}`}
          role="textbox"
          aria-readonly="true"
          aria-label="Access token"
          tabIndex={0}
        >
          {revealed ? token.accessToken : MASK.repeat(3)}
        </div>
        {/* Over the token, not under it: the confirmation comes and goes without moving anything. */}
        <span class={`copy-status${warn ? ' warn' : ''}`} role="status" aria-live="polite">
          {status}
        </span>
      </div>
      <TokenExpiry token={token} left={left} now={now} />
      {token.expiryNote && <p class="note">{token.expiryNote}</p>}
      {token.warnings?.map((w) => (
        <p class="note" key={w}>
          Dropbox Sign: {w}
        </p>
      ))}
      <div class="copy-row">
        <button
          type="button"
          class={expired ? 'secondary' : undefined}
          aria-describedby={expired ? 'expiry-main' : undefined}
          onClick={() => void copy(token.accessToken, 'access token')}
        >
          Copy access token
        </button>
        <button
          type="button"
          class="secondary"
          aria-describedby={expired ? 'expiry-main' : undefined}
          onClick={() => void copy(header, 'header')}
        >
          Copy as header
        </button>
      </div>
    </section>
  );
}
