import type { RefreshFailureKind } from '../core/refresh-outcome';
import type { FieldId } from './reveal-field';

/** The button's words (what the user does next), and what it does: lead to a field, or authorize again. */
export type FailureFix = { label: string; field: FieldId } | { label: string; authorize: true };

/**
 * The failures that refreshing again cannot cure: the same credentials would be refused the same way. For
 * these the popup's main action is the fix (the field to change), not "Refresh now".
 */
const FIXES: Partial<Record<RefreshFailureKind, FailureFix>> = {
  // The refresh token is spent or revoked: a new one comes from authorizing the app again (issue 11).
  invalid_grant: { label: 'Authorize again', authorize: true },
  no_refresh_token: { label: 'Paste a refresh token', field: 'refresh-token' },
  invalid_client: { label: 'Check the client ID and secret', field: 'client-id' },
  unauthorized: { label: 'Check the credentials', field: 'client-id' },
};

export function failureFix(kind: RefreshFailureKind): FailureFix | undefined {
  return FIXES[kind];
}
