// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { failure } from '../../core/failures';
import type { RequestOf } from '../../core/protocol';
import type { RefreshFailureKind } from '../../core/refresh-outcome';
import type { TokenState } from '../../core/token-state';
import { NoAnswerError, sendMessage } from '../../platform/messaging';
import { savedReply, snapshotOf, testProfile, VAULT_OFF } from '../test-support';
import { PopupContent } from './PopupContent';

vi.mock('../../platform/messaging', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../platform/messaging')>()),
  sendMessage: vi.fn(),
}));

// The fake browser has no permissions events; access to the OAuth host is granted here, as it is by default.
vi.mock('../../platform/permissions', () => ({
  hasHostAccess: () => Promise.resolve(true),
  requestHostAccess: () => Promise.resolve(true),
  onPermissionsChanged: () => () => undefined,
  mayNotify: () => Promise.resolve(false),
  askToNotify: () => Promise.resolve(false),
  stopNotifying: () => Promise.resolve(),
}));

const send = vi.mocked(sendMessage);
const NOW = Date.now();

beforeEach(() => {
  send.mockReset();
});

afterEach(cleanup);

// The form is loaded with import() the first time its section opens. Transformed once here, so no test
// waits on a cold transform (seconds on a busy machine); its import() still resolves after the first render.
beforeAll(async () => {
  await Promise.all([import('./CredentialsForm'), import('./EmptyState')]);
});

function withToken(token: TokenState) {
  return snapshotOf({ tokens: { 'p-1': token } });
}

function failed(kind: RefreshFailureKind, token: TokenState = {}) {
  return withToken({ ...token, lastError: failure(kind, NOW - 1000) });
}

function refreshButton(): HTMLElement {
  return screen.getByRole('button', { name: 'Refresh now' });
}

describe('Refresh now', () => {
  it('asks for the stored state again only when the worker did not answer', async () => {
    const reload = vi.fn();
    send.mockResolvedValueOnce({ ok: true, token: { accessToken: 'a' } });
    render(<PopupContent snapshot={withToken({ accessToken: 'old' })} reload={reload} />);
    fireEvent.click(refreshButton());
    await waitFor(() => {
      expect(send).toHaveBeenCalledTimes(1);
    });
    await act(async () => {
      await Promise.resolve(); // the answer handled
    });
    expect(reload).not.toHaveBeenCalled();

    send.mockRejectedValueOnce(new NoAnswerError());
    fireEvent.click(refreshButton());
    await waitFor(() => {
      expect(reload).toHaveBeenCalledTimes(1);
    });
  });
});

describe('a failed refresh', () => {
  it('says what to do right after the title, before what the server said', () => {
    render(<PopupContent snapshot={failed('server_error')} reload={vi.fn()} />);
    const lines = [...screen.getByRole('alert').querySelectorAll('p')].map((p) => p.className);
    expect(lines.slice(0, 2)).toEqual(['notice-title', 'notice-action']);
  });

  it('invalid_grant: the main action is "Authorize again", which asks the worker to authorize this profile', async () => {
    send.mockResolvedValue({ ok: true, token: { accessToken: 'new' } });
    render(<PopupContent snapshot={failed('invalid_grant')} reload={vi.fn()} />);
    expect(refreshButton().classList.contains('secondary')).toBe(true);
    const fix = screen.getByRole('button', { name: 'Authorize again' });
    expect(fix.className).toBe('primary');
    fireEvent.click(fix);
    await waitFor(() => {
      expect(send).toHaveBeenCalledWith('authorize', { profileId: 'p-1' });
    });
  });

  it.each<[RefreshFailureKind, string, string]>([
    ['no_refresh_token', 'Paste a refresh token', 'refresh-token'],
    ['invalid_client', 'Check the client ID and secret', 'client-id'],
  ])(
    '%s: the main action is the fix, which opens the folded credentials and focuses the field',
    async (kind, fixLabel, fieldId) => {
      render(<PopupContent snapshot={failed(kind)} reload={vi.fn()} />);
      const credentials = document.querySelector<HTMLDetailsElement>('details.credentials-details');
      expect(credentials?.open).toBe(false);
      // Folded, the form is not loaded yet: the fix must open the section and wait for the field.
      expect(document.getElementById(fieldId)).toBeNull();
      expect(refreshButton().classList.contains('secondary')).toBe(true);
      const fix = screen.getByRole('button', { name: fixLabel });
      expect(fix.className).toBe('primary');

      fireEvent.click(fix);
      expect(credentials?.open).toBe(true);
      await waitFor(() => {
        expect(document.activeElement?.id).toBe(fieldId);
      });
    },
  );

  it('a failure that a retry can cure keeps Refresh now as the main action, with no fix', () => {
    render(<PopupContent snapshot={failed('server_error')} reload={vi.fn()} />);
    expect(refreshButton().classList.contains('primary')).toBe(true);
    expect(screen.getByRole('alert').querySelector('button')).toBeNull();
  });
});

/** The credentials form loads on its own (CredentialsSection); a first-time user's section is open at once. */
async function formLoaded(): Promise<void> {
  await screen.findByLabelText('Refresh token', { exact: true });
}

