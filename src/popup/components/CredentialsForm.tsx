import { useEffect, useRef, useState } from 'preact/hooks';
import {
  CLIENT_AUTH_MODES,
  type ClientAuthMode,
  emptyProfileInput,
  DEFAULT_OAUTH_HOST,
  type Profile,
  type ProfileInput,
} from '../../core/profile';
import { apiHostOf } from '../../core/account';
import type { FieldMessages, ProfileField } from '../../core/validate-profile';
import {
  normalizeApiHost,
  normalizeOauthHost,
  readPastedTokenResponse,
  type PastedTokenResponse,
} from '../../core/validate-profile';
import { KEPT_SECRETS } from '../../core/protocol';
import { sendMessage } from '../../platform/messaging';
import { requestHostAccess } from '../../platform/permissions';
import { checkNewPassphrase, type NewPassphraseErrors } from '../new-passphrase';
import { revealField, type FieldId } from '../reveal-field';
import { workerProblem } from '../worker-problem';
import { FirstRunPassphrase } from './FirstRunPassphrase';
import { TextField } from './SecretInput';

/** The choices of "Client authentication"; here, not in profile.ts, so the popup's first frame carries none of it. */
const CLIENT_AUTH_LABELS: Record<ClientAuthMode, string> = {
  body: 'Credentials in the JSON body (what the official SDKs send)',
  basic: 'HTTP Basic header (RFC 6749 §2.3.1)',
  both: 'Both body and Basic header',
};

const BUILT_IN_HOSTS = ['https://app.hellosign.com', 'https://api.hellosign.com'];

/** Each field's element, in the order the form shows them: a failed save focuses the first one marked. */
const FIELD_IDS: Record<ProfileField, FieldId> = {
  clientId: 'client-id',
  clientSecret: 'client-secret',
  refreshToken: 'refresh-token',
  name: 'profile-name',
  oauthHost: 'oauth-host',
  apiHost: 'api-host',
  clientAuth: 'client-auth',
};

/**
 * A field's messages are about its old value: they go as it changes. The Basic-auth message goes with the
 * client ID and secret it is about.
 */
function withoutMessagesFor(field: keyof ProfileInput) {
  const stale = new Set<string>([field]);
  if (field === 'clientId' || field === 'clientSecret') stale.add('clientAuth');
  return (messages: FieldMessages): FieldMessages =>
    Object.fromEntries(Object.entries(messages).filter(([key]) => !stale.has(key)));
}

export const PASTED_JSON_NOTE = 'Using the refresh_token from the pasted JSON.';
/** The worker keeps a pasted response's access token as the current one: no refresh is spent to get it. */
export const PASTED_TOKEN_NOTE = 'Its access token is kept as the current token.';

function pastedNote(pasted: PastedTokenResponse): string {
  return pasted.accessToken ? `${PASTED_JSON_NOTE} ${PASTED_TOKEN_NOTE}` : PASTED_JSON_NOTE;
}

function toInput(profile: Profile | undefined): ProfileInput {
  return profile ? { ...profile } : emptyProfileInput();
}

/**
 * Client ID, client secret and refresh token, with the rarely-changed settings under "Advanced". Saving goes
 * through the worker, the only writer, so a token rotated meanwhile is not overwritten by a stale form.
 * On a first run it also offers a passphrase: chosen then, the worker seals the secrets before it writes
 * anything, so none is ever on disk in clear.
 *
 * With `onRefresh`, it also offers "Save and refresh": saved, the profile is refreshed at once, which is what
 * a first-time user (or one who just pasted a new refresh token) came for. `refreshFirst` makes it the main
 * button, and the one Enter presses, unless a pasted token response already holds an access token.
 */
