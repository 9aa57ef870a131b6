import type { RefreshFailure } from '../../core/refresh-outcome';
import { failureFix } from '../failure-fix';
import { revealField } from '../reveal-field';

/**
 * A failed refresh in plain words: what happened, then what to do (the line that matters most, so it comes
 * second and reads largest after the title), then what the server said. When refreshing again cannot help,
 * the notice's own button leads to the field to fix, or authorizes the app again.
 */
export function FailureNotice({
  failure,
  hadToken,
  onAuthorize,
}: {
  failure: RefreshFailure;
  hadToken: boolean;
  /** Runs the authorization for this profile ("Authorize again"). */
  onAuthorize?: (() => void) | undefined;
}) {
  const server = [failure.status ? `HTTP ${failure.status}` : undefined, failure.serverCode]
    .filter(Boolean)
    .join(' · ');
  const fix = failureFix(failure.kind);
  return (
    <div role="alert" class="notice error">
      <p class="notice-title">{failure.title}</p>
      <p class="notice-action">{failure.action}</p>
      {fix && (
        <p class="notice-fix">
          <button
            type="button"
            class="primary"
            onClick={() => {
              if ('field' in fix) revealField(fix.field);
              else onAuthorize?.();
            }}
          >
            {fix.label}
          </button>
        </p>
      )}
      {(server || failure.serverMessage) && (
        <p class="notice-server">
          {server && <code>{server}</code>}
          {server && failure.serverMessage ? ' ' : ''}
          {failure.serverMessage}
        </p>
      )}
      <p class="notice-foot">
        {hadToken
          ? 'Your credentials and the last token below are unchanged.'
          : 'Your credentials are unchanged.'}{' '}
        <time dateTime={new Date(failure.at).toISOString()}>{new Date(failure.at).toLocaleTimeString()}</time>
      </p>
    </div>
  );
}
