// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProfileInput } from '../../core/profile';
import type { RequestOf } from '../../core/protocol';
import { NoAnswerError, sendMessage, WorkerFailedError } from '../../platform/messaging';
import { savedReply, testProfile } from '../test-support';
import { CredentialsForm } from './CredentialsForm';

vi.mock('../../platform/messaging', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../platform/messaging')>()),
  sendMessage: vi.fn(),
}));

const send = vi.mocked(sendMessage);
const PASSPHRASE = 'correct horse battery staple';

beforeEach(() => {
  send.mockReset();
  // The worker stores what it is sent, as it does when nothing else changed meanwhile.
  send.mockImplementation((type, payload) => {
    if (type !== 'saveProfile') throw new Error(`unexpected message ${type}`);
    const { profile } = payload as RequestOf<'saveProfile'>;
    return Promise.resolve(savedReply({ ...profile, id: profile.id ?? 'p-new' }));
  });
});

afterEach(cleanup);

function type(label: string, value: string): void {
  fireEvent.input(screen.getByLabelText(label, { exact: true }), { target: { value } });
}

function save(): void {
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
}

/** The one saveProfile request the form sent. */
async function sentSave(): Promise<RequestOf<'saveProfile'>> {
  await waitFor(() => {
    expect(send).toHaveBeenCalledTimes(1);
  });
  const [type, payload] = send.mock.calls[0] ?? [];
  expect(type).toBe('saveProfile');
  return payload as RequestOf<'saveProfile'>;
}

describe('saving stored credentials', () => {
  it('editing only the name asks the worker to keep the stored refresh token and client secret', async () => {
    render(<CredentialsForm profile={testProfile()} offerPassphrase={false} onSaved={vi.fn()} />);
    type('Name', 'Renamed');
    save();

    const request = await sentSave();
    expect(request.keepStored).toEqual(['refreshToken', 'clientSecret']);
    expect(request.profile.name).toBe('Renamed');
    expect(request).not.toHaveProperty('passphrase');
  });

  it('editing the refresh token sends it, and keeps only the client secret', async () => {
    render(<CredentialsForm profile={testProfile()} offerPassphrase={false} onSaved={vi.fn()} />);
    type('Refresh token', 'a-new-refresh-token-typed-by-hand');
    save();

    const request = await sentSave();
    expect(request.keepStored).toEqual(['clientSecret']);
    expect(request.profile.refreshToken).toBe('a-new-refresh-token-typed-by-hand');
  });

  it('takes a token rotated while the form is open, and still keeps it stored when saving', async () => {
    const { rerender } = render(
      <CredentialsForm profile={testProfile()} offerPassphrase={false} onSaved={vi.fn()} />,
    );
    type('Name', 'Renamed');
    rerender(
      <CredentialsForm
        profile={testProfile({ refreshToken: 'rotated-by-the-worker-meanwhile' })}
        offerPassphrase={false}
        onSaved={vi.fn()}
      />,
    );
    save();

    const request = await sentSave();
    expect(request.keepStored).toEqual(['refreshToken', 'clientSecret']);
    expect(request.profile).toMatchObject<Partial<ProfileInput>>({
      name: 'Renamed',
      refreshToken: 'rotated-by-the-worker-meanwhile',
    });
  });
});

describe('a save the worker does not answer', () => {
  it('tells "did not answer" (try again) apart from "answered with a failure" (restart)', async () => {
    send.mockRejectedValueOnce(new NoAnswerError());
    render(<CredentialsForm profile={testProfile()} offerPassphrase={false} onSaved={vi.fn()} />);
    save();
    await waitFor(() => {
      expect(screen.getByRole('status').textContent).toBe(
        'Not saved. The background worker did not answer. Close and reopen this panel, then try again.',
      );
    });

    send.mockRejectedValueOnce(new WorkerFailedError('DataCloneError'));
    save();
    await waitFor(() => {
      expect(screen.getByRole('status').textContent).toMatch(
        /^Not saved\. The background worker failed while saving the credentials \(DataCloneError\)\. Trying again will likely fail the same way: restart the browser\./,
      );
    });
  });
});

