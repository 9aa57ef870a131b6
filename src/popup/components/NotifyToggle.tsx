import { useEffect, useId, useState } from 'preact/hooks';
import { askToNotify, mayNotify, onPermissionsChanged, stopNotifying } from '../../platform/permissions';

/**
 * "Notify me": desktop notifications when an automatic refresh fails and when a token is about to expire with
 * automatic refresh off. The browser's permission is the setting: ticking asks for it (from the click, as
 * browsers require), unticking gives it back. For every profile.
 */
export function NotifyToggle() {
  const id = useId();
  const [allowed, setAllowed] = useState<boolean>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    const check = () => {
      mayNotify().then(setAllowed, () => setAllowed(false));
    };
    check();
    return onPermissionsChanged(check);
  }, []);
  const toggle = async (on: boolean) => {
    setProblem(undefined);
    try {
      if (on) {
        const granted = await askToNotify();
        setAllowed(granted);
        if (!granted) setProblem('The browser did not allow notifications, so none will be shown.');
      } else {
        await stopNotifying();
        setAllowed(false);
      }
    } catch {
      setProblem('The browser refused to change the notification permission. Try again.');
    }
  };
  return (
    <div class="notify-toggle">
      <span class="check-field">
        <input
          id={`${id}-notify`}
          type="checkbox"
          checked={allowed === true}
          disabled={allowed === undefined}
          aria-describedby={`${id}-notify-why`}
          onChange={(e) => void toggle(e.currentTarget.checked)}
        />
        <label for={`${id}-notify`}>Notify me</label>
      </span>
      <p id={`${id}-notify-why`} class="hint">
        When an automatic refresh fails, or a token nears expiry with it off (every profile).
      </p>
      {problem && (
        <p role="alert" class="field-message error">
          {problem}
        </p>
      )}
    </div>
  );
}
