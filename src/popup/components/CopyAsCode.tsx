import { useEffect, useState } from 'preact/hooks';
import { apiHostOf } from '../../core/account';
import type { Profile } from '../../core/profile';
import type { SnippetCall, SnippetForm, SnippetLanguage } from '../../core/snippets';
import type { TokenState } from '../../core/token-state';
import { useCopy } from '../use-copy';

// Its own chunk, loaded when this part first shows: nine languages' templates, needed by few popups. It
// shares no module with the popup's first frame, so it adds no chunk to it (see CredentialsForm.tsx).
const loadSnippets = () => import('../../core/snippets');
type Snippets = Awaited<ReturnType<typeof loadSnippets>>;

const CALL_LABELS: Record<SnippetCall, string> = {
  refresh: 'Refresh the token',
  account: 'GET /v3/account',
};

/**
 * "Copy as code": the refresh call, or the account call with the current token, as a complete program in
 * the language of the vendor's examples, with the official SDK where there is one. Secrets come from
 * environment variables unless "Include secrets" is ticked; the preview never shows them.
 */
export function CopyAsCode({ profile, token }: { profile: Profile; token: TokenState | undefined }) {
  const [snippets, setSnippets] = useState<Snippets>();
  const [language, setLanguage] = useState<SnippetLanguage>('curl');
  const [call, setCall] = useState<SnippetCall>('refresh');
  const [form, setForm] = useState<SnippetForm>('sdk');
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const { status, warn, copy } = useCopy(false);

  useEffect(() => {
    void loadSnippets().then(setSnippets);
  }, []);

  const info = snippets?.SNIPPET_LANGUAGES.find((l) => l.id === language);
  const effectiveForm: SnippetForm = info?.hasSdk ? form : 'http';
  const input = (withSecrets: boolean) => ({
    call,
    language,
    form: effectiveForm,
    oauthHost: profile.oauthHost,
    apiHost: apiHostOf(profile),
    clientId: profile.clientId,
    clientSecret: profile.clientSecret,
    refreshToken: profile.refreshToken,
    accessToken: token?.accessToken ?? '',
    clientAuth: profile.clientAuth,
    includeSecrets: withSecrets,
  });
  const preview = snippets?.codeSnippet(input(false));

  return (
    <div class="copy-code" role="group" aria-labelledby="copy-code-heading">
      <h3 id="copy-code-heading">Copy as code</h3>
      <div class="code-options">
        <div class="inline-field">
          <label for="code-language">Language</label>
          <select
            id="code-language"
            class="code-language"
            value={language}
            onChange={(e) => setLanguage(e.currentTarget.value as SnippetLanguage)}
          >
            {(snippets?.SNIPPET_LANGUAGES ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {l.label}
              </option>
            ))}
          </select>
        </div>
        <div class="inline-field">
          <label for="code-call">Call</label>
          <select
            id="code-call"
            class="code-call"
            value={call}
            onChange={(e) => setCall(e.currentTarget.value as SnippetCall)}
          >
            {(Object.keys(CALL_LABELS) as SnippetCall[]).map((c) => (
              <option key={c} value={c}>
                {CALL_LABELS[c]}
              </option>
            ))}
          </select>
        </div>
        <div class="inline-field">
          <label for="code-form">Form</label>
          <select
            id="code-form"
            class="code-form"
            value={effectiveForm}
            disabled={!info?.hasSdk}
            aria-describedby={info?.hasSdk ? undefined : 'code-form-hint'}
            onChange={(e) => setForm(e.currentTarget.value as SnippetForm)}
          >
            <option value="sdk">Official SDK</option>
            <option value="http">Plain HTTP (standard library)</option>
          </select>
        </div>
        {info && !info.hasSdk && (
          <span class="hint" id="code-form-hint">
            {info.label} has no official Dropbox Sign SDK: plain HTTP.
          </span>
        )}
        <label class="check">
          <input
            type="checkbox"
            class="code-include-secrets"
            checked={includeSecrets}
            onChange={(e) => setIncludeSecrets(e.currentTarget.checked)}
          />{' '}
          Include secrets
        </label>
      </div>
      <p class="hint">
        {includeSecrets
          ? 'The copied code holds the client secret and tokens in place of the environment variables: keep it out of version control.'
          : 'The code reads the client secret and tokens from environment variables (named at its top).'}
      </p>
      <div class="copy-row">
        <button
          type="button"
          class="copy-code-button"
          disabled={!snippets}
          onClick={() => {
            if (snippets)
              void copy(snippets.codeSnippet(input(includeSecrets)), `the ${info?.label ?? ''} code`);
          }}
        >
          Copy code
        </button>
        <span class={`inline-status${warn ? ' warn' : ''}`} role="status" aria-live="polite">
          {status}
        </span>
      </div>
      {preview !== undefined && (
        <details class="code-preview">
          <summary>Preview{includeSecrets ? ' (secrets shown as environment variables)' : ''}</summary>
          <pre class="mono code-text" tabIndex={0}>
            {preview}
          </pre>
        </details>
      )}
    </div>
  );
}
