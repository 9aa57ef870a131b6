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
