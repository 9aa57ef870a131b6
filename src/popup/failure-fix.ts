import type { RefreshFailureKind } from '../core/refresh-outcome';
import type { FieldId } from './reveal-field';

export interface FailureFix {
  /** The button's words: what the user does next. */
  label: string;
  field: FieldId;
}

/**
 * The failures that refreshing again cannot cure: the same credentials would be refused the same way. For
 * these the popup's main action is the fix (the field to change), not "Refresh now".
 */
const FIXES: Partial<Record<RefreshFailureKind, FailureFix>> = {
  invalid_grant: { label: 'Paste a new refresh token', field: 'refresh-token' },
  no_refresh_token: { label: 'Paste a refresh token', field: 'refresh-token' },
  invalid_client: { label: 'Check the client ID and secret', field: 'client-id' },
  unauthorized: { label: 'Check the credentials', field: 'client-id' },
};

export function failureFix(kind: RefreshFailureKind): FailureFix | undefined {
  return FIXES[kind];
}
