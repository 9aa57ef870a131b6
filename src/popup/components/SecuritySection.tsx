import { useState } from 'preact/hooks';
import type { VaultStatus } from '../../core/protocol';
import { useLoadedWhenOpened } from '../use-lazy-module';
import type { StatusLine } from '../vault-request';
import { Collapsible } from './Collapsible';
import { LoadingLine } from './LoadingLine';
import { LockIcon } from './LockIcon';
import './folded-sections.css';

/** The forms load the first time the section is opened, and stay loaded. */
const loadPanels = () => import('./SecurityPanels');

/**
 * Whether the secrets are encrypted, said plainly, and the passphrase controls. Collapsible like Credentials.
 * Rendered only while the secrets are readable (no vault, or unlocked); the lock panel stands in otherwise.
 */
export function SecuritySection({
  vault,
  hasProfile,
  onChanged,
}: {
  vault: VaultStatus;
  hasProfile: boolean;
  onChanged: () => void;
}) {
  // Here, not in the forms: the confirmation must outlive the switch between the "off" and "on" views.
  const [status, setStatus] = useState<StatusLine>({ text: '', tone: 'ok' });
  const done = (next: StatusLine) => {
    setStatus(next);
    onChanged();
  };
  const start = () => setStatus({ text: '', tone: 'ok' });
  const oldCopies = vault.enabled && vault.sealedAfterClear;
  const { module: panels, opened, onToggle } = useLoadedWhenOpened(false, loadPanels);
  return (
    <section class="security-section" aria-labelledby="security-heading">
      <Collapsible
        name="security"
        title="Security"
        initiallyOpen={false}
        onToggle={onToggle}
        summaryExtra={
          <span class={`badge ${vault.enabled && !oldCopies ? 'ok' : 'warn'}`}>
            <LockIcon open={!vault.enabled} />{' '}
            {vault.enabled ? (oldCopies ? 'Passphrase on · see note' : 'Passphrase on') : 'Not encrypted'}
          </span>
        }
      >
        <div class="security-body">
          {!panels ? (
            <LoadingLine opened={opened} text="Loading the security settings…" />
          ) : vault.enabled ? (
            <panels.VaultOnPanel vault={vault} onDone={done} onStart={start} onChanged={onChanged} />
          ) : (
            <panels.VaultOffPanel hasProfile={hasProfile} onDone={done} onStart={start} />
          )}
          <p class={`security-status ${status.tone}`} role="status" aria-live="polite">
            {status.text}
          </p>
        </div>
      </Collapsible>
    </section>
  );
}
