import { useEffect, useRef, useState } from 'preact/hooks';
import {
  CLIENT_AUTH_LABELS,
  CLIENT_AUTH_MODES,
  DEFAULT_OAUTH_HOST,
  DEFAULT_PROFILE_NAME,
  type Profile,
  type ProfileInput,
} from '../../core/profile';
import type { FieldMessages, ProfileField } from '../../core/validate-profile';
import { normalizeOauthHost } from '../../core/validate-profile';
import { KEPT_SECRETS } from '../../core/protocol';
import { sendMessage } from '../../platform/messaging';
import { requestHostAccess } from '../../platform/permissions';
import { checkNewPassphrase, type NewPassphraseErrors } from '../new-passphrase';
import { workerProblem } from '../worker-problem';
import { FirstRunPassphrase } from './FirstRunPassphrase';
import { TextField } from './SecretInput';

const BUILT_IN_HOSTS = ['https://app.hellosign.com', 'https://api.hellosign.com'];

function toInput(profile: Profile | undefined): ProfileInput {
  return profile
    ? { ...profile }
    : {
        name: DEFAULT_PROFILE_NAME,
        clientId: '',
        clientSecret: '',
        refreshToken: '',
        oauthHost: DEFAULT_OAUTH_HOST,
        clientAuth: 'body',
      };
}

/**
 * Client ID, client secret and refresh token, with the rarely-changed settings under "Advanced". Saving goes
 * through the worker, the only writer, so a token rotated meanwhile is not overwritten by a stale form.
 * On a first run it also offers a passphrase: chosen then, the worker seals the secrets before it writes
 * anything, so none is ever on disk in clear.
 */
