import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import type { RateLimit } from '../../core/account';
import type { VerifyReply } from '../../core/protocol';
import { sendMessage } from '../../platform/messaging';
import { formatWhen } from '../format-when';
import { workerProblem } from '../worker-problem';
import { HostAccess } from './HostAccess';

/**
 * "Verify token": asks the worker to call `GET /v3/account` with the token, and shows whose account it is,
 * its quotas and the rate limit left, or why the call failed and what to do. The answer tells "my token is
 * bad" from "my call is wrong".
 */
export function VerifyToken({
  profileId,
  apiHost,
  hasToken,
  onRefresh,
}: {
  profileId: string;
  /** Where the call goes: its host access is offered here when missing (Firefox lets users take it away). */
  apiHost: string;
  hasToken: boolean;
  onRefresh: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [reply, setReply] = useState<VerifyReply>();
  const [problem, setProblem] = useState<string>();

  const verify = async () => {
    if (busy || !hasToken) return;
    setBusy(true);
    setProblem(undefined);
    setReply(undefined);
    try {
      setReply(await sendMessage('verifyToken', { profileId }));
    } catch (error) {
      setReply(undefined);
      setProblem(workerProblem(error, 'verifying the token'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="verify" aria-labelledby="verify-heading" role="group">
      <h3 id="verify-heading">Verify</h3>
      <HostAccess origin={apiHost} />
      <div class="verify-row">
        <button
          type="button"
          class="secondary verify-token"
          onClick={() => void verify()}
          aria-disabled={busy || !hasToken}
          aria-busy={busy}
          aria-describedby={hasToken ? undefined : 'verify-hint'}
        >
          {busy ? 'Verifying…' : 'Verify token'}
        </button>
        {!hasToken && (
          <span class="hint" id="verify-hint">
            Refresh first: there is no access token to verify.
          </span>
        )}
      </div>
      <div class="verify-result" role="status" aria-live="polite">
        {reply?.ok && <AccountDetails reply={reply} />}
        {reply && !reply.ok && (
          <div class="notice error" role="alert">
            <p class="notice-title">{reply.message}</p>
            {reply.reason === 'expired' && (
              <button type="button" class="secondary" onClick={onRefresh}>
                Refresh the token
              </button>
            )}
            {reply.rateLimit && <RateLimitLine limit={reply.rateLimit} />}
          </div>
        )}
        {problem && (
          <p class="notice error" role="alert">
            {problem}
          </p>
        )}
      </div>
    </div>
  );
}

function AccountDetails({ reply }: { reply: Extract<VerifyReply, { ok: true }> }) {
  const { account } = reply;
  return (
    <div class="account-details">
      <p class="verify-ok">The token works: Dropbox Sign answered {reply.status} for this account.</p>
      <dl class="facts">
        <dt>Email</dt>
        <dd class="account-email">{account.email}</dd>
        <dt>Account ID</dt>
        <dd class="mono account-id">{account.accountId}</dd>
        {account.quotas.map((quota) => (
          <Fragment key={quota.label}>
            <dt>{quota.label}</dt>
            <dd>{quota.value}</dd>
          </Fragment>
        ))}
      </dl>
      <RateLimitLine limit={reply.rateLimit} />
    </div>
  );
}

/** "Rate limit: 98 of 100 requests left, resets at 14:05": whatever parts the headers gave. */
function RateLimitLine({ limit }: { limit: RateLimit }) {
  const parts: string[] = [];
  if (limit.remaining !== undefined && limit.limit !== undefined) {
    parts.push(`${limit.remaining} of ${limit.limit} requests left`);
  } else if (limit.remaining !== undefined) {
    parts.push(`${limit.remaining} requests left`);
  } else if (limit.limit !== undefined) {
    parts.push(`limit ${limit.limit} requests`);
  }
  if (limit.resetAt !== undefined) parts.push(`resets at ${formatWhen(limit.resetAt, Date.now(), false)}`);
  if (parts.length === 0) return null;
  return <p class="hint rate-limit">Rate limit: {parts.join(', ')}.</p>;
}
