import { useState } from 'preact/hooks';
import { AUTO_LOCK_CHOICES } from '../../core/protocol';
import { sendMessage } from '../../platform/messaging';
import { autoLockLabel } from '../auto-lock';
import { askVault, type StatusLine } from '../vault-request';

const NEVER = 'never';

/**
 * "Lock after N without use", off by default. Shows what is stored; while a change is on its way it shows
 * the choice, and on a failure it goes back to what is stored and says why.
 */
export function AutoLockSelect({ minutes, onChanged }: { minutes: number | null; onChanged: () => void }) {
  const [pending, setPending] = useState<string>();
  const [status, setStatus] = useState<StatusLine>({ text: '', tone: 'ok' });
  const stored = minutes === null ? NEVER : String(minutes);
  const choices =
    AUTO_LOCK_CHOICES.includes(minutes ?? NaN) || minutes === null
      ? AUTO_LOCK_CHOICES
      : [...AUTO_LOCK_CHOICES, minutes].sort((a, b) => a - b);

  const onChange = async (event: Event) => {
    const value = (event.currentTarget as HTMLSelectElement).value;
    const next = value === NEVER ? null : Number(value);
    setPending(value);
    setStatus({ text: '', tone: 'ok' });
    const reply = await askVault(
      () => sendMessage('setAutoLock', { minutes: next }),
      'changing the passphrase settings',
    );
    setPending(undefined);
    if (!reply.ok) {
      setStatus({ text: `Not changed. ${reply.message}`, tone: 'error' });
      return;
    }
    setStatus({
      text:
        next === null
          ? 'Auto-lock off: the secrets stay unlocked until you lock them or restart the browser.'
          : `The secrets now lock after ${autoLockLabel(next)} without use.`,
      tone: 'ok',
    });
    onChanged();
  };

  return (
    <div class="auto-lock">
      <div class="auto-lock-row">
        <label for="auto-lock">Lock after</label>
        <select
          id="auto-lock"
          value={pending ?? stored}
          onChange={(e) => void onChange(e)}
          aria-busy={pending !== undefined}
          aria-describedby="auto-lock-unit auto-lock-status"
        >
          <option value={NEVER}>Never</option>
          {choices.map((choice) => (
            <option value={String(choice)} key={choice}>
              {autoLockLabel(choice)}
            </option>
          ))}
        </select>
        <span id="auto-lock-unit" class="hint">
          without use
        </span>
      </div>
      <p id="auto-lock-status" class={`field-message ${status.tone}`} role="status" aria-live="polite">
        {status.text}
      </p>
    </div>
  );
}