describe('the first-run passphrase', () => {
  function fillCredentials(): void {
    type('Client ID', 'cc91c61d00f8bb2ece1428035716b');
    type('Client secret', 'first-run-client-secret');
    type('Refresh token', 'first-run-refresh-token');
  }

  it('is offered, explained, and sent with the first save', async () => {
    const onSaved = vi.fn();
    render(<CredentialsForm profile={undefined} offerPassphrase onSaved={onSaved} />);
    fillCredentials();
    expect(screen.queryByLabelText('New passphrase')).toBeNull();
    const encrypt = screen.getByRole('checkbox', { name: 'Encrypt the secrets with a passphrase' });
    expect(encrypt.getAttribute('aria-describedby')).toBe('encrypt-secrets-why');
    expect(document.getElementById('encrypt-secrets-why')?.textContent).toContain(
      'no secret is ever written to disk unencrypted',
    );
    fireEvent.click(encrypt);
    type('New passphrase', PASSPHRASE);
    type('Confirm passphrase', PASSPHRASE);
    save();

    const request = await sentSave();
    expect(request.passphrase).toBe(PASSPHRASE);
    expect(request).not.toHaveProperty('keepStored');
    expect(request.profile.clientSecret).toBe('first-run-client-secret');
    await waitFor(() => {
      expect(onSaved).toHaveBeenCalled();
    });
    expect(screen.getByRole('status').textContent).toBe('Saved, encrypted with your passphrase.');
  });

  it('checks the length and the confirmation before anything is sent', async () => {
    render(<CredentialsForm profile={undefined} offerPassphrase onSaved={vi.fn()} />);
    fillCredentials();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Encrypt the secrets with a passphrase' }));
    type('New passphrase', 'eleven char');
    type('Confirm passphrase', 'eleven char');
    save();
    expect(await screen.findByText('A passphrase needs at least 12 characters.')).toBeTruthy();

    type('New passphrase', PASSPHRASE);
    save();
    expect(await screen.findByText('The two passphrases do not match.')).toBeTruthy();
    expect(send).not.toHaveBeenCalled();
  });

  it('shows the worker’s passphraseError on the passphrase field', async () => {
    send.mockResolvedValueOnce({
      ok: false,
      errors: {},
      warnings: {},
      passphraseError: 'A passphrase can have at most 1,024 characters.',
    });
    render(<CredentialsForm profile={undefined} offerPassphrase onSaved={vi.fn()} />);
    fillCredentials();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Encrypt the secrets with a passphrase' }));
    type('New passphrase', PASSPHRASE);
    type('Confirm passphrase', PASSPHRASE);
    save();

    const field = await waitFor(() => {
      const input = screen.getByLabelText('New passphrase');
      expect(input.getAttribute('aria-invalid')).toBe('true');
      return input;
    });
    const message = document.getElementById(field.getAttribute('aria-describedby') ?? '');
    expect(message?.textContent).toBe('A passphrase can have at most 1,024 characters.');
    expect(screen.getByRole('status').textContent).toBe('Not saved: the passphrase could not be used.');
  });

  it('is not sent when the box is left unticked', async () => {
    render(<CredentialsForm profile={undefined} offerPassphrase onSaved={vi.fn()} />);
    fillCredentials();
    save();

    expect(await sentSave()).not.toHaveProperty('passphrase');
  });
});

