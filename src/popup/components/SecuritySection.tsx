import { useState } from 'preact/hooks';
import type { VaultStatus } from '../../core/protocol';
import { useLazyModule } from '../use-lazy-module';
import type { StatusLine } from '../vault-request';
import { Collapsible } from './Collapsible';
import { LockIcon } from './LockIcon';

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
  const [opened, setOpened] = useState(false);
  const panels = useLazyModule(opened, loadPanels);
  return (
    <section class="security-section" aria-labelledby="security-heading">
      <Collapsible
        name="security"
        title="Security"
        initiallyOpen={false}
        onToggle={(open) => {
          if (open) setOpened(true);
        }}
        summaryExtra={
          <span class={`badge ${vault.enabled && !oldCopies ? 'ok' : 'warn'}`}>
            <LockIcon open={!vault.enabled} />{' '}
            {vault.enabled ? (oldCopies ? 'Passphrase on · see note' : 'Passphrase on') : 'Not encrypted'}
          </span>
        }
      >
        <div class="security-body">
          {!panels ? (
            // Only once opened, and not the bare "Loading…" of the popup's first frame (which the e2e page
            // objects wait to see go): folded, the section holds nothing that could be taken for it.
            opened && (
              <p class="loading" aria-busy="true">
                Loading the security settings…
              </p>
            )
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
