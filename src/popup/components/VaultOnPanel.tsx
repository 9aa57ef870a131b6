import { useState } from 'preact/hooks';
import type { VaultStatus } from '../../core/protocol';
import { sendMessage } from '../../platform/messaging';
import { autoLockLabel } from '../auto-lock';
import { askVault, type VaultFormProps } from '../vault-request';
import { AutoLockSelect } from './AutoLockSelect';
import { ChangePassphraseForm } from './ChangePassphraseForm';
import { LockIcon } from './LockIcon';
import { RemovePassphraseForm } from './RemovePassphraseForm';

type Panel = 'change' | 'remove' | undefined;

/** The vault is on and unlocked: what that means, then lock, auto-lock, change and remove. */
export function VaultOnPanel({
  vault,
  onDone,
  onStart,
  onChanged,
}: VaultFormProps & { vault: VaultStatus; onChanged: () => void }) {
  const [panel, setPanel] = useState<Panel>();
  const [locking, setLocking] = useState(false);
  const lock = async () => {
    if (locking) return;
    onStart();
    setLocking(true);
    const reply = await askVault(() => sendMessage('lockVault', {}), 'changing the passphrase settings');
    setLocking(false);
    onDone(reply.ok ? { text: '', tone: 'ok' } : { text: reply.message, tone: 'error' });
  };
  // One form open at a time: both ask for the current passphrase, and one field per label keeps it clear.
  const toggle = (which: Exclude<Panel, undefined>) => (e: Event) => {
    const isOpen = (e.currentTarget as HTMLDetailsElement).open;
    setPanel((current) => (isOpen ? which : current === which ? undefined : current));
  };
  const until =
    vault.autoLockMinutes === null
      ? 'until you lock them or restart the browser'
      : `until you lock them, restart the browser, or leave them unused for ${autoLockLabel(vault.autoLockMinutes)}`;
  return (
    <>
      <p class="security-note ok">
        Your client secret, refresh token and access token are encrypted with your passphrase (AES-256-GCM,
        key from PBKDF2-SHA256). They stay unlocked in this browser session {until}.
      </p>
      {vault.sealedAfterClear && (
        <div class="security-note warn old-copies" role="note" aria-labelledby="old-copies-title">
          <p id="old-copies-title">
            <strong>Stored unencrypted before the passphrase was set</strong>
          </p>
          <p>
            The browser may keep old copies of those secrets on disk for a while. If this browser profile may
            have been copied, rotate the client secret in Dropbox Sign and authorize again for a new refresh
            token.
          </p>
        </div>
      )}
      <div class="form-actions">
        <button
          type="button"
          class="secondary"
          onClick={() => void lock()}
          aria-disabled={locking}
          aria-busy={locking}
        >
          <LockIcon /> {locking ? 'Locking…' : 'Lock now'}
        </button>
      </div>
      <AutoLockSelect minutes={vault.autoLockMinutes} onChanged={onChanged} />
      <details class="vault-panel" open={panel === 'change'} onToggle={toggle('change')}>
        <summary>Change passphrase</summary>
        {panel === 'change' && (
          <ChangePassphraseForm
            onStart={onStart}
            onDone={(status) => {
              setPanel(undefined);
              onDone(status);
            }}
          />
        )}
      </details>
      <details class="vault-panel" open={panel === 'remove'} onToggle={toggle('remove')}>
        <summary>Remove passphrase</summary>
        {panel === 'remove' && <RemovePassphraseForm onStart={onStart} onDone={onDone} />}
      </details>
    </>
  );
}
