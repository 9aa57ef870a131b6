// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VaultStatus } from '../../core/protocol';
import { sendMessage, WorkerFailedError } from '../../platform/messaging';
import { VAULT_OFF } from '../test-support';
import { SecuritySection } from './SecuritySection';

vi.mock('../../platform/messaging', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../platform/messaging')>()),
  sendMessage: vi.fn(),
}));

const send = vi.mocked(sendMessage);
const UNLOCKED: VaultStatus = {
  enabled: true,
  unlocked: true,
  sealedAfterClear: false,
  autoLockMinutes: null,
};
const OLD_COPIES_TITLE = 'Stored unencrypted before the passphrase was set';

beforeEach(() => {
  send.mockReset();
});

afterEach(cleanup);

/** Renders the section and opens it as a user would; its forms load on first opening. */
async function renderOpen(ui: preact.ComponentChild) {
  const view = render(ui);
  const details = view.container.querySelector('details');
  if (!details) throw new Error('the section has no details element');
  details.open = true;
  fireEvent(details, new Event('toggle'));
  // Loaded: the body holds a panel, not (or no longer) the loading line. A loaded machine can take a while
  // to load the chunk the first time; the wait ends as soon as the panel is there.
  await waitFor(() => {
    expect(
      view.container.querySelector('.security-body > :not(.security-status):not(.loading)'),
    ).not.toBeNull();
  });
  return view;
}

describe('the honest notice about secrets stored in clear before', () => {
  it('is shown when the passphrase was set over secrets already stored in clear, with what to do', async () => {
    await renderOpen(
      <SecuritySection vault={{ ...UNLOCKED, sealedAfterClear: true }} hasProfile onChanged={vi.fn()} />,
    );
    const note = screen.getByRole('note');
    expect(note.textContent).toContain(OLD_COPIES_TITLE);
    expect(note.textContent).toContain('may keep old copies of those secrets on disk');
    expect(note.textContent).toContain('rotate the client secret in Dropbox Sign and authorize again');
  });

  it('is not shown when the secrets were sealed from the start', async () => {
    await renderOpen(<SecuritySection vault={UNLOCKED} hasProfile onChanged={vi.fn()} />);
    expect(screen.queryByText(OLD_COPIES_TITLE)).toBeNull();
  });

  it('is given before a passphrase is set over credentials stored in clear', async () => {
    await renderOpen(<SecuritySection vault={VAULT_OFF} hasProfile onChanged={vi.fn()} />);
    const form = screen.getByRole('form', { name: 'Protect with a passphrase' });
    expect(form.textContent).toContain('The browser may keep the unencrypted copies it already wrote');
    expect(form.textContent).toContain('At least 12 characters');
  });

  it('with nothing stored yet, points to the first-run choice instead of a second form', async () => {
    await renderOpen(<SecuritySection vault={VAULT_OFF} hasProfile={false} onChanged={vi.fn()} />);
    expect(screen.queryByRole('form', { name: 'Protect with a passphrase' })).toBeNull();
    expect(screen.getByText(/choose “Encrypt the secrets with a passphrase” in the form above/)).toBeTruthy();
  });
});

describe('auto-lock', () => {
  it('shows the stored choice and sends a new one, then says what it does', async () => {
    send.mockResolvedValue({ ok: true });
    const onChanged = vi.fn();
    await renderOpen(
      <SecuritySection vault={{ ...UNLOCKED, autoLockMinutes: 15 }} hasProfile onChanged={onChanged} />,
    );
    const select = screen.getByLabelText<HTMLSelectElement>('Lock after');
    expect(select.value).toBe('15');
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'Never',
      '5 min',
      '15 min',
      '30 min',
      '1 hour',
      '4 hours',
    ]);

    fireEvent.change(select, { target: { value: '60' } });

    await waitFor(() => {
      expect(onChanged).toHaveBeenCalled();
    });
    expect(send).toHaveBeenCalledWith('setAutoLock', { minutes: 60 });
    expect(document.getElementById('auto-lock-status')?.textContent).toBe(
      'The secrets now lock after 1 hour without use.',
    );
  });

  it('sends null for Never', async () => {
    send.mockResolvedValue({ ok: true });
    await renderOpen(
      <SecuritySection vault={{ ...UNLOCKED, autoLockMinutes: 5 }} hasProfile onChanged={vi.fn()} />,
    );
    fireEvent.change(screen.getByLabelText('Lock after'), { target: { value: 'never' } });
    await waitFor(() => {
      expect(send).toHaveBeenCalledWith('setAutoLock', { minutes: null });
    });
  });

  it('goes back to the stored choice and says why when the worker fails', async () => {
    send.mockRejectedValue(new WorkerFailedError('QuotaExceededError'));
    const onChanged = vi.fn();
    await renderOpen(
      <SecuritySection vault={{ ...UNLOCKED, autoLockMinutes: 15 }} hasProfile onChanged={onChanged} />,
    );
    const select = screen.getByLabelText<HTMLSelectElement>('Lock after');
    fireEvent.change(select, { target: { value: '240' } });

    await waitFor(() => {
      expect(document.getElementById('auto-lock-status')?.textContent).toMatch(
        /^Not changed\. The background worker failed while changing the passphrase settings \(QuotaExceededError\)/,
      );
    });
    expect(select.value).toBe('15');
    expect(onChanged).not.toHaveBeenCalled();
  });
});