export function CredentialsForm({
  profile,
  offerPassphrase,
  onSaved,
  onRefresh,
  refreshFirst = false,
}: {
  profile: Profile | undefined;
  offerPassphrase: boolean;
  onSaved: () => void;
  onRefresh?: ((profileId: string) => void) | undefined;
  refreshFirst?: boolean;
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
  // Opened by the user or by an error in it, and left open while that error is being corrected.
  const [advancedOpen, setAdvancedOpen] = useState(false);
  // Which button submitted: Enter "clicks" the form's first submit button, so this is set for it too.
  const refreshAfterSave = useRef(false);
  const set = (field: keyof ProfileInput) => (value: string) => {
    setForm((current) => ({ ...current, [field]: value }));
    setErrors(withoutMessagesFor(field));
    setWarnings(withoutMessagesFor(field));
    setStatus('');
  };
  const pasted = readPastedTokenResponse(form.refreshToken);
  // A pasted response that holds an access token needs no refresh: plain Save is then the main button.
  const refreshMain = refreshFirst && !pasted?.accessToken;
  // Without a refresh token there is nothing to refresh: the way on is "Authorize the app" below.
  const offerRefresh = Boolean(onRefresh) && form.refreshToken.trim() !== '';
  const message = (field: ProfileField) =>
    errors[field]
      ? { text: errors[field], tone: 'error' as const }
      : warnings[field]
        ? { text: warnings[field], tone: 'warning' as const }
        : field === 'refreshToken' && pasted
          ? { text: pastedNote(pasted), tone: 'info' as const }
          : undefined;

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (saving) return;
    const andRefresh = Boolean(onRefresh) && refreshAfterSave.current;
    const withPassphrase = offerPassphrase && encrypt;
    if (withPassphrase) {
      const found = checkNewPassphrase(passphrase, confirm);
      setPassphraseErrors(found);
      if (found.next || found.confirm) {
        setStatus('Not saved: correct the passphrase above.');
        return;
      }
    }
    // Browsers show a permission prompt only during the click itself, so ask before anything is awaited.
    // The OAuth host and (for "Verify token") the API host, in one prompt.
    const host = normalizeOauthHost(form.oauthHost.trim() || DEFAULT_OAUTH_HOST);
    const apiHost = form.apiHost?.trim() ? normalizeApiHost(form.apiHost.trim()) : undefined;
    const asked = [host, apiHost]
      .flatMap((h) => (h && 'origin' in h && !BUILT_IN_HOSTS.includes(h.origin) ? [h.origin] : []))
      .filter((origin, i, all) => all.indexOf(origin) === i);
    const [first, ...others] = asked;
    const access =
      first !== undefined ? requestHostAccess(first, ...others).catch(() => false) : Promise.resolve(true);
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
        if (reply.errors.name || reply.errors.oauthHost || reply.errors.apiHost || reply.errors.clientAuth) {
          setAdvancedOpen(true);
        }
        if (reply.passphraseError) setPassphraseErrors({ next: reply.passphraseError });
        setStatus(
          reply.problem ??
            (reply.passphraseError && Object.keys(reply.errors).length === 0
              ? 'Not saved: the passphrase could not be used.'
              : 'Not saved: correct the fields marked above.'),
        );
        const first = (Object.keys(FIELD_IDS) as ProfileField[]).find((field) => reply.errors[field]);
        if (first) revealField(FIELD_IDS[first]);
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
      const saved = [
        withPassphrase ? 'Saved, encrypted with your passphrase.' : 'Saved.',
        pasted ? pastedNote(pasted) : '',
        granted
          ? ''
          : `The extension has no access to ${'origin' in host ? host.origin : 'that host'}; refreshing may fail until you allow it.`,
      ];
      setStatus(saved.filter(Boolean).join(' '));
      onSaved();
      // Without access the refresh could only fail: the line above says why, and Refresh now stays.
      if (andRefresh && granted) onRefresh?.(reply.profileId);
    } catch (error) {
      setStatus(`Not saved. ${workerProblem(error, 'saving the credentials')}`);
    } finally {
      setSaving(false);
    }
  };

  const saveAndRefreshButton = (
    <button
      type="submit"
      class={refreshMain ? undefined : 'secondary'}
      aria-disabled={saving}
      aria-busy={saving}
      onClick={() => {
        refreshAfterSave.current = true;
      }}
    >
      Save and refresh
    </button>
  );

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
      <details class="advanced" open={advancedOpen} onToggle={(e) => setAdvancedOpen(e.currentTarget.open)}>
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
        <TextField
          id="api-host"
          label="API host (for Verify token)"
          value={form.apiHost ?? ''}
          onInput={set('apiHost')}
          message={message('apiHost')}
          placeholder={apiHostOf({ oauthHost: form.oauthHost.trim() || DEFAULT_OAUTH_HOST })}
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
        {offerRefresh && refreshMain && saveAndRefreshButton}
        <button
          type="submit"
          class={profile || (offerRefresh && refreshMain) ? 'secondary' : undefined}
          aria-disabled={saving}
          aria-busy={saving}
          onClick={() => {
            refreshAfterSave.current = false;
          }}
        >
          Save
        </button>
        {offerRefresh && !refreshMain && saveAndRefreshButton}
        <span class="form-status" role="status" aria-live="polite">
          {status}
        </span>
      </div>
    </form>
  );
}

// Loaded with this chunk, after the first frame: see AuthorizeSection.tsx and PopupContent.tsx. One chunk
// for what sets a profile up: one more lazy chunk sharing the popup's modules makes the bundler (rolldown)
// move those (the polyfill, Preact's hooks, the messaging) into a chunk of their own, one more file for the
// first frame to fetch.
export { AuthorizePanel } from './AuthorizePanel';
export { AuthorizeSection } from './AuthorizeSection';
export { HostAccess } from './HostAccess';
export { ProfilesFileSection } from './ProfilesFileSection';
export { SecuritySection } from './SecuritySection';
export { AutomaticRefreshSection } from './AutomaticRefreshSection';
export { RequestDetails } from './RequestDetails';
export { UseTokenSection } from './UseTokenSection';
export { ViewLinks } from './ViewLinks';
