import { nextAutoRefreshAt } from '../../core/auto-refresh-state';
import type { Profile } from '../../core/profile';
import type { TokenState } from '../../core/token-state';
import { AutoRefreshControls } from './AutoRefreshControls';
import { NotifyToggle } from './NotifyToggle';

/**
 * "Refresh automatically", its lead and state, and "Notify me": below the token, so their code (and the
 * scheduler's) comes with a chunk loaded after the first frame, which shows the token without waiting.
 */
export function AutomaticRefreshSection({
  profile,
  token,
  now,
}: {
  profile: Profile;
  token: TokenState | undefined;
  now: number;
}) {
  return (
    <>
      <AutoRefreshControls
        profile={profile}
        token={token}
        nextAt={nextAutoRefreshAt(profile, token, now)}
        now={now}
      />
      <NotifyToggle />
    </>
  );
}
