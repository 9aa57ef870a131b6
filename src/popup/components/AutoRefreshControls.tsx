import { useEffect, useId, useState } from 'preact/hooks';
import {
  DEFAULT_LEAD_MINUTES,
  isLeadMinutes,
  MAX_LEAD_MINUTES,
  MIN_LEAD_MINUTES,
} from '../../core/auto-refresh';
import type { Profile } from '../../core/profile';
import type { TokenState } from '../../core/token-state';
import { sendMessage } from '../../platform/messaging';
import { formatWhen } from '../format-when';
import { workerProblem } from '../worker-problem';

/**
 * "Refresh automatically" and "Minutes before expiry" for one profile, stored at once (no Save): the worker
 * schedules the refresh with an alarm, so it happens with the popup closed. Off by default, and the reason
 * is said where the choice is made.
 */
export function AutoRefreshControls({
  profile,
  token,
  nextAt,
  now,
}: {
  profile: Profile;
  token: TokenState | undefined;
  /** When the worker will refresh next (from the same pure scheduler), if on and scheduled. */
  nextAt: number | undefined;
  now: number;
}) {
  const id = useId();
  const stored = profile.leadMinutes ?? DEFAULT_LEAD_MINUTES;
  const [lead, setLead] = useState(String(stored));
  const [problem, setProblem] = useState<string>();
  // The box follows the click at once; the stored value takes over when its storage change arrives.
  const [pending, setPending] = useState<boolean>();
  const storedOn = profile.autoRefresh === true;
  const enabled = pending ?? storedOn;
  useEffect(() => {
    if (pending === storedOn) setPending(undefined);
  }, [pending, storedOn]);

  const store = async (on: boolean, leadMinutes: number) => {
    setProblem(undefined);
    setPending(on);
    try {
      const reply = await sendMessage('setAutoRefresh', { profileId: profile.id, enabled: on, leadMinutes });
      if (!reply.ok) {
        setPending(undefined);
        setProblem(reply.problem);
      }
    } catch (error) {
      setPending(undefined);
      setProblem(workerProblem(error, 'changing the automatic refresh'));
    }
  };
  const leadValue = Number(lead);
  const leadValid = isLeadMinutes(leadValue);
  const commitLead = () => {
    if (leadValid && leadValue !== stored) void store(enabled, leadValue);
  };

  return (
    <div class="auto-refresh">
      <div class="auto-refresh-row">
        <span class="check-field">
          <input
            id={`${id}-on`}
            type="checkbox"
            checked={enabled}
            onChange={(e) => void store(e.currentTarget.checked, leadValid ? leadValue : stored)}
          />
          <label for={`${id}-on`}>Refresh automatically</label>
        </span>
        <span class="lead">
          <input
            id={`${id}-lead`}
            class="lead-input"
            type="number"
            inputMode="numeric"
            min={MIN_LEAD_MINUTES}
            max={MAX_LEAD_MINUTES}
            step={1}
            value={lead}
            aria-invalid={!leadValid}
            aria-describedby={leadValid ? undefined : `${id}-lead-error`}
            onInput={(e) => setLead(e.currentTarget.value)}
            onBlur={commitLead}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commitLead();
            }}
          />
          <label for={`${id}-lead`}>Minutes before expiry</label>
        </span>
      </div>
      {!leadValid && (
        <p id={`${id}-lead-error`} class="field-message error">
          Enter a whole number of minutes from {MIN_LEAD_MINUTES} to {MAX_LEAD_MINUTES}.
        </p>
      )}
      {storedOn && token?.autoPaused !== undefined && (
        <p class="auto-status paused" role="status">
          Paused: {token.autoPaused}. Fix it, then save the credentials or refresh by hand to resume.
        </p>
      )}
      {storedOn && token?.autoPaused === undefined && nextAt !== undefined && (
        <p class="auto-status">
          Next automatic refresh: {nextAt <= now ? 'now' : formatWhen(nextAt, now, false)}
          {token?.autoRetries ? ` (retry ${token.autoRetries} after a failure)` : ''}.
        </p>
      )}
      {!storedOn && (
        <p class="hint">
          Off by default: each refresh replaces the refresh token, so a backend of yours that holds the same
          one would lose it. Turn it on when this extension is the only one using it.
        </p>
      )}
      {problem && (
        <p role="alert" class="notice error">
          {problem}
        </p>
      )}
    </div>
  );
}
