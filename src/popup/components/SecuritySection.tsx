import { useState } from 'preact/hooks';
import { newPassphraseProblem, vaultFailureWords, type VaultReply } from '../../core/passphrase';
import type { VaultStatus } from '../../core/protocol';
import { sendMessage } from '../../platform/messaging';
import { Collapsible } from './Collapsible';
import { LockIcon } from './LockIcon';
import { PassphraseField } from './PassphraseField';

const NO_ANSWER = 'The background worker did not answer. Close and reopen this panel, then try again.';

/**
 * Whether the secrets are encrypted, said plainly, and the passphrase controls. Collapsible like Credentials.
 * Rendered only while the secrets are readable (no vault, or unlocked); the lock panel stands in otherwise.
 */
export function SecuritySection({ vault, onChanged }: { vault: VaultStatus; onChanged: () => void }) {
  // Here, not in the forms: the confirmation must outlive the switch between the "off" and "on" views.
  const [status, setStatus] = useState('');
  const done = (message: string) => {
    setStatus(message);
    onChanged();
  };
  return (
    <section class="security-section" aria-labelledby="security-heading">
      <Collapsible
        name="security"
        title="Security"
        initiallyOpen={false}
        summaryExtra={
          <span class={`badge ${vault.enabled ? 'ok' : 'warn'}`}>
            <LockIcon open={!vault.enabled} /> {vault.enabled ? 'Passphrase on' : 'Not encrypted'}
          </span>
        }
      >
        <div class="security-body">
          {vault.enabled ? (
            <VaultOn onDone={done} onStart={() => setStatus('')} />
          ) : (
            <VaultOff onDone={done} onStart={() => setStatus('')} />
          )}
          <p class="security-status" role="status" aria-live="polite">
            {status}
          </p>
        </div>
      </Collapsible>
    </section>
  );
}

interface FormProps {
  onDone: (message: string) => void;
  onStart: () => void;
}

/** Sends one vault message; a worker that does not answer is a failure like any other. */
async function ask(send: () => Promise<VaultReply>): Promise<VaultReply | { ok: false; message: string }> {
  try {
    return await send();
  } catch {
    return { ok: false, message: NO_ANSWER };
  }
}

function VaultOff({ onDone, onStart }: FormProps) {
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<{ next?: string; confirm?: string }>({});
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    onStart();
    const found = checkNew(next, confirm);
    setErrors(found);
    if (found.next || found.confirm) return;
    setBusy(true);
    const reply = await ask(() => sendMessage('setPassphrase', { passphrase: next }));
    setBusy(false);
    if (!reply.ok) {
      setErrors({ next: reply.message });
      return;
    }
    setNext('');
    setConfirm('');
    onDone('Passphrase set. Your secrets are now encrypted.');
  };

  return (
    <>
      <p class="security-note warn">
        Your client secret, refresh token and access token are stored <strong>unencrypted</strong> in this
        browser profile: anyone who can read its files can read them.
      </p>
      <form class="passphrase-form" onSubmit={onSubmit} noValidate aria-labelledby="protect-heading">
        <h3 id="protect-heading">Protect with a passphrase</h3>
        <NewPassphraseFields
          next={next}
          setNext={setNext}
          confirm={confirm}
          setConfirm={setConfirm}
          errors={errors}
        />
        <p class="hint">
          At least 8 characters. A forgotten passphrase cannot be recovered: you would enter the credentials
          again.
        </p>
        <div class="form-actions">
          <button type="submit" class="secondary" aria-disabled={busy} aria-busy={busy}>
            {busy ? 'Encrypting…' : 'Set passphrase'}
          </button>
        </div>
      </form>
    </>
  );
}

type Panel = 'change' | 'remove' | undefined;

function VaultOn({ onDone, onStart }: FormProps) {
  const [panel, setPanel] = useState<Panel>();
  const [locking, setLocking] = useState(false);
  const lock = async () => {
    if (locking) return;
    onStart();
    setLocking(true);
    const reply = await ask(() => sendMessage('lockVault', {}));
    setLocking(false);
    onDone(reply.ok ? '' : reply.message);
  };
  // One form open at a time: both ask for the current passphrase, and one field per label keeps it clear.
  const toggle = (which: Exclude<Panel, undefined>) => (e: Event) => {
    const isOpen = (e.currentTarget as HTMLDetailsElement).open;
    setPanel((current) => (isOpen ? which : current === which ? undefined : current));
  };
  return (
    <>
      <p class="security-note ok">
        Your client secret, refresh token and access token are encrypted with your passphrase (AES-256-GCM,
        key from PBKDF2-SHA256). They stay unlocked in this browser session until you lock them or restart the
        browser.
      </p>
      <div class="form-actions">
        <button type="button" class="secondary" onClick={lock} aria-disabled={locking} aria-busy={locking}>
          <LockIcon /> {locking ? 'Locking…' : 'Lock now'}
        </button>
      </div>
      <details class="vault-panel" open={panel === 'change'} onToggle={toggle('change')}>
        <summary>Change passphrase</summary>
        {panel === 'change' && (
          <ChangeForm
            onStart={onStart}
            onDone={(message) => {
              setPanel(undefined);
              onDone(message);
            }}
          />
        )}
      </details>
      <details class="vault-panel" open={panel === 'remove'} onToggle={toggle('remove')}>
        <summary>Remove passphrase</summary>
        {panel === 'remove' && <RemoveForm onStart={onStart} onDone={onDone} />}
      </details>
    </>
  );
}

