import type { RefreshFailure } from '../../core/refresh-outcome';

/** A failed refresh in plain words: what happened, what the server said, and what to do. */
export function FailureNotice({ failure, hadToken }: { failure: RefreshFailure; hadToken: boolean }) {
  const server = [failure.status ? `HTTP ${failure.status}` : undefined, failure.serverCode]
    .filter(Boolean)
    .join(' · ');
  return (
    <div role="alert" class="notice error">
      <p class="notice-title">{failure.title}</p>
      {(server || failure.serverMessage) && (
        <p class="notice-server">
          {server && <code>{server}</code>}
          {server && failure.serverMessage ? ' ' : ''}
          {failure.serverMessage}
        </p>
      )}
      <p>{failure.action}</p>
      <p class="notice-foot">
        {hadToken
          ? 'Your credentials and the last token below are unchanged.'
          : 'Your credentials are unchanged.'}{' '}
        <time dateTime={new Date(failure.at).toISOString()}>{new Date(failure.at).toLocaleTimeString()}</time>
      </p>
    </div>
  );
}
