import { useEffect, useRef, useState } from 'preact/hooks';
import { countdown } from '../../core/expiry';
import { MASK } from '../../core/redact';
import type { TokenState } from '../../core/token-state';
import { useNow } from '../use-now';

type AccessToken = TokenState & { accessToken: string };

/** The latest access token: masked until revealed, copyable, with its expiry counting down. */
export function TokenPanel({ token }: { token: AccessToken }) {
  const [revealed, setRevealed] = useState(false);
  const now = useNow();
  const left = countdown(token.expiresAt, now);
  return (
    <section class="token" aria-labelledby="token-heading">
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
      <div
        class={`token-value mono${revealed ? '' : ' masked'}`}
        role="textbox"
        aria-readonly="true"
        aria-label="Access token"
        tabIndex={0}
      >
        {revealed ? token.accessToken : MASK.repeat(3)}
      </div>
      <CopyButtons token={token} />
      <dl class={`expiry ${left.phase}`}>
        <div>
          <dt id="expires-in-label">Expires in</dt>
          <dd>
            <span role="timer" aria-labelledby="expires-in-label" class="countdown mono">
              {left.text}
            </span>
            {left.phase === 'expiring' && <span class="badge warn">Expiring soon</span>}
            {left.phase === 'expired' && <span class="badge bad">Refresh to get a new one</span>}
          </dd>
        </div>
        <div>
          <dt>Expires at</dt>
          <dd>{token.expiresAt !== undefined ? formatWhen(token.expiresAt, now) : 'Unknown'}</dd>
        </div>
        <div>
          <dt>Type</dt>
          <dd>{token.tokenType ?? 'Bearer'}</dd>
        </div>
        {token.receivedAt !== undefined && (
          <div>
            <dt>Received</dt>
            <dd>{formatWhen(token.receivedAt, now)}</dd>
          </div>
        )}
      </dl>
      {token.expiryNote && <p class="note">{token.expiryNote}</p>}
      {token.warnings?.map((w) => (
        <p class="note" key={w}>
          Dropbox Sign: {w}
        </p>
      ))}
    </section>
  );
}

function CopyButtons({ token }: { token: AccessToken }) {
  const [status, setStatus] = useState('');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async (text: string, what: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setStatus(`Copied ${what}`);
    } catch {
      setStatus('Copy failed: show the token and copy it by hand.');
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setStatus(''), 2500);
  };
  return (
    <div class="copy-row">
      <button type="button" onClick={() => void copy(token.accessToken, 'access token')}>
        Copy access token
      </button>
      <button
        type="button"
        class="secondary"
        onClick={() =>
          void copy(`Authorization: ${token.tokenType ?? 'Bearer'} ${token.accessToken}`, 'header')
        }
      >
        Copy as header
      </button>
      <span class="copy-status" role="status" aria-live="polite">
        {status}
      </span>
    </div>
  );
}

/** Local time; with the date when it is not today. */
function formatWhen(epochMs: number, now: number): string {
  const when = new Date(epochMs);
  const sameDay = when.toDateString() === new Date(now).toDateString();
  const time = when.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return sameDay
    ? time
    : `${when.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })}, ${time}`;
}