function ChangeForm({ onDone, onStart }: FormProps) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<{ current?: string; next?: string; confirm?: string }>({});
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    onStart();
    const found = {
      ...(current ? {} : { current: 'Enter your current passphrase.' }),
      ...checkNew(next, confirm),
    };
    setErrors(found);
    if (found.current || found.next || found.confirm) return;
    setBusy(true);
    const reply = await ask(() =>
      sendMessage('setPassphrase', { passphrase: next, currentPassphrase: current }),
    );
    setBusy(false);
    if (!reply.ok) {
      setErrors(
        'kind' in reply && reply.kind === 'wrong_passphrase'
          ? { current: reply.message }
          : { next: reply.message },
      );
      return;
    }
    onDone('Passphrase changed. Your secrets are encrypted with the new one.');
  };

  return (
    <form class="passphrase-form" onSubmit={onSubmit} noValidate aria-label="Change passphrase">
      <PassphraseField
        id="current-passphrase"
        label="Current passphrase"
        value={current}
        onInput={setCurrent}
        autoComplete="current-password"
        error={errors.current}
        focusOnMount
      />
      <NewPassphraseFields
        next={next}
        setNext={setNext}
        confirm={confirm}
        setConfirm={setConfirm}
        errors={errors}
      />
      <div class="form-actions">
        <button type="submit" class="secondary" aria-disabled={busy} aria-busy={busy}>
          {busy ? 'Re-encrypting…' : 'Change passphrase'}
        </button>
      </div>
    </form>
  );
}

function RemoveForm({ onDone, onStart }: FormProps) {
  const [current, setCurrent] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    onStart();
    if (!current) {
      setError('Enter your current passphrase.');
      return;
    }
    setBusy(true);
    setError('');
    const reply = await ask(() => sendMessage('removePassphrase', { passphrase: current }));
    setBusy(false);
    if (!reply.ok) {
      setError(reply.message);
      return;
    }
    onDone('Passphrase removed. Your secrets are stored unencrypted again.');
  };

  return (
    <form class="passphrase-form" onSubmit={onSubmit} noValidate aria-label="Remove passphrase">
      <p class="hint">The secrets will be decrypted and stored unencrypted in this browser profile again.</p>
      <PassphraseField
        id="current-passphrase"
        label="Current passphrase"
        value={current}
        onInput={(value) => {
          setCurrent(value);
          setError('');
        }}
        autoComplete="current-password"
        error={error}
        focusOnMount
      />
      <div class="form-actions">
        <button type="submit" class="secondary danger" aria-disabled={busy} aria-busy={busy}>
          {busy ? 'Decrypting…' : 'Remove passphrase'}
        </button>
      </div>
    </form>
  );
}

/** The checks a person can be told before anything is sent: the same length rule the worker applies. */
/** The new passphrase typed twice, as both the enable and the change forms ask for it. */
function NewPassphraseFields(props: {
  next: string;
  setNext: (value: string) => void;
  confirm: string;
  setConfirm: (value: string) => void;
  errors: { next?: string | undefined; confirm?: string | undefined };
}) {
  return (
    <>
      <PassphraseField
        id="new-passphrase"
        label="New passphrase"
        value={props.next}
        onInput={props.setNext}
        autoComplete="new-password"
        error={props.errors.next}
      />
      <PassphraseField
        id="confirm-passphrase"
        label="Confirm passphrase"
        value={props.confirm}
        onInput={props.setConfirm}
        autoComplete="new-password"
        error={props.errors.confirm}
      />
    </>
  );
}

function checkNew(next: string, confirm: string): { next?: string; confirm?: string } {
  const problem = newPassphraseProblem(next);
  if (problem) return { next: vaultFailureWords(problem) };
  if (next !== confirm) return { confirm: 'The two passphrases do not match.' };
  return {};
}
