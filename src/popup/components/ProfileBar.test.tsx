// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RemovedProfile } from '../../core/protocol';
import { sendMessage } from '../../platform/messaging';
import { savedReply, snapshotOf, testProfile } from '../test-support';
import { PopupContent } from './PopupContent';
import { UNDO_MS } from './ProfileBar';

vi.mock('../../platform/messaging', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../platform/messaging')>()),
  sendMessage: vi.fn(),
}));

const send = vi.mocked(sendMessage);
const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

const test = testProfile({ id: 'p-test', name: 'Test app' });
const prod = testProfile({ id: 'p-prod', name: 'Production app', clientId: 'prod-client' });
const twoProfiles = snapshotOf({
  profiles: [test, prod],
  activeProfileId: 'p-test',
  tokens: {
    'p-test': { accessToken: 'TEST-ACCESS-TOKEN', receivedAt: NOW - 60_000, expiresAt: NOW + 3_540_000 },
    'p-prod': { accessToken: 'PROD-ACCESS-TOKEN', receivedAt: NOW - 600_000, expiresAt: NOW + 600_000 },
  },
});

beforeEach(() => {
  send.mockReset();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const switcher = () => screen.getByRole<HTMLSelectElement>('combobox', { name: 'Profile' });
const countdown = () => screen.getByRole('timer', { name: 'Expires in' }).textContent;

describe('the profile switcher', () => {
  it('lists every profile by name with the active one selected', () => {
    render(<PopupContent snapshot={twoProfiles} reload={vi.fn()} />);
    expect([...switcher().options].map((o) => o.textContent)).toEqual(['Test app', 'Production app']);
    expect(switcher().value).toBe('p-test');
  });

  it('shows the other profile’s countdown at once, before the worker answers, and stores the switch', async () => {
    let answer!: (reply: { ok: true; profileId: string }) => void;
    send.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    const reload = vi.fn();
    render(<PopupContent snapshot={twoProfiles} reload={reload} />);
    expect(countdown()).toBe('0:59:00');

    fireEvent.change(switcher(), { target: { value: 'p-prod' } });

    expect(countdown()).toBe('0:10:00');
    expect(send).toHaveBeenCalledWith('switchProfile', { profileId: 'p-prod' });
    answer({ ok: true, profileId: 'p-prod' });
    await waitFor(() => {
      expect(reload).toHaveBeenCalled();
    });
  });

  it('goes back to the stored profile, and says why, when the worker refuses the switch', async () => {
    send.mockResolvedValue({ ok: false, problem: 'Not changed: that profile no longer exists.' });
    render(<PopupContent snapshot={twoProfiles} reload={vi.fn()} />);
    fireEvent.change(switcher(), { target: { value: 'p-prod' } });
    expect(await screen.findByText('Not changed: that profile no longer exists.')).toBeTruthy();
    expect(switcher().value).toBe('p-test');
    expect(countdown()).toBe('0:59:00');
  });

  it('never mixes two profiles: a refresh clicked in one does not show as busy in the other', () => {
    send.mockImplementation(() => new Promise(() => undefined)); // the refresh never answers
    render(<PopupContent snapshot={twoProfiles} reload={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Refresh now' }));
    expect(screen.getByRole('button', { name: 'Refreshing…' })).toBeTruthy();
    fireEvent.change(switcher(), { target: { value: 'p-prod' } });
    expect(screen.getByRole('button', { name: 'Refresh now' }).getAttribute('aria-busy')).toBe('false');
  });

  it('stays usable while locked, with no action that would write sealed data', () => {
    const locked = snapshotOf({
      ...twoProfiles,
      profiles: [test, prod].map((p) => ({ ...p, clientSecret: '', refreshToken: '' })),
      vault: { enabled: true, unlocked: false, sealedAfterClear: false, autoLockMinutes: null },
    });
    render(<PopupContent snapshot={locked} reload={vi.fn()} />);
    expect(switcher().value).toBe('p-test');
    expect(screen.queryByRole('group', { name: 'Profile actions' })).toBeNull();
  });
});

describe('the first save', () => {
  it('keeps the filled form mounted when the first profile appears: its "Saved." line stays', async () => {
    await import('./CredentialsForm');
    const saved = testProfile({ id: 'p-first' });
    send.mockResolvedValue(savedReply(saved));
    const view = render(<PopupContent snapshot={snapshotOf({ profiles: [] })} reload={vi.fn()} />);
    const field = await screen.findByLabelText('Refresh token', { exact: true });
    fireEvent.input(field, { target: { value: saved.refreshToken } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();

    view.rerender(<PopupContent snapshot={snapshotOf({ profiles: [saved] })} reload={vi.fn()} />);

    expect(screen.getByText('Saved.')).toBeTruthy();
    expect(document.querySelector<HTMLDetailsElement>('details.credentials-details')?.open).toBe(true);
  });
});

describe('the profile actions', () => {
  it('New profile and Duplicate profile ask the worker, for the active profile', async () => {
    send.mockResolvedValue({ ok: true, profileId: 'p-new' });
    render(<PopupContent snapshot={twoProfiles} reload={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: 'New profile' }));
    await waitFor(() => {
      expect(send).toHaveBeenCalledWith('createProfile', {});
    });
    fireEvent.click(screen.getByRole('button', { name: 'Duplicate profile' }));
    await waitFor(() => {
      expect(send).toHaveBeenCalledWith('duplicateProfile', { profileId: 'p-test' });
    });
  });

  it('Rename: Enter saves the trimmed-by-the-worker name, Escape cancels without a message', async () => {
    send.mockResolvedValue({ ok: true, profileId: 'p-test' });
    render(<PopupContent snapshot={twoProfiles} reload={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Rename profile' }));
    const name = screen.getByLabelText<HTMLInputElement>('Profile name', { exact: true });
    expect(name.value).toBe('Test app');
    fireEvent.keyDown(name, { key: 'Escape' });
    expect(screen.queryByLabelText('Profile name', { exact: true })).toBeNull();
    expect(send).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Rename profile' }));
    const again = screen.getByLabelText<HTMLInputElement>('Profile name', { exact: true });
    fireEvent.input(again, { target: { value: 'Sandbox app' } });
    fireEvent.submit(again.form as HTMLFormElement);
    await waitFor(() => {
      expect(send).toHaveBeenCalledWith('renameProfile', { profileId: 'p-test', name: 'Sandbox app' });
    });
    await waitFor(() => {
      expect(screen.queryByLabelText('Profile name', { exact: true })).toBeNull();
    });
  });

  it('Rename refused: the worker’s reason is shown and the field stays for a correction', async () => {
    send.mockResolvedValue({ ok: false, problem: 'Another profile is already called “Production app”.' });
    render(<PopupContent snapshot={twoProfiles} reload={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Rename profile' }));
    const name = screen.getByLabelText<HTMLInputElement>('Profile name', { exact: true });
    fireEvent.input(name, { target: { value: 'Production app' } });
    fireEvent.submit(name.form as HTMLFormElement);
    expect((await screen.findByRole('alert')).textContent).toContain('already called');
    expect(screen.getByLabelText('Profile name', { exact: true })).toBeTruthy();
  });

  it('Delete offers Undo, which gives the worker back exactly what it removed, for UNDO_MS', async () => {
    const removed: RemovedProfile = {
      profile: test,
      token: twoProfiles.tokens['p-test'],
      index: 0,
      wasActive: true,
    };
    send.mockImplementation((type) =>
      Promise.resolve(
        type === 'deleteProfile'
          ? { ok: true, profileId: 'p-prod', removed }
          : { ok: true, profileId: 'p-test' },
      ),
    );
    render(<PopupContent snapshot={twoProfiles} reload={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Delete profile' }));
    expect(send).toHaveBeenCalledWith('deleteProfile', { profileId: 'p-test' });
    fireEvent.click(await screen.findByRole('button', { name: 'Undo' }));
    await waitFor(() => {
      expect(send).toHaveBeenCalledWith('restoreProfile', { removed });
    });
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
  });

  it('Undo goes after UNDO_MS (at least 10 s), and not before', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
    send.mockResolvedValue({
      ok: true,
      profileId: 'p-prod',
      removed: { profile: test, index: 0, wasActive: true },
    });
    render(<PopupContent snapshot={twoProfiles} reload={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Delete profile' }));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(document.querySelector('.profile-status')?.textContent).toContain('Deleted “Test app”.');
    expect(UNDO_MS).toBeGreaterThanOrEqual(10_000);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(UNDO_MS - 1);
    });
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeTruthy();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1);
    });
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
  });
});