describe('the first run', () => {
  it('the empty state’s field names lead to their fields', async () => {
    render(<PopupContent snapshot={snapshotOf({ profiles: [] })} reload={vi.fn()} />);
    await formLoaded();
    // The steps load on their own too (first run only).
    fireEvent.click(await screen.findByRole('button', { name: 'Refresh token' }));
    expect(document.activeElement?.id).toBe('refresh-token');
    fireEvent.click(screen.getByRole('button', { name: 'Client secret' }));
    expect(document.activeElement?.id).toBe('client-secret');
  });

  it('"Save and refresh" saves, then refreshes the profile the worker saved', async () => {
    const saved = testProfile({ id: 'p-saved' });
    send.mockImplementation((type) => {
      if (type === 'saveProfile') return Promise.resolve(savedReply(saved));
      if (type === 'refresh') return Promise.resolve({ ok: true, token: { accessToken: 'a' } });
      throw new Error(`unexpected message ${type}`);
    });
    const reload = vi.fn();
    render(<PopupContent snapshot={snapshotOf({ profiles: [] })} reload={reload} />);
    await formLoaded();
    fireEvent.input(screen.getByLabelText('Refresh token', { exact: true }), {
      target: { value: saved.refreshToken },
    });
    const both = screen.getByRole('button', { name: 'Save and refresh' });
    // The main button, and the first, so Enter in a field does the same.
    expect(both.className).toBe('');
    expect(screen.getByRole('button', { name: 'Save' }).className).toBe('secondary');
    fireEvent.click(both);

    await waitFor(() => {
      expect(send).toHaveBeenCalledTimes(2);
    });
    expect(send.mock.calls[0]?.[0]).toBe('saveProfile');
    expect(send.mock.calls[1]).toEqual(['refresh', { profileId: 'p-saved' }]);
    // After the save only: the refresh's answer came with its storage change, so nothing is read again.
    await waitFor(() => {
      expect(reload).toHaveBeenCalledTimes(1);
    });
    await Promise.resolve();
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('"Save" alone saves and sends no refresh', async () => {
    send.mockImplementation((type, payload) => {
      const { profile } = payload as RequestOf<'saveProfile'>;
      if (type === 'saveProfile') return Promise.resolve(savedReply({ ...profile, id: 'p-saved' }));
      throw new Error(`unexpected message ${type}`);
    });
    render(<PopupContent snapshot={snapshotOf({ profiles: [] })} reload={vi.fn()} />);
    await formLoaded();
    fireEvent.input(screen.getByLabelText('Refresh token', { exact: true }), {
      target: { value: 'typed-refresh-token' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(send).toHaveBeenCalledTimes(1);
  });
});

describe('locked', () => {
  const locked = { ...VAULT_OFF, enabled: true, unlocked: false };

  it('shows the expiry counting down, and neither the token nor a second "Locked" control', () => {
    const snapshot = snapshotOf({
      vault: locked,
      profiles: [testProfile({ clientSecret: '', refreshToken: '' })],
      tokens: { 'p-1': { tokenType: 'Bearer', receivedAt: NOW - 60_000, expiresAt: NOW + 3_540_000 } },
    });
    render(<PopupContent snapshot={snapshot} reload={vi.fn()} />);
    expect(screen.getByRole('timer', { name: 'Expires in' }).textContent).toMatch(/^0:5[89]:\d\d$/);
    expect(screen.queryByRole('textbox', { name: 'Access token' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Locked/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Refresh now' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Unlock' })).toBeTruthy();
  });

  it('shows no token panel when no token was ever received', () => {
    render(<PopupContent snapshot={snapshotOf({ vault: locked })} reload={vi.fn()} />);
    expect(screen.queryByRole('timer')).toBeNull();
  });
});

describe('the token', () => {
  it('once expired, says so on one line and marks a copy of it', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const expiresAt = NOW - 5000;
    render(
      <PopupContent
        snapshot={withToken({ accessToken: 'dead-token', receivedAt: NOW - 3_605_000, expiresAt })}
        reload={vi.fn()}
      />,
    );
    const line = document.getElementById('expiry-main');
    expect(line?.textContent).toMatch(/^Expires in\s*Expired\s*at \d\d:\d\d:\d\d/);
    expect(screen.getByText('Expires in').hidden).toBe(true);
    const copyButton = screen.getByRole('button', { name: 'Copy access token' });
    expect(copyButton.getAttribute('aria-describedby')).toBe('expiry-main');

    fireEvent.click(copyButton);
    await waitFor(() => {
      expect(document.querySelector('.copy-status')?.textContent).toBe('Copied, but this token has expired');
    });
    expect(writeText).toHaveBeenCalledWith('dead-token');
  });

  it('while valid, a copy is confirmed plainly', async () => {
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: () => Promise.resolve() },
      configurable: true,
    });
    render(
      <PopupContent
        snapshot={withToken({ accessToken: 'live-token', receivedAt: NOW, expiresAt: NOW + 3_600_000 })}
        reload={vi.fn()}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Copy as header' }));
    await waitFor(() => {
      expect(document.querySelector('.copy-status')?.textContent).toBe('Copied header');
    });
  });
});
