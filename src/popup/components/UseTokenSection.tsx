import { useState } from 'preact/hooks';
import { apiHostOf } from '../../core/account';
import type { Profile } from '../../core/profile';
import type { TokenState } from '../../core/token-state';
import { ApiTabButton } from './ApiTabButton';
import { Collapsible } from './Collapsible';
import { CopyAsCode } from './CopyAsCode';
import { LastExchange } from './LastExchange';
import { RefreshHistory } from './RefreshHistory';
import { VerifyToken } from './VerifyToken';
import './use-token.css';

/**
 * "Use the token": browse the API in a tab that carries it, verify it against the API, inspect the last exchanges, copy the call as code, and the
 * refresh history. Folded by default; its parts mount on the first opening, so a popup that never opens it
 * asks the worker for nothing (a message would wake a stopped worker).
 */
export function UseTokenSection({
  profile,
  token,
  onRefresh,
}: {
  profile: Profile;
  token: TokenState | undefined;
  onRefresh: () => void;
}) {
  const [opened, setOpened] = useState(false);
  return (
    <section class="use-token-section" aria-labelledby="use-token-heading">
      <Collapsible
        name="use-token"
        title="Use the token"
        initiallyOpen={false}
        onToggle={(open) => {
          if (open) setOpened(true);
        }}
      >
        {opened && (
          <div class="use-token-body">
            <ApiTabButton
              profileId={profile.id}
              apiHost={apiHostOf(profile)}
              hasToken={Boolean(token?.accessToken)}
            />
            <VerifyToken
              profileId={profile.id}
              apiHost={apiHostOf(profile)}
              hasToken={Boolean(token?.accessToken)}
              onRefresh={onRefresh}
            />
            <LastExchange profileId={profile.id} />
            <CopyAsCode profile={profile} token={token} />
            <RefreshHistory profileId={profile.id} changedAt={token?.lastAttemptAt ?? token?.receivedAt} />
          </div>
        )}
      </Collapsible>
    </section>
  );
}