describe('validation messages', () => {
  const refused = {
    ok: false as const,
    errors: { refreshToken: 'Enter a refresh token: the refresh_token from your last OAuth token response.' },
    warnings: { clientId: 'Required for new API apps. Find it in your API app’s settings.' },
  };

  it('point above, where the fields are, and the first marked field takes the focus', async () => {
    send.mockResolvedValueOnce(refused);
    render(<CredentialsForm profile={undefined} offerPassphrase={false} onSaved={vi.fn()} />);
    save();
    await waitFor(() => {
      expect(screen.getByRole('status').textContent).toBe('Not saved: correct the fields marked above.');
    });
    expect(document.activeElement?.id).toBe('refresh-token');
  });

  it('go from a field as soon as it is changed, and only from that field', async () => {
    send.mockResolvedValueOnce(refused);
    render(<CredentialsForm profile={undefined} offerPassphrase={false} onSaved={vi.fn()} />);
    save();
    const refreshToken = screen.getByLabelText('Refresh token', { exact: true });
    await waitFor(() => {
      expect(refreshToken.getAttribute('aria-invalid')).toBe('true');
    });
    type('Refresh token', 'a-corrected-refresh-token');
    expect(refreshToken.getAttribute('aria-invalid')).toBeNull();
    expect(document.getElementById('refresh-token-message')).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('');
    expect(document.getElementById('client-id-message')?.textContent).toMatch(/Required for new API apps/);
    type('Client ID', 'cc91c61d00f8bb2ece1428035716b');
    expect(document.getElementById('client-id-message')).toBeNull();
  });

  it('an error under Advanced opens it, and it stays open while the field is corrected', async () => {
    send.mockResolvedValueOnce({
      ok: false,
      errors: {
        refreshToken: 'The refresh token contains spaces or line breaks. Paste it again as one piece.',
        oauthHost: 'Use https:// for the OAuth host (http:// is allowed only for localhost).',
      },
      warnings: {},
    });
    render(<CredentialsForm profile={testProfile()} offerPassphrase={false} onSaved={vi.fn()} />);
    save();
    const advanced = document.querySelector<HTMLDetailsElement>('details.advanced');
    await waitFor(() => {
      expect(advanced?.open).toBe(true);
    });
    // The first field marked, in the order the form shows them, takes the focus.
    expect(document.activeElement?.id).toBe('refresh-token');
    type('OAuth host', 'https://app.hellosign.com');
    expect(document.getElementById('oauth-host-message')).toBeNull();
    expect(advanced?.open).toBe(true);
  });
});

describe('a pasted token response', () => {
  const pasted = JSON.stringify({
    access_token: 'an-access-token-the-user-already-holds',
    token_type: 'Bearer',
    refresh_token: 'the-refresh-token-inside',
    expires_in: 3600,
  });

  const said = 'Using the refresh_token from the pasted JSON. Its access token is kept as the current token.';

  it('says its refresh_token is used and its access token kept, before and after saving', async () => {
    render(<CredentialsForm profile={undefined} offerPassphrase={false} onSaved={vi.fn()} />);
    type('Refresh token', pasted);
    expect(document.getElementById('refresh-token-message')?.textContent).toBe(said);
    save();
    // Sent whole: the worker takes the refresh token and keeps the access token.
    const request = await sentSave();
    expect(request.profile.refreshToken).toBe(pasted);
    await waitFor(() => {
      expect(screen.getByRole('status').textContent).toBe(`Saved. ${said}`);
    });
  });

  it('makes plain Save the main button on a first run: the token is already at hand', () => {
    render(
      <CredentialsForm
        profile={undefined}
        offerPassphrase={false}
        onSaved={vi.fn()}
        onRefresh={vi.fn()}
        refreshFirst
      />,
    );
    const buttons = () =>
      [...document.querySelectorAll('.form-actions button')].map((b) => [b.textContent, b.className]);
    // No refresh token yet: nothing to refresh (the app can be authorized once saved).
    expect(buttons()).toEqual([['Save', '']]);
    type('Refresh token', 'a-plain-refresh-token');
    expect(buttons()).toEqual([
      ['Save and refresh', ''],
      ['Save', 'secondary'],
    ]);
    type('Refresh token', pasted);
    expect(buttons()).toEqual([
      ['Save', ''],
      ['Save and refresh', 'secondary'],
    ]);
  });

  it('without an access token in it, says only which refresh token is used', () => {
    render(<CredentialsForm profile={undefined} offerPassphrase={false} onSaved={vi.fn()} />);
    type('Refresh token', '{"refresh_token":"the-refresh-token-inside"}');
    expect(document.getElementById('refresh-token-message')?.textContent).toBe(
      'Using the refresh_token from the pasted JSON.',
    );
  });

  it('says nothing for a refresh token typed as it is', () => {
    render(<CredentialsForm profile={undefined} offerPassphrase={false} onSaved={vi.fn()} />);
    type('Refresh token', 'the-refresh-token-itself');
    expect(document.getElementById('refresh-token-message')).toBeNull();
  });
});
