import { backoffMinutes, classifyFailure } from '../core/auto-refresh';
import { EXPIRY_WARNING_MS } from '../core/expiry';
import type { RefreshFailure } from '../core/refresh-outcome';
import type { StoredData } from '../core/stored-data';
import { notify, onNotificationClicked, takeUnwarned } from '../platform/notifications';
import { openInTab } from '../platform/views';

/**
 * The two things worth interrupting the user for, when they asked to be ("Notify me"): an automatic refresh
 * that failed (nobody clicked, so nobody else will see it), and a token about to expire with nothing set to
 * refresh it. Titles and messages name the profile and the failure's own words; never a secret.
 */
const NOTIFICATION_PREFIX = 'sign-token-refresher:';

export async function noticeAutomaticFailure(
  profileName: string,
  failure: RefreshFailure,
  retries: number,
): Promise<void> {
  const kind = classifyFailure(failure);
  if (kind === 'waits') return;
  const next =
    kind === 'permanent'
      ? 'Automatic refresh is paused until you fix this.'
      : `It will try again in ${backoffMinutes(retries)} min.`;
  await notify(
    `${NOTIFICATION_PREFIX}failed`,
    `Automatic refresh failed: ${profileName}`,
    `${failure.title}. ${next}`,
  );
}

/**
 * Once per token: each profile whose token entered its last minutes with automatic refresh off. Which token
 * was warned of is kept apart from the document (`takeUnwarned`), so the next minute's check is quiet.
 */
export async function warnOfExpiringTokens(data: StoredData, now: number): Promise<void> {
  const candidates: Record<string, number> = {};
  for (const profile of data.profiles) {
    const expiresAt = data.tokens[profile.id]?.expiresAt;
    if (profile.autoRefresh || expiresAt === undefined) continue;
    if (expiresAt > now && expiresAt - now <= EXPIRY_WARNING_MS) candidates[profile.id] = expiresAt;
  }
  if (Object.keys(candidates).length === 0) return;
  for (const id of await takeUnwarned(candidates)) {
    const profile = data.profiles.find((p) => p.id === id);
    const minutes = Math.max(1, Math.round(((candidates[id] ?? now) - now) / 60_000));
    await notify(
      `${NOTIFICATION_PREFIX}expiring:${id}`,
      `Token expiring: ${profile?.name ?? 'a profile'}`,
      `The access token expires in ${minutes} min and automatic refresh is off. Open the extension to refresh it.`,
    );
  }
}

/** Top level of the worker only: a click on one of ours opens the extension's view in a tab. */
export function listenForNoticeClicks(): void {
  onNotificationClicked((id) => {
    if (id.startsWith(NOTIFICATION_PREFIX)) void openInTab();
  });
}