export function CredentialsForm({
  profile,
  offerPassphrase,
  onSaved,
}: {
  profile: Profile | undefined;
  offerPassphrase: boolean;
  onSaved: () => void;
}) {
  const [form, setForm] = useState<ProfileInput>(() => toInput(profile));
  const loaded = useRef<ProfileInput>(form);
  // The worker may store a rotated refresh token while the form is open. Take stored changes into every
  // field the user has not edited, so saving the form can never put back a token that was rotated away.
  useEffect(() => {
    if (!profile) return;
    const previous = loaded.current;
    const next = toInput(profile);
    loaded.current = next;
    setForm((current) => {
      const merged = { ...current };
      for (const key of Object.keys(next) as (keyof ProfileInput)[]) {
        if (current[key] === previous[key]) Object.assign(merged, { [key]: next[key] });
      }
      return merged;
    });
  }, [profile]);
  const [errors, setErrors] = useState<FieldMessages>({});
  const [warnings, setWarnings] = useState<FieldMessages>({});
  const [status, setStatus] = useState('');
  const [saving, setSaving] = useState(false);
  const [encrypt, setEncrypt] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [passphraseErrors, setPassphraseErrors] = useState<NewPassphraseErrors>({});
  const set = (field: keyof ProfileInput) => (value: string) => {
    setForm((current) => ({ ...current, [field]: value }));
    setStatus('');
  };
  const message = (field: ProfileField) =>
    errors[field]
      ? { text: errors[field], tone: 'error' as const }
      : warnings[field]
        ? { text: warnings[field], tone: 'warning' as const }
        : undefined;
  const advancedHasError = Boolean(errors.oauthHost || errors.clientAuth);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (saving) return;
    const withPassphrase = offerPassphrase && encrypt;
    if (withPassphrase) {
      const found = checkNewPassphrase(passphrase, confirm);
      setPassphraseErrors(found);
      if (found.next || found.confirm) {
        setStatus('Not saved: correct the passphrase below.');
        return;
      }
    }
    // Browsers show a permission prompt only during the click itself, so ask before anything is awaited.
    const host = normalizeOauthHost(form.oauthHost.trim() || DEFAULT_OAUTH_HOST);
    const access =
      'origin' in host && !BUILT_IN_HOSTS.includes(host.origin)
        ? requestHostAccess(host.origin).catch(() => false)
        : Promise.resolve(true);
    setSaving(true);
    try {
      const keepStored = KEPT_SECRETS.filter((field) => form[field] === loaded.current[field]);
      const reply = await sendMessage('saveProfile', {
        profile: form,
        ...(profile ? { keepStored } : {}),
        ...(withPassphrase ? { passphrase } : {}),
      });
      setWarnings(reply.warnings);
      if (!reply.ok) {
        setErrors(reply.errors);
        if (reply.passphraseError) setPassphraseErrors({ next: reply.passphraseError });
        setStatus(
          reply.problem ??
            (reply.passphraseError && Object.keys(reply.errors).length === 0
              ? 'Not saved: the passphrase could not be used.'
              : 'Not saved: correct the fields marked below.'),
        );
        return;
      }
      setErrors({});
      setPassphraseErrors({});
      setPassphrase('');
      setConfirm('');
      // Show what was stored (trimmed, a pasted JSON reduced to its token), so later stored changes merge in.
      loaded.current = toInput(reply.profile);
      setForm(loaded.current);
      const granted = await access;
      const saved = withPassphrase ? 'Saved, encrypted with your passphrase.' : 'Saved.';
      setStatus(
        granted
          ? saved
          : `${saved} The extension has no access to ${'origin' in host ? host.origin : 'that host'}; refreshing may fail until you allow it.`,
      );
      onSaved();
    } catch (error) {
      setStatus(`Not saved. ${workerProblem(error, 'saving the credentials')}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      class="credentials"
      onSubmit={(e) => void onSubmit(e)}
      noValidate
      aria-labelledby="credentials-heading"
    >
      <TextField
        id="client-id"
        label="Client ID"
        value={form.clientId}
        onInput={set('clientId')}
        message={message('clientId')}
        autoFocus={!profile}
      />
      <TextField
        id="client-secret"
        label="Client secret"
        value={form.clientSecret}
        onInput={set('clientSecret')}
        message={message('clientSecret')}
        secret
      />
      <TextField
        id="refresh-token"
        label="Refresh token"
        value={form.refreshToken}
        onInput={set('refreshToken')}
        message={message('refreshToken')}
        secret
      />
      <details class="advanced" open={advancedHasError || undefined}>
        <summary>Advanced</summary>
        <TextField
          id="profile-name"
          label="Name"
          value={form.name}
          onInput={set('name')}
          message={message('name')}
        />
        <TextField
          id="oauth-host"
          label="OAuth host"
          value={form.oauthHost}
          onInput={set('oauthHost')}
          message={message('oauthHost')}
          placeholder={DEFAULT_OAUTH_HOST}
        />
        <div class="field">
          <label for="client-auth">Client authentication</label>
          <select
            id="client-auth"
            value={form.clientAuth}
            onChange={(e) => set('clientAuth')(e.currentTarget.value)}
            aria-invalid={errors.clientAuth ? true : undefined}
            aria-describedby={errors.clientAuth ? 'client-auth-message' : undefined}
          >
            {CLIENT_AUTH_MODES.map((mode) => (
              <option value={mode} key={mode}>
                {CLIENT_AUTH_LABELS[mode]}
              </option>
            ))}
          </select>
          {errors.clientAuth && (
            <p id="client-auth-message" class="field-message error">
              {errors.clientAuth}
            </p>
          )}
        </div>
      </details>
      {offerPassphrase && (
        <FirstRunPassphrase
          encrypt={encrypt}
          setEncrypt={setEncrypt}
          passphrase={passphrase}
          setPassphrase={setPassphrase}
          confirm={confirm}
          setConfirm={setConfirm}
          errors={passphraseErrors}
        />
      )}
      <div class="form-actions">
        <button
          type="submit"
          class={profile ? 'secondary' : undefined}
          aria-disabled={saving}
          aria-busy={saving}
        >
          Save
        </button>
        <span class="form-status" role="status" aria-live="polite">
          {status}
        </span>
      </div>
    </form>
  );
}
